// One cycle of a campaign at a root: freezes the campaign version it runs (its first activity: a later edit
// of the campaign becomes a new version and never changes this cycle), freezes the tree, computes the deadline
// plan of the version's phases (in activities: no calendar maths in workflow code; a rehearsal's compressed
// timeline too) and starts the root's task, which starts everything below. It keeps no rollup: clients ask the
// root unit's workflow for the aggregate.
import { setHandler, startChild } from '@temporalio/workflow';
import type { LocalDate, PhasedDeadlinePlan } from '../domain/calendar';
import { store } from './activities-proxy';
import { campaignCyclePlanQuery, campaignCycleStatusQuery, type CampaignCycleResult, type CampaignCycleStatus } from './campaign-messages';
import { campaignUnitWorkflow } from './campaign-unit';
import { unitWorkflowId } from './ids';
import { CAMPAIGN, CYCLE, OVERDUE, PARENT, PHASE, UNIT } from './search-attributes';
import { childTaskTimeout } from './task-timeout';

export interface CampaignCycleWorkflowInput {
  /** campaignCycleId(year, root, campaignId) */
  cycleId: string;
  /** the campaign and the version this cycle runs, frozen by its first activity */
  campaignId: string;
  version: number;
  year: number;
  rootUnitId: string;
  /** first year of a multi-year programme (a `yearly-plan` rule is due at the end of Q3 instead of Q1) */
  firstYear: boolean;
  /** the directory date whose tree the cycle freezes (today, in Asia/Ho_Chi_Minh, computed by the client) */
  treeAsOf: LocalDate;
  /** unit workflows continue as new past this many history events (tests use a small number) */
  continueAsNewAfterEvents?: number;
  /**
   * A rehearsal: the whole calendar of every phase compressed into this many minutes of real time (the plan's
   * timeline, workflows/timeline.ts). Absent — every cycle started before campaign rehearsals — a real cycle.
   */
  rehearsalMinutes?: number;
}

export async function campaignCycleWorkflow(input: CampaignCycleWorkflowInput): Promise<CampaignCycleResult> {
  const { cycleId, rootUnitId } = input;
  let plan: PhasedDeadlinePlan | null = null;
  let phase: CampaignCycleStatus['phase'] = 'starting';
  const rootWorkflowId = unitWorkflowId(cycleId, rootUnitId);
  setHandler(campaignCycleStatusQuery, (): CampaignCycleStatus => ({
    cycleId,
    campaignId: input.campaignId,
    version: input.version,
    rootUnitId,
    rootWorkflowId,
    year: input.year,
    phase,
    rehearsal: input.rehearsalMinutes !== undefined,
  }));
  setHandler(campaignCyclePlanQuery, () => plan);

  const { view } = await store.prepareCampaignCycle({ cycleId, campaignId: input.campaignId, version: input.version });
  const snapshot = await store.snapshotCycleTree({ cycleId, rootId: rootUnitId, asOf: input.treeAsOf });
  const rootRef = await store.cycleUnitRef({ cycleId, unitId: rootUnitId });
  // a rehearsal starts its compressed calendar now (workflow time); a real cycle's activity input is as before
  const rehearsal = input.rehearsalMinutes !== undefined ? { rehearsal: { wallStart: new Date(Date.now()).toISOString(), minutes: input.rehearsalMinutes } } : {};
  plan = await store.computeCampaignCyclePlan({ campaignId: input.campaignId, version: input.version, year: input.year, firstYear: input.firstYear, depths: snapshot.depths, ...rehearsal });

  const root = await startChild(campaignUnitWorkflow, {
    workflowId: rootWorkflowId,
    ...childTaskTimeout(),
    args: [
      {
        cycleId,
        campaignId: input.campaignId,
        version: input.version,
        year: input.year,
        unitId: rootUnitId,
        kind: rootRef.kind,
        depth: 0,
        parentUnitId: null,
        grandparentUnitId: null,
        rootUnitId,
        reportToWorkflowId: null,
        view,
        plan,
        childCount: rootRef.childCount,
        ...(input.continueAsNewAfterEvents !== undefined ? { continueAsNewAfterEvents: input.continueAsNewAfterEvents } : {}),
      },
    ],
    typedSearchAttributes: [
      { key: CYCLE, value: cycleId },
      { key: CAMPAIGN, value: input.campaignId },
      { key: UNIT, value: rootUnitId },
      { key: PARENT, value: '' },
      { key: PHASE, value: view.phases[0]!.key },
      { key: OVERDUE, value: false },
    ],
  });
  phase = 'running';
  const aggregate = await root.result();
  phase = 'closed';
  return { cycleId, plan, aggregate };
}
