import type { Language } from '../../directory/types';
import { renderMail, type RenderedMail } from './blocks';
import { closing, cycleContext, footer, salutation, subjectLine } from './common';
import { formatDateTime } from './format';

export interface BounceAlertData {
  lang: Language;
  cycleId: string;
  /** the secretariat's unit (the cycle's root) */
  rootName: string;
  /** the unit whose address was refused */
  unitName: string;
  unitId: string;
  /** subject of the email that did not arrive */
  originalSubject: string;
  bounces: { email: string; reason: string }[];
  at: string;
}

export function renderBounceAlert(d: BounceAlertData): RenderedMail {
  const cycle = cycleContext(d.cycleId);
  const { lang } = d;
  const vi = lang === 'vi';
  const emails = d.bounces.map((b) => b.email).join(', ');
  return renderMail({
    lang,
    subject: subjectLine(lang, cycle, vi ? `Cảnh báo: thư gửi ${d.unitName} không đến được ${emails}` : `Undeliverable: email to ${d.unitName} (${emails})`),
    salutation: salutation(lang, d.rootName),
    blocks: [
      {
        kind: 'paragraph',
        content: vi
          ? [`Lúc ${formatDateTime(d.at, lang)}, máy chủ thư đã từ chối thư «${d.originalSubject}» gửi `, { strong: `${d.unitName} (${d.unitId})` }, ':']
          : [`At ${formatDateTime(d.at, lang)} the mail server refused the email “${d.originalSubject}” to `, { strong: `${d.unitName} (${d.unitId})` }, ':'],
      },
      {
        kind: 'table',
        head: vi ? ['Địa chỉ', 'Lý do (trả lời của máy chủ)'] : ['Address', 'Reason (server reply)'],
        rows: d.bounces.map((b) => [b.email, b.reason]),
      },
      {
        kind: 'paragraph',
        content: vi
          ? 'Thư này sẽ không được gửi lại tự động. Đề nghị Ban Tuyên giáo liên hệ đơn vị, cập nhật địa chỉ thư điện tử trong danh bạ đơn vị rồi gửi lại nhiệm vụ cho đơn vị.'
          : 'This email will not be retried. Please contact the unit, correct its address in the unit directory and send the task again.',
      },
    ],
    closing: closing(lang),
    footer: footer(lang),
  });
}
