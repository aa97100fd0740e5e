import type { Phase } from '../../../workflows/report';
import type { Language } from '../../directory/types';
import { renderMail, type RenderedMail } from './blocks';
import { closing, cycleContext, deadlineLabel, documentParagraph, footer, phaseOfYear, salutation, subjectLine, useYourLink, type DocumentPointer, type PhaseName } from './common';
import { formatDateTime, localDaysBetween } from './format';

export interface OverdueNoticeData {
  lang: Language;
  cycleId: string;
  unitName: string;
  officerName: string;
  phase: Phase;
  dueAt: string;
  asOf: string;
  /** the phase's name as its campaign defines it (default: the built-in campaign's) */
  phaseName?: PhaseName;
  /** the issuing document's page, through a read-only link minted for this email */
  document?: DocumentPointer;
}

export function renderOverdueNotice(d: OverdueNoticeData): RenderedMail {
  const cycle = cycleContext(d.cycleId);
  const { lang } = d;
  const vi = lang === 'vi';
  const what = phaseOfYear(lang, d.phase, cycle.year, d.phaseName);
  const daysLate = localDaysBetween(d.dueAt, d.asOf);
  return renderMail({
    lang,
    subject: subjectLine(lang, cycle, vi ? `Thông báo quá hạn nộp ${what} – ${d.unitName}` : `Overdue: ${what} – ${d.unitName}`),
    salutation: salutation(lang, d.unitName),
    blocks: [
      {
        kind: 'paragraph',
        content: vi
          ? `Đã hết hạn nộp ${what} nhưng ${d.unitName} chưa nộp. Danh sách đơn vị quá hạn được gửi đến cấp trên trực tiếp.`
          : `The deadline for the ${what} has passed and ${d.unitName} has not submitted it. The list of overdue units goes to the supervising union.`,
      },
      {
        kind: 'facts',
        rows: [
          { label: deadlineLabel(lang, d.phase), value: [{ strong: formatDateTime(d.dueAt, lang) }] },
          ...(daysLate >= 1 ? [{ label: vi ? 'Số ngày quá hạn' : 'Days overdue', value: String(daysLate) }] : []),
        ],
      },
      {
        kind: 'paragraph',
        content: vi
          ? ['Đề nghị đồng chí ', { strong: d.officerName }, ` khẩn trương hoàn thành và nộp ${what}. ${useYourLink(lang)}`]
          : [{ strong: d.officerName }, `, please complete and submit the ${what} without delay. ${useYourLink(lang)}`],
      },
      ...(d.document ? [documentParagraph(lang, d.document)] : []),
    ],
    closing: closing(lang),
    footer: footer(lang),
  });
}
