// What lies below a grouped unit, for its staff: the overdue table of the subtree and the JSON API. The root's 60
// units are held by two groups (./campaign-grouped-fixture.ts); CDCS-045 has two units of its own, so one overdue
// unit lies under a unit the groups hold. Past the due dates (time-skipping: env.sleep) the cycle page lists every
// overdue unit of the subtree — the 58 the groups hold and the one below CDCS-045 — with its supervisor and due
// date, as /api/cycles/C/supervise does; the walk behind them stops at its bound of queries and says so; the unit
// endpoint lists a grouped unit's units a slice at a time (?offset=&limit=, across both groups) with their total and
// the groups' ranges, and refuses bad parameters per field in both languages. Real time-skipping server, the
// production worker wiring, the web app over HTTP.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignGroupUnits, campaignSubmit, campaignUnitStatus } from '../../client/campaign-cycles';
import { walkCampaignOverdue, type OverdueSources } from '../../client/web/ops/campaign-overdue-walk';
import { MAX_OVERDUE_QUERIES } from '../../client/web/ops/campaign-overdue';
import { PAGE_SIZE } from '../../client/web/ops/deps';
import { localDate } from '../../client/web/format';
import { phaseSummaries, type CampaignCycleOverview } from '../../client/web/ops/campaign-cycle';
import { campaignCyclePage } from '../../client/web/views/campaign-cycle';
import { CycleTrees, type CycleTree } from '../../client/web/tree';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { until } from '../support/cycle-fixtures';
import { createTimeSkippingEnv } from '../support/temporal';
import { GROUPED_DEFINITION, GROUPED_IDS as ids, GROUPED_ROOT as ROOT, groupedContent, groupedName, groupedUnits, startGroupedCycle, tableRow, tableRowIds, type GroupedCycle } from './campaign-grouped-fixture';
import { CookieClient, officerEmail, signInByEmail, startWebApp, webTree, type RunningWebApp } from './support';

const DAY = 86_400_000;
const BELOW = [
  { id: 'CDCS-045-01', name: 'Công đoàn cơ sở Trường Mầm non Hoa Sen – Đồng Hỷ', parentId: 'CDCS-045' },
  { id: 'CDCS-045-02', name: 'Công đoàn cơ sở Trường THCS Nguyễn Trãi – Đồng Hỷ', parentId: 'CDCS-045' },
];
const UNITS = groupedUnits(BELOW);
const ROOT_NAME = webTree()[0]!.name;
/** on time: not overdue */
const ON_TIME = ['CDCS-000', 'CDCS-055', 'CDCS-045-02'];
/** nearest level first, in the tree's order: the root's units the groups hold, then the one below CDCS-045 */
const OVERDUE = [...ids.filter((id) => !ON_TIME.includes(id)), 'CDCS-045-01'];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let env: TestWorkflowEnvironment;
let h: CycleHarness;
let worker: Worker;
let running: Promise<void>;
let web: RunningWebApp;
let secretariat: CookieClient;
let cycle: GroupedCycle;
let tree: CycleTree;

async function api(path: string): Promise<{ status: number; body: Json }> {
  const res = await secretariat.request(path);
  return { status: res.status, body: JSON.parse(res.text) as Json };
}
const unitApi = (unitId: string, query = '') => api(`/api/cycles/${encodeURIComponent(cycle.cycleId)}/units/${unitId}${query}`);

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  h = await createCycleHarness(env, { units: UNITS }, 'web-campaign-grouped-below');
  worker = await h.newWorker();
  running = worker.run();
  const client = env.client;
  cycle = await startGroupedCycle(env, h, UNITS);
  const { cycleId, plan } = cycle;
  for (const id of ON_TIME) await campaignSubmit(client, h.db, { cycleId, unitId: id, phase: 'q1', content: groupedContent(id), channel: 'test' });
  // past the root's units' due date: the level below theirs is due earlier still
  await env.sleep(Date.parse(plan.levels[1]!.phases.q1!.dueAt) - (await env.currentTimeMs()) + DAY);
  await until('CDCS-045-01 is overdue', async () => (await campaignUnitStatus(client, cycleId, 'CDCS-045-01')).phases[0]!.overdue);
  await until('the groups hold every overdue mark', async () => (await campaignUnitStatus(client, cycleId, ROOT)).aggregate.phases.q1!.overdue.total >= OVERDUE.length);
  tree = (await new CycleTrees(h.db).get(cycleId))!;
  web = await startWebApp({ config: h.config, db: h.db, client, taskQueue: h.taskQueue, mailer: h.mailer });
  secretariat = await signInByEmail(web.url, h.sink, officerEmail(ROOT));
}, 300_000);

afterAll(async () => {
  await web?.close();
  if (worker) {
    worker.shutdown();
    await running;
  }
  await h?.close();
  await env?.teardown();
}, 120_000);

describe('the overdue units of a grouped unit’s subtree', () => {
  it('lists on the cycle page those its groups hold and those below them, with their supervisor and due date', { timeout: 60_000 }, async () => {
    const res = await secretariat.request(`/cycles/${encodeURIComponent(cycle.cycleId)}?unit=${ROOT}`);
    expect(res.status).toBe(200);
    const page = res.text;
    expect(page).toContain(`Đơn vị quá hạn (${OVERDUE.length})`);
    expect(tableRowIds(page, 'overdue-rows')).toEqual(OVERDUE);
    const due1 = localDate(cycle.plan.levels[1]!.phases.q1!.dueDate);
    const due2 = localDate(cycle.plan.levels[2]!.phases.q1!.dueDate);
    // the first group's and the second's, supervised by the root; the one below CDCS-045 by CDCS-045 (then the reminders sent)
    const cells = (name: string, parent: string, due: string) => new RegExp(`^${name} \\| ${parent} \\| Báo cáo quý I \\| ${due} \\| \\d+ \\|$`);
    expect(tableRow(page, 'CDCS-001', 'overdue-rows')).toMatch(cells(groupedName(1), ROOT_NAME, due1));
    expect(tableRow(page, 'CDCS-059', 'overdue-rows')).toMatch(cells(groupedName(59), ROOT_NAME, due1));
    expect(tableRow(page, 'CDCS-045-01', 'overdue-rows')).toMatch(cells(BELOW[0]!.name, groupedName(45), due2));
    expect(page).toContain(`href="/cycles/${encodeURIComponent(cycle.cycleId)}/units/CDCS-045-01"`);
    expect(page).not.toContain('data-field="overdue-cut-short"');
    // "remind every overdue unit" takes all of them
    expect(page).toContain(`Nhắc ngay tất cả ${OVERDUE.length} đơn vị quá hạn`);
  });

  it('gives the same list to the API, complete', { timeout: 60_000 }, async () => {
    const sup = await api(`/api/cycles/${encodeURIComponent(cycle.cycleId)}/supervise?unit=${ROOT}`);
    expect(sup.status).toBe(200);
    expect(sup.body.complete).toBe(true);
    expect(sup.body.cutShort).toBeUndefined();
    expect((sup.body.overdue as Json[]).map((r) => r.unitId)).toEqual(OVERDUE);
    expect((sup.body.overdue as Json[]).find((r) => r.unitId === 'CDCS-045-01')).toMatchObject({ parentId: 'CDCS-045', parentName: groupedName(45), phase: 'q1', canRemind: true });
  });

  it('stops at its bound of queries, nearest levels first, and says it was cut short', { timeout: 60_000 }, async () => {
    const client = env.client;
    const { cycleId, capacity } = cycle;
    const focus = await campaignUnitStatus(client, cycleId, ROOT);
    let asked: string[] = [];
    const sources: OverdueSources = {
      status: (id) => (asked.push(id), campaignUnitStatus(client, cycleId, id)),
      group: (id, r) => (asked.push(`${id}#${r.offset}-${r.count}`), campaignGroupUnits(client, cycleId, id, r)),
    };
    const walk = (queries: number, rows = 2_000) => walkCampaignOverdue(focus, tree, cycle.plan, sources, { queries, rows });

    // all of it takes the two groups and CDCS-045, the one unit below them with units overdue below it
    const whole = await walk(MAX_OVERDUE_QUERIES);
    expect(whole).toMatchObject({ complete: true, queries: 3 });
    expect(asked).toEqual([`${ROOT}#0-${capacity}`, `${ROOT}#${capacity}-${ids.length - capacity}`, 'CDCS-045']);
    expect(new Set(whole.found.map((f) => f.unitId))).toEqual(new Set(OVERDUE));

    // one query: the first group only
    asked = [];
    const one = await walk(1);
    expect(one).toMatchObject({ complete: false, cutShort: 'bound', queries: 1 });
    expect(asked).toEqual([`${ROOT}#0-${capacity}`]);
    expect(new Set(one.found.map((f) => f.unitId))).toEqual(new Set(OVERDUE.filter((id) => ids.indexOf(id) >= 0 && ids.indexOf(id) < capacity)));

    // two: both groups, not CDCS-045's units
    const two = await walk(2);
    expect(two).toMatchObject({ complete: false, cutShort: 'bound', queries: 2 });
    expect(two.found.map((f) => f.unitId)).not.toContain('CDCS-045-01');
    expect(two.found).toHaveLength(OVERDUE.length - 1);

    // a bound of rows cuts too
    const ten = await walk(MAX_OVERDUE_QUERIES, 10);
    expect(ten).toMatchObject({ complete: false, cutShort: 'bound' });
    expect(ten.found).toHaveLength(10);
  });
  it('says on the page when the list was cut short, in both languages, even when it found none', { timeout: 60_000 }, async () => {
    const client = env.client;
    const { cycleId, plan } = cycle;
    const status = await campaignUnitStatus(client, cycleId, ROOT);
    const sources: OverdueSources = { status: (id) => campaignUnitStatus(client, cycleId, id), group: (id, r) => campaignGroupUnits(client, cycleId, id, r) };
    /** the cycle page of the root, its overdue list walked within `queries` */
    const render = async (lang: 'vi' | 'en', queries: number) => {
      const walk = await walkCampaignOverdue(status, tree, plan, sources, { queries, rows: 2_000 });
      const overview: CampaignCycleOverview = {
        cycleId,
        focus: { id: ROOT, name: ROOT_NAME, parentId: null },
        status,
        definition: GROUPED_DEFINITION,
        phases: phaseSummaries(status.aggregate, GROUPED_DEFINITION),
        children: [],
        canDownloadWorkbook: true,
        canRemind: false,
        timeline: plan.timeline,
        overdue: { rows: walk.found.map((f) => ({ ...f, name: f.unitId, parentName: f.parentId, canRemind: false })), complete: walk.complete, ...(walk.cutShort ? { cutShort: walk.cutShort } : {}) },
      };
      return String(campaignCyclePage({ lang, url: '/' }, overview, { csrfToken: 'x' }));
    };
    /** the text of the notice that the list was cut short, its tags stripped */
    const cut = (page: string) => (/data-field="overdue-cut-short">([\s\S]*?)<\/section>/.exec(page)?.[1] ?? '').replace(/<[^>]+>/g, '');
    const vi = await render('vi', 1);
    expect(tableRowIds(vi, 'overdue-rows').length).toBeGreaterThan(0);
    // the page names its own bound (the walk here was given a smaller one)
    expect(cut(vi)).toBe(`Danh sách chưa đầy đủ: trang chỉ hỏi tối đa ${MAX_OVERDUE_QUERIES} đơn vị hoặc nhóm đơn vị; có thể còn đơn vị quá hạn chưa được liệt kê, hãy mở từng đơn vị.`);
    expect(cut(await render('en', 1))).toBe(`The list is cut short: the page asks at most ${MAX_OVERDUE_QUERIES} units or groups of units; more units may be overdue, open each unit.`);
    // nothing asked, nothing found: the section still says the list is not the whole of it
    const none = await render('vi', 0);
    expect(none).toContain('Đơn vị quá hạn (0)');
    expect(none).toContain('data-field="overdue-cut-short"');
    expect(tableRowIds(none, 'overdue-rows')).toEqual([]);
    // and a complete list says nothing of the kind
    expect(await render('vi', MAX_OVERDUE_QUERIES)).not.toContain('data-field="overdue-cut-short"');
  });
});

describe('the API of a grouped unit', () => {
  it('lists its units a slice at a time, across its groups, with the total and the groups’ ranges', { timeout: 60_000 }, async () => {
    const { capacity } = cycle;
    const groups = [
      { offset: 0, count: capacity },
      { offset: capacity, count: ids.length - capacity },
    ];
    const first = await unitApi(ROOT);
    expect(first.status).toBe(200);
    expect(first.body.childrenPage).toEqual({ offset: 0, limit: PAGE_SIZE, total: ids.length, complete: true });
    expect(first.body.groups).toEqual(groups);
    expect((first.body.children as Json[]).map((c) => c.unitId)).toEqual(ids.slice(0, PAGE_SIZE));
    expect((first.body.children as Json[])[1]).toMatchObject({ unitId: 'CDCS-001', name: groupedName(1), phases: { q1: { progress: 'open', overdue: true } } });
    expect((first.body.children as Json[])[0]).toMatchObject({ unitId: 'CDCS-000', phases: { q1: { progress: 'submitted', late: false, overdue: false } } });

    const rest = await unitApi(ROOT, `?offset=${PAGE_SIZE}&limit=${PAGE_SIZE}`);
    expect(rest.body.childrenPage).toEqual({ offset: PAGE_SIZE, limit: PAGE_SIZE, total: ids.length, complete: true });
    expect((rest.body.children as Json[]).map((c) => c.unitId)).toEqual(ids.slice(PAGE_SIZE));
    expect((rest.body.children as Json[]).find((c) => c.unitId === 'CDCS-055')).toMatchObject({ name: groupedName(55), phases: { q1: { progress: 'submitted' } } });

    // a slice across the boundary of the two groups
    const across = await unitApi(ROOT, `?offset=${capacity - 2}&limit=4`);
    expect((across.body.children as Json[]).map((c) => c.unitId)).toEqual(ids.slice(capacity - 2, capacity + 2));
    // past the end: none, the total still said
    const past = await unitApi(ROOT, '?offset=100');
    expect(past.body).toMatchObject({ children: [], childrenPage: { offset: 100, total: ids.length } });

    // a unit holding its units itself: all of them by default, a slice when asked, no groups
    const own = await unitApi('CDCS-045');
    expect(own.body).toMatchObject({ groups: [], childrenPage: { offset: 0, limit: 2, total: 2, complete: true } });
    expect((own.body.children as Json[]).map((c) => [c.unitId, c.name])).toEqual(BELOW.map((b) => [b.id, b.name]));
    expect((await unitApi('CDCS-045', '?offset=1&limit=1')).body.children.map((c: Json) => c.unitId)).toEqual(['CDCS-045-02']);
  });

  it('refuses bad parameters, each in English and Vietnamese', { timeout: 60_000 }, async () => {
    const bad = await unitApi(ROOT, '?offset=abc&limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual({
      offset: 'offset: a whole number from 0 to 2000 / offset: một số nguyên từ 0 đến 2000',
      limit: 'limit: at least 1 / limit: ít nhất 1',
    });
    expect((await unitApi(ROOT, '?limit=201')).body.fields).toEqual({ limit: 'limit: at most 200 / limit: tối đa 200' });
    expect((await unitApi(ROOT, '?offset=')).body.fields).toEqual({ offset: 'offset: a whole number from 0 to 2000 / offset: một số nguyên từ 0 đến 2000' });
    expect((await unitApi(ROOT, '?page=2')).body.fields).toEqual({ page: 'not a field of this form: remove it / không có trong mẫu: hãy bỏ đi' });
  });
});
