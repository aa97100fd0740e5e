#!/usr/bin/env node
// Offline provisioning of the production Temporal server — the one docker-compose.yml deploys — for running it
// without Docker (npm run start:cluster, the second test tier, the drills):
//
//   temporal-server     go.temporal.io/server/cmd/server@v<TEMPORAL_SERVER_VERSION>
//   temporal-sql-tool   go.temporal.io/server/cmd/tools/sql@v<TEMPORAL_SERVER_VERSION> (creates and migrates the schemas)
//   schema/postgresql/v12/{temporal,visibility}   the SQL schemas of that same module
//
// Built from the Go module proxy (about 7 minutes on 2 cores, first run only) into
// <tools dir>/temporal-server-<version>/ (BAOCAO_TOOLS_DIR or ~/.cache/baocao/tools, shared with scripts/provision.mjs).
// Nothing is cached until everything is there: an interrupted build leaves no half-provisioned folder.
//
//   node scripts/provision-server.mjs          provision, print the folder
//   node scripts/provision-server.mjs --json   provision, print { dir, server, sqlTool, schemaDir, version } on stdout
//
// Plain Node, no dependencies.
import { spawn } from 'node:child_process';
import { constants, cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { alive, buildOnce } from './provision-lock.mjs';
import { isExecutable, onPath, ProvisionError, toolsDir } from './provision.mjs';

/**
 * The Temporal server version of the production stack. docker-compose.yml deploys the same one
 * (temporalio/server and temporalio/admin-tools images): test/cluster/version.test.ts fails when they differ.
 */
export const TEMPORAL_SERVER_VERSION = '1.31.2';
export const TEMPORAL_SERVER_MODULE = 'go.temporal.io/server';

const log = (msg) => process.stderr.write(`[provision-server] ${msg}\n`);

/** Where everything of one version lives, whether provisioned yet or not. */
export function serverToolsLayout(version = TEMPORAL_SERVER_VERSION) {
  const dir = join(toolsDir(), `temporal-server-${version}`);
  return {
    version,
    dir,
    server: join(dir, 'temporal-server'),
    sqlTool: join(dir, 'temporal-sql-tool'),
    schemaDir: join(dir, 'schema', 'postgresql', 'v12'),
  };
}

function complete(layout) {
  return (
    isExecutable(layout.server) &&
    isExecutable(layout.sqlTool) &&
    existsSync(join(layout.schemaDir, 'temporal', 'versioned')) &&
    existsSync(join(layout.schemaDir, 'visibility', 'versioned'))
  );
}

/** `go install -v` prints one line per package it compiles: a count of them every 15 s is the progress line (also used by provision-objectstore.mjs). */
export function goInstall(go, args, env) {
  return new Promise((resolvePromise, reject) => {
    const started = Date.now();
    const child = spawn(go, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    let packages = 0;
    let downloads = 0;
    const onData = (chunk) => {
      const text = String(chunk);
      for (const line of text.split('\n')) {
        if (line.startsWith('go: downloading')) downloads++;
        else if (line.trim()) packages++;
      }
      tail = (tail + text).slice(-4000);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setInterval(
      () => log(`  …still building (${Math.round((Date.now() - started) / 1000)} s: ${downloads} modules downloaded, ${packages} packages compiled)`),
      15_000,
    );
    child.on('error', (err) => {
      clearInterval(timer);
      reject(new ProvisionError(`could not run ${go}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearInterval(timer);
      if (code === 0) return resolvePromise(Math.round((Date.now() - started) / 1000));
      reject(new ProvisionError(`go install failed (${signal ?? `exit ${code}`}):\n${tail.trim().split('\n').slice(-15).join('\n')}`));
    });
  });
}

/** Staging folders of builds that were interrupted (their process is gone). */
function removeAbandonedStaging() {
  for (const name of readdirSync(toolsDir())) {
    const m = /^\.staging-server-.+-(\d+)$/.exec(name);
    if (m && !alive(Number(m[1]))) rmSync(join(toolsDir(), name), { recursive: true, force: true });
  }
}

function goEnv(go, name) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(go, ['env', name], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise(out.trim()) : reject(new ProvisionError(`go env ${name} failed (exit ${code})`))));
  });
}

/**
 * The server, its SQL tool and its schemas, built once per machine.
 * @returns {Promise<{ version: string, dir: string, server: string, sqlTool: string, schemaDir: string, source: string }>}
 */
export async function ensureTemporalServer(version = TEMPORAL_SERVER_VERSION) {
  const layout = serverToolsLayout(version);
  if (complete(layout)) return { ...layout, source: 'cache' };

  const go = onPath('go');
  if (!go) {
    throw new ProvisionError(
      `The Temporal server ${version} is not provisioned and there is no Go toolchain to build it: install Go 1.26.4 or newer ` +
        `(apt-get install golang-go, or https://go.dev/dl), then run npm run provision:server again.`,
    );
  }
  return buildOnce({
    dir: toolsDir(),
    name: `temporal-server-${version}`,
    what: `Temporal server ${version}`,
    ready: () => (complete(layout) ? { ...layout, source: 'cache' } : undefined),
    build: async () => {
      mkdirSync(toolsDir(), { recursive: true });
      removeAbandonedStaging();
      const staging = join(toolsDir(), `.staging-server-${version}-${process.pid}`);
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging, { recursive: true });
      try {
        log(`Building Temporal server ${version} and its SQL tool from the Go module proxy (first run only, about 7 min on 2 cores; cached in ${layout.dir})…`);
        const seconds = await goInstall(
          go,
          ['install', '-v', `${TEMPORAL_SERVER_MODULE}/cmd/server@v${version}`, `${TEMPORAL_SERVER_MODULE}/cmd/tools/sql@v${version}`],
          { ...process.env, GOBIN: staging, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
        );
        log(`built in ${seconds} s`);
        renameSync(join(staging, 'server'), join(staging, 'temporal-server'));
        // the name the schema script (deploy/temporal/setup-schema.sh) and the admin-tools image use
        renameSync(join(staging, 'sql'), join(staging, 'temporal-sql-tool'));

        // go install has just put the module in the module cache: copy its schemas beside the binaries
        const moduleDir = join(await goEnv(go, 'GOMODCACHE'), `${TEMPORAL_SERVER_MODULE}@v${version}`);
        const schemas = join(moduleDir, 'schema', 'postgresql', 'v12');
        if (!existsSync(join(schemas, 'temporal', 'versioned'))) {
          throw new ProvisionError(`the module ${TEMPORAL_SERVER_MODULE}@v${version} has no schema/postgresql/v12 in ${moduleDir}`);
        }
        cpSync(schemas, join(staging, 'schema', 'postgresql', 'v12'), { recursive: true, mode: constants.COPYFILE_FICLONE });
        // the module cache is read-only: give the copies write bits so the folder can be replaced or removed
        await new Promise((r) => spawn('chmod', ['-R', 'u+w', join(staging, 'schema')], { stdio: 'ignore' }).on('close', r));

        rmSync(layout.dir, { recursive: true, force: true });
        renameSync(staging, layout.dir); // atomic: a half-built server is never taken for a cached one
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
      if (!complete(layout)) throw new ProvisionError(`provisioning finished but ${layout.dir} is incomplete`);
      return { ...layout, source: 'built from the Go module proxy' };
    },
  });
}

/** The version a built binary reports (`temporal-server --version`), to check a cache against the wanted one. */
export function reportedVersion(server) {
  return new Promise((resolvePromise) => {
    const child = spawn(server, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', () => resolvePromise(undefined));
    child.on('close', () => resolvePromise(/(\d+\.\d+\.\d+)/.exec(out)?.[1]));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  ensureTemporalServer()
    .then((tools) => {
      log(`Temporal server ${tools.version}: ${tools.dir} (${tools.source})`);
      if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(tools) + '\n');
      else process.stdout.write(tools.dir + '\n');
    })
    .catch((err) => {
      log(err instanceof ProvisionError ? err.message : err.stack);
      process.exit(1);
    });
}
