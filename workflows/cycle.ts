// One yearly cycle at a root unit: freezes the tree, computes the deadline plan (in activities: calendar maths
// never runs in workflow code), starts the root's task — which starts everything below — and, when the cycle
// closes, sends the root's final aggregate upward.
// Its history stays a few dozen events for the whole year: it keeps no rollup (clients ask the root unit's
// workflow for the aggregate) and, since ROOT_REPORTS_TO_NOBODY_PATCH, the root no longer signals it per change.
// Roots started before that still send their reports: the handler keeps only their sequence number.
import { defineQuery, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import type { DeadlinePlan, LocalDate } from '../domain/calendar';
import { store } from './activities-proxy';
import { sendAggregateUpward } from './upward';
import type { Aggregate } from './aggregate-types';
import { unitWorkflowId } from './ids';
import { childReportSignal, cycleStatusQuery, type CycleStatus } from './messages';
import { CYCLE, OVERDUE, PARENT, PHASE, UNIT } from './search-attributes';
import { toCalendarIso } from './timeline';
import { unitWorkflow } from './unit';
import { childTaskTimeout } from './task-timeout';

export interface CycleWorkflowInput {
  cycleId: string;
  year: number;
  rootUnitId: string;
  /** first year of a multi-year programme: plans are due at the end of Q3 instead of Q1 */
  firstYear: boolean;
  /** 'may-review' | 'annual' | an explicit YYYY-MM-DD */
  reportDue?: string;
  /** the directory date whose tree the cycle freezes (today, in Asia/Ho_Chi_Minh, computed by the client) */
  treeAsOf: LocalDate;
  /** compress the whole calendar into this many minutes of real time */
  rehearsalMinutes?: number;
  /** children per workflow before batch workflows are inserted (default 500; tests use a small number) */
  maxDirectChildren?: number;
  /** unit workflows continue as new past this many history events (default HISTORY_EVENTS_BUDGET; tests use a small number) */
  continueAsNewAfterEvents?: number;
  /** reports a unit may send upward per window (default UPWARD_BURST); bench:soak --no-upward-pacing lifts it */
  upwardBurst?: number;
}

export interface CycleResult {
  cycleId: string;
  plan: DeadlinePlan;
  aggregate: Aggregate;
}

export const cyclePlanQuery = defineQuery<DeadlinePlan | null>('cyclePlan');

export async function cycleWorkflow(input: CycleWorkflowInput): Promise<CycleResult> {
  const { cycleId, rootUnitId } = input;
  let plan: DeadlinePlan | null = null;
  let phase: CycleStatus['phase'] = 'starting';
  const rootWorkflowId = unitWorkflowId(cycleId, rootUnitId);

  // Signals from roots that ran before ROOT_REPORTS_TO_NOBODY_PATCH: accepted (they are in histories) and dropped.
  setHandler(childReportSignal, () => {});
  setHandler(cycleStatusQuery, (): CycleStatus => ({
    cycleId,
    rootUnitId,
    rootWorkflowId,
    year: input.year,
    phase,
    rehearsal: input.rehearsalMinutes !== undefined,
  }));
  setHandler(cyclePlanQuery, () => plan);

  const snapshot = await store.snapshotCycleTree({ cycleId, rootId: rootUnitId, asOf: input.treeAsOf });
  const rootRef = await store.cycleUnitRef({ cycleId, unitId: rootUnitId });
  const cyclePlan = await store.computeCyclePlan({
    year: input.year,
    firstYear: input.firstYear,
    depths: snapshot.depths,
    reportDue: input.reportDue,
    rehearsal: input.rehearsalMinutes !== undefined ? { wallStart: new Date(Date.now()).toISOString(), minutes: input.rehearsalMinutes } : undefined,
  });
  plan = cyclePlan;

  const rootTask = await startChild(unitWorkflow, {
    workflowId: rootWorkflowId,
    ...childTaskTimeout(),
    args: [
      {
        cycleId,
        year: input.year,
        unitId: rootUnitId,
        kind: rootRef.kind,
        depth: 0,
        parentUnitId: null,
        grandparentUnitId: null,
        rootUnitId,
        reportToWorkflowId: workflowInfo().workflowId,
        plan: cyclePlan,
        childCount: rootRef.childCount,
        maxDirectChildren: input.maxDirectChildren,
        ...(input.continueAsNewAfterEvents !== undefined ? { continueAsNewAfterEvents: input.continueAsNewAfterEvents } : {}),
        ...(input.upwardBurst !== undefined ? { upwardBurst: input.upwardBurst } : {}),
      },
    ],
    typedSearchAttributes: [
      { key: CYCLE, value: cycleId },
      { key: UNIT, value: rootUnitId },
      { key: PARENT, value: '' },
      { key: PHASE, value: 'plan' },
      { key: OVERDUE, value: false },
    ],
  });
  phase = 'running';
  const aggregate = await rootTask.result();
  phase = 'closed';
  await sendAggregateUpward(`${workflowInfo().workflowId}:upward:final`, aggregate, true, toCalendarIso(Date.now(), cyclePlan.timeline));
  return { cycleId, plan: cyclePlan, aggregate };
}
