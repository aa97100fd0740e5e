// The units directly below a grouped unit of a campaign cycle, a page at a time, for its page's table. Such a unit's
// status lists no children: groups (workflows/campaign-group.ts) hold their entries, each a range of the unit's
// children in the frozen tree's order, and answer campaignGroupUnitsQuery. A page asks only the groups whose range
// meets it (a group of groups: then the groups below it that do), so a unit of 2,000 units costs a page of 50 a few
// queries, not one per unit.
import { campaignGroupUnits } from '../../campaign-cycles';
import type { CampaignChildPhase, CampaignUnitStatus } from '../../../workflows/campaign-messages';
import { mapLimit, namesOf, PAGE_SIZE, QUERY_CONCURRENCY, type WebDeps } from './deps';
import type { CycleAccess } from './scope';

interface Range {
  offset: number;
  count: number;
}

export interface GroupedUnitRow {
  unitId: string;
  name: string;
  phases: Record<string, CampaignChildPhase>;
}

export interface GroupedUnitsPage {
  rows: GroupedUnitRow[];
  /** the units directly below, in all */
  total: number;
  /** 0-based */
  page: number;
  pages: number;
  /** false: a group did not answer (still starting, or gone): its units are missing from the page */
  complete: boolean;
}

const meets = (r: Range, from: number, to: number) => r.offset < to && r.offset + r.count > from;

/** Page `page` (0-based, clamped) of the units below `status`'s unit, which groups hold (`status.groups`). */
export async function campaignGroupedUnits(deps: WebDeps, access: CycleAccess, status: CampaignUnitStatus, page: number): Promise<GroupedUnitsPage> {
  const groups = status.groups ?? [];
  const total = groups.reduce((n, g) => n + g.count, 0);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const at = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  const from = at * PAGE_SIZE;
  const to = Math.min(total, from + PAGE_SIZE);
  let complete = true;
  const position = (id: string) => access.tree.node(id)?.position ?? Number.MAX_SAFE_INTEGER;

  /** the units of `range` whose index among the unit's children falls on the page, in the tree's order */
  async function unitsOf(range: Range): Promise<Omit<GroupedUnitRow, 'name'>[]> {
    const held = await campaignGroupUnits(deps.client, access.cycleId, status.unitId, range).catch(() => undefined);
    if (!held) {
      complete = false;
      return [];
    }
    if (held.groups.length > 0) return (await mapLimit(held.groups.filter((g) => meets(g, from, to)), QUERY_CONCURRENCY, unitsOf)).flat();
    // a group keeps its entries in the order they arrived; the tree's order gives each its index in the range
    const units = [...held.units].sort((a, b) => position(a.unitId) - position(b.unitId) || a.unitId.localeCompare(b.unitId));
    return units.filter((_, i) => range.offset + i >= from && range.offset + i < to);
  }

  const found = (await mapLimit(groups.filter((g) => meets(g, from, to)), QUERY_CONCURRENCY, unitsOf)).flat();
  const names = await namesOf(deps.db, found.map((u) => u.unitId));
  return { rows: found.map((u) => ({ ...u, name: names.get(u.unitId)?.name ?? u.unitId })), total, page: at, pages, complete };
}
