// A cycle as the archive alone remembers it: the frozen tree, every unit's latest plan and report, the review
// decisions, overdue marks and extensions of the audit log, and the last aggregate of each node. This is what
// `cycle status`, the web app and the documents show once Temporal's retention has deleted the histories.
import type { PhaseStanding } from '../../workflows/aggregate';
import { recordedReportContentSchema, type Commendation, type Figures, type Phase, type PlanContent } from '../../workflows/report';
import type { Db } from '../db/database';
import { UnitNotInCycleError } from '../directory/errors';
import type { UnitKind } from '../directory/types';
import { latestAggregates, type ArchivedAggregate } from './aggregates';
import { ArchiveInputError, UnknownCycleError } from './errors';

/** `submitted`: awaiting the supervisor's review. */
export type ReviewState = 'submitted' | 'accepted' | 'returned';

export interface ArchivedSubmission {
  version: number;
  /** instant of version 1 */
  firstSubmittedAt: string;
  /** instant of this (the latest) version */
  submittedAt: string;
  late: boolean;
  review: ReviewState;
  reviewedAt: string | null;
  /** the reviewer's comment on this version ('' when none) */
  comment: string;
}

export interface ArchivedPhase {
  /** the latest version, or null when the unit never submitted */
  submission: ArchivedSubmission | null;
  /** an overdue mark was recorded and neither a submission nor an extension followed it */
  overdue: boolean;
  /** the last date the deadline was extended to (instant), or null */
  extendedTo: string | null;
  /** how the parent counts this unit in the aggregate */
  standing: PhaseStanding;
}

/** The latest report's data: what aggregates and documents are made of. */
export interface ArchivedReport {
  leadership: string;
  implementation: string;
  assessment: string;
  recommendations: string;
  figures: Figures;
  commendations: Commendation[];
}

export interface ArchivedUnitStatus {
  unitId: string;
  kind: UnitKind;
  /** null for the cycle's root */
  parentId: string | null;
  depth: number;
  position: number;
  childCount: number;
  plan: ArchivedPhase;
  report: ArchivedPhase;
  /** the unit's task recorded its close */
  closed: boolean;
  closedAt: string | null;
}

export interface CycleHeader {
  cycleId: string;
  rootUnitId: string;
  /** the directory date the tree was frozen at */
  treeAsOf: string;
  unitCount: number;
  depthCount: number;
}

export interface CycleArchiveStatus extends CycleHeader {
  /** the root's task recorded its close: the cycle is over */
  closed: boolean;
  closedAt: string | null;
  /** the unit asked for (default: the root) */
  unit: ArchivedUnitStatus & { aggregate: ArchivedAggregate | null };
  /** the units directly under it, in the tree's order */
  children: (ArchivedUnitStatus & { aggregate: ArchivedAggregate | null })[];
}

export interface ArchivedUnitsOptions {
  /** only what happened at or before this instant counts (default: everything) */
  asOf?: string;
  /** false: leave the plans' and reports' content unread (standings only: much less to read for a large tree) */
  content?: boolean;
}

export interface ArchivedUnitsResult {
  units: ArchivedUnitStatus[];
  /** latest plan content per unit that submitted one */
  plans: Map<string, PlanContent>;
  /** latest report content per unit that submitted one */
  reports: Map<string, ArchivedReport>;
}

/** Ids per IN list: far below SQLite's 32,766 bound parameters and PostgreSQL's 65,535. */
const IN_CHUNK = 500;
const REVIEW_KINDS = ['plan-accepted', 'plan-returned', 'report-accepted', 'report-returned'] as const;
const AUDIT_KINDS = [...REVIEW_KINDS, 'plan-overdue', 'report-overdue', 'plan-extended', 'report-extended', 'closed'];

function chunked<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += IN_CHUNK) out.push(items.slice(i, i + IN_CHUNK));
  return out;
}

export async function cycleHeader(db: Db, cycleId: string): Promise<CycleHeader> {
  const row = await db.selectFrom('cycle_snapshots').selectAll().where('cycle_id', '=', cycleId).executeTakeFirst();
  if (!row) throw new UnknownCycleError(cycleId);
  return { cycleId, rootUnitId: row.root_id, treeAsOf: row.as_of, unitCount: Number(row.unit_count), depthCount: Number(row.depth_count) };
}

interface SubmissionRow {
  unit_id: string;
  phase: string;
  version: number;
  submitted_at: string;
  late: number;
  content_json?: string;
}

interface AuditRow {
  unit_id: string;
  kind: string;
  at: string;
  data_json: string;
}

interface PhaseFacts {
  latest: SubmissionRow | null;
  first: SubmissionRow | null;
  events: AuditRow[];
}

/** Milliseconds of an ISO instant; throws on a malformed one rather than silently misordering it. */
export function instantMs(instant: string): number {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new ArchiveInputError('an archived instant', [`not an ISO-8601 instant: ${instant}`]);
  return ms;
}

function phaseOfRows(facts: PhaseFacts, phase: Phase): ArchivedPhase {
  const events = [...facts.events].sort((a, b) => instantMs(a.at) - instantMs(b.at));
  let overdue = false;
  let extendedTo: string | null = null;
  for (const e of events) {
    const data = JSON.parse(e.data_json) as { to?: unknown; version?: unknown };
    if (e.kind === `${phase}-overdue`) overdue = true;
    if (e.kind === `${phase}-extended` && typeof data.to === 'string') {
      extendedTo = data.to;
      // the workflow re-marks a unit overdue at the new due instant; an extension into the past keeps it
      overdue = instantMs(data.to) <= instantMs(e.at);
    }
  }
  const latest = facts.latest;
  let submission: ArchivedSubmission | null = null;
  if (latest) {
    const version = Number(latest.version);
    const review = events.filter((e) => (e.kind === `${phase}-accepted` || e.kind === `${phase}-returned`) && (JSON.parse(e.data_json) as { version?: unknown }).version === version).at(-1);
    const comment = review ? (JSON.parse(review.data_json) as { comment?: unknown }).comment : undefined;
    submission = {
      version,
      firstSubmittedAt: facts.first?.submitted_at ?? latest.submitted_at,
      submittedAt: latest.submitted_at,
      late: Number(latest.late) === 1,
      review: review ? (review.kind.endsWith('-accepted') ? 'accepted' : 'returned') : 'submitted',
      reviewedAt: review?.at ?? null,
      comment: typeof comment === 'string' ? comment : '',
    };
    overdue = false;
  }
  const standing: PhaseStanding = submission ? (submission.late ? 'late' : 'on-time') : overdue ? 'overdue' : 'pending';
  return { submission, overdue, extendedTo, standing };
}

/**
 * The archived state of units of a cycle (`'all'`: the whole frozen tree), in the order asked (`'all'`: the
 * tree's depth-first order is not implied; sort by depth/position if needed). Unknown ids are left out.
 */
export async function archivedUnits(db: Db, cycleId: string, unitIds: readonly string[] | 'all', options: ArchivedUnitsOptions = {}): Promise<ArchivedUnitsResult> {
  const cutoff = options.asOf === undefined ? Infinity : instantMs(options.asOf);
  const until = (instant: string) => instantMs(instant) <= cutoff;
  const treeRows: { unit_id: string; parent_id: string | null; kind: UnitKind; depth: number; position: number; child_count: number }[] = [];
  const submissions: SubmissionRow[] = [];
  const audit: AuditRow[] = [];
  const parts: (readonly string[] | null)[] = unitIds === 'all' ? [null] : chunked([...new Set(unitIds)]);
  for (const part of parts) {
    if (part && part.length === 0) continue;
    let tree = db.selectFrom('cycle_units').select(['unit_id', 'parent_id', 'kind', 'depth', 'position', 'child_count']).where('cycle_id', '=', cycleId);
    let subs = db
      .selectFrom('submissions')
      .select(options.content === false ? ['unit_id', 'phase', 'version', 'submitted_at', 'late'] : ['unit_id', 'phase', 'version', 'submitted_at', 'late', 'content_json'])
      .where('cycle_id', '=', cycleId);
    let events = db.selectFrom('audit_log').select(['unit_id', 'kind', 'at', 'data_json']).where('cycle_id', '=', cycleId).where('kind', 'in', AUDIT_KINDS);
    if (part) {
      tree = tree.where('unit_id', 'in', part);
      subs = subs.where('unit_id', 'in', part);
      events = events.where('unit_id', 'in', part);
    }
    treeRows.push(...(await tree.execute()));
    // instants are compared as instants, not as text: an offset other than Z must not reorder them
    submissions.push(...(await subs.execute()).filter((r) => until(r.submitted_at)));
    audit.push(...(await events.execute()).filter((r) => until(r.at)));
  }

  const facts = new Map<string, Record<Phase, PhaseFacts>>();
  const factsOf = (unitId: string) => {
    let f = facts.get(unitId);
    if (!f) {
      f = { plan: { latest: null, first: null, events: [] }, report: { latest: null, first: null, events: [] } };
      facts.set(unitId, f);
    }
    return f;
  };
  for (const s of submissions) {
    if (s.phase !== 'plan' && s.phase !== 'report') continue;
    const f = factsOf(s.unit_id)[s.phase];
    if (!f.latest || Number(s.version) > Number(f.latest.version)) f.latest = s;
    if (!f.first || Number(s.version) < Number(f.first.version)) f.first = s;
  }
  const closedAt = new Map<string, string>();
  for (const e of audit) {
    if (e.kind === 'closed') {
      closedAt.set(e.unit_id, e.at);
      continue;
    }
    const phase = e.kind.startsWith('plan-') ? 'plan' : 'report';
    factsOf(e.unit_id)[phase].events.push(e);
  }

  const byId = new Map(treeRows.map((r) => [r.unit_id, r]));
  const order = unitIds === 'all' ? treeRows.map((r) => r.unit_id) : [...new Set(unitIds)].filter((id) => byId.has(id));
  const plans = new Map<string, PlanContent>();
  const reports = new Map<string, ArchivedReport>();
  const units = order.map((id): ArchivedUnitStatus => {
    const row = byId.get(id)!;
    const f = factsOf(id);
    if (f.plan.latest?.content_json !== undefined) plans.set(id, JSON.parse(f.plan.latest.content_json) as PlanContent);
    if (f.report.latest?.content_json !== undefined) {
      // validated when submitted; parsing again also fills defaults of older rows (commendations, reasons)
      const content = recordedReportContentSchema.parse(JSON.parse(f.report.latest.content_json));
      reports.set(id, content);
    }
    return {
      unitId: id,
      kind: row.kind,
      parentId: row.parent_id,
      depth: Number(row.depth),
      position: Number(row.position),
      childCount: Number(row.child_count),
      plan: phaseOfRows(f.plan, 'plan'),
      report: phaseOfRows(f.report, 'report'),
      closed: closedAt.has(id),
      closedAt: closedAt.get(id) ?? null,
    };
  });
  return { units, plans, reports };
}

/**
 * What a cycle looks like from the archive alone: one unit (default: the root) with the units directly under
 * it, each with its latest plan/report version, late flag, review state, overdue mark and last aggregate.
 * Throws `UnknownCycleError` for a cycle that never started in this database.
 */
export async function cycleArchiveStatus(db: Db, cycleId: string, unitId?: string): Promise<CycleArchiveStatus> {
  const header = await cycleHeader(db, cycleId);
  const top = unitId ?? header.rootUnitId;
  const children = await db
    .selectFrom('cycle_units')
    .select('unit_id')
    .where('cycle_id', '=', cycleId)
    .where('parent_id', '=', top)
    .orderBy('position')
    .execute();
  const ids = [top, ...children.map((c) => c.unit_id)];
  const { units } = await archivedUnits(db, cycleId, ids);
  const unit = units.find((u) => u.unitId === top);
  if (!unit) throw new UnitNotInCycleError(cycleId, top);
  const aggregates = await latestAggregates(db, cycleId, ids);
  const withAggregate = (u: ArchivedUnitStatus) => ({ ...u, aggregate: aggregates.get(u.unitId) ?? null });
  const root = unit.unitId === header.rootUnitId ? unit : (await archivedUnits(db, cycleId, [header.rootUnitId])).units[0];
  return {
    ...header,
    closed: root?.closed ?? false,
    closedAt: root?.closedAt ?? null,
    unit: withAggregate(unit),
    children: units.filter((u) => u.unitId !== top).map(withAggregate),
  };
}
