import { sql, type Kysely } from 'kysely';

// Data migration, run once: task emails settled before links were redacted at send time still held the plain
// link token in their stored copy. Later sends redact as they settle (activities/mail/redact.ts).
//
// Frozen history: everything this migration needs is copied here as it was when it shipped, so a later change
// of the runtime redaction (or of the outbox's statuses) never changes what migrating an old database does.
// test/mail/redaction.test.ts checks this copy against the runtime one.

const TASK_LINK_PATH = '/t/';
const TASK_TOKEN_LENGTH = 43;
const REDACTED_TOKEN = '[redacted]'.padEnd(TASK_TOKEN_LENGTH, '-');
const TASK_LINK_PURPOSES = ['task-assignment'];
const SETTLED_STATUSES = ['sent', 'bounced', 'undeliverable', 'dropped'];
const BATCH = 200;

const TOKEN_CHAR = /[A-Za-z0-9_-]/g;
const SOFT_BREAK = '(?:=\\r\\n)?';
const escapeChar = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const TASK_LINK = new RegExp(
  `(${[...TASK_LINK_PATH].map(escapeChar).join(SOFT_BREAK)})((?:${SOFT_BREAK}[A-Za-z0-9_-]){${TASK_TOKEN_LENGTH}})(?!${SOFT_BREAK}[A-Za-z0-9_-])`,
  'g',
);

/** Exported for the test that keeps this copy equal to activities/mail/redact.ts on every input it tries. */
export function redactTaskLinksAsOf0006(raw: string): string {
  return raw.replace(TASK_LINK, (_link, path: string, token: string) => {
    let i = 0;
    return path + token.replace(TOKEN_CHAR, () => REDACTED_TOKEN[i++]!);
  });
}

interface OutboxRow {
  key: string;
  raw: string;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  let after = '';
  for (;;) {
    const { rows } = await sql<OutboxRow>`
      select key, raw from mail_outbox
      where purpose in (${sql.join(TASK_LINK_PURPOSES)}) and status in (${sql.join(SETTLED_STATUSES)}) and key > ${after}
      order by key limit ${BATCH}`.execute(db);
    for (const r of rows) {
      const raw = redactTaskLinksAsOf0006(r.raw);
      if (raw === r.raw) continue;
      await sql`update mail_outbox set raw = ${raw} where key = ${r.key} and status in (${sql.join(SETTLED_STATUSES)})`.execute(db);
    }
    if (rows.length < BATCH) return;
    after = rows.at(-1)!.key;
  }
}

export async function down(): Promise<void> {
  // nothing to undo: a redacted token cannot (and must not) be restored
}
