// The task of one unit in a campaign cycle: the phases of the frozen campaign version, in order, each with its
// form, deadlines, reminders and overdue mark, the reviews of its supervisor — and, for a unit with units below
// it, starting their tasks, chasing them per phase (escalation digests) and aggregating what they report by each
// figure's rule. The phase-driven counterpart of workflows/unit.ts (a new workflow type: the built-in cycles keep
// running that one unchanged). It carries the version's workflow view (domain/campaign-view.ts), never its texts.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { z } from 'zod';
import type { PhasedDeadlinePlan, PhaseDeadlines } from '../domain/calendar';
import { recordedFormContentSchema, formContentSchema } from '../domain/campaign-validator';
import { viewPhaseForm, viewTargetFigures, type CampaignWorkflowView, type FormView } from '../domain/campaign-view';
import type { UnitKind } from '../domain/directory';
import { jsonBytes } from '../domain/text';
import { mail, store } from './activities-proxy';
import {
  campaignEscalationRounds,
  campaignSupportedFanOut,
  entriesHeld,
  historyFull,
  isGroupKey,
  rangeOfGroupKey,
  runDueEvents,
  startCampaignUnits,
  stillMissingIn,
  unknownExtendedDueDates,
  nextEventAtMs,
  type ScheduledEvent,
} from './campaign-fan-out';
import { groupCapacity, startCampaignGroups } from './campaign-group';
import { CAMPAIGN_LISTS_BELOW_PATCH, keptSample } from './campaign-lists-below';
import {
  campaignChildReportSignal,
  campaignExtendInputSchema,
  campaignExtendUpdate,
  campaignRemindNowInputSchema,
  campaignRemindNowUpdate,
  campaignReviewInputSchema,
  campaignReviewUpdate,
  campaignSubmitInputSchema,
  campaignSubmitUpdate,
  campaignUnitStatusQuery,
  recordedCampaignExtendInputSchema,
  recordedCampaignRemindNowInputSchema,
  recordedCampaignReviewInputSchema,
  recordedCampaignSubmitInputSchema,
  type CampaignExtensionReceipt,
  type CampaignRemindReceipt,
  type CampaignReviewReceipt,
  type CampaignUnitStatus,
} from './campaign-messages';
import {
  campaignAggregateOf,
  campaignBelowQuota,
  campaignChildReportOf,
  currentPhase,
  initialCampaignState,
  isSubmitted,
  phaseOpen,
  pristineCampaignChild,
  type CampaignAggregate,
  type CampaignChildReport,
  type CampaignPhaseState,
  type CampaignReceipt,
  type CampaignUnitState,
} from './campaign-state';
import { contentHash } from './content-hash';
import { validationMessage } from './field-errors';
import { REMIND_NOW_INTERVAL_MS } from './messages';
import { OVERDUE, PHASE } from './search-attributes';
import { toCalendarIso, toWallMs } from './timeline';
import { WakeTimer } from './wake-timer';

export interface CampaignUnitWorkflowInput {
  cycleId: string;
  campaignId: string;
  version: number;
  year: number;
  unitId: string;
  kind: UnitKind;
  /** 0 = the cycle's root */
  depth: number;
  parentUnitId: string | null;
  grandparentUnitId: string | null;
  rootUnitId: string;
  /** the workflow this unit reports to: its parent unit's (the root reports to nobody: clients ask it) */
  reportToWorkflowId: string | null;
  view: CampaignWorkflowView;
  plan: PhasedDeadlinePlan;
  childCount: number;
  /** continue as new past this many history events (default HISTORY_EVENTS_BUDGET; tests use a small number) */
  continueAsNewAfterEvents?: number;
  /** carried over by continue-as-new */
  resume?: CampaignUnitState;
}

/**
 * Patch id of the close as the built-in cycles close: every node archives its final aggregate, and a node with units
 * below sends its level's report upward by email (figures by rule, a DOCX per phase built by the mail activity from
 * the archive). Histories recorded before it (v4-campaign-*) replay without it; v5-campaign-close-* with it.
 */
export const CAMPAIGN_CLOSE_ARCHIVE_PATCH = 'campaign-close-archive';

/**
 * "Remind now" of a campaign phase (campaignRemindNowUpdate), as the built-in's (REMIND_NOW_PATCH in ./unit): a new
 * handler adds commands only to runs that receive the update, so histories recorded before it (v4-campaign-*,
 * v5-campaign-close-*) replay without it; the marker tells a later change of this handler which runs it served.
 */
export const CAMPAIGN_REMIND_NOW_PATCH = 'campaign-remind-now';

/**
 * A unit with more children than its state keeps entries for starts groups holding them (campaign-group.ts,
 * campaign-fan-out.ts), up to CAMPAIGN_MAX_FAN_OUT, instead of failing at once with FanOutTooLargeError. Only such a
 * unit's run meets the marker; histories recorded before it (v7-campaign-fanout-before-*: that unit failed) replay
 * without it.
 */
export const CAMPAIGN_FAN_OUT_GROUPS_PATCH = 'campaign-fan-out-groups';

function rejected(message: string): never {
  // Thrown from a validator, this rejects the update before anything is written to history.
  throw ApplicationFailure.create({ type: 'SubmissionRejected', message, nonRetryable: true });
}

function parseOrReject<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  rejected(validationMessage(parsed.error));
}

/** The error a unit with more units directly below than its campaign's state can keep fails with, at once. */
export function campaignFanOutMessage(unitId: string, childCount: number, limit: number): string {
  return (
    `Unit ${unitId} has ${childCount} units directly below it; a cycle of this campaign supports at most ${limit} per unit (its forms' figures are kept per unit below). ` +
    `Group them under intermediate units in the directory, or use a campaign with fewer phases or figures / ` +
    `Đơn vị ${unitId} có ${childCount} đơn vị trực thuộc; chu kỳ của đợt này chỉ hỗ trợ tối đa ${limit} đơn vị trực thuộc mỗi đơn vị. ` +
    `Hãy nhóm các đơn vị dưới các đơn vị trung gian trong danh bạ, hoặc dùng đợt có ít giai đoạn hoặc chỉ tiêu hơn.`
  );
}

/** The entries one workflow of a campaign cycle keeps: the units directly below a unit without groups (its state's byte budget). */
export function campaignMaxChildren(view: CampaignWorkflowView, plan: PhasedDeadlinePlan): number {
  return groupCapacity({ view, plan });
}

/** The most units directly below one unit of a campaign cycle: through groups, CAMPAIGN_MAX_FAN_OUT when entries can be grouped. */
export function campaignSupportedChildren(view: CampaignWorkflowView, plan: PhasedDeadlinePlan): number {
  return campaignSupportedFanOut(campaignMaxChildren(view, plan));
}

export async function campaignUnitWorkflow(input: CampaignUnitWorkflowInput): Promise<CampaignAggregate> {
  const { cycleId, unitId, plan, view } = input;
  const timeline = plan.timeline;
  const level = plan.levels[Math.min(input.depth, plan.levels.length - 1)]!.phases;
  const childLevel = plan.levels[Math.min(input.depth + 1, plan.levels.length - 1)]!.phases;
  const wall = (instant: string) => toWallMs(instant, timeline);
  const calendarNow = () => toCalendarIso(Date.now(), timeline);
  const closesAtMs = wall(plan.closesAt);
  const phaseKeys = view.phases.map((p) => p.key);
  const workflowId = workflowInfo().workflowId;
  const maxChildren = campaignMaxChildren(view, plan);
  const grouped = input.childCount > maxChildren;
  // before any command, so every run past the patch (a continued one too) meets it at the same point
  const namesBelow = patched(CAMPAIGN_LISTS_BELOW_PATCH);
  /** ids kept per list of each entry's sample: what the room of this unit's entries (children or groups) leaves */
  const belowQuota = namesBelow ? campaignBelowQuota(view, jsonBytes(plan), entriesHeld(input.childCount, maxChildren)) : 0;

  const state: CampaignUnitState = input.resume ?? initialCampaignState(view, level);
  const done = new Set(state.done);
  const inFlight = new Set<string>();
  /** the deadlines of a child's extended due date, computed once per date by the calendar (not carried over) */
  const extendedDeadlines = new Map<string, PhaseDeadlines>();
  let dirty = false;
  const wake = new WakeTimer(); // the loop's wait keeps its timer across passes
  let lastSentReport = '';
  let lastSearchAttributes = '';

  const audit = (kind: string, key: string, actor: string, channel: string, data: Record<string, unknown>, at = calendarNow()) =>
    store.recordEvent({ key: `${workflowId}:${key}`, cycleId, unitId, kind, actor, channel, at, data });
  const email = { cycleId, campaignId: input.campaignId, version: input.version };
  const skipPast = (keys: { key: string; atMs: number }[]) => {
    for (const k of keys) if (k.atMs < Date.now()) done.add(k.key);
  };

  const phaseState = (key: string): CampaignPhaseState => {
    const ps = state.phases[key];
    if (!ps) rejected(`The campaign ${input.campaignId} v${input.version} has no phase "${key}": its phases are ${phaseKeys.join(', ')} / Đợt báo cáo không có giai đoạn "${key}".`);
    return ps;
  };
  const formOf = (key: string): FormView => viewPhaseForm(view, key)!;

  // ---------------- submissions ----------------

  function validateSubmission(raw: unknown) {
    if (state.closed) rejected(`The cycle ${cycleId} is closed: submissions are no longer accepted / Chu kỳ đã đóng, không nhận bài nộp.`);
    const s = parseOrReject(campaignSubmitInputSchema, raw);
    const ps = phaseState(s.phase);
    const earlier = state.receipts[s.idempotencyKey];
    const form = formOf(s.phase);
    const content = parseOrReject(formContentSchema(form, { targetFigures: viewTargetFigures(view, form) }), s.content);
    const hash = contentHash(content);
    if (earlier) {
      if (earlier.contentHash !== hash || earlier.phase !== s.phase)
        rejected(
          `The idempotency key ${s.idempotencyKey} was already used for ${earlier.phase} version ${earlier.version} of ${unitId} with other content: nothing was stored. ` +
            `Submit without a key (or with a new one) / Mã chống trùng ${s.idempotencyKey} đã được dùng cho nội dung khác; không lưu gì. Hãy nộp lại với mã mới.`,
        );
      return; // the same answer again
    }
    if (inFlight.has(s.phase)) rejected(`Another ${s.phase} submission of ${unitId} is being processed; try again in a moment / Đang xử lý một bài nộp khác, hãy thử lại sau.`);
    const p = ps.progress;
    if (p.kind === 'submitted')
      rejected(`The ${s.phase} of ${unitId} (version ${p.version}) is awaiting review; it can be resubmitted only after the supervisor returns it / Đang chờ cấp trên xem xét.`);
    if (p.kind === 'accepted') rejected(`The ${s.phase} of ${unitId} has already been accepted / Đã được chấp nhận.`);
    if (!phaseOpen(view, state, s.phase)) {
      const previous = phaseKeys[phaseKeys.indexOf(s.phase) - 1];
      rejected(`The ${s.phase} of ${unitId} opens when the ${previous} is submitted or past its deadline; submit the ${previous} first / Giai đoạn này mở khi giai đoạn ${previous} đã nộp hoặc quá hạn; hãy nộp ${previous} trước.`);
    }
  }

  setHandler(
    campaignSubmitUpdate,
    async (raw): Promise<CampaignReceipt> => {
      const s = recordedCampaignSubmitInputSchema.parse(raw);
      const earlier = state.receipts[s.idempotencyKey];
      if (earlier) return { ...earlier, duplicate: true };
      const form = formOf(s.phase);
      const content = recordedFormContentSchema(form, { targetFigures: viewTargetFigures(view, form) }).parse(s.content) as Record<string, unknown>;
      const ps = state.phases[s.phase]!;
      inFlight.add(s.phase);
      try {
        const first = ps.progress.kind === 'open';
        const version = isSubmitted(ps.progress) ? ps.progress.version + 1 : 1;
        const submittedAt = calendarNow();
        const late = isSubmitted(ps.progress) ? ps.progress.late : Date.now() > wall(ps.deadlines.dueAt);
        const firstSubmittedAt = isSubmitted(ps.progress) ? ps.progress.firstSubmittedAt : submittedAt;
        await store.storeCampaignSubmission({ cycleId, unitId, phase: s.phase, version, idempotencyKey: s.idempotencyKey, content, channel: s.channel, submittedBy: s.submittedBy, submittedAt, late });
        ps.progress = { kind: 'submitted', version, firstSubmittedAt, lastSubmittedAt: submittedAt, late };
        ps.overdue = false;
        // numbers and counts only: the text and the lists stay in the archive
        ps.figures = (content.figures as Record<string, number> | undefined) ?? null;
        ps.targets = (content.targets as Record<string, number> | undefined) ?? null;
        ps.listItems = form.lists.reduce((n, l) => n + ((content[l.key] as unknown[] | undefined)?.length ?? 0), 0);
        const receipt: CampaignReceipt = { unitId, phase: s.phase, version, submittedAt, late, duplicate: false, contentHash: contentHash(content) };
        state.receipts[s.idempotencyKey] = receipt;
        dirty = true;
        await audit(`${s.phase}-submitted`, `submit:${s.phase}:${version}`, unitId, s.channel, { phase: s.phase, version, late, submittedBy: s.submittedBy });
        if (late && first && input.parentUnitId)
          await mail.sendCampaignEmail({ ...email, kind: 'late', key: `${workflowId}:late:${s.phase}`, unitId, supervisorUnitId: input.parentUnitId, phase: s.phase, dueAt: ps.deadlines.dueAt, submittedAt, asOf: submittedAt });
        return receipt;
      } finally {
        inFlight.delete(s.phase);
      }
    },
    { validator: validateSubmission },
  );

  setHandler(
    campaignReviewUpdate,
    async (raw): Promise<CampaignReviewReceipt> => {
      const review = recordedCampaignReviewInputSchema.parse(raw);
      const ps = state.phases[review.phase]!;
      const p = ps.progress;
      if (p.kind !== 'submitted') throw ApplicationFailure.nonRetryable('nothing to review'); // the validator prevents this
      const at = calendarNow();
      ps.progress =
        review.decision === 'accept'
          ? { kind: 'accepted', version: p.version, firstSubmittedAt: p.firstSubmittedAt, lastSubmittedAt: p.lastSubmittedAt, late: p.late, acceptedAt: at }
          : { kind: 'returned', version: p.version, firstSubmittedAt: p.firstSubmittedAt, lastSubmittedAt: p.lastSubmittedAt, late: p.late, comment: review.comment, returnedAt: at };
      dirty = true;
      const decision = review.decision === 'accept' ? 'accepted' : 'returned';
      await audit(`${review.phase}-${decision}`, `review:${review.phase}:${p.version}`, review.reviewerUnitId, review.channel, { phase: review.phase, version: p.version, comment: review.comment });
      await mail.sendCampaignEmail({ ...email, kind: 'review', key: `${workflowId}:review:${review.phase}:${p.version}`, unitId, phase: review.phase, decision, comment: review.comment, asOf: at });
      return { unitId, phase: review.phase, version: p.version, decision };
    },
    {
      validator: (raw) => {
        const review = parseOrReject(campaignReviewInputSchema, raw);
        if (state.closed) rejected(`The cycle ${cycleId} is closed / Chu kỳ đã đóng.`);
        if (review.reviewerUnitId !== input.parentUnitId)
          rejected(`${review.reviewerUnitId} does not supervise ${unitId}: only ${input.parentUnitId ?? 'its parent'} can review it / Đơn vị không phải cấp trên trực tiếp.`);
        const p = phaseState(review.phase).progress;
        if (p.kind !== 'submitted') rejected(`There is no ${review.phase} of ${unitId} awaiting review (state: ${p.kind}) / Không có bài nộp chờ xem xét.`);
        if (review.version !== p.version)
          rejected(`Version ${review.version} of the ${review.phase} of ${unitId} is not the one awaiting review: version ${p.version} is / Phiên bản ${review.version} không phải phiên bản đang chờ xem xét (${p.version}).`);
      },
    },
  );

  setHandler(
    campaignExtendUpdate,
    async (raw): Promise<CampaignExtensionReceipt> => {
      const ext = recordedCampaignExtendInputSchema.parse(raw);
      const deadlines: PhaseDeadlines = await store.computePhaseDeadlines({ dueDate: ext.until, rules: plan.rules });
      const ps = state.phases[ext.phase]!;
      const previous = ps.deadlines.dueAt;
      ps.deadlines = deadlines;
      ps.extended = true;
      ps.overdue = ps.progress.kind === 'open' && Date.now() > wall(deadlines.dueAt);
      skipPast(deadlines.reminders.map((r) => ({ key: reminderKey(ext.phase, r), atMs: wall(r) })));
      dirty = true;
      await audit(`${ext.phase}-extended`, `extend:${ext.phase}:${deadlines.dueAt}`, ext.byUnitId, ext.channel, { phase: ext.phase, from: previous, to: deadlines.dueAt, reason: ext.reason });
      return { unitId, phase: ext.phase, deadlines };
    },
    {
      validator: (raw) => {
        const ext = parseOrReject(campaignExtendInputSchema, raw);
        if (state.closed) rejected(`The cycle ${cycleId} is closed / Chu kỳ đã đóng.`);
        if (ext.byUnitId !== input.parentUnitId && ext.byUnitId !== input.rootUnitId)
          rejected(`${ext.byUnitId} may not extend deadlines of ${unitId}: only its supervisor (${input.parentUnitId ?? '—'}) or the secretariat (${input.rootUnitId}) can / Không có quyền gia hạn.`);
        const ps = phaseState(ext.phase);
        if (ps.progress.kind === 'submitted' || ps.progress.kind === 'accepted')
          rejected(`The ${ext.phase} of ${unitId} is already submitted: there is no deadline to extend / Đã nộp, không cần gia hạn.`);
        if (ext.until <= ps.deadlines.dueDate) rejected(`The new date ${ext.until} must be after the current deadline ${ps.deadlines.dueDate} / Ngày gia hạn phải sau hạn hiện tại.`);
        if (Date.parse(`${ext.until}T00:00:00Z`) > Date.parse(plan.closesAt))
          rejected(`The new date ${ext.until} is after the cycle closes (${plan.closesAt.slice(0, 10)}) / Sau ngày đóng chu kỳ.`);
      },
    },
  );

  // "Remind now": a supervisor or the secretariat chases a unit's phase between the scheduled reminders, with the
  // built-in's rules (workflows/unit.ts): the email is only queued, the audit names who asked, at most one an hour.
  const remindPhase = (requested: string | undefined): string | undefined => requested ?? phaseKeys.find((k) => state.phases[k]!.progress.kind === 'open');
  setHandler(
    campaignRemindNowUpdate,
    async (raw): Promise<CampaignRemindReceipt> => {
      patched(CAMPAIGN_REMIND_NOW_PATCH);
      const r = recordedCampaignRemindNowInputSchema.parse(raw);
      const phase = remindPhase(r.phase) ?? phaseKeys[0]!; // the validator refused a unit with nothing to chase
      const ps = state.phases[phase]!;
      // set before the first await: a second request in the same moment meets the limit in its validator
      state.remindedNowAtMs = { ...state.remindedNowAtMs, [phase]: Date.now() };
      const number = ps.remindersSent + 1;
      const at = calendarNow();
      const key = `remind-now:${phase}:${number}`;
      const sent = ps.overdue ? 'overdue-notice' : 'reminder';
      // a reminder says how much time is left: past the deadline, the overdue notice goes instead
      if (sent === 'reminder') await mail.sendCampaignEmail({ ...email, kind: 'reminder', key: `${workflowId}:${key}`, unitId, phase, dueAt: ps.deadlines.dueAt, reminderNumber: number, asOf: at });
      else await mail.sendCampaignEmail({ ...email, kind: 'overdue', key: `${workflowId}:${key}`, unitId, phase, dueAt: ps.deadlines.dueAt, asOf: at });
      ps.remindersSent = number;
      dirty = true;
      await audit('reminder-requested', key, r.byUnitId, r.channel, { phase, number, email: sent, dueAt: ps.deadlines.dueAt, requestedBy: r.requestedBy }, at);
      return { unitId, phase, reminderNumber: number, email: sent, remindedAt: at };
    },
    {
      validator: (raw) => {
        const r = parseOrReject(campaignRemindNowInputSchema, raw);
        if (state.closed) rejected(`The cycle ${cycleId} is closed / Chu kỳ đã đóng.`);
        if (r.byUnitId !== input.parentUnitId && r.byUnitId !== input.rootUnitId)
          rejected(`${r.byUnitId} may not remind ${unitId}: only its supervisor (${input.parentUnitId ?? '—'}) or the secretariat (${input.rootUnitId}) can / Không có quyền nhắc đơn vị này.`);
        const phase = remindPhase(r.phase);
        if (phase === undefined) rejected(`${unitId} has submitted every phase: there is nothing to remind it of / Đơn vị đã nộp đủ mọi giai đoạn, không cần nhắc.`);
        const p = phaseState(phase).progress;
        if (p.kind === 'submitted' || p.kind === 'accepted')
          rejected(`The ${phase} of ${unitId} is already submitted (version ${p.version}): there is nothing to remind it of / Đơn vị đã nộp giai đoạn ${phase}, không cần nhắc.`);
        if (p.kind === 'returned')
          rejected(`The ${phase} of ${unitId} was returned for revision with a comment; the unit has it: a reminder is for what was never submitted / Bài nộp đã được trả lại kèm ý kiến, không gửi thư nhắc.`);
        if (!phaseOpen(view, state, phase)) {
          const previous = phaseKeys[phaseKeys.indexOf(phase) - 1];
          rejected(`The ${phase} of ${unitId} opens when its ${previous} is submitted or past its deadline: remind it of its ${previous} / Giai đoạn ${phase} chưa mở, hãy nhắc nộp ${previous}.`);
        }
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

  setHandler(campaignChildReportSignal, (report: CampaignChildReport) => {
    const known = state.children[report.unitId];
    if (known && known.seq >= report.seq) return; // an older report overtaken by a newer one
    state.children[report.unitId] = { kind: known?.kind ?? 'grassroots', seq: report.seq, phases: report.phases, subtree: report.subtree, ...keptSample(report.below, belowQuota) };
    dirty = true;
  });

  const aggregateNow = () => campaignAggregateOf(view, cycleId, unitId, calendarNow(), state);

  setHandler(campaignUnitStatusQuery, (): CampaignUnitStatus => ({
    cycleId,
    campaignId: input.campaignId,
    version: input.version,
    unitId,
    parentUnitId: input.parentUnitId,
    depth: input.depth,
    closed: state.closed,
    asOf: calendarNow(),
    current: currentPhase(view, state),
    phases: view.phases.map((p) => ({ key: p.key, form: p.form, open: phaseOpen(view, state, p.key), ...state.phases[p.key]! })),
    // the units directly below; none when groups hold them (their entries are merges, not units)
    children: Object.entries(state.children)
      .filter(([id]) => !isGroupKey(id))
      .map(([id, c]) => ({ unitId: id, phases: c.phases })),
    ...(grouped ? { groups: Object.keys(state.children).filter(isGroupKey).map(rangeOfGroupKey) } : {}),
    aggregate: aggregateNow(),
  }));

  // ---------------- scheduled events ----------------

  function reminderKey(phase: string, at: string) {
    return `reminder:${phase}:${at}`;
  }


  function ownEvents(): ScheduledEvent[] {
    const events: ScheduledEvent[] = [];
    for (const key of phaseKeys) {
      const ps = state.phases[key]!;
      if (ps.progress.kind !== 'open') continue;
      for (const at of ps.deadlines.reminders)
        events.push({
          key: reminderKey(key, at),
          atMs: wall(at),
          stillDue: () => ps.progress.kind === 'open' && ps.deadlines.reminders.includes(at),
          run: async () => {
            const number = ps.remindersSent + 1;
            await mail.sendCampaignEmail({ ...email, kind: 'reminder', key: `${workflowId}:${reminderKey(key, at)}`, unitId, phase: key, dueAt: ps.deadlines.dueAt, reminderNumber: number, asOf: calendarNow() });
            ps.remindersSent = number;
            dirty = true;
            await audit('reminder-sent', reminderKey(key, at), 'system', 'timer', { phase: key, number, dueAt: ps.deadlines.dueAt }, at);
          },
        });
      const dueAt = ps.deadlines.dueAt;
      events.push({
        key: `due:${key}:${dueAt}`,
        atMs: wall(dueAt),
        stillDue: () => ps.progress.kind === 'open' && ps.deadlines.dueAt === dueAt,
        run: async () => {
          ps.overdue = true;
          dirty = true;
          await audit(`${key}-overdue`, `overdue:${key}:${dueAt}`, 'system', 'timer', { phase: key, dueAt }, dueAt);
          await mail.sendCampaignEmail({ ...email, kind: 'overdue', key: `${workflowId}:overdue:${key}:${dueAt}`, unitId, phase: key, dueAt, asOf: calendarNow() });
        },
      });
    }
    return events;
  }

  /** A child's deadlines for a phase: its level's, or those of its extended due date. */
  const childDeadlines = (phase: string, extendedDueDate: string | null): PhaseDeadlines =>
    (extendedDueDate !== null ? extendedDeadlines.get(extendedDueDate) : undefined) ?? childLevel[phase]!;

  const stillMissing = (id: string, phase: string, key: string): boolean => stillMissingIn(state.children, childDeadlines, id, phase, key);

  /**
   * One digest per supervisor per phase and escalation round, listing every unit below still missing then (a unit
   * whose children are held by groups has none: each group sends the digest of its own units).
   */
  function escalationEvents(): ScheduledEvent[] {
    const rounds = campaignEscalationRounds(state.children, phaseKeys, childDeadlines);
    return [...rounds.entries()].map(([key, { phase, escalation, unitIds: listed }]) => ({
      key,
      atMs: wall(escalation.at),
      stillDue: () => listed.some((id) => stillMissing(id, phase, key)),
      run: async () => {
        const climbed = escalation.target === 'grandparent';
        const recipientUnitId = climbed ? (input.parentUnitId ?? unitId) : unitId;
        const unitIds = listed.filter((id) => stillMissing(id, phase, key));
        const units = unitIds.map((id) => {
          const c = state.children[id]!.phases[phase]!;
          return { unitId: id, dueAt: childDeadlines(phase, c.extendedDueDate).dueAt, remindersSent: c.remindersSent };
        });
        await audit('escalation', key, 'system', 'timer', { phase, round: escalation.round, recipientUnitId, climbed, unitIds }, escalation.at);
        await mail.sendCampaignEmail({ ...email, kind: 'escalation', key: `${workflowId}:${key}`, supervisorUnitId: unitId, recipientUnitId, climbed, phase, round: escalation.round, units, asOf: calendarNow() });
      },
    }));
  }

  /** Computes, in the main loop, the deadlines of children's extended due dates not seen yet. */
  async function learnExtendedDeadlines() {
    for (const dueDate of unknownExtendedDueDates(state.children, extendedDeadlines)) extendedDeadlines.set(dueDate, await store.computePhaseDeadlines({ dueDate, rules: plan.rules }));
  }

  async function reportUpward() {
    if (input.reportToWorkflowId === null) return; // the root: clients ask it
    const report = campaignChildReportOf(view, unitId, state, namesBelow);
    const { seq: _seq, ...comparable } = report;
    const text = JSON.stringify(comparable);
    if (text === lastSentReport) return;
    state.seq += 1;
    lastSentReport = text;
    try {
      await getExternalWorkflowHandle(input.reportToWorkflowId).signal(campaignChildReportSignal, { ...report, seq: state.seq });
    } catch (err) {
      log.warn('could not report upward', { error: String(err) }); // the parent has closed: the cycle is over
    }
  }

  function updateSearchAttributes() {
    const phase = state.closed ? 'closed' : currentPhase(view, state);
    const overdue = !state.closed && phaseKeys.some((k) => state.phases[k]!.overdue);
    const text = `${phase}/${overdue}`;
    if (text === lastSearchAttributes) return;
    lastSearchAttributes = text;
    upsertSearchAttributes([
      { key: PHASE, value: phase },
      { key: OVERDUE, value: overdue },
    ]);
  }

  // ---------------- the life of the task ----------------

  if (!input.resume && grouped) {
    const supported = campaignSupportedFanOut(maxChildren);
    if (!(input.childCount <= supported && patched(CAMPAIGN_FAN_OUT_GROUPS_PATCH)))
      throw ApplicationFailure.create({ type: 'FanOutTooLargeError', message: campaignFanOutMessage(unitId, input.childCount, supported), nonRetryable: true });
  }

  if (!state.childrenStarted) {
    const { resume: _resume, ...unitInput } = input;
    const range = { offset: 0, count: input.childCount };
    if (grouped) Object.assign(state.children, await startCampaignGroups(unitInput, workflowId, range, maxChildren));
    else
      await startCampaignUnits(input, workflowId, range, (ref) => {
        if (!state.children[ref.id]) state.children[ref.id] = pristineCampaignChild(view, ref.kind);
        else state.children[ref.id]!.kind = ref.kind;
      });
    state.childrenStarted = true;
    dirty = true;
    // events scheduled before the task existed (a cycle started mid-year) are not sent as a burst of stale reminders
    skipPast([...ownEvents(), ...escalationEvents()].filter((e) => !e.key.startsWith('due:')));
  }
  if (!state.taskSent) {
    await mail.sendCampaignEmail({
      ...email,
      kind: 'task',
      key: `${workflowId}:task`,
      unitId,
      phases: phaseKeys.map((k) => ({ key: k, dueAt: state.phases[k]!.deadlines.dueAt })),
      closesAt: plan.closesAt,
      asOf: calendarNow(),
    });
    state.taskSent = true;
    await audit('task-sent', 'task', 'system', 'email', {});
  }

  for (;;) {
    await learnExtendedDeadlines();
    await runDueEvents([...ownEvents(), ...escalationEvents()], done);
    if (Date.now() >= closesAtMs) break;

    updateSearchAttributes();
    if (dirty) {
      dirty = false;
      await reportUpward();
    }

    if (historyFull(input.continueAsNewAfterEvents)) {
      await condition(allHandlersFinished);
      state.done = [...done];
      await continueAsNew<typeof campaignUnitWorkflow>({ ...input, resume: state });
    }

    await wake.waitUntil(nextEventAtMs([...ownEvents(), ...escalationEvents()], done, closesAtMs), () => dirty);
  }

  state.closed = true;
  await condition(allHandlersFinished);
  updateSearchAttributes();
  await audit('closed', 'closed', 'system', 'timer', {});
  await reportUpward();
  const final = aggregateNow();
  if (patched(CAMPAIGN_CLOSE_ARCHIVE_PATCH)) {
    // the cycle stays readable after Temporal's retention; the email reads the aggregate back by its key
    const aggregateKey = `${workflowId}:final`;
    await store.recordCampaignAggregate({ key: aggregateKey, aggregate: final, final: true });
    if (input.childCount > 0)
      await mail.sendCampaignEmail({ ...email, kind: 'report', key: `${workflowId}:upward:final`, unitId, supervisorUnitId: input.parentUnitId, aggregateKey, final: true, asOf: final.asOf });
  }
  return final;
}
