// The state of one unit's task and the pure rules that move it. Kept apart from the workflow function so the
// rules read as plain data transformations (and so continue-as-new carries exactly this object).
import type { PhaseDeadlines } from '../activities/calendar/types';
import type { UnitKind } from '../activities/directory/types';
import type { Rollup } from './aggregate-types';
import { emptyRollup, mergeRollups, phaseRollupOf, type PhaseStanding } from './aggregate';
import type { ChildReport, ChildView, PhaseProgress, PhaseView, SubmissionReceipt } from './messages';
import { ZERO_FIGURES, type Commendation, type Figures, type Phase } from './report';

export interface PhaseState {
  progress: PhaseProgress;
  deadlines: PhaseDeadlines;
  extended: boolean;
  overdue: boolean;
  remindersSent: number;
  escalationsSent: number;
}

export interface OwnReportData {
  figures: Figures;
  commendations: Commendation[];
}

export interface UnitState {
  plan: PhaseState;
  report: PhaseState;
  /** figures of the latest report version (counted in aggregates) */
  ownReport: OwnReportData | null;
  /** idempotency key → receipt, so a repeated submission gets the same answer */
  receipts: Record<string, SubmissionReceipt>;
  /** keys of scheduled events already handled (reminders, overdue marks, digests) */
  done: string[];
  children: Record<string, ChildEntry>;
  /** sequence number of the last report sent upward */
  seq: number;
  bounces: number;
  closed: boolean;
}

export interface ChildEntry {
  unitId: string;
  kind: UnitKind;
  seq: number;
  view: ChildView;
  subtree: Rollup;
}

export function initialPhase(deadlines: PhaseDeadlines): PhaseState {
  return { progress: { kind: 'open' }, deadlines, extended: false, overdue: false, remindersSent: 0, escalationsSent: 0 };
}

export function isSubmitted(progress: PhaseProgress): progress is Exclude<PhaseProgress, { kind: 'open' }> {
  return progress.kind !== 'open';
}

export function standingOf(phase: PhaseState): PhaseStanding {
  const p = phase.progress;
  if (p.kind === 'open') return phase.overdue ? 'overdue' : 'pending';
  return p.late ? 'late' : 'on-time';
}

export function phaseView(phase: PhaseState): PhaseView {
  return { ...phase };
}

/** What the parent sees of a unit that has not reported yet: open, on the level's deadlines. */
export function pristineChildView(unitId: string): ChildView {
  const phase = { progress: 'open' as const, late: false, overdue: false, deadlines: null, remindersSent: 0 };
  return { unitId, plan: { ...phase }, report: { ...phase } };
}

/** A unit below that has not reported yet counts as itself, pending in both phases. */
export function pristineSubtree(unitId: string): Rollup {
  return { ...emptyRollup(), plan: phaseRollupOf(unitId, 'pending'), report: phaseRollupOf(unitId, 'pending') };
}

export function childView(unitId: string, state: UnitState): ChildView {
  const summary = (p: PhaseState) => ({
    progress: p.progress.kind,
    late: isSubmitted(p.progress) && p.progress.late,
    overdue: p.overdue,
    deadlines: p.extended ? p.deadlines : null,
    remindersSent: p.remindersSent,
  });
  return { unitId, plan: summary(state.plan), report: summary(state.report) };
}

/** Everything below this unit, merged from its children's latest reports. */
export function belowRollup(state: UnitState): Rollup {
  return mergeRollups(Object.values(state.children).map((c) => c.subtree));
}

/** This unit's own contribution (its own submissions) plus everything below: what its parent aggregates. */
export function subtreeRollup(unitId: string, state: UnitState, below: Rollup): Rollup {
  const own = state.ownReport;
  const self: Rollup = {
    plan: phaseRollupOf(unitId, standingOf(state.plan)),
    report: phaseRollupOf(unitId, standingOf(state.report)),
    figures: own ? own.figures : { ...ZERO_FIGURES },
    commendations: {
      items: own ? own.commendations.map((c) => ({ ...c, unitId })) : [],
      total: own ? own.commendations.length : 0,
    },
  };
  return mergeRollups([self, below]);
}

export function childReportOf(unitId: string, state: UnitState): ChildReport {
  return { ...childView(unitId, state), seq: state.seq, subtree: subtreeRollup(unitId, state, belowRollup(state)) };
}

export function phaseOf(state: UnitState, phase: Phase): PhaseState {
  return phase === 'plan' ? state.plan : state.report;
}

/** The report phase opens once the plan is in, or once the plan deadline has passed. */
export function reportPhaseOpen(state: UnitState): boolean {
  return isSubmitted(state.plan.progress) || state.plan.overdue;
}
