// What the web app keeps in the database — drafts, one-time sign-in links, sessions — and who counts as staff,
// on SQLite and (with TEST_DATABASE_URL) PostgreSQL.
import { CompiledQuery, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contactEmailQuery, snapshotCycleTree, unitsByContactEmail, upsertUnits } from '../../activities/directory/repository';
import { staffCycles, staffUnits } from '../../client/web/staff';
import {
  consumeSigninToken,
  createSession,
  createSigninToken,
  deleteDraft,
  loadDraft,
  MAX_PENDING_SIGNIN_LINKS,
  peekSigninToken,
  revokeSession,
  saveDraft,
  sessionEmail,
  SESSION_TTL_MS,
  SIGNIN_LINK_TTL_MS,
} from '../../client/web/stores';
import { testDatabases, type TestDatabase } from '../db/databases';
import { officerEmail, webTree } from './support';

const T0 = new Date('2027-02-01T02:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

describe.each(testDatabases())('web stores on $name', (kind) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await kind.open();
    await upsertUnits(t.db, webTree());
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('keeps one draft per unit and phase, replaced on save, removed on submit', async () => {
    const key = { cycleId: 'cycle-2027-LDLD-TN', unitId: 'CDCS-MAY', phase: 'plan' as const };
    expect(await loadDraft(t.db, key)).toBeUndefined();
    await saveDraft(t.db, key, { title: 'Bản nháp 1' }, T0);
    await saveDraft(t.db, key, { title: 'Bản nháp 2 – Đức Giang' }, later(1000));
    await saveDraft(t.db, { ...key, phase: 'report' }, { leadership: 'x' }, T0);
    expect(await loadDraft(t.db, key)).toEqual({ content: { title: 'Bản nháp 2 – Đức Giang' }, updatedAt: later(1000).toISOString() });
    await deleteDraft(t.db, key);
    expect(await loadDraft(t.db, key)).toBeUndefined();
    expect(await loadDraft(t.db, { ...key, phase: 'report' })).toBeDefined();
  });

  it('uses a sign-in link once, within its lifetime; peeking does not use it', async () => {
    const token = (await createSigninToken(t.db, 'a@example.vn', T0))!;
    expect(await peekSigninToken(t.db, token, later(1000))).toBe('a@example.vn');
    expect(await peekSigninToken(t.db, token, later(2000))).toBe('a@example.vn');
    expect(await consumeSigninToken(t.db, token, later(SIGNIN_LINK_TTL_MS + 1))).toBeUndefined();
    const [first, second] = await Promise.all([consumeSigninToken(t.db, token, later(3000)), consumeSigninToken(t.db, token, later(3000))]);
    expect([first, second].filter(Boolean)).toEqual(['a@example.vn']);
    expect(await consumeSigninToken(t.db, token, later(4000))).toBeUndefined();
    expect(await peekSigninToken(t.db, 'x'.repeat(43), later(1000))).toBeUndefined();
    expect(await peekSigninToken(t.db, 'not a token', later(1000))).toBeUndefined();
  });

  it('refuses more than a few pending links per address (no mail-bombing), again after they expire', async () => {
    for (let i = 0; i < MAX_PENDING_SIGNIN_LINKS; i++) expect(await createSigninToken(t.db, 'b@example.vn', later(i))).toBeTypeOf('string');
    expect(await createSigninToken(t.db, 'b@example.vn', later(10))).toBeNull();
    expect(await createSigninToken(t.db, 'c@example.vn', later(10))).toBeTypeOf('string');
    expect(await createSigninToken(t.db, 'b@example.vn', later(SIGNIN_LINK_TTL_MS + 100))).toBeTypeOf('string');
  });

  it('keeps the cap under concurrent requests for one address: a burst gets exactly the cap, not one link each', async () => {
    // every connection of the pool open first, so the attempts really run side by side (PostgreSQL)
    await Promise.all(Array.from({ length: 10 }, () => sql`select 1`.execute(t.db)));
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => createSigninToken(t.db, 'burst@example.vn', later(i % 3))));
    expect(burst.filter((token) => token !== null)).toHaveLength(MAX_PENDING_SIGNIN_LINKS);
    const rows = await t.db.selectFrom('web_signin_tokens').select('email').where('email', '=', 'burst@example.vn').execute();
    expect(rows).toHaveLength(MAX_PENDING_SIGNIN_LINKS);
    // another address is not held up by the first one's cap
    expect(await createSigninToken(t.db, 'other@example.vn', later(5))).toBeTypeOf('string');
  });

  it('finds staff by address through the lower-cased address indexes, not a scan of the directory', async () => {
    const query = contactEmailQuery(t.db, 'canbo.cdcs-kd@example.vn', '2027-01-01').compile();
    const explain = async (db: typeof t.db, prefix: string) =>
      (await db.executeQuery<Record<string, string>>(CompiledQuery.raw(`${prefix} ${query.sql}`, [...query.parameters]))).rows.map((r) => Object.values(r).join(' ')).join('\n');
    const plan =
      kind.name === 'sqlite'
        ? await explain(t.db, 'EXPLAIN QUERY PLAN')
        : // The planner would rightly scan six rows; forbid the scan to learn whether the indexes can serve the query.
          await t.db.transaction().execute(async (trx) => {
            await sql`SET LOCAL enable_seqscan = off`.execute(trx);
            return explain(trx, 'EXPLAIN');
          });
    expect(plan).toContain('units_officer_email_lower');
    expect(plan).toContain('units_chair_email_lower');
    expect(plan).not.toMatch(/SCAN units(?! USING)|Seq Scan on units/);
  });

  it('keeps sessions until they expire or are revoked; the id itself is never stored', async () => {
    const { sessionId } = await createSession(t.db, 'a@example.vn', T0);
    expect(await sessionEmail(t.db, sessionId, later(1000))).toBe('a@example.vn');
    expect(await sessionEmail(t.db, sessionId, later(SESSION_TTL_MS + 1))).toBeUndefined();
    const rows = await t.db.selectFrom('web_sessions').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(sessionId);
    await revokeSession(t.db, sessionId, later(2000));
    expect(await sessionEmail(t.db, sessionId, later(3000))).toBeUndefined();
  });

  it('finds units by contact address in the directory: officer or chair, any case, active on the date, with parents', async () => {
    const kd = webTree().find((u) => u.id === 'CDCS-KD')!;
    // one address that is CDCS-KD's officer and LDLD-DONG's chair, stored in mixed case
    const dong = webTree().find((u) => u.id === 'LDLD-DONG')!;
    await upsertUnits(t.db, [{ ...dong, chair: { ...dong.chair, email: 'Hai.Vai@Example.VN' } }, { ...kd, officer: { ...kd.officer, email: 'hai.vai@example.vn' } }]);
    const found = await unitsByContactEmail(t.db, '  HAI.vai@example.vn ', '2027-01-01');
    expect(found.map((u) => [u.id, u.parentId])).toEqual([
      ['CDCS-KD', 'CDN-GD'],
      ['LDLD-DONG', 'LDLD-TN'],
    ]);
    expect(found[1]!.name).toBe('Liên đoàn Lao động huyện Đồng Hỷ');
    // not yet active, dissolved: not on that date
    expect((await unitsByContactEmail(t.db, 'hai.vai@example.vn', '2019-12-31')).map((u) => u.id)).toEqual([]);
    await upsertUnits(t.db, [{ ...kd, officer: { ...kd.officer, email: 'hai.vai@example.vn' }, activeTo: '2026-12-31' }]);
    expect((await unitsByContactEmail(t.db, 'hai.vai@example.vn', '2026-12-31')).map((u) => u.id)).toEqual(['CDCS-KD', 'LDLD-DONG']);
    expect((await unitsByContactEmail(t.db, 'hai.vai@example.vn', '2027-01-01')).map((u) => u.id)).toEqual(['LDLD-DONG']);
    // a unit without a chair address never matches a blank one
    await upsertUnits(t.db, [{ ...kd, chair: { name: 'Chưa có', email: '' } }]);
    expect(await unitsByContactEmail(t.db, '  ', '2026-06-01')).toEqual([]);
    await expect(unitsByContactEmail(t.db, 'hai.vai@example.vn', '2027-13-01')).rejects.toMatchObject({ code: 'DirectoryInputError' });
  });

  it('recognises staff by officer or chair address, case-insensitively, and lists the cycles of their units', async () => {
    expect((await staffUnits(t.db, officerEmail('LDLD-DONG').toUpperCase(), '2027-01-01')).map((u) => u.id)).toEqual(['LDLD-DONG']);
    expect((await staffUnits(t.db, 'chutich.cdn-gd@example.vn', '2027-01-01')).map((u) => u.id)).toEqual(['CDN-GD']);
    expect(await staffUnits(t.db, 'nobody@example.vn', '2027-01-01')).toEqual([]);
    // A unit that no longer exists gives its officer no access.
    const gone = webTree().find((u) => u.id === 'CDCS-KD')!;
    await upsertUnits(t.db, [{ ...gone, activeTo: '2026-12-31' }]);
    expect(await staffUnits(t.db, officerEmail('CDCS-KD'), '2027-01-01')).toEqual([]);

    await snapshotCycleTree(t.db, { cycleId: 'cycle-2027-LDLD-TN', rootId: 'LDLD-TN', asOf: '2026-11-01' });
    const dong = { email: officerEmail('LDLD-DONG'), units: await staffUnits(t.db, officerEmail('LDLD-DONG'), '2027-01-01') };
    expect((await staffCycles(t.db, dong)).map((c) => [c.cycleId, c.rootId, c.unitCount])).toEqual([['cycle-2027-LDLD-TN', 'LDLD-TN', 6]]);
    expect(await staffCycles(t.db, { email: 'x', units: [] })).toEqual([]);
  });
});
