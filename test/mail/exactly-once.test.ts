import { afterEach, describe, expect, it } from 'vitest';
import type { SendResult } from '../../activities/mail/activities';
import { CANON, CLOSES, CYCLE, DISTRICT, HOSTILE, mailHarness, MAY, PLAN_DUE, REPORT_DUE, ROOT, ZONE, retried, type MailHarness } from './support/fixtures';

// A relay that fails about 30% of SMTP commands (connect, MAIL FROM, RCPT TO, DATA) with 421/451, from a
// seeded sequence so every run sees the same faults. The activities are called again on every throw with the
// same input, as Temporal's retry policy does.

let h: MailHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function workload(harness: MailHarness): (() => Promise<SendResult>)[] {
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
    const results: SendResult[] = [];
    let failedAttempts = 0;
    for (const call of calls) {
      const { result, errors } = await retried(call);
      results.push(result);
      failedAttempts += errors.length;
      // only retryable, typed errors reach the caller
      for (const e of errors) expect((e as { code?: string }).code).toBe('MailTransientError');
    }

    expect(results.map((r) => r.status)).toEqual(calls.map(() => 'sent'));
    expect(h.sink.faultsInjected).toBeGreaterThan(10);
    expect(failedAttempts).toBeGreaterThan(5);
    // task emails, overdue notices and the climbed digest have a cc: two recipients each
    expect(results.filter((r) => r.recipients.length === 2)).toHaveLength(3 + 3 + 1);

    const delivered = h.sink.received.flatMap((m) => pairs(m.messageId, m.envelopeTo)).sort();
    const expected = results.flatMap((r) => pairs(r.messageId, r.recipients)).sort();
    expect(new Set(expected).size).toBe(expected.length);
    expect(delivered).toEqual(expected);

    // Temporal replays and late retries of completed activities
    const received = h.sink.received.length;
    for (const call of calls) expect((await call()).status).toBe('already-sent');
    expect(h.sink.received.length).toBe(received);

    // one personal link per task email, however many attempts it took
    const tokens = await h.db.selectFrom('access_tokens').select('unit_id').execute();
    expect(tokens.map((t) => t.unit_id).sort()).toEqual([CANON, MAY, HOSTILE].sort());
  });

  it('a recipient deferred with 451 gets the message on the retry; the one who accepted does not get it twice', async () => {
    let deferrals = 1;
    h = await mailHarness({ defer: (address) => address === 'chutich@may-ducgiang.vn' && deferrals-- > 0 });
    const call = () =>
      h!.mail.sendTaskAssignment({ key: `${CYCLE}/${MAY}:task`, cycleId: CYCLE, year: 2027, unitId: MAY, planDueAt: PLAN_DUE, reportDueAt: REPORT_DUE, closesAt: CLOSES });
    await expect(call()).rejects.toMatchObject({ code: 'MailTransientError', responseCode: 451 });
    expect(h.sink.received.map((m) => m.envelopeTo)).toEqual([['congdoan@may-ducgiang.vn']]);

    const result = await call();
    expect(result).toMatchObject({ status: 'sent', recipients: ['congdoan@may-ducgiang.vn', 'chutich@may-ducgiang.vn'], bounced: [] });
    expect(h.sink.received.map((m) => m.envelopeTo)).toEqual([['congdoan@may-ducgiang.vn'], ['chutich@may-ducgiang.vn']]);
    // the same bytes (same link, same Message-ID) to both
    expect(h.sink.received[1]!.raw.equals(h.sink.received[0]!.raw)).toBe(true);
  });
});
