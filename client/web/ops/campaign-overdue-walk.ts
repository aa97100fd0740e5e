// The walk behind the overdue table of a campaign subtree (campaign-overdue.ts gives it names and rights). A node's
// status names where each unit directly below stands — or, for a grouped unit (workflows/campaign-group.ts), only
// its groups' ranges, whose campaignGroupUnitsQuery names those units; its aggregate counts the overdue ones of its
// whole subtree per phase. The walk goes level by level, asks a grouped unit's groups only when that count says
// something below it is overdue, and goes down only where the counts say more are overdue than the node and its
// direct units. Status and group queries share one budget (`bounds.queries`), spent in the tree's order so the
// same state always lists the same rows; past it, or past `bounds.rows`, the list is cut short and says why.
import type { PhasedDeadlinePlan } from '../../../domain/calendar';
import type { CampaignChildPhase, CampaignGroupUnits, CampaignUnitStatus } from '../../../workflows/campaign-messages';
import { mapLimit, QUERY_CONCURRENCY } from './deps';

interface Range {
  offset: number;
  count: number;
}

/** Where the walk reads the workflows: undefined when one does not answer (still starting, gone). */
export interface OverdueSources {
  status(unitId: string): Promise<CampaignUnitStatus | undefined>;
  group(unitId: string, range: Range): Promise<CampaignGroupUnits | undefined>;
}

export interface OverdueBounds {
  /** status and group queries, together, per walk */
  queries: number;
  rows: number;
}

/** An overdue (unit, open phase) found below the focus. */
export interface OverdueFound {
  unitId: string;
  /** the unit directly above it (its supervisor: a group is not a unit) */
  parentId: string;
  phase: string;
  /** its due date: an extension's, else its level's */
  dueDate: string | null;
  remindersSent: number;
}

/** Why a walk's list may miss overdue units: it reached a bound, or a workflow did not answer. */
export type CutShort = 'bound' | 'unanswered';

export interface OverdueWalk {
  found: OverdueFound[];
  complete: boolean;
  /** set when `complete` is false; 'bound' wins when both happened (the fix is the same: open the units) */
  cutShort?: CutShort;
  /** queries made */
  queries: number;
}

type Unit = { unitId: string; phases: Record<string, CampaignChildPhase> };

/** Something below `s` is overdue: its subtree's counts pass its own marks. */
const overdueBelow = (s: CampaignUnitStatus) => s.phases.some((p) => (s.aggregate.phases[p.key]?.overdue.total ?? 0) > (p.overdue ? 1 : 0));

/** The units directly below `s` overdue in an open phase, and whether its subtree holds more further down. */
function belowOf(s: CampaignUnitStatus, units: readonly Unit[], plan: PhasedDeadlinePlan | null): { found: OverdueFound[]; deeper: boolean } {
  const found: OverdueFound[] = [];
  let deeper = false;
  const level = plan?.levels[Math.min(s.depth + 1, plan.levels.length - 1)];
  for (const p of s.phases) {
    // the counts take in overdue returned versions too (which no reminder is for): so does the comparison
    let direct = 0;
    for (const c of units) {
      const cp = c.phases[p.key];
      if (cp?.overdue) direct++;
      if (cp?.progress !== 'open' || !cp.overdue) continue;
      found.push({ unitId: c.unitId, parentId: s.unitId, phase: p.key, dueDate: cp.extendedDueDate ?? level?.phases[p.key]?.dueDate ?? null, remindersSent: cp.remindersSent });
    }
    const own = p.overdue ? 1 : 0;
    if ((s.aggregate.phases[p.key]?.overdue.total ?? 0) > own + direct) deeper = true;
  }
  return { found, deeper };
}

/** Every overdue unit below `focus` (its status given), level by level, within `bounds`. */
export async function walkCampaignOverdue(
  focus: CampaignUnitStatus,
  tree: { node(id: string): { childCount: number; position: number } | undefined },
  plan: PhasedDeadlinePlan | null,
  sources: OverdueSources,
  bounds: OverdueBounds,
): Promise<OverdueWalk> {
  const found: OverdueFound[] = [];
  let queries = 0;
  let bound = false;
  let unanswered = false;
  /** the first `items` the budget still allows, in order (noting when it cuts some off) */
  const take = <T>(items: readonly T[]): T[] => {
    const room = Math.max(0, bounds.queries - queries);
    if (items.length > room) bound = true;
    const batch = items.slice(0, room);
    queries += batch.length;
    return batch;
  };
  const position = (id: string) => tree.node(id)?.position ?? Number.MAX_SAFE_INTEGER;

  /** The units directly below each status of `level`: its children, or what its groups hold (asked round by round). */
  async function unitsBelow(level: readonly CampaignUnitStatus[]): Promise<Unit[][]> {
    const held: Unit[][] = level.map((s) => (s.groups?.length ? [] : s.children));
    let pending = level.flatMap((s, i) => (s.groups?.length && overdueBelow(s) ? s.groups.map((range) => ({ i, range })) : []));
    while (pending.length > 0) {
      const batch = take(pending);
      const answers = await mapLimit(batch, QUERY_CONCURRENCY, (q) => sources.group(level[q.i]!.unitId, q.range));
      pending = [];
      batch.forEach((q, k) => {
        const answer = answers[k];
        if (!answer) unanswered = true;
        else if (answer.groups.length > 0) pending.push(...answer.groups.map((range) => ({ i: q.i, range })));
        else held[q.i]!.push(...answer.units);
      });
    }
    // a group lists its entries in the order they arrived: the tree's order keeps the rows (and the walk) stable
    for (const units of held) units.sort((a, b) => position(a.unitId) - position(b.unitId) || a.unitId.localeCompare(b.unitId));
    return held;
  }

  let level: CampaignUnitStatus[] = [focus];
  while (level.length > 0) {
    const below = await unitsBelow(level);
    const next: string[] = [];
    level.forEach((s, i) => {
      const { found: rows, deeper } = belowOf(s, below[i]!, plan);
      found.push(...rows);
      if (deeper) next.push(...below[i]!.map((c) => c.unitId).filter((id) => (tree.node(id)?.childCount ?? 0) > 0));
    });
    if (found.length >= bounds.rows) {
      if (found.length > bounds.rows || next.length > 0) bound = true;
      found.length = bounds.rows;
      break;
    }
    const statuses = await mapLimit(take(next), QUERY_CONCURRENCY, sources.status);
    if (statuses.some((s) => s === undefined)) unanswered = true;
    level = statuses.filter((s): s is CampaignUnitStatus => s !== undefined);
  }
  const cutShort: CutShort | undefined = bound ? 'bound' : unanswered ? 'unanswered' : undefined;
  return { found, complete: cutShort === undefined, ...(cutShort ? { cutShort } : {}), queries };
}
