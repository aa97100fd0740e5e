// The S3 driver against a real S3-compatible server (MinIO, test/support/objectstore.ts): the same contract
// as the filesystem store, plus what only an object store has (prefix, unfinished multipart uploads).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateMultipartUploadCommand, ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFileReferences } from '../../activities/files/references';
import { createS3Storage } from '../../activities/files/s3-storage';
import { acceptUpload } from '../../activities/files/uploads';
import { testDatabases } from '../db/databases';
import { startObjectStore, type TestObjectStore } from '../support/objectstore';
import { storageContract } from './storage-contract';
import { samplePdf } from './samples';
import { bytesStream, readAll } from './support';

describe('S3 file store on MinIO', () => {
  let server: TestObjectStore;
  beforeAll(async () => {
    server = await startObjectStore();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  storageContract(() => createS3Storage(server.config));

  it('refuses with a readable error when the bucket does not exist', async () => {
    const s = createS3Storage({ ...server.config, bucket: 'no-such-bucket-here' });
    await expect(s.put(bytesStream(await samplePdf()), { mediaType: 'application/pdf', maxBytes: 1 << 20 })).rejects.toMatchObject({
      code: 'FileStoreError',
      message: expect.stringMatching(/no-such-bucket-here.*BAOCAO_S3_BUCKET/s),
    });
  });

  it('aborts multipart uploads an interrupted put left behind, once they are old enough', async () => {
    const client = new S3Client({ endpoint: server.config.endpoint, region: server.config.region, forcePathStyle: true, credentials: server.config });
    await client.send(new CreateMultipartUploadCommand({ Bucket: server.config.bucket, Key: `${server.config.prefix}incoming/crashed-upload` }));
    const s = createS3Storage(server.config);
    expect(await s.removeAbandonedUploads('2000-01-01T00:00:00.000Z')).toBe(0);
    expect(await s.removeAbandonedUploads(new Date(Date.now() + 60_000).toISOString())).toBe(1);
    const left = await client.send(new ListMultipartUploadsCommand({ Bucket: server.config.bucket }));
    expect(left.Uploads ?? []).toEqual([]);
    client.destroy();
  });

  it('carries a whole upload: staged, checked, stored on S3, referenced, downloaded', async () => {
    const t = await testDatabases()[0]!.open();
    const dir = mkdtempSync(join(tmpdir(), 'baocao-s3-upload-'));
    const s = createS3Storage({ ...server.config, prefix: 'pipeline/' });
    try {
      const pdf = await samplePdf('qua S3');
      const scope = { cycleId: 'cycle-2027-LDLD-BN', unitId: 'CDCS-01', phase: 'report' } as const;
      const ref = await acceptUpload(
        { db: t.db, storage: s, stagingDir: join(dir, 'staging'), maxFileBytes: 1 << 20 },
        { source: bytesStream(pdf), name: 'Báo cáo.pdf', owner: { kind: 'submission', ...scope }, uploadedBy: 'CDCS-01', now: new Date() },
      );
      await checkFileReferences(t.db, s, scope, [ref], 1 << 20);
      expect((await readAll((await s.get(ref.sha256))!)).equals(pdf)).toBe(true);
      await expect(checkFileReferences(t.db, s, scope, [{ ...ref, sha256: '0'.repeat(64) }], 1 << 20)).rejects.toThrow(/SHA-256 differs/);
    } finally {
      await t.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
