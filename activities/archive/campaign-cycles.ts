// A cycle of a campaign as the archive alone remembers it, for the web archive once its workflows have closed or
// Temporal's retention has deleted them: the frozen tree's header, the campaign version the cycle ran (every
// archived campaign aggregate names it), when it closed (the root's final aggregate's instant) and each node's
// final aggregate. The built-in readers (aggregates.ts, status.ts) never read these rows: their cycle ids hold
// a `~` (workflows/ids.ts) and their aggregates are of another shape (activities/campaigns/aggregates.ts).
import type { PhasedDeadlinePlan } from '../../domain/calendar';
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

/** Keeps the deadline plan a cycle of a campaign computed at its start (the first write wins: a retry writes the same). */
export async function recordCampaignCyclePlan(db: Db, cycleId: string, plan: PhasedDeadlinePlan, at: Date): Promise<void> {
  await db
    .insertInto('campaign_cycle_plans')
    .values({ cycle_id: cycleId, plan_json: JSON.stringify(plan), recorded_at: at.toISOString() })
    .onConflict((oc) => oc.column('cycle_id').doNothing())
    .execute();
}

/** The deadline plan the cycle started with, or undefined for a cycle started before plans were archived. */
export async function archivedCampaignCyclePlan(db: Db, cycleId: string): Promise<PhasedDeadlinePlan | undefined> {
  const row = await db.selectFrom('campaign_cycle_plans').select('plan_json').where('cycle_id', '=', cycleId).executeTakeFirst();
  return row ? (JSON.parse(row.plan_json) as PhasedDeadlinePlan) : undefined;
}

/** A unit's deadline in one phase of a closed campaign cycle, and the reasons its returned versions were sent back. */
export interface ArchivedPhaseDeadline {
  /** the due instant the cycle set for the unit's level (the plan), else the first one the audit log names; null: unknown */
  dueAt: string | null;
  /** the last extension: the new due instant and its reason */
  extended: { to: string; reason: string; at: string } | null;
  /** every returned version, oldest first, with the supervisor's comment */
  returns: { version: number; comment: string; at: string }[];
}

const DEADLINE_CHUNK = 500;

/**
 * Each unit's deadline and returns per phase, from the archived plan (the unit's level) and the audit log
 * (extensions, returns; for a cycle archived without its plan, the due instant its first extension, overdue mark
 * or reminder named). `units`: id and depth in the frozen tree.
 */
export async function archivedCampaignDeadlines(
  db: Db,
  cycleId: string,
  units: readonly { unitId: string; depth: number }[],
  phaseKeys: readonly string[],
): Promise<Map<string, Record<string, ArchivedPhaseDeadline>>> {
  const plan = await archivedCampaignCyclePlan(db, cycleId);
  const out = new Map<string, Record<string, ArchivedPhaseDeadline>>();
  for (const u of units) {
    const level = plan?.levels[Math.min(u.depth, plan.levels.length - 1)];
    out.set(u.unitId, Object.fromEntries(phaseKeys.map((k) => [k, { dueAt: level?.phases[k]?.dueAt ?? null, extended: null, returns: [] }])));
  }
  const kinds = ['reminder-sent', ...phaseKeys.flatMap((k) => [`${k}-extended`, `${k}-returned`, `${k}-overdue`])];
  const ids = units.map((u) => u.unitId);
  for (let i = 0; i < ids.length; i += DEADLINE_CHUNK) {
    const rows = await db
      .selectFrom('audit_log')
      .select(['unit_id', 'kind', 'at', 'data_json'])
      .where('cycle_id', '=', cycleId)
      .where('kind', 'in', kinds)
      .where('unit_id', 'in', ids.slice(i, i + DEADLINE_CHUNK))
      .orderBy('at')
      .orderBy('event_key')
      .execute();
    // the audit's first instants name the original deadline when the plan is not archived
    const firstDue = new Map<string, string>();
    for (const r of rows) {
      const data = JSON.parse(r.data_json) as { phase?: unknown; to?: unknown; from?: unknown; reason?: unknown; version?: unknown; comment?: unknown; dueAt?: unknown };
      const phase = r.kind === 'reminder-sent' ? data.phase : r.kind.slice(0, r.kind.lastIndexOf('-'));
      const d = typeof phase === 'string' ? out.get(r.unit_id)?.[phase] : undefined;
      if (!d) continue;
      const key = `${r.unit_id}:${phase as string}`;
      const before = r.kind.endsWith('-extended') ? data.from : d.extended ? undefined : data.dueAt;
      if (typeof before === 'string' && !firstDue.has(key)) firstDue.set(key, before);
      if (r.kind.endsWith('-extended') && typeof data.to === 'string') d.extended = { to: data.to, reason: typeof data.reason === 'string' ? data.reason : '', at: r.at };
      if (r.kind.endsWith('-returned') && typeof data.version === 'number') d.returns.push({ version: data.version, comment: typeof data.comment === 'string' ? data.comment : '', at: r.at });
    }
    for (const [key, due] of firstDue) {
      const at = key.lastIndexOf(':');
      const d = out.get(key.slice(0, at))![key.slice(at + 1)]!;
      d.dueAt ??= due;
    }
  }
  return out;
}
