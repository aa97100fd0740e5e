// The task of one unit in one cycle: its task email, its plan and its results report with deadlines,
// reminders and overdue marks, the reviews of its supervisor — and, for a unit with units below it, starting
// their tasks, chasing them (escalation digests) and aggregating what they report.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  ExternalWorkflowHandle,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
  executeChild,
  log,
  patched,
} from '@temporalio/workflow';
import type { z } from 'zod';
import type { DeadlinePlan, PhaseDeadlines } from '../domain/calendar';
import type { UnitKind, UnitRef } from '../domain/directory';
import { mail, store } from './activities-proxy';
import { toAggregate } from './aggregate';
import { RunningAggregate } from './aggregate-running';
import { ESCALATION_ROUNDS_PATCH, EscalationRounds, scanEscalationRounds, type ListedRound } from './escalation-rounds';
import { COALESCE_UPWARD_REPORTS_PATCH, UPWARD_WINDOW_MS, UpwardPacer } from './upward-pacing';
import { ARCHIVE_AND_DOCX_PATCH, sendAggregateUpward } from './upward';
import { AGGREGATE_LIST_CAP } from './aggregate-types';
import { contentHash } from './content-hash';
import type { Aggregate } from './aggregate-types';
import { validationMessage } from './field-errors';
import { batchWorkflowId, unitWorkflowId } from './ids';
import {
  childReportSignal,
  extendDeadlineUpdate,
  extendInputSchema,
  recordedExtendInputSchema,
  recordedRemindNowInputSchema,
  recordedReviewInputSchema,
  recordedSubmitPlanInputSchema,
  recordedSubmitReportInputSchema,
  REMIND_NOW_INTERVAL_MS,
  remindNowInputSchema,
  remindNowUpdate,
  reviewInputSchema,
  reviewUpdate,
  submitPlanInputSchema,
  submitPlanUpdate,
  submitReportInputSchema,
  submitReportUpdate,
  unitStatusQuery,
  type ChildReport,
  type ExtensionReceipt,
  type RemindReceipt,
  type ReviewReceipt,
  type SubmissionReceipt,
  type UnitStatus,
} from './messages';
import { PHASES, ZERO_FIGURES, type Phase } from './report';
import { OVERDUE, PARENT, PHASE, UNIT, CYCLE } from './search-attributes';
import { toCalendarIso, toWallMs } from './timeline';
import {
  childEntryOf,
  childReportOf,
  dueMarkApplies,
  escalationApplies,
  initialPhase,
  isSubmitted,
  phaseOf,
  phaseView,
  pristineChild,
  reminderApplies,
  reportPhaseOpen,
  upgradeState,
  type UnitState,
} from './unit-state';
import { CHILD_LIST_PAGE, extendedDueDates, fanOutMessage, MAX_FAN_OUT, packChildren, unpackChildren, type PackedChildren } from './unit-state-packing';
import { childTaskTimeout } from './task-timeout';


/** Temporal handles many more, but a workflow with thousands of pending children is slow to load. */
export const MAX_DIRECT_CHILDREN = 500;
/** children are listed and started this many at a time */
export const START_PAGE = 50;

/**
 * A unit continues as new when the server suggests it or, whichever comes first, when its history passes these
 * (Temporal warns at 10,240 events / 10 MB and terminates at 51,200 / 50 MB): far below, since one loop pass can
 * add a few hundred events (a wave of children's reports) before the next check.
 */
export const HISTORY_EVENTS_BUDGET = 4_000;
export const HISTORY_BYTES_BUDGET = 4 * 1024 * 1024;

/** The root no longer signals the cycle workflow on every change (the cycle reads the root when asked). */
export const ROOT_REPORTS_TO_NOBODY_PATCH = 'root-reports-to-nobody';
/** A due event (reminder, overdue mark, digest) re-checks, when it runs, that it still applies. */
export const RECHECK_DUE_EVENTS_PATCH = 'recheck-due-events';
/** Continue-as-new also on the history's own size, not only when the server suggests it. */
export const CONTINUE_ON_HISTORY_SIZE_PATCH = 'continue-on-history-size';
/**
 * A child that reported while its siblings were still being started keeps its report (older runs replaced it
 * with the pristine entry, so an intermediate child's subtree was missing above it until its next change).
 */
export const KEEP_EARLY_CHILD_REPORTS_PATCH = 'keep-early-child-reports';
/**
 * Continue-as-new carries the children packed (workflows/unit-state-packing.ts: no ids, no extended deadlines;
 * the new run lists and recomputes them), so a parent of MAX_FAN_OUT children stays within 256 KiB.
 */
export const PACK_CHILDREN_PATCH = 'pack-children';
/** A unit with more than MAX_FAN_OUT direct children fails at once, saying why, instead of being terminated later. */
export const REFUSE_FAN_OUT_PATCH = 'refuse-fan-out';
/**
 * "Remind now" (remindNowUpdate). A new handler adds commands only to runs that receive the update, so older
 * histories replay without it; the marker tells a later change of this handler which runs it already served.
 */
export const REMIND_NOW_PATCH = 'remind-now';
/**
 * A resumed run reports its state upward once: a child's report that came in while the previous run finished its
 * handlers before continuing as new set only that run's `dirty`, and the parent would otherwise wait for the next
 * change to hear of it.
 */
export const REPORT_AFTER_CONTINUE_PATCH = 'v5-report-after-continue-as-new';

/** What a unit's run carries through continue-as-new: its state, and where its start-up stands. */
export type RunState = UnitState & {
  taskSent: boolean;
  childrenStarted: boolean;
  /** workflow time (ms) of the last "remind now" per phase: the rate limit (absent in runs before it) */
  remindedNowAtMs?: Partial<Record<Phase, number>>;
};

export interface UnitWorkflowInput {
  cycleId: string;
  year: number;
  unitId: string;
  kind: UnitKind;
  /** 0 = the cycle's root */
  depth: number;
  parentUnitId: string | null;
  grandparentUnitId: string | null;
  rootUnitId: string;
  /** the workflow this unit reports to: its parent unit's, or the cycle workflow for the root */
  reportToWorkflowId: string;
  plan: DeadlinePlan;
  childCount: number;
  /** at most this many children per workflow; more go through batch workflows (default MAX_DIRECT_CHILDREN) */
  maxDirectChildren?: number;
  /** continue as new past this many history events (default HISTORY_EVENTS_BUDGET; tests use a small number) */
  continueAsNewAfterEvents?: number;
  /**
   * reports this unit may send upward per UPWARD_WINDOW_MS (default UPWARD_BURST); a benchmark sets a number out
   * of reach to measure the tree as it ran before the pacing (bench:soak --no-upward-pacing)
   */
  upwardBurst?: number;
  /** carried over by continue-as-new */
  resume?: ResumedState;
}

/** What continue-as-new carries: the state; since PACK_CHILDREN_PATCH its children packed, `children` empty. */
export type ResumedState = RunState & { packedChildren?: PackedChildren };

export interface UnitBatchWorkflowInput {
  parent: UnitWorkflowInput;
  offset: number;
  limit: number;
}

function rejected(message: string): never {
  // Thrown from a validator, this rejects the update before anything is written to history.
  throw ApplicationFailure.create({ type: 'SubmissionRejected', message, nonRetryable: true });
}

function parseOrReject<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  rejected(validationMessage(parsed.error));
}

/** Child workflow input for a unit directly below `parent`. */
function childInput(parent: UnitWorkflowInput, reportTo: string, ref: UnitRef): UnitWorkflowInput {
  return {
    cycleId: parent.cycleId,
    year: parent.year,
    unitId: ref.id,
    kind: ref.kind,
    depth: parent.depth + 1,
    parentUnitId: parent.unitId,
    grandparentUnitId: parent.parentUnitId,
    rootUnitId: parent.rootUnitId,
    reportToWorkflowId: reportTo,
    plan: parent.plan,
    childCount: ref.childCount,
    maxDirectChildren: parent.maxDirectChildren,
    ...(parent.continueAsNewAfterEvents !== undefined ? { continueAsNewAfterEvents: parent.continueAsNewAfterEvents } : {}),
    ...(parent.upwardBurst !== undefined ? { upwardBurst: parent.upwardBurst } : {}),
  };
}

async function startUnitChildren(parent: UnitWorkflowInput, reportTo: string, offset: number, limit: number): Promise<UnitRef[]> {
  const started: UnitRef[] = [];
  for (let at = offset; at < offset + limit; at += START_PAGE) {
    const refs = await store.listCycleChildren({ cycleId: parent.cycleId, unitId: parent.unitId, offset: at, limit: Math.min(START_PAGE, offset + limit - at) });
    await Promise.all(
      refs.map((ref) =>
        startChild(unitWorkflow, {
          workflowId: unitWorkflowId(parent.cycleId, ref.id),
          args: [childInput(parent, reportTo, ref)],
          ...childTaskTimeout(),
          // Children live on their own: the parent may continue-as-new, and a batch closes right after starting them.
          parentClosePolicy: ParentClosePolicy.ABANDON,
          typedSearchAttributes: [
            { key: CYCLE, value: parent.cycleId },
            { key: UNIT, value: ref.id },
            { key: PARENT, value: parent.unitId },
            { key: PHASE, value: 'plan' },
            { key: OVERDUE, value: false },
          ],
        }),
      ),
    );
    started.push(...refs);
    if (refs.length < START_PAGE) break;
  }
  return started;
}

/** Batch workflows started after this patch carry the BaocaoCycle search attribute (before it, none). */
export const BATCH_CYCLE_ATTRIBUTE_PATCH = 'v4-misc-batch-cycle-attribute';

/** Starts the tasks of up to MAX_DIRECT_CHILDREN units below a parent that has more, then closes. */
export async function unitBatchWorkflow(input: UnitBatchWorkflowInput): Promise<UnitRef[]> {
  return startUnitChildren(input.parent, unitWorkflowId(input.parent.cycleId, input.parent.unitId), input.offset, input.limit);
}

export async function unitWorkflow(input: UnitWorkflowInput): Promise<Aggregate> {
  const { cycleId, unitId, plan } = input;
  const timeline = plan.timeline;
  const level = plan.levels[Math.min(input.depth, plan.levels.length - 1)]!;
  const childLevel = plan.levels[Math.min(input.depth + 1, plan.levels.length - 1)]!;
  const wall = (instant: string) => toWallMs(instant, timeline);
  const calendarNow = () => toCalendarIso(Date.now(), timeline);
  const closesAtMs = wall(plan.closesAt);

  // ids of each child's subtree kept in this state per list: AGGREGATE_LIST_CAP shared by all children
  const sampleQuota = Math.floor(AGGREGATE_LIST_CAP / Math.max(1, input.childCount));
  const { packedChildren, ...resumed } = input.resume ?? { packedChildren: undefined };
  const state: RunState = input.resume ? upgradeState(resumed as ResumedState, sampleQuota) : {
    plan: initialPhase(level.plan),
    report: initialPhase(level.report),
    ownReport: null,
    receipts: {},
    done: [],
    children: {},
    seq: 0,
    bounces: 0,
    closed: false,
    taskSent: false,
    childrenStarted: false,
  };
  const done = new Set(state.done);
  // the aggregate below, as running totals over state.children: every write to an entry goes through setChild
  const below = new RunningAggregate(state.children);
  // the escalation rounds over the same entries (read instead of every entry since ESCALATION_ROUNDS_PATCH)
  const rounds = new EscalationRounds(state.children, childLevel, (key) => done.has(key));
  const setChild = (id: string, entry: UnitState['children'][string]) => {
    state.children[id] = entry;
    below.set(id, entry);
    rounds.set(id, entry);
  };
  const inFlight = new Set<Phase>();
  let dirty = false;
  let lastSentReport = '';
  const pacer = new UpwardPacer(input.upwardBurst);
  let lastSearchAttributes = '';

  const workflowId = workflowInfo().workflowId;
  const parent: ExternalWorkflowHandle = getExternalWorkflowHandle(input.reportToWorkflowId);

  /** `at`: the scheduled instant for timer events (exact, whatever the worker's delay), else now. */
  const audit = (kind: string, key: string, actor: string, channel: string, data: Record<string, unknown>, at = calendarNow()) =>
    store.recordEvent({ key: `${workflowId}:${key}`, cycleId, unitId, kind, actor, channel, at, data });

  // Events scheduled before the task existed (a cycle started mid-year, or an extension) are not replayed as
  // a burst of stale reminders; only the due marks are kept, so a unit past its deadline is overdue at once.
  const skipPast = (keys: { key: string; atMs: number }[]) => {
    for (const k of keys) if (k.atMs < Date.now()) done.add(k.key);
  };

  // ---------------- messages ----------------

  /** An idempotency key names one content: the same key with other content is refused, not answered as a repeat. */
  const refuseReusedKey = (phase: Phase, key: string, hash: string) => {
    const earlier = state.receipts[key];
    if (earlier?.contentHash !== undefined && earlier.contentHash !== hash)
      rejected(
        `The idempotency key ${key} was already used for ${earlier.phase} version ${earlier.version} of ${unitId} with other content: nothing was stored. ` +
          `Submit the new ${phase} without a key (or with a new one) / Mã chống trùng ${key} đã được dùng cho nội dung khác (phiên bản ${earlier.version}); không lưu gì. Hãy nộp lại không kèm mã hoặc với mã mới.`,
      );
  };

  const validateSubmission = (phase: Phase, idempotencyKey: unknown) => {
    if (state.closed) rejected(`The cycle ${cycleId} is closed: submissions are no longer accepted / Chu kỳ đã đóng, không nhận bài nộp.`);
    if (typeof idempotencyKey === 'string' && state.receipts[idempotencyKey]) return; // same answer again
    if (inFlight.has(phase)) rejected(`Another ${phase} submission of ${unitId} is being processed; try again in a moment.`);
    const p = phaseOf(state, phase).progress;
    if (p.kind === 'submitted')
      rejected(`The ${phase} of ${unitId} (version ${p.version}) is awaiting review; it can be resubmitted only after the supervisor returns it / Đang chờ cấp trên xem xét.`);
    if (p.kind === 'accepted') rejected(`The ${phase} of ${unitId} has already been accepted / Đã được chấp nhận.`);
    if (phase === 'report' && !reportPhaseOpen(state))
      rejected(`The report phase of ${unitId} opens when its plan is submitted or the plan deadline has passed; submit the plan first / Hãy nộp kế hoạch trước.`);
  };

  // The content arrives once, in the update argument, and leaves once, to the archive: the state keeps only its
  // figures, its version and its hash.
  async function acceptSubmission(phase: Phase, key: string, channel: string, submittedBy: string, content: unknown, onStored: () => void): Promise<SubmissionReceipt> {
    const earlier = state.receipts[key];
    if (earlier) return { ...earlier, duplicate: true };
    inFlight.add(phase);
    try {
      const ps = phaseOf(state, phase);
      const first = ps.progress.kind === 'open';
      const version = isSubmitted(ps.progress) ? ps.progress.version + 1 : 1;
      const submittedAt = calendarNow();
      const late = isSubmitted(ps.progress) ? ps.progress.late : Date.now() > wall(ps.deadlines.dueAt);
      const firstSubmittedAt = isSubmitted(ps.progress) ? ps.progress.firstSubmittedAt : submittedAt;
      await store.storeSubmission({ cycleId, unitId, phase, version, idempotencyKey: key, content, channel, submittedBy, submittedAt, late });
      ps.progress = { kind: 'submitted', version, firstSubmittedAt, lastSubmittedAt: submittedAt, late };
      ps.overdue = false;
      onStored();
      const receipt: SubmissionReceipt = { unitId, phase, version, submittedAt, late, duplicate: false, contentHash: contentHash(content) };
      state.receipts[key] = receipt;
      dirty = true;
      await audit(`${phase}-submitted`, `submit:${phase}:${version}`, unitId, channel, { version, late, submittedBy });
      if (late && first && input.parentUnitId) {
        await mail.sendLateSubmissionNotice({
          key: `${workflowId}:late:${phase}`,
          cycleId,
          unitId,
          supervisorUnitId: input.parentUnitId,
          phase,
          dueAt: ps.deadlines.dueAt,
          submittedAt,
          asOf: submittedAt,
        });
      }
      return receipt;
    } finally {
      inFlight.delete(phase);
    }
  }

  setHandler(
    submitPlanUpdate,
    async (raw) => {
      const submission = recordedSubmitPlanInputSchema.parse(raw);
      return acceptSubmission('plan', submission.idempotencyKey, submission.channel, submission.submittedBy, submission.content, () => {});
    },
    {
      validator: (raw) => {
        validateSubmission('plan', (raw as { idempotencyKey?: unknown })?.idempotencyKey);
        const submission = parseOrReject(submitPlanInputSchema, raw);
        refuseReusedKey('plan', submission.idempotencyKey, contentHash(submission.content));
      },
    },
  );

  setHandler(
    submitReportUpdate,
    async (raw) => {
      const submission = recordedSubmitReportInputSchema.parse(raw);
      const receipt = await acceptSubmission('report', submission.idempotencyKey, submission.channel, submission.submittedBy, submission.content, () => {
        state.ownReport = { figures: submission.content.figures, commendationCount: submission.content.commendations.length };
      });
      // The root's report is the cycle's result: it goes upward as soon as the secretariat submits it.
      if (!receipt.duplicate && input.parentUnitId === null) await sendUpward(false, `v${receipt.version}`);
      return receipt;
    },
    {
      validator: (raw) => {
        validateSubmission('report', (raw as { idempotencyKey?: unknown })?.idempotencyKey);
        const submission = parseOrReject(submitReportInputSchema, raw);
        refuseReusedKey('report', submission.idempotencyKey, contentHash(submission.content));
      },
    },
  );

  setHandler(
    reviewUpdate,
    async (raw): Promise<ReviewReceipt> => {
      // reviews recorded before they named their version are replayed too: the version is optional here only
      const review = recordedReviewInputSchema.parse(raw);
      const ps = phaseOf(state, review.phase);
      const p = ps.progress;
      if (p.kind !== 'submitted') throw ApplicationFailure.nonRetryable('nothing to review'); // the validator prevents this
      const at = calendarNow();
      ps.progress =
        review.decision === 'accept'
          ? { kind: 'accepted', version: p.version, firstSubmittedAt: p.firstSubmittedAt, lastSubmittedAt: p.lastSubmittedAt, late: p.late, acceptedAt: at }
          : { kind: 'returned', version: p.version, firstSubmittedAt: p.firstSubmittedAt, lastSubmittedAt: p.lastSubmittedAt, late: p.late, comment: review.comment, returnedAt: at };
      dirty = true;
      const decision = review.decision === 'accept' ? 'accepted' : 'returned';
      await audit(`${review.phase}-${decision}`, `review:${review.phase}:${p.version}`, review.reviewerUnitId, review.channel, { version: p.version, comment: review.comment });
      await mail.sendReviewResult({ key: `${workflowId}:review:${review.phase}:${p.version}`, cycleId, unitId, phase: review.phase, decision, comment: review.comment, asOf: at });
      return { unitId, phase: review.phase, version: p.version, decision };
    },
    {
      validator: (raw) => {
        const review = parseOrReject(reviewInputSchema, raw);
        if (state.closed) rejected(`The cycle ${cycleId} is closed / Chu kỳ đã đóng.`);
        if (review.reviewerUnitId !== input.parentUnitId)
          rejected(`${review.reviewerUnitId} does not supervise ${unitId}: only ${input.parentUnitId ?? 'its parent'} can review it / Đơn vị không phải cấp trên trực tiếp.`);
        const p = phaseOf(state, review.phase).progress;
        if (p.kind !== 'submitted')
          rejected(`There is no ${review.phase} of ${unitId} awaiting review (state: ${p.kind}) / Không có bài nộp chờ xem xét.`);
        if (review.version !== p.version)
          rejected(
            `Version ${review.version} of the ${review.phase} of ${unitId} is not the one awaiting review: version ${p.version} is; read it before deciding / ` +
              `Phiên bản ${review.version} không phải phiên bản đang chờ xem xét; phiên bản hiện tại là ${p.version}.`,
          );
      },
    },
  );

  setHandler(
    extendDeadlineUpdate,
    async (raw): Promise<ExtensionReceipt> => {
      const ext = recordedExtendInputSchema.parse(raw);
      const deadlines: PhaseDeadlines = await store.computePhaseDeadlines({ dueDate: ext.until, rules: plan.rules });
      const ps = phaseOf(state, ext.phase);
      const previous = ps.deadlines.dueAt;
      ps.deadlines = deadlines;
      ps.extended = true;
      ps.overdue = ps.progress.kind === 'open' && Date.now() > wall(deadlines.dueAt);
      skipPast(deadlines.reminders.map((r) => ({ key: reminderKey(ext.phase, r), atMs: wall(r) })));
      dirty = true;
      await audit(`${ext.phase}-extended`, `extend:${ext.phase}:${deadlines.dueAt}`, ext.byUnitId, ext.channel, { from: previous, to: deadlines.dueAt, reason: ext.reason });
      return { unitId, phase: ext.phase, deadlines };
    },
    {
      validator: (raw) => {
        const ext = parseOrReject(extendInputSchema, raw);
        if (state.closed) rejected(`The cycle ${cycleId} is closed / Chu kỳ đã đóng.`);
        if (ext.byUnitId !== input.parentUnitId && ext.byUnitId !== input.rootUnitId)
          rejected(`${ext.byUnitId} may not extend deadlines of ${unitId}: only its supervisor (${input.parentUnitId ?? '—'}) or the secretariat (${input.rootUnitId}) can / Không có quyền gia hạn.`);
        const ps = phaseOf(state, ext.phase);
        if (ps.progress.kind === 'submitted' || ps.progress.kind === 'accepted')
          rejected(`The ${ext.phase} of ${unitId} is already submitted: there is no deadline to extend / Đã nộp, không cần gia hạn.`);
        if (ext.until <= ps.deadlines.dueDate)
          rejected(`The new date ${ext.until} must be after the current deadline ${ps.deadlines.dueDate} / Ngày gia hạn phải sau hạn hiện tại.`);
        if (Date.parse(`${ext.until}T00:00:00Z`) > Date.parse(plan.closesAt))
          rejected(`The new date ${ext.until} is after the cycle closes (${plan.closesAt.slice(0, 10)}) / Sau ngày đóng chu kỳ.`);
      },
    },
  );

  // "Remind now": a supervisor or the secretariat chases a unit between the scheduled reminders. The email is
  // only queued (the dispatcher delivers it); the audit names who asked.
  const remindPhase = (requested: Phase | undefined): Phase | undefined =>
    requested ?? (state.plan.progress.kind === 'open' ? 'plan' : state.report.progress.kind === 'open' ? 'report' : undefined);
  setHandler(
    remindNowUpdate,
    async (raw): Promise<RemindReceipt> => {
      patched(REMIND_NOW_PATCH);
      const r = recordedRemindNowInputSchema.parse(raw);
      const phase = remindPhase(r.phase) ?? 'plan'; // the validator refused a unit with nothing to chase
      const ps = phaseOf(state, phase);
      // set before the first await: a second request in the same moment meets the limit in its validator
      state.remindedNowAtMs = { ...state.remindedNowAtMs, [phase]: Date.now() };
      const number = ps.remindersSent + 1;
      const at = calendarNow();
      const key = `remind-now:${phase}:${number}`;
      const email = ps.overdue ? 'overdue-notice' : 'reminder';
      // a reminder says how much time is left and is dropped once the deadline has passed: past it, the overdue notice
      if (email === 'reminder') await mail.sendReminder({ key: `${workflowId}:${key}`, cycleId, unitId, phase, dueAt: ps.deadlines.dueAt, reminderNumber: number, asOf: at });
      else await mail.sendOverdueNotice({ key: `${workflowId}:${key}`, cycleId, unitId, phase, dueAt: ps.deadlines.dueAt, asOf: at });
      ps.remindersSent = number;
      dirty = true;
      await audit('reminder-requested', key, r.byUnitId, r.channel, { phase, number, email, dueAt: ps.deadlines.dueAt, requestedBy: r.requestedBy }, at);
      return { unitId, phase, reminderNumber: number, email, remindedAt: at };
    },
    {
      validator: (raw) => {
        const r = parseOrReject(remindNowInputSchema, raw);
        if (state.closed) rejected(`The cycle ${cycleId} is closed / Chu kỳ đã đóng.`);
        if (r.byUnitId !== input.parentUnitId && r.byUnitId !== input.rootUnitId)
          rejected(`${r.byUnitId} may not remind ${unitId}: only its supervisor (${input.parentUnitId ?? '—'}) or the secretariat (${input.rootUnitId}) can / Không có quyền nhắc đơn vị này.`);
        const phase = remindPhase(r.phase);
        if (phase === undefined)
          rejected(`${unitId} has submitted its plan and its report: there is nothing to remind it of / Đơn vị đã nộp kế hoạch và báo cáo, không cần nhắc.`);
        const p = phaseOf(state, phase).progress;
        if (p.kind === 'submitted' || p.kind === 'accepted')
          rejected(`The ${phase} of ${unitId} is already submitted (version ${p.version}): there is nothing to remind it of / Đơn vị đã nộp, không cần nhắc.`);
        if (p.kind === 'returned')
          rejected(`The ${phase} of ${unitId} was returned for revision with a comment; the unit has it: a reminder is for what was never submitted / Bài nộp đã được trả lại kèm ý kiến, không gửi thư nhắc.`);
        if (phase === 'report' && !reportPhaseOpen(state))
          rejected(`The report phase of ${unitId} opens when its plan is submitted or the plan deadline has passed: remind it of its plan / Giai đoạn báo cáo chưa mở, hãy nhắc nộp kế hoạch.`);
        const last = state.remindedNowAtMs?.[phase];
        if (last !== undefined && Date.now() - last < REMIND_NOW_INTERVAL_MS) {
          const ago = Math.floor((Date.now() - last) / 60_000);
          const wait = Math.max(1, Math.ceil((last + REMIND_NOW_INTERVAL_MS - Date.now()) / 60_000));
          rejected(
            `${unitId} was reminded of its ${phase} ${ago} min ago: at most one reminder an hour; try again in ${wait} min / ` +
              `Đơn vị vừa được nhắc ${ago} phút trước; mỗi giờ chỉ nhắc một lần, hãy thử lại sau ${wait} phút.`,
          );
        }
      },
    },
  );

  function takeChildReport(report: ChildReport) {
    const known = state.children[report.unitId];
    if (known && known.seq >= report.seq) return; // an older report overtaken by a newer one
    setChild(report.unitId, childEntryOf(report, known?.kind ?? 'grassroots', sampleQuota));
    dirty = true;
  }
  // while a resumed run lists its packed children again, their reports wait (they would be overwritten)
  let childrenUnpacked = packedChildren === undefined;
  const waitingReports: ChildReport[] = [];
  setHandler(childReportSignal, (report: ChildReport) => {
    if (childrenUnpacked) takeChildReport(report);
    else waitingReports.push(report);
  });

  setHandler(unitStatusQuery, (): UnitStatus => ({
    cycleId,
    unitId,
    parentUnitId: input.parentUnitId,
    depth: input.depth,
    closed: state.closed,
    asOf: calendarNow(),
    plan: phaseView(state.plan),
    report: phaseView(state.report),
    bounces: state.bounces,
    children: Object.entries(state.children).map(([id, c]) => ({ unitId: id, plan: c.plan, report: c.report })),
    aggregate: aggregateNow(),
  }));

  function aggregateNow(): Aggregate {
    return toAggregate(cycleId, unitId, calendarNow(), below.rollup(), state.ownReport?.figures ?? { ...ZERO_FIGURES });
  }

  async function sendUpward(final: boolean, round: string) {
    await sendAggregateUpward(`${workflowId}:upward:${round}`, aggregateNow(), final, calendarNow());
  }

  // ---------------- scheduled events ----------------

  function reminderKey(phase: Phase, at: string) {
    return `reminder:${phase}:${at}`;
  }

  interface ScheduledEvent {
    key: string;
    atMs: number;
    /** whether it still applies now (a submission or an extension may have arrived since the batch was listed) */
    stillDue: () => boolean;
    run: () => Promise<void>;
  }

  function ownEvents(): ScheduledEvent[] {
    const events: ScheduledEvent[] = [];
    for (const phase of PHASES) {
      const ps = phaseOf(state, phase);
      if (ps.progress.kind !== 'open') continue;
      ps.deadlines.reminders.forEach((at) =>
        events.push({
          key: reminderKey(phase, at),
          atMs: wall(at),
          stillDue: () => reminderApplies(ps, at),
          run: async () => {
            const number = ps.remindersSent + 1;
            await mail.sendReminder({ key: `${workflowId}:${reminderKey(phase, at)}`, cycleId, unitId, phase, dueAt: ps.deadlines.dueAt, reminderNumber: number, asOf: calendarNow() });
            ps.remindersSent = number;
            dirty = true;
            await audit('reminder-sent', reminderKey(phase, at), 'system', 'timer', { phase, number, dueAt: ps.deadlines.dueAt }, at);
          },
        }),
      );
      const dueAt = ps.deadlines.dueAt;
      events.push({
        key: `due:${phase}:${dueAt}`,
        atMs: wall(dueAt),
        stillDue: () => dueMarkApplies(ps, dueAt),
        run: async () => {
          ps.overdue = true;
          dirty = true;
          await audit(`${phase}-overdue`, `overdue:${phase}:${ps.deadlines.dueAt}`, 'system', 'timer', { dueAt: ps.deadlines.dueAt }, ps.deadlines.dueAt);
          await mail.sendOverdueNotice({ key: `${workflowId}:overdue:${phase}:${ps.deadlines.dueAt}`, cycleId, unitId, phase, dueAt: ps.deadlines.dueAt, asOf: calendarNow() });
        },
      });
    }
    return events;
  }

  /**
   * One digest per supervisor per escalation round, listing every unit below still missing at that instant. The
   * rounds due by `dueBy` list their units as they stand now (a unit that submits or is extended before its
   * round's turn in the batch is left out, patched); the others are listed only when they come due.
   */
  function escalationEvents(dueBy = -Infinity): ScheduledEvent[] {
    if (input.childCount === 0) return []; // nobody below to chase (and no patch marker in a grassroots history)
    if (!patched(ESCALATION_ROUNDS_PATCH)) {
      // runs that started before it: every round rebuilt from every child entry on each pass
      const stillMissing = (id: string, phase: Phase, key: string) => escalationApplies(state.children[id]?.[phase], childLevel[phase], phase, key);
      return scanEscalationRounds(state.children, childLevel).map((round) => escalationEvent(round.key, wall(round.escalation.at), () => round, (id) => stillMissing(id, round.phase, round.key)));
    }
    return rounds.pending().map(({ key, at }) => {
      const atMs = wall(at);
      const listed = atMs <= dueBy && !done.has(key) ? rounds.listed(key) : null;
      return escalationEvent(key, atMs, () => listed ?? rounds.listed(key)!, (id) => rounds.lists(key, id));
    });
  }

  /** The digest of round `key`: `round()` lists the units when the batch was computed. */
  function escalationEvent(key: string, atMs: number, round: () => ListedRound, stillMissing: (id: string) => boolean): ScheduledEvent {
    return {
      key,
      atMs,
      stillDue: () => round().unitIds.some(stillMissing),
      run: async () => {
        const { phase, escalation, unitIds: listed } = round();
        const climbed = escalation.target === 'grandparent';
        const recipientUnitId = climbed ? (input.parentUnitId ?? unitId) : unitId;
        // listed when the batch was computed; those that submitted or were extended since are left out (patched)
        const current = listed.filter(stillMissing);
        const unitIds = current.length === listed.length || !patched(RECHECK_DUE_EVENTS_PATCH) ? listed : current;
        const units = unitIds.map((id) => {
          const view = state.children[id]![phase];
          return { unitId: id, dueAt: (view.deadlines ?? childLevel[phase]).dueAt, remindersSent: view.remindersSent };
        });
        await audit('escalation', key, 'system', 'timer', { phase, round: escalation.round, recipientUnitId, climbed, unitIds }, escalation.at);
        await mail.sendEscalationDigest({
          key: `${workflowId}:${key}`,
          cycleId,
          supervisorUnitId: unitId,
          recipientUnitId,
          climbed,
          phase,
          round: escalation.round,
          units,
          asOf: calendarNow(),
        });
      },
    };
  }

  /** `flush`: send whatever the pacer holds back (before a continue-as-new, at the close). */
  async function reportUpward(flush = false) {
    // the cycle workflow keeps nothing of the root's reports: it asks the root when a client asks it
    if (input.parentUnitId === null && patched(ROOT_REPORTS_TO_NOBODY_PATCH)) return;
    const report = childReportOf(unitId, state, below.rollup());
    const { seq: _seq, ...comparable } = report;
    const text = JSON.stringify(comparable);
    if (text === lastSentReport) {
      pacer.held = false; // back to what the parent has: nothing to send
      return;
    }
    // past its burst, the report waits for the window (workflows/upward-pacing.ts); the loop wakes for it
    // (never in the last window before the close: a report held past it could reach the parent after its final)
    const nearClose = Date.now() >= closesAtMs - UPWARD_WINDOW_MS;
    if (!flush && !nearClose && !pacer.mayReport(Date.now()) && patched(COALESCE_UPWARD_REPORTS_PATCH)) {
      pacer.held = true;
      return;
    }
    state.seq += 1;
    lastSentReport = text;
    pacer.sent(Date.now());
    try {
      await parent.signal(childReportSignal, { ...report, seq: state.seq });
    } catch (err) {
      // The parent has closed (the cycle is over): nothing above is listening any more.
      log.warn('could not report upward', { error: String(err) });
    }
  }

  function updateSearchAttributes() {
    const phase = state.closed ? 'closed' : !isSubmitted(state.plan.progress) && !state.plan.overdue ? 'plan' : !isSubmitted(state.report.progress) ? 'report' : 'done';
    const overdue = !state.closed && (state.plan.overdue || state.report.overdue);
    const text = `${phase}/${overdue}`;
    if (text === lastSearchAttributes) return;
    lastSearchAttributes = text;
    upsertSearchAttributes([
      { key: PHASE, value: phase },
      { key: OVERDUE, value: overdue },
    ]);
  }

  // ---------------- the life of the task ----------------

  /** The ids of the units directly below, in the order of the cycle's frozen tree. */
  async function listChildIds(): Promise<string[]> {
    const ids: string[] = [];
    for (let offset = 0; offset < input.childCount; offset += CHILD_LIST_PAGE) {
      const limit = Math.min(CHILD_LIST_PAGE, input.childCount - offset);
      const refs = await store.listCycleChildren({ cycleId, unitId, offset, limit });
      ids.push(...refs.map((r) => r.id));
      if (refs.length < limit) break;
    }
    return ids;
  }

  /** The children of a resumed run, from their packed rows: ids listed again, extended deadlines recomputed. */
  async function unpackResumedChildren(packed: PackedChildren) {
    const ids = await listChildIds();
    const deadlines = new Map<string, PhaseDeadlines>();
    for (const dueDate of extendedDueDates(packed)) deadlines.set(dueDate, await store.computePhaseDeadlines({ dueDate, rules: plan.rules }));
    for (const [id, entry] of Object.entries(unpackChildren(packed, ids, (d) => deadlines.get(d)!))) setChild(id, entry);
    childrenUnpacked = true;
    for (const report of waitingReports.splice(0)) takeChildReport(report);
  }

  /** The state continue-as-new carries: its children packed, when they are exactly the listed ones (patched). */
  async function carriedState(): Promise<ResumedState> {
    if (input.childCount === 0 || !patched(PACK_CHILDREN_PATCH)) return state;
    const ids = await listChildIds();
    await condition(allHandlersFinished); // an update may have begun while the ids were listed
    state.done = [...done];
    const packed = packChildren(state.children, ids);
    return packed ? { ...state, children: {}, packedChildren: packed } : state;
  }

  /** A started child's entry: pristine, unless it has already reported (its kind is known only here). */
  function addStartedChild(ref: UnitRef) {
    const early = state.children[ref.id];
    if (early && patched(KEEP_EARLY_CHILD_REPORTS_PATCH)) setChild(ref.id, { ...early, kind: ref.kind });
    else setChild(ref.id, pristineChild(ref.kind));
  }

  if (!input.resume && input.childCount > MAX_FAN_OUT && patched(REFUSE_FAN_OUT_PATCH))
    throw ApplicationFailure.create({ type: 'FanOutTooLargeError', message: fanOutMessage(unitId, input.childCount), nonRetryable: true });
  if (packedChildren) await unpackResumedChildren(packedChildren);
  if (input.resume && patched(REPORT_AFTER_CONTINUE_PATCH)) dirty = true;

  if (!state.childrenStarted) {
    const fanOut = input.maxDirectChildren ?? MAX_DIRECT_CHILDREN;
    if (input.childCount <= fanOut) {
      const refs = await startUnitChildren(input, workflowId, 0, input.childCount);
      for (const ref of refs) addStartedChild(ref);
    } else {
      for (let batch = 0; batch * fanOut < input.childCount; batch++) {
        const refs = await executeChild(unitBatchWorkflow, {
          workflowId: batchWorkflowId(cycleId, unitId, batch),
          args: [{ parent: input, offset: batch * fanOut, limit: fanOut }],
          ...childTaskTimeout(),
          // like every workflow of a cycle, so that a visibility query on the cycle finds its batches too
          ...(patched(BATCH_CYCLE_ATTRIBUTE_PATCH) ? { typedSearchAttributes: [{ key: CYCLE, value: cycleId }] } : {}),
        });
        for (const ref of refs) addStartedChild(ref);
      }
    }
    state.childrenStarted = true;
    dirty = true;
    skipPast([...ownEvents(), ...escalationEvents()].filter((e) => !e.key.startsWith('due:')));
  }
  if (!state.taskSent) {
    await mail.sendTaskAssignment({
      key: `${workflowId}:task`,
      cycleId,
      year: input.year,
      unitId,
      planDueAt: state.plan.deadlines.dueAt,
      reportDueAt: state.report.deadlines.dueAt,
      closesAt: plan.closesAt,
      asOf: calendarNow(),
    });
    state.taskSent = true;
    await audit('task-sent', 'task', 'system', 'email', {});
  }

  for (;;) {
    // Handle everything that is due, oldest first, each exactly once.
    const due = [...ownEvents(), ...escalationEvents(Date.now())]
      .filter((e) => !done.has(e.key) && e.atMs <= Date.now())
      .sort((a, b) => a.atMs - b.atMs || a.key.localeCompare(b.key));
    for (const event of due) {
      done.add(event.key);
      // an earlier event of this batch awaited an activity, during which a submission or an extension may have
      // come in: a due mark, a reminder or a digest that no longer applies is dropped
      if (!event.stillDue() && patched(RECHECK_DUE_EVENTS_PATCH)) continue;
      await event.run();
    }
    if (Date.now() >= closesAtMs) break;

    updateSearchAttributes();
    if (dirty || pacer.held) {
      dirty = false;
      await reportUpward();
    }

    const info = workflowInfo();
    const historyLarge = info.historyLength > (input.continueAsNewAfterEvents ?? HISTORY_EVENTS_BUDGET) || info.historySize > HISTORY_BYTES_BUDGET;
    if (info.continueAsNewSuggested || (historyLarge && patched(CONTINUE_ON_HISTORY_SIZE_PATCH))) {
      if (pacer.held) await reportUpward(true); // the next run knows nothing of a held report
      await condition(allHandlersFinished);
      state.done = [...done];
      await continueAsNew<typeof unitWorkflow>({ ...input, resume: await carriedState() });
    }

    const upcoming = [...ownEvents(), ...escalationEvents()].filter((e) => !done.has(e.key)).map((e) => e.atMs);
    const release = pacer.releaseAtMs();
    if (release !== undefined) upcoming.push(release);
    const nextAt = Math.min(closesAtMs, ...upcoming);
    const wait = nextAt - Date.now();
    if (wait > 0) await condition(() => dirty, wait);
  }

  state.closed = true;
  await condition(allHandlersFinished);
  updateSearchAttributes();
  await audit('closed', 'closed', 'system', 'timer', {});
  await reportUpward(true);
  const final = aggregateNow();
  // every node's final aggregate is archived: the cycle stays readable after Temporal's retention
  if (patched(ARCHIVE_AND_DOCX_PATCH)) await store.recordAggregate({ key: `${workflowId}:final`, aggregate: final, final: true });
  return final;
}
