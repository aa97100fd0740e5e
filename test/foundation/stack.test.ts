// `npm start` for real (scripts/start.mjs: build, then the compiled stack under plain node) on free ports with
// its own data dir, as a second stack beside any other: kill -9 of the worker is followed by a new worker
// polling the task queue, and Ctrl-C (SIGINT to the process group, as a terminal sends it) leaves no process.
// Waits poll for their condition; the only real time spent is the processes' own start-up and the 1 s back-off.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_TASK_QUEUE } from '../../workflows/ids';
import { freePort } from '../support/temporal';

const ROOT = join(__dirname, '..', '..');
/** Start-up includes a build when the sources changed (esbuild, webpack for the workflows) on a busy machine. */
const START_TIMEOUT_MS = 240_000;
const POLL_MS = 100;

let stack: ChildProcess;
let dataDir: string;
let log = '';
let ports: { temporal: number; ui: number; web: number; smtp: number; mailHttp: number };
let stackEnv: NodeJS.ProcessEnv;

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the stack's log:\n${log}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** pids of the stack's log lines "<name> started (pid N)", in order. */
function startedPids(name: string): number[] {
  return [...log.matchAll(new RegExp(`\\[baocao\\] ${name} started \\(pid (\\d+)\\)`, 'g'))].map((m) => Number(m[1]));
}

function groupMembers(pgid: number): string {
  const ps = spawnSync('ps', ['-o', 'pid=,args=', '-g', String(pgid)], { encoding: 'utf8' });
  return ps.stdout.trim();
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  const route = inject('temporalServers').devServer;
  if (route.kind !== 'path') throw new Error('the Temporal CLI was not provisioned (scripts/provision.mjs)');
  dataDir = mkdtempSync(join(tmpdir(), 'baocao-stack-'));
  ports = { temporal: await freePort(), ui: await freePort(), web: await freePort(), smtp: await freePort(), mailHttp: await freePort() };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_CLI: route.path,
    BAOCAO_DATA_DIR: dataDir,
    BAOCAO_TEMPORAL_PORT: String(ports.temporal),
    BAOCAO_TEMPORAL_UI_PORT: String(ports.ui),
    BAOCAO_WEB_PORT: String(ports.web),
    MAIL_CATCHER_SMTP_PORT: String(ports.smtp),
    MAIL_CATCHER_HTTP_PORT: String(ports.mailHttp),
  };
  for (const name of ['TEMPORAL_ADDRESS', 'TEMPORAL_UI_URL', 'TEMPORAL_TASK_QUEUE', 'BAOCAO_PUBLIC_URL', 'SMTP_URL', 'BAOCAO_WORKFLOW_BUNDLE']) delete env[name];
  stackEnv = env;
  // its own process group, like a terminal's foreground job: Ctrl-C reaches every process in it
  stack = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs')], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [stack.stdout!, stack.stderr!]) stream.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  await until('the stack to be ready', START_TIMEOUT_MS, () => {
    if (stack.exitCode !== null) throw new Error(`npm start exited with code ${stack.exitCode}:\n${log}`);
    return /\[worker\] polling task queue/.test(log) && /\[web\] listening/.test(log) && /\[mailcatcher\] web/.test(log) ? true : undefined;
  });
}, START_TIMEOUT_MS + 10_000);

afterAll(() => {
  if (stack?.pid && groupAlive(stack.pid)) process.kill(-stack.pid, 'SIGKILL');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start supervises what it starts', () => {
  it('runs on the ports and data dir it is given', async () => {
    expect(log).toContain(`Temporal gRPC     127.0.0.1:${ports.temporal}`);
    expect(log).toContain(`Temporal Web UI   http://127.0.0.1:${ports.ui}`);
    expect(log).toContain(`baocao web app    http://127.0.0.1:${ports.web}`);
    expect(log).toContain(`database          ${join(dataDir, 'baocao.sqlite')}`);
    const health = await fetch(`http://127.0.0.1:${ports.web}/healthz`);
    expect(health.status).toBe(200);
  });

  it('runs a rehearsal on the compiled build: bin/baocao starts it, the worker sends the task emails', { timeout: 180_000 }, async () => {
    const baocao = (...args: string[]) => promisify(execFile)(join(ROOT, 'bin', 'baocao'), args, { cwd: ROOT, env: stackEnv });
    await baocao('units', 'import', join(ROOT, 'examples', 'province-units.csv'));
    const year = new Date().getUTCFullYear() + 1;
    const started = JSON.parse((await baocao('cycle', 'start', '--year', String(year), '--root', 'LDLD-BN', '--rehearsal', '60', '--json')).stdout) as { cycleId: string };
    expect(started.cycleId).toMatch(/^rehearsal-/);
    // calendar (lunar holidays), directory, outbox and SMTP activities all ran in the compiled worker
    const messages = await until('a task email in the mail catcher', 120_000, async () => {
      const list = (await (await fetch(`http://127.0.0.1:${ports.mailHttp}/api/messages`)).json()) as unknown[];
      return list.length > 0 ? list : undefined;
    });
    expect(messages.length).toBeGreaterThan(0);
    expect(log).not.toContain('Activity failed');
  });

  it('replaces a worker killed with SIGKILL by a new one that polls the task queue', async () => {
    const [first] = startedPids('worker');
    expect(first).toBeGreaterThan(0);
    const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
    const client = new Client({ connection });
    const pollerIdentities = async () => {
      const res = await client.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: DEFAULT_TASK_QUEUE } });
      return res.pollers.map((p) => p.identity);
    };
    try {
      // the SDK's identity is <pid>@<hostname>: this is the worker the stack started
      await until('the first worker to poll', 60_000, async () => ((await pollerIdentities()).includes(`${first}@${hostname()}`) ? true : undefined));

      const killedAt = Date.now();
      process.kill(first!, 'SIGKILL');
      const second = await until('a new worker process', 30_000, () => startedPids('worker')[1]);
      await until('the new worker to poll', 30_000, async () => ((await pollerIdentities()).includes(`${second}@${hostname()}`) ? true : undefined));
      const seconds = (Date.now() - killedAt) / 1000;
      process.stderr.write(`[stack test] new worker polling ${seconds.toFixed(1)} s after kill -9\n`);

      expect(second).not.toBe(first);
      expect(log).toContain('[baocao] worker exited (signal SIGKILL); restarting in 1 s (restart 1)');
      // the rest of the stack stayed up
      expect(startedPids('web app')).toHaveLength(1);
      expect(startedPids('mail catcher')).toHaveLength(1);
      expect((await fetch(`http://127.0.0.1:${ports.web}/healthz`)).status).toBe(200);
    } finally {
      await connection.close();
    }
  });

  it('restarts a crashed web app and mail catcher, each on its own port again', async () => {
    const [web] = startedPids('web app');
    const [catcher] = startedPids('mail catcher');
    process.kill(web!, 'SIGKILL');
    process.kill(catcher!, 'SIGKILL');
    const answers = async (url: string) => (await fetch(url).then((r) => r.status === 200).catch(() => false)) || undefined;
    const newWeb = await until('a new web app', 30_000, () => startedPids('web app')[1]);
    const newCatcher = await until('a new mail catcher', 30_000, () => startedPids('mail catcher')[1]);
    await until('the web app to answer again', 30_000, () => answers(`http://127.0.0.1:${ports.web}/healthz`));
    await until('the mail catcher to answer again', 30_000, () => answers(`http://127.0.0.1:${ports.mailHttp}/`));
    expect([newWeb, newCatcher]).not.toContain(web);
    expect(log).toContain('[baocao] web app exited (signal SIGKILL); restarting in 1 s (restart 1)');
    expect(log).toContain('[baocao] mail catcher exited (signal SIGKILL); restarting in 1 s (restart 1)');
  });

  it('restarts a crashed dev server on the same port (and data file), and a worker polls it again', async () => {
    const [server] = startedPids('Temporal dev server');
    process.kill(server!, 'SIGKILL');
    const newServer = await until('a new dev server', 60_000, () => startedPids('Temporal dev server')[1]);
    expect(newServer).not.toBe(server);
    expect(log).toContain('[baocao] Temporal dev server exited (signal SIGKILL); restarting in 1 s (restart 1)');
    const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
    try {
      const client = new Client({ connection });
      // the worker reconnects (or crashes and is restarted): either way, some worker of this host polls again
      await until('a worker to poll the new server', 90_000, async () => {
        const res = await client.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: DEFAULT_TASK_QUEUE } });
        return res.pollers.some((p) => p.identity?.endsWith(`@${hostname()}`)) || undefined;
      });
    } finally {
      await connection.close();
    }
  });

  it('stops everything on Ctrl-C and leaves no process behind', async () => {
    const pgid = stack.pid!;
    const before = log.length;
    const exited = new Promise<number | null>((resolve) => stack.once('exit', (code) => resolve(code)));
    process.kill(-pgid, 'SIGINT');
    expect(await exited).toBe(0);
    await until('every process of the stack to end', 30_000, () => (groupAlive(pgid) ? undefined : true)).catch((err: Error) => {
      throw new Error(`${err.message.split(';')[0]}: still running:\n${groupMembers(pgid)}`);
    });
    expect(log).toContain('[baocao] stopped.');
    expect(log.slice(before)).not.toContain('restarting in'); // Ctrl-C is not a crash
  });
});
