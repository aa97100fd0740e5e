import { createHash } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { Db } from '../db/database';
import { MailInputError, MailTransientError } from './errors';
import { redactTaskLinks, TASK_LINK_PURPOSES } from './redact';
import type { OutboxStatus } from './schema';

// Exactly-once sending for retried activities and replayed workflows (docs/EMAIL.md):
//  1. the message is composed once and written to the outbox, under the caller's key, before any send;
//  2. it is sent with a Message-ID derived from the key, to the recipients that have not accepted it yet;
//  3. the outcome (accepted / refused for good / still pending) is recorded right after the SMTP reply.
// A retry of a `sent` key sends nothing. A retry of a `sending` key re-sends the stored bytes: if the worker
// died between the SMTP server's acceptance and step 3, that is the one possible duplicate, with the same
// Message-ID, so the receiving side can drop it. A message is never lost: the row is written before the send.
// Once settled (sent or bounced) a message is never sent again, so the stored copy of a task email loses its
// link's token in the same update that records the outcome (redact.ts).

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
}

export type NewOutboxMessage = Pick<OutboxMessage, 'key' | 'messageId' | 'purpose' | 'cycleId' | 'unitId' | 'envelopeFrom' | 'recipients' | 'subject' | 'raw'>;

export async function findOutboxMessage(db: Db, key: string): Promise<OutboxMessage | undefined> {
  const r = await db.selectFrom('mail_outbox').selectAll().where('key', '=', key).executeTakeFirst();
  if (!r) return undefined;
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
  };
}

/**
 * Writes the message under its key unless the key exists, and returns the stored row — the first writer's,
 * whoever that was. `withRow` runs in the same transaction only when this call created the row (the task
 * email stores its access token there: one token per task email, never an orphan, never a second one).
 */
export async function createOutboxMessage(db: Db, m: NewOutboxMessage, now: Date, withRow?: (trx: Db) => Promise<void>): Promise<OutboxMessage> {
  const at = now.toISOString();
  const created = await db.transaction().execute(async (trx) => {
    const inserted = await trx
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
        status: 'sending',
        attempts: 0,
        last_error: null,
        created_at: at,
        updated_at: at,
        sent_at: null,
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    const isNew = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
    if (isNew && withRow) await withRow(trx);
    return isNew;
  });
  if (created) return { ...m, accepted: [], rejected: [], status: 'sending', attempts: 0 };
  // Someone else (a concurrent attempt) wrote the key first: theirs is the message.
  const row = await findOutboxMessage(db, m.key);
  if (!row) throw new Error(`outbox row ${m.key} vanished right after it was written`);
  if (row.purpose !== m.purpose) {
    throw new MailInputError(`Mail key ${JSON.stringify(m.key)} was already used for a ${row.purpose} email; use one key per email.`);
  }
  return row;
}

/** One outcome of delivering an outbox message. `recipients`: addresses that accepted it. */
export interface Delivery {
  status: 'sent' | 'already-sent' | 'bounced';
  messageId: string;
  recipients: string[];
  /** addresses refused for good (5xx), recorded in mail_bounces */
  bounced: string[];
}

interface SmtpError extends Error {
  code?: string;
  command?: string;
  response?: string;
  responseCode?: number;
  recipient?: string;
  rejectedErrors?: SmtpError[];
}

interface SmtpInfo {
  accepted?: (string | { address: string })[];
  rejectedErrors?: SmtpError[];
}

const isPermanent = (e: SmtpError) => (e.responseCode ?? 0) >= 500;
const replyOf = (e: SmtpError) => e.response ?? e.message;
const emailOf = (a: string | { address: string }) => (typeof a === 'string' ? a : a.address);

/** The SMTP outcome for the recipients tried: accepted, refused per recipient — or an error for the whole send. */
async function attempt(mailer: Transporter<unknown>, m: OutboxMessage, to: string[]): Promise<{ accepted: string[]; refused: SmtpError[] }> {
  try {
    const info = (await mailer.sendMail({ envelope: { from: m.envelopeFrom, to }, raw: Buffer.from(m.raw, 'utf8') })) as SmtpInfo;
    return { accepted: (info.accepted ?? []).map(emailOf), refused: info.rejectedErrors ?? [] };
  } catch (raw) {
    const err = raw as SmtpError;
    // Every recipient refused at RCPT TO: nodemailer throws, with each recipient's reply attached.
    if (err.code === 'EENVELOPE' && err.command === 'RCPT TO' && err.rejectedErrors?.length) return { accepted: [], refused: err.rejectedErrors };
    // The message itself refused for good after DATA (size, content policy): the same bytes will never pass.
    if ((err.command === 'DATA' || err.code === 'EMESSAGE') && isPermanent(err)) {
      return { accepted: [], refused: to.map((recipient) => Object.assign(new Error(err.message), { ...err, recipient })) };
    }
    throw err;
  }
}

/**
 * Sends a stored message to the recipients that have not accepted it yet and records the outcome. Throws
 * MailTransientError while some recipient is still pending (4xx, connection trouble), after recording the
 * recipients that did accept, so a retry goes only to the others.
 */
export async function deliverOutboxMessage(deps: { db: Db; mailer: Transporter<unknown>; now: () => Date }, m: OutboxMessage): Promise<Delivery> {
  const done = (status: Delivery['status'], accepted: string[], rejected: Bounce[]): Delivery => ({
    status,
    messageId: m.messageId,
    recipients: accepted,
    bounced: rejected.map((b) => b.email),
  });
  if (m.status !== 'sending') return done(m.status === 'sent' ? 'already-sent' : 'bounced', m.accepted, m.rejected);

  const settled = new Set([...m.accepted, ...m.rejected.map((b) => b.email)].map((a) => a.toLowerCase()));
  const to = m.recipients.filter((r) => !settled.has(r.toLowerCase()));
  let outcome: { accepted: string[]; refused: SmtpError[] } = { accepted: [], refused: [] };
  if (to.length > 0) {
    try {
      outcome = await attempt(deps.mailer, m, to);
    } catch (raw) {
      const err = raw as SmtpError;
      const reply = err.responseCode ? ` (${replyOf(err)})` : '';
      const failure = new MailTransientError(
        `Email ${m.key} could not be handed to the SMTP server: ${err.code ?? err.name}${reply}: ${err.message}. It stays in the outbox and is re-sent on retry.`,
        err.responseCode,
        { cause: err },
      );
      await deps.db
        .updateTable('mail_outbox')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: failure.message, updated_at: deps.now().toISOString() }))
        .where('key', '=', m.key)
        .execute()
        .catch(() => undefined); // bookkeeping only: the retry is what matters
      throw failure;
    }
  }

  const newBounces: Bounce[] = outcome.refused.filter(isPermanent).map((e) => ({ email: e.recipient ?? '', reason: replyOf(e) }));
  const pendingErrors = outcome.refused.filter((e) => !isPermanent(e));
  const accepted = [...m.accepted, ...outcome.accepted.filter((a) => !m.accepted.includes(a))];
  const rejected = [...m.rejected, ...newBounces];
  const status: OutboxStatus = pendingErrors.length > 0 ? 'sending' : accepted.length > 0 ? 'sent' : 'bounced';
  const at = deps.now().toISOString();
  const lastError = pendingErrors.length > 0 ? pendingErrors.map((e) => `${e.recipient ?? '?'}: ${replyOf(e)}`).join('; ') : null;

  // Settled: nothing will re-send these bytes, so the task link's token leaves the database now.
  const settledRaw = status !== 'sending' && TASK_LINK_PURPOSES.has(m.purpose) ? redactTaskLinks(m.raw) : undefined;
  const mark = (db: Db) =>
    db
      .updateTable('mail_outbox')
      .set((eb) => ({
        accepted: JSON.stringify(accepted),
        rejected: JSON.stringify(rejected),
        status,
        attempts: eb('attempts', '+', 1),
        last_error: lastError,
        updated_at: at,
        sent_at: status === 'sent' ? at : null,
        ...(settledRaw === undefined ? {} : { raw: settledRaw }),
      }))
      .where('key', '=', m.key)
      .execute();
  if (newBounces.length === 0) {
    await mark(deps.db);
  } else {
    await deps.db.transaction().execute(async (trx) => {
      await mark(trx);
      await trx
        .insertInto('mail_bounces')
        .values(newBounces.map((b) => ({ message_key: m.key, email: b.email, cycle_id: m.cycleId, unit_id: m.unitId, reason: b.reason, at })))
        .onConflict((oc) => oc.columns(['message_key', 'email']).doNothing())
        .execute();
    });
  }

  if (pendingErrors.length > 0) {
    const first = pendingErrors[0]!;
    throw new MailTransientError(
      `Email ${m.key}: ${pendingErrors.length} recipient(s) temporarily refused (${lastError ?? ''}); retried for them only.`,
      first.responseCode,
      { cause: first },
    );
  }
  return done(status === 'sent' ? 'sent' : 'bounced', accepted, rejected);
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
      .where('purpose', 'in', [...TASK_LINK_PURPOSES])
      .where('status', 'in', ['sent', 'bounced'])
      .where('key', '>', after)
      .orderBy('key')
      .limit(REDACT_BATCH)
      .execute();
    for (const r of rows) {
      const raw = redactTaskLinks(r.raw);
      if (raw === r.raw) continue;
      // only a row still settled: a concurrent writer never turns a settled row back, but be exact anyway
      await db.updateTable('mail_outbox').set({ raw }).where('key', '=', r.key).where('status', 'in', ['sent', 'bounced']).execute();
      redacted += 1;
    }
    if (rows.length < REDACT_BATCH) return { redacted };
    after = rows.at(-1)!.key;
  }
}
