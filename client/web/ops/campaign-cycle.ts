// What staff see and do in a cycle of a campaign: a node's phases with their counts and figures (target,
// achieved, %) from the unit workflow's aggregate, a unit's phases to review (accept / return with a reason) or
// extend, and the documents: the cycle's workbook (writeArchivedCampaignWorkbook) and a unit's or level's report
// of a phase (buildCampaignReportDocument). Rights as for the built-in cycles (staff.ts, ops/scope.ts): a node
// at or below the staff member's units, reviews by the unit directly above, extensions by it or the secretariat,
// the whole cycle's workbook for the secretariat.
import { PassThrough } from 'node:stream';
import { archivedCampaignCycle } from '../../../activities/archive/campaign-cycles';
import { getCampaignVersion } from '../../../activities/campaigns/repository';
import { buildCampaignReportDocument } from '../../../activities/documents/campaign-document';
import { writeArchivedCampaignWorkbook } from '../../../activities/documents/campaign-workbook-rows';
import { XLSX_CONTENT_TYPE } from '../../../activities/documents/labels';
import { getUnit } from '../../../activities/directory/repository';
import { filesByVersion, type VersionFiles } from '../../../activities/files/submitted-files';
import { formOf, targetFiguresOf, type CampaignDefinition } from '../../../domain/campaign';
import type { Figure } from '../../../domain/campaign-form';
import { percentAchieved } from '../../../domain/campaign-aggregation';
import type { CampaignPhaseAggregate, CampaignPhaseView, CampaignRemindReceipt, CampaignUnitStatus } from '../../../workflows/campaign-messages';
import type { CampaignAggregate, CampaignChildPhase } from '../../../workflows/campaign-state';
import { campaignCyclePlan, campaignExtend, campaignRemind, campaignReview, campaignUnitStatus } from '../../campaign-cycles';
import type { Timeline } from '../../../domain/calendar';
import { CycleRequestError } from '../../cycles';
import { parseCycleId } from '../../../workflows/ids';
import { WebForbiddenError, WebNotFoundError } from '../errors';
import { canSee, extenderFor, reviewerFor, topUnits, type Staff } from '../staff';
import { namesOf, reading, type WebDeps } from './deps';
import type { Download } from './downloads';
import { campaignGroupedUnits, type GroupedUnitsPage } from './campaign-grouped-units';
import { campaignSubtreeOverdue, type CampaignOverdue } from './campaign-overdue';
import { reissueCampaignUnitLink } from './reissue';
import { refuseArchived, requireVisible, type CycleAccess } from './scope';

export interface FigureRow {
  figure: Figure;
  value: number | null;
  reporting: number;
  target: number | null;
  percent: number | null;
}

export interface CampaignPhaseSummary {
  key: string;
  name: { vi: string; en: string };
  aggregate: CampaignPhaseAggregate;
  figures: FigureRow[];
}

export interface CampaignCycleOverview {
  cycleId: string;
  focus: { id: string; name: string; parentId: string | null };
  status: CampaignUnitStatus;
  definition: CampaignDefinition;
  phases: CampaignPhaseSummary[];
  /** the units directly below: all of them, or a page of them when groups hold them (`grouped`) */
  children: { unitId: string; name: string; phases: Record<string, CampaignChildPhase> }[];
  /** a grouped unit's units below: which page `children` is, of how many */
  grouped?: Omit<GroupedUnitsPage, 'rows'>;
  /** the whole cycle's workbook: its secretariat only */
  canDownloadWorkbook: boolean;
  /** the staff member may remind the units listed below (their supervisor or the secretariat) */
  canRemind: boolean;
  /** the plan's timeline: a rehearsal's says when each calendar deadline really falls */
  timeline: Timeline;
  /** the overdue units of the focus's whole subtree (bounded: ./campaign-overdue.ts) */
  overdue: CampaignOverdue;
}

/** Each phase of the definition with its counts and each figure's target, achieved and % from a node's aggregate. */
export function phaseSummaries(aggregate: CampaignAggregate, definition: CampaignDefinition): CampaignPhaseSummary[] {
  return definition.phases.map((p) => {
    const phase = aggregate.phases[p.key]!;
    const form = formOf(definition, p.form)!;
    const figures = form.figures.map((figure) => {
      const a = phase.figures[figure.key] ?? { value: null, reporting: 0, target: null };
      return { figure, value: a.value, reporting: a.reporting, target: a.target, percent: percentAchieved(a.target, a.value) };
    });
    return { key: p.key, name: p.name, aggregate: phase, figures };
  });
}

/** The node's cycle page: the staff member's own top unit unless another visible one is asked for; `page` of a grouped unit's units. */
export function campaignCycleOverview(deps: WebDeps, staff: Staff, access: CycleAccess, unitId?: string, page = 0): Promise<CampaignCycleOverview> {
  const focusId = unitId ?? topUnits(access.tree, staff)[0]!;
  requireVisible(access, staff, focusId);
  return reading(deps, async () => {
    const [status, timeline] = await Promise.all([campaignUnitStatus(deps.client, access.cycleId, focusId), timelineOf(deps, access.cycleId)]);
    const { definition } = await getCampaignVersion(deps.db, status.campaignId, status.version);
    const [names, overdue, grouped] = await Promise.all([
      namesOf(deps.db, [focusId, ...status.children.map((c) => c.unitId)]),
      campaignSubtreeOverdue(deps, staff, access, status),
      (status.groups?.length ?? 0) > 0 ? campaignGroupedUnits(deps, access, status, page) : undefined,
    ]);
    const children = grouped ? grouped.rows : status.children.map((c) => ({ unitId: c.unitId, name: names.get(c.unitId)?.name ?? c.unitId, phases: c.phases }));
    return {
      cycleId: access.cycleId,
      focus: { id: focusId, name: names.get(focusId)?.name ?? focusId, parentId: access.tree.node(focusId)?.parentId ?? null },
      status,
      definition,
      phases: phaseSummaries(status.aggregate, definition),
      children,
      ...(grouped ? { grouped: { total: grouped.total, page: grouped.page, pages: grouped.pages, complete: grouped.complete } } : {}),
      canDownloadWorkbook: canSee(access.tree, staff, access.tree.rootId),
      canRemind: children.length > 0 && extenderFor(access.tree, staff, children[0]!.unitId) !== undefined,
      timeline,
      overdue,
    };
  });
}

export interface CampaignUnitDetail {
  cycleId: string;
  unit: { id: string; name: string; parentId: string | null; hasUnitsBelow: boolean };
  status: CampaignUnitStatus;
  definition: CampaignDefinition;
  /** each phase with the unit's own figures and the files every version carried (oldest first) */
  phases: (CampaignPhaseSummary & { view: CampaignPhaseView; figuresOf: Figure[]; targetFigures: Figure[]; files: VersionFiles[] })[];
  /** on whose behalf this staff member reviews / extends, if they may */
  reviewerUnitId?: string;
  extenderUnitId?: string;
  timeline: Timeline;
}

/** The cycle's timeline (its plan's; real while the cycle is still starting or cannot be asked). */
const timelineOf = (deps: WebDeps, cycleId: string): Promise<Timeline> =>
  campaignCyclePlan(deps.client, cycleId).then(
    (plan) => plan?.timeline ?? REAL,
    () => REAL,
  );
const REAL: Timeline = { kind: 'real' };

export function campaignUnitDetail(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string): Promise<CampaignUnitDetail> {
  requireVisible(access, staff, unitId);
  return reading(deps, async () => {
    const [status, unit, timeline] = await Promise.all([campaignUnitStatus(deps.client, access.cycleId, unitId), getUnit(deps.db, unitId), timelineOf(deps, access.cycleId)]);
    const { definition } = await getCampaignVersion(deps.db, status.campaignId, status.version);
    const summaries = phaseSummaries(status.aggregate, definition);
    const files = await Promise.all(status.phases.map((p) => filesByVersion(deps.db, { cycleId: access.cycleId, unitId, phase: p.key })));
    const node = access.tree.node(unitId)!;
    return {
      cycleId: access.cycleId,
      unit: { id: unitId, name: unit?.name ?? unitId, parentId: node.parentId, hasUnitsBelow: node.childCount > 0 },
      status,
      definition,
      phases: status.phases.map((view, i) => {
        const form = formOf(definition, view.form)!;
        return { ...summaries[i]!, view, figuresOf: form.figures, targetFigures: targetFiguresOf(definition, form), files: files[i]! };
      }),
      reviewerUnitId: reviewerFor(access.tree, staff, unitId),
      extenderUnitId: extenderFor(access.tree, staff, unitId),
      timeline,
    };
  });
}

export async function reviewCampaignUnit(
  deps: WebDeps,
  staff: Staff,
  access: CycleAccess,
  unitId: string,
  input: { phase: string; version: number; decision: 'accept' | 'return'; comment: string },
  channel: 'web' | 'api' = 'web',
) {
  requireVisible(access, staff, unitId);
  await refuseArchived(access);
  const reviewerUnitId = reviewerFor(access.tree, staff, unitId);
  if (!reviewerUnitId) throw new WebForbiddenError(`only the unit directly above ${unitId} reviews it / chỉ cấp trên trực tiếp duyệt báo cáo của đơn vị này`);
  return campaignReview(deps.client, access.cycleId, unitId, { ...input, reviewerUnitId, channel }, { timeoutMs: deps.config.updateTimeoutMs });
}

export async function extendCampaignUnit(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string, input: { phase: string; until: string; reason: string }, channel: 'web' | 'api' = 'web') {
  requireVisible(access, staff, unitId);
  await refuseArchived(access);
  const byUnitId = extenderFor(access.tree, staff, unitId);
  if (!byUnitId) throw new WebForbiddenError(`only the supervisor of ${unitId} or the secretariat extends its deadlines / chỉ cấp trên trực tiếp hoặc văn phòng gia hạn được cho đơn vị này`);
  return campaignExtend(deps.client, access.cycleId, unitId, { ...input, byUnitId, channel }, { timeoutMs: deps.config.updateTimeoutMs });
}

/**
 * "Remind now" of a campaign phase (the built-in's remindUnit, ./supervision.ts): the unit's workflow queues a
 * reminder (an overdue notice past the deadline) and audits who asked. Its supervisor or the secretariat may do it.
 */
export async function remindCampaignUnit(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string, phase: string | undefined, channel: 'web' | 'api'): Promise<CampaignRemindReceipt> {
  requireVisible(access, staff, unitId);
  const byUnitId = extenderFor(access.tree, staff, unitId);
  if (!byUnitId) throw new WebForbiddenError(`only the supervisor of ${unitId} or the secretariat reminds it / chỉ cấp trên trực tiếp hoặc văn phòng nhắc được đơn vị này`);
  await refuseArchived(access);
  return campaignRemind(deps.client, access.cycleId, unitId, { byUnitId, channel, requestedBy: staff.email, ...(phase ? { phase } : {}) }, { timeoutMs: deps.config.updateTimeoutMs });
}

/**
 * A new link for a unit of a campaign cycle (ops/supervision.ts `reissueLink` checked the rights and hands a `~`
 * cycle here): the task email lists every phase's deadline for the unit, the link works until the cycle closes.
 */
export async function reissueCampaignLink(deps: WebDeps, access: CycleAccess, unitId: string, by: string, channel: 'web' | 'api'): Promise<{ revoked: number }> {
  const { cycleId } = access;
  const [status, plan] = await reading(deps, () => Promise.all([campaignUnitStatus(deps.client, cycleId, unitId), campaignCyclePlan(deps.client, cycleId)]));
  if (!plan) throw new CycleRequestError(`The cycle ${cycleId} is still starting / Chu kỳ đang khởi tạo.`);
  if (status.closed) throw new CycleRequestError(`The cycle ${cycleId} is closed / Chu kỳ đã đóng.`);
  const phases = status.phases.map((p) => ({ key: p.key, dueAt: p.deadlines.dueAt }));
  const { revoked } = await reissueCampaignUnitLink(deps, { cycleId, unitId, campaignId: status.campaignId, version: status.version, phases, closesAt: plan.closesAt, by, channel, at: status.asOf });
  return { revoked };
}

/** The names of the phases of the version a campaign cycle froze, by key (a bulk job's page names them). */
export async function campaignPhaseNames(deps: WebDeps, cycleId: string): Promise<Record<string, { vi: string; en: string }>> {
  const status = await reading(deps, () => campaignUnitStatus(deps.client, cycleId, parseCycleId(cycleId)!.rootId));
  const { definition } = await getCampaignVersion(deps.db, status.campaignId, status.version);
  return Object.fromEntries(definition.phases.map((p) => [p.key, p.name]));
}

/** The (unit, phase) pairs overdue in a node's subtree that this staff member may remind: "remind every overdue unit". */
export function campaignOverdueItems(o: CampaignCycleOverview): { unitId: string; phase: string }[] {
  return o.overdue.rows.filter((r) => r.canRemind).map((r) => ({ unitId: r.unitId, phase: r.phase }));
}

/** The campaign version a cycle froze: the archive's once it has closed (its workflows may be gone), else the root's status. */
async function versionOf(deps: WebDeps, access: CycleAccess): Promise<{ id: string; version: number }> {
  const archived = await archivedCampaignCycle(deps.db, access.cycleId);
  if (archived) return { id: archived.campaignId, version: archived.version };
  const status = await reading(deps, () => campaignUnitStatus(deps.client, access.cycleId, access.tree.rootId));
  return { id: status.campaignId, version: status.version };
}

/**
 * Every unit's figures, a sheet per phase (XLSX), from the archive: the whole cycle, so for its secretariat. The
 * workbook is streamed as it is written (activities/documents/campaign-workbook-rows.ts reads 500 units at a
 * time and waits for a slow reader), so memory stays flat with the number of units; what can be refused (the
 * cycle, its version) is checked before the first byte.
 */
export async function campaignWorkbook(deps: WebDeps, staff: Staff, access: CycleAccess): Promise<Download> {
  const { tree, cycleId } = access;
  if (!canSee(tree, staff, tree.rootId)) throw new WebForbiddenError('the figures of every unit of a cycle are for its secretariat / số liệu của mọi đơn vị chỉ dành cho văn phòng cấp phát động');
  const campaign = await versionOf(deps, access);
  const { definition } = await getCampaignVersion(deps.db, campaign.id, campaign.version);
  const root = await getUnit(deps.db, tree.rootId);
  const out = new PassThrough();
  // a failure after the headers went out can only cut the download short (the reader's unzip then refuses it)
  writeArchivedCampaignWorkbook(deps.db, out, { cycleId, campaign, definition }).catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return {
    filename: `Số liệu – ${root?.name ?? tree.rootId} – ${cycleId}.xlsx`,
    asciiFilename: `so-lieu-${cycleId.replace(/~/g, '-')}.xlsx`,
    contentType: XLSX_CONTENT_TYPE,
    bytes: out,
  };
}

/** A phase's report of a unit (its own) or of a level (with the units below), DOCX, from the archive. */
export async function campaignReportDocx(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string, phase: string): Promise<Download> {
  requireVisible(access, staff, unitId);
  const campaign = await versionOf(deps, access);
  const { definition } = await getCampaignVersion(deps.db, campaign.id, campaign.version);
  const p = definition.phases.find((x) => x.key === phase);
  if (!p) throw new WebNotFoundError(`the campaign has no phase "${phase}" / đợt báo cáo không có giai đoạn này`);
  const scope = access.tree.children(unitId).length > 0 ? 'level' : 'unit';
  const doc = await buildCampaignReportDocument(deps.db, { cycleId: access.cycleId, unitId, phase, campaign, scope }, definition);
  const unit = await getUnit(deps.db, unitId);
  return {
    filename: `${p.name.vi} – ${unit?.name ?? unitId} – ${access.cycleId}.docx`,
    asciiFilename: doc.filename,
    contentType: doc.contentType,
    bytes: Buffer.from(doc.contentBase64, 'base64'),
  };
}
