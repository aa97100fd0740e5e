import type { Phase } from '../../../workflows/report';
import type { Language } from '../../directory/types';
import { renderMail, type RenderedMail } from './blocks';
import { closing, cycleContext, footer, phaseOfYear, salutation, subjectLine, type PhaseName } from './common';
import { formatDateTime, formatLateness, localDaysBetween } from './format';

export interface EscalationUnitRow {
  name: string;
  dueAt: string;
  remindersSent: number;
}

export interface EscalationDigestData {
  lang: Language;
  cycleId: string;
  /** the unit the email goes to (the supervisor, or the one above it once the escalation climbed) */
  recipientName: string;
  recipientOfficerName: string;
  /** the direct supervisor of the overdue units */
  supervisorName: string;
  climbed: boolean;
  phase: Phase;
  round: number;
  asOf: string;
  units: EscalationUnitRow[];
  /** the phase's name as its campaign defines it (default: the built-in campaign's) */
  phaseName?: PhaseName;
}

export function renderEscalationDigest(d: EscalationDigestData): RenderedMail {
  const cycle = cycleContext(d.cycleId);
  const { lang } = d;
  const vi = lang === 'vi';
  const what = phaseOfYear(lang, d.phase, cycle.year, d.phaseName);
  const n = d.units.length;
  // Longest overdue first, then by name as Vietnamese readers sort it.
  const rows = [...d.units].sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.name.localeCompare(b.name, 'vi'));
  const intro = vi
    ? d.climbed
      ? `Tính đến ${formatDateTime(d.asOf, lang)}, ${n} đơn vị trực thuộc ${d.supervisorName} vẫn chưa nộp ${what} mặc dù đã quá hạn và đã được đôn đốc. Do việc chậm nộp kéo dài, danh sách được báo cáo lên Ban Thường vụ:`
      : `Tính đến ${formatDateTime(d.asOf, lang)}, ${n} đơn vị trực thuộc chưa nộp ${what} mặc dù đã quá hạn:`
    : d.climbed
      ? `As of ${formatDateTime(d.asOf, lang)}, ${n} unit(s) under ${d.supervisorName} still have not submitted the ${what}, although the deadline has passed and they were reminded. As the delay persists, the list is now reported to your Standing Committee:`
      : `As of ${formatDateTime(d.asOf, lang)}, ${n} unit(s) under your union have not submitted the ${what}, although the deadline has passed:`;
  return renderMail({
    lang,
    subject: subjectLine(
      lang,
      cycle,
      vi
        ? `Danh sách đơn vị quá hạn nộp ${what} – đợt ${d.round} (${n} đơn vị)${d.climbed ? ` – ${d.supervisorName}` : ''}`
        : `Overdue ${what}: round ${d.round} (${n} unit${n === 1 ? '' : 's'})${d.climbed ? ` – ${d.supervisorName}` : ''}`,
    ),
    salutation: salutation(lang, d.recipientName),
    blocks: [
      { kind: 'paragraph', content: intro },
      {
        kind: 'table',
        head: vi ? ['STT', 'Đơn vị', 'Hạn nộp', 'Quá hạn', 'Số lần đã đôn đốc'] : ['No.', 'Unit', 'Deadline', 'Overdue by', 'Reminders sent'],
        numeric: [true, false, false, true, true],
        rows: rows.map((u, i) => [
          String(i + 1),
          u.name,
          formatDateTime(u.dueAt, lang),
          localDaysBetween(u.dueAt, d.asOf) >= 1 ? formatLateness(u.dueAt, d.asOf, lang) : vi ? 'vừa hết hạn' : 'just passed',
          String(u.remindersSent),
        ]),
      },
      {
        kind: 'paragraph',
        content: vi
          ? d.climbed
            ? ['Đề nghị Ban Thường vụ chỉ đạo ', { strong: d.supervisorName }, ' đôn đốc các đơn vị trên khẩn trương hoàn thành và nộp.']
            : ['Đề nghị đồng chí ', { strong: d.recipientOfficerName }, ' chỉ đạo, đôn đốc các đơn vị trên khẩn trương hoàn thành và nộp.']
          : d.climbed
            ? ['Please direct ', { strong: d.supervisorName }, ' to have these units submit without delay.']
            : [{ strong: d.recipientOfficerName }, ', please follow up with these units so that they submit without delay.'],
      },
    ],
    closing: closing(lang),
    footer: footer(lang),
  });
}
