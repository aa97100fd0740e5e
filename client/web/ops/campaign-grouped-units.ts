// The units directly below a grouped unit of a campaign cycle, a slice at a time: for its page's table (a page of
// PAGE_SIZE) and the JSON API (`offset`, `limit`). Such a unit's status lists no children: groups
// (workflows/campaign-group.ts) hold their entries, each a range of the unit's children in the frozen tree's order,
// and answer campaignGroupUnitsQuery. A slice asks only the groups whose range meets it (a group of groups: then the
// groups below it that do), so a unit of 2,000 units costs a page of 50 a few queries, not one per unit.
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

/** A slice of a grouped unit's units below, and how many there are. */
export interface GroupedUnitsSlice {
  rows: GroupedUnitRow[];
  /** the units directly below, in all */
  total: number;
  /** false: a group did not answer (still starting, or gone): its units are missing from the slice */
  complete: boolean;
}

/**
 * Units [offset, offset + limit) of the units below `status`'s unit, in the tree's order — for the page and the
 * JSON API. Only the groups whose range meets the slice are asked, so its cost follows `limit`, not the unit's width.
 */
export async function campaignGroupedUnitsSlice(deps: WebDeps, access: CycleAccess, status: CampaignUnitStatus, offset: number, limit: number): Promise<GroupedUnitsSlice> {
  const groups = status.groups ?? [];
  const total = groups.reduce((n, g) => n + g.count, 0);
  const from = Math.max(0, offset);
  const to = Math.min(total, from + Math.max(0, limit));
  let complete = true;
  const position = (id: string) => access.tree.node(id)?.position ?? Number.MAX_SAFE_INTEGER;

  /** the units of `range` whose index among the unit's children falls in the slice, in the tree's order */
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

  const found = from < to ? (await mapLimit(groups.filter((g) => meets(g, from, to)), QUERY_CONCURRENCY, unitsOf)).flat() : [];
  const names = await namesOf(deps.db, found.map((u) => u.unitId));
  return { rows: found.map((u) => ({ ...u, name: names.get(u.unitId)?.name ?? u.unitId })), total, complete };
}

/** Page `page` (0-based, clamped) of the units below `status`'s unit, PAGE_SIZE a page: the unit's web page. */
export async function campaignGroupedUnits(deps: WebDeps, access: CycleAccess, status: CampaignUnitStatus, page: number): Promise<GroupedUnitsPage> {
  const total = (status.groups ?? []).reduce((n, g) => n + g.count, 0);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const at = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  const slice = await campaignGroupedUnitsSlice(deps, access, status, at * PAGE_SIZE, PAGE_SIZE);
  return { ...slice, page: at, pages };
}

/** The units directly below a campaign unit as the JSON API lists them: a slice, where it starts, its groups. */
export interface UnitsBelow extends GroupedUnitsSlice {
  offset: number;
  /** the limit applied */
  limit: number;
  /** the ranges its groups hold, in the tree's order; empty when it holds its units itself */
  groups: Range[];
}

/**
 * A slice of the units directly below `status`'s unit, in the tree's order, whether it holds them (its status lists
 * them: `limit` left out gives them all, as before slices) or groups do (`limit` left out: PAGE_SIZE, as its page).
 */
export async function campaignUnitsBelow(deps: WebDeps, access: CycleAccess, status: CampaignUnitStatus, slice: { offset?: number; limit?: number }): Promise<UnitsBelow> {
  const offset = slice.offset ?? 0;
  const groups = status.groups ?? [];
  if (groups.length > 0) {
    const limit = slice.limit ?? PAGE_SIZE;
    return { ...(await campaignGroupedUnitsSlice(deps, access, status, offset, limit)), offset, limit, groups };
  }
  const position = (id: string) => access.tree.node(id)?.position ?? Number.MAX_SAFE_INTEGER;
  const all = [...status.children].sort((a, b) => position(a.unitId) - position(b.unitId) || a.unitId.localeCompare(b.unitId));
  const limit = slice.limit ?? all.length;
  const picked = all.slice(offset, offset + limit);
  const names = await namesOf(deps.db, picked.map((u) => u.unitId));
  return { rows: picked.map((u) => ({ ...u, name: names.get(u.unitId)?.name ?? u.unitId })), total: all.length, complete: true, offset, limit, groups };
}
