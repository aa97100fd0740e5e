import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../activities/db/database';
import {
  CycleSnapshotConflictError,
  DirectoryInputError,
  InvalidReparentError,
  ParentChangeNeedsDateError,
  UnitNotActiveError,
  UnitNotInCycleError,
  UnknownUnitError,
} from '../../activities/directory/errors';
import {
  childrenOf,
  cycleChildren,
  cycleSubtreeIds,
  cycleUnit,
  cycleUnitRef,
  getUnit,
  getUnits,
  reparent,
  rootsAsOf,
  snapshotCycleTree,
  treeAsOf,
  treeDepth,
  upsertUnits,
} from '../../activities/directory/repository';
import { testDatabases, type TestDatabase } from '../db/databases';
import { outline, unit } from './helpers';

// Before the 2025 restructuring: province R with district D1 (units G1, G2) and district D2 (G3).
const BASE = [
  unit('R', 'root', null),
  unit('D1', 'intermediate', 'R'),
  unit('D2', 'intermediate', 'R'),
  unit('G1', 'grassroots', 'D1'),
  unit('G2', 'grassroots', 'D1'),
  unit('G3', 'grassroots', 'D2'),
];

describe.each(testDatabases())('directory repository on $name', (kind) => {
  let t: TestDatabase;
  let db: Db;
  beforeEach(async () => {
    t = await kind.open();
    db = t.db;
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('creates units once, then reports them unchanged or updated', async () => {
    expect(await upsertUnits(db, BASE)).toEqual({ created: 6, updated: 0, unchanged: 0 });
    expect(await upsertUnits(db, BASE)).toEqual({ created: 0, updated: 0, unchanged: 6 });
    const renamed = { ...BASE[3]!, name: 'Công đoàn cơ sở Công ty CP May Đức Giang' };
    expect(await upsertUnits(db, [renamed])).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect((await getUnit(db, 'G1', '2024-01-01'))?.name).toBe('Công đoàn cơ sở Công ty CP May Đức Giang');
  });

  it('reads one unit and many units with contacts and their parent on a date', async () => {
    await upsertUnits(db, [...BASE.slice(0, 3), unit('G1', 'grassroots', 'D1', { language: 'en', distribution: [{ name: 'Lưu VT', email: 'vt@example.vn' }] })]);
    const g1 = await getUnit(db, 'G1', '2024-01-01');
    expect(g1).toMatchObject({ id: 'G1', parentId: 'D1', language: 'en', officer: { email: 'officer.g1@example.vn' } });
    expect(g1?.distribution).toEqual([{ name: 'Lưu VT', email: 'vt@example.vn' }]);
    expect(await getUnit(db, 'NOPE')).toBeUndefined();
    const many = await getUnits(db, ['G1', 'NOPE', 'R', 'D1'], '2024-01-01');
    expect(many.map((u) => [u.id, u.parentId])).toEqual([
      ['G1', 'D1'],
      ['R', null],
      ['D1', 'R'],
    ]);
  });

  it('builds the tree on a date, children ordered by id, and counts its levels', async () => {
    await upsertUnits(db, BASE);
    const tree = await treeAsOf(db, 'R', '2024-06-01');
    expect(outline(tree)).toEqual(['R', '  D1', '    G1', '    G2', '  D2', '    G3']);
    expect(tree.map((n) => [n.unit.id, n.position, n.childCount])).toEqual([
      ['R', 0, 2],
      ['D1', 0, 2],
      ['G1', 0, 0],
      ['G2', 1, 0],
      ['D2', 1, 1],
      ['G3', 0, 0],
    ]);
    expect(await treeDepth(db, 'R', '2024-06-01')).toBe(3);
    expect(await treeDepth(db, 'G3', '2024-06-01')).toBe(1);
    expect((await childrenOf(db, 'D1', '2024-06-01')).map((u) => u.id)).toEqual(['G1', 'G2']);
    expect((await rootsAsOf(db, '2024-06-01')).map((u) => u.id)).toEqual(['R']);
  });

  it('leaves out units outside their active period', async () => {
    await upsertUnits(db, [...BASE, unit('G4', 'grassroots', 'D2', { activeFrom: '2022-01-01', activeTo: '2023-12-31' })]);
    expect(outline(await treeAsOf(db, 'D2', '2021-06-01'))).toEqual(['D2', '  G3']);
    expect(outline(await treeAsOf(db, 'D2', '2023-12-31'))).toEqual(['D2', '  G3', '  G4']);
    expect(outline(await treeAsOf(db, 'D2', '2024-01-01'))).toEqual(['D2', '  G3']);
    await expect(treeAsOf(db, 'R', '2019-12-31')).rejects.toBeInstanceOf(UnitNotActiveError);
    await expect(treeAsOf(db, 'NOPE', '2024-01-01')).rejects.toBeInstanceOf(UnknownUnitError);
  });

  it('re-parents from an effective date: earlier dates keep the old tree', async () => {
    await upsertUnits(db, BASE);
    // the district level is removed: D1's units move straight under the province
    const moved = await reparent(db, 'G1', 'R', '2025-07-01');
    expect(moved).toEqual({ unitId: 'G1', parentId: 'R', previousParentId: 'D1', effectiveFrom: '2025-07-01' });
    expect(outline(await treeAsOf(db, 'R', '2025-06-30'))).toEqual(['R', '  D1', '    G1', '    G2', '  D2', '    G3']);
    expect(outline(await treeAsOf(db, 'R', '2025-07-01'))).toEqual(['R', '  D1', '    G2', '  D2', '    G3', '  G1']);
    expect((await getUnit(db, 'G1', '2025-06-30'))?.parentId).toBe('D1');
    expect((await getUnit(db, 'G1', '2025-07-01'))?.parentId).toBe('R');
  });

  it('keeps a cycle tree frozen: snapshot before a re-parenting keeps the old tree, after uses the new', async () => {
    await upsertUnits(db, BASE);
    expect(await snapshotCycleTree(db, { cycleId: 'cycle-2025-R', rootId: 'R', asOf: '2025-01-02' })).toEqual({ units: 6, depths: 3 });
    // decided later, back-dated to before the cycle started: the running cycle must not notice
    await reparent(db, 'G3', 'D1', '2024-12-01');
    expect(await snapshotCycleTree(db, { cycleId: 'cycle-2026-R', rootId: 'R', asOf: '2026-01-02' })).toEqual({ units: 6, depths: 3 });

    const ids = async (cycleId: string, unitId: string) =>
      (await cycleChildren(db, { cycleId, unitId, offset: 0, limit: 100 })).map((r) => r.id);
    expect(await ids('cycle-2025-R', 'D1')).toEqual(['G1', 'G2']);
    expect(await ids('cycle-2025-R', 'D2')).toEqual(['G3']);
    expect(await ids('cycle-2026-R', 'D1')).toEqual(['G1', 'G2', 'G3']);
    expect(await ids('cycle-2026-R', 'D2')).toEqual([]);
    expect((await cycleUnit(db, 'cycle-2025-R', 'G3')).parentId).toBe('D2');
    expect((await cycleUnit(db, 'cycle-2026-R', 'G3')).parentId).toBe('D1');
  });

  it('takes a snapshot once: a second call returns the same counts and changes nothing', async () => {
    await upsertUnits(db, BASE);
    const input = { cycleId: 'cycle-2027-R', rootId: 'R', asOf: '2027-01-04' };
    const first = await snapshotCycleTree(db, input);
    const rowsBefore = await db.selectFrom('cycle_units').selectAll().where('cycle_id', '=', input.cycleId).orderBy('unit_id').execute();
    const headerBefore = await db.selectFrom('cycle_snapshots').selectAll().execute();
    // the directory changes between the two calls (as between an activity attempt and its retry)
    await upsertUnits(db, [unit('G9', 'grassroots', 'D2')]);
    expect(await snapshotCycleTree(db, input)).toEqual(first);
    expect(await db.selectFrom('cycle_units').selectAll().where('cycle_id', '=', input.cycleId).orderBy('unit_id').execute()).toEqual(rowsBefore);
    expect(await db.selectFrom('cycle_snapshots').selectAll().execute()).toEqual(headerBefore);
    await expect(snapshotCycleTree(db, { ...input, asOf: '2027-02-01' })).rejects.toBeInstanceOf(CycleSnapshotConflictError);
    await expect(snapshotCycleTree(db, { cycleId: 'other', rootId: 'R', asOf: '2027-13-01' })).rejects.toBeInstanceOf(DirectoryInputError);
    await expect(treeAsOf(db, 'R', '04/01/2027')).rejects.toBeInstanceOf(DirectoryInputError);
  });

  it('pages through many children in a stable order without gaps or repeats', async () => {
    const many = Array.from({ length: 1234 }, (_, i) => unit(`G${String(i).padStart(5, '0')}`, 'grassroots', 'D1'));
    await upsertUnits(db, [...BASE.slice(0, 3), ...[...many].reverse()]);
    const { units } = await snapshotCycleTree(db, { cycleId: 'c', rootId: 'R', asOf: '2024-01-01' });
    expect(units).toBe(3 + 1234);
    const pageOf = (offset: number) => cycleChildren(db, { cycleId: 'c', unitId: 'D1', offset, limit: 500 });
    const pages = [await pageOf(0), await pageOf(500), await pageOf(1000), await pageOf(1500)];
    expect(pages.map((p) => p.length)).toEqual([500, 500, 234, 0]);
    const all = pages.flat().map((r) => r.id);
    expect(all).toEqual(many.map((u) => u.id));
    expect(await pageOf(500)).toEqual(pages[1]);
    expect(pages[0]![0]).toEqual({ id: 'G00000', kind: 'grassroots', childCount: 0 });
    expect(await cycleChildren(db, { cycleId: 'c', unitId: 'R', offset: 0, limit: 10 })).toEqual([
      { id: 'D1', kind: 'intermediate', childCount: 1234 },
      { id: 'D2', kind: 'intermediate', childCount: 0 },
    ]);
    await expect(cycleChildren(db, { cycleId: 'c', unitId: 'D1', offset: 0, limit: 501 })).rejects.toBeInstanceOf(DirectoryInputError);
    await expect(cycleChildren(db, { cycleId: 'c', unitId: 'NOPE', offset: 0, limit: 10 })).rejects.toBeInstanceOf(UnitNotInCycleError);
  });

  it('tells where a unit sits in a cycle: parent, grandparent, depth, subtree', async () => {
    await upsertUnits(db, BASE);
    await snapshotCycleTree(db, { cycleId: 'c', rootId: 'R', asOf: '2024-01-01' });
    expect(await cycleUnit(db, 'c', 'G2')).toEqual({
      cycleId: 'c',
      id: 'G2',
      kind: 'grassroots',
      childCount: 0,
      parentId: 'D1',
      grandparentId: 'R',
      depth: 2,
      position: 1,
    });
    expect(await cycleUnit(db, 'c', 'R')).toMatchObject({ parentId: null, grandparentId: null, depth: 0, childCount: 2 });
    expect(await cycleUnitRef(db, { cycleId: 'c', unitId: 'D2' })).toEqual({ id: 'D2', kind: 'intermediate', childCount: 1 });
    expect(await cycleSubtreeIds(db, { cycleId: 'c', unitId: 'R' })).toEqual(['R', 'D1', 'G1', 'G2', 'D2', 'G3']);
    expect(await cycleSubtreeIds(db, { cycleId: 'c', unitId: 'D1' })).toEqual(['D1', 'G1', 'G2']);
    await expect(cycleUnit(db, 'c', 'NOPE')).rejects.toBeInstanceOf(UnitNotInCycleError);
    await expect(cycleSubtreeIds(db, { cycleId: 'other', unitId: 'R' })).rejects.toBeInstanceOf(UnitNotInCycleError);
  });

  it('snapshots a sub-tree rooted at an intermediate union', async () => {
    await upsertUnits(db, BASE);
    expect(await snapshotCycleTree(db, { cycleId: 'd1', rootId: 'D1', asOf: '2024-01-01' })).toEqual({ units: 3, depths: 2 });
    expect(await cycleUnit(db, 'd1', 'D1')).toMatchObject({ parentId: null, depth: 0, kind: 'intermediate' });
  });

  it('refuses re-parentings that would break the tree', async () => {
    await upsertUnits(db, BASE);
    await expect(reparent(db, 'D1', 'G3', '2025-01-01')).rejects.toBeInstanceOf(InvalidReparentError); // grassroots parent
    await expect(reparent(db, 'R', 'D1', '2025-01-01')).rejects.toBeInstanceOf(InvalidReparentError); // a root
    await expect(reparent(db, 'D1', 'D1', '2025-01-01')).rejects.toBeInstanceOf(InvalidReparentError);
    await expect(reparent(db, 'D1', 'NOPE', '2025-01-01')).rejects.toBeInstanceOf(UnknownUnitError);
    await expect(reparent(db, 'G1', 'D2', '2025-02-30')).rejects.toBeInstanceOf(DirectoryInputError);
    // D2 under D1 from 2025, then D1 under D2 from 2026 would close a loop
    await reparent(db, 'D2', 'D1', '2025-01-01');
    await expect(reparent(db, 'D1', 'D2', '2026-01-01')).rejects.toThrow(/D1 → D2 → D1|D2 → D1 → D2/);
    // a loop that only appears later, when an ancestor's scheduled change takes effect
    await upsertUnits(db, [unit('D3', 'intermediate', 'R')]);
    await reparent(db, 'D3', 'D1', '2027-01-01'); // D3 under D1 from 2027
    const late = reparent(db, 'D1', 'D3', '2026-06-01');
    await expect(late).rejects.toBeInstanceOf(InvalidReparentError);
    await expect(late).rejects.toThrow(/2027-01-01/);
    expect(outline(await treeAsOf(db, 'R', '2026-12-31'))).toEqual(['R', '  D1', '    D2', '      G3', '    G1', '    G2', '  D3']);
  });

  it('asks for a date when an existing unit changes parent through upsertUnits', async () => {
    await upsertUnits(db, BASE);
    await expect(upsertUnits(db, [unit('G1', 'grassroots', 'D2')])).rejects.toBeInstanceOf(ParentChangeNeedsDateError);
    expect(await upsertUnits(db, [unit('G1', 'grassroots', 'D2', { parentEffectiveFrom: '2025-07-01' })])).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect((await getUnit(db, 'G1', '2025-07-01'))?.parentId).toBe('D2');
    expect((await getUnit(db, 'G1', '2025-06-30'))?.parentId).toBe('D1');
    // the same row again is no change
    expect(await upsertUnits(db, [unit('G1', 'grassroots', 'D2', { parentEffectiveFrom: '2025-07-01' })])).toEqual({ created: 0, updated: 0, unchanged: 1 });
  });

  it('keeps Vietnamese diacritics intact (NFC) through the database', async () => {
    const name = 'Công đoàn cơ sở Trường THPT Lý Thái Tổ – Từ Sơn, Bắc Ninh';
    await upsertUnits(db, [unit('R', 'root', null, { name, chair: { name: 'Đặng Thị Hồng Yến', email: 'yen@example.vn' } })]);
    const back = await getUnit(db, 'R', '2024-01-01');
    expect(back?.name).toBe(name);
    expect(back?.chair.name).toBe('Đặng Thị Hồng Yến');
    expect(back?.name.normalize('NFC')).toBe(back?.name);
  });
});
