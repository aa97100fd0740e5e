// JSON-safe shapes of the unit directory, shared by workflows, activities and clients. Workflows only ever see ids
// and kinds (no names or emails in workflow histories); activities look contacts up when they need them.
import type { LocalDate } from './calendar';

export const UNIT_KINDS = ['root', 'intermediate', 'grassroots'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
/** Language of a unit that does not say. */
export const DEFAULT_LANGUAGE: Language = 'vi';

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

/** A unit to create or update. */
export interface UnitInput extends Unit {
  /**
   * Date the `parentId` link takes effect. For a new unit it defaults to `activeFrom`; for an existing unit
   * whose parent changes it is required (a re-parenting always has a date).
   */
  parentEffectiveFrom?: LocalDate;
}

export interface UpsertUnitsResult {
  created: number;
  /** existing units whose fields or parent changed */
  updated: number;
  /** existing units identical to the input */
  unchanged: number;
}

/** One unit of a tree read at a date, in depth-first order. */
export interface TreeNode {
  unit: Unit;
  /** 0 = the tree's root */
  depth: number;
  /** 0-based rank among its siblings */
  position: number;
  childCount: number;
}

export interface SnapshotResult {
  /** units in the cycle's tree, root included */
  units: number;
  /** levels, root included (root alone = 1) */
  depths: number;
}

/** Where a unit sits in a cycle's frozen tree: what escalations need. */
export interface CycleUnitInfo extends UnitRef {
  cycleId: string;
  /** null for the cycle's root */
  parentId: string | null;
  /** null for the root and the units directly under it */
  grandparentId: string | null;
  /** 0 = the cycle's root */
  depth: number;
  position: number;
}
