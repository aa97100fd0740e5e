// The aggregate of a node: DHIS2-style completeness over every unit below it, summed figures and the number of
// commendation proposals. JSON-safe; computed in workflow code by pure arithmetic (workflows/aggregate.ts).
// Content never travels in an aggregate: the proposals themselves stay in the archive's submissions table, and
// documents read them from there (activities/archive/subtree.ts, subtreeCommendations).
import type { Commendation, Figures, Phase } from './report';

/** Unit ids kept per list of an aggregate (its worst case: domain/workflow-limits.ts). */
export { AGGREGATE_LIST_CAP } from '../domain/workflow-limits';
/** What archived aggregates and workflows started before the bounded rollups may still carry (1,000 per list). */
export const LEGACY_AGGREGATE_LIST_CAP = 1_000;

export interface UnitList {
  ids: string[];
  /** how many exist in all (ids holds at most AGGREGATE_LIST_CAP of them) */
  total: number;
}

export interface PhaseRollup {
  /** units expected to submit (every unit below the node) */
  expected: number;
  submittedOnTime: UnitList;
  submittedLate: UnitList;
  /** not submitted (yet); after the due date these are the missing ones */
  notSubmitted: UnitList;
  /** of notSubmitted, those past their due date now */
  overdue: UnitList;
}

export interface CommendationCount {
  /** how many commendation proposals the units counted have made */
  total: number;
  /**
   * Only in aggregates recorded by workflows that ran before content left the rollups: the first proposals.
   * New aggregates never carry it; read the list with subtreeCommendations (activities/archive/subtree.ts).
   */
  items?: (Commendation & { unitId: string })[];
}

export interface Rollup {
  plan: PhaseRollup;
  report: PhaseRollup;
  /** sum over every submitted report below the node (plus the node's own figures in `Aggregate`) */
  figures: Figures;
  commendations: CommendationCount;
}

export interface Rates {
  /** DHIS2 reporting rate: submitted / expected, in percent (0–100, one decimal); null when nothing is expected */
  completeness: number | null;
  /** DHIS2 reporting rate on time: submitted on time / expected, percent */
  timeliness: number | null;
}

/** What a node's report is pre-filled with, what `cycle report` prints and what is sent upward. */
export interface Aggregate {
  cycleId: string;
  unitId: string;
  /** instant the aggregate was computed (workflow time) */
  asOf: string;
  /** of the units below */
  below: Rollup;
  rates: Record<Phase, Rates>;
  /** the node's own report figures (an intermediate's own activities) + below.figures */
  totalFigures: Figures;
}
