// The JSON API of a cycle of a campaign, against the real stack: the time-skipping Temporal server, the
// production worker wiring (SQLite, a real SMTP sink) and the web app on loopback, called over HTTP as a client
// would. A cycle of the quarterly example is started through /api/cycles; a unit reads its task (each phase's
// frozen form and the JSON Schema of its content) with the token of its emailed link and submits a phase,
// refused first per field in both languages (a required section, a bound, the cross-field rule, an unknown
// key) in the API's error envelope; its supervisor reads the cycle and the unit, returns the phase with a
// reason, extends a deadline and reminds a selection; the secretariat reads the aggregate; the rights (who
// reviews, who extends) and the OpenAPI document.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail } from '../../activities/archive/store';
import { importCampaign } from '../../activities/campaigns/repository';
import { campaignUnitStatus } from '../../client/campaign-cycles';
import { campaignCycleId } from '../../workflows/ids';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { until } from '../support/cycle-fixtures';
import { createTimeSkippingEnv } from '../support/temporal';
import { CookieClient, officerEmail, signInByEmail, startWebApp, webTree, type RunningWebApp } from './support';

const EXAMPLE = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json'), 'utf8')) as { id: string; definition: Record<string, unknown> };
const ROOT = 'LDLD-TN';
const ALL = webTree().map((u) => u.id);
const RULE = 'Workers trained cannot be fewer than training sessions / Số người được huấn luyện không thể ít hơn số buổi huấn luyện';

let env: TestWorkflowEnvironment;
let h: CycleHarness;
let web: RunningWebApp;
let worker: Worker;
let running: Promise<void>;
let cycleId: string;
let secretariat: CookieClient;
let district: CookieClient;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function api(as: CookieClient, path: string, json?: unknown): Promise<{ status: number; body: Json }> {
  const headers = json === undefined ? undefined : { 'x-csrf-token': (JSON.parse((await as.request('/api/csrf')).text) as { token: string }).token };
  const res = await as.request(path, json === undefined ? {} : { json, headers });
  return { status: res.status, body: res.text ? (JSON.parse(res.text) as Json) : {} };
}

/** The newest task email to `unitId`'s officer (the `after`-th one or later) and the token of its link. */
async function taskMail(unitId: string, after = 0) {
  const to = officerEmail(unitId);
  const pattern = new RegExp(`${web.url.replace(/[.:/]/g, '\\$&')}/t/([A-Za-z0-9_-]{43})`);
  const tasks = () => h.sink.messages.filter((m) => m.to.includes(to) && pattern.test(m.text));
  await h.sink.waitFor(() => tasks().length > after);
  const mail = tasks().at(-1)!;
  return { mail, token: pattern.exec(mail.text)![1]!, count: tasks().length };
}
const taskToken = async (unitId: string) => (await taskMail(unitId)).token;

const good = (n: number) => ({
  results: `Quý I: ${n} buổi huấn luyện an toàn, kiểm tra định kỳ.`,
  issues: '',
  figures: { trainingSessions: n, trainedWorkers: 40 * n, safetyNetworkRate: 87.5, accidents: 0 },
});

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
  h = await createCycleHarness(env, { units: webTree() }, 'web-campaign-api');
  // listening first: the task emails then carry this app's address
  web = await startWebApp({ config: h.config, db: h.db, client: env.client, taskQueue: h.taskQueue, mailer: h.mailer });
  worker = await h.newWorker();
  running = worker.run();
  await importCampaign(h.db, { id: EXAMPLE.id, definition: EXAMPLE.definition }, { by: 'test' });
  secretariat = await signInByEmail(web.url, h.sink, officerEmail(ROOT));
  district = await signInByEmail(web.url, h.sink, officerEmail('LDLD-DONG'));
  const started = await api(secretariat, '/api/cycles', { year, rootUnitId: ROOT, campaign: EXAMPLE.id });
  expect(started.status).toBe(201);
  cycleId = started.body.cycleId as string;
  expect(cycleId).toBe(campaignCycleId(year, ROOT, EXAMPLE.id));
  await until('the whole tree has started', async () => (await campaignUnitStatus(env.client, cycleId, ROOT).catch(() => null))?.aggregate.phases.q1!.expected === ALL.length);
}, 240_000);

afterAll(async () => {
  await web?.close();
  if (worker) {
    worker.shutdown();
    await running;
  }
  await h?.close();
  await env?.teardown();
}, 120_000);

const cyc = () => `/api/cycles/${encodeURIComponent(cycleId)}`;

describe('the JSON API of a campaign cycle', () => {
  it('a unit reads its task: every phase with its frozen form and the JSON Schema of its content', async () => {
    const unit = new CookieClient(web.url);
    const token = await taskToken('CDCS-MAY');
    const { status, body } = await api(unit, `/api/t/${token}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ kind: 'campaign', cycleId, campaign: { id: EXAMPLE.id, version: 1 }, unit: { id: 'CDCS-MAY' }, closed: false });
    expect(body.phases.map((p: Json) => p.key)).toEqual(['q1', 'q2', 'q3', 'q4']);
    const q1 = body.phases[0];
    expect(q1).toMatchObject({ name: { vi: 'Báo cáo quý I', en: 'Q1 report' }, open: true, editable: true, progress: { kind: 'open' }, latest: null });
    expect(q1.deadlines.dueDate).toMatch(/^\d{4}-04-\d{2}$/);
    expect(q1.form.sections.map((s: Json) => [s.key, s.required ?? false])).toEqual([
      ['results', true],
      ['issues', false],
    ]);
    expect(q1.form.figures.map((f: Json) => f.key)).toEqual(['trainingSessions', 'trainedWorkers', 'safetyNetworkRate', 'accidents']);
    expect(q1.form.rules[0].message.en).toBe('Workers trained cannot be fewer than training sessions');
    expect(q1.contentSchema.properties.figures.properties.safetyNetworkRate).toMatchObject({ minimum: 0, maximum: 100 });
    expect(q1.contentSchema.required).toContain('results');
    // the second quarter opens once the first is in (or overdue)
    expect(body.phases[1]).toMatchObject({ open: false, editable: false });
  });

  it('a phase submitted with mistakes is refused field by field, in both languages, in the API error envelope; then accepted once', async () => {
    const unit = new CookieClient(web.url);
    const token = await taskToken('CDCS-MAY');
    const bad = await api(unit, `/api/t/${token}/q1`, {
      content: { results: '', figures: { trainingSessions: 5, trainedWorkers: 2, safetyNetworkRate: 150, accidents: 0 }, surplus: 'x' },
      submittedBy: ' ',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('InvalidInput');
    const fields = bad.body.fields as Record<string, string>;
    expect(fields).toMatchObject({ 'content.results': 'required / bắt buộc' });
    expect(fields['content.figures.safetyNetworkRate']).toMatch(/^.+ \/ .+$/);
    expect(Object.values(fields)).toContain(RULE);
    expect(fields['content.surplus']).toBe('not a field of this form: remove it / không có trong mẫu: hãy bỏ đi');
    expect(fields.submittedBy).toMatch(/ \/ /);
    // the message: one readable line per field
    const lines = (bad.body.message as string).split('\n');
    expect(lines).toHaveLength(Object.keys(fields).length);
    expect(lines).toContain(`content.results: required / bắt buộc`);
    // an unknown phase names the campaign's
    expect((await api(unit, `/api/t/${token}/q9`, { content: good(3), submittedBy: 'Nguyễn Thị Hoa' })).status).toBe(404);
    // a body that is not the envelope at all
    const noContent = await api(unit, `/api/t/${token}/q1`, { submittedBy: 'Nguyễn Thị Hoa' });
    expect(noContent.status).toBe(400);
    expect(noContent.body.fields.content).toBe('required / bắt buộc');

    const ok = await api(unit, `/api/t/${token}/q1`, { content: good(3), submittedBy: 'Nguyễn Thị Hoa' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ unitId: 'CDCS-MAY', phase: 'q1', version: 1, late: false });
    const again = await api(unit, `/api/t/${token}/q1`, { content: good(3), submittedBy: 'Nguyễn Thị Hoa' });
    // the same content sent again (a retry) is the same submission: still version 1
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ version: 1, submittedAt: ok.body.submittedAt });
    const task = (await api(unit, `/api/t/${token}`)).body;
    expect(task.phases[0]).toMatchObject({ editable: false, progress: { kind: 'submitted', version: 1 }, latest: { version: 1, content: { results: good(3).results } } });
    expect(task.phases[1]).toMatchObject({ open: true, editable: true });
  });

  it('the supervisor reads the cycle and the unit, returns the phase with a reason; the unit sees why', async () => {
    await until('the district counts the submission', async () => (await api(district, cyc())).body.phases[0].aggregate.submittedOnTime.total === 1);
    const overview = await api(district, cyc());
    expect(overview.status).toBe(200);
    expect(overview.body).toMatchObject({ source: 'live', cycleId, campaign: { id: EXAMPLE.id, version: 1 }, focus: { id: 'LDLD-DONG' }, canRemind: true });
    expect(overview.body.phases[0]).toMatchObject({ key: 'q1', aggregate: { expected: 3 } });
    const may = overview.body.children.find((c: Json) => c.unitId === 'CDCS-MAY');
    expect(may.phases.q1).toMatchObject({ progress: 'submitted', version: 1 });
    const tw = overview.body.phases[0].figures.find((f: Json) => f.figure.key === 'trainedWorkers');
    expect(tw).toMatchObject({ value: 120, reporting: 1 });

    const unit = await api(district, `${cyc()}/units/CDCS-MAY`);
    expect(unit.status).toBe(200);
    expect(unit.body).toMatchObject({ source: 'live', unit: { id: 'CDCS-MAY' }, reviewerUnitId: 'LDLD-DONG', extenderUnitId: 'LDLD-DONG' });
    expect(unit.body.phases[0].view.figures).toEqual(good(3).figures);

    const noReason = await api(district, `${cyc()}/units/CDCS-MAY/review`, { decision: 'return', phase: 'q1', version: 1, comment: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body).toMatchObject({ error: 'InvalidInput', fields: { comment: 'a returned report needs a reason / trả lại cần nêu lý do' } });
    const notKey = await api(district, `${cyc()}/units/CDCS-MAY/review`, { decision: 'maybe', phase: 'Q1!', version: 1 });
    expect(notKey.status).toBe(400);
    expect(notKey.body.message).toMatch(/^decision: .+ \/ .+$/m);
    // the secretariat is not the unit directly above
    expect((await api(secretariat, `${cyc()}/units/CDCS-MAY/review`, { decision: 'accept', phase: 'q1', version: 1 })).status).toBe(403);
    // a phase the campaign does not have: refused by the workflow
    expect((await api(district, `${cyc()}/units/CDCS-MAY/review`, { decision: 'accept', phase: 'q7', version: 1 })).status).toBe(409);
    const returned = await api(district, `${cyc()}/units/CDCS-MAY/review`, { decision: 'return', phase: 'q1', version: 1, comment: 'Bổ sung số liệu tổ an toàn vệ sinh viên' });
    expect(returned.status).toBe(200);
    expect(returned.body).toMatchObject({ unitId: 'CDCS-MAY', phase: 'q1', version: 1, decision: 'returned' });
    const task = (await api(new CookieClient(web.url), `/api/t/${await taskToken('CDCS-MAY')}`)).body;
    expect(task.phases[0]).toMatchObject({ editable: true, progress: { kind: 'returned', version: 1, comment: 'Bổ sung số liệu tổ an toàn vệ sinh viên' } });
  });

  it('the supervisor extends a deadline and reminds a selection; each refusal names its field', async () => {
    const badDate = await api(district, `${cyc()}/units/CDCS-THPT/extend`, { phase: 'q1', until: '30/05', reason: 'x' });
    expect(badDate.status).toBe(400);
    expect(badDate.body.fields.until).toBe('a date / một ngày (YYYY-MM-DD)');
    const year = /^cycle-(\d{4})-/.exec(cycleId)![1];
    const extended = await api(district, `${cyc()}/units/CDCS-THPT/extend`, { phase: 'q1', until: `${year}-05-29`, reason: 'Đơn vị đang kiểm kê' });
    expect(extended.status).toBe(200);
    expect(extended.body).toMatchObject({ unitId: 'CDCS-THPT', phase: 'q1' });
    // the date asked, or the next working day
    expect(extended.body.deadlines.dueDate >= `${year}-05-29` && extended.body.deadlines.dueDate <= `${year}-06-01`).toBe(true);
    // a unit outside the district
    expect((await api(district, `${cyc()}/units/CDCS-KD/extend`, { phase: 'q1', until: `${year}-05-29`, reason: '' })).status).toBe(403);

    const refused = await api(district, `${cyc()}/remind-selection`, { items: [{ unitId: 'CDCS-THPT', phase: 'Q1' }] });
    expect(refused.status).toBe(400);
    expect(refused.body.fields['items.0.phase']).toBe('a phase key of the campaign, e.g. q1 / mã giai đoạn của đợt báo cáo, ví dụ q1');
    const reminded = await api(district, `${cyc()}/remind-selection`, {
      items: [
        { unitId: 'CDCS-THPT', phase: 'q1' },
        { unitId: 'CDCS-KD', phase: 'q1' },
      ],
    });
    expect(reminded.status).toBe(200);
    const [thpt, kd] = reminded.body.results as Json[];
    expect(thpt).toMatchObject({ unitId: 'CDCS-THPT', phase: 'q1', ok: true, reminderNumber: 1, email: 'reminder', phaseName: { vi: 'Báo cáo quý I' } });
    expect(kd).toMatchObject({ unitId: 'CDCS-KD', ok: false });
    const extendedMany = await api(secretariat, `${cyc()}/extend-selection`, { items: [{ unitId: 'CDCS-KD', phase: 'q1' }], until: `${year}-05-30`, reason: 'Nghỉ lễ' });
    expect(extendedMany.body.results[0]).toMatchObject({ unitId: 'CDCS-KD', ok: true });
  });

  it('the aggregate of a node, for those who may see it', async () => {
    const agg = await api(secretariat, `${cyc()}/units/${ROOT}/aggregate`);
    expect(agg.status).toBe(200);
    expect(agg.body).toMatchObject({ source: 'live', cycleId, unitId: ROOT, campaignId: EXAMPLE.id, version: 1 });
    expect(agg.body.phases.q1.expected).toBe(ALL.length);
    expect((await api(district, `${cyc()}/units/${ROOT}/aggregate`)).status).toBe(403);
  });

  it('the OpenAPI document describes the campaign bodies', async () => {
    const doc = (await api(new CookieClient(web.url), '/api/openapi.json')).body;
    for (const name of ['CampaignSubmit', 'CampaignReview', 'CampaignExtend', 'CampaignSelection', 'CampaignExtendSelection']) expect(doc.components.schemas[name]).toBeDefined();
    expect(doc.components.schemas.CampaignSelection.properties.items.items.properties.phase.pattern).toBe('^[a-z][a-z0-9-]{0,31}$');
    const review = doc.paths['/api/cycles/{cycleId}/units/{unitId}/review'].post.requestBody.content['application/json'].schema.oneOf;
    expect(review.map((r: Json) => r.$ref)).toContain('#/components/schemas/CampaignReview');
  });

  it('a new link from the unit page, and for a selection (page and API): old links stop working, the campaign task email comes again', async () => {
    const before = await taskMail('CDCS-THPT');
    const page = await district.request(`/cycles/${encodeURIComponent(cycleId)}/units/CDCS-THPT`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="link"');
    const posted = await district.request(`/cycles/${encodeURIComponent(cycleId)}/units/CDCS-THPT/reissue-link`, { form: { _csrf: CookieClient.csrfOf(page.text) } });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toContain('done=reissued');
    const done = await district.request(posted.headers.get('location')!);
    expect(done.text).toContain('Đã thu hồi đường liên kết cũ và gửi đường liên kết mới.');
    const after = await taskMail('CDCS-THPT', before.count);
    expect(after.token).not.toBe(before.token);
    // the campaign's own task email: its name and every phase's deadline
    expect(after.mail.subject).toContain('Báo cáo quý về an toàn, vệ sinh lao động');
    for (const q of ['Báo cáo quý I', 'Báo cáo quý II', 'Báo cáo quý III', 'Báo cáo quý IV']) expect(after.mail.text).toContain(q);
    const unit = new CookieClient(web.url);
    expect((await unit.request(`/api/t/${before.token}`)).status).toBe(410);
    expect((await api(unit, `/api/t/${after.token}`)).body).toMatchObject({ kind: 'campaign', unit: { id: 'CDCS-THPT' } });
    const audit = await auditTrail(h.db, cycleId, 'CDCS-THPT');
    expect(audit.filter((e) => e.kind === 'link-reissued').map((e) => [e.actor, e.channel, e.data])).toEqual([['LDLD-DONG', 'web', { revoked: 1 }]]);

    // the cycle page's selection: a job with a result per unit
    const kdBefore = await taskMail('CDCS-KD');
    const cyclePage = await secretariat.request(`/cycles/${encodeURIComponent(cycleId)}?unit=CDN-GD`);
    expect(cyclePage.text).toContain('name="action" value="reissue"');
    const bulk = await secretariat.request(`/cycles/${encodeURIComponent(cycleId)}/supervise/bulk?unit=CDN-GD`, { form: { _csrf: CookieClient.csrfOf(cyclePage.text), action: 'reissue', item: 'CDCS-KD:q1' } });
    expect(bulk.status).toBe(303);
    const job = await secretariat.request(bulk.headers.get('location')!);
    expect(job.text).toMatch(/data-unit="CDCS-KD" data-phase="q1" data-result="(ok|pending)"/);
    const kdAfter = await taskMail('CDCS-KD', kdBefore.count);
    expect((await unit.request(`/api/t/${kdBefore.token}`)).status).toBe(410);
    expect((await unit.request(`/api/t/${kdAfter.token}`)).status).toBe(200);

    // the JSON API: one link, and a selection
    const mayBefore = await taskMail('CDCS-MAY');
    const one = await api(district, `${cyc()}/units/CDCS-MAY/reissue-link`, {});
    expect(one).toMatchObject({ status: 200, body: { revoked: 1 } });
    const mayAfter = await taskMail('CDCS-MAY', mayBefore.count);
    const many = await api(district, `${cyc()}/reissue-selection`, { items: [{ unitId: 'CDCS-MAY', phase: 'q1' }, { unitId: 'CDCS-KD', phase: 'q1' }] });
    expect(many.status).toBe(200);
    expect(many.body.results).toMatchObject([
      { unitId: 'CDCS-MAY', ok: true, revoked: 1 },
      { unitId: 'CDCS-KD', ok: false },
    ]);
    await taskMail('CDCS-MAY', mayAfter.count);
    expect((await unit.request(`/api/t/${mayAfter.token}`)).status).toBe(410);
  });

  it('the secretariat sees and reminds the overdue units of its whole subtree, deeper levels too; a district its own', async () => {
    const year = Number(/^cycle-(\d{4})-/.exec(cycleId)![1]);
    // past the first quarter's deadlines and their extensions (to the end of May), before the second's
    await env.sleep(Date.parse(`${year}-06-05T03:00:00Z`) - (await env.currentTimeMs()));
    // LDLD-DONG and CDN-GD below the root, CDCS-THPT and CDCS-KD a level further down, and the root itself (no
    // reminder is for it here: its page lists the units below); CDCS-MAY's returned version is not overdue
    await until('the root counts five overdue units', async () => (await campaignUnitStatus(env.client, cycleId, ROOT)).aggregate.phases.q1!.overdue.total === 5);
    const overdue = ['LDLD-DONG', 'CDN-GD', 'CDCS-THPT', 'CDCS-KD'];
    const page = (await secretariat.request(`/cycles/${encodeURIComponent(cycleId)}`)).text;
    const table = page.slice(page.indexOf('id="overdue-rows"'), page.indexOf('</table>', page.indexOf('id="overdue-rows"')));
    const listed = [...table.matchAll(/<tr data-unit="([^"]+)" data-phase="([^"]+)"/g)].map((m) => `${m[1]}:${m[2]}`);
    // nearest levels first
    expect(listed.slice(0, 2).sort()).toEqual(['CDN-GD:q1', 'LDLD-DONG:q1']);
    expect(listed.slice(2).sort()).toEqual(['CDCS-KD:q1', 'CDCS-THPT:q1']);
    expect(table.slice(table.indexOf('data-unit="CDCS-KD"'))).toContain('<td data-field="parent">Công đoàn ngành Giáo dục</td>');
    expect(page).toContain('Nhắc ngay tất cả 4 đơn vị quá hạn');

    // the district sees its own unit only, and may remind it
    const own = (await district.request(`/cycles/${encodeURIComponent(cycleId)}`)).text;
    const ownTable = own.slice(own.indexOf('id="overdue-rows"'), own.indexOf('</table>', own.indexOf('id="overdue-rows"')));
    expect([...ownTable.matchAll(/<tr data-unit="([^"]+)"/g)].map((m) => m[1])).toEqual(['CDCS-THPT']);

    // the API: the same list, bounded and complete here
    const sup = await api(secretariat, `${cyc()}/supervise`);
    expect(sup.status).toBe(200);
    expect(sup.body).toMatchObject({ complete: true, focus: { id: ROOT } });
    expect(sup.body.overdue.map((r: Json) => `${r.unitId}:${r.phase}`)).toEqual(listed);
    expect(Object.fromEntries(sup.body.overdue.map((r: Json) => [r.unitId, [r.parentId, r.canRemind, r.dueDate]]))).toEqual({
      'LDLD-DONG': [ROOT, true, expect.stringMatching(/^\d{4}-04-\d{2}$/)],
      'CDN-GD': [ROOT, true, expect.stringMatching(/^\d{4}-04-\d{2}$/)],
      'CDCS-THPT': ['LDLD-DONG', true, `${year}-05-31`],
      'CDCS-KD': ['CDN-GD', true, `${year}-05-31`],
    });

    // "remind every overdue unit": a job over all four, each through its own workflow, audited as the secretariat's
    const posted = await secretariat.request(`/cycles/${encodeURIComponent(cycleId)}/supervise/remind-overdue`, { form: { _csrf: CookieClient.csrfOf(page) } });
    expect(posted.status).toBe(303);
    let job = '';
    await until('the job has reminded every unit', async () => {
      job = (await secretariat.request(posted.headers.get('location')!)).text;
      return (job.match(/data-result="ok"/g) ?? []).length === 4;
    });
    for (const u of overdue) expect(job).toContain(`data-unit="${u}" data-phase="q1" data-result="ok"`);
    const kd = await auditTrail(h.db, cycleId, 'CDCS-KD');
    expect(kd.filter((e) => e.kind === 'reminder-requested').map((e) => [e.actor, (e.data as { email?: string }).email])).toEqual([[ROOT, 'overdue-notice']]);
  });
});
