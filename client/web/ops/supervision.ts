// Supervision: a supervisor's overdue units and review queue, and what supervisors and the secretariat do about
// them (review, extend a deadline, reissue a leaked link).
import type { DeadlinePlan } from '../../../activities/calendar/types';
import type { ExtensionReceipt, RemindReceipt, ReviewReceipt, UnitStatus } from '../../../workflows/messages';
import { PHASES, type Phase } from '../../../workflows/report';
import { CycleRequestError, cyclePlan, extend, remind, review, unitStatus } from '../../cycles';
import { WebForbiddenError } from '../errors';
import { extenderFor, reviewerFor, topUnits, type Staff } from '../staff';
import { calendarNow, mapLimit, namesOf, PAGE_SIZE, QUERY_CONCURRENCY, reading, type WebDeps } from './deps';
import { isCampaignCycle } from '../../campaign-cycles';
import { reissueCampaignLink } from './campaign-cycle';
import { reissueUnitLink } from './reissue';
import { refuseArchived, requireVisible, type CycleAccess } from './scope';

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
  /** the version awaiting review (the review form names it); absent for a unit of an older run */
  version?: number;
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
      queue.push({ unitId: child.unitId, phase, late: child[phase].late, reviewerUnitId: reviewerFor(tree, staff, child.unitId), version: child[phase].version });
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
  /** the version the reviewer read */
  version: number;
  decision: 'accept' | 'return';
  comment: string;
}

export async function reviewUnit(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string, input: ReviewRequest, channel: 'web' | 'api'): Promise<ReviewReceipt> {
  requireVisible(access, staff, unitId);
  const reviewerUnitId = reviewerFor(access.tree, staff, unitId);
  if (!reviewerUnitId) throw new WebForbiddenError(`only the unit directly above ${unitId} reviews it / chỉ cấp trên trực tiếp duyệt báo cáo của đơn vị này`);
  await refuseArchived(access);
  return review(deps.client, access.cycleId, unitId, { ...input, reviewerUnitId, channel }, { timeoutMs: deps.config.updateTimeoutMs });
}

export interface ExtendRequest {
  phase: Phase;
  until: string;
  reason: string;
}

export async function extendUnit(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string, input: ExtendRequest, channel: 'web' | 'api'): Promise<ExtensionReceipt> {
  // rights first: a refusal needs no engine
  requireVisible(access, staff, unitId);
  const byUnitId = extenderFor(access.tree, staff, unitId);
  if (!byUnitId) throw new WebForbiddenError(`only the supervisor of ${unitId} or the secretariat extends its deadlines / chỉ cấp trên trực tiếp hoặc văn phòng gia hạn được cho đơn vị này`);
  await refuseArchived(access);
  return extend(deps.client, access.cycleId, unitId, { ...input, byUnitId, channel }, { timeoutMs: deps.config.updateTimeoutMs });
}

/**
 * "Remind now": the unit's workflow queues a reminder (an overdue notice past the deadline) and audits who asked
 * (the unit on whose behalf, and the staff member's address). Its supervisor or the secretariat may do it.
 */
export async function remindUnit(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string, phase: Phase | undefined, channel: 'web' | 'api'): Promise<RemindReceipt> {
  requireVisible(access, staff, unitId);
  const byUnitId = extenderFor(access.tree, staff, unitId);
  if (!byUnitId) throw new WebForbiddenError(`only the supervisor of ${unitId} or the secretariat reminds it / chỉ cấp trên trực tiếp hoặc văn phòng nhắc được đơn vị này`);
  await refuseArchived(access);
  return remind(deps.client, access.cycleId, unitId, { byUnitId, channel, requestedBy: staff.email, ...(phase ? { phase } : {}) }, { timeoutMs: deps.config.updateTimeoutMs });
}

/**
 * A new personal link for a unit whose link leaked (forwarded, shared): every earlier link stops working at
 * once and the unit's officer gets a new task email (through the outbox, like every email). Its supervisor or
 * the secretariat may do it.
 */
export async function reissueLink(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string, channel: 'web' | 'api'): Promise<{ revoked: number }> {
  requireVisible(access, staff, unitId);
  const by = extenderFor(access.tree, staff, unitId);
  if (!by) throw new WebForbiddenError(`only the supervisor of ${unitId} or the secretariat renews its link / chỉ cấp trên trực tiếp hoặc văn phòng cấp lại được đường dẫn của đơn vị này`);
  await refuseArchived(access);
  if (isCampaignCycle(access.cycleId)) return reissueCampaignLink(deps, access, unitId, by, channel);
  const { cycleId } = access;
  const [status, plan] = await Promise.all([unitStatus(deps.client, cycleId, unitId), cyclePlan(deps.client, cycleId)]);
  if (!plan) throw new CycleRequestError(`The cycle ${cycleId} is still starting / Chu kỳ đang khởi tạo.`);
  if (status.closed) throw new CycleRequestError(`The cycle ${cycleId} is closed / Chu kỳ đã đóng.`);
  const { revoked } = await reissueUnitLink(deps, {
    cycleId,
    unitId,
    planDueAt: status.plan.deadlines.dueAt,
    reportDueAt: status.report.deadlines.dueAt,
    closesAt: plan.closesAt,
    by,
    channel,
    at: calendarNow(deps, plan),
  });
  return { revoked };
}
