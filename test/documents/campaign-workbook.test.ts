// The workbook of a campaign cycle, streamed from the archive and read back with ExcelJS: one sheet per phase,
// a row per unit with its status, version, instant and files, a column per figure (label and unit in the
// header), target and % where a plan set targets, and totals by each figure's rule. The built-in campaign's
// report sheet agrees with today's cycle workbook unit for unit.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCycleWorkbook, WORKBOOK_COLUMNS } from '../../activities/documents/cycle-workbook';
import { FIGURE_KEYS } from '../../workflows/report';
import { campaignWorkbookBuffer, CAMPAIGN_HEADER_ROWS, CAMPAIGN_TOTAL_LABEL, sheetNameOf } from '../../activities/documents/campaign-workbook';
import { writeArchivedCampaignWorkbook } from '../../activities/documents/campaign-workbook-rows';
import { insertFile, markAttached } from '../../activities/files/repository';
import type { CampaignDefinition } from '../../domain/campaign';
import { BUILTIN_CAMPAIGN, BUILTIN_CAMPAIGN_ID } from '../../domain/campaign-builtin';
import { workbookPhases } from '../../domain/campaign-workbook';
import { testDatabases, type TestDatabase } from '../db/databases';
import { buildQuarterlyArchive, QUARTERLY_CYCLE, QUARTERLY_ID, quarterlyWithPlan } from './campaign-fixture';
import { buildArchive, CYCLE, NAMES, NFD_UNIT } from './fixture';

type Db = TestDatabase['db'];

async function archivedWorkbook(db: Db, cycleId: string, id: string, definition: CampaignDefinition) {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => sink.once('end', resolve));
  const progress: { phase: string; rows: number }[] = [];
  const { sheets } = await writeArchivedCampaignWorkbook(db, sink, { cycleId, campaign: { id, version: 1 }, definition, onProgress: (p) => progress.push(p) });
  await ended;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  return { wb, sheets, progress };
}

/** A sheet as header-keyed rows: `{ 'Mã đơn vị': 'CDCS-DG', … }`, the totals row last. */
function table(ws: ExcelJS.Worksheet): { header: string[]; english: string[]; rows: Record<string, unknown>[] } {
  const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const english = (ws.getRow(2).values as unknown[]).slice(1).map(String);
  const rows: Record<string, unknown>[] = [];
  for (let r = CAMPAIGN_HEADER_ROWS + 1; r <= ws.rowCount; r++) {
    const values = ws.getRow(r).values as unknown[];
    rows.push(Object.fromEntries(header.map((h, i) => [h, values[i + 1] ?? null])));
  }
  return { header, english, rows };
}

/** The cached result of a formula cell (ExcelJS does not round-trip a cached 0: Excel computes it on open). */
const resultOf = (v: unknown) => (v && typeof v === 'object' && 'formula' in v ? ((v as { result?: unknown }).result ?? 0) : v);
const formulaOf = (v: unknown) => (v && typeof v === 'object' && 'formula' in v ? (v as { formula: string }).formula : undefined);

describe.each(testDatabases())('campaign cycle workbook on $name', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await kind.open();
    await buildArchive(t.db);
    // two files attached to CDCS-DG's report, one upload never attached (not counted)
    for (const [i, attached] of [[1, true], [2, true], [3, false]] as const) {
      await insertFile(t.db, {
        id: `file-dg-${i}`, sha256: String(i).repeat(64), size: 1000, mediaType: 'application/pdf', name: `Báo cáo ký số ${i}.pdf`, ownerKind: 'submission',
        cycleId: CYCLE, unitId: 'CDCS-DG', phase: 'report', campaignId: null, uploadedBy: 'CDCS-DG', uploadedAt: '2027-11-19T03:00:00.000Z',
      });
      if (attached) await markAttached(t.db, [`file-dg-${i}`], 1, '2027-11-20T03:00:00.000Z');
    }
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('the built-in campaign: a sheet per phase, a row per unit, its figures as today’s workbook has them', async () => {
    const { wb, sheets, progress } = await archivedWorkbook(t.db, CYCLE, BUILTIN_CAMPAIGN_ID, BUILTIN_CAMPAIGN);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Kế hoạch năm', 'Báo cáo kết quả năm']);
    expect(sheets.map((s) => s.rows)).toEqual([9, 9]);
    expect(progress).toEqual([{ phase: 'plan', rows: 9 }, { phase: 'report', rows: 9 }]);

    const report = table(wb.getWorksheet('Báo cáo kết quả năm')!);
    expect(report.header).toEqual([
      'Mã đơn vị', 'Tên đơn vị', 'Loại đơn vị', 'Cấp', 'Mã đơn vị cấp trên', 'Trạng thái', 'Ngày nộp', 'Phiên bản', 'Số tệp đính kèm',
      'Số lớp học tập, quán triệt (lớp)', 'Số lượt người tham gia (người)', 'Mô hình hay, cách làm sáng tạo (mô hình)', 'Gương điển hình tiêu biểu (người)',
    ]);
    expect(report.english.slice(-4)).toEqual(['Study classes (classes)', 'Participants (people)', 'Exemplary models (models)', 'Exemplary people (people)']);
    const byId = new Map(report.rows.map((r) => [r['Mã đơn vị'], r]));
    expect(byId.get('CDCS-NT')).toMatchObject({
      'Tên đơn vị': NAMES[NFD_UNIT],
      'Loại đơn vị': 'Công đoàn cơ sở',
      'Cấp': 2,
      'Mã đơn vị cấp trên': 'LDLD-LB',
      'Trạng thái': 'Nộp muộn (Chờ xem xét)',
      'Phiên bản': 2,
      'Số tệp đính kèm': 0,
      'Số lớp học tập, quán triệt (lớp)': 4,
      'Số lượt người tham gia (người)': 120,
    });
    // 10:00 local on 20 November (03:00Z): Excel keeps the wall-clock time of Hà Nội
    expect(byId.get('CDCS-DG')).toMatchObject({ 'Trạng thái': 'Đúng hạn (Đã chấp nhận)', 'Số tệp đính kèm': 2, 'Ngày nộp': new Date(Date.UTC(2027, 10, 20, 10, 0, 0)) });
    expect(byId.get('CDCS-BV')).toMatchObject({ 'Trạng thái': 'Quá hạn', 'Phiên bản': null, 'Số lớp học tập, quán triệt (lớp)': null });

    // unit for unit, the figures of today's cycle workbook
    const today = new ExcelJS.Workbook();
    await today.xlsx.load((await buildCycleWorkbook(t.db, CYCLE)) as unknown as ArrayBuffer);
    const old = today.worksheets[0]!;
    for (let r = 3; r < old.rowCount; r++) {
      const id = old.getRow(r).getCell(1).value as string;
      const cells = FIGURE_KEYS.map((k) => old.getRow(r).getCell(WORKBOOK_COLUMNS.findIndex((c) => c.key === k) + 1).value ?? null);
      expect([id, ...report.header.slice(-4).map((h) => byId.get(id)![h])]).toEqual([id, ...cells]);
    }
    // totals by the rule (all summed), with the formula Excel recomputes under a filter
    const totals = report.rows.find((r) => r['Tên đơn vị'] === CAMPAIGN_TOTAL_LABEL)!;
    expect(resultOf(totals['Số lượt người tham gia (người)'])).toBe(850 + 120 + 60 + 95 + 400 + 100);
    expect(formulaOf(totals['Số lượt người tham gia (người)'])).toMatch(/^SUBTOTAL\(109,K3:K11\)$/);
    expect(resultOf(totals['Số tệp đính kèm'])).toBe(2);
    expect(totals['Trạng thái']).toBe('6/9 đã nộp');
  });

  it('the quarterly example: a sheet per quarter, max and count-of-non-zero totals, decimals kept; targets with %', async () => {
    await buildQuarterlyArchive(t.db);
    const { wb } = await archivedWorkbook(t.db, QUARTERLY_CYCLE, QUARTERLY_ID, quarterlyWithPlan());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Kế hoạch năm', 'Báo cáo quý I', 'Báo cáo quý II', 'Báo cáo quý III', 'Báo cáo quý IV']);
    const q2 = table(wb.getWorksheet('Báo cáo quý II')!);
    expect(q2.header.slice(9)).toEqual([
      'Số buổi huấn luyện an toàn (buổi): kế hoạch', 'Số buổi huấn luyện an toàn (buổi): thực hiện', 'Số buổi huấn luyện an toàn (buổi): % thực hiện',
      'Số người lao động được huấn luyện (người)',
      'Tỷ lệ tổ có an toàn vệ sinh viên (%): kế hoạch', 'Tỷ lệ tổ có an toàn vệ sinh viên (%): thực hiện', 'Tỷ lệ tổ có an toàn vệ sinh viên (%): % thực hiện',
      'Số vụ tai nạn lao động (cấp trên: số đơn vị có tai nạn) (vụ)',
    ]);
    const [sT, sA, sP, workers, rT, rA, rP, accidents] = q2.header.slice(9) as [string, string, string, string, string, string, string, string];
    const byId = new Map(q2.rows.map((r) => [r['Mã đơn vị'], r]));
    expect(byId.get('CDCS-DG')).toMatchObject({ [sT]: 20, [sA]: 12, [sP]: 0.6, [rT]: 90, [rA]: 87.5, [accidents]: 2, 'Trạng thái': 'Đúng hạn (Chờ xem xét)' });
    // a target of 0: no %; the decimal is kept exactly
    expect(byId.get('CDCS-NT')).toMatchObject({ [sT]: 0, [sA]: 3, [sP]: null, [rA]: 62.4, 'Trạng thái': 'Nộp muộn (Chờ xem xét)' });
    expect(byId.get('CDCS-BV')).toMatchObject({ 'Trạng thái': 'Quá hạn', [sA]: null });
    expect(byId.get('CDCS-PGD')).toMatchObject({ 'Trạng thái': 'Chưa nộp' });
    const totals = q2.rows.find((r) => r['Tên đơn vị'] === CAMPAIGN_TOTAL_LABEL)!;
    expect(resultOf(totals[sA])).toBe(18);
    expect(resultOf(totals[workers])).toBe(5060);
    expect(resultOf(totals[rA])).toBe(87.5);
    expect(formulaOf(totals[rA])).toMatch(/^SUBTOTAL\(104,/);
    expect(resultOf(totals[accidents])).toBe(2);
    expect(formulaOf(totals[accidents])).toMatch(/^COUNTIFS\(/);
    // targets total by the same rule: 20 + 0 sessions, the larger rate 90; % of the totals (18 of 20)
    expect(resultOf(totals[sT])).toBe(20);
    expect(totals[sP]).toBe(0.9);
    expect(resultOf(totals[rT])).toBe(90);
    expect(totals[rP]).toBeCloseTo(87.5 / 90, 10);
    const rules = q2.rows.at(-1)!;
    expect(rules[rA]).toBe('Lớn nhất / Maximum');
    expect(rules[accidents]).toBe('Số đơn vị khác 0 / Units with a non-zero value');
    // the number formats follow each figure's type
    const ws = wb.getWorksheet('Báo cáo quý II')!;
    expect(ws.getRow(3).getCell(q2.header.indexOf(rA) + 1).numFmt).toBe('#,##0.0');
    expect(ws.getRow(3).getCell(q2.header.indexOf(workers) + 1).numFmt).toBe('#,##0');
    // a quarter nobody reported
    const q3 = table(wb.getWorksheet('Báo cáo quý III')!);
    const none = q3.rows.find((r) => r['Tên đơn vị'] === CAMPAIGN_TOTAL_LABEL)!;
    expect(none['Trạng thái']).toBe('0/9 đã nộp');
    expect(resultOf(none[accidents])).toBe(0);
  });
});

describe('campaign workbook from rows', () => {
  it('streams many rows to bytes and names sheets as Excel allows', async () => {
    const phases = workbookPhases(BUILTIN_CAMPAIGN);
    async function* rows() {
      for (let i = 0; i < 1_000; i++)
        yield { unitId: `U${i}`, name: `Công đoàn cơ sở số ${i}`, kind: 'grassroots' as const, parentId: 'ROOT', depth: 1, standing: 'on-time' as const, review: 'accepted' as const, submittedAt: '2027-11-01T01:00:00Z', version: 1, values: { studyClasses: 1, participants: i }, targets: null, files: 1 };
    }
    const bytes = await campaignWorkbookBuffer({ cycleId: 'cycle-2027-ROOT', campaign: { id: BUILTIN_CAMPAIGN_ID, version: 1, name: BUILTIN_CAMPAIGN.name }, phases: phases.slice(1), rows: () => rows() });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(2 + 1_000 + 2);
    expect(resultOf(ws.getRow(2 + 1_000 + 1).getCell(11).value)).toBe((999 * 1_000) / 2);
    const taken = new Set<string>();
    expect(sheetNameOf('Báo cáo: quý I/2027 [bản chính]', taken)).toBe('Báo cáo- quý I-2027 -bản chính-');
    expect(sheetNameOf('Báo cáo- quý I-2027 -bản chính-', taken)).toBe('Báo cáo- quý I-2027 -bản chín 2');
  });
});
