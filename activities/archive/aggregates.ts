// The archive of aggregates: every aggregate a node computed (and sent upward) is written here, keyed, so that
// documents and status pages of a closed cycle can be built after Temporal's retention deleted its histories.
import { z } from 'zod';
import type { Aggregate } from '../../workflows/aggregate-types';
import { CAMPAIGN_SEPARATOR } from '../../workflows/ids';
import type { Db } from '../db/database';
import { aggregateSchema, mailKey } from '../mail/schemas';
import { ArchiveInputError } from './errors';

export const recordAggregateInput = z.object({
  /** deterministic per write, e.g. `${workflowId}:aggregate:${round}`: a retried activity writes once */
  key: mailKey,
  aggregate: aggregateSchema,
  /** true for the aggregate at the cycle's close */
  final: z.boolean(),
});
export type RecordAggregateInput = z.input<typeof recordAggregateInput>;

export interface ArchivedAggregate {
  key: string;
  cycleId: string;
  unitId: string;
  asOf: string;
  final: boolean;
  aggregate: Aggregate;
  /** wall-clock instant of the write */
  recordedAt: string;
}

/** One row of the `aggregates` table, built-in or campaign (the aggregate is stored as JSON). */
export interface AggregateRowValues {
  key: string;
  cycleId: string;
  unitId: string;
  asOf: string;
  final: boolean;
  aggregate: unknown;
}

/** Inserts one aggregate row; a second call with the same key writes nothing (`stored: false`). */
export async function insertAggregateRow(db: Db, row: AggregateRowValues): Promise<{ stored: boolean }> {
  const result = await db
    .insertInto('aggregates')
    .values({
      aggregate_key: row.key,
      cycle_id: row.cycleId,
      unit_id: row.unitId,
      // canonical UTC text, so that ordering by the column orders by instant whatever offset the input used
      as_of: new Date(row.asOf).toISOString(),
      final: row.final ? 1 : 0,
      aggregate_json: JSON.stringify(row.aggregate),
      recorded_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.column('aggregate_key').doNothing())
    .executeTakeFirst();
  return { stored: Number(result.numInsertedOrUpdatedRows ?? 0) > 0 };
}

/** Writes one aggregate; a second call with the same key writes nothing (`stored: false`). */
export async function recordAggregate(db: Db, input: RecordAggregateInput): Promise<{ stored: boolean }> {
  const parsed = recordAggregateInput.safeParse(input);
  if (!parsed.success) throw new ArchiveInputError('recordAggregate', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const { key, aggregate, final } = parsed.data;
  return insertAggregateRow(db, { key, cycleId: aggregate.cycleId, unitId: aggregate.unitId, asOf: aggregate.asOf, final, aggregate });
}

/** Ids per IN list: far below SQLite's 32,766 bound parameters and PostgreSQL's 65,535. */
const READ_CHUNK = 500;

type AggregateRow = { aggregate_key: string; cycle_id: string; unit_id: string; as_of: string; final: number; aggregate_json: string; recorded_at: string };

function toArchived(row: AggregateRow): ArchivedAggregate {
  const aggregate = JSON.parse(row.aggregate_json) as Aggregate;
  return {
    key: row.aggregate_key,
    cycleId: row.cycle_id,
    unitId: row.unit_id,
    asOf: aggregate.asOf,
    final: Number(row.final) === 1,
    aggregate,
    recordedAt: row.recorded_at,
  };
}

/** The aggregate recorded under `key` (what a workflow passes instead of the aggregate itself), or undefined. */
export async function aggregateByKey(db: Db, key: string): Promise<ArchivedAggregate | undefined> {
  const row = await db.selectFrom('aggregates').selectAll().where('aggregate_key', '=', key).executeTakeFirst();
  return row ? toArchived(row) : undefined;
}

/**
 * The newest aggregate of a unit in a cycle (by its instant; at the same instant the final one wins),
 * or undefined when none was recorded.
 */
export async function latestAggregate(db: Db, cycleId: string, unitId: string): Promise<ArchivedAggregate | undefined> {
  // a cycle of a campaign archives campaign aggregates (activities/campaigns/aggregates.ts), never this shape
  if (cycleId.includes(CAMPAIGN_SEPARATOR)) return undefined;
  const row = await db
    .selectFrom('aggregates')
    .selectAll()
    .where('cycle_id', '=', cycleId)
    .where('unit_id', '=', unitId)
    .orderBy('as_of', 'desc')
    .orderBy('final', 'desc')
    .orderBy('recorded_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toArchived(row) : undefined;
}

/** The newest aggregate of each of many units of a cycle (units without one are absent from the map). */
export async function latestAggregates(db: Db, cycleId: string, unitIds: readonly string[]): Promise<Map<string, ArchivedAggregate>> {
  const out = new Map<string, ArchivedAggregate>();
  const wanted = new Set(unitIds);
  if (wanted.size === 0 || cycleId.includes(CAMPAIGN_SEPARATOR)) return out;
  // Aggregates exist only for nodes with units below (a small share of a tree): find the newest key of each
  // from the narrow columns first, then read only those JSON documents (each may hold 1,000-id lists).
  const heads = await db
    .selectFrom('aggregates')
    .select(['aggregate_key', 'unit_id'])
    .where('cycle_id', '=', cycleId)
    .orderBy('unit_id')
    .orderBy('as_of', 'desc')
    .orderBy('final', 'desc')
    .orderBy('recorded_at', 'desc')
    .execute();
  const newest = new Map<string, string>();
  for (const h of heads) if (wanted.has(h.unit_id) && !newest.has(h.unit_id)) newest.set(h.unit_id, h.aggregate_key);
  const keys = [...newest.values()];
  for (let i = 0; i < keys.length; i += READ_CHUNK) {
    const rows = await db.selectFrom('aggregates').selectAll().where('aggregate_key', 'in', keys.slice(i, i + READ_CHUNK)).execute();
    for (const row of rows) out.set(row.unit_id, toArchived(row));
  }
  return out;
}
