// The content hash of the archive's submissions (migration 0009): backfilled from the stored content for rows
// written before it, recorded on every write, and what tells a retried write from other content.
import { Migrator, PostgresAdapter, sql, type Migration } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { SubmissionConflictError } from '../../activities/archive/errors';
import { latestSubmission, storeSubmission, type StoreSubmissionInput } from '../../activities/archive/store';
import { migrateToLatest } from '../../activities/db/database';
import { migrations } from '../../activities/db/migrations';
import { contentHash } from '../../workflows/content-hash';
import { recordedPlanContentSchema } from '../../workflows/report';
import { ownTables, testDatabases, type TestDatabase } from './databases';

const PLAN = { title: 'Kế hoạch học tập năm 2027', number: '12/KH-CĐ', body: 'Tổ chức học tập chuyên đề cho đoàn viên.' };
// the same plan as another machine might have typed it: combining marks (NFD), Windows line breaks, spaces around
const PLAN_TYPED_ELSEWHERE = { title: ` ${PLAN.title.normalize('NFD')}\r\n`, number: PLAN.number, body: PLAN.body.normalize('NFD') };

const submission = (over: Partial<StoreSubmissionInput> = {}): StoreSubmissionInput => ({
  cycleId: 'cycle-2027-LDLD-BN',
  unitId: 'CD-001',
  phase: 'plan',
  version: 1,
  idempotencyKey: 'key-1',
  content: PLAN,
  channel: 'web',
  submittedBy: 'Nguyễn Thị Hoà',
  submittedAt: '2027-01-20T03:00:00.000Z',
  late: false,
  ...over,
});

/**
 * A migrator over some of the migrations. On PostgreSQL it is told the schema in use (as migrateToLatest does),
 * or the migration table of a parallel test's schema would make it believe its own has run.
 */
async function migratorOf(db: TestDatabase['db'], only: (name: string) => boolean): Promise<Migrator> {
  const chosen: Record<string, Migration> = Object.fromEntries(Object.entries(migrations).filter(([name]) => only(name)));
  const schema =
    db.getExecutor().adapter instanceof PostgresAdapter ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  return new Migrator({ db, provider: { getMigrations: async () => chosen }, allowUnorderedMigrations: true, ...(schema ? { migrationTableSchema: schema } : {}) });
}

describe.each(testDatabases())('submission content hash on $name', (kind) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  it('is backfilled by migration 0009 from the stored content, normalised as the schemas normalise it', async () => {
    t = await kind.open({ migrate: false });
    const migrator = await migratorOf(t.db, (name) => name < '0009');
    expect((await t!.migrating(() => migrator.migrateToLatest())).error).toBeUndefined();
    // rows as the archive held them before 0009 (more than one backfill batch), one of them typed in NFD
    const rows = Array.from({ length: 1203 }, (_, i) => ({
      cycle_id: 'cycle-2027-LDLD-BN',
      unit_id: `CD-${String(i).padStart(4, '0')}`,
      phase: i % 2 === 0 ? 'plan' : 'report',
      version: 1 + (i % 3),
      idempotency_key: `k${i}`,
      content_json: JSON.stringify(i === 7 ? PLAN_TYPED_ELSEWHERE : { ...PLAN, number: `${i}/KH` }),
      channel: 'cli',
      submitted_by: '',
      submitted_at: '2027-01-20T03:00:00.000Z',
      late: 0,
    }));
    for (let i = 0; i < rows.length; i += 200) await t.db.insertInto('submissions').values(rows.slice(i, i + 200) as never).execute();

    await migrateToLatest(t.db);

    const stored = await t.db.selectFrom('submissions').select(['unit_id', 'content_hash']).execute();
    expect(stored).toHaveLength(rows.length);
    const byUnit = new Map(stored.map((r) => [r.unit_id, r.content_hash]));
    for (const r of rows) expect(byUnit.get(r.unit_id), r.unit_id).toBe(contentHash(recordedPlanContentSchema.parse(JSON.parse(r.content_json))));
    // the NFD row hashes as the same plan typed in NFC: the hash the workflow gives the normalised submission
    expect(byUnit.get('CD-0007')).toBe(contentHash(recordedPlanContentSchema.parse(PLAN)));
  });

  it('is recorded on every write and returned with the latest version', async () => {
    t = await kind.open();
    const content = recordedPlanContentSchema.parse(PLAN_TYPED_ELSEWHERE);
    expect(await storeSubmission(t.db, submission({ content }))).toEqual({ stored: true });
    const row = await t.db.selectFrom('submissions').select(['content_hash']).executeTakeFirstOrThrow();
    expect(row.content_hash).toBe(contentHash(content));
    expect(row.content_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await latestSubmission(t.db, 'cycle-2027-LDLD-BN', 'CD-001', 'plan')).toMatchObject({ version: 1, contentHash: contentHash(content), content });
  });

  it('takes a repeated write of the same content as a no-op and refuses other content under the same version', async () => {
    t = await kind.open();
    expect(await storeSubmission(t.db, submission())).toEqual({ stored: true });
    // a retried activity: same version, same content (another idempotency key changes nothing)
    expect(await storeSubmission(t.db, submission({ idempotencyKey: 'key-retry' }))).toEqual({ stored: false });
    const other = submission({ content: { ...PLAN, body: 'Nội dung khác hẳn.' } });
    const refused = await storeSubmission(t.db, other).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(SubmissionConflictError);
    expect((refused as SubmissionConflictError).code).toBe('SubmissionConflictError');
    expect((refused as Error).message).toMatch(/Version 1 of the plan of CD-001 .* other content; nothing was overwritten/);
    expect((refused as Error).message).toMatch(/đã được lưu với nội dung khác/);
    // nothing was overwritten, and the next version is stored as usual
    expect((await latestSubmission(t.db, 'cycle-2027-LDLD-BN', 'CD-001', 'plan'))?.content).toEqual(PLAN);
    expect(await storeSubmission(t.db, { ...other, version: 2 })).toEqual({ stored: true });
    expect((await latestSubmission(t.db, 'cycle-2027-LDLD-BN', 'CD-001', 'plan'))?.version).toBe(2);
  });

  it('rolls back and forward again', async () => {
    t = await kind.open({ migrate: false });
    // the migrations up to 0009 only, so that 0009 is the last one and this does not depend on later ones
    const migrator = await migratorOf(t.db, (name) => name <= '0009_content_hash_and_root_index');
    expect((await t!.migrating(() => migrator.migrateToLatest())).error).toBeUndefined();
    await storeSubmission(t.db, submission());
    const columns = async () => (await ownTables(t!)).find((x) => x.name === 'submissions')!.columns.map((c) => c.name);
    const down = await t!.migrating(() => migrator.migrateDown());
    expect(down.error).toBeUndefined();
    expect(down.results?.map((r) => r.migrationName)).toEqual(['0009_content_hash_and_root_index']);
    expect(await columns()).not.toContain('content_hash');
    expect((await t!.migrating(() => migrator.migrateToLatest())).error).toBeUndefined();
    expect((await t.db.selectFrom('submissions').select('content_hash').executeTakeFirstOrThrow()).content_hash).toBe(contentHash(PLAN));
  });
});
