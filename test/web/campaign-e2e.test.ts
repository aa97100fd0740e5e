// A cycle of the quarterly campaign (examples/campaign-quarterly.json) on the web, against the real stack: the
// time-skipping Temporal server, the production worker wiring, a SQLite database, a real SMTP server and
// Debian's Chromium. The secretariat starts the cycle from the campaign's page (its phases and deadlines
// previewed first; a second start, an unknown version and a past year refused beside their fields). A unit opens the link of its task email and sees every phase and the form generated from
// the campaign's form; a broken cross-field rule is refused beside its field in both languages, typed values
// kept; it uploads its signed PDF to the phase (an executable renamed .pdf refused) and submits with it; its
// supervisor opens the file on the unit's page and accepts. Then, over HTTP: what a link and a staff member may
// see and do (another unit's link, a unit outside the staff member's units, the secretariat's workbook), the
// downloads opened and read, a file reference the archive refuses, and "remind now" from the cycle page.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail } from '../../activities/archive/store';
import { importCampaign } from '../../activities/campaigns/repository';
import { DOCX_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '../../activities/documents/labels';
import { campaignSubmit, campaignUnitStatus } from '../../client/campaign-cycles';
import { campaignCycleId, unitWorkflowId } from '../../workflows/ids';
import { sampleExe, samplePdf } from '../files/samples';
import { browserStack } from '../support/browser-stack';
import type { CycleHarness } from '../support/cycle-harness';
import { until } from '../support/cycle-fixtures';
import { CookieClient, officerEmail, signInByEmail, webTree, type RunningWebApp } from './support';

const EXAMPLE = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json'), 'utf8')) as { id: string; definition: Record<string, unknown> };
const RULE_VI = 'Số người được huấn luyện không thể ít hơn số buổi huấn luyện';
const RULE_EN = 'Workers trained cannot be fewer than training sessions';
const PDF_NAME = 'Báo cáo quý I – bản ký, đóng dấu.pdf';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const stack = browserStack('web-campaign');
const { newPage } = stack;
let env: TestWorkflowEnvironment;
let h: CycleHarness;
let web: RunningWebApp;
let cycleId: string;
let year: number;

beforeAll(async () => {
  const started = await stack.start();
  ({ env, h, web, year } = started);
  await importCampaign(h.db, { id: EXAMPLE.id, definition: EXAMPLE.definition }, { by: 'test' });
}, 240_000);

afterAll(() => stack.close(), 120_000);

/** The personal link in the campaign task email to `unitId`'s officer. */
async function taskLink(unitId: string): Promise<string> {
  const to = officerEmail(unitId);
  const pattern = new RegExp(`${web.url.replace(/[.:/]/g, '\\$&')}/t/[A-Za-z0-9_-]{43}`);
  await h.sink.waitFor((all) => all.some((m) => m.to.includes(to) && pattern.test(m.text)), { what: `campaign task email to ${to}` });
  const mail = h.sink.messages.filter((m) => m.to.includes(to) && pattern.test(m.text)).at(-1)!;
  expect(mail.subject).toContain('Báo cáo quý về an toàn, vệ sinh lao động');
  return pattern.exec(mail.text)![0];
}

const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();

describe('a campaign cycle on the web', () => {
  it('the secretariat starts it from the campaign page: phases and deadlines per level first, then the confirmation; refusals beside their fields', { timeout: 240_000 }, async () => {
    const http = await signInByEmail(web.url, h.sink, officerEmail('LDLD-TN'));
    const sec = await newPage();
    await sec.context().addCookies([...http.cookies].map(([name, value]) => ({ name, value, url: web.url })));
    await sec.goto(`${web.url}/campaigns/${EXAMPLE.id}`);
    await sec.click('#start-cycle');
    await sec.locator('#start-form').waitFor();
    // the campaign shown is chosen, at its version; the built-in yearly cycle is the other choice
    expect(await sec.inputValue('#f-campaign')).toBe(`${EXAMPLE.id}@1`);
    expect(await sec.locator('#f-campaign option[value=""]').textContent()).toContain('Chu kỳ năm mặc định');
    await sec.fill('#f-year', String(year));
    await sec.click('#start-form button[type=submit]');
    await sec.locator('#preview-phases').waitFor();
    expect(await text(sec, '#preview-campaign')).toContain(`${campaignCycleId(year, 'LDLD-TN', EXAMPLE.id)}`);
    // a column per phase, a row per level of the tree; each lower level due before the level above it
    expect(await sec.locator('#preview-phases thead th[data-phase]').allTextContents()).toEqual(['Báo cáo quý I', 'Báo cáo quý II', 'Báo cáo quý III', 'Báo cáo quý IV']);
    expect(await sec.locator('#preview-phases tbody tr').count()).toBe(3);
    const dayOf = async (depth: number, phase: string) => {
      const m = /(\d{2})\/(\d{2})\/(\d{4})/.exec(await text(sec, `#preview-phases tr[data-depth="${depth}"] td[data-phase=${phase}]`))!;
      return `${m[3]}-${m[2]}-${m[1]}`;
    };
    expect(await dayOf(2, 'q1')).toMatch(new RegExp(`^${year}-04-`));
    expect(await dayOf(2, 'q1') < (await dayOf(0, 'q1'))).toBe(true);
    expect(await dayOf(0, 'q4') > (await dayOf(0, 'q3'))).toBe(true);
    // the preview started nothing; the JSON API previews the same
    expect(await campaignUnitStatus(env.client, campaignCycleId(year, 'LDLD-TN', EXAMPLE.id), 'LDLD-TN').catch(() => 'none')).toBe('none');
    const api = JSON.parse((await http.request(`/api/cycles/preview?year=${year}&rootUnitId=LDLD-TN&campaign=${EXAMPLE.id}`)).text);
    expect(api).toMatchObject({ kind: 'campaign', cycleId: campaignCycleId(year, 'LDLD-TN', EXAMPLE.id), campaign: { id: EXAMPLE.id, version: 1 }, depths: 3 });
    expect(api.plan.phaseKeys).toEqual(['q1', 'q2', 'q3', 'q4']);

    await sec.click('#confirm-start button[type=submit]');
    await sec.waitForURL(/\/cycles\/cycle-/);
    cycleId = decodeURIComponent(new URL(sec.url()).pathname.split('/')[2]!);
    expect(cycleId).toBe(campaignCycleId(year, 'LDLD-TN', EXAMPLE.id));
    await until('the whole tree has started', async () => {
      const s = await campaignUnitStatus(env.client, cycleId, 'LDLD-TN').catch(() => null);
      return s !== null && s.aggregate.phases.q1!.expected === webTree().length;
    });
    expect((await campaignUnitStatus(env.client, cycleId, 'LDLD-TN')).version).toBe(1);

    // refused beside the field, in both languages: the same campaign, year and root again; an unknown version; a past year
    const form = (q: Record<string, string>) => `/cycles/new?${new URLSearchParams({ root: 'LDLD-TN', preview: '1', ...q })}`;
    const again = await http.request(form({ year: String(year), campaign: EXAMPLE.id }));
    expect(again.status).toBe(422);
    expect(again.text).toMatch(/id="f-campaign-error" role="alert">Cycle [^<]+ already exists \/ Chu kỳ đã tồn tại: [^<]*đang chạy/);
    const page = await http.request('/cycles/new');
    const started = await http.request('/cycles', { form: { _csrf: CookieClient.csrfOf(page.text), year: String(year), root: 'LDLD-TN', campaign: EXAMPLE.id, reportDue: 'annual' } });
    expect(started.status).toBe(422);
    expect(started.text).toContain('Chu kỳ đã tồn tại');
    const noVersion = await http.request(form({ year: String(year + 1), campaign: `${EXAMPLE.id}@9` }));
    expect(noVersion.status).toBe(422);
    expect(noVersion.text).toMatch(/id="f-campaign-error" role="alert">No campaign bao-cao-quy-an-toan v9[^<]*Không có đợt báo cáo bao-cao-quy-an-toan v9/);
    const past = await http.request(form({ year: String(year - 3), campaign: EXAMPLE.id }));
    expect(past.status).toBe(422);
    expect(past.text).toMatch(/id="f-year-error" role="alert">[^<]*has already passed[^<]*đã qua/);
    const apiAgain = await http.request('/api/cycles', { json: { year, rootUnitId: 'LDLD-TN', campaign: EXAMPLE.id }, headers: { 'x-csrf-token': JSON.parse((await http.request('/api/csrf')).text).token } });
    expect(apiAgain.status).toBe(400);
    expect(JSON.parse(apiAgain.text).fields.campaign).toContain('Chu kỳ đã tồn tại');
  });

  it('a unit opens its link, sees every phase and the generated form, is refused in both languages, submits; its supervisor accepts', { timeout: 240_000 }, async () => {
    const unit = await newPage();
    await unit.goto(await taskLink('CDCS-MAY'));
    await unit.locator('#phase-form-q1').waitFor();
    expect(await text(unit, '[data-field=unit-name]')).toBe('Công đoàn cơ sở Công ty May Đức Giang');
    expect(await text(unit, '[data-field=document]')).toContain('27/KH-LĐLĐ');
    // every phase with its name, the unit's deadline and where it stands; only Q1 is open
    const phases = unit.locator('#phases tbody tr');
    expect(await phases.count()).toBe(4);
    expect(await text(unit, '#phases tr[data-phase=q2] td')).toBe('Báo cáo quý II');
    expect(await text(unit, '#phases tr[data-phase=q1] [data-field=status]')).toBe('Chưa nộp');
    expect(await text(unit, '#phases tr[data-phase=q2] [data-field=status]')).toBe('Chưa mở');
    expect(await text(unit, '#phases tr[data-phase=q1] [data-field=due]')).toMatch(/^\d{2}\/04\/\d{4}$/);
    expect(await unit.locator('#phase-form-q2').count()).toBe(0);
    // the form follows the campaign's: section titles and guidance, figure labels, units and kinds of number
    const form = unit.locator('#phase-form-q1');
    expect(await form.locator('label[for="f-s-results"]').textContent()).toContain('1. Kết quả thực hiện trong quý (bắt buộc)');
    expect(await form.textContent()).toContain('Hoạt động kiểm tra, huấn luyện, tuyên truyền đã thực hiện.');
    expect(await form.textContent()).toContain('tối đa 20000 byte');
    expect(await form.locator('label[for="f-f-trainedWorkers"]').textContent()).toBe('Số người lao động được huấn luyện');
    expect(await form.textContent()).toContain('% · 1 chữ số thập phân · từ 0 đến 100');

    // a broken cross-field rule and too many decimals: refused beside each field, in both languages, values kept
    await unit.fill('#f-s-results', 'Tổ chức 30 buổi huấn luyện an toàn cho công nhân may; kiểm tra định kỳ các phân xưởng.');
    await unit.fill('#f-f-trainingSessions', '30');
    await unit.fill('#f-f-trainedWorkers', '12');
    await unit.fill('#f-f-safetyNetworkRate', '87,55');
    await unit.fill('#f-f-accidents', '0');
    await unit.fill('#f-submittedBy', 'Nguyễn Thị Hoà');
    await unit.click('#phase-form-q1 button[type=submit]');
    await unit.locator('#f-f-trainedWorkers-error').waitFor();
    expect(await text(unit, '#f-f-trainedWorkers-error')).toBe(`${RULE_EN} / ${RULE_VI}`);
    expect(await text(unit, '#f-f-safetyNetworkRate-error')).toBe('at most 1 decimal place / tối đa 1 chữ số thập phân');
    expect(await unit.locator('#f-f-trainingSessions-error').count()).toBe(0);
    expect(await unit.inputValue('#f-f-trainedWorkers')).toBe('12');
    expect(await unit.inputValue('#f-f-safetyNetworkRate')).toBe('87,55');
    expect(await unit.inputValue('#f-s-results')).toContain('phân xưởng');
    expect((await campaignUnitStatus(env.client, cycleId, 'CDCS-MAY')).phases[0]!.progress.kind).toBe('open');
    // the page in English keeps the refusal's both languages (they are the form's own messages)
    await unit.click('header .lang a[hreflang=en]');
    expect(await text(unit, '#phases tr[data-phase=q1] td')).toBe('Q1 report');

    // the signed copy, uploaded to the phase before the form is sent: an executable renamed .pdf is refused in both
    // languages and nothing is stored; the PDF waits as a pending upload
    const link = `${web.url}${new URL(unit.url()).pathname}?lang=vi`;
    await unit.goto(link);
    await unit.setInputFiles('#q1-file-input', { name: 'Báo cáo quý I.pdf', mimeType: 'application/pdf', buffer: sampleExe() });
    await unit.click('#q1-upload button[type=submit]');
    await unit.getByText('Tệp không được nhận').waitFor();
    expect(await unit.locator('.notice.error').textContent()).toMatch(/không phải PDF, DOCX, XLSX, JPEG hay PNG.*is not one of PDF/s);
    expect(await h.db.selectFrom('files').selectAll().execute()).toEqual([]);
    const pdf = await samplePdf('Bao cao quy I - CDCS May - TM. Ban Chap hanh');
    await unit.goto(link);
    await unit.setInputFiles('#q1-file-input', { name: PDF_NAME, mimeType: 'application/pdf', buffer: pdf });
    await unit.click('#q1-upload button[type=submit]');
    await unit.locator('#q1-files [data-files=pending] li').waitFor();
    expect((await unit.locator('#q1-files [data-files=pending] [data-field=file-name]').textContent())?.trim()).toBe(PDF_NAME);

    await unit.fill('#f-s-results', 'Tổ chức 30 buổi huấn luyện an toàn cho công nhân may; kiểm tra định kỳ các phân xưởng.');
    await unit.fill('#f-f-trainingSessions', '30');
    await unit.fill('#f-f-trainedWorkers', '1.200');
    await unit.fill('#f-f-safetyNetworkRate', '87,5');
    await unit.fill('#f-f-accidents', '0');
    await unit.fill('#f-submittedBy', 'Nguyễn Thị Hoà');
    await unit.click('#phase-form-q1 button[type=submit]');
    await unit.getByText('Báo cáo quý I: Đã nộp.').first().waitFor();
    expect(await text(unit, '#phases tr[data-phase=q1] [data-field=status]')).toBe('Đã nộp, chờ xem xét');
    const submitted = await campaignUnitStatus(env.client, cycleId, 'CDCS-MAY');
    expect(submitted.phases[0]!.progress).toMatchObject({ kind: 'submitted', version: 1 });
    expect(submitted.phases[0]!.figures).toEqual({ trainingSessions: 30, trainedWorkers: 1200, safetyNetworkRate: 87.5, accidents: 0 });
    // the submission carried the upload's reference (id and hash, never the bytes); the archive attached it to version 1
    const [row] = await h.db.selectFrom('files').selectAll().execute();
    expect(row).toMatchObject({ name: PDF_NAME, sha256: sha(pdf), media_type: 'application/pdf', unit_id: 'CDCS-MAY', phase: 'q1', attached_version: 1 });
    const [stored] = await h.db.selectFrom('submissions').select('content_json').where('unit_id', '=', 'CDCS-MAY').execute();
    expect(JSON.parse(stored!.content_json).files).toEqual([{ id: row!.id, sha256: sha(pdf), size: pdf.length, mediaType: 'application/pdf', name: PDF_NAME }]);
    await unit.locator('#q1-files [data-files=submitted] li').waitFor();
    expect(await unit.locator('#q1-upload').count()).toBe(0); // submitted: nothing more to upload until a return

    // the supervisor (LDLD-DONG) signs in and accepts it on the unit's page
    const sup = await newPage();
    const http = await signInByEmail(web.url, h.sink, officerEmail('LDLD-DONG'));
    await sup.context().addCookies([...http.cookies].map(([name, value]) => ({ name, value, url: web.url })));
    await sup.goto(`${web.url}/cycles/${encodeURIComponent(cycleId)}/units/CDCS-MAY`);
    await sup.locator('#review-q1').waitFor();
    expect(await text(sup, '#phase-q1 tr[data-figure=trainedWorkers]')).toContain('1.200');
    // the file it sent, listed with its version and opened from the page: the same bytes
    const listed = sup.locator('#phase-q1 [data-version="1"] [data-files=review] a');
    expect((await listed.textContent())?.trim()).toBe(PDF_NAME);
    const opened = await sup.request.get(`${web.url}${await listed.getAttribute('href')}`);
    expect(opened.status()).toBe(200);
    expect(sha(Buffer.from(await opened.body()))).toBe(sha(pdf));
    await sup.click('#review-q1 button[value=accept]');
    await sup.getByText('Đã ghi nhận ý kiến xem xét.').waitFor();
    expect((await campaignUnitStatus(env.client, cycleId, 'CDCS-MAY')).phases[0]!.progress.kind).toBe('accepted');
    await unit.reload();
    expect(await text(unit, '#phases tr[data-phase=q1] [data-field=status]')).toBe('Đã được chấp nhận');

    // the supervisor's cycle page: its units' figures of Q1 (the aggregate settles a moment after)
    await until('the aggregate of LDLD-DONG counts the report', async () => (await campaignUnitStatus(env.client, cycleId, 'LDLD-DONG')).aggregate.phases.q1!.submittedOnTime.total === 1);
    await sup.goto(`${web.url}/cycles/${encodeURIComponent(cycleId)}`);
    expect(await text(sup, '#phase-q1 [data-field=expected]')).toBe('3');
    expect(await text(sup, '#phase-q1 [data-field=on-time]')).toBe('1');
    expect(await text(sup, '#phase-q1 tr[data-figure=trainedWorkers] [data-field=achieved]')).toBe('1.200');
    expect(await text(sup, '#unit-rows tr[data-unit=CDCS-MAY] td[data-phase=q1]')).toBe('Đã được chấp nhận');
    expect(await sup.locator('a[data-download=xlsx]').count()).toBe(0);
  });

  it('a link sees only its own unit; staff see and act only at or below their units; the secretariat downloads the workbook', { timeout: 120_000 }, async () => {
    // another unit's link opens that unit's page, not the one that submitted
    const other = new CookieClient(web.url);
    const thpt = await other.request(new URL(await taskLink('CDCS-THPT')).pathname);
    expect(thpt.status).toBe(200);
    expect(thpt.text).toContain('Công đoàn cơ sở Trường THPT Lý Thái Tổ');
    expect(thpt.text).not.toContain('Công ty May Đức Giang');
    expect(thpt.text).not.toContain('phân xưởng');
    expect(thpt.text).toContain('id="phase-form-q1"');
    expect((await other.request(`/t/${'A'.repeat(43)}`)).status).toBe(404);
    // a form posted without the submitter's name: refused beside that field in both languages, nothing sent
    const thptPath = new URL(await taskLink('CDCS-THPT')).pathname;
    const noName = await other.request(`${thptPath}/phase/q1`, {
      form: { _csrf: CookieClient.csrfOf(thpt.text), base: '0', 's.results': 'Kết quả quý I của trường', 'f.trainingSessions': '2', 'f.trainedWorkers': '40', 'f.safetyNetworkRate': '50', 'f.accidents': '0' },
    });
    expect(noName.status).toBe(422);
    expect(noName.text).toContain('Enter the full name of the person submitting (at most 100 characters). / Ghi họ và tên người nộp (tối đa 100 ký tự).');
    expect(noName.text).toContain('Kết quả quý I của trường');
    expect((await campaignUnitStatus(env.client, cycleId, 'CDCS-THPT')).phases[0]!.progress.kind).toBe('open');
    // a submission naming a file that is not this unit's, or whose hash differs, is refused by the archive with
    // the cause: nothing is recorded and the unit can still submit
    const [may] = await h.db.selectFrom('files').selectAll().where('unit_id', '=', 'CDCS-MAY').execute();
    const ref = { id: may!.id, sha256: may!.sha256, size: Number(may!.size), mediaType: 'application/pdf' as const, name: may!.name };
    const content = (files: unknown[]) => ({ results: 'Kết quả quý I của trường', figures: { trainingSessions: 2, trainedWorkers: 40, safetyNetworkRate: 50, accidents: 0 }, files });
    const attempt = (files: unknown[]) => campaignSubmit(env.client, h.db, { cycleId, unitId: 'CDCS-THPT', phase: 'q1', channel: 'api', submittedBy: 'Lê Văn An', content: content(files) });
    await expect(attempt([ref])).rejects.toThrow(/tệp thuộc về nơi khác \/ was uploaded for another unit, cycle or phase/);
    await expect(attempt([{ ...ref, id: 'AAAAAAAAAAAAAAAAAAAAAA' }])).rejects.toThrow(/không có tệp này \/ no such upload/);
    expect(await h.db.selectFrom('submissions').selectAll().where('unit_id', '=', 'CDCS-THPT').execute()).toEqual([]);
    expect((await campaignUnitStatus(env.client, cycleId, 'CDCS-THPT')).phases[0]!.progress.kind).toBe('open');

    // CDN-GD's staff: CDCS-MAY is not below them
    const gd = await signInByEmail(web.url, h.sink, officerEmail('CDN-GD'));
    const base = `/cycles/${encodeURIComponent(cycleId)}`;
    expect((await gd.request(`${base}/units/CDCS-MAY`)).status).toBe(403);
    expect((await gd.download(`${base}/units/CDCS-MAY/phases/q1/report.docx`)).status).toBe(403);
    expect((await gd.download(`${base}/campaign.xlsx`)).status).toBe(403);
    expect((await gd.request(`${base}?unit=CDCS-MAY`)).status).toBe(403);
    const own = await gd.request(`${base}/units/CDCS-KD`);
    expect(own.status).toBe(200);
    const review = await gd.request(`${base}/units/CDCS-MAY/review`, { form: { _csrf: CookieClient.csrfOf(own.text), decision: 'return', phase: 'q1', version: '1', comment: 'không phải cấp trên' } });
    expect(review.status).toBe(403);
    expect((await campaignUnitStatus(env.client, cycleId, 'CDCS-MAY')).phases[0]!.progress.kind).toBe('accepted');
    // a return needs a reason: refused beside the field, in both languages
    const noReason = await gd.request(`${base}/units/CDCS-KD/review`, { form: { _csrf: CookieClient.csrfOf(own.text), decision: 'return', phase: 'q1', version: '1', comment: '' } });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('a returned report needs a reason / trả lại cần nêu lý do');

    // CDN-GD extends its own unit's Q1 deadline; a date that is not one is refused beside the field
    const year = /^cycle-(\d{4})-/.exec(cycleId)![1]!;
    const badDate = await gd.request(`${base}/units/CDCS-KD/extend`, { form: { _csrf: CookieClient.csrfOf(own.text), phase: 'q1', until: '30/05', reason: '' } });
    expect(badDate.status).toBe(422);
    expect(badDate.text).toContain('a date / một ngày (YYYY-MM-DD)');
    const extended = await gd.request(`${base}/units/CDCS-KD/extend`, { form: { _csrf: CookieClient.csrfOf(own.text), phase: 'q1', until: `${year}-05-29`, reason: 'Trường đang thi học kỳ' } });
    expect(extended.status).toBe(303);
    const kd = (await campaignUnitStatus(env.client, cycleId, 'CDCS-KD')).phases[0]!;
    expect(kd.extended).toBe(true);
    // the asked date, or the next working day when it falls on a weekend or holiday (Civil Code Art. 148)
    expect(kd.deadlines.dueDate >= `${year}-05-29` && kd.deadlines.dueDate <= `${year}-06-01`).toBe(true);

    // the secretariat: the cycle's workbook and a level's report of Q1
    const tn = await signInByEmail(web.url, h.sink, officerEmail('LDLD-TN'));
    // the dashboard lists the cycle as running, linked to its page
    const dashboard = await tn.request('/');
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain(`href="${base}"`);
    const supervise = await tn.request(`${base}/supervise?unit=LDLD-DONG`);
    expect(supervise.status).toBe(303);
    expect(supervise.headers.get('location')).toBe(`${base}?unit=LDLD-DONG`);
    const secretariatPage = await tn.request(base);
    expect(secretariatPage.text).toContain('data-download="xlsx"');
    expect(secretariatPage.text).toContain('Báo cáo quý về an toàn, vệ sinh lao động');
    const xlsx = await tn.download(`${base}/campaign.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain(XLSX_CONTENT_TYPE);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toHaveLength(4);
    const q1 = wb.worksheets[0]!;
    const rows: unknown[][] = [];
    q1.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    const mayRow = rows.find((r) => r.includes('CDCS-MAY'))!;
    expect(mayRow).toContain(1200);
    expect(mayRow).toContain(87.5);
    const header = rows.find((r) => r.includes('Số tệp đính kèm'))!;
    expect(mayRow[header.indexOf('Số tệp đính kèm')]).toBe(1);

    const docx = await tn.download(`${base}/units/LDLD-DONG/phases/q1/report.docx`);
    expect(docx.status).toBe(200);
    expect(docx.headers.get('content-type')).toContain(DOCX_CONTENT_TYPE);
    const xml = await (await JSZip.loadAsync(docx.bytes)).file('word/document.xml')!.async('string');
    expect(xml).toContain('Số người lao động được huấn luyện');
    expect(xml).toContain('1.200');
    expect(xml).toContain('Công đoàn cơ sở Công ty May Đức Giang');
    const unitDocx = await tn.download(`${base}/units/CDCS-MAY/phases/q1/report.docx`);
    expect(unitDocx.status).toBe(200);
    const unitXml = await (await JSZip.loadAsync(unitDocx.bytes)).file('word/document.xml')!.async('string');
    expect(unitXml).toContain('phân xưởng');
    expect((await tn.download(`${base}/units/CDCS-MAY/phases/q9/report.docx`)).status).toBe(404);
  });

  it('a supervisor reminds its units now from the cycle page: a result per unit and phase, the email in the outbox', { timeout: 120_000 }, async () => {
    const dong = await signInByEmail(web.url, h.sink, officerEmail('LDLD-DONG'));
    const base = `/cycles/${encodeURIComponent(cycleId)}`;
    const page = await dong.request(base);
    expect(page.status).toBe(200);
    // a box per phase not yet submitted; CDCS-MAY's accepted Q1 has none
    expect(page.text).toContain('value="CDCS-THPT:q1"');
    expect(page.text).not.toContain('value="CDCS-MAY:q1"');
    const csrf = CookieClient.csrfOf(page.text);
    const none = await dong.request(`${base}/supervise/bulk?unit=LDLD-DONG`, { form: { _csrf: csrf, action: 'remind' } });
    expect(none.status).toBe(422);
    expect(none.text).toContain('Chưa chọn đơn vị nào.');
    const noOverdue = await dong.request(`${base}/supervise/remind-overdue?unit=LDLD-DONG`, { form: { _csrf: csrf } });
    expect(noOverdue.status).toBe(422);
    expect(noOverdue.text).toContain('Không có đơn vị nào quá hạn.');

    const started = await dong.request(`${base}/supervise/bulk?unit=LDLD-DONG`, { form: { _csrf: csrf, action: 'remind', item: ['CDCS-THPT:q1', 'CDCS-MAY:q1'] } });
    expect(started.status).toBe(303);
    const jobPath = started.headers.get('location')!;
    let job = '';
    await until('the job has finished', async () => !(job = (await dong.request(jobPath)).text).includes('data-state="running"'));
    expect(job).toMatch(/<tr data-unit="CDCS-THPT" data-phase="q1" data-result="ok">.*Báo cáo quý I.*Đã gửi thư nhắc \(lần 1\)/s);
    expect(job).toMatch(/<tr data-unit="CDCS-MAY" data-phase="q1" data-result="refused">.*Báo cáo quý I.*already submitted \(version 1\)/s);
    const [queued] = await h.db.selectFrom('mail_outbox').selectAll().where('key', '=', `${unitWorkflowId(cycleId, 'CDCS-THPT')}:remind-now:q1:1`).execute();
    expect(queued).toMatchObject({ purpose: 'reminder', unit_id: 'CDCS-THPT', phase: 'q1' });
    const audit = (await auditTrail(h.db, cycleId, 'CDCS-THPT')).filter((e) => e.kind === 'reminder-requested');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'LDLD-DONG', channel: 'web' });
    expect(audit[0]!.data).toMatchObject({ phase: 'q1', number: 1, email: 'reminder', requestedBy: officerEmail('LDLD-DONG') });
  });
});
