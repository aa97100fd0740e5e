// A programme's real Temporal Schedule on the dev server (the time-skipping server has no Schedules): created
// with its calendar in Asia/Ho_Chi_Minh, run (a catch-up backfill makes the schedule start a year's run now,
// with that year's scheduled time), described and deleted. Years lie well in the future, so the schedule's own
// next start is known whatever the date the suite runs on; "now" for the catch-up is given explicitly.
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDeadlinePlan, loadCalendar, type DeadlinePlan } from '../../activities/calendar';
import { cyclePlan } from '../../client/cycles';
import { createProgramme, deleteProgramme, describeProgramme, ProgrammeRequestError, type ProgrammeRun, type ProgrammeStatus } from '../../client/programmes';
import type { ProgrammeYearResult } from '../../workflows/programme';
import { smallTree, until } from '../support/cycle-fixtures';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { createLocalEnv } from '../support/temporal';

let env: TestWorkflowEnvironment;
let h: CycleHarness;
let client: Client;
let worker: Worker;
let running: Promise<void>;
let stop: () => void;

const Y0 = new Date().getUTCFullYear() + 5;
const ID = `programme-${Y0}-${Y0 + 4}-R`;

beforeAll(async () => {
  env = await createLocalEnv();
  client = env.client;
  h = await createCycleHarness(env, { units: smallTree() }, 'programme-schedule');
  worker = await h.newWorker();
  running = worker.runUntil(new Promise<void>((resolve) => (stop = resolve)));
});
afterAll(async () => {
  stop?.();
  await running;
  await h?.close();
  await env?.teardown();
});

async function statusWhen(what: string, check: (s: ProgrammeStatus) => boolean): Promise<ProgrammeStatus> {
  let status: ProgrammeStatus | undefined;
  await until(what, async () => {
    status = await describeProgramme(client, ID);
    return check(status);
  });
  return status!;
}

describe('a programme on a Temporal Schedule', () => {
  it('creates the schedule in Asia/Ho_Chi_Minh, starts the current year at once on catch-up, and describes its years', async () => {
    const created = await createProgramme(
      client,
      h.taskQueue,
      { rootUnitId: 'R', firstYear: Y0, lastYear: Y0 + 4, title: 'Kế hoạch học tập và làm theo Bác giai đoạn 5 năm' },
      { db: h.db, catchUp: true, now: new Date(`${Y0}-03-01T00:00:00Z`) },
    );
    expect(created).toMatchObject({ programmeId: ID, caughtUp: Y0, missed: null, nextRunAt: `${Y0 + 1}-01-02T01:00:00.000Z` });

    const raw = await client.schedule.getHandle(ID).describe();
    expect(raw.spec.timezone).toBe('Asia/Ho_Chi_Minh');
    expect(raw.spec.calendars).toHaveLength(5);
    expect(raw.spec.endAt?.toISOString()).toBe(`${Y0 + 4}-12-31T17:00:00.000Z`);

    // the backfilled run was scheduled at the first year's start: it starts the first-year cycle
    const status = await statusWhen('the first year’s cycle exists', (s) => s.years[0]!.cycle !== null);
    expect(status.years.map((y) => [y.year, y.firstYear, y.review, y.reportDue, y.cycle?.status ?? null])).toEqual([
      [Y0, true, 'first-year', 'annual', 'RUNNING'],
      [Y0 + 1, false, 'interim', 'may-review', null],
      [Y0 + 2, false, 'interim', 'may-review', null],
      [Y0 + 3, false, 'interim', 'may-review', null],
      [Y0 + 4, false, 'final', 'annual', null],
    ]);
    expect(status.years[0]!.cycle!.byProgramme).toBe(true);
    expect(status.runs).toEqual([expect.objectContaining({ scheduledAt: `${Y0}-01-02T01:00:00.000Z`, workflowId: `${ID}-${Y0}-01-02T01:00:00Z` })]);
    // 08:00 local on 2 January is 01:00 UTC: the schedule's own next start, computed by the server in the zone
    expect(status).toMatchObject({ nextRunAt: `${Y0}-01-02T01:00:00.000Z`, nextRunYear: Y0, title: 'Kế hoạch học tập và làm theo Bác giai đoạn 5 năm' });

    // plans due at the end of Q3: the deadline plan of a first year over the 3 levels of the tree
    const expected = computeDeadlinePlan(await loadCalendar(h.config.holidaysFile), { year: Y0, firstYear: true, depths: 3, reportDue: 'annual' });
    let plan: DeadlinePlan | null = null;
    await until('the cycle’s plan is computed', async () => (plan = await cyclePlan(client, `cycle-${Y0}-R`)) !== null);
    expect(plan).toEqual(expected);
    expect(expected.levels[0]!.plan.dueDate.slice(0, 7)).toMatch(new RegExp(`^(${Y0}-09|${Y0}-10)$`)); // 30/9, rolled forward at most into early October
  });

  it('a second run of the same year starts no second cycle', async () => {
    const before = (await describeProgramme(client, ID)).years[0]!.cycle!.runId;
    const start = Date.parse(`${Y0}-01-02T01:00:00Z`);
    await client.schedule.getHandle(ID).backfill({ start: new Date(start - 60_000), end: new Date(start + 60_000) });
    const status = await statusWhen('the second run was taken', (s) => s.runs.length === 2);
    // same scheduled time, so the same workflow id: a new run of it
    const [first, second] = status.runs as [ProgrammeRun, ProgrammeRun];
    expect(second).toMatchObject({ scheduledAt: first.scheduledAt, workflowId: first.workflowId });
    expect(second.runId).not.toBe(first.runId);
    const result = (await client.workflow.getHandle(second.workflowId, second.runId).result()) as ProgrammeYearResult;
    expect(result).toMatchObject({ outcome: 'exists', cycleId: `cycle-${Y0}-R` });
    expect(status.years[0]!.cycle!.runId).toBe(before);
  });

  it('refuses a second programme with the same id, and unknown ids', async () => {
    await expect(createProgramme(client, h.taskQueue, { rootUnitId: 'R', firstYear: Y0, lastYear: Y0 + 4 })).rejects.toThrow(/already exists/);
    await expect(describeProgramme(client, `programme-${Y0}-${Y0 + 1}-NOPE`)).rejects.toThrow(ProgrammeRequestError);
    await expect(describeProgramme(client, 'cycle-2027-R')).rejects.toThrow(/not a programme id/);
    await expect(createProgramme(client, h.taskQueue, { rootUnitId: 'NO-SUCH-UNIT', firstYear: Y0, lastYear: Y0 + 1 }, { db: h.db })).rejects.toThrow(
      /Unknown unit NO-SUCH-UNIT/,
    );
  });

  it('without catch-up, says which year’s start has passed and starts nothing', async () => {
    const created = await createProgramme(client, h.taskQueue, { rootUnitId: 'R', firstYear: Y0 + 10, lastYear: Y0 + 11 }, { now: new Date(`${Y0 + 10}-05-01T00:00:00Z`) });
    expect(created).toMatchObject({ caughtUp: null, missed: Y0 + 10 });
    const status = await describeProgramme(client, created.programmeId);
    expect(status.runs).toEqual([]);
    expect(status.years.every((y) => y.cycle === null)).toBe(true);
    await deleteProgramme(client, created.programmeId);
  });

  it('deletes the programme: no further starts, the running cycle goes on', async () => {
    const deleted = await deleteProgramme(client, ID);
    expect(deleted).toEqual({ programmeId: ID, runningCycles: [`cycle-${Y0}-R`] });
    await expect(describeProgramme(client, ID)).rejects.toThrow(/Unknown programme/);
    await expect(deleteProgramme(client, ID)).rejects.toThrow(ProgrammeRequestError);
    expect((await client.workflow.getHandle(`cycle-${Y0}-R`).describe()).status.name).toBe('RUNNING');
  });
});
