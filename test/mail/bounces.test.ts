import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBounces } from '../../activities/mail/activities';
import { findOutboxMessage } from '../../activities/mail/outbox';
import { CLOSES, CYCLE, mailHarness, PLAN_DUE, REPORT_DUE, STALE, STALE_EMAIL, type MailHarness } from './support/fixtures';

// A 5xx to RCPT TO is a bad address: it is not retried, it becomes a bounce on the unit and the secretariat
// (the officer of the cycle's root) is told.

const REFUSAL = '5.1.1 <hopthu-cu@aimo.edu.vn>: Recipient address rejected: User unknown';
const SECRETARIAT = 'tuyengiao@ldld-hn.vn';

let h: MailHarness;
beforeAll(async () => {
  h = await mailHarness({ refuse: (address) => (address === STALE_EMAIL ? REFUSAL : undefined) });
});
afterAll(async () => h.close());

const alerts = () => h.sink.messages.filter((m) => m.envelopeTo.includes(SECRETARIAT));

describe('permanent refusals', () => {
  it('a refused only recipient: bounced at the first attempt, recorded, the secretariat alerted', async () => {
    const key = `${CYCLE}/${STALE}:reminder:plan:1`;
    expect((await h.mail.sendReminder({ key, cycleId: CYCLE, unitId: STALE, phase: 'plan', dueAt: PLAN_DUE, reminderNumber: 1 })).status).toBe('queued');
    expect(await h.deliver()).toMatchObject({ bounced: 1, sent: 1 }); // the bounce, then the secretariat's alert
    expect(await findOutboxMessage(h.db, key)).toMatchObject({ status: 'bounced', accepted: [], rejected: [{ email: STALE_EMAIL }] });
    expect(h.sink.rcptAttempts.filter((a) => a === STALE_EMAIL)).toHaveLength(1);

    const bounces = await listBounces(h.db, CYCLE);
    expect(bounces).toEqual([
      { cycleId: CYCLE, unitId: STALE, email: STALE_EMAIL, reason: `550 ${REFUSAL}`, at: '2027-03-25T01:00:00.000Z', messageKey: `${CYCLE}/${STALE}:reminder:plan:1` },
    ]);

    expect(alerts()).toHaveLength(1);
    const alert = alerts()[0]!.parsed;
    expect(alert.subject).toBe(`Cảnh báo: thư gửi Công đoàn cơ sở Trường Tiểu học Ái Mộ không đến được ${STALE_EMAIL}`);
    expect(alert.text).toContain('Kính gửi: Ban Thường vụ Liên đoàn Lao động thành phố Hà Nội');
    expect(alert.text).toContain('«Đôn đốc nộp kế hoạch năm 2027 (lần 1) – hạn 31/03/2027»');
    expect(alert.text).toContain(`${STALE_EMAIL} | 550 ${REFUSAL}`);
    expect(alert.html).toContain('&lt;hopthu-cu@aimo.edu.vn&gt;');
  });

  it('a retry or replay of a bounced email sends nothing, asks nothing, alerts nobody again', async () => {
    const received = h.sink.messages.length;
    const asked = h.sink.rcptAttempts.length;
    const again = await h.mail.sendReminder({ key: `${CYCLE}/${STALE}:reminder:plan:1`, cycleId: CYCLE, unitId: STALE, phase: 'plan', dueAt: PLAN_DUE, reminderNumber: 1 });
    expect(again.status).toBe('bounced');
    expect((await h.deliver()).claimed).toBe(0);
    expect(h.sink.messages.length).toBe(received);
    expect(h.sink.rcptAttempts.length).toBe(asked);
    expect(await listBounces(h.db, CYCLE)).toHaveLength(1);
  });

  it('refused officer, accepted chair: sent to the chair, the officer recorded as a bounce', async () => {
    const result = await h.mail.sendTaskAssignment({
      key: `${CYCLE}/${STALE}:task`,
      cycleId: CYCLE,
      year: 2027,
      unitId: STALE,
      planDueAt: PLAN_DUE,
      reportDueAt: REPORT_DUE,
      closesAt: CLOSES,
    });
    expect(result.status).toBe('queued');
    await h.deliver();
    expect(await findOutboxMessage(h.db, `${CYCLE}/${STALE}:task`)).toMatchObject({ status: 'sent', accepted: ['hieutruong@aimo.edu.vn'], rejected: [{ email: STALE_EMAIL }] });
    expect(h.sink.messages.filter((m) => m.messageId === result.messageId).map((m) => m.envelopeTo)).toEqual([['hieutruong@aimo.edu.vn']]);
    expect((await listBounces(h.db, CYCLE)).map((b) => b.messageKey)).toEqual([`${CYCLE}/${STALE}:reminder:plan:1`, `${CYCLE}/${STALE}:task`]);
    expect(alerts()).toHaveLength(2);
    expect(alerts()[1]!.parsed.text).toContain('Giao nhiệm vụ xây dựng kế hoạch và báo cáo kết quả năm 2027');
  });

  it('bounces are per cycle', async () => {
    expect(await listBounces(h.db, 'cycle-2028-LDLD-HN')).toEqual([]);
  });
});
