// Read-only links to a cycle's issuing document, for emails that cannot repeat the unit's task link (reminders,
// overdue notices: only the task token's hash is kept). Each such email mints its own token, stored hashed like
// a task link (migration 0013, table document_links), under the task links' path — `/t/<token>/document` — so
// the log and outbox redaction of task links covers it. A document token opens the document page and its files
// only: the task page refuses it (verifyUnitToken reads access_tokens alone).
import { z } from 'zod';
import type { Db } from '../db/database';
import { hashToken, InvalidUnitTokenError, newUnitToken, TASK_LINK_PATH, verifyUnitToken } from './tokens';

/** the document page of a unit's link: `${TASK_LINK_PATH}<token>${DOCUMENT_LINK_SUFFIX}` */
export const DOCUMENT_LINK_SUFFIX = '/document';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** a document link of an email that knows no cycle end lives this long (a reminder's link outlives its deadline) */
export const DOCUMENT_LINK_FALLBACK_MS = 400 * 24 * 60 * 60 * 1000;

export function documentLink(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${TASK_LINK_PATH}${token}${DOCUMENT_LINK_SUFFIX}`;
}

/** A fresh document token and its hash, not yet stored. */
export const newDocumentToken = newUnitToken;

const mintSchema = z.object({
  cycleId: z.string().min(1).max(200),
  unitId: z.string().min(1).max(64),
  expiresAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString()),
});

export async function storeDocumentToken(db: Db, tokenHash: string, input: { cycleId: string; unitId: string; expiresAt: string }, now: Date): Promise<void> {
  const { cycleId, unitId, expiresAt } = mintSchema.parse(input);
  await db.insertInto('document_links').values({ token_hash: tokenHash, cycle_id: cycleId, unit_id: unitId, created_at: now.toISOString(), expires_at: expiresAt }).execute();
}

/** When the unit's task link of this cycle stops working (its latest one), if it has one: a document link lives as long. */
export async function taskLinkExpiry(db: Db, cycleId: string, unitId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('access_tokens')
    .select('expires_at')
    .where('cycle_id', '=', cycleId)
    .where('unit_id', '=', unitId)
    .orderBy('expires_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.expires_at;
}

export interface DocumentAccess {
  cycleId: string;
  unitId: string;
  /** the unit's task link, or a reminder's read-only document link */
  via: 'task' | 'document';
}

/**
 * Who may read a cycle's issuing document with this token: the unit's task link (unknown, revoked or expired are
 * refused as on the task page), else a document link of an email. InvalidUnitTokenError otherwise.
 */
export async function verifyDocumentAccess(db: Db, token: string, now: Date): Promise<DocumentAccess> {
  try {
    return { ...(await verifyUnitToken(db, token, now)), via: 'task' };
  } catch (err) {
    if (!(err instanceof InvalidUnitTokenError) || err.reason !== 'unknown') throw err;
  }
  if (!TOKEN_SHAPE.test(token)) throw new InvalidUnitTokenError('unknown');
  const row = await db.selectFrom('document_links').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!row) throw new InvalidUnitTokenError('unknown');
  if (now.getTime() >= Date.parse(row.expires_at)) throw new InvalidUnitTokenError('expired');
  return { cycleId: row.cycle_id, unitId: row.unit_id, via: 'document' };
}
