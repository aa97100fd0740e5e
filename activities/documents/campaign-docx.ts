// The report of a campaign phase as a Word document, following the phase's form: the official header block,
// the title, the form's sections in its order under their own titles, the figure table (each figure's label,
// unit of measure and value by its type; target, achieved and % achieved where a plan set targets), for a
// level the figures of each unit below and who submitted, the form's lists (commendation proposals), "Nơi
// nhận" and the signature. A pure function of a `CampaignReportDocumentInput` (domain/campaign-report-document.ts).
import {
  mergeAllRollups,
  targetProgress,
  unitRollup,
  type FigureRollup,
  type FiguresRollup,
  type TargetProgress,
} from '../../domain/campaign-aggregation';
import type { Aggregation, Figure } from '../../domain/campaign-form';
import { campaignReportDocumentSchema, type CampaignReportDocument, type CampaignReportDocumentInput } from '../../domain/campaign-report-document';
import type { UnitList } from '../../workflows/aggregate-types';
import {
  body,
  centered,
  closingBlock,
  DOCX_LAYOUT,
  gridTable,
  heading,
  headerBlock,
  mm,
  narrative,
  officialDocument,
  rule,
  signerTitleLines,
  TEXT_WIDTH,
  type Align,
  type Block,
  type GridRow,
} from './docx-blocks';
import { DocumentInputError } from './errors';
import { COMMENDATION_KIND_LABELS, REPORT_DOCUMENT_TYPE, REPORT_SECTIONS, REPORT_SYMBOL, STANDING_LABELS } from './labels';
import { formatCount, formatPercent, nfc } from './vietnamese';

/** Words of the campaign report that the fixed report does not print. */
export const CAMPAIGN_DOCX_LABELS = {
  figuresOwn: 'Số liệu',
  figuresTable: { index: 'STT', figure: 'Chỉ tiêu', unit: 'Đơn vị tính', rule: 'Cách tổng hợp', value: 'Kết quả', target: 'Kế hoạch', achieved: 'Thực hiện', percent: 'Tỷ lệ thực hiện' },
  unitsTable: { index: 'STT', unit: 'Đơn vị', total: 'Tổng cộng' },
  unitsIntro: 'Số liệu theo từng đơn vị trực thuộc:',
  unitsCounted: 'đơn vị',
  noValue: '—',
  missing: '(Đơn vị chưa gửi báo cáo nội dung phần này.)',
} as const;

/** How a level's figure follows from its units, as the figure table says it. */
export const AGGREGATION_LABELS: Readonly<Record<Aggregation, { vi: string; en: string }>> = Object.freeze({
  sum: { vi: 'Tổng', en: 'Sum' },
  min: { vi: 'Nhỏ nhất', en: 'Minimum' },
  max: { vi: 'Lớn nhất', en: 'Maximum' },
  countNonZero: { vi: 'Số đơn vị khác 0', en: 'Units with a non-zero value' },
});

/** Value columns a table of units holds beside its number and name; wider forms continue in further tables. */
export const UNIT_TABLE_VALUE_COLUMNS = 6;

const decimalFormats = new Map<number, Intl.NumberFormat>();
/** A figure's value as Vietnamese writes it: 12.345 for a whole number, 87,5 for a decimal (up to its digits). */
export function formatFigure(f: Pick<Figure, 'type' | 'decimals'>, v: number | null): string {
  if (v === null) return CAMPAIGN_DOCX_LABELS.noValue;
  if (f.type === 'integer') return formatCount(v);
  let format = decimalFormats.get(f.decimals);
  if (!format) {
    format = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 0, maximumFractionDigits: f.decimals });
    decimalFormats.set(f.decimals, format);
  }
  return format.format(v);
}

/** A level's value of a counted figure is a number of units: a whole number whatever the figure's type. */
function formatRolled(f: Figure, r: FigureRollup | undefined): string {
  const v = r?.value ?? (f.aggregation === 'min' || f.aggregation === 'max' ? null : 0);
  return f.aggregation === 'countNonZero' ? formatCount(v ?? 0) : formatFigure(f, v);
}

const unitOfMeasure = (f: Figure, level: boolean) => (level && f.aggregation === 'countNonZero' ? CAMPAIGN_DOCX_LABELS.unitsCounted : nfc(f.unit.vi));

interface Parts {
  d: CampaignReportDocument;
  level: boolean;
  /** figures of the form that have targets */
  targeted: Set<string>;
  /** the rows, the node's own, and their total, each as a rollup */
  rows: { name: string; figures: FiguresRollup; targets: FiguresRollup | null; standings: Record<string, string> | null }[];
  total: FiguresRollup;
  totalTargets: FiguresRollup | null;
}

function partsOf(d: CampaignReportDocument): Parts {
  const figures = d.form.figures;
  const level = d.scope === 'level';
  const targeted = new Set(d.targets?.figures.filter((k) => figures.some((f) => f.key === k)) ?? []);
  const rows: Parts['rows'] = d.rows.map((r) => ({ name: nfc(r.name), figures: r.figures, targets: r.targets, standings: r.standings }));
  if (d.own) rows.push({ name: nfc(d.own.name), figures: unitRollup(figures, d.own.values), targets: d.own.targets ? unitRollup(figures, d.own.targets) : null, standings: null });
  const total = mergeAllRollups(figures, rows.map((r) => r.figures));
  const withTargets = rows.flatMap((r) => (r.targets ? [r.targets] : []));
  return { d, level, targeted, rows, total, totalTargets: withTargets.length > 0 ? mergeAllRollups(figures, withTargets) : null };
}

const progressOf = (p: Parts, figures: FiguresRollup, targets: FiguresRollup | null): Record<string, TargetProgress> =>
  targets ? targetProgress(p.d.form.figures.filter((f) => p.targeted.has(f.key)), targets, figures) : {};

/** Target, achieved, %: the three cells of a targeted figure. */
function progressCells(f: Figure, pr: TargetProgress | undefined, achieved: string): string[] {
  return [pr?.target == null ? CAMPAIGN_DOCX_LABELS.noValue : formatRolled(f, { value: pr.target, reporting: 1 }), achieved, formatPercent(pr?.percent ?? null)];
}

/** The figure table: one row per figure of the form, the node's total (a level) or its own values (a unit). */
function figureTable(p: Parts): Block[] {
  const { d, level } = p;
  const figures = d.form.figures;
  const L = CAMPAIGN_DOCX_LABELS.figuresTable;
  const withTargets = p.targeted.size > 0;
  const ownValues = d.own?.values ?? null;
  const progress = level ? progressOf(p, p.total, p.totalTargets) : progressOf(p, unitRollup(figures, ownValues), d.own?.targets ? unitRollup(figures, d.own.targets) : null);
  const rows: GridRow[] = figures.map((f, i) => {
    const value = level ? formatRolled(f, p.total[f.key]) : formatFigure(f, ownValues?.[f.key] ?? null);
    const values = withTargets ? (p.targeted.has(f.key) ? progressCells(f, progress[f.key], value) : [CAMPAIGN_DOCX_LABELS.noValue, value, CAMPAIGN_DOCX_LABELS.noValue]) : [value];
    return { cells: [String(i + 1), nfc(f.label.vi), unitOfMeasure(f, level), ...(level ? [AGGREGATION_LABELS[f.aggregation].vi] : []), ...values] };
  });
  const valueHeaders = withTargets ? [L.target, L.achieved, L.percent] : [L.value];
  const widths = [mm(12), 0, mm(20), ...(level ? [mm(24)] : []), ...valueHeaders.map(() => mm(withTargets ? 21 : 26))];
  widths[1] = TEXT_WIDTH - widths.reduce((a, b) => a + b, 0);
  return [
    gridTable(
      widths,
      [L.index, L.figure, L.unit, ...(level ? [L.rule] : []), ...valueHeaders],
      rows,
      ['center', 'left', 'center', ...(level ? (['center'] as Align[]) : []), ...valueHeaders.map((): Align => 'right')],
    ),
  ];
}

interface Column {
  header: string;
  align: Align;
  value: (row: Parts['rows'][number], isTotal: boolean) => string;
}

/** The columns of the units' table: each shown phase's standing, then each figure (three when it has a target). */
function unitColumns(p: Parts): Column[][] {
  const { d } = p;
  const groups: Column[][] = d.standingPhases.map((ph) => [
    {
      header: nfc(ph.name.vi),
      align: 'center' as Align,
      value: (r, isTotal) => {
        if (isTotal) {
          const submitted = d.rows.filter((x) => x.standings[ph.key] === 'on-time' || x.standings[ph.key] === 'late').length;
          return `${submitted}/${d.rows.length}`;
        }
        const s = r.standings?.[ph.key];
        return s ? STANDING_LABELS[s as keyof typeof STANDING_LABELS].vi : '';
      },
    },
  ]);
  for (const f of d.form.figures) {
    const label = nfc(f.label.vi);
    const achieved: Column = { header: `${label} (${unitOfMeasure(f, true)})`, align: 'right', value: (r) => formatRolled(f, r.figures[f.key]) };
    if (!p.targeted.has(f.key)) {
      groups.push([achieved]);
      continue;
    }
    const pr = (r: Parts['rows'][number]) => progressOf(p, r.figures, r.targets)[f.key];
    groups.push([
      { header: `${label}: ${CAMPAIGN_DOCX_LABELS.figuresTable.target.toLocaleLowerCase('vi')}`, align: 'right', value: (r) => progressCells(f, pr(r), '')[0]! },
      { ...achieved, header: `${label}: ${CAMPAIGN_DOCX_LABELS.figuresTable.achieved.toLocaleLowerCase('vi')}` },
      { header: `${label}: %`, align: 'right', value: (r) => formatPercent(pr(r)?.percent ?? null) },
    ]);
  }
  // pack whole groups into tables of at most UNIT_TABLE_VALUE_COLUMNS value columns
  const tables: Column[][] = [];
  for (const g of groups) {
    const last = tables.at(-1);
    if (last && last.length + g.length <= UNIT_TABLE_VALUE_COLUMNS) last.push(...g);
    else tables.push([...g]);
  }
  return tables;
}

function unitsTables(p: Parts): Block[] {
  const L = CAMPAIGN_DOCX_LABELS.unitsTable;
  const total = { name: L.total, figures: p.total, targets: p.totalTargets, standings: null };
  const out: Block[] = [body(CAMPAIGN_DOCX_LABELS.unitsIntro, {}, { keepNext: true })];
  for (const columns of unitColumns(p)) {
    const widths = [mm(12), 0, ...columns.map(() => mm(17))];
    widths[1] = TEXT_WIDTH - widths.reduce((a, b) => a + b, 0);
    const rows: GridRow[] = p.rows.map((r, i) => ({ cells: [i < p.d.rows.length ? String(i + 1) : '', r.name, ...columns.map((c) => c.value(r, false))] }));
    rows.push({ bold: true, cells: ['', total.name, ...columns.map((c) => c.value(total, true))] });
    out.push(gridTable(widths, [L.index, L.unit, ...columns.map((c) => c.header)], rows, ['center', 'left', ...columns.map((c) => c.align)]));
  }
  return out;
}

function namesOf(d: CampaignReportDocument, list: UnitList): string[] {
  const names = list.ids.map((id) => nfc(d.unitNames[id] ?? id));
  if (list.total > list.ids.length) names.push(`và ${formatCount(list.total - list.ids.length)} đơn vị khác`);
  return names;
}

function unitListParagraphs(d: CampaignReportDocument, label: string, list: UnitList, none: string): Block[] {
  if (list.total === 0) return [body(`- ${none}`)];
  const names = namesOf(d, list);
  const head = body(`- ${label} (${formatCount(list.total)} đơn vị):`, {}, { keepNext: true });
  if (names.length <= DOCX_LAYOUT.namesPerLineMax) return [head, ...names.map((n, i) => body(`+ ${n}${i === names.length - 1 ? '.' : ';'}`, {}, { indent: { left: DOCX_LAYOUT.firstLineIndent } }))];
  return [head, body(`${names.join('; ')}.`)];
}

function submissionsParts(d: CampaignReportDocument): Block[] {
  return d.submissions.flatMap((s, i) => {
    const submitted = s.submittedOnTime.total + s.submittedLate.total;
    return [
      body(`${String.fromCharCode(97 + (i % 26))}) ${nfc(s.phase.name.vi)}`, { bold: true, italics: true }, { keepNext: true }),
      body(
        `Số đơn vị phải nộp: ${formatCount(s.expected)}; đã nộp: ${formatCount(submitted)} (đúng hạn: ${formatCount(s.submittedOnTime.total)}, nộp muộn: ${formatCount(s.submittedLate.total)}); chưa nộp: ${formatCount(s.notSubmitted.total)} (trong đó quá hạn: ${formatCount(s.overdue.total)}). Tỷ lệ nộp đầy đủ: ${formatPercent(s.completeness)}; tỷ lệ nộp đúng hạn: ${formatPercent(s.timeliness)}.`,
      ),
      ...unitListParagraphs(d, 'Các đơn vị nộp muộn', s.submittedLate, 'Không có đơn vị nộp muộn.'),
      ...unitListParagraphs(d, 'Các đơn vị chưa nộp', s.notSubmitted, 'Không có đơn vị chưa nộp.'),
    ];
  });
}

function listParts(d: CampaignReportDocument, list: CampaignReportDocument['lists'][number]): Block[] {
  if (list.total === 0) return [body('Không có đề nghị khen thưởng.')];
  const ordered = [...list.items.filter((c) => c.kind === 'collective'), ...list.items.filter((c) => c.kind === 'individual')];
  const collectives = list.items.filter((c) => c.kind === 'collective').length;
  const more = list.total - list.items.length;
  const widths = [mm(12), mm(19), mm(42), 0, mm(34)];
  widths[3] = TEXT_WIDTH - widths.reduce((a, b) => a + b, 0);
  return [
    body(`Tổng số đề nghị: ${formatCount(list.total)}${more > 0 ? '' : ` (${formatCount(collectives)} tập thể, ${formatCount(list.items.length - collectives)} cá nhân)`}, gồm:`, {}, { keepNext: true }),
    gridTable(
      widths,
      ['STT', 'Hình thức', 'Tập thể, cá nhân', 'Thành tích', 'Đơn vị đề nghị'],
      ordered.map((c, i) => ({ cells: [String(i + 1), COMMENDATION_KIND_LABELS[c.kind].vi, nfc(c.name), nfc(c.reason), nfc(d.unitNames[c.unitId] ?? c.unitId)] })),
      ['center', 'center', 'left', 'left', 'left'],
    ),
    ...(more > 0 ? [body(`(Danh sách trên gồm ${formatCount(list.items.length)} đề nghị đầu tiên; còn ${formatCount(more)} đề nghị khác trong hồ sơ lưu trữ.)`, { italics: true })] : []),
  ];
}

/**
 * Headings of the parts the document adds after the form's sections. When the form numbers its sections
 * ("1. …", "2. …"), the added parts continue the numbering; otherwise they are unnumbered.
 */
function addedHeadings(d: CampaignReportDocument): { figures: string; submissions: string; lists: string[] } {
  const numbered = d.form.sections.length > 0 && d.form.sections.every((s) => /^\d+\./u.test(s.title.vi.trim()));
  let next = d.form.sections.length + 1;
  const n = (text: string) => (numbered ? `${next++}. ${text}` : text);
  const figures = n(d.scope === 'level' ? REPORT_SECTIONS.figures.replace(/^\d+\.\s*/u, '') : CAMPAIGN_DOCX_LABELS.figuresOwn);
  const submissions = d.scope === 'level' && d.submissions.length > 0 ? n(REPORT_SECTIONS.submissions.replace(/^\d+\.\s*/u, '')) : '';
  const lists = d.form.lists.map((l) => n(nfc(l.title.vi)));
  return { figures, submissions, lists };
}

/** The DOCX bytes of a phase's report. Throws `DocumentInputError` when the input is malformed. */
export async function renderCampaignReportDocx(input: CampaignReportDocumentInput): Promise<Buffer> {
  const parsed = campaignReportDocumentSchema.safeParse(input);
  if (!parsed.success) throw new DocumentInputError('renderCampaignReportDocx', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const d = parsed.data;
  const p = partsOf(d);
  const h = addedHeadings(d);
  const bodyName = `${d.issuer.kind === 'grassroots' ? 'Ban Chấp hành' : 'Ban Thường vụ'} ${nfc(d.issuer.name)}`;
  const subjectLower = d.subject.charAt(0).toLocaleLowerCase('vi') + d.subject.slice(1);

  const children: Block[] = [
    headerBlock({ superiorName: d.issuer.superiorName, issuerName: d.issuer.name, symbol: `${REPORT_SYMBOL}-${d.issuer.abbreviation}`, number: d.number, place: d.place, date: d.date }),
    centered(REPORT_DOCUMENT_TYPE, { bold: true }, { spacing: { before: 360, after: 0 } }),
    centered(d.subject, { bold: true }),
    rule(mm(40), TEXT_WIDTH),
    ...(d.asOfText ? [centered(`(Số liệu tổng hợp đến ${d.asOfText}${d.final ? ', khi kết thúc chu kỳ' : ''})`, { italics: true }, { spacing: { after: 240 } })] : []),
    ...(d.intro ? [body(d.intro)] : []),
    ...d.form.sections.flatMap((s) => [heading(nfc(s.title.vi)), ...narrative(d.sections === null ? undefined : (d.sections[s.key] ?? ''), CAMPAIGN_DOCX_LABELS.missing)]),
  ];
  if (d.form.figures.length > 0) {
    children.push(heading(h.figures), ...figureTable(p));
    if (p.level && p.rows.length > 0) children.push(...unitsTables(p));
    if (d.figuresNote) children.push(body(d.figuresNote, { italics: true }, { spacing: { before: 120, after: 120, line: 288 } }));
  }
  if (h.submissions) children.push(heading(h.submissions), ...submissionsParts(d));
  d.form.lists.forEach((l, i) => {
    const list = d.lists.find((x) => x.key === l.key) ?? { key: l.key, items: [], total: 0 };
    children.push(heading(h.lists[i]!), ...listParts(d, list));
  });
  children.push(
    // kept with the signature block: a signature never stands alone on a page
    body(`Trên đây là báo cáo ${subjectLower} của ${bodyName}./.`, {}, { keepNext: true, spacing: { before: 240, after: 240, line: 288 } }),
    closingBlock(d.distribution, { titleLines: signerTitleLines(d.signer), name: d.signer.name }),
  );
  return officialDocument({ title: `${REPORT_DOCUMENT_TYPE} ${d.subject}`, description: `${d.campaign.id} v${d.campaign.version} / ${d.phase.key} / ${d.issuer.unitId}` }, children);
}
