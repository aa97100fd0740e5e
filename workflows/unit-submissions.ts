// The submissions of a unit's task (workflows/unit.ts) and what its supervisor does with them: submitting the
// plan and the report (submitPlanUpdate, submitReportUpdate), reviewing them (reviewUpdate) and extending a
// deadline (extendDeadlineUpdate). Each update is checked by its validator before anything is written.
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import type { PhaseDeadlines } from '../domain/calendar';
import { mail, store } from './activities-proxy';
import { contentHash } from './content-hash';
import {
  extendDeadlineUpdate,
  extendInputSchema,
  recordedExtendInputSchema,
  recordedReviewInputSchema,
  recordedSubmitPlanInputSchema,
  recordedSubmitReportInputSchema,
  reviewInputSchema,
  reviewUpdate,
  submitPlanInputSchema,
  submitPlanUpdate,
  submitReportInputSchema,
  submitReportUpdate,
  type ExtensionReceipt,
  type ReviewReceipt,
  type SubmissionReceipt,
} from './messages';
import type { Phase } from './report';
import { parseOrReject, rejected, reminderKey, type UnitRun } from './unit-run';
import { isSubmitted, phaseOf, reportPhaseOpen } from './unit-state';

/** `sendUpward`: the root sends its aggregate upward as soon as its report is submitted. */
export function handleSubmissions(run: UnitRun, sendUpward: (final: boolean, round: string) => Promise<void>): void {
  const { input, state, workflowId } = run;
  const { cycleId, unitId, plan } = input;
  const inFlight = new Set<Phase>();

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
      const submittedAt = run.calendarNow();
      const late = isSubmitted(ps.progress) ? ps.progress.late : Date.now() > run.wall(ps.deadlines.dueAt);
      const firstSubmittedAt = isSubmitted(ps.progress) ? ps.progress.firstSubmittedAt : submittedAt;
      await store.storeSubmission({ cycleId, unitId, phase, version, idempotencyKey: key, content, channel, submittedBy, submittedAt, late });
      ps.progress = { kind: 'submitted', version, firstSubmittedAt, lastSubmittedAt: submittedAt, late };
      ps.overdue = false;
      onStored();
      const receipt: SubmissionReceipt = { unitId, phase, version, submittedAt, late, duplicate: false, contentHash: contentHash(content) };
      state.receipts[key] = receipt;
      run.markDirty();
      await run.audit(`${phase}-submitted`, `submit:${phase}:${version}`, unitId, channel, { version, late, submittedBy });
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
      const at = run.calendarNow();
      ps.progress =
        review.decision === 'accept'
          ? { kind: 'accepted', version: p.version, firstSubmittedAt: p.firstSubmittedAt, lastSubmittedAt: p.lastSubmittedAt, late: p.late, acceptedAt: at }
          : { kind: 'returned', version: p.version, firstSubmittedAt: p.firstSubmittedAt, lastSubmittedAt: p.lastSubmittedAt, late: p.late, comment: review.comment, returnedAt: at };
      run.markDirty();
      const decision = review.decision === 'accept' ? 'accepted' : 'returned';
      await run.audit(`${review.phase}-${decision}`, `review:${review.phase}:${p.version}`, review.reviewerUnitId, review.channel, { version: p.version, comment: review.comment });
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
      ps.overdue = ps.progress.kind === 'open' && Date.now() > run.wall(deadlines.dueAt);
      run.skipPast(deadlines.reminders.map((r) => ({ key: reminderKey(ext.phase, r), atMs: run.wall(r) })));
      run.markDirty();
      await run.audit(`${ext.phase}-extended`, `extend:${ext.phase}:${deadlines.dueAt}`, ext.byUnitId, ext.channel, { from: previous, to: deadlines.dueAt, reason: ext.reason });
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
}
