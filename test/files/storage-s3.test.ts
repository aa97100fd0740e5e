// The S3 driver against a real S3-compatible server (MinIO, test/support/objectstore.ts): the same contract
// as the filesystem store, plus what only an object store has (prefix, unfinished multipart uploads).
import { CreateMultipartUploadCommand, ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage } from '../../activities/files/s3-storage';
import { startObjectStore, type TestObjectStore } from '../support/objectstore';
import { storageContract } from './storage-contract';
import { samplePdf } from './samples';
import { bytesStream } from './support';

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
});
