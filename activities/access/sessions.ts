import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database';
import { hashToken } from './tokens';

// The browsers that used a unit's link. A link is a bearer secret valid for months, so the unit's officer can see
// every browser that used it (first and last use, user agent) and end any of them: the browser's cookie names
// its session, and an ended session is refused even though it still holds the link. (A link copied to a fresh
// browser opens a new session, visible in the list: the cure for that is a new link, which revokes the old.)

/** Cookie names are this prefix + a prefix of the link's hash: one session per link per browser. */
export const LINK_SESSION_COOKIE_PREFIX = 'baocao_link_';
export const LINK_SESSION_USER_AGENT_CHARS = 300;
/** How many sessions the unit's page lists (most recently used first). */
export const LINK_SESSIONS_LISTED = 20;
const SESSION_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A browser whose session the unit's officer ended: refused while it keeps its cookie. */
export class LinkSessionEndedError extends Error {
  readonly code = 'LinkSessionEndedError';
  constructor() {
    super('Phiên làm việc của trình duyệt này với đường liên kết đã bị đơn vị chấm dứt. / This browser’s session with the link was ended by the unit.');
    this.name = 'LinkSessionEndedError';
  }
}

export function linkSessionCookieName(token: string): string {
  return `${LINK_SESSION_COOKIE_PREFIX}${hashToken(token).slice(0, 16)}`;
}

export interface LinkSession {
  /** the SHA-256 of the session id: names the session in forms without revealing it */
  id: string;
  createdAt: string;
  lastSeenAt: string;
  userAgent: string;
  endedAt: string | null;
}

/**
 * The session of this browser with this (already verified) link: the one its cookie names, touched, or a new one.
 * Throws LinkSessionEndedError when the cookie names an ended session.
 */
export async function openLinkSession(
  db: Db,
  input: { token: string; cycleId: string; unitId: string; sessionId?: string; userAgent: string },
  now = new Date(),
): Promise<{ sessionId: string; id: string; created: boolean }> {
  const tokenHash = hashToken(input.token);
  const at = now.toISOString();
  if (input.sessionId && SESSION_SHAPE.test(input.sessionId)) {
    const id = hashToken(input.sessionId);
    const row = await db.selectFrom('unit_link_sessions').select(['revoked_at']).where('session_hash', '=', id).where('token_hash', '=', tokenHash).executeTakeFirst();
    if (row) {
      if (row.revoked_at !== null) throw new LinkSessionEndedError();
      await db.updateTable('unit_link_sessions').set({ last_seen_at: at }).where('session_hash', '=', id).execute();
      return { sessionId: input.sessionId, id, created: false };
    }
  }
  const sessionId = randomBytes(32).toString('base64url');
  const id = hashToken(sessionId);
  await db
    .insertInto('unit_link_sessions')
    .values({
      session_hash: id,
      token_hash: tokenHash,
      cycle_id: input.cycleId,
      unit_id: input.unitId,
      user_agent: input.userAgent.slice(0, LINK_SESSION_USER_AGENT_CHARS),
      created_at: at,
      last_seen_at: at,
      revoked_at: null,
    })
    .execute();
  return { sessionId, id, created: true };
}

/** The unit's link sessions in a cycle, most recently used first (at most LINK_SESSIONS_LISTED). */
export async function listLinkSessions(db: Db, scope: { cycleId: string; unitId: string }): Promise<LinkSession[]> {
  const rows = await db
    .selectFrom('unit_link_sessions')
    .select(['session_hash', 'created_at', 'last_seen_at', 'user_agent', 'revoked_at'])
    .where('cycle_id', '=', scope.cycleId)
    .where('unit_id', '=', scope.unitId)
    .orderBy('last_seen_at', 'desc')
    .orderBy('session_hash')
    .limit(LINK_SESSIONS_LISTED)
    .execute();
  return rows.map((r) => ({ id: r.session_hash, createdAt: r.created_at, lastSeenAt: r.last_seen_at, userAgent: r.user_agent, endedAt: r.revoked_at }));
}

/** Ends one of the unit's sessions (only the unit's own: the scope is part of the match). Returns whether it did. */
export async function endLinkSession(db: Db, scope: { cycleId: string; unitId: string }, id: string, now = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('unit_link_sessions')
    .set({ revoked_at: now.toISOString() })
    .where('session_hash', '=', id)
    .where('cycle_id', '=', scope.cycleId)
    .where('unit_id', '=', scope.unitId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
