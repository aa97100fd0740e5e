// A cycle of a campaign as the archive alone remembers it, for the web archive once its workflows have closed or
// Temporal's retention has deleted them: the frozen tree's header, the campaign version the cycle ran (every
// archived campaign aggregate names it), when it closed (the root's final aggregate's instant) and each node's
// final aggregate. The built-in readers (aggregates.ts, status.ts) never read these rows: their cycle ids hold
// a `~` (workflows/ids.ts) and their aggregates are of another shape (activities/campaigns/aggregates.ts).
import type { CampaignAggregate } from '../../workflows/campaign-state';
import { CAMPAIGN_SEPARATOR, parseCycleId } from '../../workflows/ids';
import { campaignAggregateSchema } from '../campaigns/aggregates';
import type { Db } from '../db/database';
import { UnknownCycleError } from './errors';
import { cycleHeader, type CycleHeader } from './status';

export interface ArchivedCampaignCycle extends CycleHeader {
  campaignId: string;
  /** the campaign version the cycle froze */
  version: number;
  year: number;
  /** the root's final aggregate was archived: the cycle is over */
  closed: boolean;
  /** calendar instant of the root's final aggregate, or null while it is not archived */
  closedAt: string | null;
}

/** Rows of the `aggregates` table that parse as a campaign aggregate of `cycleId`, newest first. */
async function campaignRows(db: Db, cycleId: string, unitId?: string, limit?: number): Promise<{ final: boolean; aggregate: CampaignAggregate }[]> {
  let q = db.selectFrom('aggregates').select(['final', 'aggregate_json']).where('cycle_id', '=', cycleId);
  if (unitId !== undefined) q = q.where('unit_id', '=', unitId);
  q = q.orderBy('final', 'desc').orderBy('as_of', 'desc').orderBy('recorded_at', 'desc');
  if (limit !== undefined) q = q.limit(limit);
  const out: { final: boolean; aggregate: CampaignAggregate }[] = [];
  for (const row of await q.execute()) {
    const parsed = campaignAggregateSchema.safeParse(JSON.parse(row.aggregate_json));
    if (parsed.success) out.push({ final: Number(row.final) === 1, aggregate: parsed.data });
  }
  return out;
}

/**
 * What the archive holds of a campaign cycle, or undefined when it is not one, its tree was never frozen here,
 * or no aggregate of it was archived (then only its workflows know its version).
 */
export async function archivedCampaignCycle(db: Db, cycleId: string): Promise<ArchivedCampaignCycle | undefined> {
  const parsed = parseCycleId(cycleId);
  if (!parsed || !cycleId.includes(CAMPAIGN_SEPARATOR)) return undefined;
  let header: CycleHeader;
  try {
    header = await cycleHeader(db, cycleId);
  } catch (err) {
    if (err instanceof UnknownCycleError) return undefined;
    throw err;
  }
  const [root] = await campaignRows(db, cycleId, header.rootUnitId, 1);
  // a cycle ended early (terminated) may have archived some nodes and not its root
  const any = root ?? (await campaignRows(db, cycleId, undefined, 1))[0];
  if (!any) return undefined;
  const closed = root?.final === true;
  return {
    ...header,
    campaignId: any.aggregate.campaignId,
    version: any.aggregate.version,
    year: parsed.year,
    closed,
    closedAt: closed ? root.aggregate.asOf : null,
  };
}

/** A node's final aggregate (else its newest archived one), or undefined when it archived none. */
export async function archivedCampaignAggregate(db: Db, cycleId: string, unitId: string): Promise<{ final: boolean; aggregate: CampaignAggregate } | undefined> {
  return (await campaignRows(db, cycleId, unitId, 1))[0];
}
