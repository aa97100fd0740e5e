import type { Language } from '../../directory/types';
import { renderMail, type RenderedMail } from './blocks';
import { closing, cycleContext, deadlineLabel, documentParagraph, footer, salutation, subjectLine, type DocumentPointer } from './common';
import { formatDateTime } from './format';

export interface TaskAssignmentData {
  lang: Language;
  cycleId: string;
  unitName: string;
  officerName: string;
  planDueAt: string;
  reportDueAt: string;
  closesAt: string;
  /** the unit's personal link, `${publicUrl}/t/${token}` */
  link: string;
  /** the issuing document: its page, under the same link */
  document?: DocumentPointer;
  /** what the cycle asks, by name: the issuing document's title, else a campaign's name (null: today's yearly cycle) */
  title?: { vi: string; en: string } | null;
}

export function renderTaskAssignment(d: TaskAssignmentData): RenderedMail {
  const cycle = cycleContext(d.cycleId);
  const { lang } = d;
  const y = cycle.year;
  const vi = lang === 'vi';
  return renderMail({
    lang,
    subject: subjectLine(
      lang,
      cycle,
      d.title
        ? vi
          ? `Giao nhiệm vụ: ${d.title.vi} – ${d.unitName}`
          : `Task: ${d.title.en} – ${d.unitName}`
        : vi
          ? `Giao nhiệm vụ xây dựng kế hoạch và báo cáo kết quả năm ${y} – ${d.unitName}`
          : `Task: ${y} plan and results report – ${d.unitName}`,
    ),
    salutation: salutation(lang, d.unitName),
    blocks: [
      {
        kind: 'paragraph',
        content: vi
          ? [
              d.title ? `Thực hiện ${lowerFirstVi(d.title.vi)} (kỳ báo cáo năm ${y}), đề nghị đồng chí ` : `Thực hiện kỳ báo cáo năm ${y}, đề nghị đồng chí `,
              { strong: d.officerName },
              ` tham mưu Ban Thường vụ xây dựng kế hoạch năm ${y} của đơn vị và báo cáo kết quả thực hiện theo đề cương hướng dẫn, nộp trực tuyến qua đường liên kết riêng của đơn vị.`,
            ]
          : [
              d.title ? `As part of “${d.title.en}” (the ${y} reporting cycle), ` : `As part of the ${y} reporting cycle, `,
              { strong: d.officerName },
              `, please prepare your unit's plan for ${y} and its results report following the guidance outline, and submit both online through your unit's personal link.`,
            ],
      },
      {
        kind: 'facts',
        rows: [
          { label: deadlineLabel(lang, 'plan'), value: [{ strong: formatDateTime(d.planDueAt, lang) }] },
          { label: deadlineLabel(lang, 'report'), value: [{ strong: formatDateTime(d.reportDueAt, lang) }] },
          { label: vi ? 'Đường liên kết có hiệu lực đến' : 'Link valid until', value: formatDateTime(d.closesAt, lang) },
        ],
      },
      ...(d.document ? [documentParagraph(lang, d.document)] : []),
      { kind: 'button', label: vi ? 'Trang nộp kế hoạch, báo cáo của đơn vị' : "Your unit's submission page", href: d.link },
      {
        kind: 'paragraph',
        content: vi
          ? `Đường liên kết này dành riêng cho ${d.unitName}: người có đường liên kết có thể nộp thay mặt đơn vị, đề nghị không chuyển tiếp thư này.`
          : `This link is personal to ${d.unitName}: anyone holding it can submit on the unit's behalf, so please do not forward this email.`,
      },
      {
        kind: 'paragraph',
        content: vi
          ? 'Đơn vị đã nộp sẽ không nhận thư đôn đốc; đơn vị chưa nộp khi hết hạn sẽ được báo cáo cấp trên trực tiếp.'
          : 'Units that have submitted receive no reminders; units that have not submitted by the deadline are reported to their supervising union.',
      },
    ],
    closing: closing(lang),
    footer: footer(lang),
  });
}

function lowerFirstVi(s: string): string {
  return s.charAt(0).toLocaleLowerCase('vi') + s.slice(1);
}
