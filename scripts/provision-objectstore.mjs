#!/usr/bin/env node
// The S3-compatible object store the tests run the S3 file driver against (activities/files/s3-storage.ts), and
// the one docker-compose.yml deploys: MinIO, built from the Go module proxy (its go.mod has no `replace`, so
// `go install` accepts it; about 7 minutes on 2 cores, first run only) into
// <tools dir>/minio-<version>/minio (BAOCAO_TOOLS_DIR or ~/.cache/baocao/tools, shared with provision.mjs).
// Nothing is cached until the binary is complete: an interrupted build leaves no half-provisioned folder.
//
// Routes, as ensureObjectStore() decides them (chooseObjectStoreRoute, tested in test/foundation/):
//   TEST_S3_ENDPOINT   given: the tests use that server as it is (with TEST_S3_ACCESS_KEY_ID / _SECRET_ACCESS_KEY)
//   cache              the binary was built before
//   build              Go is installed: build it now
//   none               no Go: one line says what to do (the S3 tests fail with it)
//
//   node scripts/provision-objectstore.mjs          provision, print the binary's path
//
// Plain Node, no dependencies.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isExecutable, onPath, ProvisionError, toolsDir } from './provision.mjs';
import { goInstall } from './provision-server.mjs';
import { alive, buildOnce } from './provision-lock.mjs';

/**
 * MinIO publishes no semantic-version tags, so the Go module proxy serves it by pseudo-version: this one is the
 * commit of 2026-02-12. docker-compose.yml builds its object store from the same source (deploy/objectstore/Dockerfile;
 * test/files/objectstore-config.test.ts checks the versions agree).
 */
export const MINIO_MODULE = 'github.com/minio/minio';
export const MINIO_VERSION = 'v0.0.0-20260212201848-7aac2a2c5b7c';

const log = (msg) => process.stderr.write(`[provision-objectstore] ${msg}\n`);

export function minioLayout(version = MINIO_VERSION) {
  const dir = join(toolsDir(), `minio-${version}`);
  return { version, dir, binary: join(dir, 'minio') };
}

/**
 * @param {{ endpoint?: string, cached: boolean, go?: string }} facts
 * @returns {{ route: 'TEST_S3_ENDPOINT' | 'cache' | 'build' | 'none' }}
 */
export function chooseObjectStoreRoute(facts) {
  if (facts.endpoint) return { route: 'TEST_S3_ENDPOINT' };
  if (facts.cached) return { route: 'cache' };
  if (facts.go) return { route: 'build' };
  return { route: 'none' };
}

/**
 * What the tests need to reach an S3-compatible server: a binary to start (test/support/objectstore.ts), or the
 * server named by TEST_S3_ENDPOINT, or why there is none.
 * @returns {Promise<{ kind: 'binary', path: string, source: string } | { kind: 'endpoint', endpoint: string, accessKeyId: string, secretAccessKey: string } | { kind: 'none', reason: string }>}
 */
export async function ensureObjectStore(env = process.env) {
  const layout = minioLayout();
  const go = onPath('go');
  const { route } = chooseObjectStoreRoute({ endpoint: env.TEST_S3_ENDPOINT, cached: isExecutable(layout.binary), go });
  if (route === 'TEST_S3_ENDPOINT') {
    return { kind: 'endpoint', endpoint: env.TEST_S3_ENDPOINT, accessKeyId: env.TEST_S3_ACCESS_KEY_ID ?? '', secretAccessKey: env.TEST_S3_SECRET_ACCESS_KEY ?? '' };
  }
  if (route === 'cache') return { kind: 'binary', path: layout.binary, source: 'cache' };
  if (route === 'none') {
    return {
      kind: 'none',
      reason: `No S3-compatible server for the file-store tests: install Go (apt-get install golang-go) so npm test builds MinIO ${MINIO_VERSION} from the Go module proxy, or set TEST_S3_ENDPOINT (with TEST_S3_ACCESS_KEY_ID, TEST_S3_SECRET_ACCESS_KEY) to a server.`,
    };
  }
  return buildOnce({
    dir: toolsDir(),
    name: `minio-${layout.version}`,
    what: `MinIO ${layout.version}`,
    ready: () => (isExecutable(layout.binary) ? { kind: 'binary', path: layout.binary, source: 'cache' } : undefined),
    build: async () => {
      mkdirSync(toolsDir(), { recursive: true });
      for (const name of readdirSync(toolsDir())) {
        const m = /^\.staging-minio-.+-(\d+)$/.exec(name);
        if (m && !alive(Number(m[1]))) rmSync(join(toolsDir(), name), { recursive: true, force: true });
      }
      const staging = join(toolsDir(), `.staging-minio-${layout.version}-${process.pid}`);
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging, { recursive: true });
      try {
        log(`Building MinIO ${layout.version} from the Go module proxy (first run only, about 7 min on 2 cores; cached in ${layout.dir})…`);
        const seconds = await goInstall(go, ['install', '-v', `${MINIO_MODULE}@${layout.version}`], {
          ...process.env,
          GOBIN: staging,
          CGO_ENABLED: '0',
          GOFLAGS: '-buildvcs=false',
        });
        log(`built in ${seconds} s`);
        if (!existsSync(join(staging, 'minio'))) throw new ProvisionError(`go install finished but left no minio binary in ${staging}`);
        rmSync(layout.dir, { recursive: true, force: true });
        renameSync(staging, layout.dir); // atomic: a half-built binary is never taken for a cached one
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
      return { kind: 'binary', path: layout.binary, source: 'built from the Go module proxy' };
    },
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  ensureObjectStore()
    .then((r) => {
      if (r.kind === 'none') throw new ProvisionError(r.reason);
      log(r.kind === 'binary' ? `MinIO: ${r.path} (${r.source})` : `S3 server: ${r.endpoint} (TEST_S3_ENDPOINT)`);
      process.stdout.write((r.kind === 'binary' ? r.path : r.endpoint) + '\n');
    })
    .catch((err) => {
      log(err instanceof ProvisionError ? err.message : err.stack);
      process.exit(1);
    });
}
