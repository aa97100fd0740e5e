import { type Kysely, sql } from 'kysely';

// Email leaves the workflows' critical path (docs/EMAIL.md): the mail activities only queue a message, a
// dispatcher in the worker delivers it. The outbox gains the dispatcher's bookkeeping (when to try next, who
// holds the row, since when a server keeps deferring it, what would make it stale) and three statuses:
// `queued` (replaces `sending`), `undeliverable` (deferred past the retry window), `dropped` (stale).
// SQLite cannot change a CHECK constraint in place, so the table is rebuilt, the same way on both databases.
// Written out in full on purpose: a landed migration never changes when code does.
/* eslint-disable @typescript-eslint/no-explicit-any */

const NEW_STATUSES = ['queued', 'sent', 'bounced', 'undeliverable', 'dropped'];
const OLD_STATUSES = ['sending', 'sent', 'bounced'];

function oneOf(column: string, values: readonly string[]) {
  return sql<boolean>`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}

const COMMON = ['key', 'message_id', 'purpose', 'cycle_id', 'unit_id', 'envelope_from', 'recipients', 'accepted', 'rejected', 'subject', 'raw', 'attempts', 'last_error', 'created_at', 'updated_at', 'sent_at'];

function outboxTable(db: Kysely<any>, name: string, statuses: readonly string[]) {
  return db.schema
    .createTable(name)
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('cycle_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('envelope_from', 'text', (c) => c.notNull())
    .addColumn('recipients', 'text', (c) => c.notNull())
    .addColumn('accepted', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('rejected', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('raw', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(oneOf('status', statuses)))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text');
}

async function replace(db: Kysely<any>, build: (name: string) => { execute(): Promise<void> }, copy: (from: string, to: string) => Promise<unknown>) {
  await build('mail_outbox_rebuilt').execute();
  await copy('mail_outbox', 'mail_outbox_rebuilt');
  await db.schema.dropTable('mail_outbox').execute();
  await db.schema.alterTable('mail_outbox_rebuilt').renameTo('mail_outbox').execute();
  await db.schema.createIndex('mail_outbox_cycle_idx').on('mail_outbox').columns(['cycle_id', 'status']).execute();
}

export async function up(db: Kysely<any>): Promise<void> {
  await replace(
    db,
    (name) =>
      outboxTable(db, name, NEW_STATUSES)
        // wall-clock instant (ISO) from which the dispatcher may try the row
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        // a dispatcher holds the row until then (ISO); another one may take it after
        .addColumn('claimed_until', 'text')
        .addColumn('claim_token', 'text')
        // first 4xx from a server that answered: the retry window runs from here
        .addColumn('deferred_since', 'text')
        // plan | report, for the emails about one phase
        .addColumn('phase', 'text')
        // JSON: what makes the email stale (reminders, escalation digests); null: always delivered
        .addColumn('stale_check', 'text')
        .addColumn('dropped_reason', 'text'),
    async (from, to) => {
      const cols = sql.join(COMMON.map((c) => sql.ref(c)));
      // a row `sending` was waiting for its activity's retry: now the dispatcher's, due at once
      await sql`insert into ${sql.table(to)} (${cols}, status, next_attempt_at)
        select ${cols}, case when status = 'sending' then 'queued' else status end, updated_at from ${sql.table(from)}`.execute(db);
    },
  );
  await db.schema.createIndex('mail_outbox_due_idx').on('mail_outbox').columns(['status', 'next_attempt_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await replace(
    db,
    (name) => outboxTable(db, name, OLD_STATUSES),
    async (from, to) => {
      const cols = sql.join(COMMON.map((c) => sql.ref(c)));
      await sql`insert into ${sql.table(to)} (${cols}, status)
        select ${cols}, case when status = 'queued' then 'sending' when status in ('undeliverable', 'dropped') then 'bounced' else status end from ${sql.table(from)}`.execute(db);
    },
  );
}
