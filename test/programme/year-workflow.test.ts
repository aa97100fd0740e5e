// programmeYearWorkflow on the real time-skipping server, with the production worker wiring and a small tree.
// The time-skipping server has no Schedules (CreateSchedule is unimplemented there), so each run is started
// the way a Schedule starts it: with Temporal's TemporalScheduledStartTime search attribute set to the
// scheduled time (registered here, as the dev server and clusters have it built in). schedule.test.ts runs a
// real Schedule on the dev server.
import { temporal } from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDeadlinePlan, loadCalendar, type DeadlinePlan } from '../../activities/calendar';
import { cyclePlan } from '../../client/cycles';
import { parseProgramme } from '../../client/programmes';
import { cycleWorkflow } from '../../workflows/cycle';
import { cycleId } from '../../workflows/ids';
import { programmeId, programmeYearWorkflow, SCHEDULED_START_TIME, type ProgrammeYearResult, type ProgrammeYearWorkflowInput } from '../../workflows/programme';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importCampaign } from '../../activities/campaigns/repository';
import { computeCampaignPlan } from '../../activities/calendar';
import { campaignCyclePlan } from '../../client/campaign-cycles';
import type { PhasedDeadlinePlan } from '../../domain/calendar';
import { CAMPAIGN } from '../../workflows/search-attributes';
import { campaignCycleId } from '../../workflows/ids';
import { PROGRAMME_CAMPAIGN_PATCH } from '../../workflows/programme';
import { cycleInput, smallTree, until } from '../support/cycle-fixtures';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { createTimeSkippingEnv } from '../support/temporal';
import { recordHistories } from '../support/histories';
import { TASK_TIMEOUT_PATCH } from '../../workflows/task-timeout';

let env: TestWorkflowEnvironment;
let h: CycleHarness;
let client: Client;
let worker: Worker;
let running: Promise<void>;
let stop: () => void;

const UNITS = smallTree();
const DEPTHS = 3; // R → I1, I2 → G11, G12, G21
const programme = parseProgramme({ rootUnitId: 'R', firstYear: 2027, lastYear: 2029, reportDue: { final: '2029-06-15' } });
const ID = programmeId(programme);

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  client = env.client;
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: { [SCHEDULED_START_TIME.name]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME },
  });
  h = await createCycleHarness(env, { units: UNITS }, 'programme');
  worker = await h.newWorker();
  running = worker.runUntil(new Promise<void>((resolve) => (stop = resolve)));
});
afterAll(async () => {
  stop?.();
  await running;
  await h?.close();
  await env?.teardown();
});

/** A run as the Schedule starts it: id `<programme>-<scheduled time>`, the scheduled time as a search attribute. */
function scheduledRun(scheduledAt: string, attempt = ''): Promise<ProgrammeYearResult> {
  return client.workflow.execute(programmeYearWorkflow, {
    workflowId: `${ID}-${scheduledAt}${attempt}`,
    taskQueue: h.taskQueue,
    args: [{ programme }],
    typedSearchAttributes: [{ key: SCHEDULED_START_TIME, value: new Date(scheduledAt) }],
  });
}

async function planOf(cycle: string): Promise<DeadlinePlan> {
  let plan: DeadlinePlan | null = null;
  await until(`the plan of ${cycle} is computed`, async () => {
    plan = await cyclePlan(client, cycle).catch(() => null);
    return plan !== null;
  });
  return plan!;
}

async function expectedPlan(year: number, firstYear: boolean, reportDue: string): Promise<DeadlinePlan> {
  return computeDeadlinePlan(await loadCalendar(h.config.holidaysFile), { year, firstYear, depths: DEPTHS, reportDue });
}

describe('a scheduled programme run', () => {
  it('starts the first year’s cycle with plans due at the end of Q3, as a child that outlives the run', async () => {
    const result = await scheduledRun('2027-01-02T01:00:00.000Z');
    expect(result).toMatchObject({ outcome: 'started', cycleId: 'cycle-2027-R', year: { year: 2027, firstYear: true, review: 'first-year', reportDue: 'annual' } });

    const plan = await planOf('cycle-2027-R');
    expect(plan).toEqual(await expectedPlan(2027, true, 'annual'));
    expect(plan.levels[0]!.plan.dueDate).toBe('2027-09-30');
    const cycle = await client.workflow.getHandle('cycle-2027-R').describe();
    expect(cycle.status.name).toBe('RUNNING'); // the run has completed; the cycle goes on (ABANDON)
    expect(cycle.parentExecution?.workflowId).toBe(`${ID}-2027-01-02T01:00:00.000Z`);
    expect(result.outcome === 'started' && result.runId).toBe(cycle.runId);
    // the run as it was before programmes could name a campaign (replayed by test/cycle/replay.test.ts)
    await recordHistories(client, 'v6-programme-yearly', [`${ID}-2027-01-02T01:00:00.000Z`]);
  });

  it('starts a later year with Q1 plans and the May interim review — and a second run of that year starts nothing', async () => {
    const first = await scheduledRun('2028-01-02T01:00:00.000Z');
    expect(first).toMatchObject({ outcome: 'started', cycleId: 'cycle-2028-R', year: { year: 2028, firstYear: false, review: 'interim', reportDue: 'may-review' } });
    const plan = await planOf('cycle-2028-R');
    expect(plan).toEqual(await expectedPlan(2028, false, 'may-review'));
    expect([plan.levels[0]!.plan.dueDate, plan.levels[0]!.report.dueDate]).toEqual(['2028-03-31', '2028-05-10']);
    const runId = (await client.workflow.getHandle('cycle-2028-R').describe()).runId;

    // the same scheduled time again (a backfill, a retry by hand): the year's cycle already exists
    const again = await scheduledRun('2028-01-02T01:00:00.000Z', '-again');
    expect(again).toMatchObject({ outcome: 'exists', cycleId: 'cycle-2028-R', year: { year: 2028 } });
    expect((await client.workflow.getHandle('cycle-2028-R').describe()).runId).toBe(runId);
  });

  it('does not start a year whose cycle was started by hand, or has closed', async () => {
    // the secretariat started 2029 by hand, with its own settings
    const byHand = await client.workflow.start(cycleWorkflow, {
      workflowId: cycleId(2029, 'R'),
      taskQueue: h.taskQueue,
      args: [cycleInput(cycleId(2029, 'R'), 2029, 'R', { reportDue: 'annual', treeAsOf: '2029-01-02' })],
    });
    await planOf('cycle-2029-R');
    const result = await scheduledRun('2029-01-02T01:00:00.000Z');
    expect(result).toMatchObject({ outcome: 'exists', cycleId: 'cycle-2029-R', year: { review: 'final', reportDue: '2029-06-15' } });
    const cycle = await client.workflow.getHandle('cycle-2029-R').describe();
    expect(cycle.runId).toBe(byHand.firstExecutionRunId);
    expect((await planOf('cycle-2029-R')).levels[0]!.report.dueDate).toBe('2029-12-14'); // the hand-started cycle's, untouched

    // a closed cycle is not started again either (REJECT_DUPLICATE)
    await byHand.terminate('test: the 2029 cycle was closed');
    const afterClose = await scheduledRun('2029-01-02T01:00:00.000Z', '-after-close');
    expect(afterClose.outcome).toBe('exists');
    expect((await client.workflow.getHandle('cycle-2029-R').describe()).runId).toBe(byHand.firstExecutionRunId);
  });
});

describe('a programme of a campaign', () => {
  const EXAMPLE = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json'), 'utf8')) as { id: string; definition: unknown };

  it('starts the year’s cycle of the campaign, at the version the programme fixed, on the campaign workflow types', async () => {
    const { version } = await importCampaign(h.db, { id: EXAMPLE.id, definition: EXAMPLE.definition }, { by: 'test' });
    const p = parseProgramme({ rootUnitId: 'R', firstYear: 2027, lastYear: 2029, campaign: { id: EXAMPLE.id, version } });
    const pid = programmeId(p);
    expect(pid).toBe(`programme-2027-2029-R~${EXAMPLE.id}`);
    const runId = `${pid}-2028-01-02T01:00:00.000Z`;
    const run = () =>
      client.workflow.execute(programmeYearWorkflow, { workflowId: runId, taskQueue: h.taskQueue, args: [{ programme: p }], typedSearchAttributes: [{ key: SCHEDULED_START_TIME, value: new Date('2028-01-02T01:00:00.000Z') }] });
    const result = await run();
    const id = campaignCycleId(2028, 'R', EXAMPLE.id);
    expect(result).toMatchObject({ outcome: 'started', programmeId: pid, cycleId: id, year: { year: 2028, firstYear: false } });

    const cycle = await client.workflow.getHandle(id).describe();
    expect(cycle.type).toBe('campaignCycleWorkflow');
    expect(cycle.status.name).toBe('RUNNING');
    expect(cycle.parentExecution?.workflowId).toBe(runId);
    expect(cycle.typedSearchAttributes.get(CAMPAIGN)).toBe(EXAMPLE.id);
    // its deadlines are the campaign's four quarters over the three levels, as the CLI's start would compute them
    let plan: PhasedDeadlinePlan | null = null;
    await until(`the plan of ${id} is computed`, async () => (plan = await campaignCyclePlan(client, id).catch(() => null)) !== null);
    const def = EXAMPLE.definition as Parameters<typeof computeCampaignPlan>[1] & { schedule: Parameters<typeof computeCampaignPlan>[1]['rules'] };
    expect(plan).toEqual(computeCampaignPlan(await loadCalendar(h.config.holidaysFile), { year: 2028, firstYear: false, depths: DEPTHS, phases: def.phases, rules: def.schedule }));
    expect(plan!.phaseKeys).toEqual(['q1', 'q2', 'q3', 'q4']);
    // the run started that one child, of the campaign type, on the patched path; a second run of the year starts nothing
    const events = (await client.workflow.getHandle(runId).fetchHistory()).events ?? [];
    expect(events.flatMap((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name ?? [])).toEqual(['campaignCycleWorkflow']);
    const patches = events.flatMap((e) =>
      e.markerRecordedEventAttributes?.markerName === 'core_patch' ? [JSON.parse(Buffer.from(e.markerRecordedEventAttributes.details!['patch-data']!.payloads![0]!.data!).toString('utf8')).id] : [],
    );
    expect(patches).toEqual([PROGRAMME_CAMPAIGN_PATCH, TASK_TIMEOUT_PATCH]); // the cycle it starts gets a one-minute task timeout
    await recordHistories(client, 'v6-programme-campaign', [runId]);
    const again = await client.workflow.execute(programmeYearWorkflow, {
      workflowId: `${runId}-again`,
      taskQueue: h.taskQueue,
      args: [{ programme: p, scheduledAt: '2028-01-02T01:00:00.000Z' }],
    });
    expect(again).toMatchObject({ outcome: 'exists', cycleId: id });
    expect((await client.workflow.getHandle(id).describe()).runId).toBe(cycle.runId);
  });

  it('refuses the built-in campaign as a programme’s campaign (a programme without one is that)', () => {
    expect(() => parseProgramme({ rootUnitId: 'R', firstYear: 2027, lastYear: 2029, campaign: { id: 'builtin-yearly', version: 1 } })).toThrow(/campaign.id: the built-in campaign is a programme without a campaign/);
  });
});

describe('a programme run by hand or out of its range', () => {
  it('uses an explicit scheduled time: the last year’s programme review with its own report date', async () => {
    const input: ProgrammeYearWorkflowInput = { programme: { ...programme, rootUnitId: 'I1' }, scheduledAt: '2029-03-01T03:00:00.000Z' };
    const result = await client.workflow.execute(programmeYearWorkflow, { workflowId: 'programme-by-hand-I1', taskQueue: h.taskQueue, args: [input] });
    expect(result).toMatchObject({ outcome: 'started', cycleId: 'cycle-2029-I1', year: { year: 2029, review: 'final', firstYear: false } });
    const plan = await planOf('cycle-2029-I1');
    // the I1 subtree has 2 levels (I1 → G11, G12)
    expect(plan).toEqual(computeDeadlinePlan(await loadCalendar(h.config.holidaysFile), { year: 2029, firstYear: false, depths: 2, reportDue: '2029-06-15' }));
  });

  it('starts nothing before the programme’s first start, and says why', async () => {
    const result = await scheduledRun('2027-01-02T00:59:59.000Z');
    expect(result.outcome).toBe('outside');
    expect(result.outcome === 'outside' && result.reason).toMatch(/outside the programme 2027–2029/);
    await expect(client.workflow.getHandle(cycleId(2026, 'R')).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('fails a run whose programme settings are invalid, with the reason', async () => {
    const bad = { programme: { ...programme, lastYear: 2020 } } as ProgrammeYearWorkflowInput;
    await expect(
      client.workflow.execute(programmeYearWorkflow, { workflowId: 'programme-bad', taskQueue: h.taskQueue, args: [bad] }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/programme.lastYear: the last year \(2020\) comes before the first/) } });
  });
});
