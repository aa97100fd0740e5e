// JSON-safe shapes of the unit directory. Workflows only ever see ids and kinds (no names or emails in
// workflow histories); activities look contacts up when they need them.
import type { LocalDate } from '../calendar/types';

export type UnitKind = 'root' | 'intermediate' | 'grassroots';
export type Language = 'vi' | 'en';

export interface Contact {
  name: string;
  email: string;
}

export interface Unit {
  /** stable id chosen by the organisation, e.g. `LDLD-HN` or `CDCS-0412`; [A-Za-z0-9_.-], ≤ 64 chars */
  id: string;
  /** Vietnamese name with diacritics, e.g. `Công đoàn cơ sở Công ty CP May Đức Giang` */
  name: string;
  kind: UnitKind;
  /** null for a root */
  parentId: string | null;
  chair: Contact;
  /** the secretariat officer who receives tasks and submits (Ban Tuyên giáo cán bộ) */
  officer: Contact;
  /** language of this unit's emails and pages (default vi) */
  language: Language;
  /** first day the unit exists */
  activeFrom: LocalDate;
  /** last day it exists, or null while active */
  activeTo: LocalDate | null;
  /** "Nơi nhận": extra recipients of this unit's aggregate sent upward (root and intermediates) */
  distribution: Contact[];
}

/** What a workflow needs to know of a unit below it. */
export interface UnitRef {
  id: string;
  kind: UnitKind;
  /** number of units directly under it in the snapshot the cycle uses */
  childCount: number;
}
