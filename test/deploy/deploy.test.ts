// The deployment pieces that can run without Docker: the namespace/search-attribute job of docker-compose.yml
// (deploy/temporal/setup-namespace.sh, with the real `temporal` CLI against a real server), the ahead-of-time
// workflow bundle, the container health checks, and the image's commands (the compiled build, plain node).
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../common/config';
import { buildWorkflowBundle } from '../../scripts/build-workflow-bundle';
import { checkWeb, checkWorker, localWebUrl, pollsFromHost } from '../../scripts/healthcheck';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { DIST, ROOT, ensureBuild } from '../support/build';
import { createLocalEnv, quietLogger } from '../support/temporal';

const run = promisify(execFile);
const SETUP_SCRIPT = join(__dirname, '../../deploy/temporal/setup-namespace.sh');
const DAY_SECONDS = 24 * 3600;

let env: TestWorkflowEnvironment;
let cliDir: string;

beforeAll(async () => {
  const route = inject('temporalServers').devServer;
  if (route.kind !== 'path') throw new Error('the Temporal CLI was not provisioned (scripts/provision.mjs)');
  cliDir = dirname(route.path);
  env = await createLocalEnv();
});

afterAll(async () => {
  await env?.teardown();
});

/** Runs the compose job's script as the admin-tools container would: `sh`, the CLI on PATH, env settings. */
async function setupNamespace(namespace: string, retention: string): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run('sh', [SETUP_SCRIPT], {
      env: {
        PATH: `${cliDir}${delimiter}${process.env.PATH ?? ''}`,
        HOME: process.env.HOME ?? tmpdir(), // the CLI looks for its config file there
        TEMPORAL_ADDRESS: env.address,
        TEMPORAL_NAMESPACE: namespace,
        TEMPORAL_NAMESPACE_RETENTION: retention,
        TEMPORAL_SETUP_ATTEMPTS: '20',
        TEMPORAL_SETUP_PAUSE_SECONDS: '1',
      },
    });
    return { code: 0, stderr };
  } catch (err) {
    const e = err as { code?: number; stderr?: string };
    return { code: e.code ?? -1, stderr: e.stderr ?? String(err) };
  }
}

async function customSearchAttributes(namespace: string): Promise<Record<string, string>> {
  const res = await env.connection.operatorService.listSearchAttributes({ namespace });
  const names: Record<string, string> = {};
  for (const [name, type] of Object.entries(res.customAttributes ?? {})) {
    names[name] = temporal.api.enums.v1.IndexedValueType[type];
  }
  return names;
}

async function retentionDays(namespace: string): Promise<number> {
  const res = await env.client.workflowService.describeNamespace({ namespace });
  return Number(res.config?.workflowExecutionRetentionTtl?.seconds ?? 0) / DAY_SECONDS;
}

describe('deploy/temporal/setup-namespace.sh (the temporal-setup job)', () => {
  it('registers the namespace with every search attribute of workflows/search-attributes.ts, idempotently', async () => {
    const namespace = `baocao-deploy-${randomUUID().slice(0, 8)}`;
    const first = await setupNamespace(namespace, '30d');
    expect(first.code, first.stderr).toBe(0);

    const expected = Object.fromEntries(SEARCH_ATTRIBUTES.map((sa) => [sa.name, `INDEXED_VALUE_TYPE_${sa.type}`]));
    expect(await customSearchAttributes(namespace)).toMatchObject(expected);
    expect(await retentionDays(namespace)).toBe(30);

    // A second deploy changes nothing but the retention it is given.
    const second = await setupNamespace(namespace, '45d');
    expect(second.code, second.stderr).toBe(0);
    expect(await retentionDays(namespace)).toBe(45);
    expect(await customSearchAttributes(namespace)).toMatchObject(expected);
  });

  it('stops the deploy when a search attribute exists with another type', async () => {
    const namespace = `baocao-clash-${randomUUID().slice(0, 8)}`;
    const cli = join(cliDir, 'temporal');
    await run(cli, ['operator', 'namespace', 'create', '--address', env.address, '--namespace', namespace]);
    await run(cli, ['operator', 'search-attribute', 'create', '--address', env.address, '--namespace', namespace, '--name', 'BaocaoOverdue', '--type', 'Keyword']);

    const result = await setupNamespace(namespace, '30d');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('BaocaoOverdue');
    expect(result.stderr).toContain('different type');
  });
});

describe('scripts/healthcheck.ts worker, with the ahead-of-time workflow bundle', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'baocao-bundle-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is unhealthy until a worker of this host polls the task queue, healthy while it does', async () => {
    const taskQueue = `health-${randomUUID()}`;
    const config = loadConfig({ TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: taskQueue });
    await expect(checkWorker(config)).rejects.toThrow(/no worker of host .* polls task queue/);

    const { file, bytes } = await buildWorkflowBundle(join(dir, 'workflow-bundle.js'), quietLogger);
    expect(bytes).toBeGreaterThan(0);
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { code: readFileSync(file, 'utf8') },
    });
    const verdict = await worker.runUntil(async () => {
      // The first poll reaches the server a moment after the worker starts: ask a bounded number of times.
      let last: unknown;
      for (let attempt = 0; attempt < 50; attempt++) {
        try {
          return await checkWorker(config);
        } catch (err) {
          last = err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      throw last;
    });
    expect(verdict).toContain(taskQueue);
  });

  it('matches pollers by the host part of the SDK identity only', () => {
    expect(pollsFromHost([{ identity: '41@web-1' }, { identity: '7@worker-1' }], 'worker-1')).toBe(true);
    expect(pollsFromHost([{ identity: '7@worker-10' }, { identity: null }], 'worker-1')).toBe(false);
    expect(pollsFromHost([], 'worker-1')).toBe(false);
  });
});

describe('scripts/healthcheck.ts web', () => {
  let server: Server;
  let port: number;
  let status = 200;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.statusCode = req.url === '/healthz' ? status : 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const webConfig = (host: string, p: number) => loadConfig({ BAOCAO_WEB_HOST: host, BAOCAO_WEB_PORT: String(p) });

  it('asks /healthz on loopback when the app binds every interface', async () => {
    expect(localWebUrl(webConfig('0.0.0.0', port))).toBe(`http://127.0.0.1:${port}/healthz`);
    expect(localWebUrl(webConfig('::1', port))).toBe(`http://[::1]:${port}/healthz`);
    status = 200;
    await expect(checkWeb(webConfig('0.0.0.0', port))).resolves.toContain('HTTP 200');
  });

  it('is unhealthy on an error status or when nothing listens', async () => {
    status = 503;
    await expect(checkWeb(webConfig('127.0.0.1', port))).rejects.toThrow('HTTP 503');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(checkWeb(webConfig('127.0.0.1', closedPort))).rejects.toThrow('does not answer');
  });
});

/** Every exec-form command (["node", …]) of the Dockerfile and docker-compose.yml. */
function imageCommands(): string[][] {
  const texts = [readFileSync(join(ROOT, 'Dockerfile'), 'utf8'), readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')];
  return texts.flatMap((t) => [...t.matchAll(/\[("CMD", )?"node"[^\]]*\]/g)].map((m) => (JSON.parse(m[0]) as string[]).filter((w) => w !== 'CMD')));
}

describe('the image runs the compiled build with plain node', () => {
  beforeAll(async () => {
    await ensureBuild({ bundle: true }); // what the Dockerfile's build stage runs (node scripts/build.mjs)
  });

  it('starts only files of dist/ that the build produces, with no TypeScript loader', () => {
    const commands = imageCommands();
    // web and worker commands, their health checks (Dockerfile and compose)
    expect(commands.length).toBeGreaterThanOrEqual(5);
    for (const command of commands) {
      expect(command.join(' ')).not.toMatch(/tsx|\.ts\b|--import|--loader/);
      const file = command[1]!;
      expect(file, command.join(' ')).toMatch(/^dist\/.+\.js$/);
      expect(existsSync(join(ROOT, file)), `${file} is built`).toBe(true);
    }
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('RUN node scripts/build.mjs');
    expect(dockerfile).toContain('BAOCAO_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js');
    expect(existsSync(join(DIST, 'workflow-bundle.js'))).toBe(true);
  });

  it('needs no development package at run time (the runtime stage installs with --omit=dev)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    for (const tool of ['tsx', 'esbuild', 'typescript']) {
      expect(pkg.dependencies[tool], `${tool} is a devDependency`).toBeUndefined();
      expect(pkg.devDependencies[tool]).toBeDefined();
    }
  });

  it('runs the compiled health check of the web app with plain node', async () => {
    const server = createServer((req, res) => {
      res.statusCode = req.url === '/healthz' ? 200 : 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const { stdout } = await run(process.execPath, [join(DIST, 'scripts', 'healthcheck.js'), 'web'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', BAOCAO_WEB_HOST: '0.0.0.0', BAOCAO_WEB_PORT: String(port) },
      });
      expect(stdout).toContain(`healthy: http://127.0.0.1:${port}/healthz answered HTTP 200`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
