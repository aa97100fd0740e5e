// The databases repository tests run against: always a fresh SQLite file; PostgreSQL too when
// TEST_DATABASE_URL is set (each test then gets its own schema, dropped afterwards).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase, type Db } from '../../activities/db/database';

export interface TestDatabase {
  db: Db;
  /** PostgreSQL: the test's own schema (a Migrator must be told it: `migrationTableSchema`) */
  schema?: string;
  /** closes the connection and removes everything the test created */
  dispose(): Promise<void>;
  /** runs a test's own Migrator (PostgreSQL: never while another test drops its schema, see SCHEMA_DROP_LOCK) */
  migrating<T>(run: () => Promise<T>): Promise<T>;
}

/**
 * The tables of the test's own database. On PostgreSQL, Kysely's introspection lists every schema's tables, so a
 * parallel test's tables (its own schema) would show up here: only the test's schema is kept.
 */
export async function ownTables(t: TestDatabase) {
  return (await t.db.introspection.getTables()).filter((x) => t.schema === undefined || x.schema === t.schema);
}

export interface OpenOptions {
  /** bring the schema up to date (default true); false gives an empty database */
  migrate?: boolean;
}

export interface TestDatabaseKind {
  name: 'sqlite' | 'postgres';
  open(options?: OpenOptions): Promise<TestDatabase>;
}

async function openSqlite({ migrate = true }: OpenOptions = {}): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'baocao-test-'));
  const db = openDatabase({ kind: 'sqlite', file: join(dir, 'test.sqlite') });
  if (migrate) await migrateToLatest(db);
  return {
    db,
    async dispose() {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
    migrating: (run) => run(),
  };
}

/** A URL whose connections use `schema` first (libpq `options`, understood by node-postgres). */
function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/**
 * Parallel test files share one PostgreSQL database, each in its own schema. Kysely's migrator introspects every
 * schema's tables, and a schema another test drops meanwhile makes that query fail ("schema … does not exist").
 * So migrations hold this advisory lock shared (they run side by side) and a drop holds it exclusively.
 */
const SCHEMA_DROP_LOCK = 0x62616f63; // "baoc"

async function withSchemaLock<T>(admin: Db, mode: 'shared' | 'exclusive', run: () => Promise<T>): Promise<T> {
  return admin.connection().execute(async (conn) => {
    await (mode === 'shared' ? sql`select pg_advisory_lock_shared(${SCHEMA_DROP_LOCK})` : sql`select pg_advisory_lock(${SCHEMA_DROP_LOCK})`).execute(conn);
    try {
      return await run();
    } finally {
      await (mode === 'shared' ? sql`select pg_advisory_unlock_shared(${SCHEMA_DROP_LOCK})` : sql`select pg_advisory_unlock(${SCHEMA_DROP_LOCK})`).execute(conn);
    }
  });
}

async function openPostgres(url: string, { migrate = true }: OpenOptions = {}): Promise<TestDatabase> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = openDatabase({ kind: 'postgres', url });
  await admin.schema.createSchema(schema).execute();
  const db = openDatabase({ kind: 'postgres', url: withSearchPath(url, schema) });
  if (migrate) await withSchemaLock(admin, 'shared', () => migrateToLatest(db));
  return {
    db,
    schema,
    async dispose() {
      await db.destroy();
      await withSchemaLock(admin, 'exclusive', () => admin.schema.dropSchema(schema).cascade().execute());
      await admin.destroy();
    },
    migrating: (run) => withSchemaLock(admin, 'shared', run),
  };
}

/** For `describe.each`: SQLite always, PostgreSQL only when TEST_DATABASE_URL names one. */
export function testDatabases(env: Record<string, string | undefined> = process.env): TestDatabaseKind[] {
  const kinds: TestDatabaseKind[] = [{ name: 'sqlite', open: openSqlite }];
  const url = env.TEST_DATABASE_URL;
  if (url) kinds.push({ name: 'postgres', open: (options) => openPostgres(url, options) });
  return kinds;
}
