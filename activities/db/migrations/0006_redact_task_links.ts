import type { Kysely } from 'kysely';
import { redactSettledTaskLinks } from '../../mail/outbox';
import type { Database } from '../schema';

// Data migration, run once: task emails settled before links were redacted at send time still held the plain
// link token in their stored copy. Later sends redact as they settle (activities/mail/outbox.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await redactSettledTaskLinks(db as unknown as Kysely<Database>);
}

export async function down(): Promise<void> {
  // nothing to undo: a redacted token cannot (and must not) be restored
}
