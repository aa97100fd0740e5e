import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/database';

// Personal links for units: `${publicUrl}/t/${token}`. Only the SHA-256 of a token is stored, so a copy of
// the database (a backup, a support dump) cannot be used to submit on a unit's behalf.

/** The one purpose of a unit token: acting on its task in one cycle. */
export const UNIT_TASK_PURPOSE = 'unit-task';
/** Path prefix of task links; the web app serves `${TASK_LINK_PATH}:token`. */
export const TASK_LINK_PATH = '/t/';
const TOKEN_BYTES = 32;
/** base64url of 32 bytes, no padding */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export type InvalidTokenReason = 'unknown' | 'expired' | 'revoked';

const REASON_TEXT: Record<InvalidTokenReason, string> = {
  unknown: 'Đường liên kết không hợp lệ. / This link is not valid.',
  expired: 'Đường liên kết đã hết hạn. / This link has expired.',
  revoked: 'Đường liên kết đã bị thu hồi; đề nghị dùng đường liên kết trong thư mới nhất. / This link was revoked; use the link in the latest email.',
};

/** A task link that does not (or no longer) grants access. `reason` says which, the message says it to a person. */
export class InvalidUnitTokenError extends Error {
  readonly code = 'InvalidUnitTokenError';
  constructor(readonly reason: InvalidTokenReason) {
    super(REASON_TEXT[reason]);
    this.name = 'InvalidUnitTokenError';
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A fresh token and its hash, not yet stored: `storeUnitToken` makes it valid. */
export function newUnitToken(): { token: string; tokenHash: string } {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, tokenHash: hashToken(token) };
}

export function unitTaskLink(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${TASK_LINK_PATH}${token}`;
}

const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());
const scopeSchema = z.object({ cycleId: z.string().min(1).max(200), unitId: z.string().min(1).max(64) });
const mintSchema = scopeSchema.extend({ expiresAt: instant });

export interface MintUnitTokenInput {
  cycleId: string;
  unitId: string;
  /** ISO-8601 instant; the link stops working then (normally the cycle's closesAt) */
  expiresAt: string;
}

/** Stores the hash of an already generated token (used inside the outbox transaction). */
export async function storeUnitToken(db: Db, tokenHash: string, input: MintUnitTokenInput, now = new Date()): Promise<void> {
  const { cycleId, unitId, expiresAt } = mintSchema.parse(input);
  await db
    .insertInto('access_tokens')
    .values({
      token_hash: tokenHash,
      purpose: UNIT_TASK_PURPOSE,
      cycle_id: cycleId,
      unit_id: unitId,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      revoked_at: null,
    })
    .execute();
}

/** A new personal link token for one unit in one cycle. The plain token is returned once and never stored. */
export async function mintUnitToken(db: Db, input: MintUnitTokenInput): Promise<{ token: string }> {
  const { token, tokenHash } = newUnitToken();
  await storeUnitToken(db, tokenHash, input);
  return { token };
}

/** The unit and cycle a token grants, or InvalidUnitTokenError (unknown, revoked, expired — checked in that order). */
export async function verifyUnitToken(db: Db, token: string, now: Date | string): Promise<{ cycleId: string; unitId: string }> {
  if (!TOKEN_SHAPE.test(token)) throw new InvalidUnitTokenError('unknown');
  const row = await db
    .selectFrom('access_tokens')
    .select(['cycle_id', 'unit_id', 'expires_at', 'revoked_at'])
    .where('token_hash', '=', hashToken(token))
    .where('purpose', '=', UNIT_TASK_PURPOSE)
    .executeTakeFirst();
  if (!row) throw new InvalidUnitTokenError('unknown');
  if (row.revoked_at !== null) throw new InvalidUnitTokenError('revoked');
  const nowMs = typeof now === 'string' ? Date.parse(now) : now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError(`verifyUnitToken: invalid now ${String(now)}`);
  if (nowMs >= Date.parse(row.expires_at)) throw new InvalidUnitTokenError('expired');
  return { cycleId: row.cycle_id, unitId: row.unit_id };
}

/** Revokes every live token of a unit in a cycle (e.g. a link was forwarded). Returns how many were revoked. */
export async function revokeUnitTokens(db: Db, input: { cycleId: string; unitId: string }, now = new Date()): Promise<{ revoked: number }> {
  const { cycleId, unitId } = scopeSchema.parse(input);
  const result = await db
    .updateTable('access_tokens')
    .set({ revoked_at: now.toISOString() })
    .where('cycle_id', '=', cycleId)
    .where('unit_id', '=', unitId)
    .where('purpose', '=', UNIT_TASK_PURPOSE)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return { revoked: Number(result.numUpdatedRows) };
}
