import type { Kysely } from 'kysely';

// Bulk actions of the web app (issue 13: remind now, extend, reissue links for a selection): one row per run and
// one per unit done, written as each unit's answer comes back, so the page that follows a long run shows its
// progress and, whatever happens to the web process, what was done and what was not.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('web_bulk_jobs')
    .addColumn('job_id', 'text', (c) => c.primaryKey())
    .addColumn('cycle_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('items_json', 'text', (c) => c.notNull())
    .addColumn('back_href', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('web_bulk_results')
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('result_json', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('web_bulk_results_pk', ['job_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('web_bulk_results').execute();
  await db.schema.dropTable('web_bulk_jobs').execute();
}
