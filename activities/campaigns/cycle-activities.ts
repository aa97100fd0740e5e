// What a campaign cycle's workflows ask of the store: freeze the version the cycle runs (its first activity, so
// a later edit becomes a new version and never changes it), its bounded workflow view, its deadline plan, and
// the archiving of a phase's submission — with the files it names checked as for the built-in phases — and of a
// node's aggregate at the close.
import { Context } from '@temporalio/activity';
import type { Config } from '../../common/config';
import type { PhasedDeadlinePlan } from '../../domain/calendar';
import { campaignIdSchema } from '../../domain/campaign';
import { workflowViewOf, type CampaignWorkflowView } from '../../domain/campaign-view';
import { parseCycleId } from '../../workflows/ids';
import { recordCampaignCyclePlan } from '../archive/campaign-cycles';
import { storeSubmission, type StoreSubmissionInput } from '../archive/store';
import { computeCampaignPlan, loadCalendar, rehearsalTimeline } from '../calendar';
import { DeadlineRuleError } from '../calendar/errors';
import type { Db } from '../db/database';
import { storeSubmissionWithFiles, type FileStorage } from '../files';
import { recordCampaignAggregate, type RecordCampaignAggregateInput } from './aggregates';
import { freezeCampaignVersion, getCampaignVersion } from './repository';

export interface PreparedCampaignCycle {
  view: CampaignWorkflowView;
  /** the schedule rules the version sets (any left out: the calendar's defaults) */
  schedule: Record<string, unknown>;
}

export interface CampaignCyclePlanInput {
  campaignId: string;
  version: number;
  year: number;
  firstYear: boolean;
  depths: number;
  opensAt?: string;
  /** a rehearsal: the workflow's time it starts at and the minutes the whole calendar is compressed into */
  rehearsal?: { wallStart: string; minutes: number };
}

export interface CampaignCycleActivityDeps {
  db: Db;
  config: Pick<Config, 'holidaysFile' | 'files'>;
  storage: FileStorage;
}

/** The id of the workflow whose activity this is, or undefined when called outside an activity. */
function callingWorkflowId(): string | undefined {
  try {
    return Context.current().info.workflowExecution?.workflowId;
  } catch {
    return undefined;
  }
}

export function createCampaignCycleActivities({ db, config, storage }: CampaignCycleActivityDeps) {
  return {
    /** Freezes { campaignId, version } for the cycle (idempotent) and returns its workflow view. */
    async prepareCampaignCycle(input: { cycleId: string; campaignId: string; version: number }): Promise<PreparedCampaignCycle> {
      const campaignId = campaignIdSchema.parse(input.campaignId);
      if (parseCycleId(input.cycleId)?.campaignId !== campaignId)
        throw new DeadlineRuleError(`Chu kỳ ${input.cycleId} không thuộc đợt ${campaignId} / cycle ${input.cycleId} is not a cycle of campaign ${campaignId}: start it with its own id.`);
      const v = await freezeCampaignVersion(db, { id: campaignId, version: input.version, cycleId: input.cycleId });
      return { view: workflowViewOf(campaignId, v.version, v.definition), schedule: v.definition.schedule };
    },

    /**
     * The deadline plan of a campaign cycle: each phase's rule per level (activities/calendar/campaign-plan.ts);
     * with `rehearsal`, its timeline compresses the whole calendar into that many minutes from `wallStart`.
     * Archived under the calling cycle workflow's id (its activity context: the input stays as running cycles
     * send it), so the archive pages of the closed cycle still show each unit's deadlines.
     */
    async computeCampaignCyclePlan(input: CampaignCyclePlanInput): Promise<PhasedDeadlinePlan> {
      const v = await getCampaignVersion(db, input.campaignId, input.version);
      const calendar = await loadCalendar(config.holidaysFile);
      const plan = computeCampaignPlan(calendar, {
        year: input.year,
        firstYear: input.firstYear,
        depths: input.depths,
        phases: v.definition.phases.map((p) => ({ key: p.key, due: p.due })),
        rules: v.definition.schedule,
        ...(input.opensAt ? { opensAt: input.opensAt } : {}),
      });
      const timed = input.rehearsal ? { ...plan, timeline: rehearsalTimeline(plan, input.rehearsal) } : plan;
      const cycleId = callingWorkflowId();
      if (cycleId && parseCycleId(cycleId)?.campaignId === input.campaignId) await recordCampaignCyclePlan(db, cycleId, timed, new Date());
      return timed;
    },

    /** Archives one version of a phase's submission (idempotent; other content under the same version is refused). */
    async storeCampaignSubmission(input: StoreSubmissionInput) {
      return storeSubmissionWithFiles({ db, storage, maxSubmissionBytes: config.files.maxSubmissionBytes }, input, (i) => storeSubmission(db, i));
    },

    /** Archives a node's campaign aggregate (its final one at the close); keyed, so a retry writes once. */
    async recordCampaignAggregate(input: RecordCampaignAggregateInput): Promise<{ stored: boolean }> {
      return recordCampaignAggregate(db, input);
    },
  };
}
