// Emails the web app sends go through the mail outbox like every other email (docs/EMAIL.md): the message is
// composed once and stored — with whatever secret it carries, in the same transaction — before any send, so a
// failed or slow SMTP server never loses it and never holds a request. Delivery is the mail dispatcher's: the
// worker's polls the outbox, and the web app runs one pass after its response so a sign-in link arrives at once.
import type { Db } from '../../activities/db/database';
import type { Contact } from '../../activities/directory/types';
import { createMailDispatcher, type MailDispatcher } from '../../activities/mail/dispatcher';
import { createOutboxMessage, type OutboxMessage } from '../../activities/mail/outbox';
import { createMailQueue, type MailPurpose } from '../../activities/mail/queue';
import type { RenderedMail } from '../../activities/mail/templates';
import type { WebDeps } from './ops/deps';

export interface WebMail {
  key: string;
  purpose: MailPurpose;
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
  const queue = createMailQueue({ db: deps.db, config: deps.config, now: deps.now });
  const row = await queue.compose(mail.key, { ...mail, cc: mail.cc ?? [] });
  return (await createOutboxMessage(deps.db, row, deps.now(), mail.withRow)).row;
}

const dispatchers = new WeakMap<Db, MailDispatcher>();

/**
 * One dispatcher pass once the request has been answered (claims keep it from racing the worker's). A row it
 * could not deliver stays queued for the worker's dispatcher and its retries.
 */
export function deliverAfterResponse(deps: WebDeps, key: string): void {
  deps.background.run(`delivery of email ${key}`, async () => {
    let dispatcher = dispatchers.get(deps.db);
    if (!dispatcher) {
      dispatcher = createMailDispatcher({ db: deps.db, mailer: deps.mailer, config: deps.config, now: deps.now });
      dispatchers.set(deps.db, dispatcher);
    }
    await dispatcher.runOnce();
  });
}
