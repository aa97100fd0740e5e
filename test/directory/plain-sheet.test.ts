// A secretariat's own sheet: only the eight columns it has (id … officer_email), English or Vietnamese headers,
// CSV or XLSX; and the XLSX template with both header rows, filled in and imported back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../activities/db/database';
import { COLUMN_LABELS, columnOfHeader, REQUIRED_COLUMNS, stripDiacritics, UNIT_COLUMNS } from '../../activities/directory/columns';
import { todayLocal } from '../../activities/directory/dates';
import { DirectoryImportError, type RowError } from '../../activities/directory/errors';
import { importUnits, importUnitsFromFile } from '../../activities/directory/import';
import { getUnit, treeAsOf } from '../../activities/directory/repository';
import { buildUnitTemplate, TEMPLATE_SHEET } from '../../activities/directory/template';
import { testDatabases, type TestDatabase } from '../db/databases';
import { outline } from './helpers';

const ROOT = join(__dirname, '..', '..');
const PLAIN_CSV = join(ROOT, 'examples', 'plain-units.csv');
const PLAIN_HEADER = REQUIRED_COLUMNS.join(',');
const VI_HEADER = 'Mã đơn vị,Tên đơn vị,Loại,Cấp trên,Họ tên chủ tịch,Email chủ tịch,Họ tên cán bộ phụ trách,Email cán bộ phụ trách';

const person = (id: string) => `Nguyễn Văn An,an.${id.toLowerCase()}@example.vn,Trần Thị Bình,binh.${id.toLowerCase()}@example.vn`;
const plainRows = (...rows: [string, string, string, string][]) => rows.map(([id, name, kind, parent]) => `${id},${name},${kind},${parent},${person(id)}`);
const TREE = plainRows(['R', 'Liên đoàn Lao động tỉnh', 'root', ''], ['I', 'Liên đoàn Lao động huyện', 'intermediate', 'R'], ['G', 'Công đoàn cơ sở Đức Giang', 'grassroots', 'I']);

async function importErrors(run: Promise<unknown>): Promise<RowError[]> {
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DirectoryImportError);
  return (err as DirectoryImportError).errors;
}

/** A workbook whose first sheet has these rows, as bytes. */
async function xlsx(rows: string[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Đơn vị');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe.each(testDatabases())('the plain sheet ($name)', ({ open }) => {
  let t: TestDatabase;
  let db: Db;
  beforeEach(async () => {
    t = await open();
    db = t.db;
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('imports the sample plain CSV: active_from is the import day (Asia/Ho_Chi_Minh), language vi, and both are reported', async () => {
    const before = todayLocal();
    const result = await importUnitsFromFile(db, PLAIN_CSV);
    const after = todayLocal();
    const day = result.defaults[0]?.value;
    expect([before, after]).toContain(day);
    expect(result).toMatchObject({ format: 'csv', total: 72, created: 72, updated: 0, unchanged: 0 });
    expect(result.defaults).toEqual([
      {
        column: 'active_from',
        value: day,
        source: 'import-day',
        units: 72,
        vi: `active_from (Hiệu lực từ) = ${day}, ngày nhập lần đầu (72 đơn vị)`,
        en: `active_from = ${day}, the day the units are first imported (72 units)`,
      },
      { column: 'language', value: 'vi', source: 'default', units: 72, vi: 'language (Ngôn ngữ) = vi, mặc định (72 đơn vị)', en: 'language = vi, the default (72 units)' },
    ]);
    const root = await getUnit(db, 'LDLD-BN', day!);
    expect(root).toMatchObject({ name: 'Liên đoàn Lao động tỉnh Bắc Ninh', activeFrom: day, activeTo: null, language: 'vi', distribution: [] });
    expect(await treeAsOf(db, 'LDLD-BN', day!)).toHaveLength(72);
  });

  it('keeps the first import day on later imports, and dates only the new units', async () => {
    await importUnits(db, { format: 'csv', data: Buffer.from([PLAIN_HEADER, ...TREE].join('\n')) }, { activeFrom: '2026-03-01' });
    const again = await importUnits(
      db,
      { format: 'csv', data: Buffer.from([PLAIN_HEADER, ...TREE, ...plainRows(['G2', 'Công đoàn cơ sở mới', 'grassroots', 'I'])].join('\n')) },
      { activeFrom: '2026-09-01' },
    );
    expect(again).toMatchObject({ total: 4, created: 1, updated: 0, unchanged: 3 });
    expect(again.defaults.map(({ column, value, source, units }) => ({ column, value, source, units }))).toEqual([
      { column: 'active_from', value: '2026-09-01', source: 'configured', units: 1 },
      { column: 'active_from', value: null, source: 'directory', units: 3 },
      { column: 'language', value: 'vi', source: 'default', units: 4 },
    ]);
    expect((await getUnit(db, 'G', '2026-09-01'))?.activeFrom).toBe('2026-03-01');
    expect((await getUnit(db, 'G2', '2026-09-01'))?.activeFrom).toBe('2026-09-01');
    expect(outline(await treeAsOf(db, 'R', '2026-08-31'))).toEqual(['R', '  I', '    G']);
    expect(outline(await treeAsOf(db, 'R', '2026-09-01'))).toEqual(['R', '  I', '    G', '    G2']);
  });

  it('imports the plain sheet as XLSX, and reports no default for values the sheet gives', async () => {
    const rows = [PLAIN_HEADER, ...TREE].map((l) => l.split(','));
    rows[0]!.push('active_from', 'language');
    rows.slice(1).forEach((r) => r.push('01/02/2025', 'en'));
    const result = await importUnits(db, { format: 'xlsx', data: await xlsx(rows) });
    expect(result).toMatchObject({ format: 'xlsx', created: 3, defaults: [] });
    expect(await getUnit(db, 'G', '2025-02-01')).toMatchObject({ activeFrom: '2025-02-01', language: 'en', parentId: 'I' });

    const plain = await importUnits(db, { format: 'xlsx', data: await xlsx([PLAIN_HEADER, ...TREE].map((l) => l.split(','))) }, { activeFrom: '2030-01-01' });
    expect(plain.defaults.map((d) => `${d.column}:${d.source}:${d.units}`)).toEqual(['active_from:directory:3', 'language:default:3']);
    expect(plain).toMatchObject({ unchanged: 0, updated: 3 }); // language goes back to its default, vi
  });

  it('accepts Vietnamese headers and kinds, with or without diacritics, in any case and Unicode form', async () => {
    const nfd = VI_HEADER.toUpperCase().normalize('NFD');
    const rows = plainRows(['R', 'Liên đoàn Lao động tỉnh', 'Gốc', ''], ['I', 'LĐLĐ huyện', 'cấp trên cơ sở', 'R'], ['G', 'CĐCS Đức Giang', 'Công đoàn cơ sở', 'I']);
    const result = await importUnits(db, { format: 'csv', data: Buffer.from([`${nfd},Hiệu lực từ`, ...rows.map((r) => `${r},15/01/2026`)].join('\n')) });
    expect(result).toMatchObject({ created: 3, defaults: [expect.objectContaining({ column: 'language' })] });
    expect(await getUnit(db, 'G', '2026-01-15')).toMatchObject({ kind: 'grassroots', parentId: 'I', activeFrom: '2026-01-15', chair: { name: 'Nguyễn Văn An' } });
    expect((await getUnit(db, 'I', '2026-01-15'))?.kind).toBe('intermediate');

    const plain = stripDiacritics(VI_HEADER).toLowerCase(); // "Ma don vi,Ten don vi,…"
    const again = await importUnits(db, { format: 'csv', data: Buffer.from([`${plain},hieu luc tu`, ...rows.map((r) => `${r},2026-01-15`)].join('\n')) });
    expect(again).toMatchObject({ unchanged: 3 });

    const missing = await importErrors(importUnits(db, { format: 'csv', data: Buffer.from('Mã đơn vị,Tên đơn vị,Loại,Cấp trên,Email chủ tịch\nR,Gốc,root,,a@example.vn\n') }));
    expect(missing.map((e) => e.field)).toEqual(['chair_name', 'officer_name', 'officer_email']);
    expect(missing[0]!.vi).toContain('(Họ tên chủ tịch)');
  });

  it('reports bad rows of a Vietnamese sheet by line and field, in Vietnamese and English', async () => {
    const data = Buffer.from([VI_HEADER, ...TREE.slice(0, 2), 'G,CĐCS,cơ sở,I,Nguyễn Văn An,khong-phai-email,Trần Thị Bình,b@example.vn'].join('\n'));
    const errors = await importErrors(importUnits(db, { format: 'csv', data }));
    expect(errors).toEqual([{ line: 4, field: 'chair_email', vi: 'Email "khong-phai-email" không hợp lệ', en: 'Invalid email "khong-phai-email"' }]);
    expect(await db.selectFrom('units').selectAll().execute()).toEqual([]);
  });
});

describe('the XLSX template', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await testDatabases()[0]!.open();
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('has the Vietnamese header row above the English one, and a guide sheet', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await buildUnitTemplate()) as unknown as ExcelJS.Buffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.name).toBe(TEMPLATE_SHEET);
    const row = (n: number) => UNIT_COLUMNS.map((_, i) => sheet.getRow(n).getCell(i + 1).value);
    expect(row(1)).toEqual(UNIT_COLUMNS.map((c) => COLUMN_LABELS[c].vi));
    expect(row(1).slice(0, 8)).toEqual(VI_HEADER.split(','));
    expect(row(2)).toEqual([...UNIT_COLUMNS]);
    expect(sheet.actualRowCount).toBe(2);
    expect(wb.worksheets[1]!.getRow(2).values).toEqual(expect.arrayContaining(['Mã đơn vị', 'id', 'có / yes']));
  });

  it('imports back once filled in (rows from 3, the second header row skipped), lines counted as in Excel', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await buildUnitTemplate()) as unknown as ExcelJS.Buffer);
    const sheet = wb.getWorksheet(TEMPLATE_SHEET)!;
    const fill = (rowNumber: number, cells: string[]) => cells.forEach((v, i) => (sheet.getRow(rowNumber).getCell(i + 1).value = v || null));
    TREE.forEach((line, i) => fill(3 + i, line.split(',')));
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const result = await importUnits(t.db, { format: 'xlsx', data: filled }, { activeFrom: '2027-01-01' });
    expect(result).toMatchObject({ format: 'xlsx', total: 3, created: 3, defaults: [expect.objectContaining({ column: 'active_from', value: '2027-01-01' }), expect.anything()] });
    expect(outline(await treeAsOf(t.db, 'R', '2027-01-01'))).toEqual(['R', '  I', '    G']);
    expect((await getUnit(t.db, 'G', '2027-01-01'))?.name).toBe('Công đoàn cơ sở Đức Giang');

    fill(4, ['I', '', 'intermediate', 'R', ...person('I').split(',')]);
    const errors = await importErrors(importUnits(t.db, { format: 'xlsx', data: Buffer.from(await wb.xlsx.writeBuffer()) }));
    expect(errors).toEqual([{ line: 4, field: 'name', vi: 'Thiếu giá trị bắt buộc', en: 'A value is required' }]);

    const empty = await importErrors(importUnits(t.db, { format: 'xlsx', data: await buildUnitTemplate() }));
    expect(empty).toEqual([expect.objectContaining({ field: '*', en: 'The file has no units' })]);
  });

  it('keeps every header label distinct, also without diacritics', () => {
    for (const c of UNIT_COLUMNS) {
      for (const label of [COLUMN_LABELS[c].vi, ...COLUMN_LABELS[c].viAlso]) {
        expect(columnOfHeader(label)).toBe(c);
        expect(columnOfHeader(stripDiacritics(label).toUpperCase())).toBe(c);
        expect(columnOfHeader(` ${label.normalize('NFD')} `)).toBe(c);
      }
      expect(columnOfHeader(c)).toBe(c);
    }
    expect(columnOfHeader('Ghi chú')).toBe('ghi_chú'); // not a column: ignored
  });

  it('reads the sample filled-in template in examples/ to the same units as the plain CSV', async () => {
    const fromXlsx = await importUnitsFromFile(t.db, join(ROOT, 'examples', 'plain-units-vi.xlsx'), { activeFrom: '2027-01-01' });
    const fromCsv = await importUnits(t.db, { format: 'csv', data: readFileSync(PLAIN_CSV) }, { activeFrom: '2027-01-01' });
    expect(fromXlsx).toMatchObject({ total: 72, created: 72 });
    expect(fromCsv).toMatchObject({ total: 72, unchanged: 72 });
  });
});
