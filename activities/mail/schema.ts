// Tables of the mail outbox and bounces (migrations 0002_mail, 0007_mail_dispatch). Merged into `Database` in
// activities/db/schema.ts.

/**
 * `queued`: waiting for the dispatcher (also while some recipients are deferred); then one of the settled ones:
 * `sent` (every recipient settled, someone accepted), `bounced` (every recipient refused for good),
 * `undeliverable` (a recipient still deferred when the retry window ended), `dropped` (stale: never sent).
 */
export type OutboxStatus = 'queued' | 'sent' | 'bounced' | 'undeliverable' | 'dropped';
export const SETTLED_STATUSES = ['sent', 'bounced', 'undeliverable', 'dropped'] as const satisfies readonly OutboxStatus[];

/** One email, keyed by the caller's idempotency key; written before the send with the fully rendered bytes. */
export interface MailOutboxTable {
  /** the caller's key, e.g. `cycle-2027-X/Y:reminder:plan:2` */
  key: string;
  /** `<sha256(key) hex prefix@sender domain>`, angle brackets included */
  message_id: string;
  /** MailPurpose */
  purpose: string;
  cycle_id: string;
  /** the unit whose directory entry holds the recipient addresses (bounces are recorded on it) */
  unit_id: string;
  envelope_from: string;
  /** JSON string[]: every envelope recipient */
  recipients: string;
  /** JSON string[]: recipients whose server accepted the message */
  accepted: string;
  /** JSON { email, reason }[]: recipients refused for good (5xx) */
  rejected: string;
  subject: string;
  /** the RFC 5322 message as composed once (7-bit: quoted-printable/base64 bodies, RFC 2047 headers) */
  raw: string;
  status: OutboxStatus;
  /** SMTP transactions whose outcome was recorded */
  attempts: number;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  /** wall-clock instant (ISO) from which the dispatcher may try the row */
  next_attempt_at: string;
  /** a dispatcher holds the row until then; after it, another may take it (a dispatcher that died) */
  claimed_until: string | null;
  claim_token: string | null;
  /** first 4xx reply about this message from a server that answered: the retry window runs from here */
  deferred_since: string | null;
  /** plan | report, for emails about one phase */
  phase: string | null;
  /** JSON StaleCheck (activities/mail/staleness.ts): null for emails that are always delivered */
  stale_check: string | null;
  /** why a `dropped` email was not sent */
  dropped_reason: string | null;
}

export interface MailBouncesTable {
  /** the outbox key of the refused email */
  message_key: string;
  email: string;
  cycle_id: string;
  unit_id: string;
  /** the server's reply, e.g. `550 5.1.1 No such user` */
  reason: string;
  at: string;
}

export interface MailTables {
  mail_outbox: MailOutboxTable;
  mail_bounces: MailBouncesTable;
}
