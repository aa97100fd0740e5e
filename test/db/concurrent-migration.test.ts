// `npm start` opens a fresh SQLite database from the worker and the web app at the same moment: both migrate,
// and neither may fail because the other got there first (the worker once died on `kysely_migration.name`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openMigratedDatabase, type Db } from '../../activities/db/database';
import { migrations } from '../../activities/db/migrations';

let dir: string | undefined;
const opened: Db[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('two openers of one fresh SQLite file both migrate it, each migration once', async () => {
  dir = mkdtempSync(join(tmpdir(), 'baocao-migrate-'));
  const database = { kind: 'sqlite' as const, file: join(dir, 'baocao.sqlite') };
  const results = await Promise.allSettled([openMigratedDatabase(database), openMigratedDatabase(database), openMigratedDatabase(database)]);
  for (const r of results) if (r.status === 'fulfilled') opened.push(r.value);
  expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok']);
  const names = (await opened[0]!.selectFrom('kysely_migration' as never).select('name' as never).execute()) as { name: string }[];
  expect(names.map((n) => n.name).sort()).toEqual(Object.keys(migrations).sort());
});
