import type { Aggregate, UnitList } from '../../../workflows/aggregate-types';
import { FIGURE_KEYS, PHASES, type Figures, type Phase } from '../../../workflows/report';
import type { Language } from '../../directory/types';
import type { Block } from './blocks';
import { renderMail, type RenderedMail } from './blocks';
import { capitalize, closing, cycleContext, footer, phaseOfYear, subjectLine } from './common';
import { formatDateTime, formatNumber, formatPercent } from './format';

export const FIGURE_LABELS: Record<Language, Record<keyof Figures, string>> = {
  vi: {
    studyClasses: 'Số lớp học tập, quán triệt',
    participants: 'Số lượt người tham gia',
    exemplaryModels: 'Số mô hình điển hình',
    exemplaryPeople: 'Số gương điển hình',
  },
  en: {
    studyClasses: 'Study classes',
    participants: 'Participants',
    exemplaryModels: 'Exemplary models',
    exemplaryPeople: 'Exemplary people',
  },
};

export interface AggregateUpwardData {
  lang: Language;
  unitName: string;
  /** names of the distribution list ("Nơi nhận"); empty: the email goes to the unit's own officer */
  recipientNames: string[];
  final: boolean;
  aggregate: Aggregate;
  /** unit id → name for every id in the lists; an id missing here is printed as is */
  unitNames: Record<string, string>;
}

export function renderAggregateUpward(d: AggregateUpwardData): RenderedMail {
  const { lang, aggregate: a } = d;
  const cycle = cycleContext(a.cycleId);
  const vi = lang === 'vi';
  const y = cycle.year;
  const name = (id: string) => d.unitNames[id] ?? id;
  const n = (x: number) => formatNumber(x, lang);

  const names = (list: UnitList): string[] => {
    const shown = list.ids.map(name).sort((x, z) => x.localeCompare(z, 'vi'));
    const more = list.total - list.ids.length;
    return more > 0 ? [...shown, vi ? `… và ${n(more)} đơn vị khác` : `… and ${n(more)} more`] : shown;
  };

  const completion: Block = {
    kind: 'table',
    head: vi
      ? ['Nội dung', 'Phải nộp', 'Đúng hạn', 'Chậm hạn', d.final ? 'Không nộp' : 'Chưa nộp', 'Tỷ lệ nộp', 'Tỷ lệ đúng hạn']
      : ['Item', 'Expected', 'On time', 'Late', d.final ? 'Missing' : 'Not yet', 'Completeness', 'Timeliness'],
    numeric: [false, true, true, true, true, true, true],
    rows: PHASES.map((p) => {
      const r = a.below[p];
      return [
        capitalize(phaseOfYear(lang, p, y)),
        n(r.expected),
        n(r.submittedOnTime.total),
        n(r.submittedLate.total),
        n(r.notSubmitted.total),
        formatPercent(a.rates[p].completeness, lang),
        formatPercent(a.rates[p].timeliness, lang),
      ];
    }),
  };

  const figures: Block = {
    kind: 'table',
    head: vi ? ['Chỉ tiêu', 'Các đơn vị trực thuộc', 'Tổng cộng'] : ['Figure', 'Units below', 'Total'],
    numeric: [false, true, true],
    rows: FIGURE_KEYS.map((k) => [FIGURE_LABELS[lang][k], n(a.below.figures[k]), n(a.totalFigures[k])]),
  };

  const lists = (p: Phase): Block[] => {
    const r = a.below[p];
    const group = (label: string, list: UnitList): Block[] =>
      list.total === 0 ? [] : [{ kind: 'paragraph', content: [{ strong: `${label} (${n(list.total)}):` }] }, { kind: 'list', items: names(list) }];
    const blocks = [
      ...group(vi ? 'Nộp đúng hạn' : 'On time', r.submittedOnTime),
      ...group(vi ? 'Nộp chậm hạn' : 'Late', r.submittedLate),
      ...group(d.final ? (vi ? 'Không nộp' : 'Missing') : vi ? 'Chưa nộp' : 'Not submitted yet', r.notSubmitted),
    ];
    return [{ kind: 'heading', text: capitalize(phaseOfYear(lang, p, y)) }, ...blocks];
  };

  // the proposals as the activity read them from the archive (older aggregates carried them themselves)
  const c = { total: a.below.commendations.total, items: a.below.commendations.items ?? [] };
  const commendations: Block[] =
    c.total === 0
      ? [{ kind: 'paragraph', content: vi ? 'Không có đề xuất khen thưởng.' : 'No commendation proposals.' }]
      : [
          {
            kind: 'table',
            head: vi ? ['STT', 'Hình thức', 'Tập thể / cá nhân', 'Thành tích', 'Đơn vị đề xuất'] : ['No.', 'Kind', 'Collective / individual', 'Achievements', 'Proposed by'],
            numeric: [true, false, false, false, false],
            rows: c.items.map((item, i) => [
              String(i + 1),
              item.kind === 'collective' ? (vi ? 'Tập thể' : 'Collective') : vi ? 'Cá nhân' : 'Individual',
              item.name,
              item.reason,
              name(item.unitId),
            ]),
          },
          ...(c.total > c.items.length
            ? [{ kind: 'paragraph', content: vi ? `… và ${n(c.total - c.items.length)} đề xuất khác.` : `… and ${n(c.total - c.items.length)} more.` } satisfies Block]
            : []),
        ];

  const status = d.final ? (vi ? 'chính thức' : 'final') : vi ? 'số liệu tạm thời' : 'provisional';
  return renderMail({
    lang,
    subject: subjectLine(lang, cycle, vi ? `Báo cáo tổng hợp kết quả năm ${y} – ${d.unitName} (${status})` : `Aggregate report ${y} – ${d.unitName} (${status})`),
    salutation: d.recipientNames.length
      ? `${vi ? 'Kính gửi' : 'To'}: ${d.recipientNames.join('; ')}`
      : vi
        ? `Kính gửi: Ban Thường vụ ${d.unitName}`
        : `To: the Standing Committee of ${d.unitName}`,
    blocks: [
      {
        kind: 'paragraph',
        content: vi
          ? `${d.unitName} báo cáo tổng hợp kết quả thực hiện kỳ báo cáo năm ${y} của các đơn vị trực thuộc (${status}), tính đến ${formatDateTime(a.asOf, lang)}:`
          : `${d.unitName} reports the aggregate results of its units for the ${y} reporting cycle (${status}), as of ${formatDateTime(a.asOf, lang)}:`,
      },
      { kind: 'heading', text: vi ? '1. Tình hình nộp kế hoạch, báo cáo' : '1. Submissions' },
      completion,
      { kind: 'heading', text: vi ? '2. Số liệu tổng hợp' : '2. Summed figures' },
      figures,
      { kind: 'heading', text: vi ? '3. Danh sách đơn vị' : '3. Units' },
      ...PHASES.flatMap(lists),
      { kind: 'heading', text: vi ? '4. Đề xuất khen thưởng' : '4. Commendation proposals' },
      ...commendations,
    ],
    closing: [
      ...closing(lang),
      '',
      vi ? 'Nơi nhận:' : 'Distribution:',
      ...d.recipientNames.map((r) => `- ${r};`),
      vi ? '- Lưu: Ban Tuyên giáo.' : '- File: secretariat.',
    ],
    footer: footer(lang),
  });
}
