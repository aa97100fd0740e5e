import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hashToken,
  InvalidUnitTokenError,
  mintUnitToken,
  revokeUnitTokens,
  TASK_LINK_PATH,
  unitTaskLink,
  verifyUnitToken,
} from '../../activities/access/tokens';
import { migrateToLatest, openDatabase, type Db } from '../../activities/db/database';

const CYCLE = 'cycle-2027-LDLD-HN';
const EXPIRES = '2027-12-31T16:59:59.000Z';

let db: Db;
beforeAll(async () => {
  db = openDatabase({ kind: 'sqlite', file: ':memory:' });
  await migrateToLatest(db);
});
afterAll(async () => db.destroy());

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidUnitTokenError);
    expect((err as InvalidUnitTokenError).code).toBe('InvalidUnitTokenError');
    return (err as InvalidUnitTokenError).reason;
  }
  throw new Error('expected the token to be refused');
}

describe('unit access tokens', () => {
  it('a minted token maps to exactly its unit and cycle until it expires', async () => {
    const { token } = await mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-0412', expiresAt: EXPIRES });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    await expect(verifyUnitToken(db, token, '2027-03-01T00:00:00.000Z')).resolves.toEqual({ cycleId: CYCLE, unitId: 'CDCS-0412' });
    await expect(verifyUnitToken(db, token, new Date('2027-12-31T16:59:58.999Z'))).resolves.toEqual({ cycleId: CYCLE, unitId: 'CDCS-0412' });
    expect(await reasonOf(verifyUnitToken(db, token, EXPIRES))).toBe('expired');
  });

  it('only the SHA-256 of the token is stored', async () => {
    const { token } = await mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-0500', expiresAt: EXPIRES });
    const rows = await db.selectFrom('access_tokens').selectAll().where('unit_id', '=', 'CDCS-0500').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(rows[0]!.token_hash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]!.purpose).toBe('unit-task');
  });

  it('every mint is a different random token', async () => {
    const tokens = await Promise.all(Array.from({ length: 20 }, () => mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-0600', expiresAt: EXPIRES })));
    expect(new Set(tokens.map((t) => t.token)).size).toBe(20);
  });

  it('unknown, malformed and tampered tokens are refused as unknown', async () => {
    const { token } = await mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-0700', expiresAt: EXPIRES });
    const tampered = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    const now = '2027-03-01T00:00:00.000Z';
    expect(await reasonOf(verifyUnitToken(db, tampered, now))).toBe('unknown');
    expect(await reasonOf(verifyUnitToken(db, '', now))).toBe('unknown');
    expect(await reasonOf(verifyUnitToken(db, "x' OR 1=1 --", now))).toBe('unknown');
    expect(await reasonOf(verifyUnitToken(db, hashToken(token), now))).toBe('unknown');
  });

  it('revoking a unit revokes its live tokens in that cycle only', async () => {
    const a = await mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-0800', expiresAt: EXPIRES });
    const b = await mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-0800', expiresAt: EXPIRES });
    const otherUnit = await mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-0801', expiresAt: EXPIRES });
    const otherCycle = await mintUnitToken(db, { cycleId: 'cycle-2028-LDLD-HN', unitId: 'CDCS-0800', expiresAt: '2028-12-31T16:59:59.000Z' });
    expect(await revokeUnitTokens(db, { cycleId: CYCLE, unitId: 'CDCS-0800' })).toEqual({ revoked: 2 });
    const now = '2027-03-01T00:00:00.000Z';
    expect(await reasonOf(verifyUnitToken(db, a.token, now))).toBe('revoked');
    expect(await reasonOf(verifyUnitToken(db, b.token, now))).toBe('revoked');
    // a revoked token stays revoked after expiry too: revocation is the stronger statement
    expect(await reasonOf(verifyUnitToken(db, a.token, '2030-01-01T00:00:00.000Z'))).toBe('revoked');
    await expect(verifyUnitToken(db, otherUnit.token, now)).resolves.toEqual({ cycleId: CYCLE, unitId: 'CDCS-0801' });
    await expect(verifyUnitToken(db, otherCycle.token, now)).resolves.toEqual({ cycleId: 'cycle-2028-LDLD-HN', unitId: 'CDCS-0800' });
    expect(await revokeUnitTokens(db, { cycleId: CYCLE, unitId: 'CDCS-0800' })).toEqual({ revoked: 0 });
  });

  it('errors speak Vietnamese and English', () => {
    expect(new InvalidUnitTokenError('expired').message).toBe('Đường liên kết đã hết hạn. / This link has expired.');
  });

  it('refuses to mint with a bad expiry', async () => {
    await expect(mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-0900', expiresAt: '31/12/2027' })).rejects.toThrow(/expiresAt/);
  });

  it('task links live under /t/ of the public URL', () => {
    expect(unitTaskLink('https://baocao.ldld-hn.vn/', 'abc')).toBe('https://baocao.ldld-hn.vn/t/abc');
    expect(TASK_LINK_PATH).toBe('/t/');
  });
});
