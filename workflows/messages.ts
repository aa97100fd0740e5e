// Every message of the cycle workflows, defined once and imported by workflows, worker, CLI, web and tests.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import type { PhaseDeadlines } from '../domain/calendar';
import type { Aggregate, Rollup } from './aggregate-types';
import { planContentSchema, recordedPlanContentSchema, recordedReportContentSchema, reportContentSchema, type Phase } from './report';
import { CHANNELS } from '../domain/channels';
import { IDEMPOTENCY_KEY_MAX_CHARS, SUBMITTED_BY_MAX_BYTES } from '../domain/submission-limits';
import { limitedText, recordedText } from './text';
import { lazy } from '../domain/lazy';

// ---- inputs (validated with zod in the update validators, the CLI and the web app) ----

// the channels are defined once, in the domain model
export { CHANNELS, type Channel } from '../domain/channels';

const idempotencyKey = lazy(() => z
  .string()
  .min(8, { message: 'at least 8 characters / ít nhất 8 ký tự' })
  .max(IDEMPOTENCY_KEY_MAX_CHARS, { message: `at most ${IDEMPOTENCY_KEY_MAX_CHARS} characters / tối đa ${IDEMPOTENCY_KEY_MAX_CHARS} ký tự` })
  .regex(/^[A-Za-z0-9_.:-]+$/, { message: 'letters, digits, _ . : - only / chỉ chữ cái không dấu, chữ số và _ . : -' }));
const unitIdSchema = lazy(() => z.string().min(1).max(64));
const localDate = lazy(() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'a date YYYY-MM-DD / ngày dạng YYYY-MM-DD' }));

/** who pressed submit (free text, shown in the audit log): SUBMITTED_BY_MAX_BYTES, in the domain model */
export { SUBMITTED_BY_MAX_BYTES } from '../domain/submission-limits';
/** a review's comment, an extension's reason (about 2,000 characters of Vietnamese) */
export const COMMENT_MAX_BYTES = 6_000;
/**
 * "Remind now" is refused for a unit and phase reminded by hand less than this long ago (workflow time, which is
 * the wall clock in a real cycle and in a rehearsal alike: the recipient's inbox lives in real time).
 */
export const REMIND_NOW_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Every input schema is built twice (see contentSchemas in ./report): with the limits, for the update
 * validators and the clients; as recorded, for the update handlers, which re-parse inputs an earlier version
 * accepted when a history replays.
 */
const reviewVersion = lazy(() => z
  .number({ message: 'version: the version reviewed, a number / số phiên bản được xem xét' })
  .int({ message: 'version: a whole number / số nguyên' })
  .min(1, { message: 'version: at least 1 / ít nhất 1' }));

function inputSchemas<V extends z.ZodType<number | undefined>>(
  text: (maxBytes: number) => z.ZodString,
  content: { plan: typeof planContentSchema | typeof recordedPlanContentSchema; report: typeof reportContentSchema | typeof recordedReportContentSchema },
  /** the version the reviewer read: a newer one awaiting review is not decided by a stale page (optional only as recorded before reviews named it) */
  version: V,
) {
  const submitPlan = z.strictObject({
    idempotencyKey,
    channel: z.enum(CHANNELS),
    submittedBy: text(SUBMITTED_BY_MAX_BYTES).default(''),
    content: content.plan,
  });
  const submitReport = z.strictObject({
    idempotencyKey,
    channel: z.enum(CHANNELS),
    submittedBy: text(SUBMITTED_BY_MAX_BYTES).default(''),
    content: content.report,
  });
  const review = z.discriminatedUnion('decision', [
    z.strictObject({
      decision: z.literal('accept'),
      reviewerUnitId: unitIdSchema,
      phase: z.enum(['plan', 'report']),
      version,
      channel: z.enum(CHANNELS),
      comment: text(COMMENT_MAX_BYTES).default(''),
    }),
    z.strictObject({
      decision: z.literal('return'),
      reviewerUnitId: unitIdSchema,
      phase: z.enum(['plan', 'report']),
      version,
      channel: z.enum(CHANNELS),
      comment: text(COMMENT_MAX_BYTES).min(1, { message: 'a returned submission needs a comment / trả lại cần có ý kiến' }),
    }),
  ]);
  const extend = z.strictObject({
    byUnitId: unitIdSchema,
    phase: z.enum(['plan', 'report']),
    until: localDate,
    channel: z.enum(CHANNELS),
    reason: text(COMMENT_MAX_BYTES).default(''),
  });
  const remindNow = z.strictObject({
    /** the supervisor or the secretariat on whose behalf the reminder is sent */
    byUnitId: unitIdSchema,
    /** the phase to chase; without it, the one the unit is on (its plan while open, else its report) */
    phase: z.enum(['plan', 'report']).optional(),
    channel: z.enum(CHANNELS),
    /** the person who asked (a staff member's address, a CLI user's name): the audit names them */
    requestedBy: text(SUBMITTED_BY_MAX_BYTES).default(''),
  });
  return { submitPlan, submitReport, review, extend, remindNow };
}

const limitedInputs = lazy(() => inputSchemas(limitedText, { plan: planContentSchema, report: reportContentSchema }, reviewVersion));
const recordedInputs = lazy(() => inputSchemas(() => recordedText(), { plan: recordedPlanContentSchema, report: recordedReportContentSchema }, reviewVersion.optional()));

export const submitPlanInputSchema = lazy(() => limitedInputs.submitPlan);
export type SubmitPlanInput = z.input<typeof submitPlanInputSchema>;
export const submitReportInputSchema = lazy(() => limitedInputs.submitReport);
export type SubmitReportInput = z.input<typeof submitReportInputSchema>;
export const reviewInputSchema = lazy(() => limitedInputs.review);
export type ReviewInput = z.input<typeof reviewInputSchema>;
export const extendInputSchema = lazy(() => limitedInputs.extend);
export type ExtendInput = z.input<typeof extendInputSchema>;
export const remindNowInputSchema = lazy(() => limitedInputs.remindNow);
export type RemindNowInput = z.input<typeof remindNowInputSchema>;

/** What update HANDLERS parse: every input an earlier version accepted still parses (validators use the above). */
export const recordedSubmitPlanInputSchema = lazy(() => recordedInputs.submitPlan);
export const recordedSubmitReportInputSchema = lazy(() => recordedInputs.submitReport);
export const recordedReviewInputSchema = lazy(() => recordedInputs.review);
export const recordedExtendInputSchema = lazy(() => recordedInputs.extend);
export const recordedRemindNowInputSchema = lazy(() => recordedInputs.remindNow);

// ---- results and views ----

export interface SubmissionReceipt {
  unitId: string;
  phase: Phase;
  version: number;
  /** calendar time of this submission */
  submittedAt: string;
  late: boolean;
  /** true when this idempotency key had already been accepted: nothing new was stored */
  duplicate: boolean;
  /** SHA-256 of the submitted content (workflows/content-hash.ts); absent on receipts of runs before it was kept */
  contentHash?: string;
}

export interface ReviewReceipt {
  unitId: string;
  phase: Phase;
  version: number;
  decision: 'accepted' | 'returned';
}

export interface ExtensionReceipt {
  unitId: string;
  phase: Phase;
  deadlines: PhaseDeadlines;
}

/** A reminder sent at a supervisor's or the secretariat's request ("remind now"), queued in the outbox. */
export interface RemindReceipt {
  unitId: string;
  phase: Phase;
  /** counts with the scheduled reminders (PhaseView.remindersSent) */
  reminderNumber: number;
  /** `overdue-notice` once the deadline has passed (a reminder would say time is left), else `reminder` */
  email: 'reminder' | 'overdue-notice';
  /** calendar time of the request */
  remindedAt: string;
}

/** A phase of one unit's task: discriminated by what has happened, so e.g. a returned task always has a comment. */
export type PhaseProgress =
  | { kind: 'open' }
  | { kind: 'submitted'; version: number; firstSubmittedAt: string; lastSubmittedAt: string; late: boolean }
  | { kind: 'returned'; version: number; firstSubmittedAt: string; lastSubmittedAt: string; late: boolean; comment: string; returnedAt: string }
  | { kind: 'accepted'; version: number; firstSubmittedAt: string; lastSubmittedAt: string; late: boolean; acceptedAt: string };

export interface PhaseView {
  progress: PhaseProgress;
  deadlines: PhaseDeadlines;
  extended: boolean;
  /** past due and never submitted */
  overdue: boolean;
  remindersSent: number;
  escalationsSent: number;
}

export interface UnitStatus {
  cycleId: string;
  unitId: string;
  parentUnitId: string | null;
  depth: number;
  closed: boolean;
  /**
   * calendar time of the last event the workflow handled (a query does not advance workflow time): a page that
   * needs "now" computes it itself, through the plan's timeline in a rehearsal
   */
  asOf: string;
  plan: PhaseView;
  report: PhaseView;
  bounces: number;
  /** direct units below, with their own task state */
  children: ChildView[];
  /** aggregate of everything below (pre-fills an intermediate unit's report) */
  aggregate: Aggregate;
}

export interface ChildPhaseSummary {
  progress: PhaseProgress['kind'];
  /** the latest version once submitted (what a review names); absent before, and in reports of older runs */
  version?: number;
  late: boolean;
  overdue: boolean;
  /** the child's deadlines when they differ from its level's (an extension) */
  deadlines: PhaseDeadlines | null;
  remindersSent: number;
}

export interface ChildView {
  unitId: string;
  plan: ChildPhaseSummary;
  report: ChildPhaseSummary;
}

/**
 * What a unit tells the workflow above it whenever its state or its subtree changes. At most ≈ 56 KiB
 * (an Aggregate-sized rollup, see aggregate-types.ts, plus two phase summaries); the parent keeps only a
 * compact summary of it (unit-state.ts, ChildEntry). The root does not send it to the cycle workflow.
 */
export interface ChildReport extends ChildView {
  /** increases with every report of this unit; older ones are ignored */
  seq: number;
  /** the child and everything below it */
  subtree: Rollup;
}

/**
 * Bounded facts about a cycle. The aggregate is not here: ask the root unit's workflow
 * (`unitStatusQuery` on `rootWorkflowId`), which is what `cycleAggregate` in client/cycles.ts does.
 */
export interface CycleStatus {
  cycleId: string;
  rootUnitId: string;
  /** the root unit's workflow id (unitWorkflowId(cycleId, rootUnitId)) */
  rootWorkflowId: string;
  year: number;
  phase: 'starting' | 'running' | 'closed';
  rehearsal: boolean;
}

// ---- definitions ----

export const submitPlanUpdate = defineUpdate<SubmissionReceipt, [SubmitPlanInput]>('submitPlan');
export const submitReportUpdate = defineUpdate<SubmissionReceipt, [SubmitReportInput]>('submitReport');
export const reviewUpdate = defineUpdate<ReviewReceipt, [ReviewInput]>('review');
export const extendDeadlineUpdate = defineUpdate<ExtensionReceipt, [ExtendInput]>('extendDeadline');
/** An update, not a signal: the caller learns per unit at once whether it was sent, and why not (validator). */
export const remindNowUpdate = defineUpdate<RemindReceipt, [RemindNowInput]>('remindNow');
export const unitStatusQuery = defineQuery<UnitStatus>('unitStatus');
export const cycleStatusQuery = defineQuery<CycleStatus>('cycleStatus');
/** internal: child → parent */
export const childReportSignal = defineSignal<[ChildReport]>('childReport');
