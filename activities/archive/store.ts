// Writes to the archive, idempotently: activities are retried, so every write is keyed and a repeat is a no-op.
import { contentHash } from '../../workflows/content-hash';
import type { Db } from '../db/database';
import { SubmissionConflictError } from './errors';
import type { AuditLogTable } from './schema';

export interface StoreSubmissionInput {
  cycleId: string;
  unitId: string;
  /** `plan` | `report` of the built-in workflows, or a campaign's phase key (workflows/campaign-unit.ts) */
  phase: string;
  version: number;
  idempotencyKey: string;
  content: unknown;
  channel: string;
  submittedBy: string;
  submittedAt: string;
  late: boolean;
}

/**
 * Archives one version of a submission. A repeat of the same version with the same content (a retried activity)
 * is a no-op (`stored: false`); the same version with other content is refused (`SubmissionConflictError`), never
 * silently dropped: the content hash says which it is.
 */
export async function storeSubmission(db: Db, input: StoreSubmissionInput): Promise<{ stored: boolean }> {
  const contentJson = JSON.stringify(input.content);
  const hash = contentHash(input.content);
  const result = await db
    .insertInto('submissions')
    .values({
      cycle_id: input.cycleId,
      unit_id: input.unitId,
      phase: input.phase,
      version: input.version,
      idempotency_key: input.idempotencyKey,
      content_json: contentJson,
      content_hash: hash,
      channel: input.channel,
      submitted_by: input.submittedBy,
      submitted_at: input.submittedAt,
      late: input.late ? 1 : 0,
    })
    .onConflict((oc) => oc.columns(['cycle_id', 'unit_id', 'phase', 'version']).doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) return { stored: true };
  const existing = await db
    .selectFrom('submissions')
    .select('content_hash')
    .where('cycle_id', '=', input.cycleId)
    .where('unit_id', '=', input.unitId)
    .where('phase', '=', input.phase)
    .where('version', '=', input.version)
    .executeTakeFirstOrThrow();
  if (existing.content_hash !== hash) throw new SubmissionConflictError(input.cycleId, input.unitId, input.phase, input.version);
  return { stored: false };
}

export interface LatestSubmission {
  version: number;
  content: unknown;
  /** SHA-256 of the content (workflows/content-hash.ts) */
  contentHash: string;
  submittedAt: string;
  late: boolean;
  channel: string;
  submittedBy: string;
}

export async function latestSubmission(db: Db, cycleId: string, unitId: string, phase: string): Promise<LatestSubmission | undefined> {
  const row = await db
    .selectFrom('submissions')
    .selectAll()
    .where('cycle_id', '=', cycleId)
    .where('unit_id', '=', unitId)
    .where('phase', '=', phase)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row
    ? { version: row.version, content: JSON.parse(row.content_json), contentHash: row.content_hash, submittedAt: row.submitted_at, late: row.late === 1, channel: row.channel, submittedBy: row.submitted_by }
    : undefined;
}

export interface AuditEventInput {
  key: string;
  cycleId: string;
  unitId: string;
  kind: string;
  actor: string;
  channel: string;
  at: string;
  data: Record<string, unknown>;
}

export async function recordEvent(db: Db, input: AuditEventInput): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      event_key: input.key,
      cycle_id: input.cycleId,
      unit_id: input.unitId,
      kind: input.kind,
      actor: input.actor,
      channel: input.channel,
      at: input.at,
      data_json: JSON.stringify(input.data),
    })
    .onConflict((oc) => oc.column('event_key').doNothing())
    .execute();
}

export async function auditTrail(db: Db, cycleId: string, unitId?: string): Promise<(Omit<AuditLogTable, 'data_json'> & { data: unknown })[]> {
  let q = db.selectFrom('audit_log').selectAll().where('cycle_id', '=', cycleId);
  if (unitId) q = q.where('unit_id', '=', unitId);
  const rows = await q.orderBy('at').orderBy('event_key').execute();
  return rows.map(({ data_json, ...rest }) => ({ ...rest, data: JSON.parse(data_json) }));
}
