// The overdue units of a node's whole subtree in a cycle of a campaign, for its supervisor's page, the API's
// /supervise and "remind every overdue unit" (the built-in's ops/supervision.ts lists deeper units too): the walk
// of campaign-overdue-walk.ts over the live workflows — the units held in a grouped unit's groups and everything
// below them included —, then each row's names and whether this staff member may remind it. Bounded whatever the
// tree: at most MAX_OVERDUE_QUERIES queries and MAX_JOB_ITEMS rows per view (then `complete` is false, `cutShort`
// says why).
import type { CampaignUnitStatus } from '../../../workflows/campaign-messages';
import { campaignCyclePlan, campaignGroupUnits, campaignUnitStatus } from '../../campaign-cycles';
import { extenderFor, type Staff } from '../staff';
import { MAX_JOB_ITEMS } from './bulk';
import { walkCampaignOverdue, type CutShort, type OverdueFound } from './campaign-overdue-walk';
import { namesOf, PAGE_SIZE, type WebDeps } from './deps';
import type { CycleAccess } from './scope';

/** Status and group queries one view makes at most, below the focus. */
export const MAX_OVERDUE_QUERIES = PAGE_SIZE;

export interface CampaignOverdueRow extends OverdueFound {
  name: string;
  parentName: string;
  /** this staff member may remind it (its supervisor, or the secretariat) */
  canRemind: boolean;
}

export interface CampaignOverdue {
  rows: CampaignOverdueRow[];
  /** false: the list was cut short, more units may be overdue */
  complete: boolean;
  /** why, when not complete: the view's bounds ('bound'), or a workflow that did not answer ('unanswered') */
  cutShort?: CutShort;
}

/** Every overdue unit below the focus (its status given), nearest levels first, bounded. */
export async function campaignSubtreeOverdue(deps: WebDeps, staff: Staff, access: CycleAccess, focus: CampaignUnitStatus): Promise<CampaignOverdue> {
  const { tree, cycleId } = access;
  const plan = await campaignCyclePlan(deps.client, cycleId).catch(() => null);
  const walk = await walkCampaignOverdue(
    focus,
    tree,
    plan,
    {
      status: (id) => campaignUnitStatus(deps.client, cycleId, id).catch(() => undefined),
      group: (id, range) => campaignGroupUnits(deps.client, cycleId, id, range).catch(() => undefined),
    },
    { queries: MAX_OVERDUE_QUERIES, rows: MAX_JOB_ITEMS },
  );
  const { found } = walk;
  const order = new Map(focus.phases.map((p, i) => [p.key, i]));
  const at = (id: string) => tree.node(id)!;
  found.sort((a, b) => at(a.unitId).depth - at(b.unitId).depth || at(a.unitId).position - at(b.unitId).position || a.unitId.localeCompare(b.unitId) || order.get(a.phase)! - order.get(b.phase)!);
  const names = await namesOf(deps.db, [...new Set(found.flatMap((f) => [f.unitId, f.parentId]))]);
  const name = (id: string) => names.get(id)?.name ?? id;
  return {
    complete: walk.complete,
    ...(walk.cutShort ? { cutShort: walk.cutShort } : {}),
    rows: found.map((f) => ({ ...f, name: name(f.unitId), parentName: name(f.parentId), canRemind: extenderFor(tree, staff, f.unitId) !== undefined })),
  };
}
