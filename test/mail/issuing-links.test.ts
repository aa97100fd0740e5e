// Task and reminder emails point to the cycle's issuing document, one click away, and never attach its files:
// the task email under the unit's own link, a reminder or overdue notice through a read-only link of its own
// (the task token is stored hashed, so a reminder cannot repeat it). Both tokens leave the stored copy once the
// email is settled. The task email names the cycle by its document's title; the phase is named as the
// campaign names it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDocumentAccess } from '../../activities/access/document-links';
import { verifyUnitToken } from '../../activities/access/tokens';
import { insertFile } from '../../activities/files/repository';
import { setIssuingFacts } from '../../activities/files/issuing-document';
import { findOutboxMessage } from '../../activities/mail/outbox';
import { REDACTED_TOKEN } from '../../activities/mail/redact';
import { CANON, CLOSES, CYCLE, DISTRICT, mailHarness, MAY, NOW, PLAN_DUE, PUBLIC_URL, REPORT_DUE, ROOT, type MailHarness } from './support/fixtures';

let h: MailHarness;
const TITLE = 'Kế hoạch tuyên truyền, học tập Nghị quyết Đại hội Công đoàn năm 2027';

beforeAll(async () => {
  h = await mailHarness();
  await setIssuingFacts(h.db, CYCLE, { number: '18/KH-LĐLĐ', title: TITLE, signer: 'TM. BAN THƯỜNG VỤ – CHỦ TỊCH Nguyễn Văn Bình' }, 'secretariat@ldld-hn.vn', NOW);
  for (const [i, name] of ['Kế hoạch 18 – bản ký.pdf', 'Phụ lục.docx'].entries())
    await insertFile(h.db, {
      id: `issuing-file-000000000${i}`,
      sha256: String(i).repeat(64),
      size: 1000,
      mediaType: 'application/pdf',
      name,
      ownerKind: 'issuing-document',
      cycleId: CYCLE,
      unitId: null,
      phase: null,
      campaignId: null,
      uploadedBy: 'secretariat@ldld-hn.vn',
      uploadedAt: NOW.toISOString(),
    });
});
afterAll(async () => h.close());

async function delivered(messageId: string) {
  await h.deliver();
  const hits = h.sink.messages.filter((m) => m.messageId === messageId);
  expect(hits).toHaveLength(1);
  return hits[0]!;
}

describe('the task email', () => {
  it('names the document, links to its page under the unit’s own link, attaches nothing', async () => {
    const result = await h.mail.sendTaskAssignment({ key: `${CYCLE}/${MAY}:task`, cycleId: CYCLE, year: 2027, unitId: MAY, planDueAt: PLAN_DUE, reportDueAt: REPORT_DUE, closesAt: CLOSES });
    const { parsed } = await delivered(result.messageId);
    expect(parsed.subject).toBe(`Giao nhiệm vụ: ${TITLE} – Công đoàn cơ sở Công ty CP May Đức Giang`);
    const text = parsed.text ?? '';
    expect(text).toContain(`Thực hiện kế hoạch tuyên truyền, học tập Nghị quyết Đại hội Công đoàn năm 2027 (kỳ báo cáo năm 2027), đề nghị đồng chí`);
    const m = new RegExp(`Văn bản chỉ đạo: Số 18/KH-LĐLĐ – ${TITLE}\\. Xem văn bản chỉ đạo và 2 tệp đính kèm \\(bản có chữ ký, đóng dấu\\) <${PUBLIC_URL}/t/([A-Za-z0-9_-]{43})/document>`).exec(text);
    expect(m).not.toBeNull();
    const token = m![1]!;
    expect(parsed.html).toContain(`href="${PUBLIC_URL}/t/${token}/document"`);
    expect(parsed.attachments).toEqual([]);
    // the same token as the task link: the document page takes it
    await expect(verifyUnitToken(h.db, token, NOW)).resolves.toEqual({ cycleId: CYCLE, unitId: MAY });
    await expect(verifyDocumentAccess(h.db, token, NOW)).resolves.toEqual({ cycleId: CYCLE, unitId: MAY, via: 'task' });
  });

  it('in English too', async () => {
    const result = await h.mail.sendTaskAssignment({ key: `${CYCLE}/${CANON}:task`, cycleId: CYCLE, year: 2027, unitId: CANON, planDueAt: PLAN_DUE, reportDueAt: REPORT_DUE, closesAt: CLOSES });
    const { parsed } = await delivered(result.messageId);
    expect(parsed.subject).toBe(`Task: ${TITLE} – Công đoàn cơ sở Công ty TNHH Canon Việt Nam`);
    expect(parsed.text).toMatch(new RegExp(`Issuing document: No\\. 18/KH-LĐLĐ – ${TITLE}\\. Open the issuing document and its 2 attached files \\(the signed copy\\) <${PUBLIC_URL}/t/[A-Za-z0-9_-]{43}/document>`));
  });
});

describe('reminders and overdue notices', () => {
  it('carry a read-only document link of their own, which the task page refuses and the stored copy loses once sent', async () => {
    const result = await h.mail.sendReminder({ key: `${CYCLE}/${MAY}:reminder:plan:1`, cycleId: CYCLE, unitId: MAY, phase: 'plan', dueAt: PLAN_DUE, reminderNumber: 1, asOf: NOW.toISOString() });
    const { parsed } = await delivered(result.messageId);
    expect(parsed.subject).toBe('Đôn đốc nộp kế hoạch năm 2027 (lần 1) – hạn 31/03/2027');
    expect(parsed.attachments).toEqual([]);
    const token = new RegExp(`<${PUBLIC_URL}/t/([A-Za-z0-9_-]{43})/document>`).exec(parsed.text ?? '')![1]!;
    expect(parsed.text).toContain(`Văn bản chỉ đạo: Số 18/KH-LĐLĐ – ${TITLE}. Xem văn bản chỉ đạo và 2 tệp đính kèm`);
    await expect(verifyDocumentAccess(h.db, token, NOW)).resolves.toEqual({ cycleId: CYCLE, unitId: MAY, via: 'document' });
    // it opens the document, not the task: submitting needs the task email's link
    await expect(verifyUnitToken(h.db, token, NOW)).rejects.toMatchObject({ reason: 'unknown' });
    // it lives as long as the unit's task link (minted by the task email above)
    await expect(verifyDocumentAccess(h.db, token, new Date(CLOSES))).rejects.toMatchObject({ reason: 'expired' });
    const row = await findOutboxMessage(h.db, `${CYCLE}/${MAY}:reminder:plan:1`);
    expect(row!.raw).not.toContain(token);
    expect(row!.raw).toContain(`/t/${REDACTED_TOKEN}/document`);
  });

  it('an overdue notice in English links to the document the same way', async () => {
    const result = await h.mail.sendOverdueNotice({ key: `${CYCLE}/${CANON}:overdue:report`, cycleId: CYCLE, unitId: CANON, phase: 'report', dueAt: REPORT_DUE, asOf: '2027-12-05T01:00:00.000Z' });
    const { parsed } = await delivered(result.messageId);
    expect(parsed.subject).toBe('Overdue: 2027 yearly results report – Công đoàn cơ sở Công ty TNHH Canon Việt Nam');
    const token = /\/t\/([A-Za-z0-9_-]{43})\/document>/.exec(parsed.text ?? '')![1]!;
    await expect(verifyDocumentAccess(h.db, token, NOW)).resolves.toMatchObject({ unitId: CANON, via: 'document' });
  });

  it('a digest names the phase as the built-in campaign does', async () => {
    const result = await h.mail.sendEscalationDigest({
      key: `${CYCLE}/${DISTRICT}:digest:report:1`,
      cycleId: CYCLE,
      supervisorUnitId: ROOT,
      recipientUnitId: ROOT,
      climbed: false,
      phase: 'report',
      round: 1,
      units: [{ unitId: DISTRICT, dueAt: REPORT_DUE, remindersSent: 2 }],
      asOf: '2027-12-03T01:00:00.000Z',
    });
    const { parsed } = await delivered(result.messageId);
    expect(parsed.subject).toBe('Danh sách đơn vị quá hạn nộp báo cáo kết quả năm 2027 – đợt 1 (1 đơn vị)');
  });
});
