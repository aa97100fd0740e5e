// "Remind now" (remindNowUpdate) on the real time-skipping server and the production worker wiring:
//   R → I1 → G11, G12
//     → I2 → G21
// A supervisor chases a unit between the scheduled reminders: the workflow queues the email in the outbox (the
// dispatcher delivers it to the SMTP sink), audits who asked, refuses what it should with a reason per unit,
// and lets a unit and phase be reminded by hand at most once an hour.
import { describe, expect, it } from 'vitest';
import { auditTrail } from '../../activities/archive/store';
import { remind, submit, unitStatus } from '../../client/cycles';
import { unitWorkflowId } from '../../workflows/ids';
import { REMIND_NOW_INTERVAL_MS } from '../../workflows/messages';
import { planFor, smallTree } from '../support/cycle-fixtures';
import { cycleScenario, refusal, startCycleAtR } from '../support/cycle-scenario';
import { recordHistories } from '../support/histories';

const UNITS = smallTree();
const s = cycleScenario('remind', { units: UNITS });

describe('remind now', () => {
  it('queues an audited reminder through the outbox, refuses with a reason per unit, at most once an hour per phase', { timeout: 180_000 }, async () => {
    const { env, h, client } = s;
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      const { year, cycleId, plan } = await startCycleAtR(s, UNITS.length);
      await submit(client, { cycleId, unitId: 'G12', phase: 'plan', content: planFor('G12', year), channel: 'test' });

      // G11, open and not yet due: a reminder, number 1, asked by its supervisor I1
      const first = await remind(client, cycleId, 'G11', { byUnitId: 'I1', channel: 'test', requestedBy: 'Nguyễn Văn Đức <i1@example.vn>' });
      expect(first).toMatchObject({ unitId: 'G11', phase: 'plan', reminderNumber: 1, email: 'reminder' });
      expect((await unitStatus(client, cycleId, 'G11')).plan.remindersSent).toBe(1);
      const audit = (await auditTrail(h.db, cycleId, 'G11')).filter((e) => e.kind === 'reminder-requested');
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor: 'I1', channel: 'test', at: first.remindedAt });
      expect(audit[0]!.data).toMatchObject({ phase: 'plan', number: 1, email: 'reminder', requestedBy: 'Nguyễn Văn Đức <i1@example.vn>' });
      const rows = await h.db.selectFrom('mail_outbox').selectAll().where('key', '=', `${unitWorkflowId(cycleId, 'G11')}:remind-now:plan:1`).execute();
      expect(rows.map((r) => r.purpose)).toEqual(['reminder']);
      await h.dispatcher.idle();
      const delivered = h.sink.messages.find((m) => m.messageId === rows[0]!.message_id);
      expect(delivered?.to).toEqual(['g11@example.vn']);
      expect(delivered?.subject).toContain('Đôn đốc nộp');
      expect(delivered?.subject).toContain('(lần 1)');

      // refused, each with its reason: again within the hour, a submitted unit, someone else's unit, a closed phase
      expect(await refusal(remind(client, cycleId, 'G11', { byUnitId: 'I1', channel: 'test' }))).toMatch(/at most one reminder an hour; try again in \d+ min/);
      expect(await refusal(remind(client, cycleId, 'G12', { byUnitId: 'I1', phase: 'plan', channel: 'test' }))).toContain('already submitted (version 1)');
      expect(await refusal(remind(client, cycleId, 'G11', { byUnitId: 'I2', channel: 'test' }))).toContain('I2 may not remind G11');
      expect(await refusal(remind(client, cycleId, 'G11', { byUnitId: 'I1', phase: 'report', channel: 'test' }))).toContain('The report phase of G11 opens when');
      // the secretariat may chase any unit; G12's plan is in, so without a phase it is chased for its report
      expect(await remind(client, cycleId, 'G12', { byUnitId: 'R', channel: 'test' })).toMatchObject({ phase: 'report', reminderNumber: 1, email: 'reminder' });
      expect(await h.db.selectFrom('mail_outbox').select('key').where('key', 'like', '%remind-now%').execute()).toHaveLength(2);

      // an hour later the same unit may be reminded again: number 2
      await env.sleep(REMIND_NOW_INTERVAL_MS + 1000);
      expect((await remind(client, cycleId, 'G11', { byUnitId: 'R', channel: 'test' })).reminderNumber).toBe(2);

      // past the deadline: the overdue notice (a reminder would say time is left), delivered, counted with the scheduled ones
      const due = plan.levels[2]!.plan;
      await env.sleep(Date.parse(due.dueAt) + 3600_000 - (await env.currentTimeMs()));
      const overdue = await unitStatus(client, cycleId, 'G11');
      expect(overdue.plan.overdue).toBe(true);
      expect(overdue.plan.remindersSent).toBe(2 + due.reminders.length);
      const late = await remind(client, cycleId, 'G11', { byUnitId: 'I1', channel: 'test', requestedBy: 'i1@example.vn' });
      expect(late).toMatchObject({ phase: 'plan', email: 'overdue-notice', reminderNumber: 3 + due.reminders.length });
      const notice = await h.db.selectFrom('mail_outbox').selectAll().where('key', '=', `${unitWorkflowId(cycleId, 'G11')}:remind-now:plan:${late.reminderNumber}`).executeTakeFirstOrThrow();
      expect(notice.purpose).toBe('overdue-notice');
      await h.dispatcher.idle();
      expect(h.sink.messages.find((m) => m.messageId === notice.message_id)?.subject).toContain('Thông báo quá hạn nộp');

      // once the plan is in, there is nothing left to remind G11 of until its report phase
      await submit(client, { cycleId, unitId: 'G11', phase: 'plan', content: planFor('G11', year), channel: 'test' });
      await env.sleep(REMIND_NOW_INTERVAL_MS + 1000);
      const report = await remind(client, cycleId, 'G11', { byUnitId: 'I1', channel: 'test' });
      expect(report).toMatchObject({ phase: 'report', reminderNumber: 1, email: 'reminder' });
      expect(await refusal(remind(client, cycleId, 'G11', { byUnitId: 'I1', phase: 'plan', channel: 'test' }))).toContain('already submitted');
      await recordHistories(client, 'remind', [unitWorkflowId(cycleId, 'G11'), unitWorkflowId(cycleId, 'I1')]);
    });
  });
});
