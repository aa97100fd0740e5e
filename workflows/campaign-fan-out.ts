// How a campaign unit holds more units directly below it than one workflow can keep entries for. A unit keeps one
// entry per child (campaign-state.ts: per phase its summary, counts and figure aggregates), and at most
// campaignMaxChildren(view, plan) of them fit its continue-as-new input. A unit with more children starts
// **groups** (campaign-group.ts): each holds the entries of a range of its children — or of smaller groups, when the
// range is itself too wide — and reports upward the merge of them as one entry, with no phases of its own. Since
// every rule merges associatively (domain/campaign-aggregation.ts), the unit's aggregate over its groups' merges is
// exactly the aggregate over its children: a sum or a count is added up, and a minimum or maximum is recomputed by
// the group from its children's latest entries whenever one changes — a child's value that goes down is never lost
// in a running total. A group chases its own children (the escalation digests of its range, addressed to the unit).
import type { Escalation, PhaseDeadlines } from '../domain/calendar';
import type { CampaignWorkflowView } from '../domain/campaign-view';
import type { UnitRef } from '../domain/directory';
import { ParentClosePolicy, startChild, workflowInfo } from '@temporalio/workflow';
import { store } from './activities-proxy';
import { campaignListCap, namesOf } from './campaign-lists-below';
import { belowSubtree, campaignEscalationKey, namedEntries, pristineCampaignChild, type CampaignChildEntry, type CampaignChildReport } from './campaign-state';
import type { campaignUnitWorkflow, CampaignUnitWorkflowInput } from './campaign-unit';
import { unitWorkflowId } from './ids';
import { CAMPAIGN, CYCLE, OVERDUE, PARENT, PHASE, UNIT } from './search-attributes';
import { childTaskTimeout } from './task-timeout';
import { HISTORY_BYTES_BUDGET, HISTORY_EVENTS_BUDGET, START_PAGE } from './unit';
import { MAX_FAN_OUT } from './unit-state-packing';

/** Direct children a campaign unit may have: as many as a built-in unit (MAX_FAN_OUT). */
export const CAMPAIGN_MAX_FAN_OUT = MAX_FAN_OUT;

/** A range of a unit's children, in the order of the cycle's frozen tree (listCycleChildren). */
export interface ChildRange {
  offset: number;
  count: number;
}

/**
 * The direct children of most units a campaign cycle supports, given how many entries one workflow keeps
 * (`capacity`): with at least two, groups of groups reach CAMPAIGN_MAX_FAN_OUT; with one, nothing can be grouped.
 */
export function campaignSupportedFanOut(capacity: number): number {
  return capacity >= 2 ? CAMPAIGN_MAX_FAN_OUT : capacity;
}

/**
 * How a workflow holding the children [offset, offset + count) splits them when they are more than `capacity`:
 * into at most `capacity` ranges of capacity^k children each (the last one shorter), k the smallest that makes them
 * few enough — so every workflow of the cycle keeps at most `capacity` entries.
 */
export function groupRanges(offset: number, count: number, capacity: number): ChildRange[] {
  if (capacity < 2) throw new RangeError(`cannot group children ${capacity} at a time`);
  let span = capacity;
  while (Math.ceil(count / span) > capacity) span *= capacity;
  const ranges: ChildRange[] = [];
  for (let at = 0; at < count; at += span) ranges.push({ offset: offset + at, count: Math.min(span, count - at) });
  return ranges;
}

/** A group's key among the entries of the workflow it reports to; `#` is in no unit id ([A-Za-z0-9_.-]). */
export const groupKey = (r: ChildRange): string => `#${r.offset}-${r.count}`;
export const isGroupKey = (id: string): boolean => id.startsWith('#');
/** The range a group key names (groupKey's inverse). */
export function rangeOfGroupKey(key: string): ChildRange {
  const [offset, count] = key.slice(1).split('-').map(Number);
  return { offset: offset!, count: count! };
}

/** A group before its first report: `count` units that have not reported yet, as their pristine entries add up. */
export function pristineGroupEntry(view: CampaignWorkflowView, count: number): CampaignChildEntry {
  const one = pristineCampaignChild(view, 'grassroots').subtree;
  const counts = Object.fromEntries(Object.entries(one.counts).map(([k, c]) => [k, c.map((n) => n * count)])) as typeof one.counts;
  return { kind: 'intermediate', seq: 0, phases: {}, subtree: { ...one, counts } };
}

/**
 * What a group reports upward: the merge of its entries, no phases of its own (it has no task); with `namesBelow`
 * (patch v8-campaign-lists-below) the ids of its units and of their samples, up to the lists' cap.
 */
export function groupReportOf(view: CampaignWorkflowView, key: string, seq: number, children: Record<string, CampaignChildEntry>, namesBelow = false): CampaignChildReport {
  const report: CampaignChildReport = { unitId: key, seq, phases: {}, subtree: belowSubtree(view, { children }) };
  if (namesBelow) report.below = namesOf(view, namedEntries(children), campaignListCap(view.phases.length));
  return report;
}

/** How many entries a workflow holding `count` children keeps: them, or the groups over them (groupRanges). */
export function entriesHeld(count: number, capacity: number): number {
  return count <= capacity || capacity < 2 ? count : groupRanges(0, count, capacity).length;
}

/** The child input of a unit `ref` directly below `parent`, reporting to `reportToWorkflowId` (the parent's or a group's). */
export function campaignChildInput(parent: CampaignUnitWorkflowInput, ref: UnitRef, reportToWorkflowId: string): CampaignUnitWorkflowInput {
  const { resume: _resume, ...rest } = parent;
  return {
    ...rest,
    unitId: ref.id,
    kind: ref.kind,
    depth: parent.depth + 1,
    parentUnitId: parent.unitId,
    grandparentUnitId: parent.parentUnitId,
    reportToWorkflowId,
    childCount: ref.childCount,
  };
}

/** Starts the tasks of the children [offset, offset + count) of `parent`, a page at a time; `started` learns each. */
export async function startCampaignUnits(parent: CampaignUnitWorkflowInput, reportToWorkflowId: string, range: ChildRange, started: (ref: UnitRef) => void): Promise<void> {
  const { cycleId, unitId } = parent;
  const end = range.offset + range.count;
  for (let offset = range.offset; offset < end; offset += START_PAGE) {
    const refs = await store.listCycleChildren({ cycleId, unitId, offset, limit: Math.min(START_PAGE, end - offset) });
    await Promise.all(
      refs.map((ref) =>
        startChild<typeof campaignUnitWorkflow>('campaignUnitWorkflow', {
          workflowId: unitWorkflowId(cycleId, ref.id),
          args: [campaignChildInput(parent, ref, reportToWorkflowId)],
          ...childTaskTimeout(),
          // children live on their own: the parent may continue-as-new
          parentClosePolicy: ParentClosePolicy.ABANDON,
          typedSearchAttributes: [
            { key: CYCLE, value: cycleId },
            { key: CAMPAIGN, value: parent.campaignId },
            { key: UNIT, value: ref.id },
            { key: PARENT, value: unitId },
            { key: PHASE, value: parent.view.phases[0]!.key },
            { key: OVERDUE, value: false },
          ],
        }),
      ),
    );
    for (const ref of refs) started(ref);
    if (refs.length < START_PAGE) break;
  }
}

/** One digest round of a phase: the units below still missing it when the round was listed. */
export interface EscalationRound {
  phase: string;
  escalation: Escalation;
  unitIds: string[];
}

/** A child's deadlines for a phase: its level's, or those its extended due date gives. */
export type ChildDeadlines = (phase: string, extendedDueDate: string | null) => PhaseDeadlines;

/** The escalation rounds of the units among `children` with a phase still open, by round key, in entry order. */
export function campaignEscalationRounds(children: Record<string, CampaignChildEntry>, phaseKeys: readonly string[], childDeadlines: ChildDeadlines): Map<string, EscalationRound> {
  const rounds = new Map<string, EscalationRound>();
  for (const [childId, child] of Object.entries(children)) {
    for (const phase of phaseKeys) {
      const c = child.phases[phase];
      if (!c || c.progress !== 'open') continue;
      for (const escalation of childDeadlines(phase, c.extendedDueDate).escalations) {
        const key = campaignEscalationKey(phase, escalation);
        const round = rounds.get(key) ?? { phase, escalation, unitIds: [] };
        round.unitIds.push(childId);
        rounds.set(key, round);
      }
    }
  }
  return rounds;
}

/** Whether child `id` still misses `phase` at round `key` (not submitted, the round still one of its deadlines). */
export function stillMissingIn(children: Record<string, CampaignChildEntry>, childDeadlines: ChildDeadlines, id: string, phase: string, key: string): boolean {
  const c = children[id]?.phases[phase];
  return !!c && c.progress === 'open' && childDeadlines(phase, c.extendedDueDate).escalations.some((e) => campaignEscalationKey(phase, e) === key);
}

/** The extended due dates among `children` whose deadlines are not known yet, in order. */
export function unknownExtendedDueDates(children: Record<string, CampaignChildEntry>, known: ReadonlyMap<string, PhaseDeadlines>): string[] {
  const dates = new Set<string>();
  for (const child of Object.values(children)) for (const c of Object.values(child.phases)) if (c.extendedDueDate !== null && !known.has(c.extendedDueDate)) dates.add(c.extendedDueDate);
  return [...dates].sort();
}

// ---------------- the main loop a unit and a group share ----------------

/** An event of a workflow's year: a reminder, a due mark, a digest. */
export interface ScheduledEvent {
  key: string;
  atMs: number;
  /** whether it still applies now (an update or a report may have changed the state since the batch was listed) */
  stillDue: () => boolean;
  run: () => Promise<void>;
}

/** Handles every event due now that `done` does not hold, oldest first, each once. */
export async function runDueEvents(events: readonly ScheduledEvent[], done: Set<string>): Promise<void> {
  const due = events.filter((e) => !done.has(e.key) && e.atMs <= Date.now()).sort((a, b) => a.atMs - b.atMs || a.key.localeCompare(b.key));
  for (const event of due) {
    done.add(event.key);
    if (!event.stillDue()) continue; // an update or a report while an earlier event awaited its activity
    await event.run();
  }
}

/** Whether the run's history calls for continue-as-new (the server suggests it, or it passed the budget). */
export function historyFull(continueAsNewAfterEvents: number | undefined): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > (continueAsNewAfterEvents ?? HISTORY_EVENTS_BUDGET) || info.historySize > HISTORY_BYTES_BUDGET;
}

/** When the next event not done is due, at the latest the close. */
export function nextEventAtMs(events: readonly ScheduledEvent[], done: ReadonlySet<string>, closesAtMs: number): number {
  return Math.min(closesAtMs, ...events.filter((e) => !done.has(e.key)).map((e) => e.atMs));
}
