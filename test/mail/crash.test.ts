import { afterEach, describe, expect, it } from 'vitest';
import { createMailActivities } from '../../activities/mail/activities';
import { findOutboxMessage } from '../../activities/mail/outbox';
import { createMailer } from '../../activities/mail/transport';
import { CLOSES, CYCLE, mailHarness, MAY, NOW, PLAN_DUE, REPORT_DUE, type MailHarness } from './support/fixtures';
import { DieBeforeMark } from './support/die-before-mark';
import { startSmtpSink } from './support/smtp-sink';

// The worker dies at the worst moment: after the SMTP server accepted the message, before the outbox row is
// marked. The retry re-sends the stored bytes with the same Message-ID: the one documented duplicate, which
// the receiving side can drop. Nothing is ever lost.

let h: MailHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('worker killed between send and record', () => {
  it('re-sends once with the same Message-ID and the same bytes, then never again', async () => {
    h = await mailHarness();
    const die = new DieBeforeMark();
    const mail = createMailActivities({ mailer: h.mailer, db: h.db.withPlugin(die), config: h.config, now: () => NOW });
    const input = { key: `${CYCLE}/${MAY}:task`, cycleId: CYCLE, year: 2027, unitId: MAY, planDueAt: PLAN_DUE, reportDueAt: REPORT_DUE, closesAt: CLOSES };

    await expect(mail.sendTaskAssignment(input)).rejects.toThrow(/worker killed/);
    expect(die.kills).toBe(1);
    expect(h.sink.received).toHaveLength(1);
    expect((await findOutboxMessage(h.db, input.key))?.status).toBe('sending');

    const retry = await mail.sendTaskAssignment(input);
    expect(retry.status).toBe('sent');
    expect(h.sink.received).toHaveLength(2);
    const [first, second] = h.sink.received;
    expect(second!.messageId).toBe(first!.messageId);
    expect(second!.messageId).toBe(retry.messageId);
    // byte-identical: the same personal link, the same Date, the same MIME boundaries
    expect(second!.raw.equals(first!.raw)).toBe(true);
    expect(await h.db.selectFrom('access_tokens').select('token_hash').execute()).toHaveLength(1);

    expect((await mail.sendTaskAssignment(input)).status).toBe('already-sent');
    expect(h.sink.received).toHaveLength(2);
  });

  it('a send that never reached the server is not lost: the row waits in the outbox and goes out on retry', async () => {
    // find a free port, then leave it closed: the relay is down
    const probe = await startSmtpSink();
    const port = probe.port;
    await probe.close();
    h = await mailHarness();
    const mailer = createMailer({ ...h.config.mail, smtpUrl: `smtp://127.0.0.1:${port}` }, { rateLimit: false });
    const mail = createMailActivities({ mailer, db: h.db, config: h.config, now: () => NOW });
    const input = { key: `${CYCLE}/${MAY}:reminder:plan:1`, cycleId: CYCLE, unitId: MAY, phase: 'plan' as const, dueAt: PLAN_DUE, reminderNumber: 1 };
    await expect(mail.sendReminder(input)).rejects.toMatchObject({ code: 'MailTransientError' });
    const waiting = await findOutboxMessage(h.db, input.key);
    expect(waiting).toMatchObject({ status: 'sending', attempts: 1 });

    const relay = await startSmtpSink({ port });
    try {
      expect((await mail.sendReminder(input)).status).toBe('sent');
      expect(relay.received).toHaveLength(1);
      expect(relay.received[0]!.raw.toString('utf8')).toBe(waiting!.raw);
      expect((await mail.sendReminder(input)).status).toBe('already-sent');
      expect(relay.received).toHaveLength(1);
    } finally {
      mailer.close();
      await relay.close();
    }
  });
});
