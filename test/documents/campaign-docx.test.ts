// The form-driven report DOCX, read back from word/document.xml: for the built-in campaign, the same text as
// today's aggregate report of the same archive (only the labels the form names differently, and the figure
// table the form adds); for the quarterly example and a plan with targets, the form's sections in order, its
// figures with labels, units, Vietnamese number style, target / achieved / %, the header and closing blocks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildAggregate } from '../../activities/archive/subtree';
import { renderAggregateDocx } from '../../activities/documents/aggregate-docx';
import { gatherAggregateDocument } from '../../activities/documents/aggregate-document';
import { aggregateDocumentInputSchema } from '../../activities/documents/aggregate-input';
import { builtinCampaignDocument } from '../../activities/documents/campaign-builtin-document';
import { formatFigure, renderCampaignReportDocx } from '../../activities/documents/campaign-docx';
import { DocumentInputError } from '../../activities/documents/errors';
import { FIGURE_LABELS, PHASE_LABELS, REPORT_SECTIONS } from '../../activities/documents/labels';
import { aggregateFigures, type FigureValues } from '../../domain/campaign-aggregation';
import { checkCampaignDefinition, formOf, type CampaignDefinition } from '../../domain/campaign';
import { BUILTIN_CAMPAIGN } from '../../domain/campaign-builtin';
import type { CampaignReportDocumentInput } from '../../domain/campaign-report-document';
import { FIGURE_KEYS } from '../../workflows/report';
import { testDatabases, type TestDatabase } from '../db/databases';
import { AS_OF, buildArchive, CYCLE, DISTRICT, NAMES, NFD_UNIT } from './fixture';
import { docxParagraphs, docxPart, type DocxParagraph } from './ooxml';

const texts = (ps: DocxParagraph[]) => ps.map((p) => p.text);

/** The texts of the `n` paragraphs (table cells) following the first paragraph whose text is `first`. */
function after(all: string[], first: string, n: number, from = 0): string[] {
  const i = all.indexOf(first, from);
  expect(i, `"${first}" is in the document`).toBeGreaterThanOrEqual(0);
  return all.slice(i + 1, i + 1 + n);
}

/** Matches `wanted` in order inside `all`; returns what of `all` was left over (the extra paragraphs). */
function extrasAround(wanted: string[], all: string[]): string[] {
  const extras: string[] = [];
  let j = 0;
  for (const w of wanted) {
    while (j < all.length && all[j] !== w) extras.push(all[j++]!);
    expect(j, `"${w}" appears in order in the campaign document`).toBeLessThan(all.length);
    j++;
  }
  return [...extras, ...all.slice(j)];
}

describe('campaign report DOCX of the built-in campaign', () => {
  let t: TestDatabase;
  let today: string[];
  let campaign: string[];
  const report = formOf(BUILTIN_CAMPAIGN, 'report')!;
  beforeAll(async () => {
    t = await testDatabases()[0]!.open();
    await buildArchive(t.db);
    const aggregate = await rebuildAggregate(t.db, { cycleId: CYCLE, unitId: DISTRICT, asOf: AS_OF });
    const data = aggregateDocumentInputSchema.parse(await gatherAggregateDocument(t.db, { cycleId: CYCLE, unitId: DISTRICT, aggregate }));
    today = texts(await docxParagraphs(await renderAggregateDocx(data)));
    campaign = texts(await docxParagraphs(await renderCampaignReportDocx(builtinCampaignDocument(data))));
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('carries every paragraph of today’s report, in order, with the form’s own titles and labels', () => {
    const sections = [REPORT_SECTIONS.leadership, REPORT_SECTIONS.implementation, REPORT_SECTIONS.assessment, REPORT_SECTIONS.recommendations];
    const renamed = new Map<string, string>([
      ...sections.map((s, i): [string, string] => [s, report.sections[i]!.title.vi]),
      [REPORT_SECTIONS.commendations, `7. ${report.lists[0]!.title.vi}`],
      ...FIGURE_KEYS.map((k): [string, string] => {
        const f = report.figures.find((x) => x.key === k)!;
        return [FIGURE_LABELS[k].vi, `${f.label.vi} (${f.unit.vi})`];
      }),
      [PHASE_LABELS.plan.vi, 'Kế hoạch năm'],
      [PHASE_LABELS.report.vi, 'Báo cáo kết quả năm'],
      [`a) ${PHASE_LABELS.plan.vi}`, 'a) Kế hoạch năm'],
      [`b) ${PHASE_LABELS.report.vi}`, 'b) Báo cáo kết quả năm'],
    ]);
    // the fixed report's sentence on its four figures is the form's figure table in a campaign report
    const summary = today.filter((x) => x.startsWith('Toàn đơn vị tổ chức'));
    expect(summary).toHaveLength(1);
    const wanted = today.filter((x) => x !== summary[0]).map((x) => renamed.get(x) ?? x);
    const extras = extrasAround(wanted, campaign);
    const figureTable = [
      ['STT', 'Chỉ tiêu', 'Đơn vị tính', 'Cách tổng hợp', 'Kết quả'],
      ...report.figures.map((f, i) => [String(i + 1), f.label.vi, f.unit.vi, 'Tổng', { studyClasses: '26', participants: '1.525', exemplaryModels: '7', exemplaryPeople: '20' }[f.key]!]),
    ].flat();
    expect([...extras].sort()).toEqual([...figureTable, 'Số liệu theo từng đơn vị trực thuộc:'].sort());
  });

  it('prints the same totals as the sentence of today’s report, in the figure table', () => {
    expect(after(campaign, 'Số lớp học tập, quán triệt', 3)).toEqual(['lớp', 'Tổng', '26']);
    expect(after(campaign, 'Số lượt người tham gia', 3)).toEqual(['người', 'Tổng', '1.525']);
    expect(today.find((x) => x.startsWith('Toàn đơn vị'))).toContain('26 lớp học tập, quán triệt với 1.525 lượt người tham gia');
    // per unit: standing of the plan and the report, then the four figures, as today
    expect(after(campaign, NAMES['CDCS-NT'], 6)).toEqual(['Nộp muộn', 'Nộp muộn', '4', '120', '1', '2']);
    expect(after(campaign, 'Tổng cộng', 6)).toEqual(['3/4', '3/4', '26', '1.525', '7', '20']);
  });

  it('keeps every name NFC, also one stored decomposed', () => {
    const all = campaign.join('\n');
    expect(all).toContain(NAMES[NFD_UNIT]);
    expect(all).toBe(all.normalize('NFC'));
  });
});

// ── the quarterly example, and a plan with targets ─────────────────────────────────────────────────────

const file = JSON.parse(readFileSync(join(__dirname, '../../examples/campaign-quarterly.json'), 'utf8')) as { id: string; definition: unknown };
const checked = checkCampaignDefinition(file.definition);
if (!checked.ok) throw new Error(`examples/campaign-quarterly.json: ${JSON.stringify(checked.problems)}`);
const QUARTERLY: CampaignDefinition = checked.definition;
const quarter = formOf(QUARTERLY, 'quarter')!;
const phaseRef = (key: string) => {
  const p = QUARTERLY.phases.find((x) => x.key === key)!;
  return { key: p.key, name: p.name };
};

const CHILDREN = [
  { unitId: 'CDCS-YP', name: 'Công đoàn cơ sở Công ty TNHH Samsung Electronics Việt Nam', values: { trainingSessions: 12, trainedWorkers: 4_800, safetyNetworkRate: 87.5, accidents: 2 } },
  { unitId: 'CDCS-QV', name: 'Công đoàn cơ sở Khu công nghiệp Quế Võ', values: { trainingSessions: 3, trainedWorkers: 150, safetyNetworkRate: 62.4, accidents: 0 } },
  { unitId: 'CDCS-TS', name: 'Công đoàn cơ sở Thị xã Từ Sơn', values: null },
];

function quarterlyDocument(extra: Partial<CampaignReportDocumentInput> = {}): CampaignReportDocumentInput {
  return {
    scope: 'level',
    campaign: { id: file.id, version: 1, name: QUARTERLY.name },
    phase: phaseRef('q2'),
    form: quarter,
    targets: null,
    year: 2027,
    issuer: { unitId: 'LDLD-BN', name: 'Liên đoàn Lao động tỉnh Bắc Ninh', kind: 'root', superiorName: 'Tổng Liên đoàn Lao động Việt Nam', abbreviation: 'LĐLĐ' },
    number: '41',
    place: 'Bắc Ninh',
    date: '2027-07-15',
    subject: 'Kết quả công tác an toàn, vệ sinh lao động quý II năm 2027',
    intro: 'Thực hiện Kế hoạch số 27/KH-LĐLĐ ngày 08/01/2027, Ban Thường vụ Liên đoàn Lao động tỉnh Bắc Ninh báo cáo như sau:',
    asOfText: '17:00 ngày 15/07/2027',
    final: false,
    sections: { results: 'Tổ chức 15 buổi huấn luyện.\nKiểm tra 40 cơ sở.', issues: 'Một số doanh nghiệp nhỏ chưa bố trí an toàn vệ sinh viên.' },
    standingPhases: [phaseRef('q2')],
    rows: CHILDREN.map((c) => ({ unitId: c.unitId, name: c.name, standings: { q2: c.values ? 'on-time' : 'overdue' }, figures: aggregateFigures(quarter.figures, [c.values]), targets: null })),
    own: null,
    submissions: [
      {
        phase: phaseRef('q2'),
        expected: 3,
        submittedOnTime: { ids: ['CDCS-YP', 'CDCS-QV'], total: 2 },
        submittedLate: { ids: [], total: 0 },
        notSubmitted: { ids: ['CDCS-TS'], total: 1 },
        overdue: { ids: ['CDCS-TS'], total: 1 },
        completeness: 66.7,
        timeliness: 66.7,
      },
    ],
    unitNames: Object.fromEntries(CHILDREN.map((c) => [c.unitId, c.name])),
    lists: [],
    distribution: ['Thường trực LĐLĐ tỉnh;', 'Ban Chính sách – Pháp luật;'],
    signer: { onBehalfOf: 'TM. BAN THƯỜNG VỤ', position: 'PHÓ CHỦ TỊCH', name: 'Nguyễn Thị Hồng Nhung' },
    figuresNote: '',
    ...extra,
  };
}

const render = async (d: CampaignReportDocumentInput) => {
  const bytes = await renderCampaignReportDocx(d);
  return { bytes, all: texts(await docxParagraphs(bytes)) };
};

describe('campaign report DOCX of the quarterly example', () => {
  it('has the header block, the title and the form’s sections in its order with their text', async () => {
    const { all } = await render(quarterlyDocument());
    expect(all.slice(0, 7)).toEqual(['TỔNG LĐLĐ VIỆT NAM', 'LIÊN ĐOÀN LAO ĐỘNG TỈNH BẮC NINH', '', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', '', 'Số: 41/BC-LĐLĐ']);
    expect(all).toContain('Bắc Ninh, ngày 15 tháng 7 năm 2027');
    expect(after(all, 'BÁO CÁO', 1)).toEqual(['Kết quả công tác an toàn, vệ sinh lao động quý II năm 2027']);
    expect(after(all, '1. Kết quả thực hiện trong quý', 3)).toEqual(['Tổ chức 15 buổi huấn luyện.', 'Kiểm tra 40 cơ sở.', '2. Tồn tại, kiến nghị']);
    // the added parts continue the form's numbering
    expect(all.indexOf('3. Số liệu tổng hợp của các đơn vị trực thuộc')).toBeGreaterThan(all.indexOf('2. Tồn tại, kiến nghị'));
    expect(all).toContain('4. Tình hình nộp kế hoạch, báo cáo của các đơn vị');
  });

  it('aggregates each figure by its rule, with its label, unit and Vietnamese number style', async () => {
    const { all } = await render(quarterlyDocument());
    expect(after(all, 'Số buổi huấn luyện an toàn', 3)).toEqual(['buổi', 'Tổng', '15']);
    expect(after(all, 'Số người lao động được huấn luyện', 3)).toEqual(['người', 'Tổng', '4.950']);
    expect(after(all, 'Tỷ lệ tổ có an toàn vệ sinh viên', 3)).toEqual(['%', 'Lớn nhất', '87,5']);
    // counted: one unit of the two reporting had accidents; the level's value is a number of units
    expect(after(all, 'Số vụ tai nạn lao động (cấp trên: số đơn vị có tai nạn)', 3)).toEqual(['đơn vị', 'Số đơn vị khác 0', '1']);
    // per unit, one column per figure
    expect(after(all, CHILDREN[1]!.name, 5)).toEqual(['Đúng hạn', '3', '150', '62,4', '0']);
    expect(after(all, CHILDREN[2]!.name, 5)).toEqual(['Quá hạn', '0', '0', '—', '0']);
    expect(after(all, 'Tổng cộng', 5)).toEqual(['2/3', '15', '4.950', '87,5', '1']);
    expect(all).toContain('Số đơn vị phải nộp: 3; đã nộp: 2 (đúng hạn: 2, nộp muộn: 0); chưa nộp: 1 (trong đó quá hạn: 1). Tỷ lệ nộp đầy đủ: 66,7%; tỷ lệ nộp đúng hạn: 66,7%.');
    expect(after(all, '- Các đơn vị chưa nộp (1 đơn vị):', 1)).toEqual([`+ ${CHILDREN[2]!.name}.`]);
  });

  it('ends with the closing sentence, "Nơi nhận" and the signer of the campaign', async () => {
    const { all, bytes } = await render(quarterlyDocument());
    const closing = all.findIndex((x) => x.startsWith('Trên đây là báo cáo kết quả công tác an toàn'));
    expect(all[closing]).toBe('Trên đây là báo cáo kết quả công tác an toàn, vệ sinh lao động quý II năm 2027 của Ban Thường vụ Liên đoàn Lao động tỉnh Bắc Ninh./.');
    expect(all.slice(closing + 1, closing + 5)).toEqual(['Nơi nhận:', '- Thường trực LĐLĐ tỉnh;', '- Ban Chính sách – Pháp luật;', '- Lưu: VP, TG.']);
    expect(all.slice(closing + 5, closing + 12)).toEqual(['TM. BAN THƯỜNG VỤ', 'PHÓ CHỦ TỊCH', '', '', '', '', 'Nguyễn Thị Hồng Nhung']);
    const xml = await docxPart(bytes, 'word/document.xml');
    expect(xml).toBe(xml.normalize('NFC'));
  });

  it('a unit’s own report shows its figures as typed, without the units’ table or the submissions part', async () => {
    const { all } = await render(
      quarterlyDocument({ scope: 'unit', rows: [], submissions: [], own: { name: CHILDREN[0]!.name, values: CHILDREN[0]!.values!, targets: null }, standingPhases: [] }),
    );
    expect(all).toContain('3. Số liệu');
    expect(after(all, 'Số vụ tai nạn lao động (cấp trên: số đơn vị có tai nạn)', 2)).toEqual(['vụ', '2']);
    expect(after(all, 'Tỷ lệ tổ có an toàn vệ sinh viên', 2)).toEqual(['%', '87,5']);
    expect(all.some((x) => x.includes('Tình hình nộp'))).toBe(false);
    expect(all).not.toContain('Tổng cộng');
  });

  it('a report with plan targets shows target, achieved and % achieved per unit and in the total (no % without a target)', async () => {
    const targets: FigureValues[] = [{ trainingSessions: 10, safetyNetworkRate: 80 }, { trainingSessions: 0, safetyNetworkRate: 70 }, { trainingSessions: 5 }];
    const { all } = await render(
      quarterlyDocument({
        targets: { phase: { key: 'plan', name: { vi: 'Kế hoạch năm', en: 'Yearly plan' } }, figures: ['trainingSessions', 'safetyNetworkRate'] },
        rows: CHILDREN.map((c, i) => ({
          unitId: c.unitId,
          name: c.name,
          standings: { q2: c.values ? 'on-time' : 'overdue' },
          figures: aggregateFigures(quarter.figures, [c.values]),
          targets: aggregateFigures(quarter.figures, [targets[i]!]),
        })),
      }),
    );
    expect(after(all, 'Chỉ tiêu', 6)).toEqual(['Đơn vị tính', 'Cách tổng hợp', 'Kế hoạch', 'Thực hiện', 'Tỷ lệ thực hiện', '1']);
    // 15 sessions of 15 planned; the rate's target rolls up by maximum too: 87,5 of 80
    expect(after(all, 'Số buổi huấn luyện an toàn', 5)).toEqual(['buổi', 'Tổng', '15', '15', '100%']);
    expect(after(all, 'Tỷ lệ tổ có an toàn vệ sinh viên', 5)).toEqual(['%', 'Lớn nhất', '80', '87,5', '109,4%']);
    // no target for this figure: its value only
    expect(after(all, 'Số người lao động được huấn luyện', 5)).toEqual(['người', 'Tổng', '—', '4.950', '—']);
    // per unit: a target of 0 has no %, a unit that did not report achieved 0 of its 5
    expect(after(all, CHILDREN[0]!.name, 4)).toEqual(['Đúng hạn', '10', '12', '120%']);
    expect(after(all, CHILDREN[1]!.name, 4)).toEqual(['Đúng hạn', '0', '3', '—']);
    expect(after(all, CHILDREN[2]!.name, 4)).toEqual(['Quá hạn', '5', '0', '0%']);
    expect(after(all, 'Tổng cộng', 4)).toEqual(['2/3', '15', '15', '100%']);
  });

  it('refuses a malformed input, saying which field', async () => {
    await expect(renderCampaignReportDocx({ ...quarterlyDocument(), date: '15/07/2027' })).rejects.toBeInstanceOf(DocumentInputError);
    await expect(renderCampaignReportDocx({ ...quarterlyDocument(), date: '15/07/2027' })).rejects.toThrow(/date/);
  });
});

describe('formatFigure', () => {
  it('writes whole numbers with dots and decimals with a comma, up to the figure’s digits', () => {
    expect(formatFigure({ type: 'integer', decimals: 2 }, 1_234_567)).toBe('1.234.567');
    expect(formatFigure({ type: 'decimal', decimals: 2 }, 1234.5)).toBe('1.234,5');
    expect(formatFigure({ type: 'decimal', decimals: 1 }, 62.25)).toBe('62,3');
    expect(formatFigure({ type: 'decimal', decimals: 3 }, 0.125)).toBe('0,125');
    expect(formatFigure({ type: 'decimal', decimals: 3 }, null)).toBe('—');
  });
});
