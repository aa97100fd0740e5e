// What one row of bench:scale runs on, started from empty and stopped after the row:
//   cluster  the production-parity stack of scripts/cluster/ (profile `bench`): Temporal 1.31 on PostgreSQL with
//            SQL visibility, 128 shards, namespace baocao, and the app's own PostgreSQL
//   dev      the Temporal CLI dev server (SQLite) beside the same kind of app PostgreSQL, for comparison
// and K production worker processes (worker/main.ts, as compose and start:cluster run it) on one task queue.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { startCluster, APP_DATABASE, type Cluster } from '../../scripts/cluster/cluster';
import { LocalPostgres } from '../../scripts/cluster/postgres';
import { clusterSettings, PROJECT_ROOT } from '../../scripts/cluster/settings';
import { startDevServer, type DevServer } from '../../scripts/dev-server';
import { processCpuSeconds, treeCpuSeconds, type CpuSample } from './cpu';

export type ServerKind = 'cluster' | 'dev';

export interface BenchStack {
  server: ServerKind;
  address: string;
  namespace: string;
  appDatabaseUrl: string;
  /** one line saying what runs (server version, persistence) */
  description: string;
  /** bytes Temporal keeps: its two PostgreSQL databases, or the dev server's SQLite file */
  temporalBytes(): Promise<number>;
  appBytes(): Promise<number>;
  /** CPU seconds so far of the Temporal server and of each PostgreSQL server (postmaster + backends) */
  cpu(): CpuSample;
  stop(): Promise<void>;
}

const settings = clusterSettings('bench');

async function pgDatabaseBytes(url: string, databases: string[]): Promise<number> {
  const client = new PgClient({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ bytes: string }>('SELECT sum(pg_database_size(datname))::text AS bytes FROM pg_database WHERE datname = ANY($1)', [databases]);
    return Number(rows[0]?.bytes ?? 0);
  } finally {
    await client.end();
  }
}

export async function startStack(server: ServerKind, log: (line: string) => void): Promise<BenchStack> {
  if (server === 'cluster') {
    const cluster: Cluster = await startCluster(settings, { fresh: true, log });
    const info = await cluster.server.clusterInfo();
    return {
      server,
      address: cluster.server.address,
      namespace: settings.namespace,
      appDatabaseUrl: cluster.appDatabaseUrl,
      description: `Temporal server ${info.serverVersion} (${info.persistenceStore}, visibility ${info.visibilityStore}, ${info.historyShardCount} shards), app on PostgreSQL`,
      temporalBytes: () => pgDatabaseBytes(cluster.temporalDb.url('postgres'), ['temporal', 'temporal_visibility']),
      appBytes: () => pgDatabaseBytes(cluster.appDb.url('postgres'), [APP_DATABASE]),
      cpu: () => ({
        temporal: processCpuSeconds(cluster.server.pid),
        temporalDb: treeCpuSeconds(cluster.temporalDb.pid()),
        appDb: treeCpuSeconds(cluster.appDb.pid()),
      }),
      async stop() {
        await cluster.stop();
        rmSync(settings.dir, { recursive: true, force: true });
      },
    };
  }
  // the dev server on its SQLite file, the app on a PostgreSQL of its own (the bench profile's port and folder)
  rmSync(settings.dir, { recursive: true, force: true });
  const appDb = new LocalPostgres('baocao-db', join(settings.dir, 'baocao-db'), settings.appDbPort, APP_DATABASE);
  await appDb.start();
  let dev: DevServer | undefined;
  try {
    const { ensureTemporalCli, TEMPORAL_CLI_VERSION } = await import('../../scripts/provision.mjs');
    const route = await ensureTemporalCli();
    if (route.kind !== 'path') throw new Error(`No Temporal CLI provisioned (${route.source}): run \`npm run provision\`.`);
    const dbFile = join(settings.dir, 'temporal.db');
    dev = await startDevServer({ cli: route.path, dbFile, port: settings.frontendPort, headless: true, namespace: settings.namespace });
    const started = dev;
    return {
      server,
      address: dev.address,
      namespace: settings.namespace,
      appDatabaseUrl: appDb.url(APP_DATABASE),
      description: `Temporal dev server (CLI ${TEMPORAL_CLI_VERSION}, SQLite file), app on PostgreSQL`,
      temporalBytes: async () => ['', '-wal', '-shm'].reduce((sum, suffix) => sum + (existsSync(dbFile + suffix) ? statSync(dbFile + suffix).size : 0), 0),
      appBytes: () => pgDatabaseBytes(appDb.url('postgres'), [APP_DATABASE]),
      cpu: () => ({ temporal: processCpuSeconds(started.process.pid), temporalDb: 0, appDb: treeCpuSeconds(appDb.pid()) }),
      async stop() {
        await started.stop();
        await appDb.stop();
        rmSync(settings.dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await dev?.stop().catch(() => undefined);
    await appDb.stop().catch(() => undefined);
    throw err;
  }
}

export interface WorkerProcess {
  pid: number;
  /** CPU seconds so far */
  cpuSeconds(): number;
  /** VmHWM: the process's peak resident set so far, bytes (0 once it has exited) */
  peakRss(): number;
  stop(): Promise<void>;
}

function peakRssOf(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Starts the production worker process (`node --import tsx worker/main.ts`, as scripts/cluster.ts does) and
 * resolves once it polls the task queue. Its output goes to `logFile`; its last lines come with any error.
 */
export function startWorkerProcess(index: number, env: NodeJS.ProcessEnv, logFile: string, onUnexpectedExit: (line: string) => void): Promise<WorkerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'worker', 'main.ts')], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile, { flags: 'a' });
  const tail: string[] = [];
  let peak = 0;
  let ready = false;
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`worker ${index} did not poll within 180 s`)), 180_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}; its last lines (${logFile}):\n${tail.join('\n')}`));
    };
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        if (!ready && line.includes('[worker] polling task queue')) {
          ready = true;
          clearTimeout(timer);
          resolve({
            pid: child.pid!,
            cpuSeconds: () => processCpuSeconds(child.pid),
            peakRss: () => (peak = Math.max(peak, peakRssOf(child.pid!))),
            async stop() {
              peak = Math.max(peak, peakRssOf(child.pid!));
              stopping = true;
              if (child.exitCode === null && child.signalCode === null) {
                child.kill('SIGTERM');
                const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
                await exited;
                clearTimeout(kill);
              }
              log.end();
            },
          });
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      const how = signal ?? `code ${code}`;
      if (!ready) fail(new Error(`worker ${index} exited (${how}) before polling`));
      else if (!stopping) onUnexpectedExit(`worker ${index} exited (${how}) during the run; its last lines (${logFile}):\n${tail.join('\n')}`);
    });
  });
}
