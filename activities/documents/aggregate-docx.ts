// The aggregate report of a node as a Word document in the Vietnamese administrative layout (Decree
// 30/2020/NĐ-CP, Appendix I): header block, title, the outline's sections, the figures per unit, who was late
// or missing, commendation proposals, "Nơi nhận" and the signature. A pure function of its input.
import type { Paragraph } from 'docx';
import type { UnitList } from '../../workflows/aggregate-types';
import { addFigures } from '../../workflows/aggregate';
import { FIGURE_KEYS, PHASES, ZERO_FIGURES, type Figures } from '../../workflows/report';
import { aggregateDocumentInputSchema, type AggregateDocumentData, type AggregateDocumentInput } from './aggregate-input';
import { DocumentInputError } from './errors';
import { body, centered, closingBlock, DOCX_LAYOUT, gridTable, headerBlock, heading, mm, narrative, officialDocument, rule, TEXT_WIDTH, type Block, type GridRow } from './docx-blocks';
import { COMMENDATION_KIND_LABELS, FIGURE_LABELS, PHASE_LABELS, REPORT_DOCUMENT_TYPE, REPORT_SECTIONS, REPORT_SYMBOL, STANDING_LABELS } from './labels';
import { formatCount, formatPercent, nfc } from './vietnamese';

// ── parts ────────────────────────────────────────────────────────────────────────────────────────────────

function titleBlock(d: AggregateDocumentData): Paragraph[] {
  return [
    centered(REPORT_DOCUMENT_TYPE, { bold: true }, { spacing: { before: 360, after: 0 } }),
    centered(d.subject, { bold: true }),
    rule(mm(40), TEXT_WIDTH),
    ...(d.asOfText ? [centered(`(Số liệu tổng hợp đến ${d.asOfText}${d.final ? ', khi kết thúc chu kỳ' : ''})`, { italics: true }, { spacing: { after: 240 } })] : []),
  ];
}

const sumFigures = (list: Figures[]) => list.reduce((acc, f) => addFigures(acc, f), { ...ZERO_FIGURES });

function figuresSection(d: AggregateDocumentData): Block[] {
  const rows: GridRow[] = d.rows.map((r, i) => ({
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
  const out: Block[] = [
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

function commendationsSection(d: AggregateDocumentData): Block[] {
  const out: Block[] = [heading(REPORT_SECTIONS.commendations)];
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

/** The DOCX bytes of a node's aggregate report. Throws `DocumentInputError` when the input is malformed. */
export async function renderAggregateDocx(input: AggregateDocumentInput): Promise<Buffer> {
  const parsed = aggregateDocumentInputSchema.safeParse(input);
  if (!parsed.success) throw new DocumentInputError('renderAggregateDocx', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const d = parsed.data;
  const n = d.narrative;
  const missing = '(Đơn vị chưa gửi báo cáo nội dung phần này.)';
  const bodyName = `${d.issuer.kind === 'grassroots' ? 'Ban Chấp hành' : 'Ban Thường vụ'} ${nfc(d.issuer.name)}`;
  const subjectLower = d.subject.charAt(0).toLocaleLowerCase('vi') + d.subject.slice(1);

  return officialDocument({ title: `${REPORT_DOCUMENT_TYPE} ${nfc(d.subject)}`, description: `${d.aggregate.cycleId} / ${d.issuer.unitId}` }, [
    headerBlock({
      superiorName: d.issuer.superiorName,
      issuerName: d.issuer.name,
      symbol: `${REPORT_SYMBOL}-${d.issuer.abbreviation}`,
      number: d.number,
      place: d.place,
      date: d.date,
    }),
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
    // the title fields as given, one line each (the campaign report splits a two-line field: see signerTitleLines)
    closingBlock(d.distribution, { titleLines: [d.signer.onBehalfOf, d.signer.position], name: d.signer.name }),
  ]);
}
