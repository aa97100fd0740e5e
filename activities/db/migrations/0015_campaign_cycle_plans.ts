import type { Kysely } from 'kysely';

// The deadline plan of each cycle of a campaign (every level's due instant per phase, and the close), as its start
// computed it: the archive pages of a closed cycle show each unit's deadline per phase after Temporal's retention
// has deleted the workflow that held it. One row per cycle, the first write kept (a retried activity writes the
// same plan). A cycle started before this migration has none (readers fall back to the audit log's instants).
// Frozen: never imports runtime code.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('campaign_cycle_plans')
    .addColumn('cycle_id', 'text', (c) => c.primaryKey())
    // the PhasedDeadlinePlan as JSON text
    .addColumn('plan_json', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('campaign_cycle_plans').execute();
}
