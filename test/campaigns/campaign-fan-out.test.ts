// A campaign unit with more units directly below it than one workflow keeps entries for, on the real time-skipping
// server and the production worker wiring: a root with 48 grassroots units of a campaign whose form has 50 figures
// (test/campaigns/fan-out-fixture.ts; its workflows keep at most 37 entries in a tree of three levels, the limit
// before groups; 38 in the two levels of the v7 histories) starts two groups (workflows/campaign-group.ts) of 37 and
// 11 units, every unit reports to its group, and the root's
// aggregate is exactly the rule book's over every unit — a maximum that goes down and a minimum that goes up when a
// returned report is resubmitted included — through the year to the close. Each group chases its own units.
// The root's lists name the units its groups hold and a unit below one of them (H0, under G040): patch
// v8-campaign-lists-below (workflows/campaign-lists-below.ts); histories v8-lists-v7-campaign-fanout-after-*.
// The histories before (test/histories/v7-campaign-fanout-before-*) are of the same tree and campaign on the code
// before the groups, its cycle workflow started directly (the client refused the tree then): the root failed at once
// with FanOutTooLargeError. Those after (v7-campaign-fanout-after-*) are recorded here (BAOCAO_RECORD_HISTORIES=1).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { UnitInput } from '../../activities/directory/types';
import { importCampaign } from '../../activities/campaigns/repository';
import { finalCampaignAggregates } from '../../activities/campaigns/aggregates';
import { campaignCyclePlan, campaignReview, campaignSubmit, campaignUnitStatus, startCampaignCycle } from '../../client/campaign-cycles';
import { aggregateFigures } from '../../domain/campaign-aggregation';
import { workflowViewOf } from '../../domain/campaign-view';
import type { CampaignCycleResult } from '../../workflows/campaign-messages';
import { campaignMaxChildren } from '../../workflows/campaign-unit';
import { campaignGroupWorkflowId, unitWorkflowId } from '../../workflows/ids';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { smallTree, until } from '../support/cycle-fixtures';
import { recordHistories } from '../support/histories';
import { createTimeSkippingEnv } from '../support/temporal';
import { wideCampaign, WIDE_CAMPAIGN_ID, WIDE_FIGURES } from './fan-out-fixture';

const DAY = 86_400_000;
const R = smallTree()[0]!;
const CHILDREN = Array.from({ length: 48 }, (_, i) => `G${String(i).padStart(3, '0')}`);
/** G040, in the second group, has a unit of its own: a unit two levels below the root, held by a group */
const DEEP = 'H0';
const UNITS: UnitInput[] = [
  R,
  ...CHILDREN.map((id, i) => ({ ...R, id, name: `Công đoàn cơ sở số ${i}`, kind: id === 'G040' ? ('intermediate' as const) : ('grassroots' as const), parentId: 'R', distribution: [], officer: { name: `Cán bộ ${i}`, email: `${id.toLowerCase()}@example.vn` } })),
  { ...R, id: DEEP, name: 'Công đoàn bộ phận Hưng Yên', kind: 'grassroots', parentId: 'G040', distribution: [], officer: { name: 'Cán bộ Hà', email: 'h0@example.vn' } },
];
const DEFINITION = wideCampaign();
const VIEW = workflowViewOf(WIDE_CAMPAIGN_ID, 1, DEFINITION);
const FIGURES = VIEW.forms[0]!.figures;

/**
 * A unit's figures: spread over both groups, zeros among them (countNonZero); the first minimum and maximum are
 * held by one unit each, G000 (200) in the first group and G046 (146) in the second.
 */
const figuresOf = (unitId: string, version = 1): Record<string, number> => {
  const i = unitId === 'R' ? 99 : Number(unitId.slice(1));
  const value = (j: number) => {
    if (version === 2) return (i + j) % 7;
    if (j === 1) return unitId === 'R' ? 500 : 200 + i; // a minimum
    if (j === 2) return unitId === 'R' ? 1 : 100 + i; // a maximum
    return ((i * 37 + j * 11) % 97) * (i % 5 === 0 ? 0 : 1) + (j % 2) * i;
  };
  return Object.fromEntries(WIDE_FIGURES.map((f, j) => [f.key, value(j)]));
};
/** the units the first group holds: as many as one workflow keeps entries for (the plan of three levels) */
const FIRST_GROUP = 37;
const GROUPS = [
  [0, FIRST_GROUP],
  [FIRST_GROUP, CHILDREN.length - FIRST_GROUP],
] as const;
/** who reports: the root, every unit of the second group but G047, every third unit of the first (H0 never does) */
const REPORTING = ['R', ...CHILDREN.filter((id, i) => (i >= FIRST_GROUP ? id !== 'G047' : i % 3 === 0))];
const MISSING = UNITS.map((u) => u.id).filter((id) => !REPORTING.includes(id));

let env: TestWorkflowEnvironment;
let h: CycleHarness;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
  h = await createCycleHarness(env, { units: UNITS }, 'campaign-fan-out');
}, 120_000);
afterAll(async () => {
  await h?.close();
  await env?.teardown();
});

it('aggregates 48 units below one campaign unit through two groups, exactly by each rule, to the close', { timeout: 240_000 }, async () => {
  const client = env.client;
  const worker = await h.newWorker();
  await worker.runUntil(async () => {
    const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
    await importCampaign(h.db, { id: WIDE_CAMPAIGN_ID, definition: DEFINITION }, { by: 'test' });
    const { cycleId } = await startCampaignCycle(client, h.taskQueue, h.db, { year, rootUnitId: 'R', campaign: WIDE_CAMPAIGN_ID });
    await until('the plan', async () => (await campaignCyclePlan(client, cycleId).catch(() => null)) !== null);
    const plan = (await campaignCyclePlan(client, cycleId))!;
    expect(campaignMaxChildren(VIEW, plan)).toBe(FIRST_GROUP); // fewer than the units below R: the limit before groups
    await until('the whole tree has started', async () => (await campaignUnitStatus(client, cycleId, 'R').catch(() => null))?.aggregate.phases.q1!.expected === UNITS.length);
    for (const [offset, count] of GROUPS)
      expect((await client.workflow.getHandle(campaignGroupWorkflowId(cycleId, 'R', offset, count)).describe()).status.name).toBe('RUNNING');
    // the root's status lists no units below: its entries are the groups' merges
    expect((await campaignUnitStatus(client, cycleId, 'R')).children).toEqual([]);

    for (const id of REPORTING) await campaignSubmit(client, h.db, { cycleId, unitId: id, phase: 'q1', content: { results: `Kết quả của ${id}.`, figures: figuresOf(id) }, channel: 'test' });
    const expected = (latest: Record<string, Record<string, number>>) => aggregateFigures(FIGURES, UNITS.map((u) => latest[u.id] ?? null));
    const latest: Record<string, Record<string, number>> = Object.fromEntries(REPORTING.map((id) => [id, figuresOf(id)]));
    const rootFigures = async () => Object.fromEntries(Object.entries((await campaignUnitStatus(client, cycleId, 'R')).aggregate.phases.q1!.figures).map(([k, f]) => [k, { value: f.value, reporting: f.reporting }]));
    await until('the root aggregates every report', async () => JSON.stringify(await rootFigures()) === JSON.stringify(expected(latest)));
    // the root's lists name every unit its groups hold, and H0 below G040: each list's ids are its whole total here
    const sorted = (ids: string[]) => [...ids].sort();
    await until('the root names the units below its groups', async () => {
      const q1 = (await campaignUnitStatus(client, cycleId, 'R')).aggregate.phases.q1!;
      return JSON.stringify(sorted(q1.notSubmitted.ids)) === JSON.stringify(sorted(MISSING)) && q1.submittedOnTime.ids.length === REPORTING.length;
    });
    const named = (await campaignUnitStatus(client, cycleId, 'R')).aggregate.phases.q1!;
    expect(named.notSubmitted).toEqual({ ids: expect.arrayContaining([DEEP, 'G047', 'G001']), total: MISSING.length });
    expect(sorted(named.submittedOnTime.ids)).toEqual(sorted(REPORTING));

    // the units holding a maximum and a minimum are returned and resubmit smaller / larger values: the root follows
    const min = WIDE_FIGURES[1]!.key;
    const max = WIDE_FIGURES[2]!.key;
    expect([WIDE_FIGURES[1]!.aggregation, WIDE_FIGURES[2]!.aggregation]).toEqual(['min', 'max']);
    for (const id of ['G000', 'G046']) {
      await campaignReview(client, cycleId, id, { decision: 'return', reviewerUnitId: 'R', phase: 'q1', version: 1, channel: 'test', comment: 'Đề nghị rà soát số liệu.' });
      latest[id] = { ...figuresOf(id, 2), [min]: 900, [max]: 0 };
      await campaignSubmit(client, h.db, { cycleId, unitId: id, phase: 'q1', content: { results: `Bản sửa của ${id}.`, figures: latest[id]! }, channel: 'test' });
    }
    const before = expected(Object.fromEntries(REPORTING.map((id) => [id, figuresOf(id)])));
    const after = expected(latest);
    expect([before[min]!.value, after[min]!.value, before[max]!.value, after[max]!.value]).toEqual([200, 203, 146, 145]);
    await until('the root follows the resubmissions', async () => JSON.stringify(await rootFigures()) === JSON.stringify(after));

    // to the close: each group sent the digests of its own units, addressed to R
    while ((await env.currentTimeMs()) < Date.parse(plan.closesAt) - 31 * DAY) await env.sleep(30 * DAY);
    const { aggregate } = (await client.workflow.getHandle(cycleId).result()) as CampaignCycleResult;
    await client.workflow.getHandle(unitWorkflowId(cycleId, 'R')).result();
    for (const f of FIGURES) expect(aggregate.phases.q1!.figures[f.key]).toEqual({ ...after[f.key], target: null });
    expect(aggregate.phases.q1).toMatchObject({ expected: UNITS.length, notSubmitted: { total: MISSING.length }, overdue: { total: MISSING.length } });
    // past the due date the missing units are overdue, each named, the grouped and the deeper ones alike
    expect(sorted(aggregate.phases.q1!.overdue.ids)).toEqual(sorted(MISSING));
    expect(sorted(aggregate.phases.q1!.notSubmitted.ids)).toEqual(sorted(MISSING));
    expect(aggregate.phases.q1!.submittedLate).toEqual({ ids: [], total: 0 });
    expect((await finalCampaignAggregates(h.db, cycleId)).get('R')).toEqual(aggregate);
    const digests = await h.db.selectFrom('mail_outbox').select(['key', 'unit_id']).where('purpose', '=', 'escalation-digest').execute();
    for (const [offset, count] of GROUPS)
      expect(digests.some((d) => d.key.startsWith(`${campaignGroupWorkflowId(cycleId, 'R', offset, count)}:escalation:q1:`))).toBe(true);

    await recordHistories(client, 'v7-campaign-fanout-after', [unitWorkflowId(cycleId, 'R'), campaignGroupWorkflowId(cycleId, 'R', ...GROUPS[1]), unitWorkflowId(cycleId, 'G040'), unitWorkflowId(cycleId, DEEP)]);
  });
});
