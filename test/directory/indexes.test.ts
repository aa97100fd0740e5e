// Every directory query the worker and the web app run per unit or per page is served by an index, on SQLite
// and on PostgreSQL: each query of activities/directory/repository.ts is captured as it runs on a small
// national-shaped directory and explained. SQLite's plan must not SCAN a directory table; PostgreSQL's, with
// sequential scans priced out (`enable_seqscan = off`, so a missing index still shows as a Seq Scan whatever
// the table's size), must not read one sequentially.
import { CompiledQuery, type KyselyPlugin, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../activities/db/schema';
import {
  childrenOf,
  cycleChildren,
  cycleSubtreeIds,
  cycleUnit,
  cycleUnitRef,
  getUnit,
  getUnits,
  rootsAsOf,
  snapshotCycleTree,
  treeAsOf,
  treeDepth,
  unitsByContactEmail,
  upsertUnits,
} from '../../activities/directory/repository';
import { testDatabases, type TestDatabase } from '../db/databases';
import { nationalTree } from '../support/generated-units';

const DIRECTORY_TABLES = ['units', 'unit_parents', 'cycle_snapshots', 'cycle_units'];
const AS_OF = '2027-01-15';
const CYCLE = 'cycle-2027-TLD';

/** Records every statement run through the returned database, compiled as it is sent. */
function capturing(db: Kysely<Database>): { db: Kysely<Database>; queries: CompiledQuery[] } {
  const queries: CompiledQuery[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      queries.push(db.getExecutor().compileQuery(args.node, args.queryId));
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { db: db.withPlugin(plugin), queries };
}

describe.each(testDatabases())('directory queries on $name', (kind) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  it('read through indexes only', { timeout: 120_000 }, async () => {
    t = await kind.open();
    await upsertUnits(t.db, [...nationalTree(400, 'TLD')]);
    await snapshotCycleTree(t.db, { cycleId: CYCLE, rootId: 'TLD', asOf: AS_OF });
    const { db, queries } = capturing(t.db);

    // what a worker does per unit and per page, what the web app and the CLI read
    await getUnit(db, 'CDCS-000001', AS_OF);
    await getUnits(db, ['CDCS-000001', 'CDCT-0001', 'LDLD-P01'], AS_OF);
    await childrenOf(db, 'CDCT-0001', AS_OF);
    await rootsAsOf(db, AS_OF);
    await treeAsOf(db, 'LDLD-P01', AS_OF);
    await treeDepth(db, 'TLD', AS_OF);
    await cycleChildren(db, { cycleId: CYCLE, unitId: 'CDCT-0001', offset: 0, limit: 100 });
    await cycleUnit(db, CYCLE, 'CDCS-000001');
    await cycleUnitRef(db, { cycleId: CYCLE, unitId: 'CDCT-0001' });
    await cycleSubtreeIds(db, { cycleId: CYCLE, unitId: 'LDLD-P01' });
    await unitsByContactEmail(db, 'CDCS-000001@congdoan.example', AS_OF);
    await snapshotCycleTree(db, { cycleId: CYCLE, rootId: 'TLD', asOf: AS_OF }); // the repeat reads the header only

    const selects = queries.filter((q) => /^\s*(with|select)\b/i.test(q.sql));
    expect(selects.length).toBeGreaterThanOrEqual(12);
    const fullReads: string[] = [];
    for (const q of selects) {
      if (kind.name === 'sqlite') {
        const plan = await t.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]));
        for (const { detail } of plan.rows) {
          const table = /^SCAN (\w+)/.exec(detail)?.[1];
          if (table && DIRECTORY_TABLES.includes(table)) fullReads.push(`${detail}  ←  ${q.sql}`);
        }
      } else {
        const plan = await t.db.transaction().execute(async (trx) => {
          await trx.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'));
          return trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${q.sql}`, [...q.parameters]));
        });
        for (const row of plan.rows) {
          const table = /Seq Scan on (\w+)/.exec(row['QUERY PLAN'])?.[1];
          if (table && DIRECTORY_TABLES.includes(table)) fullReads.push(`${row['QUERY PLAN'].trim()}  ←  ${q.sql}`);
        }
      }
    }
    expect(fullReads).toEqual([]);
  });
});
