// Email is off every workflow's path: a cycle on the real time-skipping server, its worker wired as in
// production (activities queue, the worker's dispatcher delivers), against the one test SMTP server with
// faults injected. Time moves only with env.sleep and the dispatcher's clock is given explicitly.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { auditTrail, latestSubmission } from '../../activities/archive/store';
import type { DeadlinePlan } from '../../activities/calendar/types';
import { createMailDispatcher } from '../../activities/mail/dispatcher';
import { listUndelivered } from '../../activities/mail/outbox';
import { cycleAggregate, cyclePlan, submit, unitStatus } from '../../client/cycles';
import { cycleWorkflow, type CycleResult } from '../../workflows/cycle';
import { cycleId as makeCycleId } from '../../workflows/ids';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { cycleInput, planFor, reportFor, smallTree, untilTreeStarted } from '../support/cycle-fixtures';
import { registerCycleCommands } from '../../client/cli/commands/cycle';
import { runCli } from '../support/cli';
import { signInByEmail, startWebApp } from '../web/support';
import { createTimeSkippingEnv } from '../support/temporal';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const UNITS = smallTree();
const ALL = UNITS.map((u) => u.id);
const CHAIR_G11 = 'chair-g11@example.vn';
const SECRETARIAT = 'r@example.vn';

let env: TestWorkflowEnvironment | undefined;
let h: CycleHarness | undefined;
afterEach(async () => {
  await h?.close();
  await env?.teardown();
  h = undefined;
  env = undefined;
});

async function startCycle(e: TestWorkflowEnvironment, harness: CycleHarness, year: number) {
  const cycleId = makeCycleId(year, 'R');
  const handle = await e.client.workflow.start(cycleWorkflow, { workflowId: cycleId, taskQueue: harness.taskQueue, args: [cycleInput(cycleId, year, 'R')] });
  await untilTreeStarted(e.client, cycleId, UNITS.length);
  const plan = (await cyclePlan(e.client, cycleId))! as DeadlinePlan;
  return { cycleId, plan, result: (): Promise<CycleResult> => handle.result() };
}

async function sleepUntil(e: TestWorkflowEnvironment, instant: string | number, plusMs = 0) {
  const wait = (typeof instant === 'number' ? instant : Date.parse(instant)) + plusMs - (await e.currentTimeMs());
  if (wait > 0) await e.sleep(wait);
}

const outbox = (harness: CycleHarness, purpose: string) => harness.db.selectFrom('mail_outbox').selectAll().where('purpose', '=', purpose).orderBy('key').execute();

describe('a chair whose mailbox answers 452 forever', () => {
  it('holds up nothing: reminders, overdue mark, rollup and close on schedule; the email becomes undeliverable after the window and the secretariat is told', { timeout: 240_000 }, async () => {
    env = await createTimeSkippingEnv();
    const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
    h = await createCycleHarness(env, { units: UNITS }, 'mail-452', {
      sink: { defer: (address) => (address === CHAIR_G11 ? { code: 452, text: '4.2.2 Mailbox full' } : false) },
    });
    const e = env;
    const harness = h;
    const worker = await harness.newWorker();
    await worker.runUntil(async () => {
      const { cycleId, plan, result } = await startCycle(e, harness, year);
      for (const id of ALL.filter((x) => x !== 'G11')) await submit(e.client, { cycleId, unitId: id, phase: 'plan', content: planFor(id, year), channel: 'test' });
      for (const id of ALL.filter((x) => x !== 'G11')) await submit(e.client, { cycleId, unitId: id, phase: 'report', content: reportFor(id, ALL.indexOf(id)), channel: 'test' });
      const g11 = plan.levels[2]!.plan;

      // G11's task email reached its officer; the chair's copy waits for a retry
      await harness.dispatcher.idle();
      const [task] = (await outbox(harness, 'task-assignment')).filter((m) => m.unit_id === 'G11');
      expect(task).toMatchObject({ status: 'queued', accepted: JSON.stringify(['g11@example.vn']) });
      expect(task!.last_error).toContain('452 4.2.2 Mailbox full');

      await sleepUntil(e, g11.dueAt, DAY);
      const status = await unitStatus(e.client, cycleId, 'G11');
      expect(status.plan.overdue).toBe(true);
      expect(status.plan.remindersSent).toBe(g11.reminders.length);
      const audit = await auditTrail(harness.db, cycleId, 'G11');
      expect(audit.filter((a) => a.kind === 'reminder-sent').map((a) => a.at)).toEqual(g11.reminders);
      expect(audit.map((a) => a.kind)).toContain('plan-overdue');
      // the rollup went up: G11's supervisor and the root see it overdue
      expect((await unitStatus(e.client, cycleId, 'I1')).aggregate.below.plan.overdue.ids).toEqual(['G11']);

      const { aggregate } = await result(); // the cycle closes on schedule
      expect(aggregate.below.plan.notSubmitted.ids).toEqual(['G11']);
      expect(aggregate.below.report.notSubmitted.ids).toEqual(['G11']);
      expect((await cycleAggregate(e.client, cycleId, 'I1')).below.report.notSubmitted.ids).toEqual(['G11']);

      // the dispatcher's clock past the retry window since the first 452: given up, listed, the secretariat told
      const firstDeferral = Date.parse((await outbox(harness, 'task-assignment')).find((m) => m.unit_id === 'G11')!.deferred_since!);
      const summary = await harness.dispatcher.idle(new Date(firstDeferral + harness.config.mail.retryWindowMs + HOUR));
      expect(summary.undeliverable).toBeGreaterThanOrEqual(2); // the task email and the overdue notice(s): the chair is in cc
      const undelivered = await listUndelivered(harness.db, cycleId);
      const chairs = undelivered.filter((u) => u.status === 'undeliverable');
      expect(chairs.map((u) => u.purpose)).toEqual(expect.arrayContaining(['task-assignment', 'overdue-notice']));
      for (const u of chairs) expect(u).toMatchObject({ unitId: 'G11', recipients: [CHAIR_G11], reason: expect.stringContaining('452 4.2.2 Mailbox full') });

      const alerts = harness.sink.messages.filter((m) => m.envelopeTo.includes(SECRETARIAT) && m.subject.startsWith('Cảnh báo: không gửi được thư'));
      expect(alerts).toHaveLength(chairs.length);
      const taskAlert = alerts.find((m) => m.text.includes('Giao nhiệm vụ'))!;
      expect(taskAlert.subject).toBe(`Cảnh báo: không gửi được thư tới Công đoàn cơ sở Công ty May Đức Giang (${CHAIR_G11})`);
      expect(taskAlert.text).toContain(`${CHAIR_G11} | 452 4.2.2 Mailbox full`);
      expect(taskAlert.text).toContain('(72 giờ)');
      // `baocao cycle status` lists them, in text and JSON
      const saved = { ...process.env };
      Object.assign(process.env, { TEMPORAL_ADDRESS: e.address, TEMPORAL_TASK_QUEUE: harness.taskQueue, BAOCAO_DATA_DIR: harness.config.dataDir });
      try {
        const json = await runCli(registerCycleCommands, 'cycle', 'status', cycleId, '--json');
        expect(json.error).toBeUndefined();
        const listed = (JSON.parse(json.stdout) as { undeliverable: { unitId: string; recipients: string[] }[] }).undeliverable;
        expect(listed).toHaveLength(chairs.length);
        const text = await runCli(registerCycleCommands, 'cycle', 'status', cycleId);
        expect(text.stdout).toContain('Email undeliverable: still deferred when the retry window ended / Thư không gửi được:');
        expect(text.stdout).toMatch(/G11\s+chair-g11@example\.vn — «Giao nhiệm vụ/);
      } finally {
        process.env = saved;
      }

      // and the secretariat's cycle page in the web app
      const web = await startWebApp({ config: harness.config, db: harness.db, client: e.client, taskQueue: harness.taskQueue, mailer: harness.mailer });
      try {
        const http = await signInByEmail(web.url, harness.sink, SECRETARIAT);
        const cyclePage = await http.request(`/cycles/${encodeURIComponent(cycleId)}`);
        expect(cyclePage.status).toBe(200);
        const section = /<section class="card" id="undelivered-mail">([\s\S]*?)<\/section>/.exec(cyclePage.text)?.[1] ?? '';
        expect(section).toContain('Thư không đến được người nhận');
        expect(section.match(/data-status="undeliverable"/g)).toHaveLength(chairs.length);
        expect(section).toContain(CHAIR_G11);
        expect(section).toContain('452 4.2.2 Mailbox full');
      } finally {
        await web.close();
      }

      // told once: later runs find nothing more to do
      expect((await harness.dispatcher.idle(new Date(firstDeferral + 2 * harness.config.mail.retryWindowMs))).claimed).toBe(0);
    });
  });
});

describe('SMTP refusing every connection for all of Q1, then back', () => {
  it('keeps every submission, delivers every task email exactly once, and drops the stale reminders instead of a burst', { timeout: 240_000 }, async () => {
    env = await createTimeSkippingEnv();
    const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
    h = await createCycleHarness(env, { units: UNITS }, 'mail-outage');
    const e = env;
    const harness = h;
    // this test drives delivery with the calendar's clock (the time-skipping server's), not the wall clock
    await harness.dispatcher.stop();
    const dispatcher = createMailDispatcher({ db: harness.db, mailer: harness.mailer, config: harness.config, log: () => undefined });
    await harness.sink.refuseConnections();

    const worker = await harness.newWorker();
    await worker.runUntil(async () => {
      const { cycleId, plan } = await startCycle(e, harness, year);
      expect(await dispatcher.idle(new Date(await e.currentTimeMs()))).toMatchObject({ transportDown: true, sent: 0 });
      for (const id of ALL.filter((x) => x !== 'G11')) await submit(e.client, { cycleId, unitId: id, phase: 'plan', content: planFor(id, year), channel: 'test' });

      // all of Q1 passes, the dispatcher trying now and then, the relay refusing
      const endOfQ1 = Date.UTC(year, 2, 31, 17, 0, 0);
      for (let t = (await e.currentTimeMs()) + 7 * DAY; t < endOfQ1; t += 7 * DAY) {
        await sleepUntil(e, t);
        expect(await dispatcher.idle(new Date(t))).toMatchObject({ transportDown: true, sent: 0 });
      }
      await sleepUntil(e, endOfQ1, DAY);
      expect(harness.sink.messages).toHaveLength(0);
      // the workflows went on: every plan kept, G11 reminded (queued) and marked overdue on schedule
      for (const id of ALL.filter((x) => x !== 'G11')) expect(await latestSubmission(harness.db, cycleId, id, 'plan')).toMatchObject({ version: 1 });
      const g11 = await unitStatus(e.client, cycleId, 'G11');
      expect(g11.plan.overdue).toBe(true);
      expect(g11.plan.remindersSent).toBe(plan.levels[2]!.plan.reminders.length);

      // the relay is back
      await harness.sink.acceptConnections();
      const back = new Date(await e.currentTimeMs());
      const summary = await dispatcher.idle(back);
      expect(summary.transportDown).toBe(false);

      const tasks = await outbox(harness, 'task-assignment');
      expect(tasks.map((t) => t.unit_id).sort()).toEqual([...ALL].sort());
      expect(tasks.every((t) => t.status === 'sent')).toBe(true);
      const taskIds = tasks.map((t) => t.message_id);
      const delivered = harness.sink.messages.filter((m) => taskIds.includes(m.messageId)).map((m) => m.messageId);
      expect(delivered.sort()).toEqual([...taskIds].sort()); // one Message-ID each, once

      // no burst: every Q1 reminder was dropped, none reached the relay; the overdue notice went out
      const reminders = await outbox(harness, 'reminder');
      expect(reminders).toHaveLength(plan.levels[2]!.plan.reminders.length);
      expect(reminders.every((r) => r.status === 'dropped' && /deadline .* has passed/.test(r.dropped_reason ?? ''))).toBe(true);
      expect(harness.sink.messages.filter((m) => reminders.some((r) => r.message_id === m.messageId))).toHaveLength(0);
      expect((await outbox(harness, 'overdue-notice')).map((m) => m.status)).toEqual(['sent']);
      // of the escalation rounds that piled up, only the latest per recipient went out
      const digests = await outbox(harness, 'escalation-digest');
      const sentDigests = digests.filter((d) => d.status === 'sent');
      expect(new Set(sentDigests.map((d) => d.unit_id)).size).toBe(sentDigests.length);
      expect(digests.filter((d) => d.status === 'dropped').every((d) => /superseded/.test(d.dropped_reason ?? ''))).toBe(true);

      // listed as such: what cycle status shows
      const undelivered = await listUndelivered(harness.db, cycleId);
      expect(undelivered.filter((u) => u.purpose === 'reminder').map((u) => ({ status: u.status, unitId: u.unitId, recipients: u.recipients }))).toEqual(
        reminders.map(() => ({ status: 'dropped', unitId: 'G11', recipients: ['g11@example.vn'] })),
      );
      expect(undelivered.some((u) => u.status === 'undeliverable')).toBe(false);
      expect(summary.sent).toBe(harness.sink.messages.length);
    });
    await dispatcher.stop();
  });
});
