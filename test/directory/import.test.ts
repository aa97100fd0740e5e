import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../activities/db/database';
import { DirectoryImportError, ImportFileError, ImportFormatError, formatRowError, type RowError } from '../../activities/directory/errors';
import { importUnits, importUnitsFromFile, type ImportProgress } from '../../activities/directory/import';
import { getUnit, treeAsOf } from '../../activities/directory/repository';
import { testDatabases, type TestDatabase } from '../db/databases';
import { outline } from './helpers';

const ROOT = join(__dirname, '..', '..');
const SAMPLE = (ext: string) => join(ROOT, 'examples', `province-units.${ext}`);
const BAD = join(ROOT, 'test', 'fixtures', 'units-bad.csv');
const HEADER = 'id,name,kind,parent_id,chair_name,chair_email,officer_name,officer_email,language,active_from,active_to,distribution,effective_from';

/** A CSV from rows written as `id,name,kind,parent` (contacts filled in) or as full lines. */
function csv(...rows: string[]): Uint8Array {
  const line = (r: string) => {
    const cols = r.split(',');
    if (cols.length > 4) return r;
    const [id, name, kind, parent] = cols;
    const slug = id!.toLowerCase();
    return `${id},${name},${kind},${parent ?? ''},Nguyễn Văn An,an.${slug}@example.vn,Trần Thị Bình,binh.${slug}@example.vn,vi,2020-01-01,,,`;
  };
  return Buffer.from([HEADER, ...rows.map(line)].join('\n') + '\n');
}

async function importErrors(run: Promise<unknown>): Promise<RowError[]> {
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DirectoryImportError);
  return (err as DirectoryImportError).errors;
}

const where = (errors: RowError[]) => errors.map((e) => `${e.line}:${e.field}`);

async function everyRow(db: Db) {
  return {
    units: await db.selectFrom('units').selectAll().orderBy('id').execute(),
    links: await db.selectFrom('unit_parents').selectAll().orderBy('unit_id').orderBy('valid_from').execute(),
  };
}

describe('unit import', () => {
  let t: TestDatabase;
  let db: Db;
  beforeEach(async () => {
    t = await testDatabases()[0]!.open(); // SQLite: the file formats are what is under test here
    db = t.db;
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('imports the sample province from CSV, XLSX and JSON to the same tree', async () => {
    const trees: unknown[] = [];
    for (const ext of ['csv', 'xlsx', 'json']) {
      const one = await testDatabases()[0]!.open();
      try {
        const result = await importUnitsFromFile(one.db, SAMPLE(ext));
        expect(result).toMatchObject({ format: ext, total: 73, created: 73, updated: 0, unchanged: 0 });
        const tree = await treeAsOf(one.db, 'LDLD-BN', '2024-06-01');
        trees.push(tree);
      } finally {
        await one.dispose();
      }
    }
    expect(trees[1]).toEqual(trees[0]);
    expect(trees[2]).toEqual(trees[0]);

    await importUnitsFromFile(db, SAMPLE('csv'));
    const tree = await treeAsOf(db, 'LDLD-BN', '2024-06-01');
    expect(tree[0]!.unit.name).toBe('Liên đoàn Lao động tỉnh Bắc Ninh');
    expect(tree[0]!.unit.distribution.map((c) => c.name)).toContain('Tổng Liên đoàn Lao động Việt Nam');
    expect(tree.filter((n) => n.depth === 1).every((n) => n.unit.kind === 'intermediate')).toBe(true);
    expect(tree.filter((n) => n.unit.kind === 'grassroots').length).toBeGreaterThanOrEqual(60);
    expect(tree.some((n) => n.unit.language === 'en')).toBe(true);
    expect(outline(tree)).toContain('  CD-KCN');
    // the union dissolved at the end of 2023 is in the directory but not in a 2024 tree
    expect(tree.some((n) => n.unit.id === 'CDCS-TS-006')).toBe(false);
    expect((await getUnit(db, 'CDCS-TS-006'))?.activeTo).toBe('2023-12-31');
  });

  it('re-imports the same file without duplicates, and updates a changed row', async () => {
    await importUnitsFromFile(db, SAMPLE('csv'));
    const before = await everyRow(db);
    expect(await importUnitsFromFile(db, SAMPLE('xlsx'))).toMatchObject({ created: 0, updated: 0, unchanged: 73 });
    expect(await everyRow(db)).toEqual(before);

    const changed = readFileSync(SAMPLE('csv'), 'utf8').replace('yendth.ldldbn@example.vn', 'tuyengiao@ldld-bacninh.example.vn');
    expect(await importUnits(db, { format: 'csv', data: Buffer.from(changed) })).toMatchObject({ created: 0, updated: 1, unchanged: 72 });
    expect((await getUnit(db, 'LDLD-BN'))?.officer.email).toBe('tuyengiao@ldld-bacninh.example.vn');
  });

  it('reports every bad row of a broken file, with line, field and both languages, and writes nothing', async () => {
    await importUnitsFromFile(db, SAMPLE('csv'));
    const before = await everyRow(db);
    const errors = await importErrors(importUnitsFromFile(db, BAD));
    expect(where(errors)).toEqual([
      '3:chair_email', // invalid email
      '4:kind', // unknown kind "district"
      '5:parent_id', // unknown parent
      '6:active_from', // 31/02/2024
      '8:id', // duplicate of line 6 (line 7 is blank)
      '9:parent_id', // a root with a parent
      '10:language', // fr
      '11:parent_id', // under a grassroots union
      '12:parent_id', // cycle
      '13:parent_id', // cycle
      '14:active_to', // before active_from
      '15:distribution', // entry without a valid email
      '16:name', // missing
      '16:officer_email', // missing
    ]);
    for (const e of errors) {
      expect(e.vi.length).toBeGreaterThan(5);
      expect(e.en.length).toBeGreaterThan(5);
      expect(e.vi).not.toBe(e.en);
    }
    expect(errors.find((e) => e.line === 8)?.en).toContain('line 6');
    expect(errors.find((e) => e.line === 12)?.vi).toMatch(/Vòng lặp.*CD-HD-A.*CD-HD-B/);
    expect(formatRowError(errors[0]!, 'csv')).toBe(
      'line 3, field chair_email: Email "cuong.le@example" không hợp lệ / Invalid email "cuong.le@example"',
    );
    expect(await everyRow(db)).toEqual(before);
  });

  it('refuses the unit id __proto__ (workflows key their children by id), in both languages', async () => {
    const good = readFileSync(SAMPLE('csv'), 'utf8');
    const lines = good.trimEnd().split('\n');
    const last = lines.length; // the file's line number of its last row
    const bad = [...lines.slice(0, -1), lines.at(-1)!.replace(/^CDCS-TD-006,/, '__proto__,')].join('\n') + '\n';
    const errors = await importErrors(importUnits(db, { format: 'csv', data: Buffer.from(bad) }));
    expect(where(errors)).toEqual([`${last}:id`]);
    expect(errors[0]!.en).toContain('not __proto__');
    expect(errors[0]!.vi).toContain('không dùng __proto__');
  });

  it('writes nothing when a single row of an otherwise good file is bad', async () => {
    const good = readFileSync(SAMPLE('csv'), 'utf8');
    const oneBad = good.replace('khanhbc.ldldbn@example.vn', 'khanhbc.ldldbn@@example.vn');
    const errors = await importErrors(importUnits(db, { format: 'csv', data: Buffer.from(oneBad) }));
    expect(where(errors)).toEqual(['2:chair_email']);
    expect(await everyRow(db)).toEqual({ units: [], links: [] });
  });

  it('detects cycles, unknown parents, duplicate ids and invalid emails', async () => {
    const cycle = await importErrors(
      importUnits(db, { format: 'csv', data: csv('R,Gốc,root', 'A,Cấp A,intermediate,C', 'B,Cấp B,intermediate,A', 'C,Cấp C,intermediate,B') }),
    );
    expect(where(cycle)).toEqual(['3:parent_id', '4:parent_id', '5:parent_id']);
    expect(cycle[0]!.en).toBe('Cycle in the unit tree: A → B → C → A');

    const unknown = await importErrors(importUnits(db, { format: 'csv', data: csv('R,Gốc,root', 'A,Cấp A,intermediate,LDLD-ZZ') }));
    expect(unknown).toEqual([expect.objectContaining({ line: 3, field: 'parent_id', en: 'Parent "LDLD-ZZ" is neither in the file nor in the directory' })]);

    const dup = await importErrors(importUnits(db, { format: 'csv', data: csv('R,Gốc,root', 'A,Cấp A,intermediate,R', 'A,Cấp A bis,intermediate,R') }));
    expect(dup).toEqual([expect.objectContaining({ line: 4, field: 'id', en: 'Duplicate unit id "A", first used on line 3' })]);

    const emails = await importErrors(
      importUnits(db, {
        format: 'csv',
        data: csv(
          'R,Gốc,root,,Nguyễn Văn An,an@example,Trần Thị Bình,binh at example.vn,vi,2020-01-01,,"Lưu VT <vt@example.vn>; Ban Tuyên giáo <btg@>",',
        ),
      }),
    );
    expect(where(emails)).toEqual(['2:chair_email', '2:officer_email', '2:distribution']);
    expect(emails[2]!.en).toContain('Ban Tuyên giáo <btg@>');
    expect(await everyRow(db)).toEqual({ units: [], links: [] });
  });

  it('checks parents against the directory: known parents, grassroots parents, changed parents', async () => {
    await importUnits(db, { format: 'csv', data: csv('R,Gốc,root', 'D,Huyện,intermediate,R', 'G,Cơ sở,grassroots,D') });
    // a later file may name parents that are only in the directory
    expect(await importUnits(db, { format: 'csv', data: csv('G2,Cơ sở 2,grassroots,D') })).toMatchObject({ created: 1 });

    const underLeaf = await importErrors(importUnits(db, { format: 'csv', data: csv('X,Tổ,grassroots,G') }));
    expect(underLeaf).toEqual([expect.objectContaining({ line: 2, field: 'parent_id', en: expect.stringContaining('grassroots') })]);

    const leafWithKids = await importErrors(importUnits(db, { format: 'csv', data: csv('D,Huyện,grassroots,R') }));
    expect(leafWithKids).toEqual([expect.objectContaining({ line: 2, field: 'kind', en: expect.stringContaining('G, G2') })]);

    const noDate = await importErrors(importUnits(db, { format: 'csv', data: csv('D2,Huyện 2,intermediate,R', 'G,Cơ sở,grassroots,D2') }));
    expect(noDate).toEqual([expect.objectContaining({ line: 3, field: 'effective_from', en: expect.stringContaining('effective_from') })]);

    const dated = csv('D2,Huyện 2,intermediate,R', 'G,Cơ sở,grassroots,D2,Nguyễn Văn An,an.g@example.vn,Trần Thị Bình,binh.g@example.vn,vi,2020-01-01,,,01/07/2025');
    expect(await importUnits(db, { format: 'csv', data: dated })).toMatchObject({ created: 1, updated: 1 });
    expect((await getUnit(db, 'G', '2025-06-30'))?.parentId).toBe('D');
    expect((await getUnit(db, 'G', '2025-07-01'))?.parentId).toBe('D2');
    expect(await importUnits(db, { format: 'csv', data: dated })).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  });

  it('rejects roots with parents, bad dates, unknown kinds and languages', async () => {
    const errors = await importErrors(
      importUnits(db, {
        format: 'csv',
        data: csv(
          'R,Gốc,root',
          'R2,Gốc 2,root,R',
          'A,Cấp A,huyện,R',
          'B,Cấp B,intermediate,R,Nguyễn Văn An,an@example.vn,Trần Thị Bình,binh@example.vn,de,2024-02-30,,,',
          'C,Cấp C,intermediate,R,Nguyễn Văn An,an@example.vn,Trần Thị Bình,binh@example.vn,vi,15/03/2021,2021-03-14,,2021-01-01',
          'D,Cấp D,intermediate,',
        ),
      }),
    );
    expect(where(errors)).toEqual([
      '3:parent_id',
      '4:kind',
      '5:language',
      '5:active_from',
      '6:active_to',
      '6:effective_from',
      '7:parent_id',
    ]);
    expect(errors[3]!.vi).toContain('2024-02-30');
  });

  it('reads Excel-style CSV: BOM, semicolons, blank lines, Vietnamese dates; refuses other encodings', async () => {
    const text = '\uFEFF' + HEADER.replaceAll(',', ';') + '\r\nR;Liên đoàn Lao động tỉnh Bắc Ninh;ROOT;;Nguyễn Văn An;An@Example.vn;Trần Thị Bình;binh@example.vn;;01/01/1990;;;\r\n\r\n';
    expect(await importUnits(db, { format: 'csv', data: Buffer.from(text) })).toMatchObject({ created: 1 });
    expect(await getUnit(db, 'R')).toMatchObject({ kind: 'root', language: 'vi', activeFrom: '1990-01-01', chair: { email: 'an@example.vn' } });

    const latin1 = Buffer.from(`${HEADER}\nX,C\xf4ng \xf0o\xe0n,root,,A,a@example.vn,B,b@example.vn,vi,2020-01-01,,,\n`, 'latin1');
    const errors = await importErrors(importUnits(db, { format: 'csv', data: latin1 }));
    expect(errors).toEqual([expect.objectContaining({ line: 1, field: '*', en: expect.stringContaining('UTF-8') })]);
  });

  it('reports file-shape problems: missing columns, misaligned rows, empty files', async () => {
    const missing = await importErrors(importUnits(db, { format: 'csv', data: Buffer.from('id,name,kind\nR,Gốc,root\n') }));
    expect(missing.every((e) => e.line === 1)).toBe(true);
    // active_from is optional (it defaults to the import day)
    expect(missing.map((e) => e.field)).toEqual(['parent_id', 'chair_name', 'chair_email', 'officer_name', 'officer_email']);
    expect(missing[1]).toMatchObject({
      vi: 'Thiếu cột "chair_name" (Họ tên chủ tịch): thêm cột này vào dòng tiêu đề (xem baocao units template)',
      en: 'Missing column "chair_name" (Họ tên chủ tịch): add it to the header row (see baocao units template)',
    });

    const shifted = await importErrors(
      importUnits(db, { format: 'csv', data: Buffer.from(`${HEADER}\nR,Công đoàn A, B,root,,N,n@example.vn,M,m@example.vn,vi,2020-01-01,,,,\n`) }),
    );
    expect(shifted).toEqual([expect.objectContaining({ line: 2, field: '*' })]);

    const empty = await importErrors(importUnits(db, { format: 'csv', data: Buffer.from(`${HEADER}\n`) }));
    expect(empty).toEqual([expect.objectContaining({ field: '*', en: 'The file has no units' })]);

    await expect(importUnitsFromFile(db, join(ROOT, 'examples', 'make-xlsx.ts'))).rejects.toBeInstanceOf(ImportFormatError);
    await expect(importUnitsFromFile(db, join(ROOT, 'examples', 'no-such-file.csv'))).rejects.toBeInstanceOf(ImportFileError);
  });

  it('reports JSON rows by array index', async () => {
    const items = JSON.parse(readFileSync(SAMPLE('json'), 'utf8')) as Record<string, unknown>[];
    items[2]!.chair_email = 'not-an-email';
    items[72] = 'oops' as unknown as Record<string, unknown>;
    const errors = await importErrors(importUnits(db, { format: 'json', data: Buffer.from(JSON.stringify(items)) }));
    expect(where(errors)).toEqual(['2:chair_email', '72:*']);
    expect(formatRowError(errors[0]!, 'json')).toMatch(/^index 2, field chair_email: .+ \/ Invalid email "not-an-email"$/);
    const notList = await importErrors(importUnits(db, { format: 'json', data: Buffer.from('{"units": 3}') }));
    expect(notList).toEqual([expect.objectContaining({ field: '*' })]);
  });

  it('reports XLSX rows by spreadsheet row, reading date and link cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Đơn vị');
    ws.addRow(HEADER.split(','));
    ws.addRow(['R', 'Liên đoàn Lao động tỉnh', 'root', null, 'Nguyễn Văn An', { text: 'an@example.vn', hyperlink: 'mailto:an@example.vn' }, 'Trần Thị Bình', 'binh@example.vn', 'vi', new Date(Date.UTC(2020, 0, 15))]);
    ws.addRow([]);
    ws.addRow(['G', 'Công đoàn cơ sở', 'grassroots', 'R', 'Lê Văn Cường', 'cuong@', 'Phạm Thị Dung', 'dung@example.vn', 'vi', '2020-01-01']);
    const data = new Uint8Array(await wb.xlsx.writeBuffer());
    const errors = await importErrors(importUnits(db, { format: 'xlsx', data }));
    expect(where(errors)).toEqual(['4:chair_email']);

    ws.getRow(4).getCell(6).value = 'cuong@example.vn';
    expect(await importUnits(db, { format: 'xlsx', data: new Uint8Array(await wb.xlsx.writeBuffer()) })).toMatchObject({ created: 2 });
    expect(await getUnit(db, 'R')).toMatchObject({ activeFrom: '2020-01-15', chair: { email: 'an@example.vn' } });
  });

  it('stores names in NFC whatever normalisation the file used', async () => {
    const nfc = 'Công đoàn cơ sở Trường THPT Lý Thái Tổ';
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    await importUnits(db, { format: 'csv', data: csv(`R,${nfd},root,,Đặng Thị Hồng Yến,yen@example.vn,Trần Thị Bình,binh@example.vn,vi,2020-01-01,,"${'Lưu VT'.normalize('NFD')} <vt@example.vn>",`) });
    const back = await getUnit(db, 'R');
    expect(back?.name).toBe(nfc);
    expect(back?.chair.name).toBe('Đặng Thị Hồng Yến'.normalize('NFC'));
    expect(back?.distribution).toEqual([{ name: 'Lưu VT', email: 'vt@example.vn' }]);
    // the same text in NFD is the same unit: no change on re-import
    expect(await importUnits(db, { format: 'csv', data: csv(`R,${nfc},root,,Đặng Thị Hồng Yến,yen@example.vn,Trần Thị Bình,binh@example.vn,vi,2020-01-01,,Lưu VT <vt@example.vn>,`) })).toMatchObject({ unchanged: 1 });
  });

  it('reports progress: rows read, units written and the file read, then the checks across units, then done', async () => {
    const seen: ImportProgress[] = [];
    await importUnitsFromFile(db, SAMPLE('csv'), { onProgress: (p) => seen.push(p) });
    // 73 rows: one batch, written before the checks across units; committed at `done`
    expect(seen).toEqual([
      { stage: 'checking', read: 73, written: 73, fraction: 1 },
      { stage: 'done', read: 73, written: 73, fraction: 1 },
    ]);
  });
});
