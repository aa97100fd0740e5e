import type { Language } from '../../directory/types';
import type { Phase } from '../../../workflows/report';
import { parseCycleId } from '../../../workflows/ids';
import { REHEARSAL_SUBJECT_PREFIX } from './format';

// Wording shared by all templates, in the administrative register units expect from their federation.

export interface CycleContext {
  cycleId: string;
  year: number;
  rehearsal: boolean;
}

export function cycleContext(cycleId: string): CycleContext {
  const parsed = parseCycleId(cycleId);
  if (!parsed) throw new RangeError(`not a cycle id: ${JSON.stringify(cycleId)}`);
  return { cycleId, year: parsed.year, rehearsal: parsed.rehearsal };
}

/** A rehearsal's emails say so first, so nobody mistakes a drill for a real task. */
export function subjectLine(lang: Language, cycle: CycleContext, text: string): string {
  return cycle.rehearsal ? `${REHEARSAL_SUBJECT_PREFIX[lang]} ${text}` : text;
}

/** `kế hoạch năm 2027` / `2027 plan`. */
export function phaseOfYear(lang: Language, phase: Phase, year: number): string {
  if (lang === 'vi') return `${phase === 'plan' ? 'kế hoạch' : 'báo cáo kết quả'} năm ${year}`;
  return `${year} ${phase === 'plan' ? 'plan' : 'results report'}`;
}

export function deadlineLabel(lang: Language, phase: Phase): string {
  if (lang === 'vi') return phase === 'plan' ? 'Hạn nộp kế hoạch' : 'Hạn nộp báo cáo kết quả';
  return phase === 'plan' ? 'Plan deadline' : 'Report deadline';
}

export function capitalize(s: string): string {
  return s.charAt(0).toLocaleUpperCase('vi') + s.slice(1);
}

/** `Kính gửi: Ban Thường vụ Công đoàn cơ sở …` */
export function salutation(lang: Language, unitName: string): string {
  return lang === 'vi' ? `Kính gửi: Ban Thường vụ ${unitName}` : `To: the Standing Committee of ${unitName}`;
}

export function closing(lang: Language): string[] {
  return lang === 'vi' ? ['Trân trọng./'] : ['Kind regards,', 'The reporting secretariat'];
}

export function footer(lang: Language): string {
  return lang === 'vi'
    ? 'Thư này được gửi tự động từ hệ thống theo dõi kế hoạch, báo cáo (baocao). Đồng chí có thể trả lời thư này để liên hệ Ban Tuyên giáo.'
    : 'This email was sent automatically by the plan and report tracking system (baocao). Reply to it to reach the secretariat.';
}

/** Reminders and notices cannot carry the unit's link (only its hash is kept): point to the task email. */
export function useYourLink(lang: Language): string {
  return lang === 'vi'
    ? 'Đồng chí sử dụng đường liên kết riêng của đơn vị trong thư giao nhiệm vụ để nộp.'
    : "Please submit through your unit's personal link in the task email.";
}
