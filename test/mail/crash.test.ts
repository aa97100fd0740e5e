import { afterEach, describe, expect, it } from 'vitest';
import { CLAIM_MS, createMailDispatcher } from '../../activities/mail/dispatcher';
import { findOutboxMessage } from '../../activities/mail/outbox';
import { createMailer } from '../../activities/mail/transport';
import { startSmtpSink } from '../support/smtp-sink';
import { CLOSES, CYCLE, mailHarness, MAY, NOW, PLAN_DUE, REPORT_DUE, type MailHarness } from './support/fixtures';
import { DieBeforeMark } from './support/die-before-mark';

// The dispatcher dies at the worst moment: after the SMTP server accepted the message, before the outbox row is
// marked. Its claim expires and the next run re-sends the stored bytes with the same Message-ID: the one
// documented duplicate, which the receiving side can drop. Nothing is ever lost.

let h: MailHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const later = (ms: number) => new Date(NOW.getTime() + ms);

describe('dispatcher killed between send and record', () => {
  it('re-sends once with the same Message-ID and the same bytes after its claim expired, then never again', async () => {
    h = await mailHarness();
    const die = new DieBeforeMark();
    const dying = createMailDispatcher({ db: h.db.withPlugin(die), mailer: h.mailer, config: h.config, now: () => NOW, log: () => undefined });
    const input = { key: `${CYCLE}/${MAY}:task`, cycleId: CYCLE, year: 2027, unitId: MAY, planDueAt: PLAN_DUE, reportDueAt: REPORT_DUE, closesAt: CLOSES };
    const queued = await h.mail.sendTaskAssignment(input);

    const crashed = await dying.runOnce();
    expect(crashed.errors).toEqual([expect.stringMatching(/worker killed/)]);
    expect(die.kills).toBe(1);
    expect(h.sink.messages).toHaveLength(1);
    expect((await findOutboxMessage(h.db, input.key))?.status).toBe('queued');
    // still claimed by the dead run: nobody touches it before the claim expires
    expect((await h.deliver(later(CLAIM_MS - 1000))).claimed).toBe(0);

    expect(await h.deliver(later(CLAIM_MS + 1000))).toMatchObject({ claimed: 1, sent: 1 });
    expect(h.sink.messages).toHaveLength(2);
    const [first, second] = h.sink.messages;
    expect(second!.messageId).toBe(first!.messageId);
    expect(second!.messageId).toBe(queued.messageId);
    // byte-identical: the same personal link, the same Date, the same MIME boundaries
    expect(second!.raw.equals(first!.raw)).toBe(true);
    expect(await h.db.selectFrom('access_tokens').select('token_hash').execute()).toHaveLength(1);

    expect((await h.mail.sendTaskAssignment(input)).status).toBe('already-sent');
    expect((await h.deliver(later(2 * CLAIM_MS))).claimed).toBe(0);
    expect(h.sink.messages).toHaveLength(2);
  });

  it('a relay that is down loses nothing: the row waits, not counted against the retry window, and goes out when it is back', async () => {
    h = await mailHarness();
    const relay = await startSmtpSink();
    await relay.refuseConnections();
    const mailer = createMailer({ ...h.config.mail, smtpUrl: relay.url }, { rateLimit: false });
    const dispatcher = createMailDispatcher({ db: h.db, mailer, config: h.config, now: () => NOW, log: () => undefined });
    try {
      const input = { key: `${CYCLE}/${MAY}:reminder:plan:1`, cycleId: CYCLE, unitId: MAY, phase: 'plan' as const, dueAt: PLAN_DUE, reminderNumber: 1 };
      expect((await h.mail.sendReminder(input)).status).toBe('queued');
      expect(await dispatcher.idle()).toMatchObject({ claimed: 1, transportDown: true });
      const waiting = await findOutboxMessage(h.db, input.key);
      expect(waiting).toMatchObject({ status: 'queued', attempts: 1, deferredSince: null });
      expect(waiting?.lastError).toMatch(/ECONNREFUSED/);

      // four days of outage later (past the 72 h window: an outage is not the recipient's fault)
      await relay.acceptConnections();
      expect(await dispatcher.idle(later(4 * 3600_000))).toMatchObject({ sent: 1, transportDown: false });
      expect(relay.messages).toHaveLength(1);
      expect(relay.messages[0]!.raw.toString('utf8')).toBe(waiting!.raw);
      expect((await h.mail.sendReminder(input)).status).toBe('already-sent');
    } finally {
      await dispatcher.stop();
      mailer.close();
      await relay.close();
    }
  });
});
