// What the pages and the JSON API do, in one place: both call these, so a page and its API route can never
// disagree. Workflow operations go through client/cycles.ts (validated with the workflows' zod schemas);
// this module adds who-may-do-what and gathers what a page shows.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { cycleHealth, type CycleHealth } from '../cycle-health';
import { createCalendarActivities } from '../../activities/calendar';
import type { DeadlinePlan } from '../../activities/calendar/types';
import { latestAggregate, latestAggregates, type ArchivedAggregate } from '../../activities/archive/aggregates';
import { archivedUnits, cycleArchiveStatus, type ArchivedUnitStatus } from '../../activities/archive/status';
import { auditTrail, latestSubmission, recordEvent, type LatestSubmission } from '../../activities/archive/store';
import { rebuildAggregate } from '../../activities/archive/subtree';
import { buildAggregateDocument } from '../../activities/documents/aggregate-document';
import { buildCycleWorkbook } from '../../activities/documents/cycle-workbook';
import { XLSX_CONTENT_TYPE } from '../../activities/documents/labels';
import { revokeUnitTokens, verifyUnitToken } from '../../activities/access/tokens';
import type { Db } from '../../activities/db/database';
import { todayLocal } from '../../activities/directory/dates';
import { getUnit, getUnits, treeDepth } from '../../activities/directory/repository';
import type { Unit } from '../../activities/directory/types';
import { createMailActivities } from '../../activities/mail/activities';
import type { Transporter } from 'nodemailer';
import type { Config } from '../../common/config';
import type { Aggregate } from '../../workflows/aggregate-types';
import { parseCycleId, unitWorkflowId } from '../../workflows/ids';
import { toCalendarIso } from '../../workflows/timeline';
import type { CycleStatus, ExtensionReceipt, PhaseView, ReviewReceipt, SubmissionReceipt, UnitStatus } from '../../workflows/messages';
import { planContentSchema, reportContentSchema, PHASES, type Phase, type PlanContent, type ReportContent } from '../../workflows/report';
import {
  CycleRequestError,
  cycleAggregate,
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
import { t, type Lang } from './i18n';
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
    const status = await deps.client
      .withDeadline(Date.now() + LIST_STATUS_DEADLINE_MS, () => cycleStatus(deps.client, c.cycleId))
      // a cycle with a frozen tree that Temporal no longer knows was deleted after its retention: closed
      .catch((err: unknown) => (err instanceof CycleRequestError ? ({ phase: 'closed', rehearsal: undefined } as const) : undefined));
    return { ...c, phase: status?.phase, rehearsal: status?.rehearsal, rootName: names.get(c.rootId)?.name };
  });
}

/**
 * Where a cycle's pages read from: `live`, the workflows' queries while the cycle runs; `archive`, the app
 * database alone, once the cycle's workflow has closed or Temporal's retention has deleted it.
 */
export type CycleSource = 'live' | 'archive';

/** The note every archive-read page and API answer carries. */
export const ARCHIVE_NOTE = `${t('vi', 'archiveNote')} / ${t('en', 'archiveNote')}`;

/** What staff actions on an archive-read cycle answer. */
export const CLOSED_CYCLE_REFUSAL = `${ARCHIVE_NOTE}: nothing can be submitted, reviewed, extended or reissued any more / không còn nộp, xem xét, gia hạn hay cấp lại đường liên kết.`;

export interface CycleAccess {
  cycleId: string;
  tree: CycleTree;
  /** asked of the engine once, on first use: callers check the staff member's scope first */
  source: () => Promise<CycleSource>;
}

async function cycleSource(deps: WebDeps, cycleId: string): Promise<CycleSource> {
  return reading(deps, async () => {
    try {
      const { status } = await deps.client.workflow.getHandle(cycleId).describe();
      return status.name === 'RUNNING' ? 'live' : 'archive';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'archive';
      throw err;
    }
  });
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
  let source: Promise<CycleSource> | undefined;
  return { cycleId, tree, source: () => (source ??= cycleSource(deps, cycleId)) };
}

async function refuseArchived(access: CycleAccess): Promise<void> {
  if ((await access.source()) === 'archive') throw new CycleRequestError(CLOSED_CYCLE_REFUSAL);
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
  source: 'live';
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
  /** the staff member sees the whole cycle, so may download its figures */
  figuresAllowed: boolean;
  /** workflows of the cycle that failed or were terminated (client/cycle-health.ts) */
  health: CycleHealth;
}

/** What a page shows (read-only, bounded by READ_DEADLINE_MS); from the archive once the cycle has closed. */
export function cycleOverview(deps: WebDeps, staff: Staff, access: CycleAccess, filters: CycleFilters): Promise<CycleOverview | ArchivedCycleOverview> {
  return reading<CycleOverview | ArchivedCycleOverview>(deps, async () => {
    requireVisible(access, staff, filters.unit ?? topUnits(access.tree, staff)[0]!);
    return (await access.source()) === 'archive' ? loadArchivedOverview(deps, staff, access, filters) : loadCycleOverview(deps, staff, access, filters);
  });
}

/** The rows of the unit table: the focus's direct units, a level below it, or the overdue ones; one page of them. */
function selectRows(tree: CycleTree, focusId: string, filters: CycleFilters, overdueIds: () => string[]) {
  const focusNode = tree.node(focusId)!;
  const level = filters.level !== undefined && filters.level > focusNode.depth && filters.level < tree.depths ? filters.level : undefined;
  let ids: string[];
  if (filters.overdue) {
    const overdue = new Set(overdueIds());
    ids = [...overdue].filter((id) => tree.node(id) && (level === undefined || tree.node(id)!.depth === level));
    ids.sort((a, b) => tree.node(a)!.depth - tree.node(b)!.depth || tree.node(a)!.position - tree.node(b)!.position || a.localeCompare(b));
  } else if (level !== undefined) {
    ids = tree.atDepth(focusId, level);
  } else {
    ids = tree.children(focusId);
  }
  const pages = Math.max(1, Math.ceil(ids.length / PAGE_SIZE));
  const page = Math.min(Math.max(0, filters.page ?? 0), pages - 1);
  const levels: number[] = [];
  for (let d = focusNode.depth + 1; d < tree.depths; d++) levels.push(d);
  return { ids, slice: ids.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE), page, level, levels };
}

/** From the staff member's own top unit down to the focus. */
function breadcrumbIds(tree: CycleTree, staff: Staff, focusId: string): string[] {
  const trail = tree.pathToRoot(focusId).reverse();
  const start = trail.findIndex((id) => staff.units.some((u) => u.id === id));
  return trail.slice(Math.max(0, start));
}

async function loadCycleOverview(deps: WebDeps, staff: Staff, access: CycleAccess, filters: CycleFilters): Promise<CycleOverview> {
  const { tree, cycleId } = access;
  const focusId = filters.unit ?? topUnits(tree, staff)[0]!;
  requireVisible(access, staff, focusId);
  const [cycle, plan, focusStatus, health] = await Promise.all([
    cycleStatus(deps.client, cycleId).catch(() => undefined),
    cyclePlan(deps.client, cycleId).catch(() => null),
    unitStatus(deps.client, cycleId, focusId),
    cycleHealth(deps.client, cycleId).catch((err: unknown) => ({ unavailable: String(err) })),
  ]);
  const below = focusStatus.aggregate.below;
  const { ids, slice, page, level, levels } = selectRows(tree, focusId, filters, () => [...below.plan.overdue.ids, ...below.report.overdue.ids]);
  const crumbs = breadcrumbIds(tree, staff, focusId);
  const [names, statuses] = await Promise.all([
    namesOf(deps.db, [...slice, ...crumbs]),
    mapLimit(slice, QUERY_CONCURRENCY, (id) => unitStatus(deps.client, cycleId, id).catch(() => undefined)),
  ]);
  return {
    source: 'live',
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
    figuresAllowed: canSee(tree, staff, tree.rootId),
    // only the dead workflows of units this staff member may see (the cycle's own: whoever sees the root)
    health: 'dead' in health ? { dead: health.dead.filter((d) => canSee(tree, staff, d.unitId ?? tree.rootId)) } : health,
  };
}

// ── one unit, seen by staff ─────────────────────────────────────────────────────────────────────────────

export interface UnitDetail {
  source: 'live';
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

/** What a page shows (read-only, bounded by READ_DEADLINE_MS); from the archive once the cycle has closed. */
export function unitDetail(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string): Promise<UnitDetail | ArchivedUnitDetail> {
  return reading<UnitDetail | ArchivedUnitDetail>(deps, async () => {
    requireVisible(access, staff, unitId);
    return (await access.source()) === 'archive' ? loadArchivedUnitDetail(deps, staff, access, unitId) : loadUnitDetail(deps, staff, access, unitId);
  });
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
    source: 'live',
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

// ── a closed cycle, from the archive ────────────────────────────────────────────────────────────────────

export interface ArchivedAggregateView {
  aggregate: Aggregate;
  /** `recorded`: the aggregate the workflow archived; `rebuilt`: recomputed from the archived submissions */
  source: 'recorded' | 'rebuilt';
  final: boolean;
}

/** The archived aggregate of a node, else one rebuilt from the archive with the workflow's rules. */
async function archivedAggregate(db: Db, cycleId: string, unitId: string, recorded: ArchivedAggregate | null | undefined, closed: boolean): Promise<ArchivedAggregateView> {
  const found = recorded === undefined ? await latestAggregate(db, cycleId, unitId) : recorded;
  if (found) return { aggregate: found.aggregate, source: 'recorded', final: found.final };
  return { aggregate: await rebuildAggregate(db, { cycleId, unitId }), source: 'rebuilt', final: closed };
}

export interface ArchivedCycleInfo {
  rootUnitId: string;
  /** the directory date the tree was frozen at */
  treeAsOf: string;
  unitCount: number;
  closed: boolean;
  closedAt: string | null;
}

export interface ArchivedUnitRow {
  id: string;
  name: string;
  depth: number;
  childCount: number;
  status?: ArchivedUnitStatus;
  /** of the units below it; null for a unit with none */
  aggregate: Aggregate | null;
}

export interface ArchivedCycleOverview {
  source: 'archive';
  note: string;
  cycleId: string;
  cycle: ArchivedCycleInfo;
  tree: CycleTree;
  focus: { id: string; name: string; status: ArchivedUnitStatus; aggregate: ArchivedAggregateView | null };
  breadcrumb: { id: string; name: string }[];
  rows: ArchivedUnitRow[];
  total: number;
  page: number;
  filters: Required<Pick<CycleFilters, 'overdue'>> & { level?: number };
  levels: number[];
  figuresAllowed: boolean;
}

async function loadArchivedOverview(deps: WebDeps, staff: Staff, access: CycleAccess, filters: CycleFilters): Promise<ArchivedCycleOverview> {
  const { tree, cycleId } = access;
  const { db } = deps;
  const focusId = filters.unit ?? topUnits(tree, staff)[0]!;
  requireVisible(access, staff, focusId);
  const archived = await cycleArchiveStatus(db, cycleId, focusId);
  const { aggregate: recorded, ...focusStatus } = archived.unit;
  const focusAggregate = focusStatus.childCount > 0 ? await archivedAggregate(db, cycleId, focusId, recorded, focusStatus.closed) : null;
  const below = focusAggregate?.aggregate.below;
  const { ids, slice, page, level, levels } = selectRows(tree, focusId, filters, () => (below ? [...below.plan.overdue.ids, ...below.report.overdue.ids] : []));
  const crumbs = breadcrumbIds(tree, staff, focusId);
  const withBelow = slice.filter((id) => tree.node(id)!.childCount > 0);
  const [names, { units }, recordedBelow] = await Promise.all([namesOf(db, [...slice, ...crumbs]), archivedUnits(db, cycleId, slice), latestAggregates(db, cycleId, withBelow)]);
  const statuses = new Map(units.map((u) => [u.unitId, u]));
  const aggregates = await mapLimit(slice, QUERY_CONCURRENCY, async (id) =>
    tree.node(id)!.childCount > 0 ? (await archivedAggregate(db, cycleId, id, recordedBelow.get(id) ?? null, statuses.get(id)?.closed ?? false)).aggregate : null,
  );
  return {
    source: 'archive',
    note: ARCHIVE_NOTE,
    cycleId,
    cycle: { rootUnitId: archived.rootUnitId, treeAsOf: archived.treeAsOf, unitCount: archived.unitCount, closed: archived.closed, closedAt: archived.closedAt },
    tree,
    focus: { id: focusId, name: names.get(focusId)?.name ?? focusId, status: focusStatus, aggregate: focusAggregate },
    breadcrumb: crumbs.map((id) => ({ id, name: names.get(id)?.name ?? id })),
    rows: slice.map((id, i) => {
      const n = tree.node(id)!;
      return { id, name: names.get(id)?.name ?? id, depth: n.depth, childCount: n.childCount, status: statuses.get(id), aggregate: aggregates[i] ?? null };
    }),
    total: ids.length,
    page,
    filters: { overdue: !!filters.overdue, level },
    levels,
    figuresAllowed: canSee(tree, staff, tree.rootId),
  };
}

export interface ArchivedUnitDetail {
  source: 'archive';
  note: string;
  cycleId: string;
  cycle: ArchivedCycleInfo;
  unit: { id: string; name: string; kind: string };
  parent?: { id: string; name: string };
  status: ArchivedUnitStatus;
  /** the units directly below, in the tree's order */
  children: { id: string; name: string; status: ArchivedUnitStatus }[];
  aggregate: ArchivedAggregateView | null;
  latest: Record<Phase, LatestSubmission | undefined>;
  audit: Awaited<ReturnType<typeof auditTrail>>;
  /** unit id → name for every id the page lists */
  names: Record<string, string>;
}

async function loadArchivedUnitDetail(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string): Promise<ArchivedUnitDetail> {
  requireVisible(access, staff, unitId);
  const { cycleId, tree } = access;
  const { db } = deps;
  const node = tree.node(unitId)!;
  const [archived, latestPlan, latestReport, audit] = await Promise.all([
    cycleArchiveStatus(db, cycleId, unitId),
    latestSubmission(db, cycleId, unitId, 'plan'),
    latestSubmission(db, cycleId, unitId, 'report'),
    auditTrail(db, cycleId, unitId),
  ]);
  const { aggregate: recorded, ...status } = archived.unit;
  const aggregate = status.childCount > 0 ? await archivedAggregate(db, cycleId, unitId, recorded, status.closed) : null;
  const below = aggregate?.aggregate.below;
  const listed = below ? PHASES.flatMap((p) => [...below[p].submittedOnTime.ids, ...below[p].submittedLate.ids, ...below[p].notSubmitted.ids]) : [];
  const names = await namesOf(db, [
    unitId,
    ...(node.parentId ? [node.parentId] : []),
    ...archived.children.map((c) => c.unitId),
    ...listed,
    ...(below?.commendations.items.map((c) => c.unitId) ?? []),
    ...audit.map((e) => e.actor),
  ]);
  const name = (id: string) => names.get(id)?.name ?? id;
  return {
    source: 'archive',
    note: ARCHIVE_NOTE,
    cycleId,
    cycle: { rootUnitId: archived.rootUnitId, treeAsOf: archived.treeAsOf, unitCount: archived.unitCount, closed: archived.closed, closedAt: archived.closedAt },
    unit: { id: unitId, name: name(unitId), kind: node.kind },
    parent: node.parentId ? { id: node.parentId, name: name(node.parentId) } : undefined,
    status,
    children: archived.children.map(({ aggregate: _ignored, ...c }) => ({ id: c.unitId, name: name(c.unitId), status: c })),
    aggregate,
    latest: { plan: latestPlan, report: latestReport },
    audit,
    names: Object.fromEntries([...names.values()].map((u) => [u.id, u.name])),
  };
}

/** A node's aggregate: the workflow's while the cycle runs, the archived (or rebuilt) one once it has closed. */
export async function nodeAggregate(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string): Promise<{ aggregate: Aggregate; final: boolean; source: 'live' | ArchivedAggregateView['source'] }> {
  requireVisible(access, staff, unitId);
  const { cycleId } = access;
  if ((await access.source()) === 'live') return { aggregate: await reading(deps, () => cycleAggregate(deps.client, cycleId, unitId)), final: false, source: 'live' };
  const closed = (await archivedUnits(deps.db, cycleId, [unitId])).units[0]?.closed ?? false;
  return archivedAggregate(deps.db, cycleId, unitId, undefined, closed);
}

// ── documents to download ───────────────────────────────────────────────────────────────────────────────

export interface Download {
  /** what the browser saves it as (Vietnamese, with diacritics) */
  filename: string;
  /** the same for clients that cannot read an RFC 5987 name */
  asciiFilename: string;
  contentType: string;
  bytes: Buffer;
}

/** The node's aggregate report (DOCX, Decree 30 layout) as of its current (or archived) aggregate. */
export async function aggregateReport(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string): Promise<Download> {
  const { aggregate, final } = await nodeAggregate(deps, staff, access, unitId);
  const doc = await buildAggregateDocument(deps.db, { cycleId: access.cycleId, unitId, aggregate, final });
  const unit = await getUnit(deps.db, unitId);
  return {
    filename: `Báo cáo tổng hợp – ${unit?.name ?? unitId} – ${access.cycleId}.docx`,
    asciiFilename: doc.filename,
    contentType: doc.contentType,
    bytes: Buffer.from(doc.contentBase64, 'base64'),
  };
}

/** Every unit's figures (XLSX): the whole cycle, so only for those who see all of it (its secretariat). */
export async function cycleFigures(deps: WebDeps, staff: Staff, access: CycleAccess): Promise<Download> {
  const { tree, cycleId } = access;
  if (!canSee(tree, staff, tree.rootId)) throw new WebForbiddenError('the figures of every unit of a cycle are for its secretariat');
  const root = await getUnit(deps.db, tree.rootId);
  return {
    filename: `Số liệu – ${root?.name ?? tree.rootId} – ${cycleId}.xlsx`,
    asciiFilename: `so-lieu-${cycleId}.xlsx`,
    contentType: XLSX_CONTENT_TYPE,
    bytes: await buildCycleWorkbook(deps.db, cycleId),
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
  return reading(deps, async () => {
    requireVisible(access, staff, unitId ?? topUnits(access.tree, staff)[0]!);
    await refuseArchived(access);
    return loadSupervision(deps, staff, access, unitId);
  });
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
  await refuseArchived(access);
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
  await refuseArchived(access);
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
  await refuseArchived(access);
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
  const { cycleId } = await startCycle(deps.client, deps.taskQueue, parsed, { db: deps.db, holidaysFile: deps.config.holidaysFile });
  return { cycleId };
}
