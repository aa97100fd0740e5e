// The rules a due event checks at the moment it runs (workflows/unit-state.ts). The unit workflow lists every
// event due at once and runs them one by one; while one awaits an activity, an update may submit the phase or
// move its deadline, and the events after it in the batch must see that: first the rules in pure code, then
// the race itself on the time-skipping server, staged deterministically by holding an activity of the first
// event of the batch (the real activity, run once the test lets it) while the submission or the extension goes in.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { auditTrail, type AuditEventInput } from '../../activities/archive/store';
import { createCalendarActivities } from '../../activities/calendar';
import type { PhaseDeadlines } from '../../activities/calendar/types';
import { extend, submit, unitStatus } from '../../client/cycles';
import { cycleWorkflow } from '../../workflows/cycle';
import { cycleId as makeCycleId } from '../../workflows/ids';
import { dueMarkApplies, escalationApplies, escalationKey, initialPhase, reminderApplies, type PhaseState } from '../../workflows/unit-state';
import type { ChildPhaseSummary } from '../../workflows/messages';
import { createCycleHarness, workflowBundle, type CycleHarness } from '../support/cycle-harness';
import { cycleInput, reportFor, smallTree, until } from '../support/cycle-fixtures';
import { createTimeSkippingEnv } from '../support/temporal';

const deadlines = (dueAt: string, reminders: string[], escalations: PhaseDeadlines['escalations']): PhaseDeadlines => ({ dueDate: dueAt.slice(0, 10), dueAt, reminders, escalations });
const LEVEL = deadlines('2027-03-31T16:59:59.000Z', ['2027-03-24T01:00:00.000Z', '2027-03-30T01:00:00.000Z'], [
  { at: '2027-03-31T16:59:59.000Z', round: 1, target: 'parent' },
  { at: '2027-04-07T01:00:00.000Z', round: 2, target: 'grandparent' },
]);
const EXTENDED = deadlines('2027-04-15T16:59:59.000Z', ['2027-04-12T01:00:00.000Z'], [{ at: '2027-04-15T16:59:59.000Z', round: 1, target: 'parent' }]);

const submitted = (p: PhaseState): PhaseState => ({ ...p, progress: { kind: 'submitted', version: 1, firstSubmittedAt: '2027-03-30T02:00:00.000Z', lastSubmittedAt: '2027-03-30T02:00:00.000Z', late: false } });
const extended = (p: PhaseState): PhaseState => ({ ...p, deadlines: EXTENDED, extended: true });

describe('a due event re-checks the state when it runs', () => {
  const open = initialPhase(LEVEL);

  it('an overdue mark applies to an open phase still due then, not once submitted or extended', () => {
    expect(dueMarkApplies(open, LEVEL.dueAt)).toBe(true);
    expect(dueMarkApplies(submitted(open), LEVEL.dueAt)).toBe(false);
    expect(dueMarkApplies(extended(open), LEVEL.dueAt)).toBe(false);
    expect(dueMarkApplies(extended(open), EXTENDED.dueAt)).toBe(true);
  });

  it('a reminder applies while the phase is open and the reminder is still on its deadlines', () => {
    expect(reminderApplies(open, LEVEL.reminders[1]!)).toBe(true);
    expect(reminderApplies(submitted(open), LEVEL.reminders[1]!)).toBe(false);
    expect(reminderApplies(extended(open), LEVEL.reminders[1]!)).toBe(false);
  });

  it('a unit is in an escalation round while open and the round is on its (possibly extended) deadlines', () => {
    const child = (over: Partial<ChildPhaseSummary> = {}): ChildPhaseSummary => ({ progress: 'open', late: false, overdue: true, deadlines: null, remindersSent: 2, ...over });
    const round2 = escalationKey('plan', LEVEL.escalations[1]!);
    expect(escalationApplies(child(), LEVEL, 'plan', round2)).toBe(true);
    expect(escalationApplies(child({ progress: 'submitted', version: 1 }), LEVEL, 'plan', round2)).toBe(false);
    expect(escalationApplies(child({ deadlines: EXTENDED }), LEVEL, 'plan', round2)).toBe(false);
    expect(escalationApplies(undefined, LEVEL, 'plan', round2)).toBe(false);
    expect(escalationApplies(child(), LEVEL, 'report', round2)).toBe(false);
  });
});

/** Holds one activity of a unit until released: lets the test act while the workflow awaits it. */
function activityGate() {
  let entered!: () => void;
  let release!: () => void;
  return {
    used: false,
    entered: new Promise<void>((resolve) => (entered = resolve)),
    released: new Promise<void>((resolve) => (release = resolve)),
    enter: () => entered(),
    release: () => release(),
  };
}

// A cycle started after its grassroots plan and report deadlines: each grassroots unit's first batch holds both
// due marks, plan first. The test holds the plan mark's audit write (the real activity, run when released) and
// meanwhile G11 submits its report, and I1 extends G12's report deadline; the report's due mark, next in the
// same batch, must then see the submission or the extension. G21, left alone, is the control.
describe('on the time-skipping server: a submission or an extension in the same batch as the due mark', () => {
  let env: TestWorkflowEnvironment;
  let h: CycleHarness;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await createCycleHarness(env, { units: smallTree() }, 'due-events');
  });
  afterAll(async () => {
    await h?.close();
    await env?.teardown();
  });

  it('marks neither overdue and sends neither an overdue notice, while a unit left alone is marked', { timeout: 240_000 }, async () => {
    const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
    const cycleId = makeCycleId(year, 'R');
    const plan = await createCalendarActivities({ config: h.config }).computeCyclePlan({ year, firstYear: false, depths: 3 });
    const grassroots = plan.levels[2]!;
    // nothing runs on this server yet: the skip is immediate
    await env.sleep(Date.parse(grassroots.report.dueAt) + 3_600_000 - (await env.currentTimeMs()));

    const gates = new Map([
      ['G11', activityGate()],
      ['G12', activityGate()],
    ]);
    const real = createActivities({ db: h.db, mailer: h.mailer, config: h.config, onMailQueued: () => h.dispatcher.kick() });
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: h.config.temporal.namespace,
      taskQueue: h.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: {
        ...real,
        async recordEvent(input: AuditEventInput) {
          const gate = input.kind === 'plan-overdue' ? gates.get(input.unitId) : undefined;
          if (gate && !gate.used) {
            gate.used = true;
            gate.enter();
            await gate.released;
          }
          return real.recordEvent(input);
        },
      },
    });
    await worker.runUntil(async () => {
      await env.client.workflow.start(cycleWorkflow, { workflowId: cycleId, taskQueue: h.taskQueue, args: [cycleInput(cycleId, year, 'R')] });
      const [g11Gate, g12Gate] = [gates.get('G11')!, gates.get('G12')!];
      await Promise.all([g11Gate.entered, g12Gate.entered]);
      // while each plan mark is being written: G11 submits its report (late), I1 extends G12's report deadline
      const receipt = await submit(env.client, { cycleId, unitId: 'G11', phase: 'report', content: reportFor('G11', 1), channel: 'test' });
      expect(receipt).toMatchObject({ phase: 'report', version: 1, late: true, duplicate: false });
      const extendTo = new Date(Date.parse(grassroots.report.dueAt) + 5 * 86_400_000).toISOString().slice(0, 10);
      const extension = await extend(env.client, cycleId, 'G12', { byUnitId: 'I1', phase: 'report', until: extendTo, channel: 'test' });
      expect(Date.parse(extension.deadlines.dueAt)).toBeGreaterThan(await env.currentTimeMs());
      g11Gate.release();
      g12Gate.release();

      // I1 hears of the report and of the extension only once each unit's batch has run to its end (the rollup
      // upward follows the batch): by then the report's due mark has been taken or dropped
      await until('I1 sees G11’s report and G12’s extension', async () => {
        const children = (await unitStatus(env.client, cycleId, 'I1')).children;
        const g11 = children.find((c) => c.unitId === 'G11')?.report;
        const g12 = children.find((c) => c.unitId === 'G12')?.report;
        return g11?.progress === 'submitted' && !!g12?.deadlines;
      });
      await until('G21, left alone, is overdue for its report', async () => (await unitStatus(env.client, cycleId, 'G21')).report.overdue);

      const [g11, g12] = await Promise.all([unitStatus(env.client, cycleId, 'G11'), unitStatus(env.client, cycleId, 'G12')]);
      expect(g11.plan.overdue).toBe(true);
      expect(g11.report).toMatchObject({ overdue: false, progress: { kind: 'submitted', late: true } });
      expect(g12.plan.overdue).toBe(true);
      expect(g12.report).toMatchObject({ overdue: false, extended: true, progress: { kind: 'open' } });
      await env.client.workflow.getHandle(cycleId).terminate('test over');
    });

    const marks = async (unitId: string) => (await auditTrail(h.db, cycleId, unitId)).filter((e) => e.kind.endsWith('-overdue')).map((e) => e.kind);
    const notices = async (unitId: string) =>
      (await h.db.selectFrom('mail_outbox').select('key').where('cycle_id', '=', cycleId).where('unit_id', '=', unitId).where('purpose', '=', 'overdue-notice').execute())
        .map((r) => r.key.replace(/^.*:overdue:(plan|report):.*$/, '$1'))
        .sort();
    for (const id of ['G11', 'G12']) {
      expect(await marks(id), id).toEqual(['plan-overdue']);
      expect(await notices(id), id).toEqual(['plan']);
    }
    // the control: the same two due marks in one batch, nothing in between, both taken and notified
    expect((await marks('G21')).sort()).toEqual(['plan-overdue', 'report-overdue']);
    expect(await notices('G21')).toEqual(['plan', 'report']);
  });
});
