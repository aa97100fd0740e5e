import { randomUUID } from 'node:crypto';
import type { ExpressionBuilder } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Config } from '../../common/config';
import type { Db } from '../db/database';
import type { Database } from '../db/schema';
import { BOUNCE_ALERT_KEY_SUFFIX, bounceAlertDraft, UNDELIVERABLE_ALERT_KEY_SUFFIX, undeliverableAlertDraft } from './alerts';
import { attemptDelivery, type AttemptOutcome } from './delivery';
import { insertOutboxRow, outboxMessageOf, pendingRecipients, type Bounce, type NewOutboxMessage, type OutboxMessage } from './outbox';
import { ALERT_PURPOSES, createMailQueue } from './queue';
import { redactTaskLinks, TASK_LINK_PURPOSES } from './redact';
import type { OutboxStatus } from './schema';
import { staleReason } from './staleness';

// Delivers the outbox, off every workflow's path (docs/EMAIL.md). Run by the worker process; any number of
// dispatchers (worker processes) may run against one database: a row is claimed with one conditional UPDATE
// (`claimed_until` in the past) before it is touched, so two never deliver it at once. A dispatcher that dies
// holding rows releases them when its claim expires. Its policy:
//  - accepted → `sent`; refused for good (5xx) → recorded bounce, the secretariat alerted;
//  - a recipient deferred (4xx) → retried with exponential backoff until MAIL_RETRY_WINDOW has passed since the
//    first deferral, then `undeliverable` and the secretariat alerted;
//  - the SMTP server unreachable (refused, timeout, our credentials refused) → retried for as long as it
//    takes (not the recipient's fault), the dispatcher backing off as a whole;
//  - a reminder or an escalation digest gone stale meanwhile (staleness.ts) → `dropped`, never sent late.

/** First retry after a failed attempt; doubles with every attempt. */
export const RETRY_INITIAL_MS = 60_000;
/** Longest pause between two attempts of a deferred email. */
export const RETRY_MAX_MS = 3_600_000;
/** Longest pause between two attempts of an email while the SMTP server is unreachable. */
export const TRANSPORT_RETRY_MAX_MS = 600_000;
/** How long a claim holds a row: longer than any SMTP transaction (nodemailer's socket timeout is 10 min). */
export const CLAIM_MS = 15 * 60_000;
/** Rows in delivery at once per SMTP connection: the database work of one overlaps the SMTP exchange of another. */
export const LANES_PER_CONNECTION = 4;
/** Rows claimed per run. */
export const DISPATCH_BATCH = 50;
/** Polling interval of `start()`: rows queued by another process (the web app) go out within it. */
export const DISPATCH_POLL_MS = 1000;
/** Longest pause of `start()` while the SMTP server is unreachable. */
export const OUTAGE_POLL_MAX_MS = 60_000;

export interface MailDispatcherDeps {
  db: Db;
  mailer: Transporter<unknown>;
  config: Pick<Config, 'mail' | 'web'>;
  /** the wall clock; tests pass their own (or give `runOnce` an instant) */
  now?: () => Date;
  pollIntervalMs?: number;
  batchSize?: number;
  /** one line per notable event (SMTP unreachable, undeliverable, unexpected error); default: stderr */
  log?: (line: string) => void;
}

/** What one run did. */
export interface DispatchSummary {
  /** rows this run claimed (0: nothing was due) */
  claimed: number;
  sent: number;
  bounced: number;
  /** rows still queued after a 4xx, retried later */
  deferred: number;
  undeliverable: number;
  dropped: number;
  /** the SMTP server could not be reached: the rest of the batch was left for the next run */
  transportDown: boolean;
  /** unexpected failures (database): the row stays claimed until its claim expires, then is tried again */
  errors: string[];
}

export interface MailDispatcher {
  /** Claims the rows due at `at` (default: now), delivers them, records every outcome. */
  runOnce(at?: Date): Promise<DispatchSummary>;
  /**
   * Runs until nothing is due at `at` (default: now) — every email queued so far delivered, dropped, or
   * waiting for a retry — and resolves with the sum. Tests: "every email of the step is in the sink".
   */
  idle(at?: Date): Promise<DispatchSummary>;
  /** Polls every DISPATCH_POLL_MS (backing off while SMTP is unreachable), and at once after `kick()`. */
  start(): void;
  /** An email was queued in this process: deliver it now rather than at the next poll. */
  kick(): void;
  /** Stops polling after the run in progress (drained); the mailer is the caller's to close. */
  stop(): Promise<void>;
}

const emptySummary = (): DispatchSummary => ({ claimed: 0, sent: 0, bounced: 0, deferred: 0, undeliverable: 0, dropped: 0, transportDown: false, errors: [] });

function add(total: DispatchSummary, s: DispatchSummary): DispatchSummary {
  return {
    claimed: total.claimed + s.claimed,
    sent: total.sent + s.sent,
    bounced: total.bounced + s.bounced,
    deferred: total.deferred + s.deferred,
    undeliverable: total.undeliverable + s.undeliverable,
    dropped: total.dropped + s.dropped,
    transportDown: total.transportDown || s.transportDown,
    errors: [...total.errors, ...s.errors],
  };
}

/** The pause before attempt number `attempt + 1`. */
export function retryDelayMs(attempt: number, maxMs = RETRY_MAX_MS): number {
  return Math.min(maxMs, RETRY_INITIAL_MS * 2 ** Math.max(0, attempt - 1));
}

type Result = 'sent' | 'bounced' | 'deferred' | 'undeliverable' | 'dropped' | 'transport-failed' | 'lost-claim';

export function createMailDispatcher(deps: MailDispatcherDeps): MailDispatcher {
  const { db, mailer, config } = deps;
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? ((line: string) => process.stderr.write(`[mail] ${line}\n`));
  const batchSize = deps.batchSize ?? DISPATCH_BATCH;
  const pollMs = deps.pollIntervalMs ?? DISPATCH_POLL_MS;
  const windowMs = config.mail.retryWindowMs;
  const alerts = createMailQueue({ db, config, now });

  async function claim(at: Date, token: string): Promise<OutboxMessage[]> {
    const nowIso = at.toISOString();
    const free = (eb: ExpressionBuilder<Database, 'mail_outbox'>) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', nowIso)]);
    await db
      .updateTable('mail_outbox')
      .set({ claim_token: token, claimed_until: new Date(at.getTime() + CLAIM_MS).toISOString() })
      .where('key', 'in', (eb) =>
        eb
          .selectFrom('mail_outbox')
          .select('key')
          .where('status', '=', 'queued')
          .where('next_attempt_at', '<=', nowIso)
          .where(free)
          .orderBy('next_attempt_at')
          .orderBy('created_at')
          .limit(batchSize),
      )
      // checked again on the row itself: a concurrent dispatcher may have claimed it since the subquery read it
      .where('status', '=', 'queued')
      .where(free)
      .execute();
    const rows = await db.selectFrom('mail_outbox').selectAll().where('claim_token', '=', token).where('status', '=', 'queued').orderBy('next_attempt_at').orderBy('created_at').execute();
    return rows.map(outboxMessageOf);
  }

  /** Writes the row's new state if this run still holds it; false if its claim was lost (expired, taken). */
  async function update(
    trx: Db,
    m: OutboxMessage,
    token: string,
    set: Partial<{
      status: OutboxStatus;
      accepted: string;
      rejected: string;
      attempts: number;
      last_error: string | null;
      next_attempt_at: string;
      deferred_since: string | null;
      dropped_reason: string | null;
      sent_at: string | null;
      raw: string;
    }>,
    at: string,
  ): Promise<boolean> {
    const settled = set.status !== undefined && set.status !== 'queued';
    // Settled: nothing will re-send these bytes, so the task link's token leaves the database now.
    const raw = settled && TASK_LINK_PURPOSES.has(m.purpose) ? { raw: redactTaskLinks(m.raw) } : {};
    const r = await trx
      .updateTable('mail_outbox')
      .set({ ...set, ...raw, updated_at: at, claim_token: null, claimed_until: null })
      .where('key', '=', m.key)
      .where('claim_token', '=', token)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** An alert's row, composed before the transaction that records what it is about; undefined if impossible. */
  async function alertRow(key: string, draft: () => ReturnType<typeof bounceAlertDraft>): Promise<NewOutboxMessage | undefined> {
    try {
      return await alerts.compose(key, await draft());
    } catch (err) {
      log(`cannot alert the secretariat about ${key}: ${(err as Error).message}`);
      return undefined;
    }
  }

  async function record(m: OutboxMessage, token: string, outcome: AttemptOutcome, at: Date): Promise<Result> {
    const atIso = at.toISOString();
    const attempts = m.attempts + 1;
    if (outcome.kind === 'transport-failed') {
      const ok = await update(
        db,
        m,
        token,
        { attempts, last_error: outcome.reason, next_attempt_at: new Date(at.getTime() + retryDelayMs(attempts, TRANSPORT_RETRY_MAX_MS)).toISOString() },
        atIso,
      );
      return ok ? 'transport-failed' : 'lost-claim';
    }

    const pending = pendingRecipients(m);
    const answered =
      outcome.kind === 'answered'
        ? outcome
        : { accepted: [], bounced: [], deferred: pending.map((email) => ({ email, reply: outcome.reply, responseCode: outcome.responseCode })) };
    const accepted = [...m.accepted, ...answered.accepted.filter((a) => !m.accepted.includes(a))];
    const rejected = [...m.rejected, ...answered.bounced];
    const deferred = answered.deferred;
    const deferredSince = deferred.length > 0 ? (m.deferredSince ?? atIso) : m.deferredSince;
    const expired = deferred.length > 0 && at.getTime() - Date.parse(deferredSince!) >= windowMs;
    const lastError = deferred.length > 0 ? deferred.map((d) => `${d.email}: ${d.reply}`).join('; ') : null;
    const status: OutboxStatus = deferred.length > 0 ? (expired ? 'undeliverable' : 'queued') : accepted.length > 0 ? 'sent' : 'bounced';
    // the last retry lands on the end of the window, so the give-up is on time
    const retryAt = Math.min(at.getTime() + retryDelayMs(attempts), Date.parse(deferredSince ?? atIso) + windowMs);

    // emails outside any cycle (a staff sign-in link) have no secretariat to tell: the person asks again
    const isAlert = ALERT_PURPOSES.has(m.purpose) || m.cycleId === '';
    const bounceAlert =
      answered.bounced.length > 0 && !isAlert ? await alertRow(`${m.key}${BOUNCE_ALERT_KEY_SUFFIX}`, () => bounceAlertDraft(alerts, m, rejected, atIso)) : undefined;
    const undeliverableAlert =
      status === 'undeliverable' && !isAlert
        ? await alertRow(`${m.key}${UNDELIVERABLE_ALERT_KEY_SUFFIX}`, () =>
            undeliverableAlertDraft(
              alerts,
              m,
              deferred.map((d) => ({ email: d.email, reason: d.reply })),
              { since: deferredSince!, at: atIso, hours: windowMs / 3_600_000 },
            ),
          )
        : undefined;

    const ok = await db.transaction().execute(async (trx) => {
      const written = await update(
        trx,
        m,
        token,
        {
          status,
          accepted: JSON.stringify(accepted),
          rejected: JSON.stringify(rejected),
          attempts,
          last_error: lastError,
          deferred_since: deferredSince,
          next_attempt_at: status === 'queued' ? new Date(retryAt).toISOString() : m.nextAttemptAt,
          sent_at: status === 'sent' ? atIso : null,
        },
        atIso,
      );
      if (!written) return false;
      if (answered.bounced.length > 0) {
        await trx
          .insertInto('mail_bounces')
          .values(answered.bounced.map((b: Bounce) => ({ message_key: m.key, email: b.email, cycle_id: m.cycleId, unit_id: m.unitId, reason: b.reason, at: atIso })))
          .onConflict((oc) => oc.columns(['message_key', 'email']).doNothing())
          .execute();
      }
      for (const alert of [bounceAlert, undeliverableAlert]) if (alert) await insertOutboxRow(trx, alert, at);
      return true;
    });
    if (!ok) return 'lost-claim';
    if (status === 'undeliverable') log(`${m.key} is undeliverable after ${windowMs / 3_600_000} h: ${lastError ?? ''}`);
    return status === 'queued' ? 'deferred' : status;
  }

  async function deliver(m: OutboxMessage, token: string, at: Date): Promise<Result> {
    const stale = await staleReason(db, m, at);
    if (stale) {
      const ok = await update(db, m, token, { status: 'dropped', dropped_reason: stale }, at.toISOString());
      return ok ? 'dropped' : 'lost-claim';
    }
    const pending = pendingRecipients(m);
    const outcome: AttemptOutcome = pending.length > 0 ? await attemptDelivery(mailer, m, pending) : { kind: 'answered', accepted: [], bounced: [], deferred: [] };
    return record(m, token, outcome, at);
  }

  let transportWasDown = false;

  async function runOnce(at: Date = now()): Promise<DispatchSummary> {
    const token = randomUUID();
    const rows = await claim(at, token);
    const summary = emptySummary();
    summary.claimed = rows.length;
    let next = 0;
    const lane = async () => {
      while (next < rows.length && !summary.transportDown) {
        const m = rows[next++]!;
        try {
          const result = await deliver(m, token, at);
          if (result === 'transport-failed') {
            if (!transportWasDown && !summary.transportDown) log('SMTP server unreachable: emails wait in the outbox and are retried');
            summary.transportDown = true;
          } else if (result === 'lost-claim') {
            summary.errors.push(`${m.key}: claim expired during delivery; another dispatcher has it`);
          } else summary[result] += 1;
        } catch (err) {
          summary.errors.push(`${m.key}: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(config.mail.poolSize * LANES_PER_CONNECTION, rows.length)) }, lane));
    if (summary.transportDown) {
      // the rest of the batch was not tried: free for the next run (of any dispatcher)
      await db.updateTable('mail_outbox').set({ claim_token: null, claimed_until: null }).where('claim_token', '=', token).execute();
    } else if (transportWasDown && summary.claimed > 0) log('SMTP server reachable again');
    transportWasDown = summary.transportDown;
    for (const e of summary.errors) log(e);
    return summary;
  }

  // Every run of this dispatcher goes through one chain, so `idle()` also waits for a polling run in progress.
  let chain: Promise<unknown> = Promise.resolve();
  function serial(at?: Date): Promise<DispatchSummary> {
    const run = chain.then(() => runOnce(at));
    chain = run.catch(() => undefined);
    return run;
  }

  let loop: Promise<void> | undefined;
  let stopping = false;
  let kicked = false;
  let wake: (() => void) | undefined;

  async function poll(): Promise<void> {
    let outageMs = 0;
    while (!stopping) {
      kicked = false;
      let summary: DispatchSummary;
      try {
        summary = await serial();
      } catch (err) {
        log(`dispatch failed: ${(err as Error).message}`);
        summary = { ...emptySummary(), errors: [String(err)] };
      }
      outageMs = summary.transportDown ? Math.min(OUTAGE_POLL_MAX_MS, Math.max(pollMs, outageMs * 2)) : 0;
      const delay = outageMs || (summary.claimed >= batchSize || kicked ? 0 : pollMs);
      if (delay === 0 || stopping) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        // while SMTP is unreachable a kick changes nothing: wait for the backoff
        wake = outageMs
          ? undefined
          : () => {
              clearTimeout(timer);
              resolve();
            };
      });
      wake = undefined;
    }
  }

  return {
    runOnce: serial,
    async idle(at?: Date) {
      let total = emptySummary();
      for (;;) {
        const s = await serial(at);
        total = add(total, s);
        if (s.claimed === 0 || s.transportDown) return total;
      }
    },
    start() {
      if (loop) return;
      stopping = false;
      loop = poll();
    },
    kick() {
      kicked = true;
      wake?.();
    },
    async stop() {
      stopping = true;
      wake?.();
      await loop;
      loop = undefined;
      await chain;
    },
  };
}
