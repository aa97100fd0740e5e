// The supervisors' desk in Debian's Chromium against the real stack (time-skipping server, the production worker
// wiring, SQLite, a real SMTP server): remind now for a selection and for every overdue unit, new links for a
// selection, each as a job with a result per unit; the review queue showing what is reviewed (sections, figures
// against last year's report from the archive, the plan it follows, the place of its files); a running and an
// interrupted job's page. Screenshots go to a temporary directory, or BAOCAO_SCREENSHOTS_DIR.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeSubmission } from '../../activities/archive/store';
import type { DeadlinePlan } from '../../activities/calendar/types';
import { cyclePlan, submit, unitStatus } from '../../client/cycles';
import { cycleWorkflow } from '../../workflows/cycle';
import { cycleId as makeCycleId } from '../../workflows/ids';
import { browserStack } from '../support/browser-stack';
import type { CycleHarness } from '../support/cycle-harness';
import { cycleInput, planFor, reportFor, untilTreeStarted } from '../support/cycle-fixtures';
import { officerEmail, webTree, type RunningWebApp } from './support';

const stack = browserStack('web-desk');
const { mailTo, linkIn, reloadUntil, signIn, shot } = stack;
let env: TestWorkflowEnvironment;
let h: CycleHarness;
let web: RunningWebApp;
let year: number;
let cycleId: string;
let plan: DeadlinePlan;

beforeAll(async () => {
  ({ env, h, web, year } = await stack.start());
  cycleId = makeCycleId(year, 'LDLD-TN');
  await env.client.workflow.start(cycleWorkflow, { workflowId: cycleId, taskQueue: h.taskQueue, args: [cycleInput(cycleId, year, 'LDLD-TN')] });
  await untilTreeStarted(env.client, cycleId, webTree().length);
  plan = (await cyclePlan(env.client, cycleId))!;
}, 240_000);

afterAll(() => stack.close(), 120_000);

const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();
/** A job's page reloads itself (meta refresh) until every unit has its result. */
const jobDone = (page: Page) => page.locator('#bulk-results[data-state=done]').waitFor({ timeout: 60_000 });
const row = (unitId: string) => `#bulk-results tr[data-unit="${unitId}"]`;

let supervisor: Page;

describe("the supervisors' desk", () => {
  it('reminds a selection now: each unit through its workflow, a result per unit, audited, refusals with their reason', async () => {
    await submit(env.client, { cycleId, unitId: 'CDCS-MAY', phase: 'plan', content: planFor('CDCS-MAY', year), channel: 'test', submittedBy: 'Nguyễn Thị Hoa' });
    supervisor = await signIn(officerEmail('LDLD-DONG'));
    await supervisor.goto(`${web.url}/cycles/${cycleId}/supervise`);
    await supervisor.check('#direct-units tr[data-unit="CDCS-THPT"] input[type=checkbox]');
    await supervisor.click('#bulk-actions button[value=remind]');
    await jobDone(supervisor);
    expect(await supervisor.locator(`${row('CDCS-THPT')}[data-result=ok]`).count()).toBe(1);
    expect(await text(supervisor, `${row('CDCS-THPT')} td:last-child`)).toBe('Đã gửi thư nhắc (lần 1)');
    const reminder = await mailTo(officerEmail('CDCS-THPT'), (m) => m.subject.includes('Đôn đốc nộp'));
    expect(reminder.subject).toContain('(lần 1)');
    const audit = await h.db.selectFrom('audit_log').select(['actor', 'channel', 'data_json']).where('unit_id', '=', 'CDCS-THPT').where('kind', '=', 'reminder-requested').execute();
    expect(audit).toEqual([{ actor: 'LDLD-DONG', channel: 'web', data_json: expect.stringContaining(`"requestedBy":"${officerEmail('LDLD-DONG')}"`) }]);

    // again, with the unit whose plan is in: its report is chased now; the other one is refused, saying why in both languages
    await supervisor.goto(`${web.url}/cycles/${cycleId}/supervise`);
    await supervisor.check('#direct-units tr[data-unit="CDCS-THPT"] input[type=checkbox]');
    await supervisor.check('#direct-units tr[data-unit="CDCS-MAY"] input[type=checkbox]');
    await supervisor.click('#bulk-actions button[value=remind]');
    await jobDone(supervisor);
    expect(await text(supervisor, '#bulk-results [data-field=summary]')).toMatch(/^1 \/ 2/);
    expect(await text(supervisor, `${row('CDCS-THPT')}[data-result=refused] td:last-child`)).toMatch(/at most one reminder an hour.*mỗi giờ chỉ nhắc một lần/);
    expect(await supervisor.locator(`${row('CDCS-MAY')}[data-phase=report][data-result=ok]`).count()).toBe(1);
    await shot(supervisor, 'bulk-remind-results');
    expect((await unitStatus(env.client, cycleId, 'CDCS-THPT')).plan.remindersSent).toBe(1);
  });

  it('gives a selection new links, each durably: the old links stop working, the new ones arrive', async () => {
    const oldLink = linkIn(await mailTo(officerEmail('CDCS-THPT'), (m) => m.subject.includes('Giao nhiệm vụ')), 't');
    const tasks = (id: string) => h.sink.messages.filter((m) => m.to.includes(officerEmail(id)) && m.subject.includes('Giao nhiệm vụ')).length;
    const before = { thpt: tasks('CDCS-THPT'), may: tasks('CDCS-MAY') };
    await supervisor.goto(`${web.url}/cycles/${cycleId}/supervise`);
    await supervisor.check('#direct-units tr[data-unit="CDCS-THPT"] input[type=checkbox]');
    await supervisor.check('#direct-units tr[data-unit="CDCS-MAY"] input[type=checkbox]');
    await supervisor.click('#bulk-actions button[value=reissue]');
    await jobDone(supervisor);
    expect(await text(supervisor, '#bulk-results [data-field=summary]')).toMatch(/^2 \/ 2/);
    expect(await text(supervisor, `${row('CDCS-THPT')} td:last-child`)).toBe('Đã gửi đường liên kết mới; 1 đường liên kết cũ bị thu hồi');
    await h.sink.waitFor(() => tasks('CDCS-THPT') > before.thpt && tasks('CDCS-MAY') > before.may);
    const stale = await supervisor.context().newPage();
    expect((await stale.goto(oldLink))!.status()).toBe(410);
    const fresh = linkIn(await mailTo(officerEmail('CDCS-THPT'), (m) => m.subject.includes('Giao nhiệm vụ')), 't');
    expect((await stale.goto(fresh))!.status()).toBe(200);
    expect(await h.db.selectFrom('audit_log').select('actor').where('unit_id', 'in', ['CDCS-THPT', 'CDCS-MAY']).where('kind', '=', 'link-reissued').execute()).toEqual([
      { actor: 'LDLD-DONG' },
      { actor: 'LDLD-DONG' },
    ]);
    await stale.close();
  });

  it('reminds every overdue unit of the secretariat at once: the overdue notice, past the deadline', async () => {
    const due = plan.levels[2]!.plan;
    await env.sleep(Date.parse(due.dueAt) + 12 * 3600_000 - (await env.currentTimeMs()));
    await stack.followServerClock();
    const secretariat = await signIn(officerEmail('LDLD-TN'));
    await secretariat.goto(`${web.url}/cycles/${cycleId}/supervise`);
    await reloadUntil(secretariat, 'two overdue units', async () => (await secretariat.locator('section#overdue tbody tr').count()) === 2);
    expect(await text(secretariat, '#remind-overdue button')).toBe('Nhắc ngay tất cả 2 đơn vị quá hạn');
    await secretariat.click('#remind-overdue button');
    await jobDone(secretariat);
    for (const id of ['CDCS-THPT', 'CDCS-KD']) expect(await text(secretariat, `${row(id)}[data-result=ok] td:last-child`)).toMatch(/^Đã gửi thông báo quá hạn \(lần nhắc \d+\)$/);
    await mailTo(officerEmail('CDCS-KD'), (m) => m.subject.includes('Thông báo quá hạn'));
    // the same through the JSON API, in English: refused now (once an hour)
    const { token } = (await (await secretariat.request.get(`${web.url}/api/csrf`)).json()) as { token: string };
    const api = await secretariat.request.post(`${web.url}/api/cycles/${cycleId}/remind-selection`, { data: { items: [{ unitId: 'CDCS-KD', phase: 'plan' }] }, headers: { 'x-csrf-token': token } });
    expect(api.status()).toBe(200);
    expect(((await api.json()) as { results: unknown[] }).results).toEqual([expect.objectContaining({ unitId: 'CDCS-KD', ok: false, problem: expect.stringContaining('at most one reminder an hour') })]);
  });

  it('shows what is being reviewed beside accept / return: sections, figures against last year’s report, the plan, its files', async () => {
    // last year's report of CDCS-MAY, as the archive keeps it
    const lastYear = makeCycleId(year - 1, 'LDLD-TN');
    const old = reportFor('CDCS-MAY', 3);
    await storeSubmission(h.db, { cycleId: lastYear, unitId: 'CDCS-MAY', phase: 'report', version: 1, idempotencyKey: 'last-year-may-1', content: old, channel: 'test', submittedBy: 'Nguyễn Thị Hoa', submittedAt: `${year - 2}-12-10T03:00:00.000Z`, late: false });
    const report = { ...reportFor('CDCS-MAY', 5), leadership: 'Ban Thường vụ ban hành Kế hoạch số 05/KH-CĐCS; hướng dẫn tổ công đoàn thực hiện.' };
    await submit(env.client, { cycleId, unitId: 'CDCS-MAY', phase: 'report', content: report, channel: 'test', submittedBy: 'Nguyễn Thị Hoa' });
    supervisor = await signIn(officerEmail('LDLD-DONG')); // time has been skipped: yesterday's session has expired
    await supervisor.goto(`${web.url}/cycles/${cycleId}/supervise`);
    const item = (phase: string) => `section#queue article[data-unit="CDCS-MAY"][data-phase=${phase}]`;
    await reloadUntil(supervisor, 'the report awaiting review', async () => (await supervisor.locator(item('report')).count()) === 1);
    // the plan: its title and body
    expect(await text(supervisor, `${item('plan')} .submission h3`)).toContain(planFor('CDCS-MAY', year).title);
    // the report: its sections, its figures against last year's (with the change), the plan it follows, its files' place
    const r = item('report');
    expect(await text(supervisor, `${r} .submission[data-phase=report]`)).toContain('Ban Thường vụ ban hành Kế hoạch số 05/KH-CĐCS; hướng dẫn tổ công đoàn thực hiện.');
    expect(await text(supervisor, `${r} [data-field=figures-compare] caption`)).toContain(lastYear);
    const cell = (k: string, col: string) => text(supervisor, `${r} [data-field=figures-compare] tr[data-figure=${k}] td[data-col=${col}]`);
    expect(await cell('participants', 'this')).toBe(String(report.figures.participants));
    expect(await cell('participants', 'last-year')).toBe(String(old.figures.participants));
    expect(await cell('participants', 'change')).toBe(`+${report.figures.participants - old.figures.participants}`);
    expect(await text(supervisor, `${r} [data-field=plan-ref]`)).toContain(planFor('CDCS-MAY', year).title);
    expect(await text(supervisor, `${r} [data-field=files]`)).toContain('Chưa có tệp đính kèm.');
    expect(await supervisor.locator(`${r} button[value=accept]`).count()).toBe(1);
    await shot(supervisor.locator(r), 'review-queue-material');
  });

  it("shows a running job's progress (reloading itself) and says what an interrupted one left undone", async () => {
    const now = stack.now();
    const items = [
      { unitId: 'CDCS-MAY', phase: 'plan', name: 'Công đoàn cơ sở Công ty May Đức Giang' },
      { unitId: 'CDCS-THPT', phase: 'plan', name: 'Công đoàn cơ sở Trường THPT Lý Thái Tổ' },
    ];
    const job = (id: string, updatedAt: Date) => ({
      job_id: id,
      cycle_id: cycleId,
      kind: 'remind' as const,
      created_by: officerEmail('LDLD-DONG'),
      created_at: updatedAt.toISOString(),
      updated_at: updatedAt.toISOString(),
      finished_at: null,
      total: 2,
      items_json: JSON.stringify(items),
      back_href: `/cycles/${cycleId}/supervise`,
    });
    await h.db.insertInto('web_bulk_jobs').values([job('running-job', now), job('stopped-job', new Date(now.getTime() - 3_600_000))]).execute();
    const done = { job_id: '', seq: 0, unit_id: 'CDCS-MAY', ok: 1, result_json: JSON.stringify({ ...items[0], ok: true, reminderNumber: 2, email: 'reminder' }), at: now.toISOString() };
    await h.db.insertInto('web_bulk_results').values([{ ...done, job_id: 'running-job' }, { ...done, job_id: 'stopped-job' }]).execute();

    await supervisor.goto(`${web.url}/cycles/${cycleId}/jobs/running-job`);
    expect(await supervisor.locator('meta[http-equiv=refresh]').getAttribute('content')).toBe('2');
    expect(await text(supervisor, '[data-field=progress]')).toContain('Đang thực hiện: 1 / 2 đơn vị');
    expect(await supervisor.locator(`${row('CDCS-THPT')}[data-result=pending]`).count()).toBe(1);

    await supervisor.goto(`${web.url}/cycles/${cycleId}/jobs/stopped-job?lang=en`);
    expect(await supervisor.locator('meta[http-equiv=refresh]').count()).toBe(0);
    expect(await text(supervisor, '[data-field=interrupted]')).toContain('The web app stopped part-way');
    expect(await text(supervisor, `${row('CDCS-MAY')}[data-result=ok] td:last-child`)).toBe('Reminder sent (no. 2)');
    expect(await text(supervisor, `${row('CDCS-THPT')}[data-result=none] td:last-child`)).toBe('No result');
    // a job is its starter's: another staff member gets "not found"
    const other = await signIn(officerEmail('CDN-GD'));
    expect((await other.goto(`${web.url}/cycles/${cycleId}/jobs/running-job`))!.status()).toBe(404);
  });
});
