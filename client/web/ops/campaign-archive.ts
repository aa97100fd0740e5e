// A closed cycle of a campaign, read from the archive alone (its workflows have closed, or Temporal's retention
// deleted them): a node's final aggregate per phase and figure (target, achieved, % where the plan set targets),
// where each unit below stands in each phase, and a unit's own submissions; read-only. The downloads (the
// cycle's workbook, a unit's or level's report of a phase) are the live cycle's routes: they read the archive.
import { archivedCampaignAggregate, archivedCampaignCycle, archivedCampaignDeadlines, type ArchivedCampaignCycle, type ArchivedPhaseDeadline } from '../../../activities/archive/campaign-cycles';
import { getCampaignVersion } from '../../../activities/campaigns/repository';
import { archivedPhaseRows, type ArchivedPhaseRow } from '../../../activities/documents/campaign-workbook-rows';
import { formOf, targetFiguresOf, type CampaignDefinition } from '../../../domain/campaign';
import type { Figure } from '../../../domain/campaign-form';
import { workbookPhases } from '../../../domain/campaign-workbook';
import type { CampaignAggregate } from '../../../workflows/campaign-state';
import { WebNotFoundError } from '../errors';
import { canSee, topUnits, type Staff } from '../staff';
import { phaseSummaries, type CampaignPhaseSummary } from './campaign-cycle';
import { namesOf, type WebDeps } from './deps';
import { ARCHIVE_NOTE, requireVisible, type CycleAccess } from './scope';

/** Where a unit stands in a phase, as the archive has it (a row of the workbook). */
export type ArchivedStanding = Pick<ArchivedPhaseRow, 'standing' | 'review' | 'version' | 'submittedAt' | 'values' | 'targets'> & {
  /** the targets the unit's latest submission of a plan phase set (null for a phase that sets none) */
  setTargets: Record<string, number> | null;
  /** its deadline (due, extended) and the comments its returned versions came back with */
  deadline: ArchivedPhaseDeadline;
};

/** The numbers of a submission's `targets` object (a plan phase's content), or null. */
function targetsSet(content: Record<string, unknown> | null): Record<string, number> | null {
  const t = content?.targets;
  if (!t || typeof t !== 'object') return null;
  return Object.fromEntries(Object.entries(t as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1])));
}

export interface ArchivedCampaignInfo extends ArchivedCampaignCycle {
  definition: CampaignDefinition;
  rootName: string;
}

export interface ArchivedCampaignOverview {
  source: 'archive';
  note: string;
  cycleId: string;
  cycle: ArchivedCampaignInfo;
  focus: { id: string; name: string; parentId: string | null };
  /** the focus's final aggregate, null when it archived none (a cycle ended early) */
  final: boolean;
  phases: CampaignPhaseSummary[] | null;
  /** the focus's own standing per phase (its deadlines) */
  own: Record<string, ArchivedStanding>;
  /** the units directly below, each phase's standing */
  children: { unitId: string; name: string; hasUnitsBelow: boolean; phases: Record<string, ArchivedStanding> }[];
  canDownloadWorkbook: boolean;
}

export interface ArchivedCampaignUnitDetail {
  source: 'archive';
  note: string;
  cycleId: string;
  cycle: ArchivedCampaignInfo;
  unit: { id: string; name: string; parentId: string | null; hasUnitsBelow: boolean };
  phases: {
    key: string;
    name: { vi: string; en: string };
    own: ArchivedStanding;
    figuresOf: Figure[];
    /** the figures a plan phase sets targets for (empty for other phases) */
    targetFigures: Figure[];
    /** of the unit's subtree, from its final aggregate: for a unit with units below */
    summary: CampaignPhaseSummary | null;
  }[];
}

/** The archive's record of the cycle, with its frozen definition; a clear 404 when the archive has none. */
export async function archivedCampaignInfo(deps: WebDeps, cycleId: string): Promise<ArchivedCampaignInfo> {
  const cycle = await archivedCampaignCycle(deps.db, cycleId);
  if (!cycle)
    throw new WebNotFoundError(
      `The archive holds no aggregate of ${cycleId}: the cycle ended before any unit archived its figures / Kho lưu trữ không có số liệu tổng hợp nào của chu kỳ này.`,
    );
  const [{ definition }, names] = await Promise.all([getCampaignVersion(deps.db, cycle.campaignId, cycle.version), namesOf(deps.db, [cycle.rootUnitId])]);
  return { ...cycle, definition, rootName: names.get(cycle.rootUnitId)?.name ?? cycle.rootUnitId };
}

/** Each unit's standing per phase, from the archived submissions and audit log (a query per phase, 500 ids each). */
async function standings(deps: WebDeps, access: CycleAccess, unitIds: readonly string[], definition: CampaignDefinition): Promise<Map<string, Record<string, ArchivedStanding>>> {
  const { cycleId, tree } = access;
  const out = new Map<string, Record<string, ArchivedStanding>>(unitIds.map((id) => [id, {}]));
  if (unitIds.length === 0) return out;
  const units = unitIds.map((unitId) => ({ unitId, depth: tree.node(unitId)!.depth }));
  const deadlines = await archivedCampaignDeadlines(deps.db, cycleId, units, definition.phases.map((p) => p.key));
  for (const phase of workbookPhases(definition))
    for await (const r of archivedPhaseRows(deps.db, { cycleId, unitId: unitIds[0]!, phase, unitIds })) {
      const { standing, review, version, submittedAt, values, targets } = r;
      out.get(r.unitId)![phase.key] = { standing, review, version, submittedAt, values, targets, setTargets: targetsSet(r.content), deadline: deadlines.get(r.unitId)![phase.key]! };
    }
  return out;
}

const summariesOf = (aggregate: CampaignAggregate | undefined, definition: CampaignDefinition) => (aggregate ? phaseSummaries(aggregate, definition) : null);

export async function loadArchivedCampaignOverview(deps: WebDeps, staff: Staff, access: CycleAccess, unitId?: string): Promise<ArchivedCampaignOverview> {
  const { tree, cycleId } = access;
  const focusId = unitId ?? topUnits(tree, staff)[0]!;
  requireVisible(access, staff, focusId);
  const cycle = await archivedCampaignInfo(deps, cycleId);
  const childIds = tree.children(focusId);
  const [archived, names, byUnit] = await Promise.all([
    archivedCampaignAggregate(deps.db, cycleId, focusId),
    namesOf(deps.db, [focusId, ...childIds]),
    standings(deps, access, [focusId, ...childIds], cycle.definition),
  ]);
  return {
    source: 'archive',
    note: ARCHIVE_NOTE,
    cycleId,
    cycle,
    focus: { id: focusId, name: names.get(focusId)?.name ?? focusId, parentId: tree.node(focusId)?.parentId ?? null },
    final: archived?.final ?? false,
    phases: summariesOf(archived?.aggregate, cycle.definition),
    own: byUnit.get(focusId)!,
    children: childIds.map((id) => ({ unitId: id, name: names.get(id)?.name ?? id, hasUnitsBelow: tree.node(id)!.childCount > 0, phases: byUnit.get(id)! })),
    canDownloadWorkbook: canSee(tree, staff, tree.rootId),
  };
}

export async function loadArchivedCampaignUnit(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string): Promise<ArchivedCampaignUnitDetail> {
  requireVisible(access, staff, unitId);
  const { tree, cycleId } = access;
  const cycle = await archivedCampaignInfo(deps, cycleId);
  const node = tree.node(unitId)!;
  const hasUnitsBelow = node.childCount > 0;
  const [names, own, archived] = await Promise.all([
    namesOf(deps.db, [unitId]),
    standings(deps, access, [unitId], cycle.definition),
    hasUnitsBelow ? archivedCampaignAggregate(deps.db, cycleId, unitId) : Promise.resolve(undefined),
  ]);
  const summaries = summariesOf(archived?.aggregate, cycle.definition);
  const def = cycle.definition;
  return {
    source: 'archive',
    note: ARCHIVE_NOTE,
    cycleId,
    cycle,
    unit: { id: unitId, name: names.get(unitId)?.name ?? unitId, parentId: node.parentId, hasUnitsBelow },
    phases: def.phases.map((p, i) => {
      const form = formOf(def, p.form)!;
      return { key: p.key, name: p.name, own: own.get(unitId)![p.key]!, figuresOf: form.figures, targetFigures: targetFiguresOf(def, form), summary: summaries?.[i] ?? null };
    }),
  };
}
