import { sql, type Kysely } from 'kysely';

// The web app's security fixes (issue 13):
//  - web_signin_locks: one row per address asking for sign-in links; taking its row lock first serialises the
//    "count pending links, then insert one" of concurrent requests on PostgreSQL (SQLite has one writer);
//  - unit_link_sessions: the browsers that used a unit's link (when, user agent), so its officer can see and
//    end them; the cookie holds the session id, the table its SHA-256;
//  - indexes on the lower-cased contact addresses: every staff request finds its units by address, and
//    lower(column) expression indexes serve `lower(column) = ?` on SQLite and PostgreSQL alike.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('web_signin_locks')
    .addColumn('email', 'text', (c) => c.primaryKey())
    .addColumn('locked_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('unit_link_sessions')
    .addColumn('session_hash', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('cycle_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('unit_link_sessions_unit').on('unit_link_sessions').columns(['cycle_id', 'unit_id', 'last_seen_at']).execute();
  await db.schema.createIndex('units_officer_email_lower').on('units').expression(sql`lower(officer_email)`).execute();
  await db.schema.createIndex('units_chair_email_lower').on('units').expression(sql`lower(chair_email)`).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('units_chair_email_lower').execute();
  await db.schema.dropIndex('units_officer_email_lower').execute();
  await db.schema.dropTable('unit_link_sessions').execute();
  await db.schema.dropTable('web_signin_locks').execute();
}
