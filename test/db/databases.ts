// The databases repository tests run against: always a fresh SQLite file; PostgreSQL too when
// TEST_DATABASE_URL is set (each test then gets its own schema, dropped afterwards).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openDatabase, type Db } from '../../activities/db/database';

export interface TestDatabase {
  db: Db;
  /** PostgreSQL: the test's own schema (a Migrator must be told it: `migrationTableSchema`) */
  schema?: string;
  /** closes the connection and removes everything the test created */
  dispose(): Promise<void>;
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
  };
}

/** A URL whose connections use `schema` first (libpq `options`, understood by node-postgres). */
function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

async function openPostgres(url: string, { migrate = true }: OpenOptions = {}): Promise<TestDatabase> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = openDatabase({ kind: 'postgres', url });
  await admin.schema.createSchema(schema).execute();
  const db = openDatabase({ kind: 'postgres', url: withSearchPath(url, schema) });
  if (migrate) await migrateToLatest(db);
  return {
    db,
    schema,
    async dispose() {
      await db.destroy();
      await admin.schema.dropSchema(schema).cascade().execute();
      await admin.destroy();
    },
  };
}

/** For `describe.each`: SQLite always, PostgreSQL only when TEST_DATABASE_URL names one. */
export function testDatabases(env: Record<string, string | undefined> = process.env): TestDatabaseKind[] {
  const kinds: TestDatabaseKind[] = [{ name: 'sqlite', open: openSqlite }];
  const url = env.TEST_DATABASE_URL;
  if (url) kinds.push({ name: 'postgres', open: (options) => openPostgres(url, options) });
  return kinds;
}
