// The staff's cycle views: the cycles they take part in, a cycle's page (a node and its units), one unit's
// page, and starting a cycle. A closed cycle is read from the archive (archive.ts).
import { z } from 'zod';
import { CampaignStartError, campaignCycleStatus, isCampaignCycle, planCampaignCycle, startCampaignCycle } from '../../campaign-cycles';
import type { CampaignVersion } from '../../../domain/campaign';
import { BUILTIN_CAMPAIGN_ID } from '../../../domain/campaign-builtin';
import type { PhasedDeadlinePlan } from '../../../domain/calendar';
import { archivedCampaignCycle } from '../../../activities/archive/campaign-cycles';
import { getCampaignVersion } from '../../../activities/campaigns/repository';
import type { DeadlinePlan } from '../../../activities/calendar/types';
import { createCalendarActivities } from '../../../activities/calendar';
import { auditTrail, latestSubmission, type LatestSubmission } from '../../../activities/archive/store';
import { todayLocal } from '../../../activities/directory/dates';
import { treeDepth } from '../../../activities/directory/repository';
import type { CycleStatus, UnitStatus } from '../../../workflows/messages';
import { PHASES, type Phase } from '../../../workflows/report';
import { CycleRequestError, cyclePlan, cycleStatus, startCycle, startCycleSchema, unitStatus } from '../../cycles';
import { WebForbiddenError, WebValidationError } from '../errors';
import { fieldErrors } from '../forms';
import type { Lang } from '../i18n';
import { canSee, extenderFor, reviewerFor, secretariatRoots, staffCycles, topUnits, type CycleSummary, type Staff } from '../staff';
import type { CycleTree } from '../tree';
import { loadArchivedOverview, loadArchivedUnitDetail, type ArchivedCycleOverview, type ArchivedUnitDetail } from './archive';
import type { UndeliveredMail } from '../../../activities/mail/outbox';
import { cycleHealth, type CycleHealth } from '../../cycle-health';
import { calendarNow, LIST_STATUS_DEADLINE_MS, mapLimit, namesOf, QUERY_CONCURRENCY, reading, undeliveredBelow, withCommendations, type WebDeps } from './deps';
import { breadcrumbIds, requireVisible, selectRows, type CycleAccess, type CycleFilters } from './scope';

// ── staff: cycles they can see ──────────────────────────────────────────────────────────────────────────

export interface CycleListItem extends CycleSummary {
  phase?: CycleStatus['phase'];
  rehearsal?: boolean;
  rootName?: string;
  /** a cycle of a campaign: the campaign, the version it froze and its name (from the archive once closed) */
  campaign?: { id: string; version: number; name: { vi: string; en: string } };
}

/** The campaign a cycle of a campaign runs: the archive's record once it closed, else its workflow's status. */
async function campaignOf(deps: WebDeps, cycleId: string, status: { campaignId?: string; version?: number } | undefined): Promise<CycleListItem['campaign']> {
  const archived = await archivedCampaignCycle(deps.db, cycleId);
  const ref = archived ? { id: archived.campaignId, version: archived.version } : status?.campaignId && status.version ? { id: status.campaignId, version: status.version } : undefined;
  if (!ref) return undefined;
  const { definition } = await getCampaignVersion(deps.db, ref.id, ref.version).catch(() => ({ definition: undefined }));
  return definition ? { ...ref, name: definition.name } : undefined;
}

export async function listCycles(deps: WebDeps, staff: Staff): Promise<CycleListItem[]> {
  const cycles = await staffCycles(deps.db, staff);
  const names = await namesOf(
    deps.db,
    cycles.map((c) => c.rootId),
  );
  return mapLimit(cycles, QUERY_CONCURRENCY, async (c) => {
    const campaignCycle = isCampaignCycle(c.cycleId);
    const read = <T>(q: () => Promise<T>) =>
      deps.client
        .withDeadline(Date.now() + LIST_STATUS_DEADLINE_MS, q)
        // a cycle with a frozen tree that Temporal no longer knows was deleted after its retention: closed
        .catch((err: unknown) => (err instanceof CycleRequestError ? ({ phase: 'closed', rehearsal: undefined } as const) : undefined));
    if (!campaignCycle) {
      const status = await read(() => cycleStatus(deps.client, c.cycleId));
      return { ...c, phase: status?.phase, rehearsal: status?.rehearsal, rootName: names.get(c.rootId)?.name };
    }
    const status = await read(() => campaignCycleStatus(deps.client, c.cycleId));
    const campaign = await campaignOf(deps, c.cycleId, status && 'campaignId' in status ? status : undefined);
    return { ...c, phase: status?.phase, rehearsal: status?.rehearsal, rootName: names.get(c.rootId)?.name, ...(campaign ? { campaign } : {}) };
  });
}

export interface UnitRow {
  id: string;
  name: string;
  depth: number;
  childCount: number;
  status?: UnitStatus;
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
  /** emails of units in the focus's subtree that will not arrive: undeliverable, or dropped as stale */
  undelivered: UndeliveredMail[];
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

async function loadCycleOverview(deps: WebDeps, staff: Staff, access: CycleAccess, filters: CycleFilters): Promise<CycleOverview> {
  const { tree, cycleId } = access;
  const focusId = filters.unit ?? topUnits(tree, staff)[0]!;
  requireVisible(access, staff, focusId);
  const [cycle, plan, focusStatus, undelivered, health] = await Promise.all([
    cycleStatus(deps.client, cycleId).catch(() => undefined),
    cyclePlan(deps.client, cycleId).catch(() => null),
    unitStatus(deps.client, cycleId, focusId),
    undeliveredBelow(deps.db, tree, cycleId, focusId),
    cycleHealth(deps.client, cycleId).catch((err: unknown): CycleHealth => ({ unavailable: String(err) })),
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
    undelivered,
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
    unitStatus(deps.client, cycleId, unitId).then(async (s) => ({ ...s, aggregate: await withCommendations(deps.db, s.aggregate) })),
    cyclePlan(deps.client, cycleId).catch(() => null),
    latestSubmission(deps.db, cycleId, unitId, 'plan'),
    latestSubmission(deps.db, cycleId, unitId, 'report'),
    auditTrail(deps.db, cycleId, unitId),
  ]);
  const below = status.aggregate.below;
  const listed = PHASES.flatMap((p) => [...below[p].submittedOnTime.ids, ...below[p].submittedLate.ids, ...below[p].notSubmitted.ids]);
  const names = await namesOf(deps.db, [unitId, ...(node.parentId ? [node.parentId] : []), ...listed, ...(below.commendations.items ?? []).map((c) => c.unitId)]);
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

// ── starting a cycle ────────────────────────────────────────────────────────────────────────────────────

/**
 * What the start form and the API take: the yearly cycle's settings and, optionally, a campaign of the store
 * (`SLUG` for its latest version, `SLUG@VERSION` for one). Left out, empty or the built-in one: today's yearly
 * cycle. A campaign's deadlines are its phases' rules, so the yearly report due does not apply; a rehearsal
 * (`rehearsalMinutes`) compresses either kind's whole calendar into that many minutes.
 */
export const webStartSchema = startCycleSchema.extend({
  campaign: z
    .string()
    .trim()
    .max(120)
    .optional()
    .describe('a campaign of the store: SLUG (its latest version) or SLUG@VERSION; left out: the built-in yearly cycle'),
});
export type WebStartRequest = z.input<typeof webStartSchema>;
type CheckedStart = z.output<typeof webStartSchema>;

export type PlanPreview =
  | { kind: 'yearly'; request: CheckedStart; depths: number; plan: DeadlinePlan }
  | { kind: 'campaign'; request: CheckedStart; cycleId: string; depths: number; plan: PhasedDeadlinePlan; campaign: CampaignVersion };

/** The campaign a start request names, or undefined for the built-in yearly cycle. */
export function campaignOfStart(request: Pick<CheckedStart, 'campaign'>): string | undefined {
  const ref = request.campaign?.trim();
  if (!ref || ref === BUILTIN_CAMPAIGN_ID || ref.startsWith(`${BUILTIN_CAMPAIGN_ID}@`)) return undefined;
  return ref;
}

function checkStart(staff: Staff, request: unknown, lang: Lang): CheckedStart {
  const parsed = webStartSchema.safeParse(request);
  if (!parsed.success) throw new WebValidationError(fieldErrors(parsed.error, lang, request));
  if (!secretariatRoots(staff).some((u) => u.id === parsed.data.rootUnitId)) throw new WebForbiddenError('only the secretariat of a root unit starts its cycles / chỉ văn phòng của đơn vị cấp cao nhất mới phát động được đợt báo cáo');
  if (campaignOfStart(parsed.data) && parsed.data.reportDue !== undefined)
    throw new WebValidationError({
      reportDue: "a campaign's deadlines are its phases' rules: leave the report due out / hạn nộp của một đợt báo cáo theo quy tắc của từng giai đoạn: bỏ hạn nộp báo cáo",
    });
  return parsed.data;
}

/** A refusal of a campaign start, shown beside the field it is about. */
async function besideField<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof CampaignStartError) throw new WebValidationError({ [err.field]: err.message });
    throw err;
  }
}

function campaignRequest(parsed: CheckedStart, campaign: string) {
  return { year: parsed.year, rootUnitId: parsed.rootUnitId, firstYear: parsed.firstYear, campaign, ...(parsed.rehearsalMinutes !== undefined ? { rehearsalMinutes: parsed.rehearsalMinutes } : {}) };
}

/** The deadline plan a cycle would get, per level of today's tree: nothing is started or stored. */
export async function previewCycle(deps: WebDeps, staff: Staff, request: unknown, lang: Lang): Promise<PlanPreview> {
  const parsed = checkStart(staff, request, lang);
  const campaign = campaignOfStart(parsed);
  if (campaign) {
    const planned = await besideField(() => planCampaignCycle(deps.client, deps.db, campaignRequest(parsed, campaign), { holidaysFile: deps.config.holidaysFile }));
    return { kind: 'campaign', request: parsed, cycleId: planned.cycleId, depths: planned.depths, plan: planned.plan, campaign: planned.campaign };
  }
  const depths = await treeDepth(deps.db, parsed.rootUnitId, todayLocal());
  const plan = await createCalendarActivities({ config: deps.config }).computeCyclePlan({
    year: parsed.year,
    firstYear: parsed.firstYear ?? false,
    depths: Math.max(1, depths),
    reportDue: parsed.reportDue,
  });
  return { kind: 'yearly', request: parsed, depths, plan };
}

export async function startNewCycle(deps: WebDeps, staff: Staff, request: unknown, lang: Lang): Promise<{ cycleId: string; campaignId?: string; version?: number }> {
  const parsed = checkStart(staff, request, lang);
  const campaign = campaignOfStart(parsed);
  if (campaign) {
    const { cycleId, campaignId, version } = await besideField(() =>
      startCampaignCycle(deps.client, deps.taskQueue, deps.db, campaignRequest(parsed, campaign), { holidaysFile: deps.config.holidaysFile }),
    );
    return { cycleId, campaignId, version };
  }
  const { campaign: _builtin, ...yearly } = parsed;
  const { cycleId } = await startCycle(deps.client, deps.taskQueue, yearly, { db: deps.db, holidaysFile: deps.config.holidaysFile });
  return { cycleId };
}
