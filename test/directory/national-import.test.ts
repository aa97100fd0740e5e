// The import at a size where batches matter (5,000 rows: five batches) — the national shape, parents first or
// children first, a re-import, and a bad row near the end of the file rolling back every batch already written.
// The time and memory of 130,000 rows are measured by `npm run bench:import` (bench/README.md), not here.
import { afterEach, describe, expect, it } from 'vitest';
import { DirectoryImportError } from '../../activities/directory/errors';
import { importUnits, type ImportProgress } from '../../activities/directory/import';
import { treeAsOf } from '../../activities/directory/repository';
import { testDatabases, type TestDatabase } from '../db/databases';
import { nationalShape, nationalTree } from '../support/generated-units';
import { PLAIN_COLUMNS, plainCsvLine } from '../support/national-tree';

const UNITS = 5_000;
const AS_OF = '2027-01-15';

const sheet = (lines: string[]) => ({ format: 'csv' as const, data: Buffer.from(`${PLAIN_COLUMNS.join(',')}\n${lines.join('\n')}\n`) });

describe.each(testDatabases())('a 5,000-unit national directory on $name', (kind) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  const units = [...nationalTree(UNITS, 'TLD')];
  const lines = units.map(plainCsvLine);
  const shape = nationalShape(UNITS);

  async function expectTheWholeTree(db: TestDatabase['db']) {
    const tree = await treeAsOf(db, 'TLD', AS_OF);
    expect(tree).toHaveLength(UNITS);
    const perDepth = [0, 0, 0, 0];
    for (const n of tree) perDepth[n.depth]!++;
    expect(perDepth).toEqual([1, shape.provinces + shape.sectors, shape.upperLevel, shape.grassroots]);
    const parentOf = new Map(tree.map((n) => [n.unit.id, n.unit.parentId]));
    for (const u of units) expect(parentOf.get(u.id), u.id).toBe(u.parentId);
    const last = tree.find((n) => n.unit.id === units.at(-1)!.id)!;
    expect(last.unit).toMatchObject({ name: units.at(-1)!.name, officer: units.at(-1)!.officer, kind: 'grassroots' });
  }

  it('imports it in batches with progress, and a re-import changes nothing', { timeout: 120_000 }, async () => {
    t = await kind.open();
    const seen: ImportProgress[] = [];
    const result = await importUnits(t.db, sheet(lines), { onProgress: (p) => seen.push(p), activeFrom: '2020-01-01' });
    expect(result).toMatchObject({ format: 'csv', total: UNITS, created: UNITS, updated: 0, unchanged: 0 });
    // a line per batch of 1,000 rows while reading and writing, then the checks across units, then done
    expect(seen.filter((p) => p.stage === 'reading').map((p) => [p.read, p.written])).toEqual([
      [1000, 1000],
      [2000, 2000],
      [3000, 3000],
      [4000, 4000],
      [5000, 5000],
    ]);
    // the share of the file read (the progress bar): rising with the rows, at 1 with the last row
    const fractions = seen.filter((p) => p.stage === 'reading').map((p) => p.fraction);
    fractions.forEach((f, i) => {
      expect(f).toBeGreaterThan(i === 0 ? 0 : fractions[i - 1]!);
      expect(f).toBeLessThanOrEqual(1);
      expect(Math.abs(f - ((i + 1) * 1000) / UNITS)).toBeLessThan(0.05); // rows of about the same length
    });
    expect(seen.slice(-2)).toEqual([
      { stage: 'checking', read: UNITS, written: UNITS, fraction: 1 },
      { stage: 'done', read: UNITS, written: UNITS, fraction: 1 },
    ]);
    await expectTheWholeTree(t.db);
    expect(await importUnits(t.db, sheet(lines), { activeFrom: '2020-01-01' })).toMatchObject({ created: 0, updated: 0, unchanged: UNITS });
  });

  it('takes children before their parents (links written once every unit is)', { timeout: 120_000 }, async () => {
    t = await kind.open();
    const result = await importUnits(t.db, sheet([...lines].reverse()), { activeFrom: '2020-01-01' });
    expect(result).toMatchObject({ created: UNITS });
    await expectTheWholeTree(t.db);
  });

  it('reports bad rows near the end of the file and rolls back every batch already written', { timeout: 120_000 }, async () => {
    t = await kind.open();
    const bad = [...lines];
    bad[4_990] = plainCsvLine({ ...units[4_990]!, parentId: 'CDCT-9999' }); // no such unit
    bad.push(plainCsvLine({ ...units[17]!, name: 'Công đoàn trùng mã' })); // the id of line 19 again
    const err = await importUnits(t.db, sheet(bad), { activeFrom: '2020-01-01' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DirectoryImportError);
    const errors = (err as DirectoryImportError).errors;
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [4_992, 'parent_id'],
      [5_002, 'id'],
    ]);
    expect(errors[0]!.en).toMatch(/CDCT-9999/);
    expect(errors[1]!.vi).toMatch(/dòng 19/);
    expect(Number((await t.db.selectFrom('units').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(0);
    expect(Number((await t.db.selectFrom('unit_parents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(0);
  });
});
