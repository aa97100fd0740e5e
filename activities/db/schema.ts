// The database schema as TypeScript types: one interface per table, grouped by the module that owns it.
// Each module adds its tables here and a migration in ./migrations (numbered, never edited once landed).
// Portable column types only: text (dates as `YYYY-MM-DD`, instants as ISO-8601, JSON as text) and integer.
import type { AccessTables } from '../access/schema';
import type { ArchiveTables } from '../archive/schema';
import type { CampaignTables } from '../campaigns/schema';
import type { FilesTables } from '../files/schema';
import type { Language, UnitKind } from '../directory/types';
import type { MailTables } from '../mail/schema';

// ── unit directory (migration 0001) ────────────────────────────────────────────────────────────────────

/** One organisation unit. Units are never deleted: a dissolved unit gets `active_to`. */
export interface UnitsTable {
  id: string;
  /** Vietnamese name with diacritics, NFC */
  name: string;
  kind: UnitKind;
  chair_name: string;
  chair_email: string;
  officer_name: string;
  officer_email: string;
  language: Language;
  /** `YYYY-MM-DD`, first day the unit exists */
  active_from: string;
  /** `YYYY-MM-DD`, last day it exists (inclusive), null while active */
  active_to: string | null;
  /** "Nơi nhận" as JSON text: `[{ "name": …, "email": … }]` */
  distribution: string;
  /** ISO-8601 instants */
  created_at: string;
  updated_at: string;
}

/**
 * The parent of a unit over time. The links of one unit form a contiguous timeline: each link is valid on
 * `valid_from <= d < valid_to` (valid_to null: open-ended). A null `parent_id` means "no parent from this date".
 */
export interface UnitParentsTable {
  unit_id: string;
  parent_id: string | null;
  valid_from: string;
  valid_to: string | null;
}

/** One row per cycle whose tree was frozen: makes the snapshot idempotent and records how it was taken. */
export interface CycleSnapshotsTable {
  cycle_id: string;
  root_id: string;
  /** `YYYY-MM-DD`: the directory date the tree was read at (the cycle's start date) */
  as_of: string;
  /** number of units in the snapshot, root included */
  unit_count: number;
  /** number of levels, root included (root alone = 1) */
  depth_count: number;
  created_at: string;
}

/** The tree of one cycle, frozen when the cycle started. */
export interface CycleUnitsTable {
  cycle_id: string;
  unit_id: string;
  /** null for the cycle's root */
  parent_id: string | null;
  kind: UnitKind;
  /** 0 = the cycle's root */
  depth: number;
  /** 0-based rank among the siblings (children of the same parent), stable */
  position: number;
  /** number of units directly under it in this snapshot */
  child_count: number;
}

// archive tables (migration 0003) are declared in activities/archive/schema.ts
// mail outbox, bounces and access tokens (migration 0002) in activities/mail/schema.ts, activities/access/schema.ts
export interface Database extends ArchiveTables, MailTables, AccessTables, CampaignTables, FilesTables {
  units: UnitsTable;
  unit_parents: UnitParentsTable;
  cycle_snapshots: CycleSnapshotsTable;
  cycle_units: CycleUnitsTable;
  web_drafts: WebDraftsTable;
  web_signin_tokens: WebSigninTokensTable;
  web_sessions: WebSessionsTable;
  web_signin_locks: WebSigninLocksTable;
  web_bulk_jobs: WebBulkJobsTable;
  web_bulk_results: WebBulkResultsTable;
}

// ── web app (migration 0004) ───────────────────────────────────────────────────────────────────────────

/** A unit's unsubmitted form (plan or report) as typed, kept on the server so any device can continue it. */
export interface WebDraftsTable {
  cycle_id: string;
  unit_id: string;
  phase: 'plan' | 'report';
  /** the form's fields as JSON text (strings as typed, not yet validated) */
  content_json: string;
  updated_at: string;
}

/** A one-time staff sign-in link: only the SHA-256 of the token is stored. */
export interface WebSigninTokensTable {
  token_hash: string;
  /** lower-case address from the directory (a unit's officer or chair) */
  email: string;
  created_at: string;
  expires_at: string;
  /** set when the link is used; a used link never works again */
  used_at: string | null;
}

/** A staff session: the cookie carries the id, the table its SHA-256. */
export interface WebSessionsTable {
  session_hash: string;
  email: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

// ── web app security (migration 0008) ──────────────────────────────────────────────────────────────────

/** One row per address that asked for a sign-in link: its row lock serialises the per-address cap. */
export interface WebSigninLocksTable {
  email: string;
  locked_at: string;
}

// ── web app bulk actions (migration 0012) ──────────────────────────────────────────────────────────────

/** One bulk action of a staff member (remind, extend, reissue for a selection); its units' results follow. */
export interface WebBulkJobsTable {
  job_id: string;
  cycle_id: string;
  kind: 'remind' | 'extend' | 'reissue';
  /** the staff member's address: only they see the job */
  created_by: string;
  created_at: string;
  /** the last result written: a job not finished and silent for long was interrupted */
  updated_at: string;
  finished_at: string | null;
  total: number;
  /** the selection, [{ unitId, phase, name }], in the order it is worked through */
  items_json: string;
  /** the page the job was started from */
  back_href: string;
}

/** What one unit of a bulk job came to: done (with what) or refused (with the reason). */
export interface WebBulkResultsTable {
  job_id: string;
  /** the item's index in items_json */
  seq: number;
  unit_id: string;
  ok: number;
  result_json: string;
  at: string;
}
