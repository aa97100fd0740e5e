// `npm start -- --workers 2` for real (scripts/start.mjs: build, then the compiled stack under plain node) on
// free ports with its own data dir: two supervised worker processes poll the one task queue, and a rehearsal's
// workflow and activity tasks are shared between them (each task's history event names the process that took
// it). Scaling out needs nothing from the processes but the queue; this shows the queue does spread the work.
// Waits poll for their condition; the only real time spent is the processes' own start-up and the cycle's start.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_TASK_QUEUE } from '../../workflows/ids';
import { freePort } from '../support/temporal';

const ROOT = join(__dirname, '..', '..');
/** Start-up includes a build when the sources changed (esbuild, webpack for the workflows) on a busy machine. */
const START_TIMEOUT_MS = 240_000;
const POLL_MS = 200;
const WORKERS = 2;
/** units of examples/province-units.csv: one unit workflow each (the root's is the cycle's top) */
const PROVINCE_UNITS = 73;
const { TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY } = temporal.api.enums.v1.TaskQueueType;

let stack: ChildProcess;
let dataDir: string;
let log = '';
let ports: { temporal: number; ui: number; web: number; smtp: number; mailHttp: number };
let stackEnv: NodeJS.ProcessEnv;
let connection: Connection | undefined;
let client: Client;

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the stack's log:\n${log}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** The SDK's identity of the process the stack logged as "<name> started (pid N)": `<pid>@<hostname>`. */
function identityOf(name: string): string | undefined {
  const pid = new RegExp(`\\[baocao\\] ${name} started \\(pid (\\d+)\\)`).exec(log)?.[1];
  return pid ? `${pid}@${hostname()}` : undefined;
}

async function pollers(taskQueueType: temporal.api.enums.v1.TaskQueueType): Promise<string[]> {
  const res = await client.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: DEFAULT_TASK_QUEUE }, taskQueueType });
  return res.pollers.map((p) => p.identity ?? '');
}

beforeAll(async () => {
  const route = inject('temporalServers').devServer;
  if (route.kind !== 'path') throw new Error('the Temporal CLI was not provisioned (scripts/provision.mjs)');
  dataDir = mkdtempSync(join(tmpdir(), 'baocao-workers-'));
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
  for (const name of ['TEMPORAL_ADDRESS', 'TEMPORAL_UI_URL', 'TEMPORAL_TASK_QUEUE', 'BAOCAO_PUBLIC_URL', 'SMTP_URL', 'BAOCAO_WORKFLOW_BUNDLE', 'BAOCAO_WORKERS']) delete env[name];
  stackEnv = env;
  // its own process group, so that afterAll can stop every process of it
  stack = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), '--workers', String(WORKERS)], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [stack.stdout!, stack.stderr!]) stream.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  await until('the stack to be ready', START_TIMEOUT_MS, () => {
    if (stack.exitCode !== null) throw new Error(`npm start exited with code ${stack.exitCode}:\n${log}`);
    const polling = log.split('[worker] polling task queue').length - 1;
    return polling >= WORKERS && /\[web\] listening/.test(log) && /\[mailcatcher\] web/.test(log) ? true : undefined;
  });
  connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
  client = new Client({ connection });
}, START_TIMEOUT_MS + 10_000);

afterAll(async () => {
  await connection?.close();
  if (stack?.pid && stack.exitCode === null) {
    // Ctrl-C, as a terminal sends it; then make sure
    const exited = new Promise((resolve) => stack.once('exit', resolve));
    process.kill(-stack.pid, 'SIGINT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
    try {
      process.kill(-stack.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

/** The identity on every workflow task completed and every activity started, over every workflow of the server. */
async function whoTookTheTasks() {
  const workflowTasks = new Map<string, number>();
  const activities = new Map<string, number>();
  const count = (m: Map<string, number>, id: string | null | undefined) => void (id && m.set(id, (m.get(id) ?? 0) + 1));
  let executions = 0;
  for await (const wf of client.workflow.list()) {
    executions++;
    const history = await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    for (const e of history.events ?? []) {
      count(workflowTasks, e.workflowTaskCompletedEventAttributes?.identity);
      count(activities, e.activityTaskStartedEventAttributes?.identity);
    }
  }
  return { executions, workflowTasks, activities };
}

const summary = (s: Awaited<ReturnType<typeof whoTookTheTasks>>) =>
  `${s.executions} workflows; workflow tasks by worker ${JSON.stringify(Object.fromEntries(s.workflowTasks))}; activities ${JSON.stringify(Object.fromEntries(s.activities))}`;

describe('npm start --workers 2', () => {
  it('starts two supervised worker processes, both polling the one task queue for workflow and activity tasks', async () => {
    expect(log).toContain(`workers           ${WORKERS} processes on task queue ${DEFAULT_TASK_QUEUE}`);
    const identities = [identityOf('worker 1'), identityOf('worker 2')];
    expect(identities).not.toContain(undefined);
    expect(new Set(identities).size).toBe(WORKERS);
    for (const type of [TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY]) {
      await until(`both workers polling the ${type === TASK_QUEUE_TYPE_WORKFLOW ? 'workflow' : 'activity'} queue`, 60_000, async () => {
        const seen = await pollers(type);
        return identities.every((id) => seen.includes(id!)) ? true : undefined;
      });
    }
  });

  it('shares a rehearsal between them: each took some of its workflow tasks and some of its activities', { timeout: 300_000 }, async () => {
    const baocao = (...args: string[]) => promisify(execFile)(join(ROOT, 'bin', 'baocao'), args, { cwd: ROOT, env: stackEnv });
    await baocao('units', 'import', join(ROOT, 'examples', 'province-units.csv'));
    const year = new Date().getUTCFullYear() + 1;
    // three days long: no deadline or reminder comes while the test looks
    await baocao('cycle', 'start', '--year', String(year), '--root', 'LDLD-BN', '--rehearsal', String(3 * 24 * 60), '--json');
    // who took each task: the identity on every workflow task completed and every activity started, read from
    // the histories until every unit's workflow exists and both processes show (or the time is up)
    const ids = [identityOf('worker 1')!, identityOf('worker 2')!];
    let seen = { executions: 0, workflowTasks: new Map<string, number>(), activities: new Map<string, number>() };
    const shared = () => ids.every((id) => (seen.workflowTasks.get(id) ?? 0) > 0 && (seen.activities.get(id) ?? 0) > 0);
    await until('every unit workflow started, and both workers in their histories', 240_000, async () => {
      seen = await whoTookTheTasks();
      return seen.executions >= PROVINCE_UNITS && shared() ? true : (await new Promise((r) => setTimeout(r, 3_000)), undefined);
    }).catch((err: Error) => {
      throw new Error(`${err.message.split(';')[0]}: ${summary(seen)}`);
    });
    process.stderr.write(`[workers test] ${summary(seen)}\n`);
    // with both polling, the first task of each of 70-odd new workflows goes to whichever poll is waiting:
    // one process taking every one of them would mean the other was not really serving the queue
    for (const id of ids) {
      expect(seen.workflowTasks.get(id) ?? 0, `workflow tasks completed by ${id}`).toBeGreaterThan(0);
      expect(seen.activities.get(id) ?? 0, `activities started by ${id}`).toBeGreaterThan(0);
    }
    // and nobody else took any
    expect([...seen.workflowTasks.keys(), ...seen.activities.keys()].every((id) => ids.includes(id))).toBe(true);
    expect(log).not.toContain('Activity failed');
  });
});
