// What the pages and the JSON API do, in one place: both call these, so a page and its API route can never
// disagree. Workflow operations go through client/cycles.ts (validated with the workflows' zod schemas);
// this module adds who-may-do-what and gathers what a page shows.
import type { Client } from '@temporalio/client';
import { createCalendarActivities } from '../../activities/calendar';
import type { DeadlinePlan } from '../../activities/calendar/types';
import { auditTrail, latestSubmission, recordEvent, type LatestSubmission } from '../../activities/archive/store';
import { revokeUnitTokens, verifyUnitToken } from '../../activities/access/tokens';
import type { Db } from '../../activities/db/database';
import { todayLocal } from '../../activities/directory/dates';
import { getUnit, getUnits, treeDepth } from '../../activities/directory/repository';
import type { Unit } from '../../activities/directory/types';
import { createMailActivities } from '../../activities/mail/activities';
import type { Transporter } from 'nodemailer';
import type { Config } from '../../common/config';
import { parseCycleId, unitWorkflowId } from '../../workflows/ids';
import { toCalendarIso } from '../../workflows/timeline';
import type { CycleStatus, ExtensionReceipt, PhaseView, ReviewReceipt, SubmissionReceipt, UnitStatus } from '../../workflows/messages';
import { planContentSchema, reportContentSchema, PHASES, type Phase, type PlanContent, type ReportContent } from '../../workflows/report';
import {
  CycleRequestError,
  cyclePlan,
  cycleStatus,
  extend,
  review,
  startCycle,
  startCycleSchema,
  submissionKey,
  submit,
  unitStatus,
  type StartCycleRequest,
} from '../cycles';
import { WebForbiddenError, WebNotFoundError, WebValidationError } from './errors';
import {
  EMPTY_PLAN_FORM,
  EMPTY_REPORT_FORM,
  fieldErrors,
  planCandidate,
  planFormFromContent,
  planFormSchema,
  reportCandidate,
  reportFormFromContent,
  reportFormSchema,
  type PlanForm,
  type ReportForm,
} from './forms';
import type { Lang } from './i18n';
import { canSee, extenderFor, reviewerFor, secretariatRoots, staffCycles, topUnits, type CycleSummary, type Staff } from './staff';
import { deleteDraft, loadDraft, saveDraft } from './stores';
import type { CycleTree, CycleTrees } from './tree';

export interface WebDeps {
  config: Config;
  db: Db;
  client: Client;
  taskQueue: string;
  mailer: Transporter<unknown>;
  trees: CycleTrees;
  now: () => Date;
}

/** Rows per page in unit tables. */
export const PAGE_SIZE = 50;
/** Workflow queries in flight at once for one page. */
const QUERY_CONCURRENCY = 8;
/**
 * Pages read the workflows' state with queries; if the engine is unreachable the page says so (503) after this
 * long instead of hanging. Submissions and reviews (updates) get no such limit: they may wait on email.
 */
const READ_DEADLINE_MS = 10_000;

function reading<T>(deps: WebDeps, read: () => Promise<T>): Promise<T> {
  return deps.client.withDeadline(Date.now() + READ_DEADLINE_MS, read);
}

/** The cycle list shows each cycle's phase only if the engine answers quickly: the list must not hang on it. */
const LIST_STATUS_DEADLINE_MS = 2_000;

export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * "Now" in calendar time, what deadlines are compared with: the clock itself for a real cycle, the compressed
 * calendar for a rehearsal. (A query's `asOf` is the time of the workflow's last step, not now.)
 */
export function calendarNow(deps: WebDeps, plan: DeadlinePlan | null | undefined): string {
  return toCalendarIso(deps.now().getTime(), plan?.timeline ?? { kind: 'real' });
}

async function namesOf(db: Db, ids: readonly string[]): Promise<Map<string, Unit>> {
  const units = await getUnits(db, ids);
  return new Map(units.map((u) => [u.id, u]));
}

// ── the unit's task (personal link) ─────────────────────────────────────────────────────────────────────

export interface TaskScope {
  cycleId: string;
  unitId: string;
}

export interface TaskPhase {
  view: PhaseView;
  latest?: LatestSubmission;
  draftSavedAt?: string;
  /** what the form shows: the draft, else the latest submission, else empty */
  form: PlanForm | ReportForm;
  /** the form can be submitted now */
  editable: boolean;
}

export interface TaskView {
  scope: TaskScope;
  unit?: Unit;
  status: UnitStatus;
  plan: TaskPhase & { form: PlanForm };
  report: TaskPhase & { form: ReportForm };
  /** the report phase opens once the plan is in or its deadline has passed (the workflow's rule) */
  reportOpen: boolean;
  hasUnitsBelow: boolean;
  /** calendar time now (lateness is measured against it) */
  now: string;
  /** names of the units below that appear in the aggregate's proposals */
  names: Record<string, string>;
}

export async function verifyTask(deps: WebDeps, token: string): Promise<TaskScope> {
  return verifyUnitToken(deps.db, token, deps.now());
}

function editable(status: UnitStatus, view: PhaseView): boolean {
  return !status.closed && (view.progress.kind === 'open' || view.progress.kind === 'returned');
}

/** What a page shows (read-only, bounded by READ_DEADLINE_MS). */
export function taskView(deps: WebDeps, scope: TaskScope): Promise<TaskView> {
  return reading(deps, () => loadTaskView(deps, scope));
}

async function loadTaskView(deps: WebDeps, scope: TaskScope): Promise<TaskView> {
  const { cycleId, unitId } = scope;
  const [status, plan, unit, latestPlan, latestReport, draftPlan, draftReport] = await Promise.all([
    unitStatus(deps.client, cycleId, unitId),
    cyclePlan(deps.client, cycleId).catch(() => null),
    getUnit(deps.db, unitId),
    latestSubmission(deps.db, cycleId, unitId, 'plan'),
    latestSubmission(deps.db, cycleId, unitId, 'report'),
    loadDraft(deps.db, { cycleId, unitId, phase: 'plan' }),
    loadDraft(deps.db, { cycleId, unitId, phase: 'report' }),
  ]);
  const planFromDraft = draftPlan ? planFormSchema.safeParse(draftPlan.content) : undefined;
  const reportFromDraft = draftReport ? reportFormSchema.safeParse(draftReport.content) : undefined;
  const latestPlanContent = latestPlan ? planContentSchema.safeParse(latestPlan.content) : undefined;
  const latestReportContent = latestReport ? reportContentSchema.safeParse(latestReport.content) : undefined;
  const planForm: PlanForm = planFromDraft?.success
    ? planFromDraft.data
    : latestPlanContent?.success
      ? planFormFromContent(latestPlanContent.data)
      : EMPTY_PLAN_FORM;
  const reportForm: ReportForm = reportFromDraft?.success
    ? reportFromDraft.data
    : latestReportContent?.success
      ? reportFormFromContent(latestReportContent.data)
      : EMPTY_REPORT_FORM;
  const reportOpen = status.plan.progress.kind !== 'open' || status.plan.overdue;
  const names = await namesOf(
    deps.db,
    status.aggregate.below.commendations.items.map((c) => c.unitId),
  );
  return {
    scope,
    unit,
    status,
    plan: { view: status.plan, latest: latestPlan, draftSavedAt: draftPlan?.updatedAt, form: planForm, editable: editable(status, status.plan) },
    report: {
      view: status.report,
      latest: latestReport,
      draftSavedAt: draftReport?.updatedAt,
      form: reportForm,
      editable: reportOpen && editable(status, status.report),
    },
    reportOpen,
    hasUnitsBelow: status.children.length > 0,
    now: calendarNow(deps, plan),
    names: Object.fromEntries([...names.values()].map((u) => [u.id, u.name])),
  };
}

export async function saveTaskDraft(deps: WebDeps, scope: TaskScope, phase: Phase, form: PlanForm | ReportForm): Promise<void> {
  const parsed = phase === 'plan' ? planFormSchema.parse(form) : reportFormSchema.parse(form);
  await saveDraft(deps.db, { ...scope, phase }, parsed, deps.now());
}

/**
 * Submits a plan or report typed into the form. `base` is the version the form was opened on: a double click
 * sends the same (base, content) twice, which is one submission; a resubmission after a return has a new base.
 */
export async function submitTask(
  deps: WebDeps,
  scope: TaskScope,
  phase: Phase,
  form: PlanForm | ReportForm,
  base: number,
  lang: Lang,
  channel: 'web' | 'api' = 'web',
): Promise<SubmissionReceipt> {
  const candidate = phase === 'plan' ? planCandidate(form as PlanForm) : reportCandidate(form as ReportForm);
  const schema = phase === 'plan' ? planContentSchema : reportContentSchema;
  const parsed = schema.safeParse(candidate);
  if (!parsed.success) throw new WebValidationError(fieldErrors(parsed.error, lang, candidate));
  return submitContent(deps, scope, phase, parsed.data, base, channel);
}

/** Submits already structured content (the JSON API). */
export async function submitContent(
  deps: WebDeps,
  scope: TaskScope,
  phase: Phase,
  content: PlanContent | ReportContent,
  base: number,
  channel: 'web' | 'api',
): Promise<SubmissionReceipt> {
  const receipt = await submit(deps.client, {
    cycleId: scope.cycleId,
    unitId: scope.unitId,
    phase,
    content,
    channel,
    submittedBy: `${channel}:${scope.unitId}`,
    idempotencyKey: submissionKey(scope.cycleId, scope.unitId, phase, { base, content }),
  });
  await deleteDraft(deps.db, { ...scope, phase });
  return receipt;
}

// ── staff: cycles they can see ──────────────────────────────────────────────────────────────────────────

export interface CycleListItem extends CycleSummary {
  phase?: CycleStatus['phase'];
  rehearsal?: boolean;
  rootName?: string;
}

export async function listCycles(deps: WebDeps, staff: Staff): Promise<CycleListItem[]> {
  const cycles = await staffCycles(deps.db, staff);
  const names = await namesOf(
    deps.db,
    cycles.map((c) => c.rootId),
  );
  return mapLimit(cycles, QUERY_CONCURRENCY, async (c) => {
    const status = await deps.client.withDeadline(Date.now() + LIST_STATUS_DEADLINE_MS, () => cycleStatus(deps.client, c.cycleId)).catch(() => undefined);
    return { ...c, phase: status?.phase, rehearsal: status?.rehearsal, rootName: names.get(c.rootId)?.name };
  });
}

export interface CycleAccess {
  cycleId: string;
  tree: CycleTree;
}

/** The frozen tree of a cycle the staff member takes part in, or the reason they cannot see it. */
export async function cycleAccess(deps: WebDeps, staff: Staff, cycleId: string): Promise<CycleAccess | { starting: true; cycleId: string }> {
  const parsed = parseCycleId(cycleId);
  if (!parsed) throw new WebNotFoundError(`not a cycle id: ${cycleId}`);
  const tree = await deps.trees.get(cycleId);
  if (!tree) {
    // No frozen tree yet: the cycle is starting (only its secretariat may look) or does not exist.
    if (!staff.units.some((u) => u.id === parsed.rootId)) throw new WebNotFoundError(`unknown cycle ${cycleId}`);
    await cycleStatus(deps.client, cycleId).catch((err: unknown) => {
      throw err instanceof CycleRequestError ? new WebNotFoundError(`unknown cycle ${cycleId}`) : err;
    });
    return { starting: true, cycleId };
  }
  if (topUnits(tree, staff).length === 0) throw new WebForbiddenError();
  return { cycleId, tree };
}

/** Throws unless `unitId` is in the cycle and at or below one of the staff member's units. */
export function requireVisible(access: CycleAccess, staff: Staff, unitId: string): void {
  if (!access.tree.node(unitId)) throw new WebNotFoundError(`unit ${unitId} is not in cycle ${access.cycleId}`);
  if (!canSee(access.tree, staff, unitId)) throw new WebForbiddenError();
}

export interface UnitRow {
  id: string;
  name: string;
  depth: number;
  childCount: number;
  status?: UnitStatus;
}

export interface CycleFilters {
  unit?: string;
  /** absolute depth in the tree (0 = root) */
  level?: number;
  overdue?: boolean;
  page?: number;
}

export interface CycleOverview {
  cycleId: string;
  cycle?: CycleStatus;
  plan: DeadlinePlan | null;
  tree: CycleTree;
  focus: { id: string; name: string; status: UnitStatus };
  /** from the staff member's own top unit down to the focus */
  breadcrumb: { id: string; name: string }[];
  rows: UnitRow[];
  total: number;
  page: number;
  filters: Required<Pick<CycleFilters, 'overdue'>> & { level?: number };
  /** depths the level filter offers */
  levels: number[];
}

/** What a page shows (read-only, bounded by READ_DEADLINE_MS). */
export function cycleOverview(deps: WebDeps, staff: Staff, access: CycleAccess, filters: CycleFilters): Promise<CycleOverview> {
  return reading(deps, () => loadCycleOverview(deps, staff, access, filters));
}

async function loadCycleOverview(deps: WebDeps, staff: Staff, access: CycleAccess, filters: CycleFilters): Promise<CycleOverview> {
  const { tree, cycleId } = access;
  const focusId = filters.unit ?? topUnits(tree, staff)[0]!;
  requireVisible(access, staff, focusId);
  const focusNode = tree.node(focusId)!;
  const [cycle, plan, focusStatus] = await Promise.all([
    cycleStatus(deps.client, cycleId).catch(() => undefined),
    cyclePlan(deps.client, cycleId).catch(() => null),
    unitStatus(deps.client, cycleId, focusId),
  ]);
  const level = filters.level !== undefined && filters.level > focusNode.depth && filters.level < tree.depths ? filters.level : undefined;
  let ids: string[];
  if (filters.overdue) {
    const below = focusStatus.aggregate.below;
    const overdue = new Set([...below.plan.overdue.ids, ...below.report.overdue.ids]);
    ids = [...overdue].filter((id) => tree.node(id) && (level === undefined || tree.node(id)!.depth === level));
    ids.sort((a, b) => tree.node(a)!.depth - tree.node(b)!.depth || tree.node(a)!.position - tree.node(b)!.position || a.localeCompare(b));
  } else if (level !== undefined) {
    ids = tree.atDepth(focusId, level);
  } else {
    ids = tree.children(focusId);
  }
  const pages = Math.max(1, Math.ceil(ids.length / PAGE_SIZE));
  const page = Math.min(Math.max(0, filters.page ?? 0), pages - 1);
  const slice = ids.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  const trail = tree.pathToRoot(focusId).reverse();
  const start = trail.findIndex((id) => staff.units.some((u) => u.id === id));
  const crumbs = trail.slice(Math.max(0, start));
  const [names, statuses] = await Promise.all([
    namesOf(deps.db, [...slice, ...crumbs]),
    mapLimit(slice, QUERY_CONCURRENCY, (id) => unitStatus(deps.client, cycleId, id).catch(() => undefined)),
  ]);
  const levels: number[] = [];
  for (let d = focusNode.depth + 1; d < tree.depths; d++) levels.push(d);
  return {
    cycleId,
    cycle,
    plan,
    tree,
    focus: { id: focusId, name: names.get(focusId)?.name ?? focusId, status: focusStatus },
    breadcrumb: crumbs.map((id) => ({ id, name: names.get(id)?.name ?? id })),
    rows: slice.map((id, i) => {
      const n = tree.node(id)!;
      return { id, name: names.get(id)?.name ?? id, depth: n.depth, childCount: n.childCount, status: statuses[i] };
    }),
    total: ids.length,
    page,
    filters: { overdue: !!filters.overdue, level },
    levels,
  };
}

// ── one unit, seen by staff ─────────────────────────────────────────────────────────────────────────────

export interface UnitDetail {
  cycleId: string;
  unit: { id: string; name: string; kind: string };
  parent?: { id: string; name: string };
  status: UnitStatus;
  plan: DeadlinePlan | null;
  latest: Record<Phase, LatestSubmission | undefined>;
  /** the unit the viewer reviews on behalf of, when they may review this unit */
  reviewerUnitId?: string;
  /** the unit the viewer extends deadlines on behalf of, when they may */
  extenderUnitId?: string;
  audit: Awaited<ReturnType<typeof auditTrail>>;
  /** unit id → name for every id the aggregate lists */
  names: Record<string, string>;
  /** calendar time now */
  now: string;
}

/** What a page shows (read-only, bounded by READ_DEADLINE_MS). */
export function unitDetail(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string): Promise<UnitDetail> {
  return reading(deps, () => loadUnitDetail(deps, staff, access, unitId));
}

async function loadUnitDetail(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string): Promise<UnitDetail> {
  requireVisible(access, staff, unitId);
  const { cycleId, tree } = access;
  const node = tree.node(unitId)!;
  const [status, plan, latestPlan, latestReport, audit] = await Promise.all([
    unitStatus(deps.client, cycleId, unitId),
    cyclePlan(deps.client, cycleId).catch(() => null),
    latestSubmission(deps.db, cycleId, unitId, 'plan'),
    latestSubmission(deps.db, cycleId, unitId, 'report'),
    auditTrail(deps.db, cycleId, unitId),
  ]);
  const below = status.aggregate.below;
  const listed = PHASES.flatMap((p) => [...below[p].submittedOnTime.ids, ...below[p].submittedLate.ids, ...below[p].notSubmitted.ids]);
  const names = await namesOf(deps.db, [unitId, ...(node.parentId ? [node.parentId] : []), ...listed, ...below.commendations.items.map((c) => c.unitId)]);
  return {
    cycleId,
    unit: { id: unitId, name: names.get(unitId)?.name ?? unitId, kind: node.kind },
    parent: node.parentId ? { id: node.parentId, name: names.get(node.parentId)?.name ?? node.parentId } : undefined,
    status,
    plan,
    latest: { plan: latestPlan, report: latestReport },
    reviewerUnitId: reviewerFor(tree, staff, unitId),
    extenderUnitId: extenderFor(tree, staff, unitId),
    audit,
    names: Object.fromEntries([...names.values()].map((u) => [u.id, u.name])),
    now: calendarNow(deps, plan),
  };
}

// ── supervision: overdue units and the review queue ─────────────────────────────────────────────────────

export interface OverdueRow {
  unitId: string;
  name: string;
  /** the unit directly above it (its supervisor) */
  parentId: string;
  parentName: string;
  phase: Phase;
  dueAt: string;
  /** calendar time "now", the lateness is measured at */
  asOf: string;
  remindersSent: number;
}

export interface ReviewItem {
  unitId: string;
  name: string;
  phase: Phase;
  late: boolean;
  /** set when the viewer may review it */
  reviewerUnitId?: string;
}

export interface Supervision {
  cycleId: string;
  focus: { id: string; name: string; status: UnitStatus };
  overdue: OverdueRow[];
  queue: ReviewItem[];
  /** the staff member's units in this cycle where supervision can start */
  tops: { id: string; name: string }[];
  /** unit id → name for the units directly below the focus */
  names: Record<string, string>;
}

/** Deadline of a phase at a depth of the plan (levels deeper than the plan use its last level). */
function levelDue(plan: DeadlinePlan | null, depth: number, phase: Phase): string | undefined {
  if (!plan || plan.levels.length === 0) return undefined;
  return plan.levels[Math.min(depth, plan.levels.length - 1)]![phase].dueAt;
}

/** What a page shows (read-only, bounded by READ_DEADLINE_MS). */
export function supervision(deps: WebDeps, staff: Staff, access: CycleAccess, unitId?: string): Promise<Supervision> {
  return reading(deps, () => loadSupervision(deps, staff, access, unitId));
}

async function loadSupervision(deps: WebDeps, staff: Staff, access: CycleAccess, unitId?: string): Promise<Supervision> {
  const { tree, cycleId } = access;
  const tops = topUnits(tree, staff);
  const focusId = unitId ?? tops[0]!;
  requireVisible(access, staff, focusId);
  const depth = tree.node(focusId)!.depth;
  const [status, plan] = await Promise.all([unitStatus(deps.client, cycleId, focusId), cyclePlan(deps.client, cycleId).catch(() => null)]);
  const now = calendarNow(deps, plan);

  const overdue: Omit<OverdueRow, 'name' | 'parentName'>[] = [];
  const direct = new Set(status.children.map((c) => c.unitId));
  // Units directly below: their state is in this unit's own view of its children.
  for (const child of status.children) {
    for (const phase of PHASES) {
      const view = child[phase];
      if (!view.overdue) continue;
      const dueAt = view.deadlines?.dueAt ?? levelDue(plan, depth + 1, phase);
      if (dueAt) overdue.push({ unitId: child.unitId, parentId: focusId, phase, dueAt, asOf: now, remindersSent: view.remindersSent });
    }
  }
  // Units further down: the aggregate lists them; their own task says when they were due and how often reminded.
  const deeper = [...new Set(PHASES.flatMap((p) => status.aggregate.below[p].overdue.ids))].filter((id) => !direct.has(id) && tree.node(id));
  const deeperStatuses = await mapLimit(deeper.slice(0, PAGE_SIZE), QUERY_CONCURRENCY, (id) => unitStatus(deps.client, cycleId, id).catch(() => undefined));
  for (const s of deeperStatuses) {
    if (!s) continue;
    for (const phase of PHASES) {
      if (!s[phase].overdue) continue;
      overdue.push({ unitId: s.unitId, parentId: s.parentUnitId ?? '', phase, dueAt: s[phase].deadlines.dueAt, asOf: now, remindersSent: s[phase].remindersSent });
    }
  }
  overdue.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || tree.node(a.unitId)!.depth - tree.node(b.unitId)!.depth || a.unitId.localeCompare(b.unitId));

  const queue: Omit<ReviewItem, 'name'>[] = [];
  for (const child of status.children) {
    for (const phase of PHASES) {
      if (child[phase].progress !== 'submitted') continue;
      queue.push({ unitId: child.unitId, phase, late: child[phase].late, reviewerUnitId: reviewerFor(tree, staff, child.unitId) });
    }
  }
  const names = await namesOf(deps.db, [focusId, ...tops, ...direct, ...overdue.flatMap((o) => [o.unitId, o.parentId]), ...queue.map((q) => q.unitId)]);
  const name = (id: string) => names.get(id)?.name ?? id;
  return {
    cycleId,
    focus: { id: focusId, name: name(focusId), status },
    overdue: overdue.map((o) => ({ ...o, name: name(o.unitId), parentName: name(o.parentId) })),
    queue: queue.map((q) => ({ ...q, name: name(q.unitId) })),
    tops: tops.map((id) => ({ id, name: name(id) })),
    names: Object.fromEntries([...direct].map((id) => [id, name(id)])),
  };
}

// ── staff actions ───────────────────────────────────────────────────────────────────────────────────────

export interface ReviewRequest {
  phase: Phase;
  decision: 'accept' | 'return';
  comment: string;
}

export async function reviewUnit(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string, input: ReviewRequest, channel: 'web' | 'api'): Promise<ReviewReceipt> {
  requireVisible(access, staff, unitId);
  const reviewerUnitId = reviewerFor(access.tree, staff, unitId);
  if (!reviewerUnitId) throw new WebForbiddenError(`only the unit directly above ${unitId} reviews it`);
  return review(deps.client, access.cycleId, unitId, { ...input, reviewerUnitId, channel });
}

export interface ExtendRequest {
  phase: Phase;
  until: string;
  reason: string;
}

export async function extendUnit(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string, input: ExtendRequest, channel: 'web' | 'api'): Promise<ExtensionReceipt> {
  requireVisible(access, staff, unitId);
  const byUnitId = extenderFor(access.tree, staff, unitId);
  if (!byUnitId) throw new WebForbiddenError(`only the supervisor of ${unitId} or the secretariat extends its deadlines`);
  return extend(deps.client, access.cycleId, unitId, { ...input, byUnitId, channel });
}

/**
 * A new personal link for a unit whose link leaked (forwarded, shared): every earlier link stops working at
 * once and the unit's officer gets a new task email (through the outbox, like every email). Its supervisor or
 * the secretariat may do it.
 */
export async function reissueLink(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string, channel: 'web' | 'api'): Promise<{ revoked: number }> {
  requireVisible(access, staff, unitId);
  const by = extenderFor(access.tree, staff, unitId);
  if (!by) throw new WebForbiddenError(`only the supervisor of ${unitId} or the secretariat renews its link`);
  const { cycleId } = access;
  const [status, plan] = await Promise.all([unitStatus(deps.client, cycleId, unitId), cyclePlan(deps.client, cycleId)]);
  if (!plan) throw new CycleRequestError(`The cycle ${cycleId} is still starting / Chu kỳ đang khởi tạo.`);
  if (status.closed) throw new CycleRequestError(`The cycle ${cycleId} is closed / Chu kỳ đã đóng.`);
  const now = deps.now();
  const at = calendarNow(deps, plan);
  const { revoked } = await revokeUnitTokens(deps.db, { cycleId, unitId }, now);
  const mail = createMailActivities({ mailer: deps.mailer, db: deps.db, config: deps.config, now: deps.now });
  await mail.sendTaskAssignment({
    key: `${unitWorkflowId(cycleId, unitId)}:task:reissued:${now.toISOString()}`,
    cycleId,
    year: parseCycleId(cycleId)!.year,
    unitId,
    planDueAt: status.plan.deadlines.dueAt,
    reportDueAt: status.report.deadlines.dueAt,
    closesAt: plan.closesAt,
  });
  await recordEvent(deps.db, {
    key: `${unitWorkflowId(cycleId, unitId)}:link-reissued:${now.toISOString()}`,
    cycleId,
    unitId,
    kind: 'link-reissued',
    actor: by,
    channel,
    at,
    data: { revoked },
  });
  return { revoked };
}

// ── starting a cycle ────────────────────────────────────────────────────────────────────────────────────

export interface PlanPreview {
  request: StartCycleRequest;
  depths: number;
  plan: DeadlinePlan;
}

function checkStart(staff: Staff, request: unknown, lang: Lang): StartCycleRequest & { rootUnitId: string } {
  const parsed = startCycleSchema.safeParse(request);
  if (!parsed.success) throw new WebValidationError(fieldErrors(parsed.error, lang, request));
  if (!secretariatRoots(staff).some((u) => u.id === parsed.data.rootUnitId)) throw new WebForbiddenError('only the secretariat of a root unit starts its cycles');
  return parsed.data;
}

/** The deadline plan a cycle would get, per level of today's tree: nothing is started or stored. */
export async function previewCycle(deps: WebDeps, staff: Staff, request: unknown, lang: Lang): Promise<PlanPreview> {
  const parsed = checkStart(staff, request, lang);
  const depths = await treeDepth(deps.db, parsed.rootUnitId, todayLocal());
  const plan = await createCalendarActivities({ config: deps.config }).computeCyclePlan({
    year: parsed.year,
    firstYear: parsed.firstYear ?? false,
    depths: Math.max(1, depths),
    reportDue: parsed.reportDue,
  });
  return { request: parsed, depths, plan };
}

export async function startNewCycle(deps: WebDeps, staff: Staff, request: unknown, lang: Lang): Promise<{ cycleId: string }> {
  const parsed = checkStart(staff, request, lang);
  const { cycleId } = await startCycle(deps.client, deps.taskQueue, parsed);
  return { cycleId };
}
