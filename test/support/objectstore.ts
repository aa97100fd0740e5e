// A real S3-compatible server for a test file: MinIO (provisioned by scripts/provision-objectstore.mjs, handed
// over by the global setup) started on a free loopback port over a temp folder, with a fresh bucket; or the
// server TEST_S3_ENDPOINT names. Stopped (and its folder removed) by stop().
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import type { S3StoreConfig } from '../../common/config';
import { freePort } from './temporal';

export interface TestObjectStore {
  config: S3StoreConfig;
  stop(): Promise<void>;
}

/** MinIO answers its liveness probe once it serves requests: asked every 100 ms, up to 60 s on a loaded machine. */
async function waitLive(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`MinIO exited (${child.exitCode}) before it served requests:\n${output()}`);
    const ok = await fetch(`${endpoint}/minio/health/live`).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`MinIO did not answer at ${endpoint} within 60 s:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function createBucket(config: S3StoreConfig): Promise<void> {
  const client = new S3Client({ endpoint: config.endpoint, region: config.region, forcePathStyle: true, credentials: config });
  try {
    await client.send(new CreateBucketCommand({ Bucket: config.bucket }));
  } finally {
    client.destroy();
  }
}

export async function startObjectStore(): Promise<TestObjectStore> {
  const route = inject('objectStore');
  const bucket = `baocao-test-${randomBytes(4).toString('hex')}`;
  if (route.kind === 'none') throw new Error(route.reason);
  if (route.kind === 'endpoint') {
    const config = { endpoint: route.endpoint, bucket, region: 'us-east-1', accessKeyId: route.accessKeyId, secretAccessKey: route.secretAccessKey, forcePathStyle: true, prefix: '' };
    await createBucket(config);
    return { config, stop: async () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'baocao-minio-'));
  const port = await freePort();
  const accessKeyId = 'baocao-test';
  const secretAccessKey = randomBytes(12).toString('hex');
  const child = spawn(route.path, ['server', '--quiet', '--address', `127.0.0.1:${port}`, join(dir, 'data')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MINIO_ROOT_USER: accessKeyId, MINIO_ROOT_PASSWORD: secretAccessKey, MINIO_BROWSER: 'off', MINIO_UPDATE: 'off', HOME: dir },
  });
  let out = '';
  child.stdout!.on('data', (d) => (out = (out + d).slice(-4000)));
  child.stderr!.on('data', (d) => (out = (out + d).slice(-4000)));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitLive(endpoint, child, () => out);
    const config = { endpoint, bucket, region: 'us-east-1', accessKeyId, secretAccessKey, forcePathStyle: true, prefix: 'baocao/' };
    await createBucket(config);
    return { config, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
