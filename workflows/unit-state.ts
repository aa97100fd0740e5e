// The state of one unit's task and the pure rules that move it. Kept apart from the workflow function so the
// rules read as plain data transformations (and so continue-as-new carries exactly this object).
//
// Byte budget of this state (it is the continue-as-new input, with the DeadlinePlan of a few KiB): no content,
// only figures, counts, versions and content hashes. In memory a parent keeps a ChildEntry per unit directly
// below (≈ 300 bytes of JSON with ordinary ids, ≈ 1,700 at the largest legal values: 64-byte id, both deadlines
// extended); continue-as-new carries them packed instead (workflows/unit-state-packing.ts: ≤ 99 bytes a child,
// no id, no deadlines), so MAX_FAN_OUT = 2,000 children fit in 245 KiB with the unit's own part — receipts
// (≈ 250 bytes a submission) and done keys (≈ 60 bytes a scheduled event), which grow with the year's events,
// not with the tree; test/cycle/child-packing.test.ts measures it. The sampled ids below the children are
// shared, at most 4 lists × 2 phases × AGGREGATE_LIST_CAP ids in all (≈ 54 KB), and kept only by a unit of at
// most AGGREGATE_LIST_CAP children.
import type { Escalation, PhaseDeadlines } from '../domain/calendar';
import type { UnitKind } from '../domain/directory';
import { AGGREGATE_LIST_CAP, type PhaseRollup, type Rollup, type UnitList } from './aggregate-types';
import { emptyRollup, mergeRollups, phaseRollupOf, type PhaseStanding } from './aggregate';
import { summaryStanding } from './aggregate-running';
import type { ChildPhaseSummary, ChildReport, ChildView, PhaseProgress, PhaseView, SubmissionReceipt } from './messages';
import { FIGURE_KEYS, PHASES, ZERO_FIGURES, type Commendation, type Figures, type Phase } from './report';

export interface PhaseState {
  progress: PhaseProgress;
  deadlines: PhaseDeadlines;
  extended: boolean;
  overdue: boolean;
  remindersSent: number;
  escalationsSent: number;
}

/** What a unit keeps of its own latest report: figures and counts, never its text or its proposals. */
export interface OwnReportData {
  figures: Figures;
  /** how many commendation proposals it makes (the list itself is in the archive's submissions table) */
  commendationCount: number;
}

/** [expected, submitted on time, submitted late, not submitted, overdue] of one phase of a child's subtree. */
export type PhaseCounts = [number, number, number, number, number];
/** The figures in FIGURE_KEYS order (a tuple: hundreds of children are kept, each key named once here). */
export type FigureTuple = [number, number, number, number];
/** Ids below a child (the child itself excluded) in the lists of PhaseCounts after `expected`. */
export type IdSample = [string[], string[], string[], string[]];

/** A compact summary of one unit directly below: its own task state and its subtree's counts. */
export interface ChildEntry {
  kind: UnitKind;
  /** sequence number of the child's latest report (older ones are ignored) */
  seq: number;
  plan: ChildPhaseSummary;
  report: ChildPhaseSummary;
  /** of the child and everything below it */
  counts: Record<Phase, PhaseCounts>;
  figures: FigureTuple;
  commendations: number;
  /**
   * A few ids from the child's subtree lists, so a node's lists name units deeper down too: at most
   * ⌊AGGREGATE_LIST_CAP / number of children⌋ per list (none when there are more children than that).
   */
  below?: Record<Phase, IdSample>;
}

export interface UnitState {
  plan: PhaseState;
  report: PhaseState;
  /** figures of the latest report version (counted in aggregates) */
  ownReport: OwnReportData | null;
  /** idempotency key → receipt (with the content hash), so a repeated submission gets the same answer */
  receipts: Record<string, SubmissionReceipt>;
  /** keys of scheduled events already handled (reminders, overdue marks, digests) */
  done: string[];
  children: Record<string, ChildEntry>;
  /** sequence number of the last report sent upward */
  seq: number;
  /** counted by workflows before email became asynchronous; bounces are read from the outbox (listBounces) */
  bounces: number;
  closed: boolean;
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

const figureTuple = (f: Figures): FigureTuple => FIGURE_KEYS.map((k) => f[k]) as FigureTuple;
const countsOf = (p: PhaseRollup): PhaseCounts => [p.expected, p.submittedOnTime.total, p.submittedLate.total, p.notSubmitted.total, p.overdue.total];

/** What the parent keeps of a unit that has not reported yet: open, on the level's deadlines, pending. */
export function pristineChild(kind: UnitKind): ChildEntry {
  const phase: ChildPhaseSummary = { progress: 'open', late: false, overdue: false, deadlines: null, remindersSent: 0 };
  const pending: PhaseCounts = [1, 0, 0, 1, 0];
  return { kind, seq: 0, plan: { ...phase }, report: { ...phase }, counts: { plan: [...pending], report: [...pending] }, figures: [0, 0, 0, 0], commendations: 0 };
}

/** The compact entry of a child's report; `quota` ids of its subtree are kept per list. */
export function childEntryOf(report: ChildReport, kind: UnitKind, quota: number): ChildEntry {
  const sample = (p: PhaseRollup): IdSample =>
    [p.submittedOnTime, p.submittedLate, p.notSubmitted, p.overdue].map((l) => (quota > 0 ? l.ids.filter((id) => id !== report.unitId).slice(0, quota) : [])) as IdSample;
  const below = { plan: sample(report.subtree.plan), report: sample(report.subtree.report) };
  const entry: ChildEntry = {
    kind,
    seq: report.seq,
    plan: report.plan,
    report: report.report,
    counts: { plan: countsOf(report.subtree.plan), report: countsOf(report.subtree.report) },
    figures: figureTuple(report.subtree.figures),
    commendations: report.subtree.commendations.total,
  };
  if (PHASES.some((p) => below[p].some((ids) => ids.length > 0))) entry.below = below;
  return entry;
}

/** A child entry of a state carried over by a run before rollups were bounded: { unitId, kind, seq, view, subtree }. */
interface LegacyChildEntry {
  unitId: string;
  kind: UnitKind;
  seq: number;
  view: ChildView;
  subtree: Rollup;
}

/** The state a continue-as-new carried over, in today's shape whatever run wrote it. */
export function upgradeState<S extends UnitState>(resumed: S, quota: number): S {
  const children: Record<string, ChildEntry> = {};
  for (const [id, raw] of Object.entries(resumed.children as Record<string, ChildEntry | LegacyChildEntry>)) {
    children[id] = 'view' in raw ? childEntryOf({ ...raw.view, unitId: id, seq: raw.seq, subtree: raw.subtree }, raw.kind, quota) : raw;
  }
  const own = resumed.ownReport as (OwnReportData & { commendations?: Commendation[] }) | null;
  const ownReport = own ? { figures: own.figures, commendationCount: own.commendationCount ?? own.commendations?.length ?? 0 } : null;
  return { ...resumed, children, ownReport };
}

export function childView(unitId: string, state: UnitState): ChildView {
  const summary = (p: PhaseState): ChildPhaseSummary => ({
    progress: p.progress.kind,
    ...(isSubmitted(p.progress) ? { version: p.progress.version } : {}),
    late: isSubmitted(p.progress) && p.progress.late,
    overdue: p.overdue,
    deadlines: p.extended ? p.deadlines : null,
    remindersSent: p.remindersSent,
  });
  return { unitId, plan: summary(state.plan), report: summary(state.report) };
}

class CappedList {
  readonly list: UnitList = { ids: [], total: 0 };
  push(ids: readonly string[]) {
    for (const id of ids) if (this.list.ids.length < AGGREGATE_LIST_CAP) this.list.ids.push(id);
  }
}

/**
 * Everything below this unit, recomputed from every child entry (O(children)): the reference that the running
 * totals of workflows/aggregate-running.ts, which the workflow uses, must equal. Lists are in depth-first
 * order: each child, then the ids sampled below it.
 */
export function belowRollup(state: UnitState): Rollup {
  const rollup = emptyRollup();
  const entries = Object.entries(state.children);
  for (const phase of PHASES) {
    const lists = [new CappedList(), new CappedList(), new CappedList(), new CappedList()] as const;
    const standingList: Record<PhaseStanding, number[]> = { 'on-time': [0], late: [1], pending: [2], overdue: [2, 3] };
    let expected = 0;
    for (const [id, child] of entries) {
      const counts = child.counts[phase];
      expected += counts[0];
      const own = standingList[summaryStanding(child[phase])];
      lists.forEach((l, i) => {
        l.list.total += counts[i + 1]!;
        if (own.includes(i)) l.push([id]);
        const sample = child.below?.[phase][i];
        if (sample) l.push(sample);
      });
    }
    rollup[phase] = { expected, submittedOnTime: lists[0].list, submittedLate: lists[1].list, notSubmitted: lists[2].list, overdue: lists[3].list };
  }
  for (const [, child] of entries) {
    FIGURE_KEYS.forEach((k, i) => (rollup.figures[k] += child.figures[i]!));
    rollup.commendations.total += child.commendations;
  }
  return rollup;
}

/** This unit's own contribution (its own submissions) plus everything below: what its parent aggregates. */
export function subtreeRollup(unitId: string, state: UnitState, below: Rollup): Rollup {
  const own = state.ownReport;
  const self: Rollup = {
    plan: phaseRollupOf(unitId, standingOf(state.plan)),
    report: phaseRollupOf(unitId, standingOf(state.report)),
    figures: own ? own.figures : { ...ZERO_FIGURES },
    commendations: { total: own ? own.commendationCount : 0 },
  };
  return mergeRollups([self, below]);
}

/** What this unit reports upward; `below`: its running aggregate (RunningAggregate), by default recomputed. */
export function childReportOf(unitId: string, state: UnitState, below: Rollup = belowRollup(state)): ChildReport {
  return { ...childView(unitId, state), seq: state.seq, subtree: subtreeRollup(unitId, state, below) };
}

// Whether a scheduled event still applies when it runs: the loop lists a batch of due events at once, and while
// one of them awaits an activity an update (a submission, an extension) may change the state under the rest.

/** A reminder at `at` applies while the phase is open and `at` is still one of its reminders. */
export function reminderApplies(phase: PhaseState, at: string): boolean {
  return phase.progress.kind === 'open' && phase.deadlines.reminders.includes(at);
}

/** The due mark of `dueAt` applies while the phase is open and still due then (an extension moves it). */
export function dueMarkApplies(phase: PhaseState, dueAt: string): boolean {
  return phase.progress.kind === 'open' && phase.deadlines.dueAt === dueAt;
}

export const escalationKey = (phase: Phase, e: Escalation): string => `escalation:${phase}:${e.at}:${e.target}`;

/** A child belongs in the escalation round `key` while it is open and the round is on its deadlines. */
export function escalationApplies(child: ChildPhaseSummary | undefined, levelDeadlines: PhaseDeadlines, phase: Phase, key: string): boolean {
  return !!child && child.progress === 'open' && (child.deadlines ?? levelDeadlines).escalations.some((e) => escalationKey(phase, e) === key);
}

export function phaseOf(state: UnitState, phase: Phase): PhaseState {
  return phase === 'plan' ? state.plan : state.report;
}

/** The report phase opens once the plan is in, or once the plan deadline has passed. */
export function reportPhaseOpen(state: UnitState): boolean {
  return isSubmitted(state.plan.progress) || state.plan.overdue;
}
