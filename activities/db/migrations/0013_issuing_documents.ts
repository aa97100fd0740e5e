import type { Kysely } from 'kysely';

// The issuing document of a cycle (issue 16). Its files are rows of `files` (owner_kind 'issuing-document',
// cycle_id set, attached at upload); this table holds what the secretariat says of the document itself — its
// number and symbol, title and signer — where the cycle has no campaign document to read them from. And the
// read-only links to the document that reminders carry (a unit's task link is stored hashed, so a reminder
// cannot repeat it): only the SHA-256 of each token is kept, as for task links. Frozen: never imports runtime code.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cycle_documents')
    .addColumn('cycle_id', 'text', (c) => c.primaryKey())
    // "18/KH-LĐLĐ" as printed, the title, the signer ("TM. BAN THƯỜNG VỤ – CHỦ TỊCH Nguyễn Văn A"); empty: not given
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('signer', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('document_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('cycle_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('files_issuing').on('files').columns(['owner_kind', 'cycle_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('files_issuing').execute();
  await db.schema.dropTable('document_links').execute();
  await db.schema.dropTable('cycle_documents').execute();
}
