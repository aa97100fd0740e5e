// Cycles of a campaign on the real time-skipping server, over the small tree
//   R → I1 → G11, G12
//     → I2 → G21
// The quarterly example (examples/campaign-quarterly.json: four phases q1–q4, one form, figures aggregated by
// sum, max and countNonZero) through submit, return and resubmit, an extension, a unit late in Q2 only (its
// reminders, overdue mark and the escalation digest name the phase); a variant with a yearly plan setting targets
// and a figure aggregated by min carries the targets into every quarter's aggregate. Each scenario gets a fresh
// server, database, SMTP server and worker; time moves only with env.sleep.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditTrail, latestSubmission } from '../../activities/archive/store';
import { getCampaignVersion, importCampaign, updateCampaignVersion } from '../../activities/campaigns/repository';
import {
  campaignAggregate,
  campaignCyclePlan,
  campaignExtend,
  campaignReview,
  campaignSubmit,
  campaignUnitStatus,
  startCampaignCycle,
} from '../../client/campaign-cycles';
import { CycleRequestError } from '../../client/cycles';
import type { CampaignVersionFrozenError } from '../../domain/campaign-errors';
import type { PhasedDeadlinePlan } from '../../domain/calendar';
import type { CampaignCycleResult } from '../../workflows/campaign-messages';
import { campaignCycleId, unitWorkflowId } from '../../workflows/ids';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { smallTree, until } from '../support/cycle-fixtures';
import { recordHistories } from '../support/histories';
import { createTimeSkippingEnv } from '../support/temporal';

const DAY = 24 * 3600 * 1000;
const EXAMPLE = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json'), 'utf8')) as { id: string; definition: Record<string, unknown> };
const UNITS = smallTree();
const ALL = UNITS.map((u) => u.id);
const CAMPAIGN = EXAMPLE.id;

let env: TestWorkflowEnvironment;
let h: CycleHarness;
let client: Client;
let year: number;
let scenario = 0;

beforeEach(async () => {
  scenario += 1;
  env = await createTimeSkippingEnv();
  client = env.client;
  year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
  h = await createCycleHarness(env, { units: UNITS }, `campaign-${scenario}`);
});
afterEach(async () => {
  await h?.close();
  await env?.teardown();
});

interface Figures {
  trainingSessions: number;
  trainedWorkers: number;
  safetyNetworkRate: number;
  accidents: number;
}
/** Each unit's figures for a quarter: distinct, decimals included, accidents at some units only. */
const RATES = [50, 60.5, 70, 80, 90.5, 55];
const figuresOf = (unitId: string, q: number): Figures => {
  const i = ALL.indexOf(unitId);
  return { trainingSessions: i + q, trainedWorkers: 10 * (i + q), safetyNetworkRate: RATES[(i + q) % RATES.length]!, accidents: (i + q) % 3 === 0 ? i + 1 : 0 };
};
const contentOf = (f: Figures, extra: Record<string, unknown> = {}) => ({ results: `Kết quả quý: ${f.trainingSessions} buổi huấn luyện, tiếng Việt có dấu.`, figures: f, ...extra });

async function sleepUntil(instant: string, plusMs = 0) {
  const wait = Date.parse(instant) + plusMs - (await env.currentTimeMs());
  if (wait > 0) await env.sleep(wait);
}

async function start(definition: Record<string, unknown> = EXAMPLE.definition): Promise<{ cycleId: string; plan: PhasedDeadlinePlan; result: () => Promise<CampaignCycleResult> }> {
  await importCampaign(h.db, { id: CAMPAIGN, definition }, { by: 'test' });
  const { cycleId } = await startCampaignCycle(client, h.taskQueue, h.db, { year, rootUnitId: 'R', campaign: CAMPAIGN }, { continueAsNewAfterEvents: 150 });
  expect(cycleId).toBe(campaignCycleId(year, 'R', CAMPAIGN));
  await until('the whole tree has started', async () => {
    const status = await campaignUnitStatus(client, cycleId, 'R').catch(() => null);
    return status !== null && status.aggregate.phases.q1!.expected === ALL.length;
  });
  const plan = (await campaignCyclePlan(client, cycleId))!;
  return { cycleId, plan, result: () => client.workflow.getHandle(cycleId).result() as Promise<CampaignCycleResult> };
}

const submitPhase = (cycleId: string, unitId: string, phase: string, content: unknown) => campaignSubmit(client, h.db, { cycleId, unitId, phase, content, channel: 'test' });

async function outbox(purpose: string, phase?: string) {
  let q = h.db.selectFrom('mail_outbox').selectAll().where('purpose', '=', purpose);
  if (phase) q = q.where('phase', '=', phase);
  return q.execute();
}

describe('a cycle of the quarterly campaign', () => {
  it('runs four phases: return and resubmit, an extension, a unit late in Q2 only, aggregates by each figure’s rule', { timeout: 300_000 }, async () => {
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      const { cycleId, plan, result } = await start();
      expect(plan.phaseKeys).toEqual(['q1', 'q2', 'q3', 'q4']);
      // the version the cycle runs is frozen: an edit is refused, nothing written
      const frozen = await updateCampaignVersion(h.db, { id: CAMPAIGN, version: 1, definition: EXAMPLE.definition }, { by: 'test' }).catch((e: CampaignVersionFrozenError) => e);
      expect(frozen).toMatchObject({ code: 'CampaignVersionFrozenError' });
      expect((await getCampaignVersion(h.db, CAMPAIGN, 1)).frozenBy).toBe(cycleId);

      // every task email names the campaign and its issuing document
      await h.dispatcher.idle();
      const tasks = await outbox('task-assignment');
      expect(tasks.map((m) => m.unit_id).sort()).toEqual([...ALL].sort());
      const task = h.sink.messages.find((m) => m.messageId === tasks.find((t) => t.unit_id === 'G11')!.message_id)!;
      expect(task.parsed.subject).toContain('Báo cáo quý về an toàn, vệ sinh lao động');
      expect(task.parsed.text).toContain('27/KH-LĐLĐ');
      expect(task.parsed.text).toContain('Báo cáo quý II');

      // validation from the form's rules, in both languages, before anything is sent
      const bad = await submitPhase(cycleId, 'G11', 'q1', contentOf({ trainingSessions: 30, trainedWorkers: 12, safetyNetworkRate: 87.55, accidents: 0 })).catch((e: CycleRequestError) => e);
      expect(bad).toBeInstanceOf(CycleRequestError);
      expect((bad as Error).message).toContain('Số người được huấn luyện không thể ít hơn số buổi huấn luyện');
      expect((bad as Error).message).toContain('Workers trained cannot be fewer than training sessions');
      expect((bad as Error).message).toContain('at most 1 decimal place / tối đa 1 chữ số thập phân');
      // the workflow's own validator refuses the same (a client that skipped the check)
      const raw = await client.workflow
        .getHandle(unitWorkflowId(cycleId, 'G11'))
        .executeUpdate('campaignSubmit', { args: [{ phase: 'q1', idempotencyKey: 'direct-key-1', channel: 'test', content: { results: '', figures: figuresOf('G11', 1) } }] })
        .catch((e: Error) => e);
      expect(String((raw as Error).cause ?? raw)).toContain('required / bắt buộc');
      // a phase that is not open yet, and one that does not exist
      await expect(submitPhase(cycleId, 'G11', 'q2', contentOf(figuresOf('G11', 2)))).rejects.toThrow(/opens when the q1 is submitted or past its deadline/);
      await expect(submitPhase(cycleId, 'G11', 'q9', contentOf(figuresOf('G11', 9)))).rejects.toThrow(/has no phase "q9": its phases are q1, q2, q3, q4/);

      // Q1: everyone on time; G11's report is returned and resubmitted with other figures
      for (const id of ALL) expect((await submitPhase(cycleId, id, 'q1', contentOf(figuresOf(id, 1)))).late).toBe(false);
      const g11v1 = await campaignUnitStatus(client, cycleId, 'G11');
      expect(g11v1.phases[0]!.progress).toMatchObject({ kind: 'submitted', version: 1 });
      await expect(campaignReview(client, cycleId, 'G11', { decision: 'return', reviewerUnitId: 'I2', phase: 'q1', version: 1, channel: 'test', comment: 'x' })).rejects.toThrow(/does not supervise G11/);
      await campaignReview(client, cycleId, 'G11', { decision: 'return', reviewerUnitId: 'I1', phase: 'q1', version: 1, channel: 'test', comment: 'Số liệu chưa khớp, đề nghị rà soát.' });
      const g11q1 = { ...figuresOf('G11', 1), trainingSessions: 7, trainedWorkers: 700, safetyNetworkRate: 99.5, accidents: 2 };
      const resubmitted = await submitPhase(cycleId, 'G11', 'q1', contentOf(g11q1));
      expect(resubmitted).toMatchObject({ version: 2, late: false, duplicate: false });
      await campaignReview(client, cycleId, 'G11', { decision: 'accept', reviewerUnitId: 'I1', phase: 'q1', version: 2, channel: 'test' });
      expect((await latestSubmission(h.db, cycleId, 'G11', 'q1'))!.content).toMatchObject({ figures: g11q1 });

      // Q2: all but G12 (late) and G21 (extended) submit now
      for (const id of ALL.filter((id) => id !== 'G12' && id !== 'G21')) await submitPhase(cycleId, id, 'q2', contentOf(figuresOf(id, 2)));
      const g12 = plan.levels[2]!.phases.q2!;
      const extendedTo = (() => {
        const d = new Date(Date.parse(g12.dueAt) + 30 * DAY);
        return d.toISOString().slice(0, 10);
      })();
      await expect(campaignExtend(client, cycleId, 'G21', { byUnitId: 'I1', phase: 'q2', until: extendedTo, channel: 'test' })).rejects.toThrow(/may not extend deadlines of G21/);
      const ext = await campaignExtend(client, cycleId, 'G21', { byUnitId: 'I2', phase: 'q2', until: extendedTo, channel: 'test', reason: 'Đơn vị đang kiểm tra số liệu' });
      expect(ext.deadlines.dueDate >= extendedTo).toBe(true);

      await sleepUntil(g12.dueAt, DAY); // one day past the level's Q2 deadline
      const late = await campaignUnitStatus(client, cycleId, 'G12');
      expect(late.phases.map((p) => [p.key, p.overdue])).toEqual([
        ['q1', false],
        ['q2', true],
        ['q3', false],
        ['q4', false],
      ]);
      expect(late.phases[1]!.remindersSent).toBe(3);
      const g21 = await campaignUnitStatus(client, cycleId, 'G21');
      expect(g21.phases[1]).toMatchObject({ overdue: false, extended: true });
      expect((await submitPhase(cycleId, 'G21', 'q2', contentOf(figuresOf('G21', 2)))).late).toBe(false);
      expect((await submitPhase(cycleId, 'G12', 'q2', contentOf(figuresOf('G12', 2)))).late).toBe(true);

      // reminders, overdue notice and escalation of Q2 only, for G12 only; the digest names the phase
      await h.dispatcher.idle();
      expect((await outbox('reminder')).map((m) => [m.unit_id, m.phase])).toEqual([
        ['G12', 'q2'],
        ['G12', 'q2'],
        ['G12', 'q2'],
      ]);
      expect((await outbox('overdue-notice')).map((m) => [m.unit_id, m.phase])).toEqual([['G12', 'q2']]);
      const digests = await outbox('escalation-digest');
      expect(digests.map((m) => [m.unit_id, m.phase])).toEqual([['I1', 'q2']]);
      const digest = h.sink.messages.find((m) => m.messageId === digests[0]!.message_id)!;
      expect(digest.parsed.subject).toContain('Báo cáo quý II');
      expect(digest.parsed.text).toContain('Công đoàn cơ sở Trường THPT Lý Thái Tổ');
      expect((await outbox('late-submission')).map((m) => [m.unit_id, m.phase])).toEqual([['I1', 'q2']]);
      const trail = await auditTrail(h.db, cycleId, 'G12');
      expect(trail.map((e) => e.kind)).toContain('q2-overdue');
      expect(trail.map((e) => e.kind)).not.toContain('q1-overdue');

      // aggregation by rule at the root, from what was submitted (G11's second version)
      const q1 = await campaignAggregate(client, cycleId);
      const submitted = ALL.map((id) => (id === 'G11' ? g11q1 : figuresOf(id, 1)));
      expect(q1.phases.q1!.figures).toEqual({
        trainingSessions: { value: submitted.reduce((n, f) => n + f.trainingSessions, 0), reporting: 6, target: null },
        trainedWorkers: { value: submitted.reduce((n, f) => n + f.trainedWorkers, 0), reporting: 6, target: null },
        safetyNetworkRate: { value: Math.max(...submitted.map((f) => f.safetyNetworkRate)), reporting: 6, target: null },
        accidents: { value: submitted.filter((f) => f.accidents !== 0).length, reporting: 6, target: null },
      });
      expect(q1.phases.q1).toMatchObject({ expected: 6, submittedOnTime: { total: 6 }, rates: { completeness: 100, timeliness: 100 } });
      // the totals count the whole tree; the lists name the node, each unit directly below it and the units below
      // that one (patch v8-campaign-lists-below): G12, late below I1, is named at the root
      expect(q1.phases.q2).toMatchObject({ expected: 6, submittedOnTime: { total: 5, ids: ['R', 'I1', 'G11', 'I2', 'G21'] }, submittedLate: { total: 1, ids: ['G12'] } });
      expect((await campaignAggregate(client, cycleId, 'I1')).phases.q2).toMatchObject({ expected: 3, submittedOnTime: { total: 2, ids: ['I1', 'G11'] }, submittedLate: { total: 1, ids: ['G12'] } });
      expect(q1.phases.q3).toMatchObject({ expected: 6, notSubmitted: { total: 6 } });
      // an intermediate node aggregates its own subtree only
      const i2 = await campaignAggregate(client, cycleId, 'I2');
      expect(i2.phases.q2!.figures.trainingSessions!.value).toBe(figuresOf('I2', 2).trainingSessions + figuresOf('G21', 2).trainingSessions);

      // Q3, Q4: two units report; the cycle closes after Q4's horizon with the others missing
      for (const id of ['R', 'G11']) for (const [q, n] of [['q3', 3], ['q4', 4]] as const) await submitPhase(cycleId, id, q, contentOf(figuresOf(id, n)));
      // time moves a month at a time up to the close, then while the result is awaited
      while ((await env.currentTimeMs()) < Date.parse(plan.closesAt) - 31 * DAY) await env.sleep(30 * DAY);
      const { aggregate } = await result();
      expect(aggregate.phases.q4).toMatchObject({ expected: 6, submittedOnTime: { total: 2, ids: ['R', 'G11'] }, notSubmitted: { total: 4, ids: ['I1', 'G12', 'I2', 'G21'] }, overdue: { total: 4, ids: ['I1', 'G12', 'I2', 'G21'] } });
      expect(aggregate.phases.q4!.figures.trainingSessions).toEqual({ value: figuresOf('R', 4).trainingSessions + figuresOf('G11', 4).trainingSessions, reporting: 2, target: null });

      // G11 continued as new on the way (a small event budget): its state, figures and receipts came through
      const g11History = await client.workflow.getHandle(unitWorkflowId(cycleId, 'G11')).fetchHistory();
      expect(g11History.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId).toBeTruthy();
      expect((await campaignUnitStatus(client, cycleId, 'G11')).phases.map((p) => p.progress.kind)).toEqual(['accepted', 'submitted', 'submitted', 'submitted']);

      await recordHistories(client, 'v4-campaign-quarterly', [
        cycleId,
        unitWorkflowId(cycleId, 'R'),
        unitWorkflowId(cycleId, 'I1'),
        unitWorkflowId(cycleId, 'G12'),
        unitWorkflowId(cycleId, 'G21'),
        unitWorkflowId(cycleId, 'G11'),
        { workflowId: unitWorkflowId(cycleId, 'G11'), previousRun: true },
      ]);
    });
  });

  it('carries a yearly plan’s targets into every quarter and aggregates a figure by its minimum', async () => {
    const def = structuredClone(EXAMPLE.definition) as { forms: Record<string, unknown>[]; phases: Record<string, unknown>[] };
    const quarter = def.forms[0] as { figures: Record<string, unknown>[] };
    quarter.figures.push({ key: 'lowestCoverage', label: { vi: 'Độ bao phủ thấp nhất', en: 'Lowest coverage' }, unit: { vi: '%', en: '%' }, type: 'decimal', decimals: 1, min: 0, max: 100, aggregation: 'min' });
    def.forms.unshift({ key: 'yearPlan', title: { vi: 'Kế hoạch năm', en: 'Yearly plan' }, sections: [{ key: 'plan', title: { vi: 'Nội dung', en: 'Content' }, maxBytes: 5000 }], targets: { form: 'quarter', figures: ['trainedWorkers', 'safetyNetworkRate'] } });
    def.phases.unshift({ key: 'ke-hoach', name: { vi: 'Kế hoạch năm', en: 'Yearly plan' }, form: 'yearPlan', due: { kind: 'yearly-plan' } });
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      const { cycleId, result } = await start(def);
      const targets = (id: string) => ({ trainedWorkers: 100 * (ALL.indexOf(id) + 1), safetyNetworkRate: 60 + ALL.indexOf(id) });
      for (const id of ALL) await submitPhase(cycleId, id, 'ke-hoach', { plan: `Kế hoạch của ${id}`, targets: targets(id) });
      await expect(submitPhase(cycleId, 'G11', 'q1', contentOf({ ...figuresOf('G11', 1), lowestCoverage: 101 } as Figures))).rejects.toThrow(/must be at most 100 \/ không được lớn hơn 100/);
      const coverage = (id: string) => 40 + 5 * ALL.indexOf(id) + 0.5;
      for (const id of ALL) await submitPhase(cycleId, id, 'q1', contentOf({ ...figuresOf(id, 1), lowestCoverage: coverage(id) } as Figures));

      const root = await campaignAggregate(client, cycleId);
      expect(root.phases['ke-hoach']!.targets).toEqual({
        trainedWorkers: { value: ALL.reduce((n, id) => n + targets(id).trainedWorkers, 0), reporting: 6 },
        safetyNetworkRate: { value: Math.max(...ALL.map((id) => targets(id).safetyNetworkRate)), reporting: 6 },
      });
      const q1 = root.phases.q1!.figures;
      expect(q1.trainedWorkers).toEqual({ value: ALL.reduce((n, id) => n + figuresOf(id, 1).trainedWorkers, 0), reporting: 6, target: ALL.reduce((n, id) => n + targets(id).trainedWorkers, 0) });
      expect(q1.safetyNetworkRate!.target).toBe(65);
      expect(q1.lowestCoverage).toEqual({ value: coverage('R'), reporting: 6, target: null });
      expect(q1.trainingSessions!.target).toBeNull(); // no target was asked for it
      // every quarter shows the yearly plan's targets; an intermediate node, its own subtree's
      expect(root.phases.q4!.figures.trainedWorkers!.target).toBe(q1.trainedWorkers!.target);
      const i1 = await campaignAggregate(client, cycleId, 'I1');
      expect(i1.phases.q1!.figures.trainedWorkers!.target).toBe(targets('I1').trainedWorkers + targets('G11').trainedWorkers + targets('G12').trainedWorkers);
      expect(i1.phases.q1!.figures.lowestCoverage!.value).toBe(Math.min(coverage('I1'), coverage('G11'), coverage('G12')));

      await client.workflow.getHandle(cycleId).terminate('scenario done');
      await recordHistories(client, 'v4-campaign-targets', [unitWorkflowId(cycleId, 'I1')]);
      void result;
    });
  });
});
