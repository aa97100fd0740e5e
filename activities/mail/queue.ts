import { DateTime } from 'luxon';
import type { Config } from '../../common/config';
import type { Db } from '../db/database';
import { getUnits } from '../directory/repository';
import type { Contact, Unit } from '../directory/types';
import { composeMessage, envelopeRecipients, type MailAttachment } from './compose';
import { MailInputError } from './errors';
import { createOutboxMessage, findOutboxMessage, outboxMessageId, type NewOutboxMessage, type OutboxMessage } from './outbox';
import { redactTaskLinks, TASK_LINK_PURPOSES, unfoldSoftBreaks } from './redact';
import type { StaleCheck } from './staleness';
import { DISPLAY_TIME_ZONE, type RenderedMail } from './templates';
import { senderAddress } from './transport';

// Composing an email and writing it to the outbox, once per key: what every mail activity does (and the
// dispatcher, for the secretariat's alerts). Nothing here talks to SMTP: the dispatcher delivers queued rows.

export const MAIL_PURPOSES = [
  'task-assignment',
  'reminder',
  'overdue-notice',
  'escalation-digest',
  'late-submission',
  'review-result',
  'aggregate-upward',
  'bounce-alert',
  'undeliverable-alert',
  /** the web app's one-time sign-in link (no cycle: `cycleId` is '') */
  'staff-signin',
  /** the secretariat told that a workflow of its cycle failed or was terminated (worker/dead-workflow-alerts.ts) */
  'workflow-dead',
] as const;
export type MailPurpose = (typeof MAIL_PURPOSES)[number];

/** Alerts to the secretariat about other emails: never alerted about themselves. */
export const ALERT_PURPOSES: ReadonlySet<string> = new Set<MailPurpose>(['bounce-alert', 'undeliverable-alert']);

/** What every mail activity returns (JSON-safe): where the email stands now. */
export interface QueuedMail {
  /**
   * `queued`: in the outbox, the dispatcher delivers it (this call or an earlier one queued it); the others:
   * an earlier call's email already settled (`already-sent`, `bounced`, `undeliverable`, `dropped`)
   */
  status: 'queued' | 'already-sent' | 'bounced' | 'undeliverable' | 'dropped';
  /** the Message-ID header, angle brackets included; the same for every call with the same key */
  messageId: string;
}

export interface Draft {
  purpose: MailPurpose;
  cycleId: string;
  /** the unit whose directory entry holds the addresses: bounces are recorded on it */
  unitId: string;
  to: Contact[];
  cc: Contact[];
  rendered: RenderedMail;
  attachments?: MailAttachment[];
  /** plan | report, for emails about one phase */
  phase?: string;
  /** what makes the email stale (reminders, digests): the dispatcher drops it then instead of sending it late */
  staleCheck?: StaleCheck;
  /** runs in the transaction that creates the outbox row, only then */
  withRow?: (trx: Db) => Promise<void>;
  /** task-link tokens in the message: its stored copy must lose them once settled */
  secrets?: string[];
}

/** The addressing of an email to a unit's officer alone (the unit's directory entry takes its bounces). */
export function toOfficer(u: Unit): Pick<Draft, 'unitId' | 'to' | 'cc'> {
  return { unitId: u.id, to: [u.officer], cc: [] };
}

/** To a unit's officer with its chair in cc (the task, an overdue notice, a digest once it climbed). */
export function toOfficerAndChair(u: Unit): Pick<Draft, 'unitId' | 'to' | 'cc'> {
  return { unitId: u.id, to: [u.officer], cc: [u.chair] };
}

export interface MailQueueDeps {
  db: Db;
  config: Pick<Config, 'mail' | 'web'>;
  now: () => Date;
  /** called after a new row is committed: the in-process dispatcher delivers it at once */
  onQueued?: () => void;
}

/** Contacts without an address are skipped; the same address twice is kept once. */
export function contacts(list: Contact[], exclude: Contact[] = []): Contact[] {
  const seen = new Set(exclude.map((c) => c.email.toLowerCase()));
  return list.filter((c) => {
    const email = c.email.trim().toLowerCase();
    if (!email || seen.has(email)) return false;
    seen.add(email);
    return true;
  });
}

export function queuedResult(row: OutboxMessage): QueuedMail {
  const status = row.status === 'sent' ? 'already-sent' : row.status;
  return { status, messageId: row.messageId };
}

export function createMailQueue(deps: MailQueueDeps) {
  const { db, config, now } = deps;
  const sender = senderAddress(config.mail.from);

  async function unitsById(ids: readonly string[]): Promise<Map<string, Unit>> {
    const asOf = DateTime.fromJSDate(now()).setZone(DISPLAY_TIME_ZONE).toISODate() ?? undefined;
    return new Map((await getUnits(db, ids, asOf)).map((u) => [u.id, u]));
  }

  function required(units: Map<string, Unit>, id: string): Unit {
    const u = units.get(id);
    if (!u) throw new MailInputError(`Unit ${id} is not in the unit directory: import it (baocao units import) or correct the id.`);
    if (!u.officer.email.trim()) throw new MailInputError(`Unit ${id} (${u.name}) has no officer email in the directory: add one and retry.`);
    return u;
  }

  /** The outbox row of a draft, composed into its final bytes (not written). */
  async function compose(key: string, draft: Draft): Promise<NewOutboxMessage> {
    const messageId = outboxMessageId(key, sender.domain);
    const to = contacts(draft.to);
    const cc = contacts(draft.cc, to);
    if (to.length === 0) throw new MailInputError(`Email ${key} has no recipient with an address: complete the unit directory.`);
    const raw = await composeMessage({
      from: config.mail.from,
      replyTo: config.mail.replyTo,
      to,
      cc,
      rendered: draft.rendered,
      messageId,
      date: now(),
      attachments: draft.attachments,
    });
    // Before the row (and the token with it) exists: a link the settled-row redaction could not find would
    // stay in the database for good.
    if (draft.secrets?.length) {
      const redacted = unfoldSoftBreaks(redactTaskLinks(raw));
      if (!TASK_LINK_PURPOSES.has(draft.purpose) || draft.secrets.some((secret) => redacted.includes(secret))) {
        throw new Error(`Email ${key}: its task link cannot be redacted once sent (purpose ${draft.purpose}); nothing was stored or sent.`);
      }
    }
    return {
      key,
      messageId,
      purpose: draft.purpose,
      cycleId: draft.cycleId,
      unitId: draft.unitId,
      envelopeFrom: sender.address,
      recipients: envelopeRecipients(to, cc),
      subject: draft.rendered.subject,
      raw,
      phase: draft.phase ?? null,
      staleCheck: draft.staleCheck ?? null,
    };
  }

  /**
   * Queues the email of `key` unless it exists; renders only the first time. Returns at once: delivery is the
   * dispatcher's (activities/mail/dispatcher.ts).
   */
  async function queue(key: string, draft: () => Promise<Draft>): Promise<QueuedMail> {
    const existing = await findOutboxMessage(db, key);
    if (existing) return queuedResult(existing);
    const d = await draft();
    const { row, created } = await createOutboxMessage(db, await compose(key, d), now(), d.withRow);
    if (created) deps.onQueued?.();
    return queuedResult(row);
  }

  return { queue, compose, unitsById, required };
}

export type MailQueue = ReturnType<typeof createMailQueue>;
