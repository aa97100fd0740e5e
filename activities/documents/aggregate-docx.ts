// The aggregate report of a node as a Word document in the Vietnamese administrative layout (Decree
// 30/2020/NĐ-CP, Appendix I): header block, title, the outline's sections, the figures per unit, who was late
// or missing, commendation proposals, "Nơi nhận" and the signature. A pure function of its input.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  convertMillimetersToTwip,
  type IParagraphOptions,
} from 'docx';
import type { UnitList } from '../../workflows/aggregate-types';
import { addFigures } from '../../workflows/aggregate';
import { FIGURE_KEYS, PHASES, ZERO_FIGURES, type Figures } from '../../workflows/report';
import { aggregateDocumentInputSchema, type AggregateDocumentData, type AggregateDocumentInput } from './aggregate-input';
import { DocumentInputError } from './errors';
import {
  ARCHIVE_COPY_LINE,
  COMMENDATION_KIND_LABELS,
  FIGURE_LABELS,
  NATIONAL_MOTTO,
  NATIONAL_NAME,
  PHASE_LABELS,
  PLACE_PLACEHOLDER,
  RECIPIENTS_HEADING,
  REPORT_DOCUMENT_TYPE,
  REPORT_SECTIONS,
  REPORT_SYMBOL,
  STANDING_LABELS,
} from './labels';
import { formatCount, formatPercent, nfc, placeDateLine, superiorLine, upper } from './vietnamese';

/** Decree 30: Times New Roman, body 13–14 pt; A4; margins top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm. */
export const DOCX_LAYOUT = {
  font: 'Times New Roman',
  /** half-points */
  bodySize: 28,
  headerSize: 26,
  nationalNameSize: 24,
  tableSize: 24,
  tableHeaderSize: 22,
  recipientsHeadingSize: 24,
  recipientsSize: 22,
  marginsMm: { top: 20, bottom: 20, left: 30, right: 15, header: 10, footer: 10 },
  pageMm: { width: 210, height: 297 },
  /** first-line indent of body paragraphs, twips (1.27 cm) */
  firstLineIndent: 720,
  /** names listed one per line up to this many, then run together in one paragraph */
  namesPerLineMax: 20,
} as const;

const mm = (v: number) => convertMillimetersToTwip(v);
const TEXT_WIDTH = mm(DOCX_LAYOUT.pageMm.width - DOCX_LAYOUT.marginsMm.left - DOCX_LAYOUT.marginsMm.right);
/** non-breaking spaces: room for a number written by hand when the document is registered */
const NUMBER_GAP = '\u00a0'.repeat(8);

interface RunStyle {
  bold?: boolean;
  italics?: boolean;
  underline?: boolean;
  size?: number;
}

const run = (text: string, s: RunStyle = {}) =>
  new TextRun({ text: nfc(text), bold: s.bold, italics: s.italics, size: s.size, underline: s.underline ? {} : undefined });

function centered(text: string, s: RunStyle = {}, extra: Partial<IParagraphOptions> = {}): Paragraph {
  return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 0 }, ...extra, children: [run(text, s)] });
}

/** A short centred rule under a name or title (Decree 30: a solid line, a third to a half of the line above). */
function rule(widthTwips: number, cellWidth: number): Paragraph {
  const side = Math.max(0, Math.round((cellWidth - widthTwips) / 2));
  return new Paragraph({
    indent: { left: side, right: side },
    spacing: { before: 0, after: 120, line: 120 },
    border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } },
    children: [run('', { size: 4 })],
  });
}

function body(text: string, s: RunStyle = {}, extra: Partial<IParagraphOptions> = {}): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: DOCX_LAYOUT.firstLineIndent },
    spacing: { before: 0, after: 120, line: 288 },
    ...extra,
    children: [run(text, s)],
  });
}

const heading = (text: string) => body(text, { bold: true }, { keepNext: true, spacing: { before: 120, after: 120, line: 288 } });

/** A narrative section as typed: one paragraph per non-empty line. */
function narrative(text: string | undefined, missing: string): Paragraph[] {
  if (text === undefined) return [body(missing, { italics: true })];
  const lines = nfc(text)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return lines.length > 0 ? lines.map((l) => body(l)) : [body('(Không có nội dung.)', { italics: true })];
}

function cell(text: string, width: number, s: RunStyle & { align?: 'left' | 'center' | 'right' } = {}): TableCell {
  const alignment = s.align === 'center' ? AlignmentType.CENTER : s.align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT;
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    verticalAlign: VerticalAlignTable.CENTER,
    margins: { left: 80, right: 80, top: 40, bottom: 40 },
    children: [new Paragraph({ alignment, spacing: { after: 0 }, children: [run(text, { size: DOCX_LAYOUT.tableSize, ...s })] })],
  });
}

function gridTable(widths: number[], header: string[], rows: { cells: string[]; bold?: boolean }[], align: ('left' | 'center' | 'right')[]): Table {
  return new Table({
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    rows: [
      new TableRow({ tableHeader: true, children: header.map((h, i) => cell(h, widths[i]!, { bold: true, align: 'center', size: DOCX_LAYOUT.tableHeaderSize })) }),
      ...rows.map((r) => new TableRow({ cantSplit: true, children: r.cells.map((c, i) => cell(c, widths[i]!, { bold: r.bold, align: align[i] })) })),
    ],
  });
}

// ── parts ────────────────────────────────────────────────────────────────────────────────────────────────

function headerBlock(d: AggregateDocumentData): Table {
  const left = mm(62);
  const right = TEXT_WIDTH - left;
  const size = DOCX_LAYOUT.headerSize;
  const symbol = `Số:${d.number ? ` ${d.number}` : NUMBER_GAP}/${REPORT_SYMBOL}-${d.issuer.abbreviation}`;
  const borderless = (children: Paragraph[], width: number) => new TableCell({ width: { size: width, type: WidthType.DXA }, children });
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [left, right],
    layout: TableLayoutType.FIXED,
    borders: TableBorders.NONE,
    rows: [
      new TableRow({
        children: [
          borderless(
            [
              ...(d.issuer.superiorName ? [centered(superiorLine(d.issuer.superiorName), { size })] : []),
              centered(upper(d.issuer.name), { bold: true, size }),
              rule(mm(22), left),
            ],
            left,
          ),
          borderless(
            [centered(NATIONAL_NAME, { bold: true, size: DOCX_LAYOUT.nationalNameSize }), centered(NATIONAL_MOTTO, { bold: true, size, underline: true }), centered('', { size })],
            right,
          ),
        ],
      }),
      new TableRow({
        children: [
          borderless([centered(symbol, { size })], left),
          borderless([centered(placeDateLine(d.place || PLACE_PLACEHOLDER, d.date), { italics: true, size })], right),
        ],
      }),
    ],
  });
}

function titleBlock(d: AggregateDocumentData): Paragraph[] {
  return [
    centered(REPORT_DOCUMENT_TYPE, { bold: true }, { spacing: { before: 360, after: 0 } }),
    centered(d.subject, { bold: true }),
    rule(mm(40), TEXT_WIDTH),
    ...(d.asOfText ? [centered(`(Số liệu tổng hợp đến ${d.asOfText}${d.final ? ', khi kết thúc chu kỳ' : ''})`, { italics: true }, { spacing: { after: 240 } })] : []),
  ];
}

const sumFigures = (list: Figures[]) => list.reduce((acc, f) => addFigures(acc, f), { ...ZERO_FIGURES });

function figuresSection(d: AggregateDocumentData): (Paragraph | Table)[] {
  const rows: { cells: string[]; bold?: boolean }[] = d.rows.map((r, i) => ({
    cells: [String(i + 1), r.name, STANDING_LABELS[r.plan].vi, STANDING_LABELS[r.report].vi, ...FIGURE_KEYS.map((k) => formatCount(r.figures[k]))],
  }));
  if (d.own) rows.push({ cells: ['', d.own.name, '', '', ...FIGURE_KEYS.map((k) => formatCount(d.own!.figures[k]))] });
  const total = sumFigures([...d.rows.map((r) => r.figures), ...(d.own ? [d.own.figures] : [])]);
  const submitted = (phase: 'plan' | 'report') => d.rows.filter((r) => r[phase] === 'on-time' || r[phase] === 'late').length;
  rows.push({
    bold: true,
    cells: ['', 'Tổng cộng', `${submitted('plan')}/${d.rows.length}`, `${submitted('report')}/${d.rows.length}`, ...FIGURE_KEYS.map((k) => formatCount(total[k]))],
  });
  const figureWidth = mm(17);
  const fixed = [mm(12), 0, mm(17), mm(17), figureWidth, figureWidth, figureWidth, figureWidth];
  fixed[1] = TEXT_WIDTH - fixed.reduce((a, b) => a + b, 0);
  const out: (Paragraph | Table)[] = [
    heading(REPORT_SECTIONS.figures),
    body(
      `Toàn ${d.issuer.kind === 'root' ? 'hệ thống' : 'đơn vị'} tổ chức ${formatCount(total.studyClasses)} lớp học tập, quán triệt với ${formatCount(total.participants)} lượt người tham gia; phát hiện, xây dựng và nhân rộng ${formatCount(total.exemplaryModels)} mô hình điển hình và ${formatCount(total.exemplaryPeople)} gương điển hình. Số liệu theo từng đơn vị trực thuộc:`,
    ),
    gridTable(
      fixed,
      ['STT', 'Đơn vị', PHASE_LABELS.plan.vi, PHASE_LABELS.report.vi, ...FIGURE_KEYS.map((k) => FIGURE_LABELS[k].vi)],
      rows,
      ['center', 'left', 'center', 'center', 'right', 'right', 'right', 'right'],
    ),
  ];
  if (d.figuresNote) out.push(body(d.figuresNote, { italics: true }, { spacing: { before: 120, after: 120, line: 288 } }));
  return out;
}

function namesOf(d: AggregateDocumentData, list: UnitList): string[] {
  const names = list.ids.map((id) => nfc(d.unitNames[id] ?? id));
  if (list.total > list.ids.length) names.push(`và ${formatCount(list.total - list.ids.length)} đơn vị khác`);
  return names;
}

function unitListParagraphs(d: AggregateDocumentData, label: string, list: UnitList, none: string): Paragraph[] {
  if (list.total === 0) return [body(`- ${none}`)];
  const names = namesOf(d, list);
  const head = body(`- ${label} (${formatCount(list.total)} đơn vị):`, {}, { keepNext: true });
  if (names.length <= DOCX_LAYOUT.namesPerLineMax) return [head, ...names.map((n, i) => body(`+ ${n}${i === names.length - 1 ? '.' : ';'}`, {}, { indent: { left: DOCX_LAYOUT.firstLineIndent } }))];
  return [head, body(`${names.join('; ')}.`)];
}

function submissionsSection(d: AggregateDocumentData): Paragraph[] {
  const out = [heading(REPORT_SECTIONS.submissions)];
  PHASES.forEach((phase, i) => {
    const r = d.aggregate.below[phase];
    const rates = d.aggregate.rates[phase];
    const submitted = r.submittedOnTime.total + r.submittedLate.total;
    out.push(
      body(`${String.fromCharCode(97 + i)}) ${PHASE_LABELS[phase].vi}`, { bold: true, italics: true }, { keepNext: true }),
      body(
        `Số đơn vị phải nộp: ${formatCount(r.expected)}; đã nộp: ${formatCount(submitted)} (đúng hạn: ${formatCount(r.submittedOnTime.total)}, nộp muộn: ${formatCount(r.submittedLate.total)}); chưa nộp: ${formatCount(r.notSubmitted.total)} (trong đó quá hạn: ${formatCount(r.overdue.total)}). Tỷ lệ nộp đầy đủ: ${formatPercent(rates.completeness)}; tỷ lệ nộp đúng hạn: ${formatPercent(rates.timeliness)}.`,
      ),
      ...unitListParagraphs(d, 'Các đơn vị nộp muộn', r.submittedLate, 'Không có đơn vị nộp muộn.'),
      ...unitListParagraphs(d, 'Các đơn vị chưa nộp', r.notSubmitted, 'Không có đơn vị chưa nộp.'),
    );
  });
  return out;
}

function commendationsSection(d: AggregateDocumentData): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [heading(REPORT_SECTIONS.commendations)];
  if (d.commendationsTotal === 0) return [...out, body('Không có đề nghị khen thưởng.')];
  const ordered = [...d.commendations.filter((c) => c.kind === 'collective'), ...d.commendations.filter((c) => c.kind === 'individual')];
  const collectives = d.commendations.filter((c) => c.kind === 'collective').length;
  const more = d.commendationsTotal - d.commendations.length;
  out.push(
    body(
      `Tổng số đề nghị: ${formatCount(d.commendationsTotal)}${more > 0 ? '' : ` (${formatCount(collectives)} tập thể, ${formatCount(d.commendations.length - collectives)} cá nhân)`}, gồm:`,
      {},
      { keepNext: true },
    ),
  );
  const widths = [mm(12), mm(19), mm(42), 0, mm(34)];
  widths[3] = TEXT_WIDTH - widths.reduce((a, b) => a + b, 0);
  out.push(
    gridTable(
      widths,
      ['STT', 'Hình thức', 'Tập thể, cá nhân', 'Thành tích', 'Đơn vị đề nghị'],
      ordered.map((c, i) => ({ cells: [String(i + 1), COMMENDATION_KIND_LABELS[c.kind].vi, c.name, c.reason, d.unitNames[c.unitId] ?? c.unitId] })),
      ['center', 'center', 'left', 'left', 'left'],
    ),
  );
  if (more > 0) out.push(body(`(Danh sách trên gồm ${formatCount(d.commendations.length)} đề nghị đầu tiên; còn ${formatCount(more)} đề nghị khác trong hồ sơ lưu trữ.)`, { italics: true }));
  return out;
}

function closingBlock(d: AggregateDocumentData): Table {
  const left = mm(80);
  const right = TEXT_WIDTH - left;
  const recipients = [...d.distribution, ARCHIVE_COPY_LINE].map((line, i, all) => {
    const text = i === all.length - 1 ? line : `${line.replace(/[;.]$/u, '')};`;
    return new Paragraph({ spacing: { after: 0 }, children: [run(`- ${text}`, { size: DOCX_LAYOUT.recipientsSize })] });
  });
  const blank = () => centered('');
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [left, right],
    layout: TableLayoutType.FIXED,
    borders: TableBorders.NONE,
    rows: [
      new TableRow({
        cantSplit: true,
        children: [
          new TableCell({
            width: { size: left, type: WidthType.DXA },
            children: [new Paragraph({ spacing: { after: 0 }, children: [run(RECIPIENTS_HEADING, { bold: true, italics: true, size: DOCX_LAYOUT.recipientsHeadingSize })] }), ...recipients],
          }),
          new TableCell({
            width: { size: right, type: WidthType.DXA },
            children: [centered(d.signer.onBehalfOf, { bold: true }), centered(d.signer.position, { bold: true }), blank(), blank(), blank(), blank(), centered(d.signer.name, { bold: true })],
          }),
        ],
      }),
    ],
  });
}

/** The DOCX bytes of a node's aggregate report. Throws `DocumentInputError` when the input is malformed. */
export async function renderAggregateDocx(input: AggregateDocumentInput): Promise<Buffer> {
  const parsed = aggregateDocumentInputSchema.safeParse(input);
  if (!parsed.success) throw new DocumentInputError('renderAggregateDocx', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const d = parsed.data;
  const n = d.narrative;
  const missing = '(Đơn vị chưa gửi báo cáo nội dung phần này.)';
  const bodyName = `${d.issuer.kind === 'grassroots' ? 'Ban Chấp hành' : 'Ban Thường vụ'} ${nfc(d.issuer.name)}`;
  const subjectLower = d.subject.charAt(0).toLocaleLowerCase('vi') + d.subject.slice(1);

  const doc = new Document({
    creator: 'baocao',
    title: `${REPORT_DOCUMENT_TYPE} ${nfc(d.subject)}`,
    description: `${d.aggregate.cycleId} / ${d.issuer.unitId}`,
    styles: { default: { document: { run: { font: DOCX_LAYOUT.font, size: DOCX_LAYOUT.bodySize } } } },
    sections: [
      {
        properties: {
          titlePage: true,
          page: {
            size: { width: mm(DOCX_LAYOUT.pageMm.width), height: mm(DOCX_LAYOUT.pageMm.height) },
            margin: {
              top: mm(DOCX_LAYOUT.marginsMm.top),
              bottom: mm(DOCX_LAYOUT.marginsMm.bottom),
              left: mm(DOCX_LAYOUT.marginsMm.left),
              right: mm(DOCX_LAYOUT.marginsMm.right),
              header: mm(DOCX_LAYOUT.marginsMm.header),
              footer: mm(DOCX_LAYOUT.marginsMm.footer),
            },
          },
        },
        // Decree 30: page numbers centred at the top from the second page on
        headers: {
          first: new Header({ children: [new Paragraph({ children: [] })] }),
          default: new Header({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT], size: DOCX_LAYOUT.headerSize })] })] }),
        },
        children: [
          headerBlock(d),
          ...titleBlock(d),
          ...(d.intro ? [body(d.intro)] : []),
          heading(REPORT_SECTIONS.leadership),
          ...narrative(n?.leadership, missing),
          heading(REPORT_SECTIONS.implementation),
          ...narrative(n?.implementation, missing),
          heading(REPORT_SECTIONS.assessment),
          ...narrative(n?.assessment, missing),
          heading(REPORT_SECTIONS.recommendations),
          ...narrative(n?.recommendations, missing),
          ...figuresSection(d),
          ...submissionsSection(d),
          ...commendationsSection(d),
          // kept with the signature block: a signature never stands alone on a page
          body(`Trên đây là báo cáo ${subjectLower} của ${bodyName}./.`, {}, { keepNext: true, spacing: { before: 240, after: 240, line: 288 } }),
          closingBlock(d),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
