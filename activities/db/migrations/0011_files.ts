import type { Kysely } from 'kysely';

// Stored files (issue 16): one row per upload. The bytes live in the file store under their SHA-256; this row
// is the upload's name, type, owner and whether a submission (or an issuing document) took it. Frozen: never
// imports runtime code.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // 'submission' (cycle, unit, phase; version once attached) or 'issuing-document' (cycle or campaign)
    .addColumn('owner_kind', 'text', (c) => c.notNull())
    .addColumn('cycle_id', 'text')
    .addColumn('unit_id', 'text')
    .addColumn('phase', 'text')
    .addColumn('campaign_id', 'text')
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addColumn('attached_at', 'text')
    .addColumn('attached_version', 'integer')
    .execute();
  await db.schema.createIndex('files_sha256').on('files').column('sha256').execute();
  await db.schema.createIndex('files_unattached').on('files').columns(['attached_at', 'uploaded_at']).execute();
  await db.schema.createIndex('files_owner').on('files').columns(['cycle_id', 'unit_id', 'phase']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('files').execute();
}
