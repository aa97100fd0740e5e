import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyUnitToken } from '../../activities/access/tokens';
import { createMailActivities, type QueuedMail } from '../../activities/mail/activities';
import { outboxMessageId } from '../../activities/mail/outbox';
import type { Aggregate } from '../../workflows/aggregate-types';
import {
  CANON,
  CLOSES,
  CYCLE,
  DISTRICT,
  HOSTILE,
  mailHarness,
  MAY,
  NOW,
  PLAN_DUE,
  PUBLIC_URL,
  REHEARSAL,
  REPORT_DUE,
  ROOT,
  SENDER_DOMAIN,
  ZONE,
  type MailHarness,
} from './support/fixtures';

// Every template, in Vietnamese and English, sent through the real activities to a real SMTP server and
// read back with mailparser.

let h: MailHarness;
beforeAll(async () => {
  h = await mailHarness();
});
afterAll(async () => h.close());

/** The one message the SMTP server received for `result`, once the dispatcher has delivered what is queued. */
async function received(result: QueuedMail, at?: Date): Promise<{ parsed: ParsedMail; raw: Buffer; envelopeTo: string[] }> {
  expect(result.status).toBe('queued');
  await h.deliver(at);
  const hits = h.sink.messages.filter((m) => m.messageId === result.messageId);
  expect(hits).toHaveLength(1);
  return hits[0]!;
}

const addresses = (a: ParsedMail['to']) => (a ? (Array.isArray(a) ? a : [a]).flatMap((x) => x.value.map((v) => v.address)) : []);

/** Header lines of the raw message: RFC 2047 encoded words only, no raw 8-bit bytes. */
function expectSevenBitHeaders(raw: Buffer) {
  const head = raw.subarray(0, raw.indexOf('\r\n\r\n'));
  expect([...head].every((b) => b < 128)).toBe(true);
  expect(head.toString('ascii')).toMatch(/^Subject: =\?UTF-8\?[QB]\?/m);
}

const task = (unitId: string, cycleId = CYCLE) => ({
  key: `${cycleId}/${unitId}:task`,
  cycleId,
  year: 2027,
  unitId,
  planDueAt: PLAN_DUE,
  reportDueAt: REPORT_DUE,
  closesAt: CLOSES,
});

describe('task assignment', () => {
  it('vi: administrative wording, local deadlines, officer with the chair in cc, a link that maps to the unit', async () => {
    const result = await h.mail.sendTaskAssignment(task(MAY));
    const { parsed, raw, envelopeTo } = await received(result);

    expect(parsed.subject).toBe('Giao nhiệm vụ xây dựng kế hoạch và báo cáo kết quả năm 2027 – Công đoàn cơ sở Công ty CP May Đức Giang');
    expectSevenBitHeaders(raw);
    expect(parsed.from?.value[0]).toEqual({ name: 'Ban Tuyên giáo – LĐLĐ Hà Nội', address: `baocao@${SENDER_DOMAIN}` });
    expect(parsed.to && !Array.isArray(parsed.to) && parsed.to.value[0]).toEqual({ name: 'Vũ Đình Trọng', address: 'congdoan@may-ducgiang.vn' });
    expect(addresses(parsed.cc)).toEqual(['chutich@may-ducgiang.vn']);
    expect(addresses(parsed.replyTo)).toEqual([`tuyengiao@${SENDER_DOMAIN}`]);
    expect(envelopeTo).toEqual(['congdoan@may-ducgiang.vn', 'chutich@may-ducgiang.vn']);
    expect(parsed.messageId).toBe(outboxMessageId(`${CYCLE}/${MAY}:task`, SENDER_DOMAIN));
    expect(parsed.messageId).toMatch(/^<[0-9a-f]{32}@ldld-hn\.vn>$/);
    expect(parsed.date?.toISOString()).toBe(NOW.toISOString());
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');

    const text = parsed.text ?? '';
    expect(text).toContain('Kính gửi: Ban Thường vụ Công đoàn cơ sở Công ty CP May Đức Giang');
    expect(text).toContain('đề nghị đồng chí Vũ Đình Trọng tham mưu Ban Thường vụ xây dựng kế hoạch năm 2027');
    expect(text).toContain('Hạn nộp kế hoạch: Thứ Tư, 31/03/2027 23:59');
    expect(text).toContain('Hạn nộp báo cáo kết quả: Thứ Ba, 30/11/2027 23:59');
    expect(text).toContain('Đường liên kết có hiệu lực đến: Thứ Sáu, 31/12/2027 23:59');
    expect(text).toContain('Trân trọng./');

    const link = new RegExp(`${PUBLIC_URL}/t/([A-Za-z0-9_-]{43})`).exec(text);
    expect(link).not.toBeNull();
    const token = link![1]!;
    expect(parsed.html).toContain(`href="${PUBLIC_URL}/t/${token}"`);
    expect(parsed.html).toContain('<html lang="vi">');
    await expect(verifyUnitToken(h.db, token, NOW)).resolves.toEqual({ cycleId: CYCLE, unitId: MAY });
    // the link stops working when the cycle closes
    await expect(verifyUnitToken(h.db, token, CLOSES)).rejects.toMatchObject({ code: 'InvalidUnitTokenError', reason: 'expired' });
  });

  it('a replayed task email sends nothing and mints no second token', async () => {
    const before = h.sink.messages.length;
    const again = await h.mail.sendTaskAssignment(task(MAY));
    expect(again.status).toBe('already-sent');
    await h.deliver();
    expect(h.sink.messages.length).toBe(before);
    const tokens = await h.db.selectFrom('access_tokens').select('unit_id').where('unit_id', '=', MAY).execute();
    expect(tokens).toHaveLength(1);
  });

  it('en: English wording for an English-speaking unit, dates still in Hanoi time', async () => {
    const { parsed } = await received(await h.mail.sendTaskAssignment(task(CANON)));
    expect(parsed.subject).toBe('Task: 2027 plan and results report – Công đoàn cơ sở Công ty TNHH Canon Việt Nam');
    const text = parsed.text ?? '';
    expect(text).toContain('To: the Standing Committee of Công đoàn cơ sở Công ty TNHH Canon Việt Nam');
    expect(text).toContain('Bùi Thị Lan, please prepare');
    expect(text).toContain('Plan deadline: Wednesday, 31/03/2027 23:59 (Vietnam time)');
    expect(text).toContain('Report deadline: Tuesday, 30/11/2027 23:59 (Vietnam time)');
    expect(parsed.html).toContain('<html lang="en">');
    const token = /\/t\/([A-Za-z0-9_-]{43})/.exec(text)![1]!;
    await expect(verifyUnitToken(h.db, token, NOW)).resolves.toEqual({ cycleId: CYCLE, unitId: CANON });
  });

  it('escapes hostile unit and contact names in the HTML, keeps them verbatim in the text', async () => {
    const { parsed } = await received(await h.mail.sendTaskAssignment(task(HOSTILE)));
    const html = parsed.html as string;
    expect(html).toContain('Công đoàn cơ sở &lt;img src=x onerror=alert(1)&gt; &amp; &quot;Ánh Sáng&quot;');
    expect(html).toContain('Cán bộ &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script|<img|<b>/i);
    expect(parsed.text).toContain('Cán bộ <script>alert(1)</script>');
    expect(parsed.subject).toContain('<img src=x onerror=alert(1)> & "Ánh Sáng"');
  });

  it('a rehearsal says so first in the subject, in both languages', async () => {
    const vi = await received(await h.mail.sendTaskAssignment(task(MAY, REHEARSAL)));
    expect(vi.parsed.subject).toBe('[DIỄN TẬP] Giao nhiệm vụ xây dựng kế hoạch và báo cáo kết quả năm 2027 – Công đoàn cơ sở Công ty CP May Đức Giang');
    const en = await received(await h.mail.sendReminder({ key: `${REHEARSAL}/${CANON}:reminder:plan:1`, cycleId: REHEARSAL, unitId: CANON, phase: 'plan', dueAt: PLAN_DUE, reminderNumber: 1 }));
    expect(en.parsed.subject).toBe('[REHEARSAL] Reminder 1: 2027 yearly plan due 31/03/2027');
  });
});

describe('reminder', () => {
  it('vi: phase, deadline, time left, reminder number; officer only', async () => {
    const result = await h.mail.sendReminder({ key: `${CYCLE}/${MAY}:reminder:plan:2`, cycleId: CYCLE, unitId: MAY, phase: 'plan', dueAt: PLAN_DUE, reminderNumber: 2 });
    const { parsed, envelopeTo } = await received(result);
    expect(parsed.subject).toBe('Đôn đốc nộp kế hoạch năm 2027 (lần 2) – hạn 31/03/2027');
    expect(envelopeTo).toEqual(['congdoan@may-ducgiang.vn']);
    const text = parsed.text ?? '';
    expect(text).toContain('Đến Thứ Năm, 25/03/2027 08:00, Công đoàn cơ sở Công ty CP May Đức Giang chưa nộp kế hoạch năm 2027.');
    expect(text).toContain('Hạn nộp kế hoạch: Thứ Tư, 31/03/2027 23:59');
    expect(text).toContain('Thời gian còn lại: còn 6 ngày 15 giờ');
    expect(text).toContain('Thư đôn đốc: lần thứ 2');
  });

  it('en: the results report', async () => {
    const result = await h.mail.sendReminder({ key: `${CYCLE}/${CANON}:reminder:report:1`, cycleId: CYCLE, unitId: CANON, phase: 'report', dueAt: REPORT_DUE, reminderNumber: 1 });
    const { parsed } = await received(result);
    expect(parsed.subject).toBe('Reminder 1: 2027 yearly results report due 30/11/2027');
    expect(parsed.text).toContain('Report deadline: Tuesday, 30/11/2027 23:59 (Vietnam time)');
    expect(parsed.text).toContain('Time left: 250 days 15 hours');
  });
});

describe('notices after the deadline', () => {
  // Saturday 03/04/2027 09:00 in Hanoi
  const LATER = new Date('2027-04-03T02:00:00.000Z');
  const later = () => createMailActivities({ db: h.db, config: h.config, now: () => LATER });

  it('overdue notice, vi: days overdue, chair in cc', async () => {
    const result = await later().sendOverdueNotice({ key: `${CYCLE}/${MAY}:overdue:plan`, cycleId: CYCLE, unitId: MAY, phase: 'plan', dueAt: PLAN_DUE });
    const { parsed, envelopeTo } = await received(result, LATER);
    expect(parsed.subject).toBe('Thông báo quá hạn nộp kế hoạch năm 2027 – Công đoàn cơ sở Công ty CP May Đức Giang');
    expect(envelopeTo).toEqual(['congdoan@may-ducgiang.vn', 'chutich@may-ducgiang.vn']);
    expect(parsed.text).toContain('Đã hết hạn nộp kế hoạch năm 2027 nhưng Công đoàn cơ sở Công ty CP May Đức Giang chưa nộp.');
    expect(parsed.text).toContain('Số ngày quá hạn: 3');
    expect(parsed.text).toContain('Đề nghị đồng chí Vũ Đình Trọng khẩn trương hoàn thành');
  });

  it('overdue notice, en', async () => {
    const { parsed } = await received(await later().sendOverdueNotice({ key: `${CYCLE}/${CANON}:overdue:plan`, cycleId: CYCLE, unitId: CANON, phase: 'plan', dueAt: PLAN_DUE }), LATER);
    expect(parsed.subject).toBe('Overdue: 2027 yearly plan – Công đoàn cơ sở Công ty TNHH Canon Việt Nam');
    expect(parsed.text).toContain('Days overdue: 3');
  });

  it('escalation digest, vi: one email to the supervisor listing all its overdue units', async () => {
    const result = await h.mail.sendEscalationDigest({
      key: `${CYCLE}/${DISTRICT}:escalation:plan:2`,
      cycleId: CYCLE,
      supervisorUnitId: DISTRICT,
      recipientUnitId: DISTRICT,
      climbed: false,
      phase: 'plan',
      round: 2,
      // Monday 05/04/2027 08:00 in Hanoi
      asOf: '2027-04-05T01:00:00.000Z',
      units: [
        { unitId: HOSTILE, dueAt: '2027-04-01T16:59:59.000Z', remindersSent: 1 },
        { unitId: MAY, dueAt: PLAN_DUE, remindersSent: 3 },
      ],
    });
    const { parsed, envelopeTo } = await received(result);
    expect(parsed.subject).toBe('Danh sách đơn vị quá hạn nộp kế hoạch năm 2027 – đợt 2 (2 đơn vị)');
    expect(envelopeTo).toEqual(['tuyengiao@ldld-longbien.vn']);
    const text = parsed.text ?? '';
    expect(text).toContain('Kính gửi: Ban Thường vụ Liên đoàn Lao động quận Long Biên');
    expect(text).toContain('Tính đến Thứ Hai, 05/04/2027 08:00, 2 đơn vị trực thuộc chưa nộp kế hoạch năm 2027');
    expect(text).toContain('STT | Đơn vị | Hạn nộp | Quá hạn | Số lần đã đôn đốc');
    // longest overdue first
    expect(text).toContain('1 | Công đoàn cơ sở Công ty CP May Đức Giang | Thứ Tư, 31/03/2027 23:59 | 5 ngày | 3');
    expect(text).toContain('2 | Công đoàn cơ sở <img src=x onerror=alert(1)> & "Ánh Sáng" | Thứ Năm, 01/04/2027 23:59 | 4 ngày | 1');
    expect(text).toContain('Đề nghị đồng chí Đỗ Văn Quyết chỉ đạo, đôn đốc');
    expect(parsed.html).not.toMatch(/<img|<script/i);
  });

  it('escalation digest that climbed: to the level above, its chair in cc, naming the supervisor', async () => {
    const result = await h.mail.sendEscalationDigest({
      key: `${CYCLE}/${DISTRICT}:escalation:plan:5:grandparent`,
      cycleId: CYCLE,
      supervisorUnitId: DISTRICT,
      recipientUnitId: ROOT,
      climbed: true,
      phase: 'plan',
      round: 5,
      asOf: '2027-04-14T01:00:00.000Z',
      units: [{ unitId: MAY, dueAt: PLAN_DUE, remindersSent: 3 }],
    });
    const { parsed, envelopeTo } = await received(result);
    expect(envelopeTo).toEqual(['tuyengiao@ldld-hn.vn', 'chutich@ldld-hn.vn']);
    expect(parsed.subject).toBe('Danh sách đơn vị quá hạn nộp kế hoạch năm 2027 – đợt 5 (1 đơn vị) – Liên đoàn Lao động quận Long Biên');
    expect(parsed.text).toContain('1 đơn vị trực thuộc Liên đoàn Lao động quận Long Biên vẫn chưa nộp kế hoạch năm 2027');
    expect(parsed.text).toContain('Đề nghị Ban Thường vụ chỉ đạo Liên đoàn Lao động quận Long Biên đôn đốc');
  });

  it('escalation digest, en', async () => {
    const { parsed } = await received(
      await h.mail.sendEscalationDigest({
        key: `${CYCLE}/${ZONE}:escalation:report:1`,
        cycleId: CYCLE,
        supervisorUnitId: ZONE,
        recipientUnitId: ZONE,
        climbed: false,
        phase: 'report',
        round: 1,
        asOf: '2027-12-02T01:00:00.000Z',
        units: [{ unitId: CANON, dueAt: REPORT_DUE, remindersSent: 2 }],
      }),
    );
    expect(parsed.subject).toBe('Overdue 2027 yearly results report: round 1 (1 unit)');
    expect(parsed.text).toContain('No. | Unit | Deadline | Overdue by | Reminders sent');
    expect(parsed.text).toContain('1 | Công đoàn cơ sở Công ty TNHH Canon Việt Nam | Tuesday, 30/11/2027 23:59 (Vietnam time) | 2 days | 2');
    expect(parsed.text).toContain('Mai Thị Phương, please follow up');
  });

  it('late submission notice to the supervisor, vi and en', async () => {
    const vi = await received(
      await h.mail.sendLateSubmissionNotice({
        key: `${CYCLE}/${MAY}:late:plan`,
        cycleId: CYCLE,
        unitId: MAY,
        supervisorUnitId: DISTRICT,
        phase: 'plan',
        dueAt: PLAN_DUE,
        submittedAt: '2027-04-02T03:30:00.000Z',
      }),
    );
    expect(vi.envelopeTo).toEqual(['tuyengiao@ldld-longbien.vn']);
    expect(vi.parsed.subject).toBe('Công đoàn cơ sở Công ty CP May Đức Giang đã nộp kế hoạch năm 2027 chậm hạn');
    expect(vi.parsed.text).toContain('Công đoàn cơ sở Công ty CP May Đức Giang đã nộp kế hoạch năm 2027, chậm 2 ngày so với hạn nộp.');
    expect(vi.parsed.text).toContain('Thời điểm nộp: Thứ Sáu, 02/04/2027 10:30');

    const en = await received(
      await h.mail.sendLateSubmissionNotice({
        key: `${CYCLE}/${CANON}:late:report`,
        cycleId: CYCLE,
        unitId: CANON,
        supervisorUnitId: ZONE,
        phase: 'report',
        dueAt: REPORT_DUE,
        // 40 minutes after the deadline, same night
        submittedAt: '2027-11-30T17:39:59.000Z',
      }),
    );
    expect(en.parsed.subject).toBe('Late submission: Công đoàn cơ sở Công ty TNHH Canon Việt Nam – 2027 yearly results report');
    // past midnight in Hanoi: the next calendar day
    expect(en.parsed.text).toContain('has submitted its 2027 yearly results report, 1 day after the deadline.');
  });
});

describe('review result', () => {
  const hostile = '<script>alert("x")</script> Đề nghị bổ sung số liệu mục 2.1 & 2.4\nvà nêu rõ "mô hình điển hình".';

  it('returned, vi: the reviewer comment is escaped in HTML and verbatim in text', async () => {
    const result = await h.mail.sendReviewResult({ key: `${CYCLE}/${MAY}:review:report:1`, cycleId: CYCLE, unitId: MAY, phase: 'report', decision: 'returned', comment: hostile });
    const { parsed } = await received(result);
    expect(parsed.subject).toBe('Đề nghị bổ sung, hoàn thiện báo cáo kết quả năm 2027 – Công đoàn cơ sở Công ty CP May Đức Giang');
    const html = parsed.html as string;
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Đề nghị bổ sung số liệu mục 2.1 &amp; 2.4\nvà nêu rõ &quot;mô hình điển hình&quot;.');
    expect(parsed.text).toContain('> <script>alert("x")</script> Đề nghị bổ sung số liệu mục 2.1 & 2.4\n> và nêu rõ "mô hình điển hình".');
    expect(parsed.text).toContain('Đề nghị đồng chí Vũ Đình Trọng chỉnh sửa và nộp lại.');
  });

  it('accepted, en', async () => {
    const { parsed } = await received(
      await h.mail.sendReviewResult({ key: `${CYCLE}/${CANON}:review:plan:1`, cycleId: CYCLE, unitId: CANON, phase: 'plan', decision: 'accepted', comment: '' }),
    );
    expect(parsed.subject).toBe('Accepted: 2027 yearly plan – Công đoàn cơ sở Công ty TNHH Canon Việt Nam');
    expect(parsed.text).toContain('The 2027 yearly plan of Công đoàn cơ sở Công ty TNHH Canon Việt Nam has been reviewed and accepted.');
    expect(parsed.text).not.toContain("reviewer's comment");
  });
});

describe('aggregate sent upward', () => {
  const list = (ids: string[], total = ids.length) => ({ ids, total });
  const aggregate = (unitId: string): Aggregate => ({
    cycleId: CYCLE,
    unitId,
    asOf: '2027-12-01T03:00:00.000Z',
    below: {
      plan: { expected: 3, submittedOnTime: list([MAY]), submittedLate: list([HOSTILE]), notSubmitted: list([]), overdue: list([]) },
      report: { expected: 1250, submittedOnTime: list([MAY], 1000), submittedLate: list([], 93), notSubmitted: list([HOSTILE], 157), overdue: list([HOSTILE], 157) },
      figures: { studyClasses: 1234, participants: 56789, exemplaryModels: 12, exemplaryPeople: 3 },
      commendations: {
        items: [
          { kind: 'collective', name: 'Tổ may số 3', reason: 'Dẫn đầu phong trào thi đua <b>"Lao động giỏi"</b>', unitId: MAY },
          { kind: 'individual', name: 'Nguyễn Văn Bình', reason: 'Tích cực tuyên truyền', unitId: HOSTILE },
        ],
        total: 5,
      },
    },
    rates: { plan: { completeness: 66.7, timeliness: 33.3 }, report: { completeness: 87.4, timeliness: 80 } },
    totalFigures: { studyClasses: 1240, participants: 57000, exemplaryModels: 13, exemplaryPeople: 3 },
  });

  it('vi, final: to the distribution list with the officer in cc; rates, figures, lists by name, commendations', async () => {
    const result = await h.mail.sendAggregateUpward({ key: `${CYCLE}/${DISTRICT}:upward:final`, cycleId: CYCLE, aggregate: aggregate(DISTRICT), final: true });
    const { parsed, envelopeTo } = await received(result);
    expect(envelopeTo).toEqual(['tonghop@ldld-hn.vn', 'vanphong@quanuy-longbien.vn', 'tuyengiao@ldld-longbien.vn']);
    expect(addresses(parsed.cc)).toEqual(['tuyengiao@ldld-longbien.vn']);
    expect(parsed.subject).toBe('Báo cáo tổng hợp kết quả năm 2027 – Liên đoàn Lao động quận Long Biên (chính thức)');
    const text = parsed.text ?? '';
    expect(text).toContain('Kính gửi: Liên đoàn Lao động thành phố Hà Nội; Quận ủy Long Biên');
    expect(text).toContain('Kế hoạch năm 2027 | 3 | 1 | 1 | 0 | 66,7% | 33,3%');
    expect(text).toContain('Báo cáo kết quả năm 2027 | 1.250 | 1.000 | 93 | 157 | 87,4% | 80%');
    expect(text).toContain('Số lớp học tập, quán triệt | 1.234 | 1.240');
    expect(text).toContain('Số lượt người tham gia | 56.789 | 57.000');
    expect(text).toContain('Nộp đúng hạn (1.000):\n\n- Công đoàn cơ sở Công ty CP May Đức Giang\n- … và 999 đơn vị khác');
    expect(text).toContain('Không nộp (157):');
    expect(text).toContain('1 | Tập thể | Tổ may số 3 | Dẫn đầu phong trào thi đua <b>"Lao động giỏi"</b> | Công đoàn cơ sở Công ty CP May Đức Giang');
    expect(text).toContain('… và 3 đề xuất khác.');
    expect(text).toContain('Nơi nhận:\n- Liên đoàn Lao động thành phố Hà Nội;\n- Quận ủy Long Biên;\n- Lưu: Ban Tuyên giáo.');
    const html = parsed.html as string;
    expect(html).toContain('Dẫn đầu phong trào thi đua &lt;b&gt;&quot;Lao động giỏi&quot;&lt;/b&gt;');
    expect(html).not.toMatch(/<b>|<img|<script/i);
  });

  it('en, provisional, with an attachment whose name has diacritics', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% Báo cáo tổng hợp\n%%EOF\n', 'utf8');
    const result = await h.mail.sendAggregateUpward({
      key: `${CYCLE}/${ZONE}:upward:v1`,
      cycleId: CYCLE,
      aggregate: aggregate(ZONE),
      final: false,
      attachments: [{ filename: 'Báo cáo tổng hợp năm 2027.pdf', contentBase64: pdf.toString('base64'), contentType: 'application/pdf' }],
    });
    const { parsed, envelopeTo } = await received(result);
    expect(envelopeTo).toEqual(['tonghop@ldld-hn.vn', 'office@kcn-thanglong.example']);
    expect(parsed.subject).toBe('Aggregate report 2027 – Công đoàn các Khu công nghiệp Thăng Long (provisional)');
    expect(parsed.text).toContain('2027 yearly results report | 1,250 | 1,000 | 93 | 157 | 87.4% | 80%');
    expect(parsed.text).toContain('Not submitted yet (157):');
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]!.filename).toBe('Báo cáo tổng hợp năm 2027.pdf');
    expect(parsed.attachments[0]!.contentType).toBe('application/pdf');
    expect(parsed.attachments[0]!.content.equals(pdf)).toBe(true);
  });

  it('refuses an aggregate of another cycle without sending', async () => {
    const before = h.sink.messages.length;
    await expect(
      h.mail.sendAggregateUpward({ key: 'x', cycleId: 'cycle-2028-LDLD-HN', aggregate: aggregate(DISTRICT), final: true }),
    ).rejects.toMatchObject({ code: 'MailInputError' });
    expect(h.sink.messages.length).toBe(before);
  });
});

describe('input errors', () => {
  it('an unknown unit is a MailInputError (not retryable) and leaves no outbox row', async () => {
    await expect(
      h.mail.sendReminder({ key: 'k-unknown', cycleId: CYCLE, unitId: 'CDCS-9999', phase: 'plan', dueAt: PLAN_DUE, reminderNumber: 1 }),
    ).rejects.toMatchObject({ code: 'MailInputError', name: 'MailInputError' });
    expect(await h.db.selectFrom('mail_outbox').select('key').where('key', '=', 'k-unknown').executeTakeFirst()).toBeUndefined();
  });

  it('a malformed input says which field', async () => {
    await expect(
      h.mail.sendReminder({ key: 'k-bad', cycleId: 'not-a-cycle', unitId: MAY, phase: 'plan', dueAt: 'tomorrow', reminderNumber: 1 }),
    ).rejects.toThrow(/cycleId[\s\S]*dueAt|dueAt[\s\S]*cycleId/);
  });
});

describe("a rehearsal's emails tell the rehearsal's time", () => {
  // the rehearsal runs in December 2026 (the wall clock); its calendar is 2027, passed as `asOf` by the workflow
  const WALL = new Date('2026-12-01T03:00:00.000Z');
  const rehearsal = () => createMailActivities({ db: h.db, config: h.config, now: () => WALL });

  it('a reminder before the deadline counts the time left from the calendar instant, word for word', async () => {
    const result = await rehearsal().sendReminder({
      key: `${REHEARSAL}/${MAY}:reminder:plan:3`,
      cycleId: REHEARSAL,
      unitId: MAY,
      phase: 'plan',
      dueAt: PLAN_DUE,
      reminderNumber: 3,
      // Monday 29/03/2027 08:00 in Hanoi
      asOf: '2027-03-29T01:00:00.000Z',
    });
    const { parsed } = await received(result, WALL);
    expect(parsed.subject).toBe('[DIỄN TẬP] Đôn đốc nộp kế hoạch năm 2027 (lần 3) – hạn 31/03/2027');
    expect(withoutTokens(parsed.text)).toBe(REMINDER_TEXT);
  });

  it('an overdue notice counts the days overdue from the calendar instant, word for word', async () => {
    const result = await rehearsal().sendOverdueNotice({
      key: `${REHEARSAL}/${MAY}:overdue:plan`,
      cycleId: REHEARSAL,
      unitId: MAY,
      phase: 'plan',
      dueAt: PLAN_DUE,
      // Monday 05/04/2027 08:00 in Hanoi
      asOf: '2027-04-05T01:00:00.000Z',
    });
    const { parsed } = await received(result, WALL);
    expect(parsed.subject).toBe('[DIỄN TẬP] Thông báo quá hạn nộp kế hoạch năm 2027 – Công đoàn cơ sở Công ty CP May Đức Giang');
    expect(withoutTokens(parsed.text)).toBe(OVERDUE_TEXT);
  });
});

/** each email mints its own document-link token: the word-for-word texts name it <token> */
const withoutTokens = (text: string | false | undefined) => String(text).replace(/\/t\/[A-Za-z0-9_-]{43}\//g, '/t/<token>/');
const REMINDER_TEXT = [
  'Kính gửi: Ban Thường vụ Công đoàn cơ sở Công ty CP May Đức Giang',
  '',
  'Đến Thứ Hai, 29/03/2027 08:00, Công đoàn cơ sở Công ty CP May Đức Giang chưa nộp kế hoạch năm 2027. Đề nghị đồng chí Vũ Đình Trọng khẩn trương hoàn thành và nộp đúng hạn.',
  '',
  '- Hạn nộp kế hoạch: Thứ Tư, 31/03/2027 23:59',
  '- Thời gian còn lại: còn 2 ngày 15 giờ',
  '- Thư đôn đốc: lần thứ 3',
  '',
  'Đồng chí sử dụng đường liên kết riêng của đơn vị trong thư giao nhiệm vụ để nộp. Nếu đơn vị đã nộp, đề nghị bỏ qua thư này.',
  '',
  'Xem văn bản chỉ đạo của kỳ báo cáo <https://baocao.ldld-hn.vn/t/<token>/document>',
  '',
  'Trân trọng./',
  '',
  '--',
  '',
  'Thư này được gửi tự động từ hệ thống theo dõi kế hoạch, báo cáo (baocao). Đồng chí có thể trả lời thư này để liên hệ Ban Tuyên giáo.',
  '',
].join('\n');
const OVERDUE_TEXT = [
  'Kính gửi: Ban Thường vụ Công đoàn cơ sở Công ty CP May Đức Giang',
  '',
  'Đã hết hạn nộp kế hoạch năm 2027 nhưng Công đoàn cơ sở Công ty CP May Đức Giang chưa nộp. Danh sách đơn vị quá hạn được gửi đến cấp trên trực tiếp.',
  '',
  '- Hạn nộp kế hoạch: Thứ Tư, 31/03/2027 23:59',
  '- Số ngày quá hạn: 5',
  '',
  'Đề nghị đồng chí Vũ Đình Trọng khẩn trương hoàn thành và nộp kế hoạch năm 2027. Đồng chí sử dụng đường liên kết riêng của đơn vị trong thư giao nhiệm vụ để nộp.',
  '',
  'Xem văn bản chỉ đạo của kỳ báo cáo <https://baocao.ldld-hn.vn/t/<token>/document>',
  '',
  'Trân trọng./',
  '',
  '--',
  '',
  'Thư này được gửi tự động từ hệ thống theo dõi kế hoạch, báo cáo (baocao). Đồng chí có thể trả lời thư này để liên hệ Ban Tuyên giáo.',
  '',
].join('\n');
