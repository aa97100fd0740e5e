// The state of one unit's task in a campaign cycle and the pure rules that move and aggregate it: any number of
// phases, in the frozen version's order, each figure aggregated by its own rule. Kept apart from the workflow
// function (workflows/campaign-unit.ts) so continue-as-new carries exactly this object and tests can drive it.
//
// Byte budget (the same discipline as workflows/unit-state.ts): no content, only figures, counts, versions and
// content hashes. A parent keeps per unit directly below a compact entry (its phases' summaries and its
// subtree's counts and figures): campaignEntryMaxBytes(view) at the largest legal values, so a parent of
// campaignFanOutLimit(view, plan) children stays within the payload budget (test/campaigns/campaign-state.test.ts
// measures it). Since patch v8-campaign-lists-below an entry may also keep a few ids of its subtree's lists, at most
// campaignBelowQuota per list: only as many as the room its entries leave (campaign-lists-below.ts).
import type { Escalation, PhaseDeadlines } from '../domain/calendar';
import { emptyRollup, mergeRollups, unitRollup, type FigureRollup, type FiguresRollup } from '../domain/campaign-aggregation';
import type { CampaignWorkflowView, FigureView, FormView } from '../domain/campaign-view';
import { targetSourcePhases, viewForm, viewTargetFigures } from '../domain/campaign-view';
import type { UnitKind } from '../domain/directory';
import { jsonBytes, PAYLOAD_BUDGET_BYTES } from '../domain/text';
import type { Rates, UnitList } from './aggregate-types';
import { campaignListCap, namesOf, sampleAtMost, sampleBytesPerQuota, type IdSamples, type NamedEntry } from './campaign-lists-below';
import type { PhaseProgress } from './messages';
import { CAMPAIGN_OWN_RESERVE_BYTES } from '../domain/workflow-limits';

export interface CampaignPhaseState {
  progress: PhaseProgress;
  deadlines: PhaseDeadlines;
  extended: boolean;
  overdue: boolean;
  remindersSent: number;
  escalationsSent: number;
  /** figures of the latest version (counted in aggregates); null before the first submission */
  figures: Record<string, number> | null;
  /** a plan form's targets of the latest version */
  targets: Record<string, number> | null;
  /** list items (commendation proposals) of the latest version: the lists themselves stay in the archive */
  listItems: number;
}

/** A figure aggregated over units (domain/campaign-aggregation.ts): `value` by the figure's rule, `reporting` units counted. */
export type FigureAggregate = FigureRollup;
export type FigureAggregates = FiguresRollup;

/** [expected, submitted on time, submitted late, not submitted, overdue] of one phase of a subtree. */
export type PhaseCounts = [number, number, number, number, number];

/** What a parent knows of one phase of a unit directly below. */
export interface CampaignChildPhase {
  progress: PhaseProgress['kind'];
  /** the latest version once submitted: what a review names */
  version?: number;
  late: boolean;
  overdue: boolean;
  /** the unit's own due date when an extension moved it (the parent recomputes its escalation rounds from it) */
  extendedDueDate: string | null;
  remindersSent: number;
}

/** A unit and everything below it, per phase key. */
export interface CampaignSubtree {
  counts: Record<string, PhaseCounts>;
  figures: Record<string, FigureAggregates>;
  /** only for phases whose form sets targets */
  targets: Record<string, FigureAggregates>;
  listItems: Record<string, number>;
}

/** The signal a unit sends upward whenever it or its subtree changes. */
export interface CampaignChildReport {
  unitId: string;
  /** increases with every report of this unit; older ones are ignored */
  seq: number;
  phases: Record<string, CampaignChildPhase>;
  subtree: CampaignSubtree;
  /**
   * Ids of the subtree's lists, the sender excluded, at most campaignListCap per list (patch
   * v8-campaign-lists-below; reports of runs before it have none).
   */
  below?: IdSamples;
}

export interface CampaignChildEntry {
  kind: UnitKind;
  seq: number;
  phases: Record<string, CampaignChildPhase>;
  subtree: CampaignSubtree;
  /** the first ids of the report's `below`, at most the parent's campaignBelowQuota per list; absent when none */
  below?: IdSamples;
}

export interface CampaignReceipt {
  unitId: string;
  phase: string;
  version: number;
  submittedAt: string;
  late: boolean;
  duplicate: boolean;
  contentHash: string;
}

export interface CampaignUnitState {
  /** per phase key, in the version's order */
  phases: Record<string, CampaignPhaseState>;
  /** idempotency key → receipt, so a repeated submission gets the same answer */
  receipts: Record<string, CampaignReceipt>;
  /** keys of scheduled events already handled (reminders, overdue marks, digests) */
  done: string[];
  children: Record<string, CampaignChildEntry>;
  /** sequence number of the last report sent upward */
  seq: number;
  closed: boolean;
  taskSent: boolean;
  childrenStarted: boolean;
  /** workflow time (ms) of the last "remind now" per phase key: its rate limit (absent in runs before it) */
  remindedNowAtMs?: Record<string, number>;
}

/** The key of an escalation round of a phase (the built-in's format, workflows/unit-state.ts, for any phase key). */
export const campaignEscalationKey = (phase: string, e: Escalation): string => `escalation:${phase}:${e.at}:${e.target}`;

export type Standing = 'on-time' | 'late' | 'pending' | 'overdue';

export function initialPhaseState(deadlines: PhaseDeadlines): CampaignPhaseState {
  return { progress: { kind: 'open' }, deadlines, extended: false, overdue: false, remindersSent: 0, escalationsSent: 0, figures: null, targets: null, listItems: 0 };
}

export function initialCampaignState(view: CampaignWorkflowView, level: Record<string, PhaseDeadlines>): CampaignUnitState {
  const phases: Record<string, CampaignPhaseState> = {};
  for (const p of view.phases) phases[p.key] = initialPhaseState(level[p.key]!);
  return { phases, receipts: {}, done: [], children: {}, seq: 0, closed: false, taskSent: false, childrenStarted: false };
}

export function isSubmitted(progress: PhaseProgress): progress is Exclude<PhaseProgress, { kind: 'open' }> {
  return progress.kind !== 'open';
}

/**
 * A phase opens once the one before it is submitted or past its deadline (the first is open from the start):
 * the built-in rule "the report opens once the plan is in or overdue", for any number of phases.
 */
export function phaseOpen(view: CampaignWorkflowView, state: CampaignUnitState, key: string): boolean {
  const i = view.phases.findIndex((p) => p.key === key);
  if (i <= 0) return i === 0;
  const previous = state.phases[view.phases[i - 1]!.key]!;
  return isSubmitted(previous.progress) || previous.overdue;
}

/** The phase a unit is working on: the first open one not submitted, else 'done'. */
export function currentPhase(view: CampaignWorkflowView, state: CampaignUnitState): string {
  for (const p of view.phases) {
    const ps = state.phases[p.key]!;
    if (!isSubmitted(ps.progress)) return p.key;
  }
  return 'done';
}

export function standingOfPhase(ps: CampaignPhaseState): Standing {
  if (ps.progress.kind === 'open') return ps.overdue ? 'overdue' : 'pending';
  return ps.progress.late ? 'late' : 'on-time';
}

export function childStanding(c: CampaignChildPhase): Standing {
  if (c.progress === 'open') return c.overdue ? 'overdue' : 'pending';
  return c.late ? 'late' : 'on-time';
}

// ---------------- aggregation by rule ----------------
// One rule book (domain/campaign-aggregation.ts) for the running aggregate, the DOCX and the XLSX: a unit's own
// values become a rollup with unitRollup, rollups merge with mergeRollups (associative and commutative, so the
// order of reports does not matter). A sum or count over no reporting unit is 0, a min or max over none null.

function mergeFigureSet(figures: readonly FigureView[], a: FigureAggregates | undefined, b: FigureAggregates | undefined): FigureAggregates {
  return mergeRollups(figures, a ?? emptyRollup(figures), b ?? emptyRollup(figures));
}

const COUNT_INDEX: Record<Standing, number[]> = { 'on-time': [1], late: [2], pending: [3], overdue: [3, 4] };

function addCounts(a: PhaseCounts, b: PhaseCounts): PhaseCounts {
  return a.map((n, i) => n + b[i]!) as PhaseCounts;
}

function selfCounts(standing: Standing): PhaseCounts {
  const c: PhaseCounts = [1, 0, 0, 0, 0];
  for (const i of COUNT_INDEX[standing]) c[i] = 1;
  return c;
}

/** The figures a phase's rollup carries: its form's; its targets: the target figures of a plan form. */
function phaseFigures(view: CampaignWorkflowView, phaseKey: string): { form: FormView; figures: FigureView[]; targets: FigureView[] } {
  const form = viewForm(view, view.phases.find((p) => p.key === phaseKey)!.form);
  return { form, figures: form.figures, targets: viewTargetFigures(view, form) };
}

/** Everything below this unit: the merge of its children's subtrees (or of its groups', campaign-fan-out.ts). */
export function belowSubtree(view: CampaignWorkflowView, state: Pick<CampaignUnitState, 'children'>): CampaignSubtree {
  const out: CampaignSubtree = { counts: {}, figures: {}, targets: {}, listItems: {} };
  const children = Object.values(state.children);
  for (const p of view.phases) {
    const { figures, targets } = phaseFigures(view, p.key);
    let counts: PhaseCounts = [0, 0, 0, 0, 0];
    let figs: FigureAggregates = mergeFigureSet(figures, undefined, undefined);
    let tgts: FigureAggregates | undefined = targets.length > 0 ? mergeFigureSet(targets, undefined, undefined) : undefined;
    let items = 0;
    for (const c of children) {
      const s = c.subtree;
      counts = addCounts(counts, s.counts[p.key] ?? [0, 0, 0, 0, 0]);
      figs = mergeFigureSet(figures, figs, s.figures[p.key]);
      if (tgts) tgts = mergeFigureSet(targets, tgts, s.targets[p.key]);
      items += s.listItems[p.key] ?? 0;
    }
    out.counts[p.key] = counts;
    out.figures[p.key] = figs;
    if (tgts) out.targets[p.key] = tgts;
    out.listItems[p.key] = items;
  }
  return out;
}

/** This unit's own submissions plus everything below: what its parent aggregates. */
export function subtreeOf(view: CampaignWorkflowView, state: CampaignUnitState, below: CampaignSubtree = belowSubtree(view, state)): CampaignSubtree {
  const out: CampaignSubtree = { counts: {}, figures: {}, targets: {}, listItems: {} };
  for (const p of view.phases) {
    const ps = state.phases[p.key]!;
    const { figures, targets } = phaseFigures(view, p.key);
    out.counts[p.key] = addCounts(selfCounts(standingOfPhase(ps)), below.counts[p.key]!);
    out.figures[p.key] = mergeFigureSet(figures, unitRollup(figures, ps.figures), below.figures[p.key]);
    if (targets.length > 0) out.targets[p.key] = mergeFigureSet(targets, unitRollup(targets, ps.targets), below.targets[p.key]);
    out.listItems[p.key] = ps.listItems + below.listItems[p.key]!;
  }
  return out;
}

export function childPhasesOf(view: CampaignWorkflowView, state: CampaignUnitState): Record<string, CampaignChildPhase> {
  const out: Record<string, CampaignChildPhase> = {};
  for (const p of view.phases) {
    const ps = state.phases[p.key]!;
    out[p.key] = {
      progress: ps.progress.kind,
      ...(isSubmitted(ps.progress) ? { version: ps.progress.version } : {}),
      late: isSubmitted(ps.progress) && ps.progress.late,
      overdue: ps.overdue,
      extendedDueDate: ps.extended ? ps.deadlines.dueDate : null,
      remindersSent: ps.remindersSent,
    };
  }
  return out;
}

/** A workflow's entries as its lists name them: a unit by its phases' standing, a group (no phases) only by its sample. */
export function namedEntries(children: Record<string, CampaignChildEntry>): NamedEntry[] {
  return Object.entries(children).map(([id, c]) => ({ id, standing: (phase) => (c.phases[phase] ? childStanding(c.phases[phase]) : null), below: c.below }));
}

/** What a unit reports upward; with `namesBelow` (patch v8-campaign-lists-below) the ids of its subtree's lists too. */
export function campaignChildReportOf(view: CampaignWorkflowView, unitId: string, state: CampaignUnitState, namesBelow = false): CampaignChildReport {
  const report: CampaignChildReport = { unitId, seq: state.seq, phases: childPhasesOf(view, state), subtree: subtreeOf(view, state) };
  if (namesBelow) report.below = namesOf(view, namedEntries(state.children), campaignListCap(view.phases.length));
  return report;
}

export function pristineCampaignChild(view: CampaignWorkflowView, kind: UnitKind): CampaignChildEntry {
  const state = initialCampaignState(view, Object.fromEntries(view.phases.map((p) => [p.key, NO_DEADLINES])));
  return { kind, seq: 0, phases: childPhasesOf(view, state), subtree: subtreeOf(view, state) };
}
const NO_DEADLINES: PhaseDeadlines = { dueDate: '', dueAt: '', reminders: [], escalations: [] };

// ---------------- the aggregate people read ----------------

export interface CampaignFigureAggregate extends FigureAggregate {
  /** the aggregated target of a plan phase for this figure (targetSourcePhases), when one sets it */
  target: number | null;
}

export interface CampaignPhaseAggregate {
  expected: number;
  submittedOnTime: UnitList;
  submittedLate: UnitList;
  notSubmitted: UnitList;
  overdue: UnitList;
  rates: Rates;
  /** the unit's own figures and everything below, by each figure's rule */
  figures: Record<string, CampaignFigureAggregate>;
  /** a plan phase's aggregated targets */
  targets: FigureAggregates | null;
  listItems: number;
}

/** A node's aggregate of a campaign cycle: what `cycle status`/`report` print, what is archived and sent upward. */
export interface CampaignAggregate {
  cycleId: string;
  unitId: string;
  campaignId: string;
  version: number;
  asOf: string;
  /** in the version's order */
  phases: Record<string, CampaignPhaseAggregate>;
}

export { campaignListCap };

const rate = (n: number, of: number): number | null => (of === 0 ? null : Math.round((1000 * n) / of) / 10);

/**
 * The aggregate of this unit and its subtree. Lists name this unit, the units directly below and the ids their
 * entries keep of their subtrees (patch v8-campaign-lists-below; before it entries keep none, and a unit whose
 * children are held by groups named only itself); capped by campaignListCap. The totals count everyone.
 */
export function campaignAggregateOf(view: CampaignWorkflowView, cycleId: string, unitId: string, asOf: string, state: CampaignUnitState): CampaignAggregate {
  const subtree = subtreeOf(view, state);
  const cap = campaignListCap(view.phases.length);
  const sources = targetSourcePhases(view);
  const phases: Record<string, CampaignPhaseAggregate> = {};
  const names = namesOf(view, namedEntries(state.children), cap, { id: unitId, standing: (phase) => standingOfPhase(state.phases[phase]!) });
  for (const p of view.phases) {
    const counts = subtree.counts[p.key]!;
    const lists: UnitList[] = [0, 1, 2, 3].map((i) => ({ ids: names[p.key]![i]!, total: counts[i + 1]! }));
    const source = sources[p.key];
    const targets = source ? subtree.targets[source] : undefined;
    const figures: Record<string, CampaignFigureAggregate> = {};
    // a target no unit of the subtree set yet is no target (null), whatever its rule's empty value (targetProgress)
    for (const [key, f] of Object.entries(subtree.figures[p.key]!)) {
      const t = targets?.[key];
      figures[key] = { ...f, target: t && t.reporting > 0 ? t.value : null };
    }
    phases[p.key] = {
      expected: counts[0],
      submittedOnTime: lists[0]!,
      submittedLate: lists[1]!,
      notSubmitted: lists[2]!,
      overdue: lists[3]!,
      rates: { completeness: rate(counts[1] + counts[2], counts[0]), timeliness: rate(counts[1], counts[0]) },
      figures,
      targets: subtree.targets[p.key] ?? null,
      listItems: subtree.listItems[p.key]!,
    };
  }
  return { cycleId, unitId, campaignId: view.campaignId, version: view.version, asOf, phases };
}

// ---------------- the byte budget of a parent ----------------

/** What a campaign unit keeps for itself in its continue-as-new input (domain/workflow-limits.ts). */
export { CAMPAIGN_OWN_RESERVE_BYTES };

/** The longest JSON number a figure aggregate can hold: a sum over the largest tree of the largest values. */
const MAX_NUMBER = -Number.MAX_SAFE_INTEGER / 7;

/** A child's entry with every field at its largest legal value (every figure's longest number), `quota` ids kept per list. */
export function campaignEntryAtMost(view: CampaignWorkflowView, quota = 0): CampaignChildEntry {
  const big = 999_999; // counts of a 130,000-unit country fit in 6 digits
  const fig = (): FigureAggregate => ({ value: MAX_NUMBER, reporting: big });
  const entry: CampaignChildEntry = { kind: 'intermediate', seq: Number.MAX_SAFE_INTEGER, phases: {}, subtree: { counts: {}, figures: {}, targets: {}, listItems: {} } };
  for (const p of view.phases) {
    const { figures, targets } = phaseFigures(view, p.key);
    entry.phases[p.key] = { progress: 'accepted', version: big, late: false, overdue: false, extendedDueDate: '2099-12-31', remindersSent: big };
    entry.subtree.counts[p.key] = [big, big, big, big, big];
    entry.subtree.figures[p.key] = Object.fromEntries(figures.map((f) => [f.key, fig()]));
    if (targets.length > 0) entry.subtree.targets[p.key] = Object.fromEntries(targets.map((f) => [f.key, fig()]));
    entry.subtree.listItems[p.key] = big;
  }
  if (quota > 0) entry.below = sampleAtMost(view, quota);
  return entry;
}

/** A child's entry at its largest legal values with its 64-byte id, as JSON bytes. */
export function campaignEntryMaxBytes(view: CampaignWorkflowView): number {
  return jsonBytes({ ['x'.repeat(64)]: campaignEntryAtMost(view) }) - 1;
}

/**
 * The most units directly below one unit a campaign cycle supports, so that its continue-as-new input (view, plan,
 * its own part and one entry per child at its largest) stays within PAYLOAD_BUDGET_BYTES.
 */
export function campaignFanOutLimit(view: CampaignWorkflowView, planBytes: number, absoluteMax: number): number {
  const room = PAYLOAD_BUDGET_BYTES - jsonBytes(view) - planBytes - CAMPAIGN_OWN_RESERVE_BYTES;
  return Math.max(1, Math.min(absoluteMax, Math.floor(room / campaignEntryMaxBytes(view))));
}

/**
 * How many ids per list a workflow of `entries` entries keeps of each entry's subtree (patch v8-campaign-lists-below):
 * as many as fit beside every entry at its largest in the room campaignFanOutLimit gives the entries, at most
 * campaignListCap / entries (so the kept ids together never exceed a list's cap). Fixed for a run by its number of
 * entries, so it never changes how many entries the workflow holds, nor the grouping of a cycle already running.
 */
export function campaignBelowQuota(view: CampaignWorkflowView, planBytes: number, entries: number): number {
  if (entries <= 0) return 0;
  const room = PAYLOAD_BUDGET_BYTES - jsonBytes(view) - planBytes - CAMPAIGN_OWN_RESERVE_BYTES;
  const spare = Math.floor(room / entries) - campaignEntryMaxBytes(view);
  // the `below` key and its phases' empty lists, then each id in each list
  const fixed = jsonBytes({ below: sampleAtMost(view, 0) });
  const fits = Math.floor((spare - fixed) / sampleBytesPerQuota(view));
  return Math.max(0, Math.min(Math.floor(campaignListCap(view.phases.length) / entries), fits));
}
