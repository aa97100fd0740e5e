// The report of a campaign phase gathered from the archive and the directory, rendered and read back: a
// district's Q2 report of the quarterly example (with a yearly plan's targets) — its own narrative, the
// figures of each unit below by each figure's rule with target and %, who submitted — and a grassroots
// union's own report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCampaignReportDocument, gatherCampaignReportDocument } from '../../activities/documents/campaign-document';
import { renderCampaignReportDocx } from '../../activities/documents/campaign-docx';
import { DocumentInputError } from '../../activities/documents/errors';
import { DOCX_CONTENT_TYPE } from '../../activities/documents/labels';
import { coveredPhases } from '../../domain/campaign-report-document';
import { BUILTIN_CAMPAIGN, BUILTIN_CAMPAIGN_ID, BUILTIN_CAMPAIGN_VERSION } from '../../domain/campaign-builtin';
import { ensureBuiltinCampaign } from '../../activities/campaigns/repository';
import { testDatabases, type TestDatabase } from '../db/databases';
import { buildQuarterlyArchive, QUARTERLY_CYCLE, QUARTERLY_ID, quarterlyWithPlan } from './campaign-fixture';
import { AS_OF as FIXTURE_AS_OF, buildArchive, CHAIR_LB, CYCLE, DISTRICT, NAMES } from './fixture';
import { docxParagraphs } from './ooxml';

const AS_OF = '2027-07-20T10:00:00.000Z';
const campaign = { id: QUARTERLY_ID, version: 1 };

function after(all: string[], first: string, n: number): string[] {
  const i = all.indexOf(first);
  expect(i, `"${first}" is in the document`).toBeGreaterThanOrEqual(0);
  return all.slice(i + 1, i + 1 + n);
}

describe('coveredPhases', () => {
  it('is the phases since the previous report on the same form, this one last', () => {
    const def = quarterlyWithPlan();
    expect(coveredPhases(def, 'q1')).toEqual(['plan', 'q1']);
    expect(coveredPhases(def, 'q2')).toEqual(['q2']);
    expect(coveredPhases(BUILTIN_CAMPAIGN, 'report')).toEqual(['plan', 'report']);
    expect(coveredPhases(def, 'nope')).toEqual([]);
  });
});

describe.each(testDatabases())('campaign report gathered from the archive on $name', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await kind.open();
    await buildArchive(t.db);
    await buildQuarterlyArchive(t.db);
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('a district’s Q2 report: header, its own narrative, each unit below by the figures’ rules with targets, who submitted', async () => {
    const data = await gatherCampaignReportDocument(t.db, { cycleId: QUARTERLY_CYCLE, unitId: DISTRICT, phase: 'q2', campaign, asOf: AS_OF }, quarterlyWithPlan());
    const all = (await docxParagraphs(await renderCampaignReportDocx(data))).map((p) => p.text);
    expect(all.slice(0, 2)).toEqual(['LĐLĐ THÀNH PHỐ HÀ NỘI', 'LIÊN ĐOÀN LAO ĐỘNG QUẬN LONG BIÊN']);
    expect(all).toContain('Long Biên, ngày 20 tháng 7 năm 2027');
    expect(after(all, 'BÁO CÁO', 1)).toEqual(['Kết quả thực hiện Kế hoạch số 27/KH-LĐLĐ (Báo cáo quý II) năm 2027']);
    expect(all).toContain(
      'Thực hiện Kế hoạch số 27/KH-LĐLĐ ngày 08/01/2027 của Ban Thường vụ Liên đoàn Lao động tỉnh Bắc Ninh, Ban Thường vụ Liên đoàn Lao động Quận Long Biên báo cáo kết quả thực hiện Kế hoạch số 27/KH-LĐLĐ (Báo cáo quý II) năm 2027 như sau:',
    );
    expect(after(all, '1. Kết quả thực hiện trong quý', 2)).toEqual(['Quận tổ chức 2 buổi huấn luyện cho cán bộ công đoàn.', 'Kiểm tra 12 doanh nghiệp.']);
    // totals: 12 + 3 + 1 + 2 sessions of 20 planned; the larger rate 87,5 of the larger target 90; 2 units had accidents
    expect(after(all, 'Số buổi huấn luyện an toàn', 5)).toEqual(['buổi', 'Tổng', '20', '18', '90%']);
    expect(after(all, 'Tỷ lệ tổ có an toàn vệ sinh viên', 5)).toEqual(['%', 'Lớn nhất', '90', '87,5', '97,2%']);
    expect(after(all, 'Số người lao động được huấn luyện', 5)).toEqual(['người', 'Tổng', '—', '5.060', '—']);
    expect(after(all, 'Số vụ tai nạn lao động (cấp trên: số đơn vị có tai nạn)', 5)).toEqual(['đơn vị', 'Số đơn vị khác 0', '—', '2', '—']);
    // per unit directly below (whole subtrees), in the tree's order: Q2 standing, sessions target / achieved / %, workers
    expect(after(all, NAMES['CDCS-DG'], 5)).toEqual(['Đúng hạn', '20', '12', '60%', '4.800']);
    expect(after(all, NAMES['CDCS-NT'], 5)).toEqual(['Nộp muộn', '0', '3', '—', '150']);
    expect(after(all, NAMES['CDCS-BV'], 5)).toEqual(['Quá hạn', '—', '0', '—', '0']);
    expect(after(all, NAMES['CD-KCQ'], 5)).toEqual(['Chưa nộp', '—', '1', '—', '30']);
    expect(after(all, `${NAMES[DISTRICT]} (trực tiếp thực hiện)`, 5)).toEqual(['', '—', '2', '—', '80']);
    expect(after(all, 'Tổng cộng', 5)).toEqual(['2/4', '20', '18', '90%', '5.060']);
    expect(all).toContain('4. Tình hình nộp kế hoạch, báo cáo của các đơn vị');
    expect(after(all, 'a) Báo cáo quý II', 1)).toEqual([
      'Số đơn vị phải nộp: 6; đã nộp: 3 (đúng hạn: 2, nộp muộn: 1); chưa nộp: 3 (trong đó quá hạn: 1). Tỷ lệ nộp đầy đủ: 50%; tỷ lệ nộp đúng hạn: 33,3%.',
    ]);
    expect(all).toContain(`+ ${NAMES['CDCS-BV']}.`);
    expect(all.slice(-1)).toEqual([CHAIR_LB]);
  });

  it('counts only what happened by the document’s instant', async () => {
    const before = await gatherCampaignReportDocument(t.db, { cycleId: QUARTERLY_CYCLE, unitId: DISTRICT, phase: 'q2', campaign, asOf: '2027-07-01T00:00:00.000Z' }, quarterlyWithPlan());
    expect(before.sections).toBeNull();
    expect(before.submissions![0]!.notSubmitted.total).toBe(6);
  });

  it('a grassroots union’s own report shows its figures as typed, with its plan’s targets', async () => {
    const doc = await buildCampaignReportDocument(t.db, { cycleId: QUARTERLY_CYCLE, unitId: 'CDCS-DG', phase: 'q2', campaign, scope: 'unit', asOf: AS_OF }, quarterlyWithPlan());
    expect(doc).toMatchObject({ filename: `bao-cao-${QUARTERLY_CYCLE.replace('~', '-')}-q2-CDCS-DG.docx`, contentType: DOCX_CONTENT_TYPE });
    const all = (await docxParagraphs(Buffer.from(doc.contentBase64, 'base64'))).map((p) => p.text);
    expect(all.slice(0, 2)).toEqual(['LĐLĐ QUẬN LONG BIÊN', 'CÔNG ĐOÀN CƠ SỞ CÔNG TY CP MAY ĐỨC GIANG']);
    expect(after(all, '1. Kết quả thực hiện trong quý', 1)).toEqual(['Đã huấn luyện.']);
    expect(after(all, 'Số buổi huấn luyện an toàn', 4)).toEqual(['buổi', '20', '12', '60%']);
    expect(after(all, 'Số vụ tai nạn lao động (cấp trên: số đơn vị có tai nạn)', 4)).toEqual(['vụ', '—', '2', '—']);
    expect(all).not.toContain('Tổng cộng');
    expect(all).toContain('TM. BAN CHẤP HÀNH');
  });

  it('refuses a phase the campaign does not have, naming the ones it has', async () => {
    const call = gatherCampaignReportDocument(t.db, { cycleId: QUARTERLY_CYCLE, unitId: DISTRICT, phase: 'q5', campaign, asOf: AS_OF }, quarterlyWithPlan());
    await expect(call).rejects.toBeInstanceOf(DocumentInputError);
    await expect(call).rejects.toThrow(/q5.*plan, q1, q2, q3, q4/);
  });
});

describe('the built-in campaign through the form-driven gatherer', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await testDatabases()[0]!.open();
    await buildArchive(t.db);
    await ensureBuiltinCampaign(t.db);
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('reads the definition from the store and tabulates what today’s report does', async () => {
    const doc = await buildCampaignReportDocument(t.db, { cycleId: CYCLE, unitId: DISTRICT, phase: 'report', campaign: { id: BUILTIN_CAMPAIGN_ID, version: BUILTIN_CAMPAIGN_VERSION }, asOf: FIXTURE_AS_OF });
    const all = (await docxParagraphs(Buffer.from(doc.contentBase64, 'base64'))).map((p) => p.text);
    // as test/documents/docx.test.ts has it for today's report of the same archive
    expect(after(all, NAMES['CD-KCQ'], 6)).toEqual(['Đúng hạn', 'Đúng hạn', '5', '155', '1', '4']);
    expect(after(all, NAMES['CDCS-NT'], 6)).toEqual(['Nộp muộn', 'Nộp muộn', '4', '120', '1', '2']);
    expect(after(all, 'Tổng cộng', 6)).toEqual(['3/4', '3/4', '26', '1.525', '7', '20']);
    expect(all).toContain('Tổng số đề nghị: 3 (1 tập thể, 2 cá nhân), gồm:');
  });
});
