// The cycle workbook counts each unit's attached files per phase: those of the phase's latest version that
// carried any (a resubmission with new files replaces the count; one without keeps the earlier version's).
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCycleWorkbook, HEADER_ROWS, WORKBOOK_COLUMNS, WORKBOOK_SHEETS } from '../../activities/documents/cycle-workbook';
import { insertFile, markAttached } from '../../activities/files/repository';
import { testDatabases, type TestDatabase } from '../db/databases';
import { buildArchive, CYCLE, type FixtureUnit } from './fixture';

const TREE_ORDER: FixtureUnit[] = ['LDLD-HN', 'LDLD-GL', 'LDLD-LB', 'CD-KCQ', 'CDCS-BD', 'CDCS-PGD', 'CDCS-BV', 'CDCS-DG', 'CDCS-NT'];
let n = 0;

async function attached(db: TestDatabase['db'], unitId: string, phase: 'plan' | 'report', version: number, name: string) {
  const id = `file-${String(++n).padStart(17, '0')}`;
  await insertFile(db, {
    id,
    sha256: 'a'.repeat(63) + String(n % 10),
    size: 1000,
    mediaType: 'application/pdf',
    name,
    ownerKind: 'submission',
    cycleId: CYCLE,
    unitId,
    phase,
    campaignId: null,
    uploadedBy: unitId,
    uploadedAt: `2027-12-0${version}T01:00:00.000Z`,
  });
  await markAttached(db, [id], version, `2027-12-0${version}T02:00:00.000Z`);
}

describe.each(testDatabases())('the workbook’s file counts on $name', (kind) => {
  let t: TestDatabase;
  let ws: ExcelJS.Worksheet;
  const col = (key: string) => WORKBOOK_COLUMNS.findIndex((c) => c.key === key) + 1;
  const cell = (id: FixtureUnit, key: string) => ws.getRow(HEADER_ROWS + 1 + TREE_ORDER.indexOf(id)).getCell(col(key)).value;

  beforeAll(async () => {
    t = await kind.open();
    await buildArchive(t.db);
    await attached(t.db, 'CDCS-NT', 'report', 1, 'Báo cáo – bản ký lần 1.pdf');
    await attached(t.db, 'CDCS-NT', 'report', 2, 'Báo cáo – bản ký lần 2.pdf');
    await attached(t.db, 'CDCS-NT', 'report', 2, 'Phụ lục số liệu.pdf');
    await attached(t.db, 'CDCS-NT', 'plan', 1, 'Kế hoạch – bản ký.pdf');
    // an upload never submitted is not counted
    await insertFile(t.db, { id: 'pending-0000000000000x', sha256: 'b'.repeat(64), size: 5, mediaType: 'application/pdf', name: 'nháp.pdf', ownerKind: 'submission', cycleId: CYCLE, unitId: 'CDCS-DG', phase: 'report', campaignId: null, uploadedBy: 'CDCS-DG', uploadedAt: '2027-12-01T00:00:00.000Z' });
    const wb = new ExcelJS.Workbook();
    const bytes = await buildCycleWorkbook(t.db, CYCLE);
    await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    ws = wb.getWorksheet(WORKBOOK_SHEETS.units)!;
  });
  afterAll(async () => t.dispose());

  it('has a bilingual header for each phase’s file count', () => {
    expect(ws.getRow(1).getCell(col('reportFiles')).value).toBe('Báo cáo: số tệp đính kèm');
    expect(ws.getRow(2).getCell(col('planFiles')).value).toBe('Plan: attached files');
  });

  it('counts the latest version’s files, 0 for a submission without files, nothing where nothing was submitted', () => {
    expect([cell('CDCS-NT', 'planFiles'), cell('CDCS-NT', 'reportFiles')]).toEqual([1, 2]);
    expect(cell('CDCS-DG', 'reportFiles')).toBe(0);
    expect(cell('CDCS-BV', 'reportFiles')).toBe(null);
    const total = ws.getRow(HEADER_ROWS + TREE_ORDER.length + 1);
    expect((total.getCell(col('reportFiles')).value as { result: number }).result).toBe(2);
    expect((total.getCell(col('planFiles')).value as { result: number }).result).toBe(1);
  });
});
