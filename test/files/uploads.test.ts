// Upload → stored file → reference checked by the archive → orphan clean-up, on SQLite and (TEST_DATABASE_URL)
// PostgreSQL, with the filesystem store. The clock of the clean-up is injected: a day is a parameter, not a wait.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeSubmission } from '../../activities/archive/store';
import { storeSubmissionWithFiles } from '../../activities/files';
import { createFsStorage } from '../../activities/files/fs-storage';
import { removeOrphanedUploads } from '../../activities/files/orphans';
import { fileById } from '../../activities/files/repository';
import type { FileStorage } from '../../activities/files/storage';
import { acceptUpload, type UploadDeps } from '../../activities/files/uploads';
import { startOrphanCleanup } from '../../worker/file-cleanup';
import { testDatabases, type TestDatabase } from '../db/databases';
import { samplePdf, samplePng, sampleExe } from './samples';
import { bytesStream, cutOffStream } from './support';

const owner = { kind: 'submission', cycleId: 'cycle-2027-LDLD-BN', unitId: 'CDCS-01', phase: 'report' } as const;
// the store stamps objects with the wall clock; the clean-up is handed times relative to it
const T0 = new Date();
const DAY = 24 * 60 * 60 * 1000;

describe.each(testDatabases())('uploads and their references on $name', (kind) => {
  let t: TestDatabase;
  let dir: string;
  let storage: FileStorage;
  let deps: UploadDeps;
  beforeEach(async () => {
    t = await kind.open();
    dir = mkdtempSync(join(tmpdir(), 'baocao-uploads-'));
    storage = createFsStorage(join(dir, 'files'));
    deps = { db: t.db, storage, stagingDir: join(dir, 'staging'), maxFileBytes: 1024 * 1024 };
  });
  afterEach(async () => {
    await t.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = async (bytes: Buffer, name = 'Báo cáo quý I.pdf', now = T0) =>
    acceptUpload(deps, { source: bytesStream(bytes), name, owner, uploadedBy: 'CDCS-01', now });
  const submission = (files: unknown[], version = 1) => ({
    cycleId: owner.cycleId,
    unitId: owner.unitId,
    phase: owner.phase,
    version,
    idempotencyKey: `k${version}`,
    content: { leadership: 'x', files },
    channel: 'web',
    submittedBy: 'CDCS-01',
    submittedAt: '2027-03-01T09:00:00.000Z',
    late: false,
  });
  const record = (files: unknown[], version = 1, maxSubmissionBytes = 50 * 1024 * 1024) =>
    storeSubmissionWithFiles({ db: t.db, storage, maxSubmissionBytes }, submission(files, version), (i) => storeSubmission(t.db, i));
  const submissionRows = () => t.db.selectFrom('submissions').selectAll().execute();

  it('stores an upload with its NFC name and type from the content, and the archive accepts its reference', async () => {
    const pdf = await samplePdf();
    const ref = await upload(pdf, 'Ba\u0301o ca\u0301o.pdf'); // typed in NFD
    expect(ref).toMatchObject({ size: pdf.length, mediaType: 'application/pdf', name: 'Báo cáo.pdf' });
    expect((await storage.head(ref.sha256))?.size).toBe(pdf.length);
    await record([ref]);
    expect(await submissionRows()).toHaveLength(1);
    expect(await fileById(t.db, ref.id)).toMatchObject({ attachedVersion: 1, attachedAt: '2027-03-01T09:00:00.000Z' });
    // a resubmission (version 2) keeping the same file is accepted too, and the row keeps its first version
    await record([ref], 2);
    expect(await fileById(t.db, ref.id)).toMatchObject({ attachedVersion: 1 });
  });

  it('a returned report resubmitted with a new file keeps both versions and both files', async () => {
    const first = await upload(await samplePdf('version 1'), 'bản 1.pdf');
    await record([first], 1);
    const second = await upload(await samplePdf('version 2'), 'bản 2.pdf');
    await record([second], 2);
    const versions = await t.db.selectFrom('submissions').select(['version', 'content_json']).orderBy('version').execute();
    expect(versions.map((v) => (JSON.parse(v.content_json) as { files: { name: string }[] }).files.map((f) => f.name))).toEqual([['bản 1.pdf'], ['bản 2.pdf']]);
    expect((await fileById(t.db, first.id))?.attachedVersion).toBe(1);
    expect((await fileById(t.db, second.id))?.attachedVersion).toBe(2);
    // neither is an orphan, whenever the clean-up runs
    await removeOrphanedUploads(t.db, storage, new Date(T0.getTime() + 365 * DAY));
    expect(await storage.head(first.sha256)).toBeDefined();
    expect(await storage.head(second.sha256)).toBeDefined();
  });

  it('refuses a reference that is not stored, or whose hash, size or type differ; nothing is recorded', async () => {
    const ref = await upload(await samplePdf());
    await expect(record([{ ...ref, id: 'AAAAAAAAAAAAAAAAAAAAAA' }])).rejects.toMatchObject({ code: 'FileReferenceError', message: expect.stringMatching(/không có tệp này \/ no such upload/) });
    await expect(record([{ ...ref, sha256: 'f'.repeat(64) }])).rejects.toThrow(/SHA-256 differs/);
    await expect(record([{ ...ref, size: ref.size + 1 }])).rejects.toThrow(/size .* differs/);
    await expect(record([{ ...ref, mediaType: 'image/png' }])).rejects.toThrow(/type .* differs/);
    // bytes gone from the store (deleted behind the database's back)
    await storage.delete(ref.sha256);
    await expect(record([ref])).rejects.toThrow(/not in the file store/);
    expect(await submissionRows()).toEqual([]);
    expect((await fileById(t.db, ref.id))?.attachedAt).toBeNull();
  });

  it('refuses another unit’s upload and files over the per-submission limit', async () => {
    const ref = await upload(await samplePdf());
    await expect(
      storeSubmissionWithFiles({ db: t.db, storage, maxSubmissionBytes: 1 << 30 }, { ...submission([ref]), unitId: 'CDCS-02' }, (i) => storeSubmission(t.db, i)),
    ).rejects.toThrow(/another unit, cycle or phase/);
    await expect(record([ref], 1, ref.size - 1)).rejects.toThrow(/more than the .* a submission may carry/);
  });

  it('refuses bad uploads and stores nothing: wrong type, too large, cut off, bad name', async () => {
    await expect(upload(sampleExe(), 'Báo cáo.pdf')).rejects.toMatchObject({ reason: 'type' });
    await expect(upload(Buffer.concat([await samplePdf(), Buffer.alloc(2 * 1024 * 1024)]))).rejects.toMatchObject({
      reason: 'too-large',
      message: expect.stringMatching(/vượt quá giới hạn 1 MB.*larger than the limit of 1 MB/s),
    });
    const pdf = Buffer.concat([Buffer.alloc(300_000, 1), await samplePdf()]);
    await expect(acceptUpload(deps, { source: cutOffStream(pdf, 100_000), name: 'a.pdf', owner, uploadedBy: 'x', now: T0 })).rejects.toMatchObject({ reason: 'incomplete' });
    await expect(upload(await samplePdf(), '../../etc/passwd')).rejects.toMatchObject({ reason: 'name', message: expect.stringMatching(/Tên tệp không dùng được.*cannot be used/s) });
    await expect(upload(await samplePdf(), 'a\u0000.pdf')).rejects.toMatchObject({ reason: 'name' });
    expect(await t.db.selectFrom('files').selectAll().execute()).toEqual([]);
    expect(await storage.listOlderThan('9999-01-01T00:00:00.000Z')).toEqual([]);
    expect(readdirSync(deps.stagingDir)).toEqual([]);
  });

  it('removes an upload never attached after a day, keeps attached ones and shared bytes', async () => {
    const pdf = await samplePdf();
    const attached = await upload(pdf, 'a.pdf');
    const orphanSameBytes = await upload(pdf, 'b.pdf');
    const orphan = await upload(samplePng(), 'ảnh trang ký.png');
    await record([attached]);

    // a crash between upload and submit: nothing happens before the day is over
    expect(await removeOrphanedUploads(t.db, storage, new Date(T0.getTime() + DAY - 1000))).toEqual({ uploads: 0, objects: 0, abandoned: 0 });
    // and bytes stored without a row (a crash between the store's write and the row's insert)
    const rowless = await storage.put(bytesStream(Buffer.from('%PDF-1.4 rowless %%EOF')), { mediaType: 'application/pdf', maxBytes: 1000 });
    const result = await removeOrphanedUploads(t.db, storage, new Date(T0.getTime() + DAY + 60_000));
    expect(result).toEqual({ uploads: 2, objects: 2, abandoned: 0 });
    expect(await storage.head(rowless.id)).toBeUndefined();
    expect(await fileById(t.db, orphan.id)).toBeUndefined();
    expect(await fileById(t.db, orphanSameBytes.id)).toBeUndefined();
    expect(await storage.head(orphan.sha256)).toBeUndefined();
    // the attached file's bytes (shared with the removed orphan) stay
    expect(await fileById(t.db, attached.id)).toMatchObject({ attachedVersion: 1 });
    expect((await storage.head(attached.sha256))?.size).toBe(pdf.length);
  });
});

describe('the worker’s clean-up job', () => {
  it('runs at start with the clock it is given, and stop() waits for it', async () => {
    const t = await testDatabases()[0]!.open();
    const dir = mkdtempSync(join(tmpdir(), 'baocao-cleanup-'));
    try {
      const storage = createFsStorage(join(dir, 'files'));
      const deps = { db: t.db, storage, stagingDir: join(dir, 'staging'), maxFileBytes: 1 << 20 };
      const ref = await acceptUpload(deps, { source: bytesStream(await samplePdf()), name: 'x.pdf', owner, uploadedBy: 'CDCS-01', now: T0 });
      const results: unknown[] = [];
      const lines: string[] = [];
      const stop = startOrphanCleanup({ db: t.db, storage }, { now: () => new Date(T0.getTime() + 2 * DAY), onResult: (r) => results.push(r), log: (l) => lines.push(l) });
      await stop();
      expect(results).toEqual([{ uploads: 1, objects: 1, abandoned: 0 }]);
      expect(lines.join('\n')).toMatch(/removed 1 upload\(s\) never attached after a day/);
      expect(await fileById(t.db, ref.id)).toBeUndefined();
    } finally {
      await t.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
