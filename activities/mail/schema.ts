// Tables of the mail outbox and bounces (migration 0002_mail). Merged into `Database` in activities/db/schema.ts.

export type OutboxStatus = 'sending' | 'sent' | 'bounced';

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
