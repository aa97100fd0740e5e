import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../activities/db/database';
import { migrations } from '../../activities/db/migrations';
import { ownTables, testDatabases, type TestDatabase } from './databases';

const DIRECTORY_TABLES = ['cycle_snapshots', 'cycle_units', 'unit_parents', 'units'];

describe.each(testDatabases())('migrations on $name', (kind) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.dispose();
  });

  const tableNames = async (of: TestDatabase) => (await ownTables(of)).map((x) => x.name);

  it('creates the directory tables; running again is a no-op', async () => {
    t = await kind.open();
    await migrateToLatest(t.db);
    expect(await tableNames(t)).toEqual(expect.arrayContaining(DIRECTORY_TABLES));
    const cycleUnits = (await ownTables(t)).find((x) => x.name === 'cycle_units')!;
    expect(cycleUnits.columns.map((c) => c.name)).toEqual(
      expect.arrayContaining(['cycle_id', 'unit_id', 'parent_id', 'kind', 'depth', 'position', 'child_count']),
    );
  });

  it('rolls the directory migration back and forward again', async () => {
    t = await kind.open({ migrate: false });
    // the directory migration alone, so that this test does not depend on the later ones
    // on PostgreSQL the migrator is told the test's schema, as migrateToLatest does (else it may find another
    // parallel test's migration tables through the search path)
    const migrator = new Migrator({
      db: t.db,
      provider: { getMigrations: async () => ({ '0001_directory': migrations['0001_directory']! }) },
      ...(t.schema ? { migrationTableSchema: t.schema } : {}),
    });
    expect((await t.migrating(() => migrator.migrateToLatest())).error).toBeUndefined();
    expect(await tableNames(t)).toEqual(expect.arrayContaining(DIRECTORY_TABLES));
    expect((await t.migrating(() => migrator.migrateDown())).error).toBeUndefined();
    const left = await tableNames(t);
    for (const name of DIRECTORY_TABLES) expect(left).not.toContain(name);
    expect((await t.migrating(() => migrator.migrateToLatest())).error).toBeUndefined();
    expect(await tableNames(t)).toEqual(expect.arrayContaining(DIRECTORY_TABLES));
  });
});
