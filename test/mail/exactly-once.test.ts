import { afterEach, describe, expect, it } from 'vitest';
import type { QueuedMail } from '../../activities/mail/activities';
import { findOutboxMessage } from '../../activities/mail/outbox';
import { CANON, CLOSES, CYCLE, deliverOverTime, DISTRICT, HOSTILE, mailHarness, MAY, NOW, PLAN_DUE, REPORT_DUE, ROOT, ZONE, type MailHarness } from './support/fixtures';

// A relay that fails about 30% of SMTP commands (connect, MAIL FROM, RCPT TO, DATA) with 421/451, from a
// seeded sequence so every run sees the same faults. The activities queue; the dispatcher, driven with a
// clock that moves ten minutes a run, retries until everything is delivered.

let h: MailHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function workload(harness: MailHarness): (() => Promise<QueuedMail>)[] {
  const { mail } = harness;
  const units = [MAY, CANON, HOSTILE];
  return [
    ...units.map((unitId) => () =>
      mail.sendTaskAssignment({ key: `${CYCLE}/${unitId}:task`, cycleId: CYCLE, year: 2027, unitId, planDueAt: PLAN_DUE, reportDueAt: REPORT_DUE, closesAt: CLOSES }),
    ),
    ...units.flatMap((unitId) =>
      [1, 2, 3].map((n) => () => mail.sendReminder({ key: `${CYCLE}/${unitId}:reminder:plan:${n}`, cycleId: CYCLE, unitId, phase: 'plan', dueAt: PLAN_DUE, reminderNumber: n })),
    ),
    ...units.map((unitId) => () => mail.sendOverdueNotice({ key: `${CYCLE}/${unitId}:overdue:plan`, cycleId: CYCLE, unitId, phase: 'plan', dueAt: PLAN_DUE })),
    () =>
      mail.sendEscalationDigest({
        key: `${CYCLE}/${DISTRICT}:escalation:plan:1`,
        cycleId: CYCLE,
        supervisorUnitId: DISTRICT,
        recipientUnitId: ROOT,
        climbed: true,
        phase: 'plan',
        round: 1,
        asOf: '2027-04-02T01:00:00.000Z',
        units: [
          { unitId: MAY, dueAt: PLAN_DUE, remindersSent: 3 },
          { unitId: HOSTILE, dueAt: PLAN_DUE, remindersSent: 3 },
        ],
      }),
    () => mail.sendLateSubmissionNotice({ key: `${CYCLE}/${CANON}:late:plan`, cycleId: CYCLE, unitId: CANON, supervisorUnitId: ZONE, phase: 'plan', dueAt: PLAN_DUE, submittedAt: '2027-04-03T01:00:00.000Z' }),
    ...units.map((unitId) => () => mail.sendReviewResult({ key: `${CYCLE}/${unitId}:review:plan:1`, cycleId: CYCLE, unitId, phase: 'plan', decision: 'returned', comment: 'Bổ sung mục 2.1' })),
  ];
}

const pairs = (messageId: string, to: string[]) => to.map((r) => `${messageId} → ${r}`);

describe('exactly once over a flaky relay', () => {
  it('delivers every message to every recipient exactly once, and a replay sends nothing', async () => {
    h = await mailHarness({ faults: { seed: 20270331, rate: 0.3 } });
    const calls = workload(h);
    const queued: QueuedMail[] = [];
    // the activities return at once, whatever the relay does
    for (const call of calls) queued.push(await call());
    expect(queued.map((r) => r.status)).toEqual(calls.map(() => 'queued'));
    expect(h.sink.messages).toHaveLength(0);

    await deliverOverTime(h, { steps: 200, stepMs: 10 * 60_000 });
    const rows = await Promise.all(calls.map(async (_, i) => (await h!.db.selectFrom('mail_outbox').selectAll().where('message_id', '=', queued[i]!.messageId).executeTakeFirstOrThrow())));
    expect(rows.map((r) => r.status)).toEqual(calls.map(() => 'sent'));
    expect(h.sink.faultsInjected).toBeGreaterThan(10);
    const failedAttempts = rows.reduce((n, r) => n + r.attempts - 1, 0);
    expect(failedAttempts).toBeGreaterThan(5);
    // task emails, overdue notices and the climbed digest have a cc: two recipients each
    const accepted = rows.map((r) => ({ messageId: r.message_id, recipients: JSON.parse(r.accepted) as string[] }));
    expect(accepted.filter((r) => r.recipients.length === 2)).toHaveLength(3 + 3 + 1);

    const delivered = h.sink.messages.flatMap((m) => pairs(m.messageId, m.envelopeTo)).sort();
    const expected = accepted.flatMap((r) => pairs(r.messageId, r.recipients)).sort();
    expect(new Set(expected).size).toBe(expected.length);
    expect(delivered).toEqual(expected);

    // Temporal replays and late retries of completed activities; the dispatcher finds nothing due
    const received = h.sink.messages.length;
    for (const call of calls) expect((await call()).status).toBe('already-sent');
    expect((await h.deliver(new Date(NOW.getTime() + 30 * 86_400_000))).claimed).toBe(0);
    expect(h.sink.messages.length).toBe(received);

    // one personal link per task email, however many attempts it took
    const tokens = await h.db.selectFrom('access_tokens').select('unit_id').execute();
    expect(tokens.map((t) => t.unit_id).sort()).toEqual([CANON, MAY, HOSTILE].sort());
  });

  it('a recipient deferred with 451 gets the message on the retry; the one who accepted does not get it twice', async () => {
    let deferrals = 1;
    h = await mailHarness({ defer: (address) => address === 'chutich@may-ducgiang.vn' && deferrals-- > 0 });
    const key = `${CYCLE}/${MAY}:task`;
    const call = () => h!.mail.sendTaskAssignment({ key, cycleId: CYCLE, year: 2027, unitId: MAY, planDueAt: PLAN_DUE, reportDueAt: REPORT_DUE, closesAt: CLOSES });
    expect((await call()).status).toBe('queued');
    expect(await h.deliver()).toMatchObject({ claimed: 1, deferred: 1 });
    expect(h.sink.messages.map((m) => m.envelopeTo)).toEqual([['congdoan@may-ducgiang.vn']]);
    const waiting = (await findOutboxMessage(h.db, key))!;
    expect(waiting).toMatchObject({ status: 'queued', accepted: ['congdoan@may-ducgiang.vn'], deferredSince: NOW.toISOString() });
    expect(waiting.lastError).toContain('451 4.2.1 Mailbox busy');
    // retried after the first backoff (one minute), not before
    expect((await h.deliver(new Date(NOW.getTime() + 59_000))).claimed).toBe(0);
    expect(await h.deliver(new Date(NOW.getTime() + 60_000))).toMatchObject({ claimed: 1, sent: 1 });
    expect((await findOutboxMessage(h.db, key))).toMatchObject({ status: 'sent', accepted: ['congdoan@may-ducgiang.vn', 'chutich@may-ducgiang.vn'], rejected: [] });
    expect((await call()).status).toBe('already-sent');
    expect(h.sink.messages.map((m) => m.envelopeTo)).toEqual([['congdoan@may-ducgiang.vn'], ['chutich@may-ducgiang.vn']]);
    // the same bytes (same link, same Message-ID) to both
    expect(h.sink.messages[1]!.raw.equals(h.sink.messages[0]!.raw)).toBe(true);
  });
});
