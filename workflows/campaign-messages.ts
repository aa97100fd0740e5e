// Every message of the campaign cycle workflows (workflows/campaign-cycle.ts, campaign-unit.ts), defined once and
// imported by workflows, worker, CLI, web and tests. One submit update for every phase: `{ phase, content, … }`,
// the content checked against the phase's form (domain/campaign-validator.ts) by the validator; review and
// extension name a phase key. Their names differ from the built-in workflows' (submitPlan, review, …): a
// client that sends a built-in update to a campaign task, or the reverse, is told the update is unknown.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import type { PhasedDeadlinePlan, PhaseDeadlines } from '../domain/calendar';
import { PHASE_KEY } from '../domain/campaign';
import { CHANNELS } from '../domain/channels';
import { IDEMPOTENCY_KEY_MAX_CHARS, SUBMITTED_BY_MAX_BYTES } from '../domain/submission-limits';
import type { CampaignAggregate, CampaignChildPhase, CampaignChildReport, CampaignPhaseState, CampaignReceipt } from './campaign-state';
import { COMMENT_MAX_BYTES, type RemindReceipt } from './messages';
import { limitedText, recordedText } from './text';
import { lazy } from '../domain/lazy';

export type { CampaignAggregate, CampaignChildPhase, CampaignChildReport, CampaignPhaseAggregate, CampaignFigureAggregate, CampaignReceipt, FigureAggregate } from './campaign-state';

const idempotencyKey = lazy(() => z
  .string()
  .min(8, { message: 'at least 8 characters / ít nhất 8 ký tự' })
  .max(IDEMPOTENCY_KEY_MAX_CHARS, { message: `at most ${IDEMPOTENCY_KEY_MAX_CHARS} characters / tối đa ${IDEMPOTENCY_KEY_MAX_CHARS} ký tự` })
  .regex(/^[A-Za-z0-9_.:-]+$/, { message: 'letters, digits, _ . : - only / chỉ chữ cái không dấu, chữ số và _ . : -' }));
const unitIdSchema = lazy(() => z.string().min(1).max(64));
const localDate = lazy(() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'a date YYYY-MM-DD / ngày dạng YYYY-MM-DD' }));
const phaseKey = lazy(() => z.string().regex(PHASE_KEY, { message: 'a phase key of the campaign, e.g. q1 / mã giai đoạn của đợt, ví dụ q1' }));
const version = lazy(() => z.number({ message: 'version: the version reviewed, a number / số phiên bản được xem xét' }).int().min(1, { message: 'version: at least 1 / ít nhất 1' }));

function inputSchemas(text: (maxBytes: number) => z.ZodString) {
  const submit = z.strictObject({
    phase: phaseKey,
    idempotencyKey,
    channel: z.enum(CHANNELS),
    submittedBy: text(SUBMITTED_BY_MAX_BYTES).default(''),
    /** checked against the phase's form by the validator (formContentSchema), re-parsed as recorded by the handler */
    content: z.unknown(),
  });
  const review = z.discriminatedUnion('decision', [
    z.strictObject({ decision: z.literal('accept'), reviewerUnitId: unitIdSchema, phase: phaseKey, version, channel: z.enum(CHANNELS), comment: text(COMMENT_MAX_BYTES).default('') }),
    z.strictObject({
      decision: z.literal('return'),
      reviewerUnitId: unitIdSchema,
      phase: phaseKey,
      version,
      channel: z.enum(CHANNELS),
      comment: text(COMMENT_MAX_BYTES).min(1, { message: 'a returned submission needs a comment / trả lại cần có ý kiến' }),
    }),
  ]);
  const extend = z.strictObject({ byUnitId: unitIdSchema, phase: phaseKey, until: localDate, channel: z.enum(CHANNELS), reason: text(COMMENT_MAX_BYTES).default('') });
  // the built-in's remindNow (workflows/messages.ts) with a phase key of the campaign
  const remindNow = z.strictObject({
    /** the supervisor or the secretariat on whose behalf the reminder is sent */
    byUnitId: unitIdSchema,
    /** the phase to chase; without it, the first one the unit has not submitted */
    phase: phaseKey.optional(),
    channel: z.enum(CHANNELS),
    /** the person who asked (a staff member's address, a CLI user's name): the audit names them */
    requestedBy: text(SUBMITTED_BY_MAX_BYTES).default(''),
  });
  return { submit, review, extend, remindNow };
}

const limited = lazy(() => inputSchemas(limitedText));
const recorded = lazy(() => inputSchemas(() => recordedText()));

export const campaignSubmitInputSchema = lazy(() => limited.submit);
export type CampaignSubmitInput = z.input<typeof campaignSubmitInputSchema>;
export const campaignReviewInputSchema = lazy(() => limited.review);
export type CampaignReviewInput = z.input<typeof campaignReviewInputSchema>;
export const campaignExtendInputSchema = lazy(() => limited.extend);
export type CampaignExtendInput = z.input<typeof campaignExtendInputSchema>;
export const campaignRemindNowInputSchema = lazy(() => limited.remindNow);
export type CampaignRemindNowInput = z.input<typeof campaignRemindNowInputSchema>;
/** what update HANDLERS parse (validators use the above) */
export const recordedCampaignSubmitInputSchema = lazy(() => recorded.submit);
export const recordedCampaignReviewInputSchema = lazy(() => recorded.review);
export const recordedCampaignExtendInputSchema = lazy(() => recorded.extend);
export const recordedCampaignRemindNowInputSchema = lazy(() => recorded.remindNow);

export interface CampaignReviewReceipt {
  unitId: string;
  phase: string;
  version: number;
  decision: 'accepted' | 'returned';
}

export interface CampaignExtensionReceipt {
  unitId: string;
  phase: string;
  deadlines: PhaseDeadlines;
}

/** "Remind now" of a campaign phase: the built-in's receipt (workflows/messages.ts) naming a phase key. */
export type CampaignRemindReceipt = Omit<RemindReceipt, 'phase'> & { phase: string };

/** One phase of a unit's task as `cycle status` and pages show it (its figures are the latest version's). */
export type CampaignPhaseView = CampaignPhaseState & { key: string; form: string; open: boolean };

export interface CampaignUnitStatus {
  cycleId: string;
  campaignId: string;
  version: number;
  unitId: string;
  parentUnitId: string | null;
  depth: number;
  closed: boolean;
  /** calendar time of the last event the workflow handled */
  asOf: string;
  /** the phase the unit is working on, or 'done' */
  current: string;
  /** in the version's order */
  phases: CampaignPhaseView[];
  children: { unitId: string; phases: Record<string, CampaignChildPhase> }[];
  /**
   * The ranges of its children its groups hold, in the frozen tree's order, when groups hold them (children is then
   * empty): campaignGroupUnitsQuery on each group lists them. Absent from workers before it.
   */
  groups?: { offset: number; count: number }[];
  aggregate: CampaignAggregate;
}

export interface CampaignCycleStatus {
  cycleId: string;
  campaignId: string;
  version: number;
  rootUnitId: string;
  rootWorkflowId: string;
  year: number;
  phase: 'starting' | 'running' | 'closed';
  rehearsal: boolean;
}

export interface CampaignCycleResult {
  cycleId: string;
  plan: PhasedDeadlinePlan;
  aggregate: CampaignAggregate;
}

export const campaignSubmitUpdate = defineUpdate<CampaignReceipt, [CampaignSubmitInput]>('campaignSubmit');
export const campaignReviewUpdate = defineUpdate<CampaignReviewReceipt, [CampaignReviewInput]>('campaignReview');
export const campaignExtendUpdate = defineUpdate<CampaignExtensionReceipt, [CampaignExtendInput]>('campaignExtendDeadline');
export const campaignRemindNowUpdate = defineUpdate<CampaignRemindReceipt, [CampaignRemindNowInput]>('campaignRemindNow');
export const campaignUnitStatusQuery = defineQuery<CampaignUnitStatus>('campaignUnitStatus');

/**
 * What a group of a unit's children holds (campaign-group.ts): a group of units lists them with where each phase
 * stands, in entry order; a group of groups lists its groups' ranges. At most campaignMaxChildren rows either way.
 */
export interface CampaignGroupUnits {
  offset: number;
  count: number;
  groups: { offset: number; count: number }[];
  units: { unitId: string; phases: Record<string, CampaignChildPhase> }[];
}
export const campaignGroupUnitsQuery = defineQuery<CampaignGroupUnits>('campaignGroupUnits');
export const campaignCycleStatusQuery = defineQuery<CampaignCycleStatus>('campaignCycleStatus');
export const campaignCyclePlanQuery = defineQuery<PhasedDeadlinePlan | null>('campaignCyclePlan');
/** internal: child → parent */
export const campaignChildReportSignal = defineSignal<[CampaignChildReport]>('campaignChildReport');
