import type { Phase } from '../../../workflows/report';
import type { Language } from '../../directory/types';
import { renderMail, type RenderedMail } from './blocks';
import { closing, cycleContext, deadlineLabel, documentParagraph, footer, phaseOfYear, salutation, subjectLine, useYourLink, type DocumentPointer, type PhaseName } from './common';
import { formatDate, formatDateTime, formatDuration } from './format';

export interface ReminderData {
  lang: Language;
  cycleId: string;
  unitName: string;
  officerName: string;
  phase: Phase;
  dueAt: string;
  /** 1-based */
  reminderNumber: number;
  /** when the reminder is written: "how long left" counts from here */
  asOf: string;
  /** the phase's name as its campaign defines it (default: the built-in campaign's) */
  phaseName?: PhaseName;
  /** the issuing document's page, through a read-only link minted for this email */
  document?: DocumentPointer;
}

export function renderReminder(d: ReminderData): RenderedMail {
  const cycle = cycleContext(d.cycleId);
  const { lang } = d;
  const vi = lang === 'vi';
  const what = phaseOfYear(lang, d.phase, cycle.year, d.phaseName);
  const leftMs = Date.parse(d.dueAt) - Date.parse(d.asOf);
  const left = leftMs > 0 ? formatDuration(leftMs, lang) : vi ? 'đã hết hạn' : 'the deadline has passed';
  return renderMail({
    lang,
    subject: subjectLine(
      lang,
      cycle,
      vi ? `Đôn đốc nộp ${what} (lần ${d.reminderNumber}) – hạn ${formatDate(d.dueAt)}` : `Reminder ${d.reminderNumber}: ${what} due ${formatDate(d.dueAt)}`,
    ),
    salutation: salutation(lang, d.unitName),
    blocks: [
      {
        kind: 'paragraph',
        content: vi
          ? [`Đến ${formatDateTime(d.asOf, lang)}, ${d.unitName} chưa nộp ${what}. Đề nghị đồng chí `, { strong: d.officerName }, ' khẩn trương hoàn thành và nộp đúng hạn.']
          : [`As of ${formatDateTime(d.asOf, lang)}, ${d.unitName} has not submitted its ${what}. `, { strong: d.officerName }, ', please complete and submit it before the deadline.'],
      },
      {
        kind: 'facts',
        rows: [
          { label: deadlineLabel(lang, d.phase), value: [{ strong: formatDateTime(d.dueAt, lang) }] },
          { label: vi ? 'Thời gian còn lại' : 'Time left', value: vi && leftMs > 0 ? `còn ${left}` : left },
          { label: vi ? 'Thư đôn đốc' : 'Reminder', value: vi ? `lần thứ ${d.reminderNumber}` : `no. ${d.reminderNumber}` },
        ],
      },
      {
        kind: 'paragraph',
        content: `${useYourLink(lang)} ${vi ? 'Nếu đơn vị đã nộp, đề nghị bỏ qua thư này.' : 'If your unit has already submitted, please disregard this email.'}`,
      },
      ...(d.document ? [documentParagraph(lang, d.document)] : []),
    ],
    closing: closing(lang),
    footer: footer(lang),
  });
}
