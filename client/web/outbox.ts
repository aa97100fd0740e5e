// Emails the web app sends go through the mail outbox like every other email (docs/EMAIL.md): the message is
// composed once and stored — with whatever secret it carries, in the same transaction — before any send, so a
// failed or slow SMTP server never loses it and never holds a request. The stored row is then delivered after
// the response (`deliverAfterResponse`); a row whose delivery failed stays queued ('sending') for the outbox's
// retries.
import { composeMessage, envelopeRecipients } from '../../activities/mail/compose';
import { createOutboxMessage, deliverOutboxMessage, findOutboxMessage, outboxMessageId, type OutboxMessage } from '../../activities/mail/outbox';
import { redactTaskLinks, TASK_LINK_PURPOSES, unfoldSoftBreaks } from '../../activities/mail/redact';
import type { RenderedMail } from '../../activities/mail/templates';
import { senderAddress } from '../../activities/mail/transport';
import type { Contact } from '../../activities/directory/types';
import type { Db } from '../../activities/db/database';
import type { WebDeps } from './ops/deps';

export interface WebMail {
  key: string;
  purpose: string;
  /** '' for an email outside any cycle (staff sign-in) */
  cycleId: string;
  /** the unit whose directory entry holds the address (bounces are recorded on it) */
  unitId: string;
  to: Contact[];
  cc?: Contact[];
  rendered: RenderedMail;
  /** runs in the transaction that creates the outbox row (and only then): store the secret the email carries */
  withRow?: (trx: Db) => Promise<void>;
  /** task-link tokens in the message: the stored copy loses them once settled, so they must be findable */
  secrets?: string[];
}

/** Stores `mail` in the outbox under its key (the first writer's row wins) and returns the stored row. */
export async function enqueueWebMail(deps: Pick<WebDeps, 'db' | 'config' | 'now'>, mail: WebMail): Promise<OutboxMessage> {
  const { config } = deps;
  const sender = senderAddress(config.mail.from);
  const messageId = outboxMessageId(mail.key, sender.domain);
  const cc = mail.cc ?? [];
  const raw = await composeMessage({ from: config.mail.from, replyTo: config.mail.replyTo, to: mail.to, cc, rendered: mail.rendered, messageId, date: deps.now() });
  // Checked before the row (and the token with it) exists: a link the settled-row redaction could not find
  // would stay in the database for good.
  const redacted = unfoldSoftBreaks(redactTaskLinks(raw));
  if (mail.secrets?.some((secret) => !TASK_LINK_PURPOSES.has(mail.purpose) || redacted.includes(secret))) {
    throw new Error(`Email ${mail.key}: its task link cannot be redacted once sent (purpose ${mail.purpose}); nothing was stored or sent.`);
  }
  return createOutboxMessage(
    deps.db,
    {
      key: mail.key,
      messageId,
      purpose: mail.purpose,
      cycleId: mail.cycleId,
      unitId: mail.unitId,
      envelopeFrom: sender.address,
      recipients: envelopeRecipients(mail.to, cc),
      subject: mail.rendered.subject,
      raw,
    },
    deps.now(),
    mail.withRow,
  );
}

/**
 * Delivers a stored outbox row once the request has been answered. The one place the web app hands its
 * emails to SMTP: when the worker's outbox dispatcher delivers queued rows, this becomes a no-op.
 */
export function deliverAfterResponse(deps: WebDeps, key: string): void {
  deps.background.run(`delivery of email ${key}`, async () => {
    const row = await findOutboxMessage(deps.db, key);
    if (row) await deliverOutboxMessage({ db: deps.db, mailer: deps.mailer, now: deps.now }, row);
  });
}
