// Attachments in Debian's Chromium against the real stack (time-skipping server, the production worker wiring,
// SQLite, the filesystem store under the harness's data directory, a real SMTP sink): a unit opens its emailed
// link on a phone, uploads a PDF made by the test, is refused an executable renamed .pdf, submits its plan with
// the PDF, downloads it back byte for byte; its supervisor signs in and opens the same bytes inline.
import { createHash } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseContentDisposition } from 'content-disposition';
import { review, startCycle, submit, unitStatus } from '../../client/cycles';
import { cycleId as makeCycleId } from '../../workflows/ids';
import { browserStack } from '../support/browser-stack';
import type { CycleHarness } from '../support/cycle-harness';
import { sampleExe, samplePdf } from '../files/samples';
import { CookieClient, officerEmail, type RunningWebApp } from './support';

const PDF_NAME = 'Kế hoạch số 05-KH – bản ký, đóng dấu.pdf';
const REPORT_V1 = 'Báo cáo kết quả – bản ký lần 1.pdf';
const REPORT_V2 = 'Báo cáo kết quả – bản ký lần 2 (bổ sung số liệu).pdf';
const ISSUING_NAME = 'Kế hoạch số 18/KH-LĐLĐ – bản ký, đóng dấu.pdf'.replace('/', '-');

const stack = browserStack('web-files');
const { newPage, mailTo, linkIn, reloadUntil, shot } = stack;
let env: TestWorkflowEnvironment;
let h: CycleHarness;
let web: RunningWebApp;
let cycleId: string;
let pdf: Buffer;

beforeAll(async () => {
  const started = await stack.start();
  ({ env, h, web } = started);
  cycleId = makeCycleId(started.year, 'LDLD-TN');
  pdf = await samplePdf('Ke hoach so 05/KH-CDCS - TM. Ban Chap hanh - Chu tich');
  await startCycle(env.client, h.taskQueue, { year: started.year, rootUnitId: 'LDLD-TN', reportDue: 'annual' });
}, 240_000);

afterAll(() => stack.close(), 120_000);

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('attachments in the browser', () => {
  let unitPage: Page;
  let fileUrl: string;

  it('a unit uploads a PDF on its phone, an executable renamed .pdf is refused, and the plan goes with the PDF', async () => {
    const link = linkIn(await mailTo(officerEmail('CDCS-MAY'), (m) => m.subject.includes('Giao nhiệm vụ')), 't');
    unitPage = await newPage({ phone: true });
    await unitPage.goto(link);
    await unitPage.locator('#plan-upload').waitFor();

    // an executable dressed as a PDF: refused with the reason in both languages, nothing stored
    await unitPage.setInputFiles('#plan-file-input', { name: 'Báo cáo.pdf', mimeType: 'application/pdf', buffer: sampleExe() });
    await unitPage.click('#plan-upload button[type=submit]');
    await unitPage.getByText('Tệp không được nhận').waitFor();
    expect(await unitPage.locator('.notice.error').textContent()).toMatch(/không phải PDF, DOCX, XLSX, JPEG hay PNG.*is not one of PDF/s);
    expect(await h.db.selectFrom('files').selectAll().execute()).toEqual([]);

    await unitPage.goto(link);
    await unitPage.setInputFiles('#plan-file-input', { name: PDF_NAME, mimeType: 'application/pdf', buffer: pdf });
    await unitPage.click('#plan-upload button[type=submit]');
    await unitPage.locator('#plan-files [data-files=pending] li').waitFor();
    expect((await unitPage.locator('#plan-files [data-files=pending] [data-field=file-name]').textContent())?.trim()).toBe(PDF_NAME);
    await shot(unitPage.locator('#plan'), 'unit-attachments-phone');

    await unitPage.fill('#f-title', 'Kế hoạch học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh');
    await unitPage.fill('#f-body', 'Tổ chức học tập chuyên đề cho 100% đoàn viên.');
    await unitPage.click('#plan-form button[value=submit]');
    await unitPage.getByText('Đã nộp kế hoạch.').waitFor();
    await reloadUntil(unitPage, 'the submitted file', async () => (await unitPage.locator('#plan-files [data-files=submitted] li').count()) === 1);

    // the workflow got a reference, the archive the submission with it; the upload is attached to version 1
    const [row] = await h.db.selectFrom('files').selectAll().execute();
    expect(row).toMatchObject({ name: PDF_NAME, sha256: sha(pdf), media_type: 'application/pdf', unit_id: 'CDCS-MAY', phase: 'plan', attached_version: 1 });
    const [submission] = await h.db.selectFrom('submissions').select('content_json').where('unit_id', '=', 'CDCS-MAY').execute();
    expect(JSON.parse(submission!.content_json).files).toEqual([{ id: row!.id, sha256: sha(pdf), size: pdf.length, mediaType: 'application/pdf', name: PDF_NAME }]);
    expect((await unitStatus(env.client, cycleId, 'CDCS-MAY')).plan.progress).toMatchObject({ kind: 'submitted', version: 1 });

    fileUrl = (await unitPage.locator('#plan-files [data-files=submitted] a').getAttribute('href'))!;
  });

  it('the unit downloads the same bytes, under its Vietnamese name, with safe headers', async () => {
    const res = await unitPage.request.get(`${web.url}${fileUrl}`);
    expect(res.status()).toBe(200);
    expect(sha(Buffer.from(await res.body()))).toBe(sha(pdf));
    const headers = res.headers();
    expect(headers['content-type']).toBe('application/pdf');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['content-security-policy']).toMatch(/^sandbox/);
    const disposition = parseContentDisposition(headers['content-disposition']!);
    // RFC 5987: filename* carries the real name (what browsers use), filename an ASCII stand-in for old clients
    expect(disposition.type).toBe('inline');
    expect(disposition.parameters.filename).toBe(PDF_NAME);
    expect(headers['content-disposition']).toContain('filename="Ke hoach so 05-KH _ ban ky, dong dau.pdf"');
    // another unit's link cannot read it
    const other = linkIn(await mailTo(officerEmail('CDCS-KD'), (m) => m.subject.includes('Giao nhiệm vụ')), 't');
    expect((await unitPage.request.get(`${other}/files/${fileUrl.split('/').pop()}`)).status()).toBe(404);
  });

  it('the supervisor signs in and opens the PDF from the review page’s route: the same bytes', async () => {
    const page = await newPage();
    await page.goto(`${web.url}/signin`);
    await page.fill('input[name=email]', officerEmail('LDLD-DONG'));
    await page.click('button[type=submit].primary');
    await page.getByText('Kiểm tra hộp thư').waitFor();
    const link = linkIn(await mailTo(officerEmail('LDLD-DONG'), (m) => m.subject.startsWith('Đường liên kết đăng nhập')), 'signin');
    await page.goto(link);
    await page.click('button[type=submit].primary');
    await page.getByRole('heading', { name: 'Các chu kỳ báo cáo' }).waitFor();
    const id = fileUrl.split('/').pop()!;
    // the review queue lists the file beside accept / return, linked to the same route
    await page.goto(`${web.url}/cycles/${encodeURIComponent(cycleId)}/supervise?unit=LDLD-DONG`);
    const queued = page.locator('#queue article[data-unit="CDCS-MAY"][data-phase="plan"] [data-field="files"] a');
    expect(await queued.getAttribute('href')).toBe(`/cycles/${encodeURIComponent(cycleId)}/units/CDCS-MAY/files/${id}`);
    expect(await queued.textContent()).toContain(PDF_NAME);
    const res = await page.request.get(`${web.url}/cycles/${cycleId}/units/CDCS-MAY/files/${id}`);
    expect(res.status()).toBe(200);
    expect(sha(Buffer.from(await res.body()))).toBe(sha(pdf));
    expect(res.headers()['content-disposition']).toContain("filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch");
    // a unit outside this supervisor's branch: forbidden
    expect((await page.request.get(`${web.url}/cycles/${cycleId}/units/CDCS-KD/files/${id}`)).status()).toBe(403);
  });

  it('an update naming a file that is not stored, or another unit’s, fails with the cause; the unit can still submit', async () => {
    const [row] = await h.db.selectFrom('files').selectAll().execute();
    const plan = { title: 'Kế hoạch', number: '', body: 'Nội dung' };
    const mine = { id: row!.id, sha256: row!.sha256, size: Number(row!.size), mediaType: 'application/pdf' as const, name: row!.name };
    const attempt = (files: unknown[]) => submit(env.client, { cycleId, unitId: 'CDCS-THPT', phase: 'plan', channel: 'api', submittedBy: 'Lê Văn An', content: { ...plan, files } });
    await expect(attempt([{ ...mine, id: 'AAAAAAAAAAAAAAAAAAAAAA' }])).rejects.toThrow(/không có tệp này \/ no such upload/);
    await expect(attempt([mine])).rejects.toThrow(/uploaded for another unit, cycle or phase/);
    expect(await h.db.selectFrom('submissions').selectAll().where('unit_id', '=', 'CDCS-THPT').execute()).toEqual([]);
    // the workflow is unharmed: the same unit submits without files
    expect(await attempt([])).toMatchObject({ version: 1, duplicate: false });
  });

  it('a returned report resubmitted with a new file keeps both versions downloadable', async () => {
    const first = await samplePdf('Bao cao ket qua - lan 1');
    const second = await samplePdf('Bao cao ket qua - lan 2, bo sung so lieu');
    const link = linkIn(await mailTo(officerEmail('CDCS-MAY'), (m) => m.subject.includes('Giao nhiệm vụ')), 't');
    await unitPage.goto(link);
    await unitPage.setInputFiles('#report-file-input', { name: REPORT_V1, mimeType: 'application/pdf', buffer: first });
    await unitPage.click('#report-upload button[type=submit]');
    await unitPage.locator('#report-files [data-files=pending] li').waitFor();
    await unitPage.fill('#f-leadership', 'Ban Thường vụ ban hành kế hoạch và hướng dẫn các tổ công đoàn thực hiện.');
    for (const [k, v] of [['studyClasses', '4'], ['participants', '120'], ['exemplaryModels', '2'], ['exemplaryPeople', '3']]) await unitPage.fill(`[name="figures.${k}"]`, v!);
    await unitPage.click('#report-form button[value=submit]');
    await unitPage.getByText('Đã nộp báo cáo').waitFor();
    await reloadUntil(unitPage, 'version 1 of the report', async () => (await unitPage.locator('#report-files [data-files=submitted][data-version="1"] li').count()) === 1);

    await review(env.client, cycleId, 'CDCS-MAY', { decision: 'return', reviewerUnitId: 'LDLD-DONG', phase: 'report', version: 1, channel: 'test', comment: 'Đề nghị bổ sung số liệu mục 2.1.' });
    await reloadUntil(unitPage, 'the returned report', async () => (await unitPage.locator('#report-upload').count()) === 1);
    await unitPage.setInputFiles('#report-file-input', { name: REPORT_V2, mimeType: 'application/pdf', buffer: second });
    await unitPage.click('#report-upload button[type=submit]');
    await unitPage.locator('#report-files [data-files=pending] li').waitFor();
    await unitPage.fill('[name="figures.participants"]', '135');
    await unitPage.click('#report-form button[value=submit]');
    await unitPage.getByText('Đã nộp báo cáo').waitFor();
    await reloadUntil(unitPage, 'version 2 beside version 1', async () => (await unitPage.locator('#report-files [data-files=submitted][data-version="2"] li').count()) === 1);

    // both versions stay on the page, each with its own file, and both download byte for byte
    const listed = async (v: number) => {
      const a = unitPage.locator(`#report-files [data-files=submitted][data-version="${v}"] a`);
      return { name: (await a.textContent())?.trim(), href: (await a.getAttribute('href'))! };
    };
    const [v1, v2] = [await listed(1), await listed(2)];
    expect([v1.name, v2.name]).toEqual([REPORT_V1, REPORT_V2]);
    expect(sha(Buffer.from(await (await unitPage.request.get(`${web.url}${v1.href}`)).body()))).toBe(sha(first));
    expect(sha(Buffer.from(await (await unitPage.request.get(`${web.url}${v2.href}`)).body()))).toBe(sha(second));
    await shot(unitPage.locator('#report'), 'unit-attachments-versions-phone');
    const versions = await h.db.selectFrom('files').select(['name', 'attached_version']).where('phase', '=', 'report').orderBy('attached_version').execute();
    expect(versions).toEqual([
      { name: REPORT_V1, attached_version: 1 },
      { name: REPORT_V2, attached_version: 2 },
    ]);
  });

  it('the secretariat attaches the signed issuing plan on the cycle page; a unit opens it in one click from its task link', async () => {
    const signed = await samplePdf('Ke hoach so 18/KH-LDLD - TM. Ban Thuong vu - Chu tich');
    const page = await newPage();
    await page.goto(`${web.url}/signin`);
    await page.fill('input[name=email]', officerEmail('LDLD-TN'));
    await page.click('button[type=submit].primary');
    await page.getByText('Kiểm tra hộp thư').waitFor();
    await page.goto(linkIn(await mailTo(officerEmail('LDLD-TN'), (m) => m.subject.startsWith('Đường liên kết đăng nhập')), 'signin'));
    await page.click('button[type=submit].primary');
    await page.getByRole('heading', { name: 'Các chu kỳ báo cáo' }).waitFor();
    await page.goto(`${web.url}/cycles/${encodeURIComponent(cycleId)}`);
    await page.setInputFiles('#document-file-input', { name: ISSUING_NAME, mimeType: 'application/pdf', buffer: signed });
    await page.click('#document-upload button[type=submit]');
    await page.locator('#issuing-document [data-files=document] li').waitFor();
    await page.fill('#document-number', '18/KH-LĐLĐ');
    await page.fill('#document-title', 'Kế hoạch học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm 2027');
    await page.fill('#document-signer', 'TM. BAN THƯỜNG VỤ – CHỦ TỊCH Nguyễn Văn Bình');
    await page.click('#document-facts button[type=submit]');
    await page.locator('#issuing-document [data-field=document-number]', { hasText: '18/KH-LĐLĐ' }).waitFor();
    await shot(page.locator('#issuing-document'), 'cycle-issuing-document');

    // the unit: its task page links to the document, which shows the signer and opens the PDF inline
    const unit = await newPage({ phone: true });
    await unit.goto(linkIn(await mailTo(officerEmail('CDCS-KD'), (m) => m.subject.includes('Giao nhiệm vụ')), 't'));
    await unit.click('#document-link');
    await unit.locator('#document [data-field=document-signer]', { hasText: 'Nguyễn Văn Bình' }).waitFor();
    const a = unit.locator('#document [data-files=document] a');
    expect((await a.textContent())?.trim()).toBe(ISSUING_NAME);
    expect(await a.getAttribute('target')).toBe('_blank');
    await shot(unit, 'issuing-document-phone', { fullPage: false });
    const res = await unit.request.get(`${web.url}${await a.getAttribute('href')}`);
    expect(res.status()).toBe(200);
    expect(sha(Buffer.from(await res.body()))).toBe(sha(signed));
    expect(parseContentDisposition(res.headers()['content-disposition']!)).toMatchObject({ type: 'inline', parameters: { filename: ISSUING_NAME } });
  });

  it('through the JSON API: a multipart upload, then a submission without `files` carries the pending upload', async () => {
    const link = linkIn(await mailTo(officerEmail('CDCS-KD'), (m) => m.subject.includes('Giao nhiệm vụ')), 't');
    const token = link.split('/').pop()!;
    const api = new CookieClient(web.url);
    const csrf = JSON.parse((await api.request('/api/csrf')).text).token as string;
    const signed = await samplePdf('Ke hoach CDCS-KD');
    const form = new FormData();
    form.append('files', new Blob([signed], { type: 'application/pdf' }), 'Kế hoạch – Trường Tiểu học Kim Đồng.pdf');
    const up = await fetch(`${web.url}/t/${token}/files/plan?_csrf=${encodeURIComponent(csrf)}`, {
      method: 'POST',
      body: form,
      headers: { cookie: [...api.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      redirect: 'manual',
    });
    expect(up.status).toBe(303);
    const res = await api.request(`/api/t/${token}/plan`, {
      json: { content: { title: 'Kế hoạch năm của Công đoàn Trường Tiểu học Kim Đồng', number: '', body: 'Nội dung.' }, base: 0, submittedBy: 'Phạm Thị Hoa' },
      headers: { 'x-csrf-token': csrf },
    });
    expect(res.status, res.text).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ unitId: 'CDCS-KD', version: 1 });
    const [row] = await h.db.selectFrom('files').selectAll().where('unit_id', '=', 'CDCS-KD').execute();
    expect(row).toMatchObject({ name: 'Kế hoạch – Trường Tiểu học Kim Đồng.pdf', attached_version: 1, sha256: sha(signed) });
  });
});
