// What the CLI and the web app do with cycles, in one place: start, look, submit, review, extend, list overdue.
// Every input is validated with the same zod schemas the workflows use; every error says what to do.
import { createHash } from 'node:crypto';
import {
  isGrpcDeadlineError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { REHEARSAL_MAX_MINUTES, TIME_ZONE } from '../activities/calendar/constants';
import type { CycleResult, CycleWorkflowInput } from '../workflows/cycle';
import { cyclePlanQuery } from '../workflows/cycle';
import { cycleId as makeCycleId, parseCycleId, unitWorkflowId } from '../workflows/ids';
import {
  cycleStatusQuery,
  extendDeadlineUpdate,
  extendInputSchema,
  remindNowInputSchema,
  remindNowUpdate,
  reviewInputSchema,
  reviewUpdate,
  submitPlanInputSchema,
  submitPlanUpdate,
  submitReportInputSchema,
  submitReportUpdate,
  unitStatusQuery,
  type Channel,
  type CycleStatus,
  type ExtensionReceipt,
  type RemindReceipt,
  type ReviewReceipt,
  type SubmissionReceipt,
  type UnitStatus,
} from '../workflows/messages';
import { planContentSchema, reportContentSchema, type Phase } from '../workflows/report';
import { validationMessage } from '../workflows/field-errors';
import { DEFAULT_UPDATE_TIMEOUT_MS } from '../common/config';
import { failureReason } from './failures';
import { contentHash } from '../workflows/content-hash';
import { CYCLE, OVERDUE, PARENT, UNIT } from '../workflows/search-attributes';
import type { Aggregate } from '../workflows/aggregate-types';
import type { DeadlinePlan, Instant, LocalDate, PhaseDeadlines, Timeline } from '../activities/calendar/types';
import { toWallMs } from '../workflows/timeline';
import type { Db } from '../activities/db/database';
import { getUnit, treeAsOf, treeDepth } from '../activities/directory/repository';
import { FanOutTooLargeError, MAX_FAN_OUT } from '../workflows/unit-state-packing';
import { computeDeadlinePlan, loadCalendar } from '../activities/calendar';
import { WORKFLOW_TASK_TIMEOUT } from '../workflows/task-timeout';

/** A problem with what the user asked for (not a crash): shown as one line, in both languages where it matters. */
export class CycleRequestError extends Error {
  readonly code: string = 'CycleRequestError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CycleRequestError';
  }
}

/** The unit's workflow did not answer an update in time: it may still apply it later (a resend is safe). */
export class UpdateTimeoutError extends CycleRequestError {
  override readonly code = 'UpdateTimeoutError';
  constructor(
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    const seconds = Math.round(timeoutMs / 100) / 10;
    super(
      `The unit's workflow did not answer within ${seconds} s: your request may still be processed — check with \`baocao cycle status\` before resending (resending the same thing is safe: it is recognised and applied once) / ` +
        `Quy trình của đơn vị không trả lời trong ${String(seconds).replace('.', ',')} giây: yêu cầu có thể vẫn đang được xử lý — hãy xem \`baocao cycle status\` trước khi gửi lại (gửi lại đúng nội dung đó là an toàn: chỉ được ghi nhận một lần).`,
      options,
    );
    this.name = 'UpdateTimeoutError';
  }
}

/** How long a CLI or web call waits for an update (submit, review, extend) before saying so. */
export interface UpdateOptions {
  timeoutMs?: number;
}

/** A validation failure as the user reads it: what was refused, then one `field: message` line per field. */
export function invalid(what: string, error: Parameters<typeof validationMessage>[0], root: string): CycleRequestError {
  return new CycleRequestError(`${what}:\n${validationMessage(error, root)}`);
}

export const startCycleSchema = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  rootUnitId: z.string().min(1).max(64),
  firstYear: z.boolean().default(false),
  reportDue: z.string().regex(/^(may-review|annual|\d{4}-\d{2}-\d{2})$/, 'may-review, annual or a date YYYY-MM-DD').optional(),
  rehearsalMinutes: z.number().positive().max(REHEARSAL_MAX_MINUTES).optional(),
});
export type StartCycleRequest = z.input<typeof startCycleSchema>;

export function todayLocal(now = DateTime.now()): string {
  return now.setZone(TIME_ZONE).toISODate()!;
}

/** A rehearsal's stamp in its cycle id (`rehearsal-<year>-<root>-<stamp>`): local time to the second. */
export function rehearsalStamp(now = DateTime.now()): string {
  return now.setZone(TIME_ZONE).toFormat('yyyyMMddHHmmss');
}

/**
 * Starts a cycle. With `db`, the root is checked against the directory first, so a typo is a clear error now
 * rather than a failed workflow later.
 */
export async function startCycle(
  client: Client,
  taskQueue: string,
  request: StartCycleRequest,
  options: { db?: Db; holidaysFile?: string } = {},
): Promise<{ cycleId: string; runId: string }> {
  const parsed = startCycleSchema.parse(request);
  if (options.db && !(await getUnit(options.db, parsed.rootUnitId, todayLocal()))) {
    throw new CycleRequestError(
      `Unknown unit ${parsed.rootUnitId} / Không có đơn vị ${parsed.rootUnitId}: import the directory first (baocao units import FILE) or check \`baocao units tree\`.`,
    );
  }
  if (options.db) await refuseIfFanOutTooLarge(options.db, parsed.rootUnitId);
  if (options.db && parsed.rehearsalMinutes === undefined) await refuseIfAllOverdue(options.db, parsed, options.holidaysFile);
  const stamp = parsed.rehearsalMinutes !== undefined ? rehearsalStamp() : undefined;
  const cycleId = makeCycleId(parsed.year, parsed.rootUnitId, stamp);
  const input: CycleWorkflowInput = {
    cycleId,
    year: parsed.year,
    rootUnitId: parsed.rootUnitId,
    firstYear: parsed.firstYear,
    reportDue: parsed.reportDue,
    treeAsOf: todayLocal(),
    rehearsalMinutes: parsed.rehearsalMinutes,
  };
  try {
    const handle = await client.workflow.start('cycleWorkflow', {
      workflowId: cycleId,
      taskQueue,
      // a year's cycle exists once: a closed one is not started again by hand
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT,
      args: [input],
      typedSearchAttributes: [
        { key: CYCLE, value: cycleId },
        { key: UNIT, value: parsed.rootUnitId },
      ],
    });
    return { cycleId, runId: handle.firstExecutionRunId };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError)
      throw new CycleRequestError(`Cycle ${cycleId} already exists / Chu kỳ đã tồn tại: see \`baocao cycle status ${cycleId}\`.`, { cause: err });
    throw err;
  }
}

/**
 * A unit with more direct children than MAX_FAN_OUT could not carry its children's state within the payload
 * budget (workflows/unit-state-packing.ts): refuse the cycle now, naming the unit, rather than fail it later.
 */
async function refuseIfFanOutTooLarge(db: Db, rootUnitId: string): Promise<void> {
  const widest = (await treeAsOf(db, rootUnitId, todayLocal())).reduce((a, b) => (b.childCount > a.childCount ? b : a));
  if (widest.childCount > MAX_FAN_OUT) throw new FanOutTooLargeError(widest.unit.id, widest.childCount);
}

/**
 * A real cycle whose last deadline has already passed would only mark every unit overdue at once and send a
 * wave of overdue notices: refuse it and say what to do instead.
 */
async function refuseIfAllOverdue(db: Db, request: z.output<typeof startCycleSchema>, holidaysFile?: string): Promise<void> {
  const calendar = await loadCalendar(holidaysFile);
  const depths = await treeDepth(db, request.rootUnitId, todayLocal());
  const plan = computeDeadlinePlan(calendar, { year: request.year, firstYear: request.firstYear, depths, reportDue: request.reportDue });
  const rootReport = plan.levels[0]!.report;
  if (Date.parse(rootReport.dueAt) < Date.now()) {
    throw new CycleRequestError(
      `Every deadline of the ${request.year} cycle has passed (the last one was ${rootReport.dueDate}) / Mọi hạn nộp của chu kỳ ${request.year} đã qua: ` +
        `start the ${request.year + 1} cycle, or rehearse this one with --rehearsal MINUTES.`,
    );
  }
}

function requireCycle(cycleId: string): void {
  if (!parseCycleId(cycleId))
    throw new CycleRequestError(`"${cycleId}" is not a cycle id: expected cycle-<year>-<root> or rehearsal-<year>-<root>-<stamp>.`);
}

export async function query<T>(run: () => Promise<T>, what: string): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new CycleRequestError(`Unknown ${what} / Không tìm thấy: ${err.workflowId ?? ''}`.trim(), { cause: err });
    if (err instanceof WorkflowFailedError) throw new CycleRequestError(`The workflow of ${what} failed / Quy trình bị lỗi: ${failureReason(err)}`, { cause: err });
    throw err;
  }
}

export function cycleStatus(client: Client, cycleId: string): Promise<CycleStatus> {
  requireCycle(cycleId);
  return query(() => client.workflow.getHandle(cycleId).query(cycleStatusQuery), `cycle ${cycleId}`);
}

export function cyclePlan(client: Client, cycleId: string): Promise<DeadlinePlan | null> {
  requireCycle(cycleId);
  return query(() => client.workflow.getHandle(cycleId).query(cyclePlanQuery), `cycle ${cycleId}`);
}

/**
 * The real time at which a calendar instant of the cycle falls: in a rehearsal the whole calendar is compressed
 * into a few minutes (workflows/timeline.ts); outside rehearsals it is the instant itself.
 */
export function wallAt(instant: Instant, timeline: Timeline): Instant {
  return new Date(Math.round(toWallMs(instant, timeline))).toISOString();
}

/** A deadline as people see it (calendar date and instant) and as it really falls (`wallAt`). */
export interface DeadlineTimes {
  dueDate: LocalDate;
  dueAt: Instant;
  wallAt: Instant;
}

export interface PlanDeadlineTimes {
  rehearsal: boolean;
  levels: { depth: number; plan: DeadlineTimes; report: DeadlineTimes }[];
  closesAt: { at: Instant; wallAt: Instant };
}

/** Every level's deadlines of a cycle plan, each with the real time it falls at. */
export function planDeadlineTimes(plan: DeadlinePlan): PlanDeadlineTimes {
  const times = (d: PhaseDeadlines): DeadlineTimes => ({ dueDate: d.dueDate, dueAt: d.dueAt, wallAt: wallAt(d.dueAt, plan.timeline) });
  return {
    rehearsal: plan.timeline.kind === 'rehearsal',
    levels: plan.levels.map((l) => ({ depth: l.depth, plan: times(l.plan), report: times(l.report) })),
    closesAt: { at: plan.closesAt, wallAt: wallAt(plan.closesAt, plan.timeline) },
  };
}

/** A unit's status whose two deadlines also carry `wallAt` (an extended deadline included). */
export type UnitStatusWithWallTimes = Omit<UnitStatus, 'plan' | 'report'> &
  Record<Phase, Omit<UnitStatus['plan'], 'deadlines'> & { deadlines: PhaseDeadlines & { wallAt: Instant } }>;

export function withWallTimes(status: UnitStatus, timeline: Timeline): UnitStatusWithWallTimes {
  const phase = (p: UnitStatus['plan']) => ({ ...p, deadlines: { ...p.deadlines, wallAt: wallAt(p.deadlines.dueAt, timeline) } });
  return { ...status, plan: phase(status.plan), report: phase(status.report) };
}

export function unitStatus(client: Client, cycleId: string, unitId: string): Promise<UnitStatus> {
  requireCycle(cycleId);
  return query(() => client.workflow.getHandle(unitWorkflowId(cycleId, unitId)).query(unitStatusQuery), `unit ${unitId} in cycle ${cycleId}`);
}

/** The aggregate of a node: live while the cycle runs, the final result once it has closed. */
export async function cycleAggregate(client: Client, cycleId: string, unitId?: string): Promise<Aggregate> {
  requireCycle(cycleId);
  const root = parseCycleId(cycleId)!.rootId;
  const target = unitId ?? root;
  const handle = client.workflow.getHandle(unitWorkflowId(cycleId, target));
  return query(async () => {
    const { status } = await handle.describe();
    if (status.name === 'COMPLETED') return (await handle.result()) as Aggregate;
    return (await handle.query(unitStatusQuery)).aggregate;
  }, `unit ${target} in cycle ${cycleId}`);
}

export async function cycleResult(client: Client, cycleId: string): Promise<CycleResult> {
  requireCycle(cycleId);
  return query(() => client.workflow.getHandle(cycleId).result() as Promise<CycleResult>, `cycle ${cycleId}`);
}

/**
 * Runs an update within the time limit and turns its failures into the reason the user needs: the refusal,
 * the innermost cause of a failed activity (never a bare "Activity task failed"), a closed cycle, an unknown
 * unit, or no answer in time.
 */
export async function runUpdate<T>(client: Client, handle: WorkflowHandle, options: UpdateOptions, run: () => Promise<T>): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_UPDATE_TIMEOUT_MS;
  try {
    return await client.withDeadline(Date.now() + timeoutMs, run);
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw new CycleRequestError(failureReason(err), { cause: err });
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(err)) throw new UpdateTimeoutError(timeoutMs, { cause: err });
    if (err instanceof WorkflowNotFoundError) {
      // a unit whose task has ended is "not found" for updates: tell a closed cycle from an unknown unit
      const closed = await handle.describe().then(
        (d) => d.status.name !== 'RUNNING',
        () => false,
      );
      if (closed) throw new CycleRequestError('The cycle is closed: nothing more can be submitted or changed / Chu kỳ đã đóng.', { cause: err });
      throw new CycleRequestError(`Unknown unit or cycle / Không tìm thấy đơn vị hoặc chu kỳ: ${handle.workflowId}`, { cause: err });
    }
    throw err;
  }
}

/**
 * A stable key for one submission: the same content submitted twice over the same state is one submission,
 * while a resubmission after a return is a new one even with unchanged content.
 */
export function submissionKey(cycleId: string, unitId: string, phase: Phase, content: unknown, returnedVersions = 0): string {
  return createHash('sha256').update(JSON.stringify([cycleId, unitId, phase, content, returnedVersions])).digest('hex').slice(0, 40);
}

/**
 * How many versions of a unit's phase were returned for revision: the part of a submission's identity that
 * changes when a returned report is sent again, and not when the same submission is simply repeated.
 * Unknown units give 0 (and fail at the update with a clear message).
 */
async function versionOnRecord(client: Client, request: { cycleId: string; unitId: string; phase: Phase }): Promise<number> {
  try {
    const progress = (await unitStatus(client, request.cycleId, request.unitId))[request.phase].progress;
    if (progress.kind === 'open') return 0;
    return progress.kind === 'returned' ? progress.version : progress.version - 1;
  } catch {
    return 0;
  }
}

export interface SubmitRequest {
  cycleId: string;
  unitId: string;
  phase: Phase;
  content: unknown;
  channel: Channel;
  submittedBy?: string;
  idempotencyKey?: string;
}

export async function submit(client: Client, request: SubmitRequest, options: UpdateOptions = {}): Promise<SubmissionReceipt> {
  requireCycle(request.cycleId);
  const schema = request.phase === 'plan' ? planContentSchema : reportContentSchema;
  const what = `Invalid ${request.phase} / ${request.phase === 'plan' ? 'Kế hoạch' : 'Báo cáo'} không hợp lệ`;
  // the content is checked (and normalised to NFC) first: the key of a submission is its normalised content
  const content = schema.safeParse(request.content);
  if (!content.success) throw invalid(what, content.error, request.phase);
  const idempotencyKey =
    request.idempotencyKey ??
    submissionKey(request.cycleId, request.unitId, request.phase, content.data, await versionOnRecord(client, request));
  const raw = { idempotencyKey, channel: request.channel, submittedBy: request.submittedBy ?? '', content: content.data };
  const handle = client.workflow.getHandle(unitWorkflowId(request.cycleId, request.unitId));
  // The update id is the idempotency key and the content's hash: Temporal itself answers a repeated request
  // with the first answer, while the same key with other content reaches the workflow, which refuses it.
  const updateId = `${idempotencyKey}:${contentHash(content.data).slice(0, 16)}`;
  if (request.phase === 'plan') {
    const payload = submitPlanInputSchema.safeParse(raw);
    if (!payload.success) throw invalid(what, payload.error, 'submission');
    return runUpdate(client, handle, options, () => handle.executeUpdate(submitPlanUpdate, { args: [payload.data], updateId }));
  }
  const payload = submitReportInputSchema.safeParse(raw);
  if (!payload.success) throw invalid(what, payload.error, 'submission');
  return runUpdate(client, handle, options, () => handle.executeUpdate(submitReportUpdate, { args: [payload.data], updateId }));
}

/**
 * Decides on one version of a unit's plan or report. `version` names the version the reviewer read: the
 * workflow refuses a review of any other (a stale page, a re-sent form), saying which version awaits review.
 */
export async function review(
  client: Client,
  cycleId: string,
  unitId: string,
  input: z.input<typeof reviewInputSchema>,
  options: UpdateOptions = {},
): Promise<ReviewReceipt> {
  requireCycle(cycleId);
  const parsed = reviewInputSchema.safeParse(input);
  if (!parsed.success) throw invalid('Invalid review / Ý kiến xem xét không hợp lệ', parsed.error, 'review');
  const handle = client.workflow.getHandle(unitWorkflowId(cycleId, unitId));
  return runUpdate(client, handle, options, () => handle.executeUpdate(reviewUpdate, { args: [parsed.data] }));
}

/** The version of a unit's phase awaiting review, or undefined when none does (nothing submitted, or decided). */
export async function versionAwaitingReview(client: Client, cycleId: string, unitId: string, phase: Phase): Promise<number | undefined> {
  const progress = (await unitStatus(client, cycleId, unitId))[phase].progress;
  return progress.kind === 'submitted' ? progress.version : undefined;
}

export async function extend(
  client: Client,
  cycleId: string,
  unitId: string,
  input: z.input<typeof extendInputSchema>,
  options: UpdateOptions = {},
): Promise<ExtensionReceipt> {
  requireCycle(cycleId);
  const parsed = extendInputSchema.safeParse(input);
  if (!parsed.success) throw invalid('Invalid extension / Yêu cầu gia hạn không hợp lệ', parsed.error, 'extension');
  const handle = client.workflow.getHandle(unitWorkflowId(cycleId, unitId));
  return runUpdate(client, handle, options, () => handle.executeUpdate(extendDeadlineUpdate, { args: [parsed.data] }));
}

/** "Remind now": the unit's workflow queues a reminder (or, past the deadline, an overdue notice) and audits who asked. */
export async function remind(
  client: Client,
  cycleId: string,
  unitId: string,
  input: z.input<typeof remindNowInputSchema>,
  options: UpdateOptions = {},
): Promise<RemindReceipt> {
  requireCycle(cycleId);
  const parsed = remindNowInputSchema.safeParse(input);
  if (!parsed.success) throw invalid('Invalid reminder request / Yêu cầu nhắc không hợp lệ', parsed.error, 'reminder');
  const handle = client.workflow.getHandle(unitWorkflowId(cycleId, unitId));
  return runUpdate(client, handle, options, () => handle.executeUpdate(remindNowUpdate, { args: [parsed.data] }));
}

export interface OverdueUnit {
  cycleId: string;
  unitId: string;
  parentUnitId: string;
  workflowId: string;
}

const SAFE_ID = /^[A-Za-z0-9_.~-]+$/;

/** Overdue units, optionally of one cycle and/or under one supervisor: one visibility query. */
export async function listOverdue(client: Client, filter: { cycleId?: string; supervisorUnitId?: string }): Promise<OverdueUnit[]> {
  const clauses = [`${OVERDUE.name} = true`, `ExecutionStatus = 'Running'`];
  for (const [value, key] of [
    [filter.cycleId, CYCLE],
    [filter.supervisorUnitId, PARENT],
  ] as const) {
    if (value === undefined) continue;
    if (!SAFE_ID.test(value)) throw new CycleRequestError(`"${value}" is not a valid id.`);
    clauses.push(`${key.name} = '${value}'`);
  }
  const found: OverdueUnit[] = [];
  for await (const wf of client.workflow.list({ query: clauses.join(' AND ') })) {
    const sa = wf.typedSearchAttributes;
    found.push({ cycleId: sa.get(CYCLE) ?? '', unitId: sa.get(UNIT) ?? '', parentUnitId: sa.get(PARENT) ?? '', workflowId: wf.workflowId });
  }
  return found.sort((a, b) => a.cycleId.localeCompare(b.cycleId) || a.unitId.localeCompare(b.unitId));
}
