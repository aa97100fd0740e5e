// Pure, deterministic aggregation: a node's rollup is its own contribution merged with its children's.
// Merging is associative and commutative, so late reports are reconciled simply by merging again.
// Rollups hold counts, figures and capped id lists, never content (see aggregate-types.ts for the byte bound).
import {
  AGGREGATE_LIST_CAP,
  type Aggregate,
  type PhaseRollup,
  type Rates,
  type Rollup,
  type UnitList,
} from './aggregate-types';
import { FIGURE_KEYS, type Figures, ZERO_FIGURES, type Phase, PHASES } from './report';

export const emptyList = (): UnitList => ({ ids: [], total: 0 });

export const emptyPhaseRollup = (): PhaseRollup => ({
  expected: 0,
  submittedOnTime: emptyList(),
  submittedLate: emptyList(),
  notSubmitted: emptyList(),
  overdue: emptyList(),
});

export const emptyRollup = (): Rollup => ({
  plan: emptyPhaseRollup(),
  report: emptyPhaseRollup(),
  figures: { ...ZERO_FIGURES },
  commendations: { total: 0 },
});

function mergeLists(a: UnitList, b: UnitList): UnitList {
  const room = AGGREGATE_LIST_CAP - a.ids.length;
  return { ids: room > 0 ? a.ids.concat(b.ids.slice(0, room)) : a.ids.slice(0, AGGREGATE_LIST_CAP), total: a.total + b.total };
}

export function addFigures(a: Figures, b: Figures): Figures {
  const sum = { ...a };
  for (const key of FIGURE_KEYS) sum[key] = a[key] + b[key];
  return sum;
}

function mergePhase(a: PhaseRollup, b: PhaseRollup): PhaseRollup {
  return {
    expected: a.expected + b.expected,
    submittedOnTime: mergeLists(a.submittedOnTime, b.submittedOnTime),
    submittedLate: mergeLists(a.submittedLate, b.submittedLate),
    notSubmitted: mergeLists(a.notSubmitted, b.notSubmitted),
    overdue: mergeLists(a.overdue, b.overdue),
  };
}

export function mergeRollups(rollups: readonly Rollup[]): Rollup {
  return rollups.reduce(
    (acc, r) => ({
      plan: mergePhase(acc.plan, r.plan),
      report: mergePhase(acc.report, r.report),
      figures: addFigures(acc.figures, r.figures),
      // a count only: an older rollup's `items` (legacy) are dropped here
      commendations: { total: acc.commendations.total + r.commendations.total },
    }),
    emptyRollup(),
  );
}

/** One unit's own standing in one phase, as its parent counts it. */
export type PhaseStanding = 'on-time' | 'late' | 'pending' | 'overdue';

const one = (id: string): UnitList => ({ ids: [id], total: 1 });

export function phaseRollupOf(unitId: string, standing: PhaseStanding): PhaseRollup {
  return {
    expected: 1,
    submittedOnTime: standing === 'on-time' ? one(unitId) : emptyList(),
    submittedLate: standing === 'late' ? one(unitId) : emptyList(),
    notSubmitted: standing === 'pending' || standing === 'overdue' ? one(unitId) : emptyList(),
    overdue: standing === 'overdue' ? one(unitId) : emptyList(),
  };
}

/** Percent with one decimal, or null when nothing is expected (DHIS2 shows no rate then). */
function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part * 1000) / whole) / 10;
}

/** DHIS2 reporting rate (completeness) and reporting rate on time (timeliness). */
export function ratesOf(phase: PhaseRollup): Rates {
  const submitted = phase.submittedOnTime.total + phase.submittedLate.total;
  return { completeness: percent(submitted, phase.expected), timeliness: percent(phase.submittedOnTime.total, phase.expected) };
}

export function toAggregate(cycleId: string, unitId: string, asOf: string, below: Rollup, ownFigures: Figures): Aggregate {
  const rates = Object.fromEntries(PHASES.map((p) => [p, ratesOf(below[p])])) as Record<Phase, Rates>;
  return { cycleId, unitId, asOf, below, rates, totalFigures: addFigures(below.figures, ownFigures) };
}
