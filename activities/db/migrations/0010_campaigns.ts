import type { Kysely } from 'kysely';

// Campaigns (issue 15): what a secretariat asks, versioned. A version's definition is JSON text (the
// domain/campaign.ts shape); `frozen` (0/1) is set once a cycle uses the version, which is never edited after.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('campaign_versions')
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition_json', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('frozen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('frozen_by', 'text')
    .addColumn('frozen_at', 'text')
    .addPrimaryKeyConstraint('campaign_versions_pk', ['campaign_id', 'version'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('campaign_versions').execute();
  await db.schema.dropTable('campaigns').execute();
}
