// The web app in Debian's Chromium against the real stack: Temporal's time-skipping server, the production
// worker wiring (worker/worker.ts), a SQLite database with a unit directory, and a real SMTP server that
// receives every email (task links, sign-in links). One yearly cycle, as its users live it:
//   the secretariat signs in and starts the cycle → a unit opens its emailed link and submits its plan → the
//   secretariat's page shows it → a unit misses its deadline (time skipped) and its supervisor's page lists it
//   → a report is returned with a comment, fixed and resubmitted, then accepted → an intermediate unit sees its
//   units' aggregate above its own figures.
// Screenshots of the main pages are taken on every run, into a temporary directory; to refresh the ones kept in
// the repository: BAOCAO_SCREENSHOTS_DIR=docs/screenshots npx vitest run test/web/e2e.test.ts
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Page } from 'playwright-core';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeadlinePlan } from '../../activities/calendar/types';
import { DOCX_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '../../activities/documents/labels';
import { cyclePlan, unitStatus } from '../../client/cycles';
import { OVERDUE_HEADER_ROWS, OVERDUE_SHEET } from '../../client/web/ops/overdue-export';
import { cycleId as makeCycleId } from '../../workflows/ids';
import { browserStack } from '../support/browser-stack';
import type { CycleHarness } from '../support/cycle-harness';
import { officerEmail, type RunningWebApp } from './support';

const DAY_MS = 24 * 3600 * 1000;

const stack = browserStack('web-e2e');
const { newPage, mailTo, linkIn, reloadUntil, signIn, shot } = stack;
let env: TestWorkflowEnvironment;
let h: CycleHarness;
let web: RunningWebApp;
let year: number;
let cycleId: string;
let plan: DeadlinePlan;

beforeAll(async () => {
  ({ env, h, web, year } = await stack.start());
  cycleId = makeCycleId(year, 'LDLD-TN');
}, 240_000);

afterAll(() => stack.close(), 120_000);

async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').trim();
}

const taskMailOf = (unitId: string) => mailTo(officerEmail(unitId), (m) => m.subject.includes('Giao nhiệm vụ'));

let secretariat: Page;
let unitPage: Page;
let unitLink: string;
let supervisor: Page;

describe('a yearly cycle in the browser', () => {
  it('the secretariat signs in with an emailed link, previews the deadlines per level and starts the cycle', async () => {
    const signin = await newPage();
    await signin.goto(`${web.url}/signin`);
    await shot(signin, 'signin');

    secretariat = await signIn(officerEmail('LDLD-TN'));
    await secretariat.click('text=Bắt đầu chu kỳ báo cáo mới');
    await secretariat.fill('input[name=year]', String(year));
    await secretariat.check('input[name=reportDue][value=annual]');
    await secretariat.click('text=Xem trước lịch hạn nộp');
    await secretariat.locator('#preview').waitFor();
    const rows = secretariat.locator('#preview tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await text(secretariat, '#preview tbody tr[data-depth="0"] td:nth-child(2)')).toContain(`/03/${year}`);
    await shot(secretariat, 'start-cycle-preview');
    // Previewing started nothing.
    expect(await h.db.selectFrom('cycle_snapshots').selectAll().execute()).toEqual([]);

    await secretariat.click('text=Xác nhận bắt đầu chu kỳ');
    await secretariat.waitForURL(`**/cycles/${cycleId}`);
    await reloadUntil(secretariat, 'the unit tree of the started cycle', async () => (await secretariat.locator('#unit-rows tr[data-unit="CDN-GD"]').count()) === 1);
    plan = (await cyclePlan(env.client, cycleId))!;
    expect(plan.levels).toHaveLength(3);
  });

  it('a unit opens the link of its task email, gets told what is missing, saves a draft and submits its plan', async () => {
    const mail = await taskMailOf('CDCS-MAY');
    const link = linkIn(mail, 't');
    unitLink = link;
    unitPage = await newPage({ phone: true });
    await unitPage.goto(link);
    await unitPage.locator('#plan-form').waitFor();
    expect(await text(unitPage, '[data-field=unit-name]')).toBe('Công đoàn cơ sở Công ty May Đức Giang');
    // Opening the page stored nothing.
    expect(await h.db.selectFrom('web_drafts').selectAll().execute()).toEqual([]);
    await shot(unitPage, 'unit-task-plan-phone');

    // Submitting an empty plan: the errors appear next to the fields, in Vietnamese.
    await unitPage.fill('#f-number', '05/KH-CĐCS');
    await unitPage.click('#plan-form button[value=submit]');
    await unitPage.locator('#f-title-error').waitFor();
    expect(await text(unitPage, '#f-title-error')).toBe('Bắt buộc nhập.');
    expect(await text(unitPage, '#f-body-error')).toBe('Bắt buộc nhập.');
    expect(await unitPage.inputValue('#f-number')).toBe('05/KH-CĐCS');
    await shot(unitPage, 'unit-task-validation-phone');
    // The language switch of a page that answered a form leads back to the unit's page, in English and back.
    await unitPage.click('header .lang a[hreflang=en]');
    await unitPage.getByRole('heading', { name: /Your unit's plan and report/ }).waitFor();
    await unitPage.click('header .lang a[hreflang=vi]');
    await unitPage.getByRole('heading', { name: /Kế hoạch và báo cáo của đơn vị/ }).waitFor();

    await unitPage.fill('#f-title', `Kế hoạch học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm ${year}`);
    await unitPage.fill('#f-body', 'Tổ chức học tập chuyên đề cho 100% đoàn viên;\nđăng ký làm theo gắn với phong trào thi đua “Lao động giỏi, lao động sáng tạo”.');
    await unitPage.click('#plan-form button[value=draft]');
    await unitPage.getByText('Đã lưu nháp.').first().waitFor();
    // The draft lives on the server: a fresh browser (another device) sees it.
    const otherDevice = await newPage();
    await otherDevice.goto(link);
    expect(await otherDevice.inputValue('#f-title')).toContain('Kế hoạch học tập và làm theo');

    // Who submits: prefilled with the officer the task was sent to; an empty name is refused next to the field.
    expect(await unitPage.inputValue('#f-plan-submittedBy')).toBe('Cán bộ Công đoàn cơ sở Công ty May Đức Giang');
    await unitPage.fill('#f-plan-submittedBy', '   ');
    await unitPage.click('#plan-form button[value=submit]');
    await unitPage.locator('#f-plan-submittedBy-error').waitFor();
    expect(await text(unitPage, '#f-plan-submittedBy-error')).toBe('Ghi họ và tên người nộp (tối đa 100 ký tự).');
    await unitPage.fill('#f-plan-submittedBy', 'Nguyễn Thị   Hoa');
    await unitPage.click('#plan-form button[value=submit]');
    await unitPage.getByText('Đã nộp kế hoạch.').waitFor();
    expect(await unitPage.locator('#plan [data-state=submitted]').count()).toBe(1);
    expect(await h.db.selectFrom('web_drafts').selectAll().where('phase', '=', 'plan').execute()).toEqual([]);
    const status = await unitStatus(env.client, cycleId, 'CDCS-MAY');
    expect(status.plan.progress).toMatchObject({ kind: 'submitted', version: 1, late: false });
    // The unit sees the browsers that used its link: this phone and the other device, this one marked.
    expect(await unitPage.locator('#sessions tr[data-session]').count()).toBe(2);
    expect(await text(unitPage, '#sessions tr[data-current=true] [data-field=user-agent]')).toContain('(trình duyệt này)');
    // The person is in the archive and the audit, end to end (form → update → workflow → activity → row).
    expect(await h.db.selectFrom('submissions').select(['submitted_by', 'channel']).where('unit_id', '=', 'CDCS-MAY').execute()).toEqual([{ submitted_by: 'Nguyễn Thị Hoa', channel: 'web' }]);
    const audit = await h.db.selectFrom('audit_log').select(['kind', 'actor', 'channel', 'data_json']).where('unit_id', '=', 'CDCS-MAY').where('kind', '=', 'plan-submitted').execute();
    expect(audit.map((a) => ({ ...a, data_json: JSON.parse(a.data_json) as unknown }))).toEqual([
      { kind: 'plan-submitted', actor: 'CDCS-MAY', channel: 'web', data_json: expect.objectContaining({ submittedBy: 'Nguyễn Thị Hoa' }) },
    ]);
  });

  it("the secretariat's page shows the submission in the tree and in the figures", async () => {
    await reloadUntil(
      secretariat,
      'one plan submitted out of five',
      async () => (await text(secretariat, 'table.aggregate[data-unit="LDLD-TN"] tr[data-phase=plan] td[data-col=submitted]')) === '1',
    );
    expect(await text(secretariat, 'table.aggregate[data-unit="LDLD-TN"] tr[data-phase=plan] td[data-col=expected]')).toBe('5');
    expect(await text(secretariat, 'table.aggregate[data-unit="LDLD-TN"] tr[data-phase=plan] td[data-col=completion]')).toBe('20%');
    // The intermediate's row counts its own units: one of two submitted.
    expect(await text(secretariat, '#unit-rows tr[data-unit="LDLD-DONG"] td[data-col=submitted]')).toBe('1');
    expect(await text(secretariat, '#unit-rows tr[data-unit="LDLD-DONG"] td[data-col=completion]')).toBe('50%');
    expect(await secretariat.locator('#temporal-link').getAttribute('href')).toContain('/namespaces/default/workflows?query=');
    // The pictures of the running cycle (from the archive): one plan on time of five, the deadlines of the two
    // levels below the root marked on the curve, the district with nothing in drawn first.
    const planChart = '#progress .chart-pair[data-phase="plan"]:not(.bars)';
    await reloadUntil(secretariat, 'the plan on the progress chart', async () => (await secretariat.locator(`${planChart} svg .legend text`, { hasText: 'Đúng hạn: 1' }).count()) === 1);
    expect(await text(secretariat, `${planChart} tr[data-col="expected"] td`)).toBe('5');
    expect(await secretariat.locator(`${planChart} svg g.deadline`).count()).toBe(2);
    expect(await secretariat.locator('#progress .chart-pair.bars[data-phase="plan"] svg a[data-unit]').first().getAttribute('data-unit')).toBe('CDN-GD');
    await shot(secretariat, 'cycle-overview');
    await secretariat.setViewportSize({ width: 390, height: 844 });
    await shot(secretariat, 'cycle-overview-phone');
    await secretariat.setViewportSize({ width: 1280, height: 900 });

    // Drill down to the district, and its grassroots unit's own state.
    await secretariat.click('#unit-rows tr[data-unit="LDLD-DONG"] >> text=Xem cấp dưới');
    await secretariat.locator('#unit-rows tr[data-unit="CDCS-MAY"] [data-state=submitted]').waitFor();
    expect(await secretariat.locator('#unit-rows tr[data-unit="CDCS-THPT"] td[data-phase=plan] [data-state=open]').count()).toBe(1);
  });

  it('a unit misses its deadline: after the due date its supervisor sees it overdue, how late, and the reminders sent', async () => {
    const grassroots = plan.levels[2]!.plan;
    const wait = Date.parse(grassroots.dueAt) + DAY_MS / 2 - (await env.currentTimeMs());
    await env.sleep(wait);
    await stack.followServerClock();
    await expect.poll(async () => (await unitStatus(env.client, cycleId, 'CDCS-THPT')).plan.overdue, { timeout: 60_000 }).toBe(true);

    supervisor = await signIn(officerEmail('LDLD-DONG'));
    await supervisor.goto(`${web.url}/cycles/${cycleId}/supervise`);
    const row = 'section#overdue tr[data-unit="CDCS-THPT"][data-phase=plan]';
    await reloadUntil(supervisor, 'CDCS-THPT overdue', async () => (await supervisor.locator(row).count()) === 1);
    expect(await text(supervisor, `${row} th`)).toBe('Công đoàn cơ sở Trường THPT Lý Thái Tổ');
    expect(await text(supervisor, `${row} td[data-col=late-by]`)).toBe('1 ngày');
    expect(await text(supervisor, `${row} td[data-col=reminders]`)).toBe(String(grassroots.reminders.length));
    // The unit that submitted on time is not chased; the other branch is not this supervisor's business.
    expect(await supervisor.locator('section#overdue tr[data-unit="CDCS-MAY"]').count()).toBe(0);
    expect(await supervisor.locator('section#overdue tr[data-unit="CDCS-KD"]').count()).toBe(0);
    expect(await text(supervisor, 'tr[data-unit="CDCS-MAY"] th')).toBe('Công đoàn cơ sở Công ty May Đức Giang');
    await shot(supervisor, 'supervisor-overdue');

    // The overdue list to take away: an Excel workbook with the same row, and a page to print.
    const xlsxHref = (await supervisor.locator('#overdue-exports a[data-export=xlsx]').getAttribute('href'))!;
    const xlsx = await supervisor.request.get(`${web.url}${xlsxHref}`);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toBe(XLSX_CONTENT_TYPE);
    expect(xlsx.headers()['content-disposition']).toContain("filename*=UTF-8''%C4%90%C6%A1n%20v%E1%BB%8B%20qu%C3%A1%20h%E1%BA%A1n");
    const book = new ExcelJS.Workbook();
    const bytes = await xlsx.body();
    await book.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const sheet = book.getWorksheet(OVERDUE_SHEET)!;
    const rows = sheet.getSheetValues().slice(OVERDUE_HEADER_ROWS + 1).map((r) => (r as unknown[]).slice(1));
    expect(rows.map((r) => [r[0], r[1], r[3], r[5], r[6]])).toContainEqual(['CDCS-THPT', 'Công đoàn cơ sở Trường THPT Lý Thái Tổ', 'Kế hoạch', 1, grassroots.reminders.length]);
    expect(rows.some((r) => r[0] === 'CDCS-KD')).toBe(false);
    await supervisor.click('#overdue-exports a[data-export=print]');
    const printed = 'section#overdue-print tr[data-unit="CDCS-THPT"][data-phase=plan]';
    await supervisor.locator(printed).waitFor();
    expect(await text(supervisor, `${printed} td[data-col=late-by]`)).toBe('1 ngày');
    await supervisor.emulateMedia({ media: 'print' });
    expect(await supervisor.locator('header').isVisible()).toBe(false);
    await supervisor.emulateMedia({ media: 'screen' });

    // Months have passed: yesterday's session has expired, the secretariat signs in again.
    await secretariat.goto(`${web.url}/cycles/${cycleId}`);
    await secretariat.getByRole('heading', { name: 'Đăng nhập cho cán bộ' }).waitFor();
    secretariat = await signIn(officerEmail('LDLD-TN'));
    // The overdue filter lists both late grassroots units, across branches.
    await secretariat.goto(`${web.url}/cycles/${cycleId}?overdue=1`);
    await reloadUntil(secretariat, 'two overdue units', async () => (await secretariat.locator('#unit-rows tbody tr').count()) === 2);
    expect(await secretariat.locator('#unit-rows tr[data-unit="CDCS-KD"]').count()).toBe(1);
    await shot(secretariat, 'cycle-overdue-filter');
  });

  it('the secretariat extends the late unit’s deadline: it is no longer overdue', async () => {
    const due = plan.levels[2]!.plan.dueDate;
    const until = DateTime.fromISO(due).plus({ days: 10 }).toISODate()!;
    await secretariat.goto(`${web.url}/cycles/${cycleId}/units/CDCS-THPT`);
    await secretariat.locator('section#plan [data-state=overdue]').waitFor();
    await secretariat.fill('#until-plan', until);
    await secretariat.fill('#reason-plan', 'Đơn vị đề nghị gia hạn do tổ chức Đại hội công đoàn.');
    await secretariat.click('section#plan .extend-form button[type=submit]');
    await secretariat.getByText('Đã gia hạn.').waitFor();
    const status = await unitStatus(env.client, cycleId, 'CDCS-THPT');
    expect(status.plan).toMatchObject({ extended: true, overdue: false });
    // The new date rolls forward to a working day when it falls on a day off (Civil Code Art. 148).
    expect(status.plan.deadlines.dueDate >= until).toBe(true);
    expect(DateTime.fromISO(status.plan.deadlines.dueDate).diff(DateTime.fromISO(until), 'days').days).toBeLessThan(7);
    expect(await secretariat.locator('section#plan [data-state=open]').count()).toBe(1);
    expect(await secretariat.locator('#audit tr[data-event=plan-extended]').count()).toBe(1);
    await supervisor.goto(`${web.url}/cycles/${cycleId}/supervise`);
    await reloadUntil(supervisor, 'CDCS-THPT no longer overdue', async () => (await supervisor.locator('section#overdue tr[data-unit="CDCS-THPT"]').count()) === 0);
  });

  it('a leaked link is revoked: the old one shows a clear page, the new emailed one works (here through the JSON API)', async () => {
    const oldLink = linkIn(await taskMailOf('CDCS-THPT'), 't');
    const tasksBefore = h.sink.messages.filter((m) => m.to.includes(officerEmail('CDCS-THPT')) && m.subject.includes('Giao nhiệm vụ')).length;
    await secretariat.goto(`${web.url}/cycles/${cycleId}/units/CDCS-THPT`);
    await secretariat.click('section#link button[type=submit]');
    await secretariat.getByText('Đã thu hồi đường liên kết cũ và gửi đường liên kết mới.').waitFor();
    expect(await secretariat.locator('#audit tr[data-event=link-reissued]').count()).toBe(1);
    await h.sink.waitFor((all) => all.filter((m) => m.to.includes(officerEmail('CDCS-THPT')) && m.subject.includes('Giao nhiệm vụ')).length > tasksBefore);
    const newLink = linkIn(await taskMailOf('CDCS-THPT'), 't');
    expect(newLink).not.toBe(oldLink);

    const stale = await newPage({ phone: true });
    const response = await stale.goto(oldLink);
    expect(response!.status()).toBe(410);
    await stale.getByRole('heading', { name: 'Đường liên kết đã bị thu hồi' }).waitFor();
    await shot(stale, 'link-revoked-phone');

    // The unit's software submits through the API with the new link: CSRF token first, then the plan.
    const api = (await newPage()).request;
    const token = new URL(newLink).pathname.split('/').pop()!;
    const { token: csrf } = (await (await api.get(`${web.url}/api/csrf`)).json()) as { token: string };
    const body = { content: { title: `Kế hoạch năm ${year}`, number: '12/KH-CĐCS', body: 'Học tập chuyên đề; đăng ký làm theo.' }, base: 0, submittedBy: 'Trần Văn Bình' };
    const first = await api.post(`${web.url}/api/t/${token}/plan`, { data: body, headers: { 'x-csrf-token': csrf } });
    expect(first.status()).toBe(200);
    const receipt: unknown = await first.json();
    expect(receipt).toMatchObject({ unitId: 'CDCS-THPT', phase: 'plan', version: 1, late: false, duplicate: false });
    // A retry (same base, same content) is the same submission: the same receipt, no second version.
    const again = await api.post(`${web.url}/api/t/${token}/plan`, { data: body, headers: { 'x-csrf-token': csrf } });
    expect(await again.json()).toEqual(receipt);
    expect((await unitStatus(env.client, cycleId, 'CDCS-THPT')).plan.progress).toMatchObject({ kind: 'submitted', version: 1 });
    const stolen = await api.get(`${web.url}/api/t/${new URL(oldLink).pathname.split('/').pop()!}`);
    expect(stolen.status()).toBe(410);

    // …and the secretariat reads any node's aggregate as JSON.
    const aggregate = await secretariat.request.get(`${web.url}/api/cycles/${cycleId}/units/LDLD-DONG/aggregate`);
    expect(aggregate.status()).toBe(200);
    expect((await aggregate.json()).below.plan).toMatchObject({ expected: 2 });
  });

  it('a report is returned with a comment, fixed and resubmitted, then accepted', async () => {
    await unitPage.goto(unitLink);
    await unitPage.locator('#report-form').waitFor();
    await unitPage.fill('#f-leadership', 'Ban Thường vụ ban hành Kế hoạch số 05/KH-CĐCS và hướng dẫn các tổ công đoàn thực hiện.');
    await unitPage.fill('#f-implementation', 'Tổ chức 4 lớp học tập chuyên đề; 100% đoàn viên đăng ký làm theo.');
    await unitPage.fill('#f-assessment', 'Kết quả tích cực; còn hạn chế ở ca đêm.');
    await unitPage.fill('#f-recommendations', 'Đề nghị LĐLĐ huyện cung cấp thêm tài liệu sinh hoạt chuyên đề.');
    await unitPage.fill('[name="figures.studyClasses"]', '4');
    await unitPage.fill('[name="figures.participants"]', 'nhiều');
    await unitPage.fill('[name="figures.exemplaryModels"]', '2');
    await unitPage.fill('[name="figures.exemplaryPeople"]', '3');
    await unitPage.fill('#f-commendation-0-name', 'Chị Nguyễn Thị Hương, tổ trưởng tổ may 3');
    await unitPage.selectOption('#f-commendation-0-kind', 'individual');
    await unitPage.fill('#f-commendation-0-reason', 'Gương điển hình học tập và làm theo Bác');
    await unitPage.click('#report-form button[value=submit]');
    await unitPage.locator('#f-figures-participants-error').waitFor();
    expect(await text(unitPage, '#f-figures-participants-error')).toBe('Phải là số (ví dụ 12 hoặc 1.200).');
    expect(await unitPage.inputValue('#f-commendation-0-name')).toBe('Chị Nguyễn Thị Hương, tổ trưởng tổ may 3');
    await unitPage.fill('[name="figures.participants"]', '1.200');
    await unitPage.click('#report-form button[value=submit]');
    await unitPage.getByText('Đã nộp báo cáo.').waitFor();

    // The supervisor returns it with a comment and accepts the plan.
    await supervisor.goto(`${web.url}/cycles/${cycleId}/supervise`);
    const item = (phase: string) => `section#queue article[data-unit="CDCS-MAY"][data-phase=${phase}]`;
    await reloadUntil(supervisor, 'the report awaiting review', async () => (await supervisor.locator(item('report')).count()) === 1);
    await shot(supervisor, 'supervisor-review-queue');
    await supervisor.click(`${item('plan')} button[value=accept]`);
    await supervisor.getByText('Đã ghi nhận ý kiến xem xét.').waitFor();
    // Returning without a comment is refused next to the comment field.
    await supervisor.goto(`${web.url}/cycles/${cycleId}/units/CDCS-MAY`);
    await supervisor.click('section#report button[value=return]');
    await supervisor.locator('section#report .field-error').waitFor();
    expect(await text(supervisor, 'section#report .field-error')).toBe('Bắt buộc nhập.');
    await supervisor.fill('section#report textarea[name=comment]', 'Đề nghị bổ sung số lớp học tập của tổ ca đêm.');
    await supervisor.click('section#report button[value=return]');
    await supervisor.getByText('Đã ghi nhận ý kiến xem xét.').waitFor();
    await shot(supervisor, 'unit-detail-supervisor');
    // the unit's timeline: its task email, the plan submitted and accepted, the report submitted and returned
    expect(await supervisor.locator('#timeline svg[role=img] title').first().textContent()).toContain('Diễn biến');
    for (const kind of ['task-sent', 'plan-submitted', 'plan-accepted', 'report-submitted', 'report-returned']) {
      expect(await supervisor.locator(`#timeline svg g[data-event="${kind}"]`).count(), kind).toBeGreaterThan(0);
      expect(await supervisor.locator(`#timeline ol li[data-event="${kind}"]`).count(), kind).toBeGreaterThan(0);
    }

    expect(await supervisor.locator('#audit tr[data-event=report-returned]').count()).toBe(1);
    // the history names who submitted the plan
    expect(await text(supervisor, '#audit tr[data-event=plan-submitted] [data-field=submitted-by]')).toBe('Nguyễn Thị Hoa');

    // The unit sees the comment and resubmits a corrected report (the form holds what it sent).
    await unitPage.goto(unitLink);
    await unitPage.locator('#report [data-state=returned]').waitFor();
    expect(await text(unitPage, '#report [data-field=comment]')).toBe('Đề nghị bổ sung số lớp học tập của tổ ca đêm.');
    expect(await unitPage.inputValue('[name="figures.participants"]')).toBe('1200');
    await shot(unitPage, 'unit-task-returned-phone');
    await unitPage.fill('[name="figures.studyClasses"]', '5');
    await unitPage.click('#report-form button[value=submit]');
    await unitPage.getByText('Đã nộp báo cáo.').waitFor();
    const resubmitted = await unitStatus(env.client, cycleId, 'CDCS-MAY');
    expect(resubmitted.report.progress).toMatchObject({ kind: 'submitted', version: 2 });
    expect(resubmitted.plan.progress.kind).toBe('accepted');

    await supervisor.goto(`${web.url}/cycles/${cycleId}/supervise`);
    await reloadUntil(supervisor, 'the resubmitted report awaiting review', async () => (await supervisor.locator(item('report')).count()) === 1);
    await supervisor.click(`${item('report')} button[value=accept]`);
    await supervisor.getByText('Đã ghi nhận ý kiến xem xét.').waitFor();
    expect((await unitStatus(env.client, cycleId, 'CDCS-MAY')).report.progress.kind).toBe('accepted');
  });

  it("an intermediate unit's report shows its units' aggregate, read-only, above its own figures", async () => {
    const page = await newPage();
    await page.goto(linkIn(await taskMailOf('LDLD-DONG'), 't'));
    await page.fill('#f-title', `Kế hoạch năm ${year} của LĐLĐ huyện Đồng Hỷ`);
    await page.fill('#f-body', 'Hướng dẫn các công đoàn cơ sở xây dựng kế hoạch; kiểm tra, đôn đốc.');
    await page.click('#plan-form button[value=submit]');
    await page.getByText('Đã nộp kế hoạch.').waitFor();
    await reloadUntil(
      page,
      'the aggregate with the accepted report of CDCS-MAY',
      async () => (await text(page, '#below-aggregate table.figures tr[data-figure=participants] td')) === '1.200',
    );
    expect(await text(page, '#below-aggregate table.figures tr[data-figure=studyClasses] td')).toBe('5');
    expect(await page.locator('#below-aggregate input, #below-aggregate textarea').count()).toBe(0);
    expect(await text(page, '#below-aggregate .below-commendations li')).toContain('Chị Nguyễn Thị Hương, tổ trưởng tổ may 3');
    // The aggregate sits above the unit's own (editable) figures.
    const aggregateY = (await page.locator('#below-aggregate').boundingBox())!.y;
    const ownY = (await page.locator('[name="figures.studyClasses"]').boundingBox())!.y;
    expect(aggregateY).toBeLessThan(ownY);
    await shot(page, 'intermediate-report-aggregate');

    await page.goto(`${page.url().split('?')[0]}?lang=en`);
    await page.getByRole('heading', { name: /Your unit's plan and report/ }).waitFor();
    await shot(page, 'intermediate-report-english');
  });

  it('the secretariat downloads the aggregate report (DOCX) and every unit’s figures (XLSX) of the running cycle', async () => {
    await secretariat.goto(`${web.url}/cycles/${cycleId}?unit=LDLD-DONG`);
    const report = await secretariat.locator('#downloads a[data-download=report]').getAttribute('href');
    expect(report).toBe(`/cycles/${cycleId}/units/LDLD-DONG/report.docx`);
    const docx = await secretariat.request.get(`${web.url}${report}`);
    expect(docx.status()).toBe(200);
    expect(docx.headers()['content-type']).toBe(DOCX_CONTENT_TYPE);
    const name = /filename\*=UTF-8''([^;\s]+)/.exec(docx.headers()['content-disposition'] ?? '')?.[1];
    expect(decodeURIComponent(name ?? '')).toBe(`Báo cáo tổng hợp – Liên đoàn Lao động huyện Đồng Hỷ – ${cycleId}.docx`);
    const body = await docx.body();
    expect(body.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    const xml = await (await JSZip.loadAsync(body)).file('word/document.xml')!.async('string');
    // the live aggregate: CDCS-MAY's accepted report and its commendation proposal
    expect(xml).toContain('Công đoàn cơ sở Công ty May Đức Giang');
    expect(xml).toContain('Chị Nguyễn Thị Hương, tổ trưởng tổ may 3');

    const figures = await secretariat.locator('#downloads a[data-download=figures]').getAttribute('href');
    const xlsx = await secretariat.request.get(`${web.url}${figures!}`);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toBe(XLSX_CONTENT_TYPE);
    const strings = await (await JSZip.loadAsync(await xlsx.body())).file('xl/sharedStrings.xml')!.async('string');
    expect(strings).toContain('Công đoàn cơ sở Trường THPT Lý Thái Tổ');
    // a district's staff sees its own report link, not the whole cycle's figures
    await supervisor.goto(`${web.url}/cycles/${cycleId}`);
    expect(await supervisor.locator('#downloads a[data-download=report]').count()).toBe(1);
    expect(await supervisor.locator('#downloads a[data-download=figures]').count()).toBe(0);
  });

  it('the secretariat extends a selection of overdue units at once, with one reason: a result per unit, each in its history', async () => {
    await secretariat.goto(`${web.url}/cycles/${cycleId}/supervise`);
    const row = 'section#overdue tr[data-unit="CDCS-KD"][data-phase=plan]';
    await reloadUntil(secretariat, 'CDCS-KD overdue on the secretariat page', async () => (await secretariat.locator(row).count()) === 1);
    const until = DateTime.fromISO(plan.levels[2]!.plan.dueDate).plus({ days: 20 }).toISODate()!;
    // Nothing ticked: refused with what to do, nothing extended.
    await secretariat.fill('#bulk-until', until);
    await secretariat.click('#bulk-actions button[value=extend]');
    await secretariat.getByText('Chưa chọn đơn vị nào.').waitFor();
    expect((await unitStatus(env.client, cycleId, 'CDCS-KD')).plan.extended).toBe(false);

    await secretariat.check(`${row} input[type=checkbox]`);
    await secretariat.fill('#bulk-until', until);
    await secretariat.fill('#bulk-reason', 'Gia hạn chung do lũ lụt ảnh hưởng các đơn vị.');
    await secretariat.click('#bulk-actions button[value=extend]');
    // a job: its page reloads itself until every unit has its result
    await secretariat.locator('#bulk-results[data-state=done]').waitFor({ timeout: 60_000 });
    expect(await secretariat.locator('#bulk-results tr[data-unit="CDCS-KD"][data-phase=plan][data-result=ok]').count()).toBe(1);
    expect(await text(secretariat, '#bulk-results [data-field=summary]')).toMatch(/^1 \/ 1/);
    const status = await unitStatus(env.client, cycleId, 'CDCS-KD');
    expect(status.plan).toMatchObject({ extended: true, overdue: false });
    expect(status.plan.deadlines.dueDate >= until).toBe(true);
    const audit = await h.db.selectFrom('audit_log').select(['kind', 'actor', 'data_json']).where('unit_id', '=', 'CDCS-KD').where('kind', '=', 'plan-extended').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe('LDLD-TN');
    expect(audit[0]!.data_json).toContain('Gia hạn chung do lũ lụt ảnh hưởng các đơn vị.');
  });
});
