import { createHash } from 'node:crypto';
import type { Db } from '../db/database';
import { MailInputError } from './errors';
import { LEGACY_TASK_LINK_PURPOSES, redactTaskLinks } from './redact';
import { SETTLED_STATUSES, type MailOutboxTable, type OutboxStatus } from './schema';
import type { StaleCheck } from './staleness';

// The outbox (docs/EMAIL.md): every email is composed once and written here under the caller's key, with a
// Message-ID derived from the key, before anything goes to SMTP. The mail activities only write rows
// (`queued`); the dispatcher (dispatcher.ts) claims due rows, delivers them and records the outcome. Once a
// row is settled it is never sent again, so the stored copy of a task email loses its link's token in the
// same update that settles it (redact.ts).

/** Hex characters of sha256(key) in a Message-ID: 128 bits, no collision among any realistic number of keys. */
export const MESSAGE_ID_HASH_CHARS = 32;

/** `<sha256(key) hex prefix@domain>`: the same key always yields the same Message-ID. */
export function outboxMessageId(key: string, domain: string): string {
  return `<${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, MESSAGE_ID_HASH_CHARS)}@${domain}>`;
}

export interface Bounce {
  email: string;
  /** the server's reply, e.g. `550 5.1.1 <x@y>: Recipient address rejected` */
  reason: string;
}

export interface OutboxMessage {
  key: string;
  messageId: string;
  purpose: string;
  cycleId: string;
  unitId: string;
  envelopeFrom: string;
  recipients: string[];
  accepted: string[];
  rejected: Bounce[];
  subject: string;
  raw: string;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string;
  deferredSince: string | null;
  phase: string | null;
  staleCheck: StaleCheck | null;
}

export type NewOutboxMessage = Pick<
  OutboxMessage,
  'key' | 'messageId' | 'purpose' | 'cycleId' | 'unitId' | 'envelopeFrom' | 'recipients' | 'subject' | 'raw' | 'phase' | 'staleCheck'
>;

export function outboxMessageOf(r: MailOutboxTable): OutboxMessage {
  return {
    key: r.key,
    messageId: r.message_id,
    purpose: r.purpose,
    cycleId: r.cycle_id,
    unitId: r.unit_id,
    envelopeFrom: r.envelope_from,
    recipients: JSON.parse(r.recipients) as string[],
    accepted: JSON.parse(r.accepted) as string[],
    rejected: JSON.parse(r.rejected) as Bounce[],
    subject: r.subject,
    raw: r.raw,
    status: r.status,
    attempts: Number(r.attempts),
    lastError: r.last_error,
    createdAt: r.created_at,
    nextAttemptAt: r.next_attempt_at,
    deferredSince: r.deferred_since,
    phase: r.phase,
    staleCheck: r.stale_check === null ? null : (JSON.parse(r.stale_check) as StaleCheck),
  };
}

/** Recipients that have neither accepted the message nor refused it for good. */
export function pendingRecipients(m: Pick<OutboxMessage, 'recipients' | 'accepted' | 'rejected'>): string[] {
  const settled = new Set([...m.accepted, ...m.rejected.map((b) => b.email)].map((a) => a.toLowerCase()));
  return m.recipients.filter((r) => !settled.has(r.toLowerCase()));
}

export async function findOutboxMessage(db: Db, key: string): Promise<OutboxMessage | undefined> {
  const r = await db.selectFrom('mail_outbox').selectAll().where('key', '=', key).executeTakeFirst();
  return r ? outboxMessageOf(r) : undefined;
}

/**
 * `next_attempt_at` of a new row: due at once, whatever the clock of the process that queued it (a web app, a
 * worker) and of the dispatcher; new emails go before retries.
 */
export const DUE_AT_ONCE = new Date(0).toISOString();

/** Inserts the row unless its key exists (in the caller's transaction, if any); true when this call wrote it. */
export async function insertOutboxRow(db: Db, m: NewOutboxMessage, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const inserted = await db
    .insertInto('mail_outbox')
    .values({
      key: m.key,
      message_id: m.messageId,
      purpose: m.purpose,
      cycle_id: m.cycleId,
      unit_id: m.unitId,
      envelope_from: m.envelopeFrom,
      recipients: JSON.stringify(m.recipients),
      accepted: '[]',
      rejected: '[]',
      subject: m.subject,
      raw: m.raw,
      status: 'queued',
      attempts: 0,
      last_error: null,
      created_at: at,
      updated_at: at,
      sent_at: null,
      next_attempt_at: DUE_AT_ONCE,
      claimed_until: null,
      claim_token: null,
      deferred_since: null,
      phase: m.phase,
      stale_check: m.staleCheck === null ? null : JSON.stringify(m.staleCheck),
      dropped_reason: null,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Writes the message under its key unless the key exists, and returns the stored row — the first writer's,
 * whoever that was. `withRow` runs in the same transaction only when this call created the row (the task
 * email stores its access token there: one token per task email, never an orphan, never a second one).
 */
export async function createOutboxMessage(
  db: Db,
  m: NewOutboxMessage,
  now: Date,
  withRow?: (trx: Db) => Promise<void>,
): Promise<{ row: OutboxMessage; created: boolean }> {
  const created = await db.transaction().execute(async (trx) => {
    const isNew = await insertOutboxRow(trx, m, now);
    if (isNew && withRow) await withRow(trx);
    return isNew;
  });
  const row = await findOutboxMessage(db, m.key);
  if (!row) throw new Error(`outbox row ${m.key} vanished right after it was written`);
  // Someone else (a concurrent attempt) wrote the key first: theirs is the message.
  if (!created && row.purpose !== m.purpose) {
    throw new MailInputError(`Mail key ${JSON.stringify(m.key)} was already used for a ${row.purpose} email; use one key per email.`);
  }
  return { row, created };
}

/** One bounce as `cycle status` shows it. */
export interface BounceRecord {
  cycleId: string;
  unitId: string;
  email: string;
  reason: string;
  at: string;
  /** outbox key of the refused email */
  messageKey: string;
}

/** Every recipient refused for good in a cycle, oldest first. */
export async function listBounces(db: Db, cycleId: string): Promise<BounceRecord[]> {
  const rows = await db.selectFrom('mail_bounces').selectAll().where('cycle_id', '=', cycleId).orderBy('at').orderBy('unit_id').orderBy('email').execute();
  return rows.map((r) => ({ cycleId: r.cycle_id, unitId: r.unit_id, email: r.email, reason: r.reason, at: r.at, messageKey: r.message_key }));
}

/** An email given up on (`undeliverable`) or not sent because it went stale (`dropped`), as `cycle status` lists it. */
export interface UndeliveredMail {
  messageKey: string;
  purpose: string;
  unitId: string;
  subject: string;
  status: 'undeliverable' | 'dropped';
  /** undeliverable: the addresses that never accepted it; dropped: every recipient */
  recipients: string[];
  /** undeliverable: the last reply of the deferring server; dropped: why it went stale */
  reason: string;
  /** when it was given up or dropped (wall clock, ISO) */
  at: string;
}

/** The cycle's undeliverable and dropped emails, oldest first. */
export async function listUndelivered(db: Db, cycleId: string): Promise<UndeliveredMail[]> {
  const rows = await db
    .selectFrom('mail_outbox')
    .select(['key', 'purpose', 'unit_id', 'subject', 'status', 'recipients', 'accepted', 'rejected', 'last_error', 'dropped_reason', 'updated_at'])
    .where('cycle_id', '=', cycleId)
    .where('status', 'in', ['undeliverable', 'dropped'])
    .orderBy('updated_at')
    .orderBy('key')
    .execute();
  return rows.map((r) => {
    const m = { recipients: JSON.parse(r.recipients) as string[], accepted: JSON.parse(r.accepted) as string[], rejected: JSON.parse(r.rejected) as Bounce[] };
    const status = r.status as UndeliveredMail['status'];
    return {
      messageKey: r.key,
      purpose: r.purpose,
      unitId: r.unit_id,
      subject: r.subject,
      status,
      recipients: status === 'dropped' ? m.recipients : pendingRecipients(m),
      reason: (status === 'dropped' ? r.dropped_reason : r.last_error) ?? '',
      at: r.updated_at,
    };
  });
}

/** Rows per read of `redactSettledTaskLinks`: each holds a whole message. */
const REDACT_BATCH = 200;

/**
 * Redacts the task links of settled task emails stored before settling redacted them (databases written by an
 * older version). Idempotent; returns how many rows changed. Cheap to run at every start.
 */
export async function redactSettledTaskLinks(db: Db): Promise<{ redacted: number }> {
  let redacted = 0;
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('mail_outbox')
      .select(['key', 'raw'])
      .where('purpose', 'in', [...LEGACY_TASK_LINK_PURPOSES])
      .where('status', 'in', [...SETTLED_STATUSES])
      .where('key', '>', after)
      .orderBy('key')
      .limit(REDACT_BATCH)
      .execute();
    for (const r of rows) {
      const raw = redactTaskLinks(r.raw);
      if (raw === r.raw) continue;
      // only a row still settled: a concurrent writer never turns a settled row back, but be exact anyway
      await db.updateTable('mail_outbox').set({ raw }).where('key', '=', r.key).where('status', 'in', [...SETTLED_STATUSES]).execute();
      redacted += 1;
    }
    if (rows.length < REDACT_BATCH) return { redacted };
    after = rows.at(-1)!.key;
  }
}
