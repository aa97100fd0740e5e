// Cycle workflows on the real time-skipping server, over a small tree:
//   R → I1 → G11, G12
//     → I2 → G21
// Each scenario gets a fresh database, SMTP server and worker; time moves only with env.sleep / awaiting results.
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditTrail, latestSubmission } from '../../activities/archive/store';
import type { DeadlinePlan } from '../../activities/calendar/types';
import { CycleRequestError, cycleAggregate, cyclePlan, extend, review, submissionKey, submit, unitStatus } from '../../client/cycles';
import { submitPlanUpdate } from '../../workflows/messages';
import { cycleWorkflow, type CycleResult } from '../../workflows/cycle';
import { cycleId as makeCycleId, unitWorkflowId } from '../../workflows/ids';
import { FIGURE_KEYS, ZERO_FIGURES, type Figures } from '../../workflows/report';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { cycleInput, planFor, reportFor, smallTree, until, untilTreeStarted } from '../support/cycle-fixtures';
import { recordHistories } from '../support/histories';
import { createTimeSkippingEnv } from '../support/temporal';

const DAY = 24 * 3600 * 1000;
let env: TestWorkflowEnvironment;
let h: CycleHarness;
let client: Client;
let year: number;

const UNITS = smallTree();
const ALL = UNITS.map((u) => u.id);

// A fresh server per scenario: each starts at today's date with no workflows of another scenario around.
let scenario = 0;
beforeEach(async () => {
  scenario += 1;
  env = await createTimeSkippingEnv();
  client = env.client;
  year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
  h = await createCycleHarness(env, { units: UNITS }, `small-${scenario}`);
});
afterEach(async () => {
  await h?.close();
  await env?.teardown();
});

async function startCycle(): Promise<{ cycleId: string; plan: DeadlinePlan; result: () => Promise<CycleResult> }> {
  const cycleId = makeCycleId(year, 'R');
  const handle = await client.workflow.start(cycleWorkflow, { workflowId: cycleId, taskQueue: h.taskQueue, args: [cycleInput(cycleId, year, 'R')] });
  await untilTreeStarted(client, cycleId, UNITS.length);
  const plan = (await cyclePlan(client, cycleId))!;
  return { cycleId, plan, result: () => handle.result() };
}

const submitPlan = (cycleId: string, unitId: string) => submit(client, { cycleId, unitId, phase: 'plan', content: planFor(unitId, year), channel: 'test' });
const submitReport = (cycleId: string, unitId: string, figuresOf = reportFor) =>
  submit(client, { cycleId, unitId, phase: 'report', content: figuresOf(unitId, ALL.indexOf(unitId)), channel: 'test' });

async function sleepUntil(instant: string, plusMs = 0) {
  const wait = Date.parse(instant) + plusMs - (await env.currentTimeMs());
  if (wait > 0) await env.sleep(wait);
}

async function outbox(purposePrefix: string) {
  return h.db.selectFrom('mail_outbox').selectAll().where('purpose', 'like', `${purposePrefix}%`).execute();
}

function sumFigures(list: Figures[]): Figures {
  const total = { ...ZERO_FIGURES };
  for (const f of list) for (const k of FIGURE_KEYS) total[k] += f[k];
  return total;
}

describe('a cycle over a small tree', () => {
  it('runs a whole cycle with every unit on time: tasks, no chasing, exact aggregate, sent upward', async () => {
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      const { cycleId, result } = await startCycle();
      for (const id of ALL) expect((await submitPlan(cycleId, id)).late).toBe(false);
      for (const id of ALL) expect((await submitReport(cycleId, id)).late).toBe(false);
      const { aggregate } = await result();

      expect(aggregate.unitId).toBe('R');
      for (const phase of ['plan', 'report'] as const) {
        expect(aggregate.below[phase].expected).toBe(ALL.length - 1);
        expect(aggregate.below[phase].submittedOnTime.total).toBe(ALL.length - 1);
        expect(aggregate.below[phase].notSubmitted.total).toBe(0);
        expect(aggregate.rates[phase]).toEqual({ completeness: 100, timeliness: 100 });
      }
      // independent sum over what was submitted (the root's own figures included)
      expect(aggregate.totalFigures).toEqual(sumFigures(ALL.map((id) => reportFor(id, ALL.indexOf(id)).figures)));

      const tasks = await outbox('task');
      expect(tasks.map((m) => m.unit_id).sort()).toEqual([...ALL].sort());
      expect(await outbox('reminder')).toHaveLength(0);
      expect(await outbox('escalation')).toHaveLength(0);
      await h.dispatcher.idle(); // every email queued so far is delivered
      const upward = await outbox('aggregate');
      expect(upward.length).toBe(2); // when the secretariat submitted, and the final one at close
      for (const sent of upward) {
        const received = h.sink.messages.find((m) => m.messageId === sent.message_id)!;
        expect(received.to).toContain('tld@example.vn'); // the root's distribution list ("Nơi nhận")
        expect(received.parsed.attachments.map((a) => a.filename)).toEqual([expect.stringMatching(/\.docx$/)]);
      }
      const archived = await h.db.selectFrom('aggregates').select(['unit_id', 'final']).where('final', '=', 1).execute();
      expect([...new Set(archived.map((a) => a.unit_id))].sort()).toEqual([...ALL].sort()); // every node's final aggregate
      // every outbox message reached the SMTP server exactly once
      const ids = h.sink.messages.map((m) => m.messageId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe((await h.db.selectFrom('mail_outbox').select('key').execute()).length);
      // every unit workflow gets a workflow task a minute to run (workflows/task-timeout.ts), not the server's 10 s
      for (const id of ALL) {
        const { raw } = await client.workflow.getHandle(unitWorkflowId(cycleId, id)).describe();
        expect(Number(raw.executionConfig?.defaultWorkflowTaskTimeout?.seconds), id).toBe(60);
      }
      await recordHistories(client, 'on-time', [cycleId, unitWorkflowId(cycleId, 'R'), unitWorkflowId(cycleId, 'I1'), unitWorkflowId(cycleId, 'G11')]);
    });
  });

  it('chases a late plan: exact reminders, one escalation to the supervisor, late flag, supervisor told', async () => {
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      const { cycleId, plan } = await startCycle();
      for (const id of ALL.filter((id) => id !== 'G11')) await submitPlan(cycleId, id);
      const g11 = plan.levels[2]!.plan;

      await sleepUntil(g11.dueAt, DAY); // one day late: escalation round 1 has fired, round 2 has not
      const status = await unitStatus(client, cycleId, 'G11');
      expect(status.plan.overdue).toBe(true);
      expect(status.plan.remindersSent).toBe(3);

      const reminders = (await auditTrail(h.db, cycleId, 'G11')).filter((e) => e.kind === 'reminder-sent');
      expect(reminders.map((e) => e.at)).toEqual(g11.reminders);
      const escalations = await outbox('escalation');
      expect(escalations).toHaveLength(1);
      await h.dispatcher.idle();
      const digest = h.sink.messages.find((m) => m.messageId === escalations[0]!.message_id)!;
      expect(digest.to).toEqual(['i1@example.vn']); // I1's officer: G11's supervisor
      expect(digest.text).toContain('Công đoàn cơ sở Công ty May Đức Giang');
      expect(digest.text).not.toContain('Trường THPT Lý Thái Tổ'); // G12 submitted: not listed

      const receipt = await submitPlan(cycleId, 'G11');
      expect(receipt.late).toBe(true);
      const late = await outbox('late');
      expect(late).toHaveLength(1);
      await h.dispatcher.idle();
      const lateNotice = h.sink.messages.find((m) => m.messageId === late[0]!.message_id)!;
      expect(lateNotice.to).toEqual(['i1@example.vn']); // the supervisor
      expect(lateNotice.text).toContain('Công đoàn cơ sở Công ty May Đức Giang');

      await sleepUntil(g11.dueAt, 30 * DAY); // later rounds find nothing to escalate any more
      expect(await outbox('escalation')).toHaveLength(1);
      expect((await unitStatus(client, cycleId, 'I1')).aggregate.below.plan.submittedLate.ids).toEqual(['G11']);
      await recordHistories(client, 'late-plan', [unitWorkflowId(cycleId, 'I1'), unitWorkflowId(cycleId, 'G11')]);
    });
  });

  it('lists a unit that never reports as missing in every aggregate up to the root, and climbs the escalation', async () => {
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      const { cycleId, plan, result } = await startCycle();
      for (const id of ALL) await submitPlan(cycleId, id);
      for (const id of ALL.filter((id) => id !== 'G21')) await submitReport(cycleId, id);
      const { aggregate } = await result();

      expect(aggregate.below.report.notSubmitted.ids).toEqual(['G21']);
      expect(aggregate.below.report.overdue.ids).toEqual(['G21']);
      expect(aggregate.rates.report.completeness).toBe(80);
      const i2 = await cycleAggregate(client, cycleId, 'I2');
      expect(i2.below.report.notSubmitted.ids).toEqual(['G21']);
      expect(i2.rates.report).toEqual({ completeness: 0, timeliness: 0 });

      const rounds = plan.levels[2]!.report.escalations;
      const digests = await outbox('escalation');
      expect(digests).toHaveLength(rounds.length);
      await h.dispatcher.idle();
      const recipients = digests
        .sort((a, b) => a.key.localeCompare(b.key))
        .map((d) => h.sink.messages.find((m) => m.messageId === d.message_id)!.to[0]);
      expect(new Set(recipients)).toEqual(new Set(['i2@example.vn', 'r@example.vn'])); // supervisor, then one level up
      expect(rounds.some((r) => r.target === 'grandparent')).toBe(true);
      await recordHistories(client, 'missing-report', [unitWorkflowId(cycleId, 'I2'), unitWorkflowId(cycleId, 'G21')]);
    });
  });

  it('returns a report for revision and accepts the resubmission, keeping both versions', async () => {
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      const { cycleId } = await startCycle();
      await submitPlan(cycleId, 'G12');
      await submitReport(cycleId, 'G12');

      const returned = await review(client, cycleId, 'G12', { decision: 'return', reviewerUnitId: 'I1', phase: 'report', version: 1, channel: 'test', comment: 'Bổ sung số lớp học tập chuyên đề.' });
      expect(returned.decision).toBe('returned');
      const status = await unitStatus(client, cycleId, 'G12');
      expect(status.report.progress).toMatchObject({ kind: 'returned', comment: 'Bổ sung số lớp học tập chuyên đề.' });
      await h.dispatcher.idle();
      const notice = h.sink.messages.find((m) => m.to.includes('g12@example.vn') && m.text.includes('Bổ sung số lớp học tập chuyên đề.'));
      expect(notice).toBeDefined();

      const fixed = await submitReport(cycleId, 'G12', (id, i) => ({ ...reportFor(id, i), implementation: 'Đã bổ sung: 4 lớp học tập chuyên đề.' }));
      expect(fixed.version).toBe(2);
      expect(await submitReport(cycleId, 'G12', (id, i) => ({ ...reportFor(id, i), implementation: 'Đã bổ sung: 4 lớp học tập chuyên đề.' }))).toEqual(fixed); // a repeat
      await review(client, cycleId, 'G12', { decision: 'accept', reviewerUnitId: 'I1', phase: 'report', version: 2, channel: 'test' });
      expect((await unitStatus(client, cycleId, 'G12')).report.progress.kind).toBe('accepted');
      const stored = await latestSubmission(h.db, cycleId, 'G12', 'report');
      expect(stored).toMatchObject({ version: 2, content: { implementation: 'Đã bổ sung: 4 lớp học tập chuyên đề.' } });
      await recordHistories(client, 'return-resubmit', [unitWorkflowId(cycleId, 'G12')]);
    });
  });

  it('moves reminders and escalations with an extension, and cancels the pending escalation', async () => {
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      const { cycleId, plan } = await startCycle();
      for (const id of ALL.filter((id) => id !== 'G11')) await submitPlan(cycleId, id);
      const original = plan.levels[2]!.plan;
      const newDate = new Date(Date.parse(original.dueAt) + 14 * DAY).toISOString().slice(0, 10);

      const ext = await extend(client, cycleId, 'G11', { byUnitId: 'I1', phase: 'plan', until: newDate, channel: 'test' });
      expect(ext.deadlines.dueDate >= newDate).toBe(true);

      await sleepUntil(original.dueAt, DAY);
      expect((await unitStatus(client, cycleId, 'G11')).plan.overdue).toBe(false);
      expect(await outbox('escalation')).toHaveLength(0);

      const receipt = await submitPlan(cycleId, 'G11');
      expect(receipt.late).toBe(false);
      await sleepUntil(ext.deadlines.dueAt, 20 * DAY);
      expect(await outbox('escalation')).toHaveLength(0);
      expect((await auditTrail(h.db, cycleId, 'G11')).map((e) => e.kind)).toContain('plan-extended');
      await recordHistories(client, 'extension', [unitWorkflowId(cycleId, 'I1'), unitWorkflowId(cycleId, 'G11')]);
    });
  });

  it('loses nothing and sends no reminder twice when the worker is replaced mid-cycle', async () => {
    const first = await h.newWorker({ cached: false });
    const { cycleId, plan } = await first.runUntil(async () => {
      const started = await startCycle();
      await submitPlan(started.cycleId, 'G12');
      await sleepUntil(started.plan.levels[2]!.plan.reminders[0]!, 3600 * 1000); // first reminder out
      return started;
    });
    // the first worker has shut down; a new one (a new deployment) takes over the running workflows.
    // (The time-skipping server cannot move time while a task waits for a worker, so the swap is immediate.)
    const second = await h.newWorker({ cached: false });
    await second.runUntil(async () => {
      await sleepUntil(plan.levels[2]!.plan.dueAt, -3600 * 1000);
      await until('every reminder of the grassroots level is out', async () => {
        const sent = await Promise.all(['G11', 'G21'].map(async (id) => (await unitStatus(client, cycleId, id)).plan.remindersSent));
        return sent.every((n) => n === 3);
      });
      expect((await unitStatus(client, cycleId, 'G12')).plan.remindersSent).toBe(0);
      const g11 = (await auditTrail(h.db, cycleId, 'G11')).filter((e) => e.kind === 'reminder-sent');
      expect(g11.map((e) => e.at)).toEqual(plan.levels[2]!.plan.reminders);
    });
    await h.dispatcher.idle();
    const reminderIds = (await outbox('reminder')).map((m) => m.message_id);
    const delivered = h.sink.messages.filter((m) => reminderIds.includes(m.messageId)).map((m) => m.messageId);
    expect(delivered.length).toBe(reminderIds.length);
    expect(new Set(delivered).size).toBe(delivered.length);
  });
});

describe('bad input gets a clear error and changes nothing', () => {
  it('rejects unknown units, wrong phases, bad figures, long sections, strangers’ reviews; repeats are idempotent', async () => {
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      const { cycleId } = await startCycle();
      await expect(submitPlan(cycleId, 'NO-SUCH-UNIT')).rejects.toThrow(CycleRequestError);
      await expect(submitReport(cycleId, 'G11')).rejects.toThrow(/submit the plan first/);

      await expect(
        submit(client, { cycleId, unitId: 'G11', phase: 'report', content: { ...reportFor('G11', 1), figures: { ...reportFor('G11', 1).figures, participants: -3 } }, channel: 'test' }),
      ).rejects.toThrow(/figures.participants: must not be negative/);
      await expect(submit(client, { cycleId, unitId: 'G11', phase: 'plan', content: { ...planFor('G11', year), body: 'ệ'.repeat(20_001) }, channel: 'test' })).rejects.toThrow(
        /body: at most 60,000 bytes \(about 20,000 characters of Vietnamese\); this text has 60,003/,
      );

      const once = await submitPlan(cycleId, 'G11');
      const again = await submitPlan(cycleId, 'G11');
      expect(again).toEqual(once); // Temporal's update id: the same answer again
      // the workflow itself also recognises the key, e.g. when the update id differs (another client, another run)
      const key = submissionKey(cycleId, 'G11', 'plan', planFor('G11', year));
      const resent = await client.workflow
        .getHandle(unitWorkflowId(cycleId, 'G11'))
        .executeUpdate(submitPlanUpdate, { args: [{ idempotencyKey: key, channel: 'test', content: planFor('G11', year) }], updateId: 'another-update-id' });
      expect(resent).toEqual({ ...once, duplicate: true });
      const versions = await h.db.selectFrom('submissions').select('version').where('unit_id', '=', 'G11').execute();
      expect(versions).toHaveLength(1);

      await expect(
        review(client, cycleId, 'G11', { decision: 'accept', reviewerUnitId: 'I2', phase: 'plan', version: 1, channel: 'test' }),
      ).rejects.toThrow(/I2 does not supervise G11/);
      await expect(extend(client, cycleId, 'G11', { byUnitId: 'G12', phase: 'report', until: `${year}-12-30`, channel: 'test' })).rejects.toThrow(
        /may not extend/,
      );
      expect((await unitStatus(client, cycleId, 'G11')).plan.progress.kind).toBe('submitted');
    });
  });

  it('refuses submissions once the cycle has closed', async () => {
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      const { cycleId, result } = await startCycle();
      await result();
      await expect(submitPlan(cycleId, 'G11')).rejects.toThrow(/closed/);
    });
  });
});
