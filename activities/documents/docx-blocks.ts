// The building blocks of a report in the Vietnamese administrative layout (Decree 30/2020/NĐ-CP, Appendix I),
// shared by the aggregate report (aggregate-docx.ts) and the campaign report (campaign-docx.ts): the page
// layout, runs in NFC, centred lines with their short rules, justified body paragraphs, bordered grids, the
// two-column header block (issuer and national name, symbol and place-date line), the closing block ("Nơi
// nhận" and the signature) and the A4 page with numbers from page 2.
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
import { ARCHIVE_COPY_LINE, NATIONAL_MOTTO, NATIONAL_NAME, PLACE_PLACEHOLDER, RECIPIENTS_HEADING } from './labels';
import { nfc, placeDateLine, superiorLine, upper } from './vietnamese';

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

export const mm = (v: number) => convertMillimetersToTwip(v);
export const TEXT_WIDTH = mm(DOCX_LAYOUT.pageMm.width - DOCX_LAYOUT.marginsMm.left - DOCX_LAYOUT.marginsMm.right);
/** non-breaking spaces: room for a number written by hand when the document is registered */
const NUMBER_GAP = '\u00a0'.repeat(8);

export interface RunStyle {
  bold?: boolean;
  italics?: boolean;
  underline?: boolean;
  size?: number;
}
export type Align = 'left' | 'center' | 'right';
export type Block = Paragraph | Table;

export const run = (text: string, s: RunStyle = {}) =>
  new TextRun({ text: nfc(text), bold: s.bold, italics: s.italics, size: s.size, underline: s.underline ? {} : undefined });

export function centered(text: string, s: RunStyle = {}, extra: Partial<IParagraphOptions> = {}): Paragraph {
  return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 0 }, ...extra, children: [run(text, s)] });
}

/** A short centred rule under a name or title (a solid line, a third to a half of the line above). */
export function rule(widthTwips: number, cellWidth: number): Paragraph {
  const side = Math.max(0, Math.round((cellWidth - widthTwips) / 2));
  return new Paragraph({
    indent: { left: side, right: side },
    spacing: { before: 0, after: 120, line: 120 },
    border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } },
    children: [run('', { size: 4 })],
  });
}

export function body(text: string, s: RunStyle = {}, extra: Partial<IParagraphOptions> = {}): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: DOCX_LAYOUT.firstLineIndent },
    spacing: { before: 0, after: 120, line: 288 },
    ...extra,
    children: [run(text, s)],
  });
}

export const heading = (text: string) => body(text, { bold: true }, { keepNext: true, spacing: { before: 120, after: 120, line: 288 } });

/** Narrative text as typed: one paragraph per non-empty line; `missing` when the unit has not written it. */
export function narrative(text: string | undefined, missing: string): Paragraph[] {
  if (text === undefined) return [body(missing, { italics: true })];
  const lines = nfc(text)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return lines.length > 0 ? lines.map((l) => body(l)) : [body('(Không có nội dung.)', { italics: true })];
}

function cell(text: string, width: number, s: RunStyle & { align?: Align } = {}): TableCell {
  const alignment = s.align === 'center' ? AlignmentType.CENTER : s.align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT;
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    verticalAlign: VerticalAlignTable.CENTER,
    margins: { left: 80, right: 80, top: 40, bottom: 40 },
    children: [new Paragraph({ alignment, spacing: { after: 0 }, children: [run(text, { size: DOCX_LAYOUT.tableSize, ...s })] })],
  });
}

export interface GridRow {
  cells: string[];
  bold?: boolean;
}

/** A bordered table whose header row repeats on every page and whose rows never split across pages. */
export function gridTable(widths: number[], header: string[], rows: GridRow[], align: Align[]): Table {
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

export interface HeaderBlockData {
  superiorName: string | null;
  issuerName: string;
  /** "BC-LĐLĐ": type code and issuer abbreviation */
  symbol: string;
  /** registration number; '' leaves room for the clerk */
  number: string;
  place: string;
  date: string;
}

/** Issuer and national name side by side, then the document symbol and the place-date line. */
export function headerBlock(d: HeaderBlockData): Table {
  const left = mm(62);
  const right = TEXT_WIDTH - left;
  const size = DOCX_LAYOUT.headerSize;
  const symbol = `Số:${d.number ? ` ${d.number}` : NUMBER_GAP}/${d.symbol}`;
  const borderless = (children: Paragraph[], width: number) => new TableCell({ width: { size: width, type: WidthType.DXA }, children });
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [left, right],
    layout: TableLayoutType.FIXED,
    borders: TableBorders.NONE,
    rows: [
      new TableRow({
        children: [
          borderless([...(d.superiorName ? [centered(superiorLine(d.superiorName), { size })] : []), centered(upper(d.issuerName), { bold: true, size }), rule(mm(22), left)], left),
          borderless(
            [centered(NATIONAL_NAME, { bold: true, size: DOCX_LAYOUT.nationalNameSize }), centered(NATIONAL_MOTTO, { bold: true, size, underline: true }), centered('', { size })],
            right,
          ),
        ],
      }),
      new TableRow({
        children: [borderless([centered(symbol, { size })], left), borderless([centered(placeDateLine(d.place || PLACE_PLACEHOLDER, d.date), { italics: true, size })], right)],
      }),
    ],
  });
}

/** Who signs: the title lines above the signature (bold, centred), then the name under it. */
export interface Signature {
  titleLines: readonly string[];
  name: string;
}

/** A signer's title lines; either field may hold two lines ("TM. BAN THƯỜNG VỤ\nCHỦ TỊCH"), blank lines are dropped. */
export function signerTitleLines(signer: { onBehalfOf: string; position: string }): string[] {
  return [signer.onBehalfOf, signer.position].flatMap((l) => l.split('\n')).filter((l) => l.trim() !== '');
}

/** "Nơi nhận" (with the archive copy last) beside the signature, kept on one page. */
export function closingBlock(distribution: readonly string[], signature: Signature): Table {
  const left = mm(80);
  const right = TEXT_WIDTH - left;
  const recipients = [...distribution, ARCHIVE_COPY_LINE].map((line, i, all) => {
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
            children: [...signature.titleLines.map((l) => centered(l, { bold: true })), blank(), blank(), blank(), blank(), centered(signature.name, { bold: true })],
          }),
        ],
      }),
    ],
  });
}

/** An A4 document in the Decree 30 page setup: Times New Roman, page numbers centred at the top from page 2. */
export function officialDocument(meta: { title: string; description: string }, children: Block[]): Promise<Buffer> {
  const doc = new Document({
    creator: 'baocao',
    title: nfc(meta.title),
    description: meta.description,
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
        headers: {
          first: new Header({ children: [new Paragraph({ children: [] })] }),
          default: new Header({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT], size: DOCX_LAYOUT.headerSize })] })] }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
