// A cycle's figures as an Excel workbook, from the archive alone: one row per unit of the frozen tree (depth
// first), bilingual header rows, frozen panes, an auto-filter and a totals row whose SUBTOTAL formulas follow the
// filter; a second sheet lists the commendation proposals.
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { FIGURE_KEYS, PHASES, type Phase } from '../../workflows/report';
import { archivedUnits, cycleHeader, type ArchivedPhase } from '../archive/status';
import { TIME_ZONE } from '../calendar/constants';
import type { Db } from '../db/database';
import { cycleSubtreeIds, getUnits } from '../directory/repository';
import { finalFilesOfCycle } from '../files/submitted-files';
import { COMMENDATION_KIND_LABELS, FIGURE_LABELS, PHASE_LABELS, REVIEW_LABELS, STANDING_LABELS, UNIT_KIND_LABELS, type Bilingual } from './labels';
import { nfc } from './vietnamese';

export const WORKBOOK_SHEETS = { units: 'Số liệu', commendations: 'Khen thưởng' } as const;
/** Rows 1–2 are the Vietnamese and English headers; data starts on row 3. */
export const HEADER_ROWS = 2;
export const YES = 'Có';
export const TOTAL_LABEL = 'Tổng cộng / Total';
const DATE_FORMAT = 'dd/mm/yyyy hh:mm';
const COUNT_FORMAT = '#,##0';

interface Column {
  key: string;
  header: Bilingual;
  width: number;
}

const phaseColumns = (phase: Phase): Column[] => [
  { key: `${phase}State`, header: { vi: `${PHASE_LABELS[phase].vi}: trạng thái`, en: `${PHASE_LABELS[phase].en}: state` }, width: 16 },
  { key: `${phase}At`, header: { vi: `${PHASE_LABELS[phase].vi}: ngày nộp`, en: `${PHASE_LABELS[phase].en}: submitted at` }, width: 17 },
  { key: `${phase}Late`, header: { vi: `${PHASE_LABELS[phase].vi}: muộn`, en: `${PHASE_LABELS[phase].en}: late` }, width: 10 },
  // the files of the phase's latest version that carried any (activities/files/submitted-files.ts)
  { key: `${phase}Files`, header: { vi: `${PHASE_LABELS[phase].vi}: số tệp đính kèm`, en: `${PHASE_LABELS[phase].en}: attached files` }, width: 12 },
];

export const WORKBOOK_COLUMNS: readonly Column[] = [
  { key: 'id', header: { vi: 'Mã đơn vị', en: 'Unit id' }, width: 16 },
  { key: 'name', header: { vi: 'Tên đơn vị', en: 'Name' }, width: 48 },
  { key: 'kind', header: { vi: 'Loại đơn vị', en: 'Kind' }, width: 22 },
  { key: 'parent', header: { vi: 'Mã đơn vị cấp trên', en: 'Parent id' }, width: 16 },
  { key: 'depth', header: { vi: 'Cấp', en: 'Depth' }, width: 7 },
  ...PHASES.flatMap(phaseColumns),
  ...FIGURE_KEYS.map((k) => ({ key: k, header: FIGURE_LABELS[k], width: 14 })),
  { key: 'commendations', header: { vi: 'Số đề nghị khen thưởng', en: 'Commendation proposals' }, width: 14 },
];

/** Excel has no time zones: write the local wall-clock time of Asia/Ho_Chi_Minh as the cell's value. */
function localCellDate(instant: string): Date {
  const d = DateTime.fromISO(instant, { setZone: true }).setZone(TIME_ZONE);
  return new Date(Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second));
}

function stateText(p: ArchivedPhase): string {
  if (!p.submission) return STANDING_LABELS[p.standing].vi;
  return `${REVIEW_LABELS[p.submission.review].vi} (v${p.submission.version})`;
}

function styleHeader(row: ExcelJS.Row, italic: boolean) {
  row.font = { bold: !italic, italic, name: 'Times New Roman', size: 11 };
  row.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  row.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7EEF7' } };
    c.border = { bottom: { style: 'thin' } };
  });
}

/** The workbook of a cycle's figures (xlsx bytes). Throws `UnknownCycleError` when the cycle is not archived. */
export async function buildCycleWorkbook(db: Db, cycleId: string): Promise<Buffer> {
  const header = await cycleHeader(db, cycleId);
  const order = await cycleSubtreeIds(db, { cycleId, unitId: header.rootUnitId });
  const { units, reports } = await archivedUnits(db, cycleId, 'all');
  const byId = new Map(units.map((u) => [u.unitId, u]));
  const names = new Map((await getUnits(db, order, header.treeAsOf)).map((u) => [u.id, nfc(u.name)]));
  const files = await finalFilesOfCycle(db, cycleId);

  const wb = new ExcelJS.Workbook();
  wb.creator = 'baocao';
  wb.title = `Số liệu chu kỳ ${cycleId}`;
  wb.subject = cycleId;
  const ws = wb.addWorksheet(WORKBOOK_SHEETS.units, { views: [{ state: 'frozen', xSplit: 2, ySplit: HEADER_ROWS }] });
  ws.columns = WORKBOOK_COLUMNS.map((c) => ({ key: c.key, width: c.width }));
  styleHeader(ws.addRow(WORKBOOK_COLUMNS.map((c) => c.header.vi)), false);
  styleHeader(ws.addRow(WORKBOOK_COLUMNS.map((c) => c.header.en)), true);
  ws.getRow(1).height = 32;

  const col = (key: string) => WORKBOOK_COLUMNS.findIndex((c) => c.key === key) + 1;
  const submitted: Record<Phase, number> = { plan: 0, report: 0 };
  for (const id of order) {
    const u = byId.get(id);
    if (!u) continue;
    const report = reports.get(id);
    const values: Record<string, ExcelJS.CellValue> = {
      id,
      name: names.get(id) ?? id,
      kind: UNIT_KIND_LABELS[u.kind].vi,
      parent: u.parentId ?? '',
      depth: u.depth,
      commendations: report ? report.commendations.length : null,
    };
    for (const phase of PHASES) {
      const p = u[phase];
      values[`${phase}State`] = stateText(p);
      values[`${phase}At`] = p.submission ? localCellDate(p.submission.submittedAt) : null;
      values[`${phase}Late`] = p.submission?.late ? YES : '';
      values[`${phase}Files`] = p.submission ? (files.get(id)?.[phase]?.files.length ?? 0) : null;
      if (p.submission) submitted[phase] += 1;
    }
    for (const k of FIGURE_KEYS) values[k] = report ? report.figures[k] : null;
    const row = ws.addRow(values);
    row.getCell(col('name')).alignment = { indent: Math.min(u.depth, 15) };
  }
  const first = HEADER_ROWS + 1;
  const last = ws.rowCount;
  for (const phase of PHASES) ws.getColumn(col(`${phase}At`)).numFmt = DATE_FORMAT;
  for (const k of [...FIGURE_KEYS, 'commendations', ...PHASES.map((p) => `${p}Files`)]) ws.getColumn(col(k)).numFmt = COUNT_FORMAT;

  // SUBTOTAL(109, …) sums only the rows the filter shows; the cached result is the unfiltered sum
  const totals: Record<string, ExcelJS.CellValue> = { name: TOTAL_LABEL };
  for (const phase of PHASES) {
    totals[`${phase}State`] = `${submitted[phase]}/${order.length} đã nộp`;
    const letter = ws.getColumn(col(`${phase}Files`)).letter;
    const sum = order.reduce((acc, id) => acc + (files.get(id)?.[phase]?.files.length ?? 0), 0);
    totals[`${phase}Files`] = { formula: `SUBTOTAL(109,${letter}${first}:${letter}${Math.max(first, last)})`, result: sum };
  }
  for (const k of [...FIGURE_KEYS, 'commendations'] as const) {
    const letter = ws.getColumn(col(k)).letter;
    const sum = order.reduce((acc, id) => acc + (k === 'commendations' ? (reports.get(id)?.commendations.length ?? 0) : (reports.get(id)?.figures[k] ?? 0)), 0);
    totals[k] = { formula: `SUBTOTAL(109,${letter}${first}:${letter}${Math.max(first, last)})`, result: sum };
  }
  const totalRow = ws.addRow(totals);
  totalRow.font = { bold: true };
  totalRow.eachCell((c) => (c.border = { top: { style: 'thin' } }));
  ws.autoFilter = { from: { row: HEADER_ROWS, column: 1 }, to: { row: Math.max(HEADER_ROWS, last), column: WORKBOOK_COLUMNS.length } };

  const cs = wb.addWorksheet(WORKBOOK_SHEETS.commendations, { views: [{ state: 'frozen', ySplit: HEADER_ROWS }] });
  const commendationColumns: Column[] = [
    { key: 'unitId', header: { vi: 'Mã đơn vị đề nghị', en: 'Proposing unit id' }, width: 16 },
    { key: 'unitName', header: { vi: 'Đơn vị đề nghị', en: 'Proposing unit' }, width: 44 },
    { key: 'kind', header: { vi: 'Hình thức', en: 'Kind' }, width: 12 },
    { key: 'name', header: { vi: 'Tập thể, cá nhân', en: 'Nominee' }, width: 36 },
    { key: 'reason', header: { vi: 'Thành tích', en: 'Achievement' }, width: 60 },
  ];
  cs.columns = commendationColumns.map((c) => ({ key: c.key, width: c.width }));
  styleHeader(cs.addRow(commendationColumns.map((c) => c.header.vi)), false);
  styleHeader(cs.addRow(commendationColumns.map((c) => c.header.en)), true);
  for (const id of order) {
    for (const c of reports.get(id)?.commendations ?? []) {
      const row = cs.addRow({ unitId: id, unitName: names.get(id) ?? id, kind: COMMENDATION_KIND_LABELS[c.kind].vi, name: nfc(c.name), reason: nfc(c.reason) });
      row.getCell(5).alignment = { wrapText: true, vertical: 'top' };
    }
  }
  cs.autoFilter = { from: { row: HEADER_ROWS, column: 1 }, to: { row: Math.max(HEADER_ROWS, cs.rowCount), column: commendationColumns.length } };

  return Buffer.from(await wb.xlsx.writeBuffer());
}
