// What the web app keeps in the project database: drafts, one-time sign-in links and staff sessions.
// Secrets (link tokens, session ids) are random 256-bit values stored only as SHA-256 hashes.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../activities/db/database';
import type { Phase } from '../../workflows/report';

export const SIGNIN_LINK_TTL_MS = 15 * 60_000;
export const SESSION_TTL_MS = 12 * 60 * 60_000;
/** at most this many unused sign-in links per address within SIGNIN_LINK_TTL_MS: no mail-bombing an officer */
export const MAX_PENDING_SIGNIN_LINKS = 3;
const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

// ── drafts ──────────────────────────────────────────────────────────────────────────────────────────────

export interface DraftKey {
  cycleId: string;
  unitId: string;
  phase: Phase;
}

export async function loadDraft(db: Db, key: DraftKey): Promise<{ content: unknown; updatedAt: string } | undefined> {
  const row = await db
    .selectFrom('web_drafts')
    .select(['content_json', 'updated_at'])
    .where('cycle_id', '=', key.cycleId)
    .where('unit_id', '=', key.unitId)
    .where('phase', '=', key.phase)
    .executeTakeFirst();
  return row ? { content: JSON.parse(row.content_json) as unknown, updatedAt: row.updated_at } : undefined;
}

export async function saveDraft(db: Db, key: DraftKey, content: unknown, now = new Date()): Promise<void> {
  const values = { cycle_id: key.cycleId, unit_id: key.unitId, phase: key.phase, content_json: JSON.stringify(content), updated_at: now.toISOString() };
  await db
    .insertInto('web_drafts')
    .values(values)
    .onConflict((oc) => oc.columns(['cycle_id', 'unit_id', 'phase']).doUpdateSet({ content_json: values.content_json, updated_at: values.updated_at }))
    .execute();
}

export async function deleteDraft(db: Db, key: DraftKey): Promise<void> {
  await db.deleteFrom('web_drafts').where('cycle_id', '=', key.cycleId).where('unit_id', '=', key.unitId).where('phase', '=', key.phase).execute();
}

// ── sign-in links ───────────────────────────────────────────────────────────────────────────────────────

/**
 * Stores a sign-in link for `email` unless the address already has MAX_PENDING_SIGNIN_LINKS unused ones, in the
 * caller's transaction; false when refused. Atomic: the address's lock row is written first, and on PostgreSQL
 * that row lock holds every other transaction for the same address until this one commits, so their count sees
 * this insert (SQLite runs one write transaction at a time). Counting and inserting without it let concurrent
 * requests each see room for one more.
 */
export async function insertSigninToken(trx: Db, email: string, tokenHash: string, now: Date): Promise<boolean> {
  const at = now.toISOString();
  await trx
    .insertInto('web_signin_locks')
    .values({ email, locked_at: at })
    .onConflict((oc) => oc.column('email').doUpdateSet({ locked_at: at }))
    .execute();
  const pending = await trx
    .selectFrom('web_signin_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('email', '=', email)
    .where('created_at', '>', new Date(now.getTime() - SIGNIN_LINK_TTL_MS).toISOString())
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  if (Number(pending.n) >= MAX_PENDING_SIGNIN_LINKS) return false;
  await trx
    .insertInto('web_signin_tokens')
    .values({ token_hash: tokenHash, email, created_at: at, expires_at: new Date(now.getTime() + SIGNIN_LINK_TTL_MS).toISOString(), used_at: null })
    .execute();
  return true;
}

/** A new one-time link token for `email`, or null when the address already has too many pending links. */
export async function createSigninToken(db: Db, email: string, now = new Date()): Promise<string | null> {
  const token = newSecret();
  const stored = await db.transaction().execute((trx) => insertSigninToken(trx, email, sha256(token), now));
  return stored ? token : null;
}

/** The address a sign-in link is for, without using it up (what the confirmation page shows). */
export async function peekSigninToken(db: Db, token: string, now = new Date()): Promise<string | undefined> {
  if (!SECRET_SHAPE.test(token)) return undefined;
  const row = await db
    .selectFrom('web_signin_tokens')
    .select('email')
    .where('token_hash', '=', sha256(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row?.email;
}

/** Uses a sign-in link up, atomically: of two concurrent uses exactly one gets the address. */
export async function consumeSigninToken(db: Db, token: string, now = new Date()): Promise<string | undefined> {
  const email = await peekSigninToken(db, token, now);
  if (!email) return undefined;
  const result = await db
    .updateTable('web_signin_tokens')
    .set({ used_at: now.toISOString() })
    .where('token_hash', '=', sha256(token))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? email : undefined;
}

// ── sessions ────────────────────────────────────────────────────────────────────────────────────────────

export async function createSession(db: Db, email: string, now = new Date()): Promise<{ sessionId: string; expiresAt: Date }> {
  const sessionId = newSecret();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db
    .insertInto('web_sessions')
    .values({ session_hash: sha256(sessionId), email, created_at: now.toISOString(), expires_at: expiresAt.toISOString(), revoked_at: null })
    .execute();
  return { sessionId, expiresAt };
}

export async function sessionEmail(db: Db, sessionId: string, now = new Date()): Promise<string | undefined> {
  if (!SECRET_SHAPE.test(sessionId)) return undefined;
  const row = await db
    .selectFrom('web_sessions')
    .select('email')
    .where('session_hash', '=', sha256(sessionId))
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row?.email;
}

export async function revokeSession(db: Db, sessionId: string, now = new Date()): Promise<void> {
  await db.updateTable('web_sessions').set({ revoked_at: now.toISOString() }).where('session_hash', '=', sha256(sessionId)).execute();
}
