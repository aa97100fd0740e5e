// The file store's configuration: defaults, the S3 variables, sizes; the compose stack builds the MinIO version
// the tests run; the provisioning route decisions for machines we are not on; the bucket set-up on MinIO.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBucket } from '../../activities/files/bucket';
import { loadConfig } from '../../common/config';
import { chooseObjectStoreRoute, MINIO_VERSION } from '../../scripts/provision-objectstore.mjs';
import { startObjectStore, type TestObjectStore } from '../support/objectstore';

const root = join(__dirname, '../..');

describe('file store configuration', () => {
  it('defaults to the filesystem under the data directory, 20 MB a file, 50 MB a submission', () => {
    const c = loadConfig({ BAOCAO_DATA_DIR: '/srv/baocao' });
    expect(c.files).toEqual({ store: { kind: 'fs', dir: '/srv/baocao/files' }, maxFileBytes: 20 * 1024 * 1024, maxSubmissionBytes: 50 * 1024 * 1024 });
  });

  it('reads the S3 store and sizes with units', () => {
    const c = loadConfig({
      BAOCAO_FILES_STORE: 's3',
      BAOCAO_S3_ENDPOINT: 'http://minio:9000',
      BAOCAO_S3_BUCKET: 'baocao-files',
      BAOCAO_S3_ACCESS_KEY_ID: 'k',
      BAOCAO_S3_SECRET_ACCESS_KEY: 's',
      BAOCAO_S3_PREFIX: 'tinh-bn/',
      BAOCAO_FILE_MAX_BYTES: '10MB',
      BAOCAO_SUBMISSION_FILES_MAX_BYTES: '1.5GB',
    });
    expect(c.files.store).toEqual({ kind: 's3', endpoint: 'http://minio:9000', bucket: 'baocao-files', region: 'us-east-1', accessKeyId: 'k', secretAccessKey: 's', forcePathStyle: true, prefix: 'tinh-bn/' });
    expect(c.files.maxFileBytes).toBe(10 * 1024 * 1024);
    expect(c.files.maxSubmissionBytes).toBe(1.5 * 1024 ** 3);
  });

  it('names every missing or bad variable', () => {
    expect(() => loadConfig({ BAOCAO_FILES_STORE: 's3', BAOCAO_S3_BUCKET: 'Bad_Bucket' })).toThrow(
      /BAOCAO_S3_BUCKET: must be a bucket name[\s\S]*BAOCAO_S3_ENDPOINT: required when BAOCAO_FILES_STORE=s3[\s\S]*BAOCAO_S3_ACCESS_KEY_ID: required/,
    );
    expect(() => loadConfig({ BAOCAO_FILE_MAX_BYTES: 'lots' })).toThrow(/BAOCAO_FILE_MAX_BYTES: must be a size like 20MB/);
    expect(() => loadConfig({ BAOCAO_S3_PREFIX: 'no-slash' })).toThrow(/BAOCAO_S3_PREFIX: must be empty or end with '\/'/);
  });

  it('docker-compose.yml builds the MinIO version the tests run', () => {
    const compose = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
    const dockerfile = readFileSync(join(root, 'deploy/objectstore/Dockerfile'), 'utf8');
    expect(compose).toContain(`MINIO_VERSION:-${MINIO_VERSION}`);
    expect(dockerfile).toContain(`ARG MINIO_VERSION=${MINIO_VERSION}`);
  });

  it('chooses how the tests get an S3 server', () => {
    expect(chooseObjectStoreRoute({ endpoint: 'http://s3.test:9000', cached: true, go: '/usr/bin/go' })).toEqual({ route: 'TEST_S3_ENDPOINT' });
    expect(chooseObjectStoreRoute({ cached: true })).toEqual({ route: 'cache' });
    expect(chooseObjectStoreRoute({ cached: false, go: '/usr/bin/go' })).toEqual({ route: 'build' });
    expect(chooseObjectStoreRoute({ cached: false })).toEqual({ route: 'none' });
  });
});

describe('the bucket set-up of the compose stack, on MinIO', () => {
  let server: TestObjectStore;
  beforeAll(async () => {
    server = await startObjectStore();
  }, 120_000);
  afterAll(async () => server?.stop());

  it('creates a missing bucket once, then finds it', async () => {
    const config = { ...server.config, bucket: 'baocao-files-setup' };
    expect(await ensureBucket(config)).toBe('created');
    expect(await ensureBucket(config)).toBe('exists');
  });
});
