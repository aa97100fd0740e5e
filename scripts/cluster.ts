// The production configuration on one machine, without Docker:
//
//   npm run start:cluster [-- --fresh] [--workers N]
//                                         PostgreSQL ×2, Temporal 1.31 on PostgreSQL (SQL persistence and SQL
//                                         advanced visibility), namespace + search attributes, the mail catcher,
//                                         the worker and the web app on the app's PostgreSQL. Ctrl-C stops it all.
//   npm run test:cluster [-- files…]      the suite's server-dependent files on a fresh cluster of their own
//                                         (CLUSTER_TEST_FILES below), then everything is stopped.
//
// Everything runs from docker-compose.yml's own pieces (deploy/temporal/*), in its order: see scripts/cluster/.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../common/config';
import { withWorkerCount, workerProcesses } from '../worker/processes';
import { startCluster, type Cluster } from './cluster/cluster';
import { clusterSettings, PROJECT_ROOT } from './cluster/settings';

/** The files whose outcome depends on the server's own behaviour, run on the cluster by the second tier. */
export const CLUSTER_TEST_FILES = [
  'test/cluster/server.test.ts', // what the stack is: version, SQL persistence and visibility, shards
  'test/cluster/campaign-visibility.test.ts', // a campaign cycle's workflows listed by BaocaoCampaign: SQL advanced visibility
  'test/deploy/deploy.test.ts', // setup-namespace.sh against the server
  'test/cycle/visibility.test.ts', // overdue under a supervisor: SQL advanced visibility
  'test/cycle/continue-as-new.test.ts', // a rehearsal cycle end to end with the production worker, continue-as-new
  'test/programme/schedule.test.ts', // the programme's Temporal Schedule
  'test/web/archive.test.ts', // the archive fall-back when Temporal no longer has (or has closed) a cycle
];

const say = (msg: string) => process.stderr.write(`[cluster] ${msg}\n`);

interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<void>;
}

/** A Node entry point run as compose runs it (`node --import tsx`): signals reach the process itself. */
function startNode(name: string, script: string, env: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, script)], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
  return { name, process: child, exited: new Promise((r) => child.once('exit', () => r())) };
}

async function stopChild(c: Child, graceMs = 30_000): Promise<void> {
  if (c.process.exitCode !== null || c.process.signalCode !== null) return;
  c.process.kill('SIGTERM');
  const timer = setTimeout(() => c.process.kill('SIGKILL'), graceMs);
  await c.exited;
  clearTimeout(timer);
}

async function startStack(fresh: boolean, workersFlag: string | undefined) {
  const settings = clusterSettings('start');
  // --workers N or BAOCAO_WORKERS: checked before anything starts
  const workerCount = loadConfig(withWorkerCount(workersFlag, process.env)).worker.processes;
  const running: { cluster?: Cluster } = {};
  const children: Child[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    for (const c of [...children].reverse()) await stopChild(c).catch((err: unknown) => say(`${c.name} did not stop cleanly: ${String(err)}`));
    await running.cluster?.stop().catch((err: unknown) => say(`the cluster did not stop cleanly: ${String(err)}`));
    say('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  const cluster = (running.cluster = await startCluster(settings, { fresh, log: say }));
  if (stopping) return;
  cluster.server.onUnexpectedExit = (code, signal) => {
    say(`the Temporal server exited (${signal ?? `code ${code}`}): see ${cluster.server.logFile}`);
    void stopAll(1);
  };
  const dataDir = join(settings.dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...withWorkerCount(workersFlag, process.env),
    TEMPORAL_ADDRESS: cluster.server.address,
    TEMPORAL_NAMESPACE: settings.namespace,
    DATABASE_URL: cluster.appDatabaseUrl,
    BAOCAO_DATA_DIR: dataDir,
    BAOCAO_WORKER_METRICS_ADDRESS: process.env.BAOCAO_WORKER_METRICS_ADDRESS ?? `127.0.0.1:${settings.workerMetricsPort}`,
  };
  const watch = (c: Child) => {
    children.push(c);
    c.process.once('exit', (code, signal) => {
      if (!stopping) say(`${c.name} exited (${signal ?? `code ${code}`})`);
      void stopAll(1);
    });
  };
  let mailUrl: string | undefined;
  if (!process.env.SMTP_URL && existsSync(join(PROJECT_ROOT, 'client/mailcatcher/main.ts'))) {
    watch(startNode('mail catcher', 'client/mailcatcher/main.ts', env));
    mailUrl = `http://127.0.0.1:${process.env.MAIL_CATCHER_HTTP_PORT ?? 1080}`;
  }
  for (const worker of workerProcesses(workerCount, env)) watch(startNode(worker.name, 'worker/main.ts', worker.env));
  watch(startNode('web app', 'client/web/main.ts', env));

  const info = await cluster.server.clusterInfo();
  say('ready — the production configuration of docker-compose.yml, on this machine:');
  say(`  Temporal gRPC       ${cluster.server.address} (namespace ${settings.namespace}; server ${info.serverVersion}, ${info.historyShardCount} history shards)`);
  say(`  Temporal HTTP API   ${cluster.server.httpUrl}/api/v1/cluster-info`);
  say(`  Temporal metrics    ${cluster.server.metricsUrl}`);
  say(`  worker metrics      ${workerProcesses(workerCount, env).map((w) => `http://${w.env.BAOCAO_WORKER_METRICS_ADDRESS}/metrics`).join(' ')}`);
  if (workerCount > 1) say(`  workers             ${workerCount} processes on task queue ${process.env.TEMPORAL_TASK_QUEUE || 'baocao'}`);
  say(`  Temporal database   ${cluster.temporalDb.url('temporal', 'temporal')} (+ temporal_visibility)`);
  say(`  baocao database     ${cluster.appDatabaseUrl}`);
  say(`  baocao web app      ${process.env.BAOCAO_PUBLIC_URL ?? `http://127.0.0.1:${process.env.BAOCAO_WEB_PORT ?? 3000}`}`);
  if (mailUrl) say(`  mail catcher        ${mailUrl}   (nothing leaves this machine; set SMTP_URL to send for real)`);
  say(`  CLI                 TEMPORAL_ADDRESS=${cluster.server.address} TEMPORAL_NAMESPACE=${settings.namespace} DATABASE_URL=${cluster.appDatabaseUrl} bin/baocao --help`);
  say(`  Temporal CLI        ${cluster.cli} workflow list --address ${cluster.server.address} --namespace ${settings.namespace}`);
  say(`  logs and data       ${settings.dir}`);
  say('  (no Temporal Web UI here: docker-compose.yml runs the temporalio/ui image for that)');
  say('Press Ctrl-C to stop everything.');
}

async function runTestTier(files: string[]) {
  const t0 = performance.now();
  const settings = clusterSettings('test');
  let vitest: ChildProcess | undefined;
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    vitest?.kill('SIGTERM');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const cluster = await startCluster(settings, { fresh: true, log: say });
  const setupSeconds = (performance.now() - t0) / 1000;
  let code = 1;
  try {
    if (interrupted) throw new Error('interrupted');
    const chosen = files.length ? files : CLUSTER_TEST_FILES;
    say(`cluster ready in ${setupSeconds.toFixed(0)} s; running ${chosen.length} test files on it`);
    const t1 = performance.now();
    vitest = spawn(join(PROJECT_ROOT, 'node_modules', '.bin', 'vitest'), ['run', ...chosen], {
      cwd: PROJECT_ROOT,
      stdio: 'inherit',
      env: {
        ...process.env,
        BAOCAO_TEST_TEMPORAL_ADDRESS: cluster.server.address,
        BAOCAO_TEST_TEMPORAL_NAMESPACE: settings.namespace,
        BAOCAO_TEST_TEMPORAL_DYNAMIC_CONFIG: JSON.stringify(settings.dynamicConfig),
        BAOCAO_TEST_TEMPORAL_HTTP_URL: cluster.server.httpUrl,
        BAOCAO_TEST_TEMPORAL_METRICS_URL: cluster.server.metricsUrl,
      },
    });
    code = await new Promise<number>((resolve) => vitest!.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
    say(`test tier: ${((performance.now() - t1) / 1000).toFixed(0)} s of tests, ${((performance.now() - t0) / 1000).toFixed(0)} s with the cluster's set-up`);
  } finally {
    await cluster.stop();
  }
  process.exit(interrupted ? 130 : code);
}

async function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { fresh: { type: 'boolean', default: false }, workers: { type: 'string' } } });
  const [command = 'start', ...rest] = positionals;
  if (command === 'start') return startStack(values.fresh, values.workers);
  if (command === 'test') return runTestTier(rest);
  throw new Error(`unknown command "${command}": use start (npm run start:cluster) or test (npm run test:cluster)`);
}

main().catch((err: unknown) => {
  say(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
