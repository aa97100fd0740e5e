import type { Kysely } from 'kysely';

// The archive of aggregates (activities/archive/aggregates.ts): one row per aggregate a node computed, keyed so
// that a retried activity writes once; read newest first per (cycle, unit).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('aggregates')
    .addColumn('aggregate_key', 'text', (c) => c.primaryKey())
    .addColumn('cycle_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('final', 'integer', (c) => c.notNull())
    .addColumn('aggregate_json', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('aggregates_cycle_unit').on('aggregates').columns(['cycle_id', 'unit_id', 'as_of']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('aggregates').execute();
}
