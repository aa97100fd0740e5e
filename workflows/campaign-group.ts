// A group of a campaign unit's children (campaign-fan-out.ts says why and when): it starts the tasks of a range of
// the unit's children (or smaller groups over it), keeps their entries, chases them per phase (one escalation
// digest per round for the range, addressed to the unit, as the unit itself does for fewer children) and reports
// the merge of its entries upward — to the unit, or to the group above it — whenever it changes. It has no task of
// its own: no submissions, reminders or due marks. Its state is bounded as the unit's is (at most
// campaignMaxChildren entries), and it continues as new on the same history budget.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  ParentClosePolicy,
  patched,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { PhaseDeadlines } from '../domain/calendar';
import { mail, store } from './activities-proxy';
import {
  campaignEscalationRounds,
  entriesHeld,
  groupKey,
  groupRanges,
  groupReportOf,
  historyFull,
  isGroupKey,
  rangeOfGroupKey,
  pristineGroupEntry,
  runDueEvents,
  startCampaignUnits,
  stillMissingIn,
  unknownExtendedDueDates,
  nextEventAtMs,
  type ChildRange,
  type ScheduledEvent,
} from './campaign-fan-out';
import { campaignChildReportSignal, campaignGroupUnitsQuery, type CampaignGroupUnits } from './campaign-messages';
import { CAMPAIGN_LISTS_BELOW_PATCH, keptSample } from './campaign-lists-below';
import { campaignBelowQuota, campaignFanOutLimit, pristineCampaignChild, type CampaignChildEntry, type CampaignChildReport } from './campaign-state';
import type { CampaignUnitWorkflowInput } from './campaign-unit';
import { campaignGroupWorkflowId } from './ids';
import { CAMPAIGN, CYCLE } from './search-attributes';
import { childTaskTimeout } from './task-timeout';
import { toCalendarIso, toWallMs } from './timeline';
import { MAX_DIRECT_CHILDREN } from './unit';
import { WakeTimer } from './wake-timer';
import { jsonBytes } from '../domain/text';

export interface CampaignGroupState {
  children: Record<string, CampaignChildEntry>;
  /** keys of the digests already handled */
  done: string[];
  /** sequence number of the last report sent upward */
  seq: number;
  started: boolean;
}

export interface CampaignGroupWorkflowInput extends ChildRange {
  /** the unit whose children the group holds (its input, without its own state) */
  unit: Omit<CampaignUnitWorkflowInput, 'resume'>;
  /** where the group reports: the unit's workflow, or the group above it */
  reportToWorkflowId: string;
  /** carried over by continue-as-new */
  resume?: CampaignGroupState;
}

/** Entries one workflow of this cycle keeps (the unit's own limit, campaign-unit.ts campaignMaxChildren). */
export function groupCapacity(unit: Pick<CampaignUnitWorkflowInput, 'view' | 'plan'>): number {
  return campaignFanOutLimit(unit.view, jsonBytes(unit.plan), MAX_DIRECT_CHILDREN);
}

/** Starts the groups over the children [offset, offset + count) of `unit`, reporting to `reportToWorkflowId`. */
export async function startCampaignGroups(unit: Omit<CampaignUnitWorkflowInput, 'resume'>, reportToWorkflowId: string, range: ChildRange, capacity: number): Promise<Record<string, CampaignChildEntry>> {
  const entries: Record<string, CampaignChildEntry> = {};
  for (const r of groupRanges(range.offset, range.count, capacity)) {
    await startChild(campaignGroupWorkflow, {
      workflowId: campaignGroupWorkflowId(unit.cycleId, unit.unitId, r.offset, r.count),
      args: [{ unit, reportToWorkflowId, offset: r.offset, count: r.count }],
      ...childTaskTimeout(),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      // like every workflow of a cycle, so that a visibility query on the cycle finds the groups too
      typedSearchAttributes: [
        { key: CYCLE, value: unit.cycleId },
        { key: CAMPAIGN, value: unit.campaignId },
      ],
    });
    entries[groupKey(r)] = pristineGroupEntry(unit.view, r.count);
  }
  return entries;
}

export async function campaignGroupWorkflow(input: CampaignGroupWorkflowInput): Promise<{ units: number }> {
  const { unit } = input;
  const { cycleId, plan, view } = unit;
  const wall = (instant: string) => toWallMs(instant, plan.timeline);
  const calendarNow = () => toCalendarIso(Date.now(), plan.timeline);
  const closesAtMs = wall(plan.closesAt);
  const childLevel = plan.levels[Math.min(unit.depth + 1, plan.levels.length - 1)]!.phases;
  const phaseKeys = view.phases.map((p) => p.key);
  const workflowId = workflowInfo().workflowId;
  const key = groupKey(input);
  const capacity = groupCapacity(unit);
  // before any command, as in campaign-unit.ts
  const namesBelow = patched(CAMPAIGN_LISTS_BELOW_PATCH);
  const belowQuota = namesBelow ? campaignBelowQuota(view, jsonBytes(plan), entriesHeld(input.count, capacity)) : 0;

  const state: CampaignGroupState = input.resume ?? { children: {}, done: [], seq: 0, started: false };
  const done = new Set(state.done);
  const extendedDeadlines = new Map<string, PhaseDeadlines>();
  let dirty = false;
  const wake = new WakeTimer(); // the loop's wait keeps its timer across passes
  let lastSentReport = '';

  setHandler(campaignChildReportSignal, (report: CampaignChildReport) => {
    const known = state.children[report.unitId];
    if (known && known.seq >= report.seq) return; // an older report overtaken by a newer one
    state.children[report.unitId] = { kind: known?.kind ?? 'grassroots', seq: report.seq, phases: report.phases, subtree: report.subtree, ...keptSample(report.below, belowQuota) };
    dirty = true;
  });

  // for the unit's page (a query: no history), what this group holds
  setHandler(campaignGroupUnitsQuery, (): CampaignGroupUnits => {
    const entries = Object.entries(state.children);
    return {
      offset: input.offset,
      count: input.count,
      groups: entries.filter(([id]) => isGroupKey(id)).map(([id]) => rangeOfGroupKey(id)),
      units: entries.filter(([id]) => !isGroupKey(id)).map(([unitId, c]) => ({ unitId, phases: c.phases })),
    };
  });

  const childDeadlines = (phase: string, extendedDueDate: string | null): PhaseDeadlines =>
    (extendedDueDate !== null ? extendedDeadlines.get(extendedDueDate) : undefined) ?? childLevel[phase]!;
  const stillMissing = (id: string, phase: string, round: string) => stillMissingIn(state.children, childDeadlines, id, phase, round);

  /** The digests of the units of this group (a group of groups has none: its entries have no phases). */
  function escalationEvents(): ScheduledEvent[] {
    return [...campaignEscalationRounds(state.children, phaseKeys, childDeadlines).entries()].map(([roundKey, { phase, escalation, unitIds: listed }]) => ({
      key: roundKey,
      atMs: wall(escalation.at),
      stillDue: () => listed.some((id) => stillMissing(id, phase, roundKey)),
      run: async () => {
        const climbed = escalation.target === 'grandparent';
        const recipientUnitId = climbed ? (unit.parentUnitId ?? unit.unitId) : unit.unitId;
        const unitIds = listed.filter((id) => stillMissing(id, phase, roundKey));
        const units = unitIds.map((id) => {
          const c = state.children[id]!.phases[phase]!;
          return { unitId: id, dueAt: childDeadlines(phase, c.extendedDueDate).dueAt, remindersSent: c.remindersSent };
        });
        const data = { phase, round: escalation.round, recipientUnitId, climbed, unitIds, group: key };
        await store.recordEvent({ key: `${workflowId}:${roundKey}`, cycleId, unitId: unit.unitId, kind: 'escalation', actor: 'system', channel: 'timer', at: escalation.at, data });
        await mail.sendCampaignEmail({ cycleId, campaignId: unit.campaignId, version: unit.version, kind: 'escalation', key: `${workflowId}:${roundKey}`, supervisorUnitId: unit.unitId, recipientUnitId, climbed, phase, round: escalation.round, units, asOf: calendarNow() });
      },
    }));
  }

  async function reportUpward() {
    const report = groupReportOf(view, key, state.seq, state.children, namesBelow);
    // what a report says (its sample too, past the patch), so an unchanged one is not sent again
    const text = namesBelow ? JSON.stringify([report.subtree, report.below]) : JSON.stringify(report.subtree);
    if (text === lastSentReport) return;
    state.seq += 1;
    lastSentReport = text;
    try {
      await getExternalWorkflowHandle(input.reportToWorkflowId).signal(campaignChildReportSignal, { ...report, seq: state.seq });
    } catch (err) {
      log.warn('could not report upward', { error: String(err) }); // the unit has closed: the cycle is over
    }
  }

  if (!state.started) {
    if (input.count <= capacity)
      await startCampaignUnits(unit, workflowId, input, (ref) => {
        state.children[ref.id] ??= pristineCampaignChild(view, ref.kind);
      });
    else Object.assign(state.children, await startCampaignGroups(unit, workflowId, input, capacity));
    state.started = true;
    dirty = true;
    // rounds before the group existed (a cycle started mid-year) are not sent as a burst of stale digests
    for (const e of escalationEvents()) if (e.atMs < Date.now()) done.add(e.key);
  }

  for (;;) {
    for (const dueDate of unknownExtendedDueDates(state.children, extendedDeadlines)) extendedDeadlines.set(dueDate, await store.computePhaseDeadlines({ dueDate, rules: plan.rules }));
    await runDueEvents(escalationEvents(), done);
    if (Date.now() >= closesAtMs) break;

    if (dirty) {
      dirty = false;
      await reportUpward();
    }

    if (historyFull(unit.continueAsNewAfterEvents)) {
      await condition(allHandlersFinished);
      state.done = [...done];
      await continueAsNew<typeof campaignGroupWorkflow>({ ...input, resume: state });
    }

    await wake.waitUntil(nextEventAtMs(escalationEvents(), done, closesAtMs), () => dirty);
  }

  await condition(allHandlersFinished);
  await reportUpward();
  return { units: input.count };
}
