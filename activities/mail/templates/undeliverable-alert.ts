import type { Language } from '../../directory/types';
import { renderMail, type RenderedMail } from './blocks';
import { closing, cycleContext, footer, salutation, subjectLine } from './common';
import { formatDateTime } from './format';

export interface UndeliverableAlertData {
  lang: Language;
  cycleId: string;
  /** the secretariat's unit (the cycle's root) */
  rootName: string;
  /** the unit whose addresses kept deferring */
  unitName: string;
  unitId: string;
  /** subject of the email that did not arrive */
  originalSubject: string;
  /** the addresses that never accepted it, with their server's last reply */
  deferrals: { email: string; reason: string }[];
  /** when the email was first deferred, and when it was given up */
  since: string;
  at: string;
  /** the retry window, in hours, as configured (MAIL_RETRY_WINDOW) */
  windowHours: number;
}

/** The secretariat is told once that an email could not be delivered within the retry window. */
export function renderUndeliverableAlert(d: UndeliverableAlertData): RenderedMail {
  const cycle = cycleContext(d.cycleId);
  const { lang } = d;
  const vi = lang === 'vi';
  const emails = d.deferrals.map((b) => b.email).join(', ');
  const hours = new Intl.NumberFormat(vi ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 }).format(d.windowHours);
  return renderMail({
    lang,
    subject: subjectLine(lang, cycle, vi ? `Cảnh báo: không gửi được thư tới ${d.unitName} (${emails})` : `Undeliverable after retrying: email to ${d.unitName} (${emails})`),
    salutation: salutation(lang, d.rootName),
    blocks: [
      {
        kind: 'paragraph',
        content: vi
          ? [
              `Từ ${formatDateTime(d.since, lang)} đến ${formatDateTime(d.at, lang)} (${hours} giờ), máy chủ thư của người nhận liên tục tạm từ chối thư «${d.originalSubject}» gửi `,
              { strong: `${d.unitName} (${d.unitId})` },
              ':',
            ]
          : [
              `From ${formatDateTime(d.since, lang)} to ${formatDateTime(d.at, lang)} (${hours} hours) the recipient's mail server kept deferring the email “${d.originalSubject}” to `,
              { strong: `${d.unitName} (${d.unitId})` },
              ':',
            ],
      },
      {
        kind: 'table',
        head: vi ? ['Địa chỉ', 'Trả lời cuối cùng của máy chủ'] : ['Address', 'Last server reply'],
        rows: d.deferrals.map((b) => [b.email, b.reason]),
      },
      {
        kind: 'paragraph',
        content: vi
          ? 'Hệ thống đã ngừng gửi lại thư này. Đề nghị Ban Tuyên giáo liên hệ đơn vị (hộp thư có thể đã đầy hoặc máy chủ thư của đơn vị gặp sự cố), rồi gửi lại nhiệm vụ hoặc thông báo cho đơn vị nếu cần.'
          : 'The system has stopped retrying this email. Please contact the unit (its mailbox may be full or its mail server down) and send the task or notice again if needed.',
      },
    ],
    closing: closing(lang),
    footer: footer(lang),
  });
}
