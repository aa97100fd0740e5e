// A unit's subtree of a cycle read from the archive, and its aggregate rebuilt from it with the workflow's own
// rules (workflows/aggregate.ts): what documents of a closed cycle are made of when no aggregate was recorded,
// and a check on the ones that were.
import { AGGREGATE_LIST_CAP, type Aggregate, type CommendationCount, type PhaseRollup, type Rollup, type UnitList } from '../../workflows/aggregate-types';
import { addFigures, toAggregate } from '../../workflows/aggregate';
import { PHASES, ZERO_FIGURES, type Figures, type PlanContent } from '../../workflows/report';
import type { Db } from '../db/database';
import { cycleSubtreeIds } from '../directory/repository';
import { archivedUnits, cycleHeader, instantMs, type ArchivedReport, type ArchivedUnitStatus, type CycleHeader } from './status';

export interface SubtreeArchive {
  header: CycleHeader;
  unitId: string;
  /** only what happened at or before this instant was read (undefined: everything) */
  asOf: string | undefined;
  /** the unit first, then every unit below it depth-first in the tree's order */
  order: string[];
  units: Map<string, ArchivedUnitStatus>;
  plans: Map<string, PlanContent>;
  reports: Map<string, ArchivedReport>;
}

/** Reads the subtree of `unitId` in a cycle's frozen tree with every unit's archived state. */
export async function loadSubtree(db: Db, input: { cycleId: string; unitId: string; asOf?: string }): Promise<SubtreeArchive> {
  const header = await cycleHeader(db, input.cycleId);
  const order = await cycleSubtreeIds(db, { cycleId: input.cycleId, unitId: input.unitId });
  const { units, plans, reports } = await archivedUnits(db, input.cycleId, order, { asOf: input.asOf });
  return { header, unitId: input.unitId, asOf: input.asOf, order, units: new Map(units.map((u) => [u.unitId, u])), plans, reports };
}

/** Appends ids to capped lists in one pass (merging one-unit rollups one by one would copy the lists each time). */
class ListBuilder {
  readonly list: UnitList = { ids: [], total: 0 };
  add(id: string) {
    if (this.list.ids.length < AGGREGATE_LIST_CAP) this.list.ids.push(id);
    this.list.total += 1;
  }
}

function phaseBuilder() {
  const lists = { submittedOnTime: new ListBuilder(), submittedLate: new ListBuilder(), notSubmitted: new ListBuilder(), overdue: new ListBuilder() };
  let expected = 0;
  return {
    add(unit: ArchivedUnitStatus, phase: 'plan' | 'report') {
      expected += 1;
      const standing = unit[phase].standing;
      if (standing === 'on-time') lists.submittedOnTime.add(unit.unitId);
      else if (standing === 'late') lists.submittedLate.add(unit.unitId);
      else {
        lists.notSubmitted.add(unit.unitId);
        if (standing === 'overdue') lists.overdue.add(unit.unitId);
      }
    },
    build(): PhaseRollup {
      return {
        expected,
        submittedOnTime: lists.submittedOnTime.list,
        submittedLate: lists.submittedLate.list,
        notSubmitted: lists.notSubmitted.list,
        overdue: lists.overdue.list,
      };
    },
  };
}

/**
 * The rollup of the units below `sub.unitId` (the unit itself excluded), as the workflow merges it: each
 * unit counted once per phase, lists in depth-first tree order capped at AGGREGATE_LIST_CAP, figures and
 * commendation proposals of every unit's latest report summed.
 */
export function belowRollupOf(sub: SubtreeArchive): Rollup {
  const plan = phaseBuilder();
  const report = phaseBuilder();
  let figures: Figures = { ...ZERO_FIGURES };
  const commendations: Rollup['commendations'] = { total: 0 };
  for (const id of sub.order) {
    if (id === sub.unitId) continue;
    const unit = sub.units.get(id);
    if (!unit) continue;
    plan.add(unit, 'plan');
    report.add(unit, 'report');
    const content = sub.reports.get(id);
    if (!content) continue;
    figures = addFigures(figures, content.figures);
    commendations.total += content.commendations.length;
  }
  return { plan: plan.build(), report: report.build(), figures, commendations };
}

/**
 * The aggregate of `sub.unitId` rebuilt from the archive. `asOf` defaults to the subtree's read instant, else
 * the unit's close, else the newest instant in its archive.
 */
export function aggregateOfSubtree(sub: SubtreeArchive, asOf?: string): Aggregate {
  const own = sub.reports.get(sub.unitId)?.figures ?? { ...ZERO_FIGURES };
  const unit = sub.units.get(sub.unitId);
  const instants = [...sub.units.values()].flatMap((u) => PHASES.flatMap((p) => [u[p].submission?.submittedAt, u[p].submission?.reviewedAt])).filter((x): x is string => !!x);
  const at = asOf ?? sub.asOf ?? unit?.closedAt ?? instants.sort((a, b) => instantMs(a) - instantMs(b)).at(-1) ?? new Date().toISOString();
  return toAggregate(sub.header.cycleId, sub.unitId, at, belowRollupOf(sub), own);
}

/** Proposals listed in documents and emails, at most: the rest are counted and stay in the archive. */
export const COMMENDATION_LIST_CAP = 1_000;

/**
 * The commendation proposals of the units below `sub.unitId` (the unit itself excluded), in depth-first tree
 * order, at most `limit` of them, with how many exist: what rollups no longer carry (they count them only).
 */
export function commendationsBelow(sub: SubtreeArchive, limit = COMMENDATION_LIST_CAP): Required<CommendationCount> {
  const out: Required<CommendationCount> = { items: [], total: 0 };
  for (const id of sub.order) {
    if (id === sub.unitId) continue;
    for (const c of sub.reports.get(id)?.commendations ?? []) {
      if (out.items.length < limit) out.items.push({ ...c, unitId: id });
      out.total += 1;
    }
  }
  return out;
}

/** Reads the subtree of a unit as of an instant and lists the proposals below it (see commendationsBelow). */
export async function subtreeCommendations(db: Db, input: { cycleId: string; unitId: string; asOf?: string; limit?: number }): Promise<Required<CommendationCount>> {
  return commendationsBelow(await loadSubtree(db, input), input.limit);
}

/** The summed figures of the subtree of each unit directly under `sub.unitId` (its own report included). */
export function figuresByChild(sub: SubtreeArchive): Map<string, Figures> {
  const out = new Map<string, Figures>();
  for (const id of sub.order) {
    const unit = sub.units.get(id);
    if (unit?.parentId === sub.unitId) out.set(id, { ...ZERO_FIGURES });
  }
  for (const [id, content] of sub.reports) {
    // walk up to the ancestor directly under the node (depth ≤ MAX_TREE_DEPTH)
    let cur = sub.units.get(id);
    while (cur && cur.parentId !== sub.unitId) cur = cur.parentId ? sub.units.get(cur.parentId) : undefined;
    if (!cur) continue;
    out.set(cur.unitId, addFigures(out.get(cur.unitId)!, content.figures));
  }
  return out;
}

/** Convenience for callers without a subtree at hand: load and rebuild in one step. */
export async function rebuildAggregate(db: Db, input: { cycleId: string; unitId: string; asOf?: string }): Promise<Aggregate> {
  return aggregateOfSubtree(await loadSubtree(db, input), input.asOf);
}
