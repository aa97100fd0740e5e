// The page of a unit whose units below are held by groups (workflows/campaign-group.ts), in a running campaign
// cycle: a root with 60 grassroots unions under a campaign whose workflows keep fewer entries than that (the
// many-figure form of test/campaigns/fan-out-fixture.ts) starts two groups; its status lists no children, so the
// page asks the groups (campaignGroupUnitsQuery, client/web/ops/campaign-grouped-units.ts) for a page of 50 of its
// units: id, name with its diacritics, where the phase stands with the overdue and late marks, a link to each
// unit's page; the second page holds the last 10. Real time-skipping server, the production worker wiring, the
// web app over HTTP (no script on the page). The tree and the cycle: ./campaign-grouped-fixture.ts.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { campaignSubmit, campaignUnitStatus } from '../../client/campaign-cycles';
import { PAGE_SIZE } from '../../client/web/ops/deps';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { until } from '../support/cycle-fixtures';
import { createTimeSkippingEnv } from '../support/temporal';
import { GROUPED_IDS as ids, GROUPED_ROOT as ROOT, groupedContent as content, groupedName as nameOf, groupedUnits, startGroupedCycle, tableRow as row, tableRowIds as rowIds } from './campaign-grouped-fixture';
import { officerEmail, signInByEmail, startWebApp, type RunningWebApp } from './support';

const DAY = 86_400_000;
const UNITS = groupedUnits();

let env: TestWorkflowEnvironment;
let h: CycleHarness;
let web: RunningWebApp | undefined;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
  h = await createCycleHarness(env, { units: UNITS }, 'web-campaign-grouped');
}, 120_000);
afterAll(async () => {
  await web?.close();
  await h?.close();
  await env?.teardown();
});

it('lists a grouped unit’s units below, a page at a time, with where each stands and a link to its page', { timeout: 240_000 }, async () => {
  const client = env.client;
  const worker = await h.newWorker();
  await worker.runUntil(async () => {
    const { cycleId, plan, capacity } = await startGroupedCycle(env, h, UNITS);
    expect(capacity).toBeLessThan(PAGE_SIZE); // so that the first page spans both groups
    expect((await campaignUnitStatus(client, cycleId, ROOT)).groups).toEqual([
      { offset: 0, count: capacity },
      { offset: capacity, count: ids.length - capacity },
    ]);

    // CDCS-000 and CDCS-055 on time; past the due date CDCS-001 is overdue, CDCS-002 and CDCS-045 submit late
    for (const id of ['CDCS-000', 'CDCS-055']) await campaignSubmit(client, h.db, { cycleId, unitId: id, phase: 'q1', content: content(id), channel: 'test' });
    const dueAt = Date.parse(plan.levels[1]!.phases.q1!.dueAt);
    await env.sleep(dueAt - (await env.currentTimeMs()) + DAY);
    await until('CDCS-001 is overdue', async () => (await campaignUnitStatus(client, cycleId, 'CDCS-001')).phases[0]!.overdue);
    for (const id of ['CDCS-002', 'CDCS-045']) await campaignSubmit(client, h.db, { cycleId, unitId: id, phase: 'q1', content: content(id), channel: 'test' });
    await until('the groups hold the late ones', async () => (await campaignUnitStatus(client, cycleId, ROOT)).aggregate.phases.q1!.submittedLate.total === 2);

    web = await startWebApp({ config: h.config, db: h.db, client, taskQueue: h.taskQueue, mailer: h.mailer });
    const secretariat = await signInByEmail(web.url, h.sink, officerEmail(ROOT));
    const base = `/cycles/${encodeURIComponent(cycleId)}`;
    const first = await secretariat.request(`${base}?unit=${ROOT}`);
    expect(first.status).toBe(200);
    let page = first.text;
    expect(page).toContain('Đơn vị trực thuộc (60)');
    expect(page).toContain('Đơn vị 1–50 trong tổng số 60 đơn vị trực thuộc.');
    expect(page).not.toContain('Một nhóm đơn vị chưa trả lời');
    // the first 50 in the tree's order, across both groups
    expect(rowIds(page)).toEqual(ids.slice(0, PAGE_SIZE));
    expect(row(page, 'CDCS-000')).toMatch(/^CDCS-000 \| Công đoàn cơ sở Trường Tiểu học số 0 – Đồng Hỷ · Xem \| .*Đã nộp, chờ xem xét \|$/);
    expect(row(page, 'CDCS-001')).toContain('Chưa nộp (quá hạn)');
    expect(row(page, 'CDCS-002')).toContain('Đã nộp, chờ xem xét (nộp muộn)');
    expect(row(page, 'CDCS-045')).toContain('Đã nộp, chờ xem xét (nộp muộn)'); // in the second group
    expect(row(page, 'CDCS-049')).toContain('Chưa nộp (quá hạn)');
    expect(page).toContain(`<a href="${base}/units/CDCS-045">${nameOf(45)}</a>`);
    expect(page).toContain(`href="${base}?unit=${ROOT}&amp;page=1"`);

    const second = await secretariat.request(`${base}?unit=${ROOT}&page=1`);
    expect(second.status).toBe(200);
    page = second.text;
    expect(rowIds(page)).toEqual(ids.slice(PAGE_SIZE));
    expect(page).toContain('Đơn vị 51–60 trong tổng số 60 đơn vị trực thuộc.');
    expect(row(page, 'CDCS-055')).toContain('Đã nộp, chờ xem xét');
    expect(row(page, 'CDCS-055')).not.toContain('nộp muộn');
    expect(row(page, 'CDCS-059')).toContain('Chưa nộp (quá hạn)');
    expect(page).toContain(`href="${base}?unit=${ROOT}"`); // back to the first page
    // a page past the last is the last
    expect(rowIds((await secretariat.request(`${base}?unit=${ROOT}&page=9`)).text)).toEqual(ids.slice(PAGE_SIZE));

    // each unit's page opens from its link
    const unitPage = await secretariat.request(`${base}/units/CDCS-045`);
    expect(unitPage.status).toBe(200);
    expect(unitPage.text).toContain(nameOf(45));
  });
});
