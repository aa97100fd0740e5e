import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, sql, SqliteDialect } from 'kysely';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import type { Config } from '../../common/config';
import { migrations } from './migrations';
import type { Database } from './schema';

export type Db = Kysely<Database>;

/** Opens the project database: embedded SQLite by default, PostgreSQL when DATABASE_URL is set. */
export function openDatabase(database: Config['database']): Db {
  if (database.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: database.url, max: 10 });
    // An idle connection the server dropped (PostgreSQL restarted) is only news: the pool opens a new one on the
    // next query, and a query in flight fails and is retried by its activity. Unhandled, node-postgres would
    // crash the process with "Connection terminated unexpectedly" (found by `npm run drill -- database`).
    pool.on('error', (err) => process.stderr.write(`[db] PostgreSQL connection lost (${err.message}); reconnecting on the next query\n`));
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  if (database.file !== ':memory:') mkdirSync(dirname(database.file), { recursive: true });
  const sqlite = new SQLite(database.file);
  // WAL lets the web app read while the worker writes; the busy timeout covers the short write locks.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

/** Brings the schema up to date; safe to call from every process at start-up. */
export async function migrateToLatest(db: Db): Promise<void> {
  // Unordered: migrations numbered by concern (0001 directory, 0002 mail, 0003 archive…) may land in any order.
  // On PostgreSQL the migrator must be told the schema in use, or a migration table of another schema (another
  // database user, a parallel test) makes it believe its own tables exist.
  const migrationTableSchema =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    allowUnorderedMigrations: true,
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String((error as Error | undefined)?.message ?? error)}`, {
      cause: error,
    });
  }
}

/** Open and migrate in one step: what every process does at start-up. */
export async function openMigratedDatabase(database: Config['database']): Promise<Db> {
  const db = openDatabase(database);
  if (database.kind === 'sqlite' && database.file !== ':memory:') await withSqliteMigrationLock(database.file, () => migrateToLatest(db));
  else await migrateToLatest(db);
  return db;
}

/**
 * `npm start` opens a fresh SQLite file from the worker and the web app at once. Kysely's migration lock is a
 * no-op on SQLite (it assumes one process), so both would run the same migration and the second fail on
 * `kysely_migration.name`. A lock file beside the database makes the second wait and then find nothing to do.
 * PostgreSQL needs none: the migrator locks a row there.
 */
async function withSqliteMigrationLock<T>(file: string, run: () => Promise<T>): Promise<T> {
  const release = await lockfile.lock(file, {
    realpath: false,
    lockfilePath: `${file}.migrating`,
    // a migration of a large archive may take a while; a lock left by a killed process is taken over after this
    stale: 60_000,
    update: 10_000,
    retries: { retries: 600, factor: 1, minTimeout: 100, maxTimeout: 100 },
  });
  try {
    return await run();
  } finally {
    await release();
  }
}
