import type { Language } from '../../directory/types';
import type { Phase } from '../../../workflows/report';
import { parseCycleId } from '../../../workflows/ids';
import { BUILTIN_CAMPAIGN } from '../../../domain/campaign-builtin';
import { REHEARSAL_SUBJECT_PREFIX } from './format';
import type { Block } from './blocks';

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

/** A phase's name in both languages, as its campaign defines it (domain/campaign.ts `phases[].name`). */
export interface PhaseName {
  vi: string;
  en: string;
}

/** Today's phases, named as the built-in campaign names them ("Kế hoạch năm" / "Yearly plan", …). */
export const BUILTIN_PHASE_NAMES: Readonly<Record<Phase, PhaseName>> = Object.freeze(
  Object.fromEntries(BUILTIN_CAMPAIGN.phases.map((p) => [p.key, p.name])) as Record<Phase, PhaseName>,
);

function lowerFirst(s: string): string {
  return s.charAt(0).toLocaleLowerCase('vi') + s.slice(1);
}

/**
 * The phase in running text with the cycle's year: `kế hoạch năm 2027` / `2027 yearly plan` for the built-in
 * campaign; a campaign's own phase name (`name`) the same way (`báo cáo quý I năm 2027` / `2027 quarter I report`).
 */
export function phaseOfYear(lang: Language, phase: Phase, year: number, name: PhaseName = BUILTIN_PHASE_NAMES[phase]): string {
  if (lang === 'vi') {
    const vi = lowerFirst(name.vi);
    return /\bnăm$/u.test(vi) ? `${vi} ${year}` : `${vi} năm ${year}`;
  }
  return `${year} ${lowerFirst(name.en)}`;
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

/** The issuing document as a task or reminder email points to it: never its files, a link to the page that has them. */
export interface DocumentPointer {
  /** "18/KH-LĐLĐ" */
  number: string | null;
  title: string | null;
  /** how many files the document has when the email is written (the page shows the current ones) */
  files: number;
  /** `${publicUrl}/t/<token>/document` */
  link: string;
}

/** `Văn bản chỉ đạo: Số 18/KH-LĐLĐ – <title>. Xem văn bản và 2 tệp đính kèm …` with the link (no number nor title: the link alone). */
export function documentParagraph(lang: Language, d: DocumentPointer): Block {
  const vi = lang === 'vi';
  const what = [d.number ? (vi ? `Số ${d.number}` : `No. ${d.number}`) : '', d.title ?? ''].filter(Boolean).join(' – ');
  const open = vi
    ? d.files > 0
      ? `Xem văn bản chỉ đạo và ${d.files} tệp đính kèm (bản có chữ ký, đóng dấu)`
      : 'Xem văn bản chỉ đạo của kỳ báo cáo'
    : d.files > 0
      ? `Open the issuing document and its ${d.files} attached file${d.files === 1 ? '' : 's'} (the signed copy)`
      : "Open this cycle's issuing document";
  return {
    kind: 'paragraph',
    content: what ? [vi ? 'Văn bản chỉ đạo: ' : 'Issuing document: ', { strong: what }, '. ', { link: open, href: d.link }] : [{ link: open, href: d.link }],
  };
}
