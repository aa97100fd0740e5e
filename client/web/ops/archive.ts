// The staff's cycle views of a closed cycle, read from the archive alone (the workflow has closed, or Temporal's
// retention deleted it): read-only, with the archive note.
import { latestAggregate, latestAggregates, type ArchivedAggregate } from '../../../activities/archive/aggregates';
import { archivedUnits, cycleArchiveStatus, type ArchivedUnitStatus } from '../../../activities/archive/status';
import { auditTrail, latestSubmission, type LatestSubmission } from '../../../activities/archive/store';
import { rebuildAggregate } from '../../../activities/archive/subtree';
import type { Db } from '../../../activities/db/database';
import type { Aggregate } from '../../../workflows/aggregate-types';
import { PHASES, type Phase } from '../../../workflows/report';
import { cycleAggregate } from '../../cycles';
import { canSee, topUnits, type Staff } from '../staff';
import type { CycleTree } from '../tree';
import type { UndeliveredMail } from '../../../activities/mail/outbox';
import { mapLimit, namesOf, QUERY_CONCURRENCY, reading, undeliveredBelow, withCommendations, type WebDeps } from './deps';
import { ARCHIVE_NOTE, breadcrumbIds, requireVisible, selectRows, type CycleAccess, type CycleFilters } from './scope';

// ── a closed cycle, from the archive ────────────────────────────────────────────────────────────────────

export interface ArchivedAggregateView {
  aggregate: Aggregate;
  /** `recorded`: the aggregate the workflow archived; `rebuilt`: recomputed from the archived submissions */
  source: 'recorded' | 'rebuilt';
  final: boolean;
}

/** The archived aggregate of a node, else one rebuilt from the archive with the workflow's rules. */
async function archivedAggregate(db: Db, cycleId: string, unitId: string, recorded: ArchivedAggregate | null | undefined, closed: boolean): Promise<ArchivedAggregateView> {
  const found = recorded === undefined ? await latestAggregate(db, cycleId, unitId) : recorded;
  if (found) return { aggregate: await withCommendations(db, found.aggregate), source: 'recorded', final: found.final };
  return { aggregate: await withCommendations(db, await rebuildAggregate(db, { cycleId, unitId })), source: 'rebuilt', final: closed };
}

export interface ArchivedCycleInfo {
  rootUnitId: string;
  /** the directory date the tree was frozen at */
  treeAsOf: string;
  unitCount: number;
  closed: boolean;
  closedAt: string | null;
}

export interface ArchivedUnitRow {
  id: string;
  name: string;
  depth: number;
  childCount: number;
  status?: ArchivedUnitStatus;
  /** of the units below it; null for a unit with none */
  aggregate: Aggregate | null;
}

export interface ArchivedCycleOverview {
  source: 'archive';
  note: string;
  cycleId: string;
  cycle: ArchivedCycleInfo;
  tree: CycleTree;
  focus: { id: string; name: string; status: ArchivedUnitStatus; aggregate: ArchivedAggregateView | null };
  breadcrumb: { id: string; name: string }[];
  rows: ArchivedUnitRow[];
  total: number;
  page: number;
  filters: Required<Pick<CycleFilters, 'overdue'>> & { level?: number };
  levels: number[];
  figuresAllowed: boolean;
  /** as in CycleOverview */
  undelivered: UndeliveredMail[];
}

export async function loadArchivedOverview(deps: WebDeps, staff: Staff, access: CycleAccess, filters: CycleFilters): Promise<ArchivedCycleOverview> {
  const { tree, cycleId } = access;
  const { db } = deps;
  const focusId = filters.unit ?? topUnits(tree, staff)[0]!;
  requireVisible(access, staff, focusId);
  const archived = await cycleArchiveStatus(db, cycleId, focusId);
  const { aggregate: recorded, ...focusStatus } = archived.unit;
  const focusAggregate = focusStatus.childCount > 0 ? await archivedAggregate(db, cycleId, focusId, recorded, focusStatus.closed) : null;
  const below = focusAggregate?.aggregate.below;
  const { ids, slice, page, level, levels } = selectRows(tree, focusId, filters, () => (below ? [...below.plan.overdue.ids, ...below.report.overdue.ids] : []));
  const crumbs = breadcrumbIds(tree, staff, focusId);
  const withBelow = slice.filter((id) => tree.node(id)!.childCount > 0);
  const [names, { units }, recordedBelow, undelivered] = await Promise.all([
    namesOf(db, [...slice, ...crumbs]),
    archivedUnits(db, cycleId, slice),
    latestAggregates(db, cycleId, withBelow),
    undeliveredBelow(db, tree, cycleId, focusId),
  ]);
  const statuses = new Map(units.map((u) => [u.unitId, u]));
  const aggregates = await mapLimit(slice, QUERY_CONCURRENCY, async (id) =>
    tree.node(id)!.childCount > 0 ? (await archivedAggregate(db, cycleId, id, recordedBelow.get(id) ?? null, statuses.get(id)?.closed ?? false)).aggregate : null,
  );
  return {
    source: 'archive',
    note: ARCHIVE_NOTE,
    cycleId,
    cycle: { rootUnitId: archived.rootUnitId, treeAsOf: archived.treeAsOf, unitCount: archived.unitCount, closed: archived.closed, closedAt: archived.closedAt },
    tree,
    focus: { id: focusId, name: names.get(focusId)?.name ?? focusId, status: focusStatus, aggregate: focusAggregate },
    breadcrumb: crumbs.map((id) => ({ id, name: names.get(id)?.name ?? id })),
    rows: slice.map((id, i) => {
      const n = tree.node(id)!;
      return { id, name: names.get(id)?.name ?? id, depth: n.depth, childCount: n.childCount, status: statuses.get(id), aggregate: aggregates[i] ?? null };
    }),
    total: ids.length,
    page,
    filters: { overdue: !!filters.overdue, level },
    levels,
    figuresAllowed: canSee(tree, staff, tree.rootId),
    undelivered,
  };
}

export interface ArchivedUnitDetail {
  source: 'archive';
  note: string;
  cycleId: string;
  cycle: ArchivedCycleInfo;
  unit: { id: string; name: string; kind: string };
  parent?: { id: string; name: string };
  status: ArchivedUnitStatus;
  /** the units directly below, in the tree's order */
  children: { id: string; name: string; status: ArchivedUnitStatus }[];
  aggregate: ArchivedAggregateView | null;
  latest: Record<Phase, LatestSubmission | undefined>;
  audit: Awaited<ReturnType<typeof auditTrail>>;
  /** unit id → name for every id the page lists */
  names: Record<string, string>;
}

export async function loadArchivedUnitDetail(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string): Promise<ArchivedUnitDetail> {
  requireVisible(access, staff, unitId);
  const { cycleId, tree } = access;
  const { db } = deps;
  const node = tree.node(unitId)!;
  const [archived, latestPlan, latestReport, audit] = await Promise.all([
    cycleArchiveStatus(db, cycleId, unitId),
    latestSubmission(db, cycleId, unitId, 'plan'),
    latestSubmission(db, cycleId, unitId, 'report'),
    auditTrail(db, cycleId, unitId),
  ]);
  const { aggregate: recorded, ...status } = archived.unit;
  const aggregate = status.childCount > 0 ? await archivedAggregate(db, cycleId, unitId, recorded, status.closed) : null;
  const below = aggregate?.aggregate.below;
  const listed = below ? PHASES.flatMap((p) => [...below[p].submittedOnTime.ids, ...below[p].submittedLate.ids, ...below[p].notSubmitted.ids]) : [];
  const names = await namesOf(db, [
    unitId,
    ...(node.parentId ? [node.parentId] : []),
    ...archived.children.map((c) => c.unitId),
    ...listed,
    ...(below?.commendations.items ?? []).map((c) => c.unitId),
    ...audit.map((e) => e.actor),
  ]);
  const name = (id: string) => names.get(id)?.name ?? id;
  return {
    source: 'archive',
    note: ARCHIVE_NOTE,
    cycleId,
    cycle: { rootUnitId: archived.rootUnitId, treeAsOf: archived.treeAsOf, unitCount: archived.unitCount, closed: archived.closed, closedAt: archived.closedAt },
    unit: { id: unitId, name: name(unitId), kind: node.kind },
    parent: node.parentId ? { id: node.parentId, name: name(node.parentId) } : undefined,
    status,
    children: archived.children.map(({ aggregate: _ignored, ...c }) => ({ id: c.unitId, name: name(c.unitId), status: c })),
    aggregate,
    latest: { plan: latestPlan, report: latestReport },
    audit,
    names: Object.fromEntries([...names.values()].map((u) => [u.id, u.name])),
  };
}

/** A node's aggregate: the workflow's while the cycle runs, the archived (or rebuilt) one once it has closed. */
export async function nodeAggregate(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string): Promise<{ aggregate: Aggregate; final: boolean; source: 'live' | ArchivedAggregateView['source'] }> {
  requireVisible(access, staff, unitId);
  const { cycleId } = access;
  if ((await access.source()) === 'live') return { aggregate: await reading(deps, () => cycleAggregate(deps.client, cycleId, unitId)), final: false, source: 'live' };
  const closed = (await archivedUnits(deps.db, cycleId, [unitId])).units[0]?.closed ?? false;
  return archivedAggregate(deps.db, cycleId, unitId, undefined, closed);
}
