import type { Kysely } from 'kysely';

// Tables of the web app (client/web): server-side drafts of unit submissions, one-time staff sign-in links and
// staff sessions. Tokens and session ids are stored as SHA-256 hashes only.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('web_drafts')
    .addColumn('cycle_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('content_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('web_drafts_pk', ['cycle_id', 'unit_id', 'phase'])
    .execute();
  await db.schema
    .createTable('web_signin_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('web_signin_tokens_email').on('web_signin_tokens').columns(['email', 'created_at']).execute();
  await db.schema
    .createTable('web_sessions')
    .addColumn('session_hash', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('web_sessions').execute();
  await db.schema.dropTable('web_signin_tokens').execute();
  await db.schema.dropTable('web_drafts').execute();
}
