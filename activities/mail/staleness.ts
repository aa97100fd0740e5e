import { parseCycleId } from '../../workflows/ids';
import type { Phase } from '../../workflows/report';
import type { Db } from '../db/database';
import type { OutboxMessage } from './outbox';

// After an outage, a reminder or an escalation digest that can no longer be true or useful is dropped instead
// of being sent late (docs/EMAIL.md). Everything else is always delivered. The facts are read from the archive
// and the outbox, written by the workflows as things happen, so the dispatcher needs no workflow state.
//
// A fact counts once its calendar instant has come by the dispatcher's clock. In a real cycle calendar time is
// wall time; a rehearsal maps its calendar onto a few minutes, so there a fact counts as soon as it exists.

/** Stored with a reminder or digest (`mail_outbox.stale_check`): what to check before sending it. */
export type StaleCheck =
  | { kind: 'reminder'; unitId: string; phase: Phase; dueAt: string }
  | { kind: 'digest'; supervisorUnitId: string; recipientUnitId: string; phase: Phase; round: number; unitIds: string[]; asOf: string };

/** Why the email should not be sent any more, or undefined when it should. */
export async function staleReason(db: Db, m: Pick<OutboxMessage, 'cycleId' | 'staleCheck'>, now: Date): Promise<string | undefined> {
  const check = m.staleCheck;
  if (!check) return undefined;
  const rehearsal = parseCycleId(m.cycleId)?.rehearsal ?? false;
  const hasCome = (instant: string) => rehearsal || Date.parse(instant) <= now.getTime();

  const closed = async (unitId: string) =>
    (await db.selectFrom('aggregates').select('aggregate_key').where('cycle_id', '=', m.cycleId).where('unit_id', '=', unitId).where('final', '=', 1).executeTakeFirst()) !== undefined;
  const submittedBy = async (unitIds: string[], phase: Phase) => {
    const rows = await db
      .selectFrom('submissions')
      .select(['unit_id', 'submitted_at'])
      .where('cycle_id', '=', m.cycleId)
      .where('phase', '=', phase)
      .where('unit_id', 'in', unitIds)
      .execute();
    return new Set(rows.filter((r) => hasCome(r.submitted_at)).map((r) => r.unit_id));
  };

  if (check.kind === 'reminder') {
    if (await closed(check.unitId)) return 'the cycle has closed';
    if ((await submittedBy([check.unitId], check.phase)).size > 0) return `the ${check.phase} has been submitted`;
    if (!rehearsal && hasCome(check.dueAt)) return `its deadline ${check.dueAt} has passed`;
    if (rehearsal) {
      const overdue = await db
        .selectFrom('mail_outbox')
        .select('key')
        .where('cycle_id', '=', m.cycleId)
        .where('unit_id', '=', check.unitId)
        .where('purpose', '=', 'overdue-notice')
        .where('phase', '=', check.phase)
        .executeTakeFirst();
      if (overdue) return `its deadline ${check.dueAt} has passed (overdue notice queued)`;
    }
    return undefined;
  }

  if (await closed(check.supervisorUnitId)) return 'the cycle has closed';
  const later = await db
    .selectFrom('mail_outbox')
    .select('stale_check')
    .where('cycle_id', '=', m.cycleId)
    .where('unit_id', '=', check.recipientUnitId)
    .where('purpose', '=', 'escalation-digest')
    .where('phase', '=', check.phase)
    .execute();
  for (const r of later) {
    const other = r.stale_check === null ? null : (JSON.parse(r.stale_check) as StaleCheck);
    if (other?.kind === 'digest' && other.supervisorUnitId === check.supervisorUnitId && other.round > check.round && hasCome(other.asOf)) {
      return `superseded by escalation round ${other.round}`;
    }
  }
  const submitted = await submittedBy(check.unitIds, check.phase);
  if (check.unitIds.every((id) => submitted.has(id))) return 'every unit it lists has submitted since';
  return undefined;
}
