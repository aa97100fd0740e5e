// A cycle of a campaign as an Excel workbook: one sheet per phase in the definition's order, one row per unit
// (code, name, kind, level, parent, status, submitted at, version, files), one column per figure of the phase's
// form with its label and unit in the header (Vietnamese row, English row), target and % achieved beside each
// figure a plan set targets for, and a totals row following each figure's rule. Written with ExcelJS's
// streaming writer: each row is committed to the output as it comes, so memory stays flat for 130,000 units.
import { PassThrough, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { mergeRollups, percentAchieved, unitRollup, emptyRollup, type FiguresRollup } from '../../domain/campaign-aggregation';
import type { Aggregation, Figure } from '../../domain/campaign-form';
import type { CampaignWorkbookRow, WorkbookPhase } from '../../domain/campaign-workbook';
import { TIME_ZONE } from '../calendar/constants';
import { AGGREGATION_LABELS } from './campaign-docx';
import { REVIEW_LABELS, STANDING_LABELS, UNIT_KIND_LABELS, type Bilingual } from './labels';
import { nfc } from './vietnamese';

/** Rows 1–2 are the Vietnamese and English headers; data starts on row 3 (as in the cycle workbook). */
export const CAMPAIGN_HEADER_ROWS = 2;
export const CAMPAIGN_TOTAL_LABEL = 'Tổng cộng / Total';
const DATE_FORMAT = 'dd/mm/yyyy hh:mm';
const COUNT_FORMAT = '#,##0';
const PERCENT_FORMAT = '0.0%';
/** Excel's limit on a sheet name, and the characters it refuses in one */
const SHEET_NAME_MAX = 31;
const SHEET_NAME_FORBIDDEN = /[[\]:*?/\\]/g;

interface Column {
  key: string;
  header: Bilingual;
  width: number;
  numFmt?: string;
}

/** The columns every phase's sheet starts with. */
export const CAMPAIGN_UNIT_COLUMNS: readonly Column[] = [
  { key: 'id', header: { vi: 'Mã đơn vị', en: 'Unit id' }, width: 16 },
  { key: 'name', header: { vi: 'Tên đơn vị', en: 'Name' }, width: 48 },
  { key: 'kind', header: { vi: 'Loại đơn vị', en: 'Kind' }, width: 22 },
  { key: 'depth', header: { vi: 'Cấp', en: 'Level' }, width: 7 },
  { key: 'parent', header: { vi: 'Mã đơn vị cấp trên', en: 'Parent id' }, width: 16 },
  { key: 'status', header: { vi: 'Trạng thái', en: 'Status' }, width: 26 },
  { key: 'submittedAt', header: { vi: 'Ngày nộp', en: 'Submitted at' }, width: 17, numFmt: DATE_FORMAT },
  { key: 'version', header: { vi: 'Phiên bản', en: 'Version' }, width: 9 },
  { key: 'files', header: { vi: 'Số tệp đính kèm', en: 'Files' }, width: 10, numFmt: COUNT_FORMAT },
];

const figureFormat = (f: Figure) => (f.type === 'integer' ? COUNT_FORMAT : `#,##0.${'0'.repeat(f.decimals)}`);
const headerOf = (f: Figure, what?: Bilingual): Bilingual => ({
  vi: `${nfc(f.label.vi)} (${nfc(f.unit.vi)})${what ? `: ${what.vi}` : ''}`,
  en: `${f.label.en} (${f.unit.en})${what ? `: ${what.en}` : ''}`,
});

/** The figure columns of a phase: each figure, preceded by its target and followed by its % when it has one. */
export function figureColumns(phase: WorkbookPhase): Column[] {
  const targeted = new Set(phase.targets?.figures ?? []);
  return phase.form.figures.flatMap((f): Column[] => {
    const value: Column = { key: `f:${f.key}`, header: headerOf(f), width: 16, numFmt: figureFormat(f) };
    if (!targeted.has(f.key)) return [value];
    return [
      { key: `t:${f.key}`, header: headerOf(f, { vi: 'kế hoạch', en: 'target' }), width: 16, numFmt: figureFormat(f) },
      { ...value, header: headerOf(f, { vi: 'thực hiện', en: 'achieved' }) },
      { key: `p:${f.key}`, header: headerOf(f, { vi: '% thực hiện', en: '% achieved' }), width: 12, numFmt: PERCENT_FORMAT },
    ];
  });
}

/** Excel has no time zones: the local wall-clock time of Asia/Ho_Chi_Minh as the cell's value. */
function localCellDate(instant: string): Date {
  const d = DateTime.fromISO(instant, { setZone: true }).setZone(TIME_ZONE);
  return new Date(Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second));
}

function statusText(r: CampaignWorkbookRow): string {
  const standing = STANDING_LABELS[r.standing].vi;
  return r.review ? `${standing} (${REVIEW_LABELS[r.review].vi})` : standing;
}

/** A sheet name Excel accepts, unique in the workbook: "Báo cáo quý I". */
export function sheetNameOf(name: string, taken: Set<string>): string {
  const base = nfc(name).replace(SHEET_NAME_FORBIDDEN, '-').replace(/^'+|'+$/g, '').trim() || 'Sheet';
  let candidate = base.slice(0, SHEET_NAME_MAX);
  for (let n = 2; taken.has(candidate.toLocaleLowerCase('vi')); n++) candidate = `${base.slice(0, SHEET_NAME_MAX - String(n).length - 1)} ${n}`;
  taken.add(candidate.toLocaleLowerCase('vi'));
  return candidate;
}

/** A formula over the data rows that follows the figure's rule (SUBTOTAL ones also follow the auto-filter). */
function totalFormula(rule: Aggregation, range: string): string {
  switch (rule) {
    case 'sum':
      return `SUBTOTAL(109,${range})`;
    case 'min':
      return `SUBTOTAL(105,${range})`;
    case 'max':
      return `SUBTOTAL(104,${range})`;
    case 'countNonZero':
      // units that gave a value other than 0 (blank cells are units that did not report)
      return `COUNTIFS(${range},"<>0",${range},"<>")`;
  }
}

function styleHeader(row: ExcelJS.Row, italic: boolean) {
  row.font = { bold: !italic, italic, name: 'Times New Roman', size: 11 };
  row.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  row.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7EEF7' } };
    c.border = { bottom: { style: 'thin' } };
  });
}

export interface CampaignWorkbookInput {
  cycleId: string;
  campaign: { id: string; version: number; name: { vi: string; en: string } };
  phases: readonly WorkbookPhase[];
  /** the rows of a phase's sheet, in the tree's order (depth first) */
  rows: (phase: WorkbookPhase) => AsyncIterable<CampaignWorkbookRow>;
  /** called after every 10,000 rows and at the end of each sheet: a progress line for long exports */
  onProgress?: (p: { phase: string; rows: number }) => void;
}

export const PROGRESS_EVERY_ROWS = 10_000;

async function writePhaseSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, input: CampaignWorkbookInput, phase: WorkbookPhase, sheetName: string): Promise<number> {
  const columns = [...CAMPAIGN_UNIT_COLUMNS, ...figureColumns(phase)];
  const figures = phase.form.figures;
  const targeted = figures.filter((f) => phase.targets?.figures.includes(f.key));
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', xSplit: 2, ySplit: CAMPAIGN_HEADER_ROWS }] });
  ws.columns = columns.map((c) => ({ key: c.key, width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  const vi = ws.addRow(columns.map((c) => c.header.vi));
  styleHeader(vi, false);
  vi.height = 32;
  vi.commit();
  const en = ws.addRow(columns.map((c) => c.header.en));
  styleHeader(en, true);
  en.commit();

  let achieved: FiguresRollup = emptyRollup(figures);
  let targets: FiguresRollup = emptyRollup(targeted);
  let count = 0;
  let submitted = 0;
  let files = 0;
  for await (const r of input.rows(phase)) {
    const values: Record<string, ExcelJS.CellValue> = {
      id: r.unitId,
      name: nfc(r.name),
      kind: UNIT_KIND_LABELS[r.kind].vi,
      depth: r.depth,
      parent: r.parentId ?? '',
      status: statusText(r),
      submittedAt: r.submittedAt ? localCellDate(r.submittedAt) : null,
      version: r.version,
      files: r.files,
    };
    for (const f of figures) values[`f:${f.key}`] = r.values?.[f.key] ?? null;
    for (const f of targeted) {
      const t = r.targets?.[f.key] ?? null;
      const pct = percentAchieved(t, r.values ? (r.values[f.key] ?? null) : null);
      values[`t:${f.key}`] = t;
      values[`p:${f.key}`] = pct === null ? null : pct / 100;
    }
    const row = ws.addRow(values);
    row.getCell('name').alignment = { indent: Math.min(r.depth, 15) };
    row.commit();
    achieved = mergeRollups(figures, achieved, unitRollup(figures, r.values));
    targets = mergeRollups(targeted, targets, unitRollup(targeted, r.targets));
    count += 1;
    if (r.version !== null) submitted += 1;
    files += r.files;
    if (count % PROGRESS_EVERY_ROWS === 0) input.onProgress?.({ phase: phase.key, rows: count });
  }

  const first = CAMPAIGN_HEADER_ROWS + 1;
  const last = Math.max(first, CAMPAIGN_HEADER_ROWS + count);
  const letter = (key: string) => ws.getColumn(key).letter;
  const range = (key: string) => `${letter(key)}${first}:${letter(key)}${last}`;
  const totals: Record<string, ExcelJS.CellValue> = {
    name: CAMPAIGN_TOTAL_LABEL,
    status: `${submitted}/${count} đã nộp`,
    files: { formula: `SUBTOTAL(109,${range('files')})`, result: files },
  };
  for (const f of figures) {
    const v = achieved[f.key]!.value;
    totals[`f:${f.key}`] = { formula: totalFormula(f.aggregation, range(`f:${f.key}`)), result: v ?? 0 };
  }
  for (const f of targeted) {
    const t = targets[f.key]!;
    totals[`t:${f.key}`] = { formula: totalFormula(f.aggregation, range(`t:${f.key}`)), result: t.value ?? 0 };
    const pct = percentAchieved(t.reporting > 0 ? t.value : null, achieved[f.key]!.value);
    totals[`p:${f.key}`] = pct === null ? null : pct / 100;
  }
  const totalRow = ws.addRow(totals);
  totalRow.font = { bold: true };
  totalRow.eachCell((c) => (c.border = { top: { style: 'thin' } }));
  totalRow.commit();
  // under the totals: how each figure's total is made, so a reader of a max or a count is not misled
  const rules: Record<string, ExcelJS.CellValue> = { name: 'Cách tổng hợp / How totals are made' };
  for (const f of figures) rules[`f:${f.key}`] = `${AGGREGATION_LABELS[f.aggregation].vi} / ${AGGREGATION_LABELS[f.aggregation].en}`;
  const rulesRow = ws.addRow(rules);
  rulesRow.font = { italic: true };
  rulesRow.commit();
  ws.autoFilter = { from: { row: CAMPAIGN_HEADER_ROWS, column: 1 }, to: { row: last, column: columns.length } };
  await ws.commit();
  input.onProgress?.({ phase: phase.key, rows: count });
  return count;
}

/** Writes the workbook to `out` (a file, an HTTP response) as the rows come; resolves when it is complete. */
export async function writeCampaignWorkbook(out: Writable, input: CampaignWorkbookInput): Promise<{ sheets: { phase: string; name: string; rows: number }[] }> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'baocao';
  wb.title = `Số liệu ${nfc(input.campaign.name.vi)} — ${input.cycleId}`;
  wb.subject = `${input.cycleId} / ${input.campaign.id} v${input.campaign.version}`;
  const taken = new Set<string>();
  const sheets: { phase: string; name: string; rows: number }[] = [];
  for (const phase of input.phases) {
    const name = sheetNameOf(phase.name.vi, taken);
    sheets.push({ phase: phase.key, name, rows: await writePhaseSheet(wb, input, phase, name) });
  }
  await wb.commit();
  return { sheets };
}

/** The whole workbook as bytes (small cycles, tests, an email attachment); large exports should stream. */
export async function campaignWorkbookBuffer(input: CampaignWorkbookInput): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  await writeCampaignWorkbook(sink, input);
  await done;
  return Buffer.concat(chunks);
}
