// The archive of a campaign cycle's aggregates: at the close each node's final aggregate (workflows/campaign-
// state.ts, `CampaignAggregate`) is written to the `aggregates` table as the built-in cycles' are
// (activities/archive/aggregates.ts), keyed, so that the cycle stays readable after Temporal's retention and the
// report email is built from the row, never from a document carried through history. Campaign cycle ids always
// hold a `~` (workflows/ids.ts), so these rows never mix with a built-in cycle's.
import { z } from 'zod';
import { parseCycleId } from '../../workflows/ids';
import type { CampaignAggregate } from '../../workflows/campaign-state';
import { insertAggregateRow } from '../archive/aggregates';
import { ArchiveInputError } from '../archive/errors';
import type { Db } from '../db/database';
import { cycleIdSchema, instant, mailKey, unitIdSchema } from '../mail/schemas';

const count = z.number().int().min(0);
const unitList = z.object({ ids: z.array(unitIdSchema), total: count });
const rate = z.number().min(0).max(100).nullable();
const figure = z.object({ value: z.number().nullable(), reporting: count });

export const campaignAggregateSchema = z.object({
  cycleId: cycleIdSchema,
  unitId: unitIdSchema,
  campaignId: z.string().min(1).max(64),
  version: z.number().int().min(1),
  asOf: instant,
  phases: z.record(
    z.string().min(1).max(32),
    z.object({
      expected: count,
      submittedOnTime: unitList,
      submittedLate: unitList,
      notSubmitted: unitList,
      overdue: unitList,
      rates: z.object({ completeness: rate, timeliness: rate }),
      figures: z.record(z.string(), figure.extend({ target: z.number().nullable() })),
      targets: z.record(z.string(), figure).nullable(),
      listItems: count,
    }),
  ),
}) satisfies z.ZodType<CampaignAggregate>;

export const recordCampaignAggregateInput = z.object({
  /** deterministic per write (`${workflowId}:final`): a retried activity writes once */
  key: mailKey,
  aggregate: campaignAggregateSchema,
  final: z.boolean(),
});
export type RecordCampaignAggregateInput = z.input<typeof recordCampaignAggregateInput>;

export interface ArchivedCampaignAggregate {
  key: string;
  final: boolean;
  aggregate: CampaignAggregate;
  recordedAt: string;
}

/** Writes one campaign aggregate; a second call with the same key writes nothing (`stored: false`). */
export async function recordCampaignAggregate(db: Db, input: RecordCampaignAggregateInput): Promise<{ stored: boolean }> {
  const parsed = recordCampaignAggregateInput.safeParse(input);
  if (!parsed.success) throw new ArchiveInputError('recordCampaignAggregate', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const { key, aggregate, final } = parsed.data;
  if (parseCycleId(aggregate.cycleId)?.campaignId !== aggregate.campaignId)
    throw new ArchiveInputError('recordCampaignAggregate', [`aggregate.cycleId: ${aggregate.cycleId} is not a cycle of campaign ${aggregate.campaignId}`]);
  return insertAggregateRow(db, { key, cycleId: aggregate.cycleId, unitId: aggregate.unitId, asOf: aggregate.asOf, final, aggregate });
}

/** The campaign aggregate archived under `key`, or undefined (also when the row is not a campaign cycle's). */
export async function campaignAggregateByKey(db: Db, key: string): Promise<ArchivedCampaignAggregate | undefined> {
  const row = await db.selectFrom('aggregates').selectAll().where('aggregate_key', '=', key).executeTakeFirst();
  if (!row) return undefined;
  const parsed = campaignAggregateSchema.safeParse(JSON.parse(row.aggregate_json));
  if (!parsed.success) return undefined;
  return { key: row.aggregate_key, final: Number(row.final) === 1, aggregate: parsed.data, recordedAt: row.recorded_at };
}

/** The final aggregates of a campaign cycle, one per node that archived one, by unit id. */
export async function finalCampaignAggregates(db: Db, cycleId: string): Promise<Map<string, CampaignAggregate>> {
  const rows = await db.selectFrom('aggregates').selectAll().where('cycle_id', '=', cycleId).where('final', '=', 1).orderBy('unit_id').execute();
  const out = new Map<string, CampaignAggregate>();
  for (const row of rows) {
    const parsed = campaignAggregateSchema.safeParse(JSON.parse(row.aggregate_json));
    if (parsed.success) out.set(row.unit_id, parsed.data);
  }
  return out;
}
