import type { Phase } from '../../../workflows/report';
import type { Language } from '../../directory/types';
import { renderMail, type RenderedMail } from './blocks';
import { capitalize, closing, cycleContext, deadlineLabel, footer, phaseOfYear, salutation, subjectLine } from './common';
import { formatDateTime, formatLateness } from './format';

export interface LateSubmissionData {
  lang: Language;
  cycleId: string;
  supervisorName: string;
  unitName: string;
  phase: Phase;
  dueAt: string;
  submittedAt: string;
}

export function renderLateSubmissionNotice(d: LateSubmissionData): RenderedMail {
  const cycle = cycleContext(d.cycleId);
  const { lang } = d;
  const vi = lang === 'vi';
  const what = phaseOfYear(lang, d.phase, cycle.year);
  const late = formatLateness(d.dueAt, d.submittedAt, lang);
  return renderMail({
    lang,
    subject: subjectLine(lang, cycle, vi ? `${d.unitName} đã nộp ${what} chậm hạn` : `Late submission: ${d.unitName} – ${what}`),
    salutation: salutation(lang, d.supervisorName),
    blocks: [
      {
        kind: 'paragraph',
        content: vi
          ? [{ strong: d.unitName }, ` đã nộp ${what}, chậm ${late} so với hạn nộp.`]
          : [{ strong: d.unitName }, ` has submitted its ${what}, ${late} after the deadline.`],
      },
      {
        kind: 'facts',
        rows: [
          { label: deadlineLabel(lang, d.phase), value: formatDateTime(d.dueAt, lang) },
          { label: vi ? 'Thời điểm nộp' : 'Submitted at', value: [{ strong: formatDateTime(d.submittedAt, lang) }] },
          { label: vi ? 'Chậm' : 'Late by', value: late },
        ],
      },
      {
        kind: 'paragraph',
        content: vi
          ? `${capitalize(what)} được ghi nhận là nộp chậm hạn trong số liệu tổng hợp; đơn vị được đưa ra khỏi danh sách quá hạn.`
          : `The ${what} counts as submitted late in the aggregate; the unit is no longer on the overdue list.`,
      },
    ],
    closing: closing(lang),
    footer: footer(lang),
  });
}
