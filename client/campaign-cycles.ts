// What the CLI and the web app do with cycles of a campaign: start one (`cycle start --campaign SLUG[@VERSION]`),
// submit a phase (`submit --phase KEY`), review, extend, read a unit's status and the aggregate. The content is
// checked against the phase's form with the workflow's own validator (domain/campaign-validator.ts), from the
// frozen version in the store, before anything is sent; the workflow checks it again with the same rules.
import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { campaignIdSchema, formOf, targetFiguresOf, type CampaignVersion } from '../domain/campaign';
import { BUILTIN_CAMPAIGN_ID } from '../domain/campaign-builtin';
import { formContentSchema } from '../domain/campaign-validator';
import { workflowViewOf } from '../domain/campaign-view';
import type { PhasedDeadlinePlan } from '../domain/calendar';
import { getCampaignVersion } from '../activities/campaigns/repository';
import { getUnit, treeAsOf, treeDepth } from '../activities/directory/repository';
import { computeCampaignPlan, formatDateVi, loadCalendar, rehearsalTimeline } from '../activities/calendar';
import { REHEARSAL_MAX_MINUTES } from '../activities/calendar/constants';
import type { Db } from '../activities/db/database';
import type { CampaignCycleWorkflowInput } from '../workflows/campaign-cycle';
import {
  campaignCyclePlanQuery,
  campaignCycleStatusQuery,
  campaignExtendInputSchema,
  campaignExtendUpdate,
  campaignRemindNowInputSchema,
  campaignRemindNowUpdate,
  campaignReviewInputSchema,
  campaignReviewUpdate,
  campaignSubmitInputSchema,
  campaignSubmitUpdate,
  campaignUnitStatusQuery,
  campaignGroupUnitsQuery,
  type CampaignGroupUnits,
  type CampaignAggregate,
  type CampaignCycleStatus,
  type CampaignExtensionReceipt,
  type CampaignReceipt,
  type CampaignRemindReceipt,
  type CampaignReviewReceipt,
  type CampaignUnitStatus,
} from '../workflows/campaign-messages';
import { campaignFanOutMessage, campaignSupportedChildren } from '../workflows/campaign-unit';
import { contentHash } from '../workflows/content-hash';
import { campaignCycleId, campaignGroupWorkflowId, parseCycleId, unitWorkflowId } from '../workflows/ids';
import type { Channel } from '../workflows/messages';
import { CAMPAIGN, CYCLE, UNIT } from '../workflows/search-attributes';
import { CycleRequestError, invalid, query, rehearsalStamp, runUpdate, startCycleSchema, todayLocal, wallAt, type DeadlineTimes, type UpdateOptions } from './cycles';
import { WORKFLOW_TASK_TIMEOUT } from '../workflows/task-timeout';

/** `bao-cao-quy` or `bao-cao-quy@3`: a campaign and, optionally, its version (default: the latest). */
export function parseCampaignRef(text: string): { campaignId: string; version?: number } {
  const m = /^([^@]+)(?:@(\d+))?$/.exec(text.trim());
  const id = m ? campaignIdSchema.safeParse(m[1]) : undefined;
  if (!m || !id?.success)
    throw new CycleRequestError(`"${text}" is not a campaign: expected SLUG or SLUG@VERSION, e.g. bao-cao-quy@2 / "${text}" không phải mã đợt báo cáo: dạng MÃ hoặc MÃ@PHIÊN-BẢN, ví dụ bao-cao-quy@2.`);
  return { campaignId: id.data, ...(m[2] ? { version: Number(m[2]) } : {}) };
}

export const startCampaignCycleSchema = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  rootUnitId: z.string().min(1).max(64),
  campaign: z.string().min(1),
  firstYear: z.boolean().default(false),
  /** a rehearsal: the whole calendar of every phase compressed into this many minutes (as the built-in's) */
  rehearsalMinutes: startCycleSchema.shape.rehearsalMinutes,
});
export type StartCampaignCycleRequest = z.input<typeof startCampaignCycleSchema>;

/**
 * Whether a start request goes to the campaign workflows: any campaign but the built-in, whose cycles keep
 * starting today's cycleWorkflow (their ids have no `~`, so a client tells the two kinds apart by the id).
 */
export function usesCampaignWorkflows(campaignId: string): boolean {
  return campaignId !== BUILTIN_CAMPAIGN_ID;
}

/** Which field of a start request a refusal is about (the web shows it beside that field). */
export type CampaignStartField = 'campaign' | 'year' | 'rootUnitId' | 'rehearsalMinutes';

/** A cycle of a campaign that cannot start as asked: the field it is about and why, in both languages. */
export class CampaignStartError extends CycleRequestError {
  override readonly code = 'CampaignStartError';
  constructor(
    readonly field: CampaignStartField,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CampaignStartError';
  }
}

/** What a cycle of a campaign would be, computed as the cycle will: shown before it starts, then started. */
export interface CampaignCyclePlan {
  cycleId: string;
  request: z.output<typeof startCampaignCycleSchema>;
  campaign: CampaignVersion;
  /** levels of today's tree below and including the root */
  depths: number;
  plan: PhasedDeadlinePlan;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Checks a start request of a campaign cycle and computes its deadlines, starting nothing: the root, the
 * version, the deadline rules (one that cannot be met is refused with its reason, as is a cycle whose first
 * deadline has already passed at the lowest level), the tree's widest unit, and a cycle of the same campaign,
 * year and root that exists already. Each refusal names its field.
 */
export async function planCampaignCycle(client: Client, db: Db, request: StartCampaignCycleRequest, options: { holidaysFile?: string } = {}): Promise<CampaignCyclePlan> {
  const minutes = startCampaignCycleSchema.shape.rehearsalMinutes.safeParse(request.rehearsalMinutes);
  if (!minutes.success)
    throw new CampaignStartError(
      'rehearsalMinutes',
      `A rehearsal runs in more than 0 and at most ${REHEARSAL_MAX_MINUTES} minutes (7 days): ${JSON.stringify(request.rehearsalMinutes)} is not / ` +
        `Diễn tập chạy trong hơn 0 và tối đa ${REHEARSAL_MAX_MINUTES} phút (7 ngày): ${JSON.stringify(request.rehearsalMinutes)} không hợp lệ.`,
    );
  const parsed = startCampaignCycleSchema.parse(request);
  const rehearsal = parsed.rehearsalMinutes !== undefined;
  let ref;
  try {
    ref = parseCampaignRef(parsed.campaign);
  } catch (err) {
    throw new CampaignStartError('campaign', messageOf(err), { cause: err });
  }
  if (!usesCampaignWorkflows(ref.campaignId))
    throw new CampaignStartError('campaign', `The built-in campaign ${BUILTIN_CAMPAIGN_ID} runs as today's yearly cycle: start it without --campaign / Đợt mặc định chạy như chu kỳ năm hiện nay: bắt đầu không kèm --campaign.`);
  const today = todayLocal();
  if (!(await getUnit(db, parsed.rootUnitId, today)))
    throw new CampaignStartError('rootUnitId', `Unknown unit ${parsed.rootUnitId} / Không có đơn vị ${parsed.rootUnitId}: import the directory first (baocao units import FILE) or check \`baocao units tree\`.`);
  let campaign: CampaignVersion;
  try {
    campaign = await getCampaignVersion(db, ref.campaignId, ref.version);
  } catch (err) {
    throw new CampaignStartError('campaign', messageOf(err), { cause: err });
  }
  // the deadlines are computed as the cycle will (a rule that cannot be met is refused now, with its reason)
  const tree = await treeAsOf(db, parsed.rootUnitId, today);
  const depths = await treeDepth(db, parsed.rootUnitId, today);
  let plan: PhasedDeadlinePlan;
  try {
    plan = computeCampaignPlan(await loadCalendar(options.holidaysFile), { year: parsed.year, firstYear: parsed.firstYear, depths, phases: campaign.definition.phases, rules: campaign.definition.schedule });
  } catch (err) {
    throw new CampaignStartError('campaign', messageOf(err), { cause: err });
  }
  const firstKey = plan.phaseKeys[0]!;
  const firstDue = plan.levels[plan.levels.length - 1]!.phases[firstKey]!;
  // a rehearsal runs any year's calendar in a few minutes, so past deadlines do not matter to it
  if (!rehearsal && firstDue.dueDate < today)
    throw new CampaignStartError(
      'year',
      `The lowest level's first deadline of ${parsed.year} (${firstKey}, ${formatDateVi(firstDue.dueDate)}) has already passed: choose a later year / ` +
        `Hạn nộp đầu tiên của cấp thấp nhất năm ${parsed.year} (${firstKey}, ${formatDateVi(firstDue.dueDate)}) đã qua: hãy chọn năm sau.`,
    );
  const limit = campaignSupportedChildren(workflowViewOf(campaign.campaignId, campaign.version, campaign.definition), plan);
  const widest = tree.reduce((a, b) => (b.childCount > a.childCount ? b : a));
  if (widest.childCount > limit) throw new CampaignStartError('rootUnitId', campaignFanOutMessage(widest.unit.id, widest.childCount, limit));
  const cycleId = campaignCycleId(parsed.year, parsed.rootUnitId, campaign.campaignId, rehearsal ? rehearsalStamp() : undefined);
  await refuseIfCycleExists(client, cycleId);
  // a rehearsal's preview says when each deadline would fall if it started now (the cycle computes its own)
  const timeline = rehearsal ? { timeline: rehearsalTimeline(plan, { wallStart: new Date().toISOString(), minutes: parsed.rehearsalMinutes! }) } : {};
  return { cycleId, request: parsed, campaign, depths, plan: { ...plan, ...timeline } };
}

function cycleExistsError(cycleId: string, running: boolean, cause?: unknown): CampaignStartError {
  const p = parseCycleId(cycleId)!;
  return new CampaignStartError(
    'campaign',
    `Cycle ${cycleId} already exists / Chu kỳ đã tồn tại: ` +
      (running
        ? `the ${p.year} cycle of ${p.campaignId} at ${p.rootId} is running, follow it with \`baocao cycle status ${cycleId}\` / chu kỳ năm ${p.year} của đợt ${p.campaignId} tại ${p.rootId} đang chạy.`
        : `the ${p.year} cycle of ${p.campaignId} at ${p.rootId} has already run; a campaign runs once a year at a root / chu kỳ năm ${p.year} của đợt ${p.campaignId} tại ${p.rootId} đã chạy: mỗi đợt chỉ chạy một lần mỗi năm tại một đơn vị.`),
    { cause },
  );
}

/** A campaign's cycle of a year exists once (REJECT_DUPLICATE): say so before the user confirms. */
async function refuseIfCycleExists(client: Client, cycleId: string): Promise<void> {
  try {
    const { status } = await client.workflow.getHandle(cycleId).describe();
    throw cycleExistsError(cycleId, status.name === 'RUNNING');
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return;
    throw err;
  }
}

/**
 * Starts a cycle of a campaign at a root. The request is checked first (planCampaignCycle), so a typo or an
 * unsupported tree is a clear error now rather than a failed workflow later.
 */
export async function startCampaignCycle(
  client: Client,
  taskQueue: string,
  db: Db,
  request: StartCampaignCycleRequest,
  options: { continueAsNewAfterEvents?: number; holidaysFile?: string } = {},
): Promise<{ cycleId: string; runId: string; campaignId: string; version: number }> {
  const { cycleId, request: parsed, campaign: v } = await planCampaignCycle(client, db, request, options);
  const input: CampaignCycleWorkflowInput = {
    cycleId,
    campaignId: v.campaignId,
    version: v.version,
    year: parsed.year,
    rootUnitId: parsed.rootUnitId,
    firstYear: parsed.firstYear,
    treeAsOf: todayLocal(),
    ...(options.continueAsNewAfterEvents !== undefined ? { continueAsNewAfterEvents: options.continueAsNewAfterEvents } : {}),
    ...(parsed.rehearsalMinutes !== undefined ? { rehearsalMinutes: parsed.rehearsalMinutes } : {}),
  };
  try {
    const handle = await client.workflow.start('campaignCycleWorkflow', {
      workflowId: cycleId,
      taskQueue,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT,
      args: [input],
      typedSearchAttributes: [
        { key: CYCLE, value: cycleId },
        { key: CAMPAIGN, value: v.campaignId },
        { key: UNIT, value: parsed.rootUnitId },
      ],
    });
    return { cycleId, runId: handle.firstExecutionRunId, campaignId: v.campaignId, version: v.version };
  } catch (err) {
    // started by someone else between the check and now
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw cycleExistsError(cycleId, true, err);
    throw err;
  }
}

/** Every level's deadline of each phase of a campaign cycle's plan, with the real time it falls at (`wallAt`). */
export function phasedDeadlineTimes(plan: PhasedDeadlinePlan): { rehearsal: boolean; levels: { depth: number; phases: Record<string, DeadlineTimes> }[]; closesAt: { at: string; wallAt: string } } {
  const times = (d: { dueDate: string; dueAt: string }): DeadlineTimes => ({ dueDate: d.dueDate, dueAt: d.dueAt, wallAt: wallAt(d.dueAt, plan.timeline) });
  return {
    rehearsal: plan.timeline.kind === 'rehearsal',
    levels: plan.levels.map((l) => ({ depth: l.depth, phases: Object.fromEntries(plan.phaseKeys.map((k) => [k, times(l.phases[k]!)])) })),
    closesAt: { at: plan.closesAt, wallAt: wallAt(plan.closesAt, plan.timeline) },
  };
}

function requireCampaignCycle(cycleId: string): void {
  if (!parseCycleId(cycleId)) throw new CycleRequestError(`"${cycleId}" is not a cycle id: expected cycle-<year>-<root>~<campaign> or rehearsal-<year>-<root>-<stamp>~<campaign>.`);
}

export function campaignCycleStatus(client: Client, cycleId: string): Promise<CampaignCycleStatus> {
  requireCampaignCycle(cycleId);
  return query(() => client.workflow.getHandle(cycleId).query(campaignCycleStatusQuery), `cycle ${cycleId}`);
}

export function campaignCyclePlan(client: Client, cycleId: string): Promise<PhasedDeadlinePlan | null> {
  requireCampaignCycle(cycleId);
  return query(() => client.workflow.getHandle(cycleId).query(campaignCyclePlanQuery), `cycle ${cycleId}`);
}

export function campaignUnitStatus(client: Client, cycleId: string, unitId: string): Promise<CampaignUnitStatus> {
  requireCampaignCycle(cycleId);
  return query(() => client.workflow.getHandle(unitWorkflowId(cycleId, unitId)).query(campaignUnitStatusQuery), `unit ${unitId} in cycle ${cycleId}`);
}

/** What a group of `unitId`'s children holding `range` holds: its units and where they stand, or its groups' ranges. */
export function campaignGroupUnits(client: Client, cycleId: string, unitId: string, range: { offset: number; count: number }): Promise<CampaignGroupUnits> {
  requireCampaignCycle(cycleId);
  return query(() => client.workflow.getHandle(campaignGroupWorkflowId(cycleId, unitId, range.offset, range.count)).query(campaignGroupUnitsQuery), `the group ${range.offset}-${range.count} of ${unitId} in cycle ${cycleId}`);
}

/** The aggregate of a node: live while the cycle runs, the final result once it has closed. */
export async function campaignAggregate(client: Client, cycleId: string, unitId?: string): Promise<CampaignAggregate> {
  requireCampaignCycle(cycleId);
  const target = unitId ?? parseCycleId(cycleId)!.rootId;
  const handle = client.workflow.getHandle(unitWorkflowId(cycleId, target));
  return query(async () => {
    const { status } = await handle.describe();
    if (status.name === 'COMPLETED') return (await handle.result()) as CampaignAggregate;
    return (await handle.query(campaignUnitStatusQuery)).aggregate;
  }, `unit ${target} in cycle ${cycleId}`);
}

export interface CampaignSubmitRequest {
  cycleId: string;
  unitId: string;
  phase: string;
  content: unknown;
  channel: Channel;
  submittedBy?: string;
  idempotencyKey?: string;
}

/** A unit's status, the version its cycle froze and one of its phases; CycleRequestError naming the phases for an unknown one. */
export async function campaignPhaseOf(client: Client, db: Db, cycleId: string, unitId: string, key: string) {
  const status = await campaignUnitStatus(client, cycleId, unitId);
  const { definition } = await getCampaignVersion(db, status.campaignId, status.version);
  const phase = definition.phases.find((p) => p.key === key);
  if (!phase)
    throw new CycleRequestError(
      `The campaign ${status.campaignId} has no phase "${key}": its phases are ${definition.phases.map((p) => p.key).join(', ')} / Đợt báo cáo không có giai đoạn "${key}".`,
    );
  return { status, definition, phase };
}

/**
 * Submits a phase of a campaign task. The form comes from the store (the version the cycle froze, which the unit's
 * status names); an unknown phase is refused naming the campaign's phases.
 */
export async function campaignSubmit(client: Client, db: Db, request: CampaignSubmitRequest, options: UpdateOptions = {}): Promise<CampaignReceipt> {
  const { status, definition, phase } = await campaignPhaseOf(client, db, request.cycleId, request.unitId, request.phase);
  const form = formOf(definition, phase.form)!;
  const what = `Invalid ${phase.name.en} / ${phase.name.vi} không hợp lệ`;
  const content = formContentSchema(form, { targetFigures: targetFiguresOf(definition, form) }).safeParse(request.content);
  if (!content.success) throw invalid(what, content.error, request.phase);
  // a resubmission after a return is a new submission even with unchanged content
  const state = status.phases.find((p) => p.key === request.phase)!.progress;
  const returned = state.kind === 'open' ? 0 : state.kind === 'returned' ? state.version : state.version - 1;
  const idempotencyKey =
    request.idempotencyKey ?? createHash('sha256').update(JSON.stringify([request.cycleId, request.unitId, request.phase, content.data, returned])).digest('hex').slice(0, 40);
  const payload = campaignSubmitInputSchema.safeParse({ phase: request.phase, idempotencyKey, channel: request.channel, submittedBy: request.submittedBy ?? '', content: content.data });
  if (!payload.success) throw invalid(what, payload.error, 'submission');
  const handle = client.workflow.getHandle(unitWorkflowId(request.cycleId, request.unitId));
  const updateId = `${idempotencyKey}:${contentHash(content.data).slice(0, 16)}`;
  return runUpdate(client, handle, options, () => handle.executeUpdate(campaignSubmitUpdate, { args: [payload.data], updateId }));
}

export async function campaignReview(client: Client, cycleId: string, unitId: string, input: z.input<typeof campaignReviewInputSchema>, options: UpdateOptions = {}): Promise<CampaignReviewReceipt> {
  requireCampaignCycle(cycleId);
  const parsed = campaignReviewInputSchema.safeParse(input);
  if (!parsed.success) throw invalid('Invalid review / Ý kiến xem xét không hợp lệ', parsed.error, 'review');
  const handle = client.workflow.getHandle(unitWorkflowId(cycleId, unitId));
  return runUpdate(client, handle, options, () => handle.executeUpdate(campaignReviewUpdate, { args: [parsed.data] }));
}

export async function campaignExtend(client: Client, cycleId: string, unitId: string, input: z.input<typeof campaignExtendInputSchema>, options: UpdateOptions = {}): Promise<CampaignExtensionReceipt> {
  requireCampaignCycle(cycleId);
  const parsed = campaignExtendInputSchema.safeParse(input);
  if (!parsed.success) throw invalid('Invalid extension / Yêu cầu gia hạn không hợp lệ', parsed.error, 'extension');
  const handle = client.workflow.getHandle(unitWorkflowId(cycleId, unitId));
  return runUpdate(client, handle, options, () => handle.executeUpdate(campaignExtendUpdate, { args: [parsed.data] }));
}

/** "Remind now" of a campaign phase: the unit's workflow queues a reminder (an overdue notice past the deadline) and audits who asked. */
export async function campaignRemind(client: Client, cycleId: string, unitId: string, input: z.input<typeof campaignRemindNowInputSchema>, options: UpdateOptions = {}): Promise<CampaignRemindReceipt> {
  requireCampaignCycle(cycleId);
  const parsed = campaignRemindNowInputSchema.safeParse(input);
  if (!parsed.success) throw invalid('Invalid reminder request / Yêu cầu nhắc không hợp lệ', parsed.error, 'reminder');
  const handle = client.workflow.getHandle(unitWorkflowId(cycleId, unitId));
  return runUpdate(client, handle, options, () => handle.executeUpdate(campaignRemindNowUpdate, { args: [parsed.data] }));
}

/** Whether a cycle id is one of the campaign workflows (an id with a campaign after `~`). */
export function isCampaignCycle(cycleId: string): boolean {
  const parsed = parseCycleId(cycleId);
  return parsed !== undefined && parsed.campaignId !== BUILTIN_CAMPAIGN_ID;
}
