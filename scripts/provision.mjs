#!/usr/bin/env node
// Offline provisioning of the two Temporal servers baocao needs, from package registries only.
//
//   dev server  (`temporal server start-dev`): TEMPORAL_CLI, else `temporal` on PATH, else our cached build,
//               else build the official CLI from the Go module proxy, else (machines with internet)
//               the Temporal SDK's own download.
//   test server (Java time-skipping server): TEMPORAL_TEST_SERVER, else our cached copy, else fetch
//               io.temporal:temporal-test-server and its dependencies from Maven Central, else the SDK's download.
//
// Everything is cached per user (BAOCAO_TOOLS_DIR or ~/.cache/baocao/tools) so a fresh clone on the same
// machine does not rebuild. Plain Node, no dependencies: it runs before `npm install` has.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync, accessSync, constants } from 'node:fs';
import { createConnection } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildOnce } from './provision-lock.mjs';

export const TEMPORAL_CLI_VERSION = '1.5.1'; // last tag whose go.mod has no `replace`: `go install` accepts it
export const TEST_SERVER_VERSION = '1.38.0';

export function toolsDir() {
  if (process.env.BAOCAO_TOOLS_DIR) return resolve(process.env.BAOCAO_TOOLS_DIR);
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'baocao', 'tools');
}

const log = (msg) => process.stderr.write(`[provision] ${msg}\n`);

export class ProvisionError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ProvisionError';
  }
}

export function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function onPath(command) {
  for (const dir of (process.env.PATH || '').split(delimiter)) {
    if (dir && isExecutable(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

/** Runs a long command, printing a progress line every 15 s so nobody thinks it hung. */
function runWithProgress(what, command, args, options) {
  return new Promise((resolvePromise, reject) => {
    const started = Date.now();
    log(`${what} (first run only; cached afterwards)…`);
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setInterval(() => log(`  …still ${what.toLowerCase()} (${Math.round((Date.now() - started) / 1000)} s)`), 15_000);
    child.on('error', (err) => {
      clearInterval(timer);
      reject(new ProvisionError(`${what} failed to start ${command}: ${err.message}`));
    });
    child.on('close', (code) => {
      clearInterval(timer);
      if (code === 0) {
        log(`${what}: done in ${Math.round((Date.now() - started) / 1000)} s`);
        resolvePromise(output);
      } else {
        reject(new ProvisionError(`${what} failed (exit ${code}):\n${output.trim().split('\n').slice(-15).join('\n')}`));
      }
    });
  });
}

/**
 * @returns {Promise<{ kind: 'path', path: string, source: string } | { kind: 'sdk-download', source: string }>}
 */
export async function ensureTemporalCli() {
  if (process.env.TEMPORAL_CLI) {
    const path = resolve(process.env.TEMPORAL_CLI);
    if (!isExecutable(path)) throw new ProvisionError(`TEMPORAL_CLI=${path} is not an executable file. Fix the path or unset it.`);
    return { kind: 'path', path, source: 'TEMPORAL_CLI' };
  }
  const installed = onPath('temporal');
  if (installed) return { kind: 'path', path: installed, source: 'PATH' };

  const dir = join(toolsDir(), `temporal-cli-${TEMPORAL_CLI_VERSION}`);
  const cached = join(dir, 'temporal');
  if (isExecutable(cached)) return { kind: 'path', path: cached, source: 'cache' };

  const go = onPath('go');
  if (go) {
    return buildOnce({
      dir: toolsDir(),
      name: `temporal-cli-${TEMPORAL_CLI_VERSION}`,
      what: `Temporal CLI v${TEMPORAL_CLI_VERSION}`,
      ready: () => (isExecutable(cached) ? { kind: 'path', path: cached, source: 'cache' } : undefined),
      build: async () => {
        const staging = join(toolsDir(), `.staging-cli-${process.pid}`);
        rmSync(staging, { recursive: true, force: true });
        mkdirSync(staging, { recursive: true });
        await runWithProgress(
          `Building Temporal CLI v${TEMPORAL_CLI_VERSION} from the Go module proxy (takes a few minutes)`,
          go,
          ['install', `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`],
          { env: { ...process.env, GOBIN: staging, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' } },
        );
        mkdirSync(dir, { recursive: true });
        renameSync(join(staging, 'temporal'), cached); // atomic: a half-built binary is never cached
        rmSync(staging, { recursive: true, force: true });
        return { kind: 'path', path: cached, source: 'built from the Go module proxy' };
      },
    });
  }
  if (process.env.BAOCAO_OFFLINE === '1') {
    throw new ProvisionError(
      'No Temporal CLI found. Install Go (apt-get install golang, or https://go.dev/dl) so baocao can build it, ' +
        'or install the Temporal CLI and put `temporal` on PATH (or set TEMPORAL_CLI).',
    );
  }
  log('No Temporal CLI and no Go toolchain: falling back to the Temporal SDK download (needs internet).');
  return { kind: 'sdk-download', source: 'Temporal SDK download' };
}

const TEST_SERVER_POM = (version) => `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>baocao.tools</groupId>
  <artifactId>temporal-test-server-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>${version}</version>
    </dependency>
  </dependencies>
</project>
`;

// `exec` matters: the SDK stops the server by killing the process it started; without exec it would kill
// only this shell and the JVM would live on, hanging teardown.
// The class-data-sharing archive (made once by provisioning) cuts the JVM start from ~4 s to under 1 s: the
// SDK gives the server only 5 s to listen, which a loaded 2-core machine can miss.
const TEST_SERVER_WRAPPER = `#!/bin/sh
here=$(cd "$(dirname "$0")" && pwd)
cds=""
[ -f "$here/classes.jsa" ] && cds="-XX:SharedArchiveFile=$here/classes.jsa -Xshare:auto"
exec java $cds -cp "$here/lib/*" io.temporal.testserver.TestServer "$@"
`;

/** Runs the test server once with -XX:ArchiveClassesAtExit so later starts load classes from the archive. */
async function makeClassDataArchive(dir) {
  const archive = join(dir, 'classes.jsa');
  if (existsSync(archive)) return;
  const port = 40000 + (process.pid % 20000);
  const child = spawn('java', [`-XX:ArchiveClassesAtExit=${archive}`, '-cp', `${join(dir, 'lib')}/*`, 'io.temporal.testserver.TestServer', String(port)], {
    stdio: 'ignore',
  });
  const exited = new Promise((r) => child.once('exit', r));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null && !(await listening(port))) await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGTERM'); // a normal JVM exit writes the archive
  await exited;
  if (!existsSync(archive)) log('Could not make the class-data archive of the test server (it will start more slowly).');
}

function listening(port) {
  return new Promise((resolvePromise) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolvePromise(true);
    });
    socket.once('error', () => resolvePromise(false));
  });
}

/**
 * @returns {Promise<{ kind: 'path', path: string, source: string } | { kind: 'sdk-download', source: string }>}
 */
export async function ensureTestServer() {
  if (process.env.TEMPORAL_TEST_SERVER) {
    const path = resolve(process.env.TEMPORAL_TEST_SERVER);
    if (!isExecutable(path)) throw new ProvisionError(`TEMPORAL_TEST_SERVER=${path} is not an executable file.`);
    return { kind: 'path', path, source: 'TEMPORAL_TEST_SERVER' };
  }
  const dir = join(toolsDir(), `temporal-test-server-${TEST_SERVER_VERSION}`);
  const wrapper = join(dir, 'temporal-test-server');
  if (isExecutable(wrapper) && existsSync(join(dir, 'lib')) && readdirSync(join(dir, 'lib')).length > 0) {
    if (!existsSync(join(dir, 'classes.jsa'))) {
      writeFileSync(wrapper, TEST_SERVER_WRAPPER); // caches made before the archive existed get the new wrapper
      await makeClassDataArchive(dir);
    }
    return { kind: 'path', path: wrapper, source: 'cache' };
  }
  const mvn = onPath('mvn');
  const java = onPath('java');
  if (mvn && java) {
    const complete = () => isExecutable(wrapper) && existsSync(join(dir, 'lib')) && readdirSync(join(dir, 'lib')).length > 0 && existsSync(join(dir, 'classes.jsa'));
    return buildOnce({
      dir: toolsDir(),
      name: `temporal-test-server-${TEST_SERVER_VERSION}`,
      what: `Temporal test server ${TEST_SERVER_VERSION}`,
      ready: () => (complete() ? { kind: 'path', path: wrapper, source: 'cache' } : undefined),
      build: async () => {
        mkdirSync(toolsDir(), { recursive: true });
        const staging = mkdtempSync(join(toolsDir(), '.staging-test-server-'));
        writeFileSync(join(staging, 'pom.xml'), TEST_SERVER_POM(TEST_SERVER_VERSION));
        await runWithProgress(
          `Fetching io.temporal:temporal-test-server:${TEST_SERVER_VERSION} and its dependencies from Maven Central`,
          mvn,
          ['-B', '-q', 'dependency:copy-dependencies', `-DoutputDirectory=${join(staging, 'lib')}`],
          { cwd: staging },
        );
        writeFileSync(join(staging, 'temporal-test-server'), TEST_SERVER_WRAPPER);
        chmodSync(join(staging, 'temporal-test-server'), 0o755);
        rmSync(dir, { recursive: true, force: true });
        renameSync(staging, dir);
        await makeClassDataArchive(dir);
        return { kind: 'path', path: wrapper, source: 'Maven Central' };
      },
    });
  }
  if (process.env.BAOCAO_OFFLINE === '1') {
    throw new ProvisionError(
      'No Temporal time-skipping test server found. Install Java 17+ and Maven (apt-get install openjdk-17-jre-headless maven) ' +
        'so baocao can fetch it from Maven Central, or set TEMPORAL_TEST_SERVER to an executable.',
    );
  }
  log('No Java/Maven: falling back to the Temporal SDK download of the test server (needs internet).');
  return { kind: 'sdk-download', source: 'Temporal SDK download' };
}

export async function provisionAll() {
  const devServer = await ensureTemporalCli();
  log(`Temporal dev server: ${devServer.kind === 'path' ? devServer.path : 'SDK download'} (${devServer.source})`);
  const testServer = await ensureTestServer();
  log(`Temporal test server: ${testServer.kind === 'path' ? testServer.path : 'SDK download'} (${testServer.source})`);
  return { devServer, testServer };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  provisionAll()
    .then((servers) => {
      if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(servers) + '\n');
    })
    .catch((err) => {
      log(err instanceof ProvisionError ? err.message : err.stack);
      process.exit(1);
    });
}
