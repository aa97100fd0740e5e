import type { Phase } from '../../../workflows/report';
import type { Language } from '../../directory/types';
import type { Block } from './blocks';
import { renderMail, type RenderedMail } from './blocks';
import { capitalize, closing, cycleContext, footer, phaseOfYear, salutation, subjectLine, useYourLink } from './common';

export type ReviewDecision = 'accepted' | 'returned';

export interface ReviewResultData {
  lang: Language;
  cycleId: string;
  unitName: string;
  officerName: string;
  phase: Phase;
  decision: ReviewDecision;
  /** the reviewer's words, as typed: escaped by the renderer */
  comment: string;
}

export function renderReviewResult(d: ReviewResultData): RenderedMail {
  const cycle = cycleContext(d.cycleId);
  const { lang } = d;
  const vi = lang === 'vi';
  const what = phaseOfYear(lang, d.phase, cycle.year);
  const comment = d.comment.trim();
  const accepted = d.decision === 'accepted';
  const blocks: Block[] = accepted
    ? [
        {
          kind: 'paragraph',
          content: vi
            ? `${capitalize(what)} của ${d.unitName} đã được cấp trên xem xét và chấp nhận.`
            : `The ${what} of ${d.unitName} has been reviewed and accepted.`,
        },
        ...(comment
          ? ([
              { kind: 'paragraph', content: vi ? 'Ý kiến của cấp trên:' : "The reviewer's comment:" },
              { kind: 'quote', text: comment },
            ] satisfies Block[])
          : []),
      ]
    : [
        {
          kind: 'paragraph',
          content: vi
            ? `Sau khi xem xét, cấp trên đề nghị ${d.unitName} bổ sung, hoàn thiện ${what} theo ý kiến dưới đây:`
            : `After review, ${d.unitName} is asked to revise and complete its ${what} as follows:`,
        },
        { kind: 'quote', text: comment || (vi ? '(không có ý kiến cụ thể)' : '(no specific comment)') },
        {
          kind: 'paragraph',
          content: vi
            ? ['Đề nghị đồng chí ', { strong: d.officerName }, ` chỉnh sửa và nộp lại. ${useYourLink(lang)}`]
            : [{ strong: d.officerName }, `, please revise and submit it again. ${useYourLink(lang)}`],
        },
      ];
  return renderMail({
    lang,
    subject: subjectLine(
      lang,
      cycle,
      vi
        ? accepted
          ? `${capitalize(what)} đã được chấp nhận – ${d.unitName}`
          : `Đề nghị bổ sung, hoàn thiện ${what} – ${d.unitName}`
        : accepted
          ? `Accepted: ${what} – ${d.unitName}`
          : `Returned for revision: ${what} – ${d.unitName}`,
    ),
    salutation: salutation(lang, d.unitName),
    blocks,
    closing: closing(lang),
    footer: footer(lang),
  });
}
