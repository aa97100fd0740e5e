// The cycle workbook read back with exceljs: one row per unit in tree order, bilingual headers, frozen panes,
// auto-filter, states/dates/late flags, figures, the totals row and the commendations sheet.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnknownCycleError } from '../../activities/archive/errors';
import { buildCycleWorkbook, HEADER_ROWS, TOTAL_LABEL, WORKBOOK_COLUMNS, WORKBOOK_SHEETS, YES } from '../../activities/documents/cycle-workbook';
import { FIGURE_KEYS } from '../../workflows/report';
import { testDatabases, type TestDatabase } from '../db/databases';
import { buildArchive, CYCLE, FIGURES, NAMES, NFD_UNIT, type FixtureUnit } from './fixture';

const TREE_ORDER: FixtureUnit[] = ['LDLD-HN', 'LDLD-GL', 'LDLD-LB', 'CD-KCQ', 'CDCS-BD', 'CDCS-PGD', 'CDCS-BV', 'CDCS-DG', 'CDCS-NT'];

describe.each(testDatabases())('cycle workbook on $name', (kind) => {
  let t: TestDatabase;
  let wb: ExcelJS.Workbook;
  let ws: ExcelJS.Worksheet;
  const col = (key: string) => WORKBOOK_COLUMNS.findIndex((c) => c.key === key) + 1;
  const rowOf = (id: string) => {
    const n = HEADER_ROWS + 1 + TREE_ORDER.indexOf(id as FixtureUnit);
    return (key: string) => ws.getRow(n).getCell(col(key)).value;
  };

  beforeAll(async () => {
    t = await kind.open();
    await buildArchive(t.db);
    wb = new ExcelJS.Workbook();
    const bytes = await buildCycleWorkbook(t.db, CYCLE);
    await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    ws = wb.getWorksheet(WORKBOOK_SHEETS.units)!;
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('has a Vietnamese and an English header row, frozen, with the auto-filter on the data', () => {
    expect(ws.getRow(1).getCell(col('name')).value).toBe('Tên đơn vị');
    expect(ws.getRow(2).getCell(col('name')).value).toBe('Name');
    expect(ws.getRow(1).getCell(col('participants')).value).toBe('Số lượt người tham gia');
    expect(ws.getRow(2).getCell(col('reportLate')).value).toBe('Report: late');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: HEADER_ROWS, xSplit: 2 });
    const lastCol = ws.getColumn(WORKBOOK_COLUMNS.length).letter;
    expect(ws.autoFilter).toBe(`A${HEADER_ROWS}:${lastCol}${HEADER_ROWS + TREE_ORDER.length}`);
  });

  it('has one row per unit of the frozen tree, depth first, with NFC names, kinds, parents and depths', () => {
    const ids = TREE_ORDER.map((_, i) => ws.getRow(HEADER_ROWS + 1 + i).getCell(col('id')).value);
    expect(ids).toEqual(TREE_ORDER);
    for (const id of TREE_ORDER) expect(rowOf(id)('name')).toBe(NAMES[id]);
    expect(rowOf(NFD_UNIT)('name')).not.toBe(NAMES[NFD_UNIT].normalize('NFD'));
    expect([rowOf('CDCS-BD')('kind'), rowOf('CDCS-BD')('parent'), rowOf('CDCS-BD')('depth')]).toEqual(['Công đoàn cơ sở', 'CD-KCQ', 3]);
    expect([rowOf('LDLD-HN')('kind'), rowOf('LDLD-HN')('parent'), rowOf('LDLD-HN')('depth')]).toEqual(['Cấp gốc', '', 0]);
    expect(ws.getRow(HEADER_ROWS + 1 + TREE_ORDER.indexOf('CDCS-BD')).getCell(col('name')).alignment?.indent).toBe(3);
  });

  it('shows each phase’s state, local submission time and late flag', () => {
    const nt = rowOf('CDCS-NT');
    expect([nt('planState'), nt('planLate'), nt('reportState'), nt('reportLate')]).toEqual(['Đã chấp nhận (v1)', YES, 'Chờ xem xét (v2)', YES]);
    // 03:00 UTC is 10:00 in Hà Nội: the cell holds the local wall-clock time
    expect((nt('reportAt') as Date).toISOString()).toBe('2027-12-05T10:00:00.000Z');
    expect(ws.getColumn(col('reportAt')).numFmt).toBe('dd/mm/yyyy hh:mm');
    expect((rowOf('CDCS-BD')('reportAt') as Date).toISOString()).toBe('2027-12-10T16:30:00.000Z'); // stored as +07:00
    const bv = rowOf('CDCS-BV');
    expect([bv('planState'), bv('reportState'), bv('reportAt'), bv('reportLate'), bv('participants')]).toEqual(['Quá hạn', 'Quá hạn', null, '', null]);
    expect(rowOf('CDCS-DG')('reportState')).toBe('Đã chấp nhận (v1)');
  });

  it('has each unit’s own figures and commendation count, and a totals row that adds them up', () => {
    for (const id of TREE_ORDER) {
      const r = rowOf(id);
      const f = id === 'CDCS-PGD' ? { studyClasses: 100, participants: 100, exemplaryModels: 100, exemplaryPeople: 100 } : FIGURES[id];
      expect(FIGURE_KEYS.map((k) => r(k))).toEqual(FIGURE_KEYS.map((k) => (f ? f[k] : null)));
    }
    expect(rowOf('CDCS-DG')('commendations')).toBe(2);
    const total = ws.getRow(HEADER_ROWS + TREE_ORDER.length + 1);
    expect(total.getCell(col('name')).value).toBe(TOTAL_LABEL);
    expect(total.getCell(col('planState')).value).toBe('7/9 đã nộp');
    expect(total.getCell(col('reportState')).value).toBe('6/9 đã nộp');
    for (const key of [...FIGURE_KEYS, 'commendations']) {
      const letter = ws.getColumn(col(key)).letter;
      const cell = total.getCell(col(key)).value as { formula: string; result: number };
      const sum = TREE_ORDER.reduce((acc, id) => acc + Number(rowOf(id)(key) ?? 0), 0);
      expect(cell).toEqual({ formula: `SUBTOTAL(109,${letter}${HEADER_ROWS + 1}:${letter}${HEADER_ROWS + TREE_ORDER.length})`, result: sum });
    }
    expect((total.getCell(col('participants')).value as { result: number }).result).toBe(1625);
  });

  it('lists the commendation proposals with the proposing unit on their own sheet', () => {
    const cs = wb.getWorksheet(WORKBOOK_SHEETS.commendations)!;
    const rows = [];
    for (let n = HEADER_ROWS + 1; n <= cs.rowCount; n++) rows.push((cs.getRow(n).values as unknown[]).slice(1));
    expect(rows).toEqual([
      ['LDLD-LB', NAMES['LDLD-LB'], 'Cá nhân', 'Đặng Quốc Việt', 'Cán bộ công đoàn tiêu biểu'],
      ['CDCS-DG', NAMES['CDCS-DG'], 'Tập thể', 'Tổ may số 3, Xí nghiệp may Đức Giang', 'Dẫn đầu phong trào thi đua lao động giỏi'],
      ['CDCS-DG', NAMES['CDCS-DG'], 'Cá nhân', 'Nguyễn Thị Ngọc Ánh', 'Gương điển hình làm theo Bác'],
    ]);
  });

  it('says which cycle is unknown', async () => {
    await expect(buildCycleWorkbook(t.db, 'cycle-2026-LDLD-HN')).rejects.toBeInstanceOf(UnknownCycleError);
  });
});
