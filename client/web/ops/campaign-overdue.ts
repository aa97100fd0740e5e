// The overdue units of a node's whole subtree in a cycle of a campaign, for its supervisor's page and "remind
// every overdue unit" (the built-in's ops/supervision.ts lists deeper units too). A node's status names where each
// unit directly below stands; its aggregate counts the overdue ones of its whole subtree per phase. The walk goes
// down only where those counts say more are overdue than the node and its direct units, and stops after
// MAX_STATUS_QUERIES nodes or MAX_JOB_ITEMS rows (then `complete` is false): bounded whatever the tree.
import type { CampaignUnitStatus } from '../../../workflows/campaign-messages';
import type { PhasedDeadlinePlan } from '../../../domain/calendar';
import { campaignCyclePlan, campaignUnitStatus } from '../../campaign-cycles';
import { extenderFor, type Staff } from '../staff';
import { MAX_JOB_ITEMS } from './bulk';
import { mapLimit, namesOf, PAGE_SIZE, QUERY_CONCURRENCY, type WebDeps } from './deps';
import type { CycleAccess } from './scope';

/** Nodes below the focus whose status is asked for at most, per page. */
export const MAX_STATUS_QUERIES = PAGE_SIZE;

export interface CampaignOverdueRow {
  unitId: string;
  name: string;
  /** the unit directly above it (its supervisor) */
  parentId: string;
  parentName: string;
  phase: string;
  /** its due date: an extension's, else its level's */
  dueDate: string | null;
  remindersSent: number;
  /** this staff member may remind it (its supervisor, or the secretariat) */
  canRemind: boolean;
}

export interface CampaignOverdue {
  rows: CampaignOverdueRow[];
  /** false: the walk stopped at its bounds, more may be overdue further down */
  complete: boolean;
}

type Found = Omit<CampaignOverdueRow, 'name' | 'parentName' | 'canRemind'>;

/** The units directly below `s` overdue in an open phase, and whether its subtree holds more further down. */
function belowOf(s: CampaignUnitStatus, plan: PhasedDeadlinePlan | null): { found: Found[]; deeper: boolean } {
  const found: Found[] = [];
  let deeper = false;
  for (const p of s.phases) {
    // the counts take in overdue returned versions too (which no reminder is for): so does the comparison
    let direct = 0;
    for (const c of s.children) {
      const cp = c.phases[p.key];
      if (cp?.overdue) direct++;
      if (cp?.progress !== 'open' || !cp.overdue) continue;
      const level = plan?.levels[Math.min(s.depth + 1, plan.levels.length - 1)];
      found.push({ unitId: c.unitId, parentId: s.unitId, phase: p.key, dueDate: cp.extendedDueDate ?? level?.phases[p.key]?.dueDate ?? null, remindersSent: cp.remindersSent });
    }
    const own = p.overdue ? 1 : 0;
    if ((s.aggregate.phases[p.key]?.overdue.total ?? 0) > own + direct) deeper = true;
  }
  return { found, deeper };
}

/** Every overdue unit below the focus (its status given), nearest levels first, bounded. */
export async function campaignSubtreeOverdue(deps: WebDeps, staff: Staff, access: CycleAccess, focus: CampaignUnitStatus): Promise<CampaignOverdue> {
  const { tree, cycleId } = access;
  const plan = await campaignCyclePlan(deps.client, cycleId).catch(() => null);
  const found: Found[] = [];
  let complete = true;
  let asked = 0;
  let level: CampaignUnitStatus[] = [focus];
  while (level.length > 0) {
    const next: string[] = [];
    for (const s of level) {
      const below = belowOf(s, plan);
      found.push(...below.found);
      if (below.deeper) next.push(...s.children.map((c) => c.unitId).filter((id) => (tree.node(id)?.childCount ?? 0) > 0));
    }
    if (found.length >= MAX_JOB_ITEMS) {
      complete = found.length === MAX_JOB_ITEMS && next.length === 0;
      found.length = MAX_JOB_ITEMS;
      break;
    }
    const room = MAX_STATUS_QUERIES - asked;
    if (next.length > room) complete = false;
    const batch = next.slice(0, Math.max(0, room));
    asked += batch.length;
    const statuses = await mapLimit(batch, QUERY_CONCURRENCY, (id) => campaignUnitStatus(deps.client, cycleId, id).catch(() => undefined));
    level = statuses.filter((s): s is CampaignUnitStatus => s !== undefined);
  }
  const order = new Map(focus.phases.map((p, i) => [p.key, i]));
  const at = (id: string) => tree.node(id)!;
  found.sort((a, b) => at(a.unitId).depth - at(b.unitId).depth || at(a.unitId).position - at(b.unitId).position || a.unitId.localeCompare(b.unitId) || order.get(a.phase)! - order.get(b.phase)!);
  const names = await namesOf(deps.db, [...new Set(found.flatMap((f) => [f.unitId, f.parentId]))]);
  const name = (id: string) => names.get(id)?.name ?? id;
  return {
    complete,
    rows: found.map((f) => ({ ...f, name: name(f.unitId), parentName: name(f.parentId), canRemind: extenderFor(tree, staff, f.unitId) !== undefined })),
  };
}
