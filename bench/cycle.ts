// Cycle throughput: `npm run bench:cycle -- --units 2000 [--concurrency 20] [--rehearsal-minutes 1440]`.
// Generates a 3-level tree of N units (root → ~√N intermediate unions → grassroots unions) in a temporary SQLite
// directory, starts a private Temporal dev server (SQLite persistence, headless, a free port) and the production
// worker (worker/worker.ts; email to an in-process SMTP sink, rate limit off), then runs a rehearsal cycle:
//   units started/s   every unit workflow exists (the root's rollup expects N units)
//   updates/s         a plan submitted for every unit, `--concurrency` updates in flight
//   end to end        start → every plan counted in the root's rollup
// and the same figures for a tree of empty workflows of the same shape on the same server (bench/empty-workflows.ts:
// children started by pages, progress signalled upward, one trivial update each) as the ceiling. Not a test.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, makeTelemetryFilterString, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { openMigratedDatabase, type Db } from '../activities/db/database';
import { upsertUnits } from '../activities/directory/repository';
import type { UnitInput } from '../activities/directory/types';
import { generatedUnit } from '../test/support/generated-units';
import { createMailer, type Mailer } from '../activities/mail/transport';
import { startCycle, submit, unitStatus } from '../client/cycles';
import { loadConfig } from '../common/config';
import { startDevServer, type DevServer } from '../scripts/dev-server';
import { planFor } from '../test/support/cycle-fixtures';
import { startSmtpSink, type SmtpSink as Sink } from '../test/support/smtp-sink';
import { createWorker, createWorkerMailDispatcher, WORKFLOWS_PATH } from '../worker/worker';
import { emptyCountsQuery, emptyNodeWorkflow, emptyPingUpdate, emptyTreeIds, type EmptyCounts } from './empty-workflows';

const { values } = parseArgs({
  options: {
    units: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '20' },
    'rehearsal-minutes': { type: 'string', default: String(24 * 60) },
    /** parent of the temporary directory holding both SQLite databases (default the OS's), e.g. /dev/shm */
    'data-dir': { type: 'string' },
    /** run only one side: cycle | empty (default both) */
    only: { type: 'string' },
  },
});
const units = Number(values.units);
const concurrency = Number(values.concurrency);
// long enough that no reminder fires while the benchmark runs (the first one comes ~1/6 into the rehearsal)
const rehearsalMinutes = Number(values['rehearsal-minutes']);
if (!Number.isInteger(units) || units < 3) throw new Error('--units must be a whole number ≥ 3 (root, one intermediate, one grassroots)');
if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('--concurrency must be a positive whole number');
if (!(rehearsalMinutes >= 10)) throw new Error('--rehearsal-minutes must be at least 10');
if (values.only !== undefined && values.only !== 'cycle' && values.only !== 'empty') throw new Error('--only must be cycle or empty');

const POLL_MS = 200;
const ROOT = 'LDLD-BENCH';
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const say = (line: string) => process.stderr.write(`[bench:cycle] ${line}\n`);

// ---- the tree ----

/** Leaves under each of the ~√N intermediates: root + intermediates + leaves = N. */
function treeShape(n: number): number[] {
  const k = Math.max(1, Math.min(n - 2, Math.round(Math.sqrt(n))));
  const leaves = n - 1 - k;
  return Array.from({ length: k }, (_, i) => Math.floor(leaves / k) + (i < leaves % k ? 1 : 0));
}

function unitTree(shape: number[]): UnitInput[] {
  const unit = generatedUnit;
  const list = [unit(ROOT, 'Liên đoàn Lao động tỉnh Thử Nghiệm', 'root', null)];
  let g = 0;
  shape.forEach((leaves, i) => {
    const mid = `LDLD-Q${String(i + 1).padStart(3, '0')}`;
    list.push(unit(mid, `Liên đoàn Lao động huyện Số ${i + 1}`, 'intermediate', ROOT));
    for (let j = 0; j < leaves; j++) {
      g += 1;
      list.push(unit(`CDCS-${String(g).padStart(6, '0')}`, `Công đoàn cơ sở Công ty Cổ phần Dệt may Số ${g}`, 'grassroots', mid));
    }
  });
  return list;
}

// ---- helpers ----

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let lateTasks = 0;
const load = () => loadavg()[0]!.toFixed(1);

// Ctrl-C / SIGTERM: every wait is raced against this, so the clean-up starts at once
const aborted = new AbortController();
const interrupted = new Promise<never>((_, reject) => aborted.signal.addEventListener('abort', () => reject(new Error('interrupted'))));
interrupted.catch(() => {});
const orInterrupt = <T>(p: Promise<T>): Promise<T> => Promise.race([p, interrupted]);

/** A progress line: rewritten in place on a terminal, one line every 5 s otherwise. */
function progress(label: string) {
  const t0 = performance.now();
  let last = 0;
  return (done: number, total: number, final = false) => {
    const now = performance.now();
    const line = `${label}: ${done}/${total}  ${((now - t0) / 1000).toFixed(1)} s`;
    if (process.stderr.isTTY) process.stderr.write(`\r[bench:cycle] ${line}\x1b[K${final ? '\n' : ''}`);
    else if (final || now - last >= 5_000) {
      last = now;
      say(line);
    }
  };
}

/** Polls `count` until it reaches `total`; resolves with the elapsed seconds since `since`. */
async function pollUntil(label: string, total: number, since: number, count: () => Promise<number>): Promise<number> {
  const show = progress(label);
  let n = 0;
  for (;;) {
    // a query can time out while the worker is saturated: keep the last count and ask again
    n = await orInterrupt(count().catch(() => n));
    show(n, total, n >= total);
    if (n >= total) return (performance.now() - since) / 1000;
    await orInterrupt(new Promise((r) => setTimeout(r, POLL_MS)));
  }
}

/** Runs `count` jobs with at most `limit` in flight; resolves with the elapsed seconds. */
async function inParallel(label: string, count: number, limit: number, job: (i: number) => Promise<unknown>): Promise<number> {
  const show = progress(label);
  const t0 = performance.now();
  let next = 0;
  let finished = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        await orInterrupt(job(next++));
        show(++finished, count, finished === count);
      }
    }),
  );
  return (performance.now() - t0) / 1000;
}

interface Figures {
  startSeconds: number;
  updateSeconds: number;
  endToEndSeconds: number;
  /** 1-minute load average at the start and the end of the run */
  load: [string, string];
}

// ---- the two runs ----

async function runCycle(client: Client, db: Db, sink: Sink, taskQueue: string, all: UnitInput[]): Promise<Figures & { mailSeconds: number }> {
  const n = all.length;
  const year = new Date().getFullYear() + 1;
  const loadBefore = load();
  const t0 = performance.now();
  const { cycleId } = await startCycle(client, taskQueue, { year, rootUnitId: ROOT, rehearsalMinutes }, { db });
  // the root counts every unit below it; the root itself is added (it submits its plan too)
  const root = async () => {
    const status = await unitStatus(client, cycleId, ROOT).catch(() => undefined);
    if (!status) return undefined;
    const below = status.aggregate.below.plan;
    const own = status.plan.progress.kind !== 'open' ? 1 : 0;
    return { expected: below.expected + 1, submitted: below.submittedOnTime.total + below.submittedLate.total + own };
  };
  const startSeconds = await pollUntil('cycle: unit workflows started', n, t0, async () => (await root())?.expected ?? 0);
  // the task emails of the last units are still going out: let them land, so the updates are measured alone
  const mailSeconds = await pollUntil('cycle: task emails delivered', n, t0, async () => sink.messages.length);
  const updateSeconds = await inParallel('cycle: plans submitted', n, concurrency, (i) =>
    submit(client, { cycleId, unitId: all[i]!.id, phase: 'plan', content: planFor(all[i]!.id, year), channel: 'api', submittedBy: 'bench' }),
  );
  const endToEndSeconds = await pollUntil('cycle: plans counted at the root', n, t0, async () => {
    const r = await root();
    return r ? r.submitted : 0;
  });
  return { startSeconds, mailSeconds, updateSeconds, endToEndSeconds, load: [loadBefore, load()] };
}

async function runEmpty(client: Client, taskQueue: string, shape: number[]): Promise<Figures> {
  const rootId = `bench-empty-${Date.now()}`;
  const ids = emptyTreeIds(rootId, shape);
  const loadBefore = load();
  const t0 = performance.now();
  const handle = await client.workflow.start(emptyNodeWorkflow, { workflowId: rootId, taskQueue, args: [{ id: rootId, intermediates: shape, leaves: 0, reportTo: null }] });
  const counts = (): Promise<EmptyCounts> => handle.query(emptyCountsQuery);
  const startSeconds = await pollUntil('empty: workflows started', ids.length, t0, async () => (await counts()).started);
  const updateSeconds = await inParallel('empty: updates', ids.length, concurrency, (i) =>
    client.workflow.getHandle(ids[i]!).executeUpdate(emptyPingUpdate, { args: [ids[i]!] }),
  );
  const endToEndSeconds = await pollUntil('empty: updates counted at the root', ids.length, t0, async () => (await counts()).done);
  return { startSeconds, updateSeconds, endToEndSeconds, load: [loadBefore, load()] };
}

// ---- main ----

async function main() {
  // core (Rust) logs go through the same logger, to stderr; a workflow task finished after its 10 s timeout
  // ("Task not found when completing") means the worker was starved of CPU: counted and reported
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) => {
      if (/Task not found when completing/.test(entry.message)) lateTasks += 1;
      else if (!/No activities registered/.test(entry.message)) say(`${entry.level} ${entry.message}`); // the empty worker has none
    }),
    telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN' }) } },
    // our handler stops the run and cleans up; the workers keep answering until then
    shutdownSignals: [],
  });
  process.once('SIGINT', () => aborted.abort());
  process.once('SIGTERM', () => aborted.abort());

  const shape = treeShape(units);
  const all = unitTree(shape);
  const cleanups: { what: string; run: () => Promise<unknown> }[] = [];
  const cleanup = (what: string, run: () => Promise<unknown>) => cleanups.unshift({ what, run });
  const serverLog: string[] = [];
  try {
    const dir = await mkdtemp(join(values['data-dir'] ?? tmpdir(), 'baocao-bench-cycle-'));
    cleanup('temporary directory', () => rm(dir, { recursive: true, force: true }));
    const sink = await startSmtpSink({ parse: false });
    cleanup('SMTP sink', () => sink.close());

    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    const config = loadConfig({ BAOCAO_DATA_DIR: dir, SMTP_URL: sink.url, BAOCAO_PUBLIC_URL: 'http://baocao.bench', TEMPORAL_ADDRESS: address });
    const db = await openMigratedDatabase(config.database);
    cleanup('database', () => db.destroy());
    const t = performance.now();
    await upsertUnits(db, all);
    say(`directory: ${all.length} units (1 root, ${shape.length} intermediate, ${all.length - 1 - shape.length} grassroots) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const { ensureTemporalCli, TEMPORAL_CLI_VERSION } = await import('../scripts/provision.mjs');
    const route = await ensureTemporalCli();
    if (route.kind !== 'path') throw new Error(`No Temporal CLI provisioned (${route.source}): run \`npm run provision\`.`);
    const server: DevServer = await startDevServer({
      cli: route.path,
      dbFile: join(dir, 'temporal.db'),
      port,
      headless: true,
      onLog: (line) => serverLog.push(line) > 50 && serverLog.shift(),
    });
    cleanup('Temporal dev server', () => server.stop());
    say(`Temporal dev server on ${server.address} (SQLite ${join(dir, 'temporal.db')})`);

    const native = await NativeConnection.connect({ address });
    cleanup('worker connection', () => native.close());
    const connection = await Connection.connect({ address });
    cleanup('client connection', () => connection.close());
    const client = new Client({ connection });
    const mailer: Mailer = createMailer(config.mail, { rateLimit: false });
    cleanup('mailer', async () => mailer.close());

    say('bundling workflows…');
    const [cycleBundle, emptyBundle] = await Promise.all([
      bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet }),
      bundleWorkflowCode({ workflowsPath: require.resolve('./empty-workflows'), logger: quiet }),
    ]);

    const runWorker = async <T>(worker: Worker, body: () => Promise<T>): Promise<T> => {
      const running = worker.run();
      try {
        return await body();
      } finally {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      }
    };

    let cycle: (Figures & { mailSeconds: number }) | undefined;
    let empty: Figures | undefined;
    if (values.only !== 'empty') {
      // the production worker's wiring: email queued by the activities, delivered by the worker's dispatcher
      const dispatcher = createWorkerMailDispatcher({ db, mailer, config });
      const worker = await createWorker({ connection: native, db, mailer, config, workflowBundle: cycleBundle, taskQueue: 'bench-cycle', onMailQueued: () => dispatcher.kick() });
      dispatcher.start();
      try {
        cycle = await runWorker(worker, () => runCycle(client, db, sink, 'bench-cycle', all));
      } finally {
        await dispatcher.stop();
      }
    }
    if (values.only !== 'cycle') {
      const worker = await Worker.create({ connection: native, taskQueue: 'bench-empty', workflowBundle: emptyBundle });
      empty = await runWorker(worker, () => runEmpty(client, 'bench-empty', shape));
    }

    const n = all.length;
    const col = (v: string) => v.padStart(16);
    const cell = (f: Figures | undefined, pick: (f: Figures) => number, unit: '/s' | 's') =>
      col(f ? (unit === '/s' ? `${(n / pick(f)).toFixed(1)} /s` : `${pick(f).toFixed(1)} s`) : '—');
    // ratio: how much of the ceiling the cycle reaches (cycle rate / empty rate = empty time / cycle time)
    const ratio = (pick: (f: Figures) => number) => col(cycle && empty ? (pick(empty) / pick(cycle)).toFixed(2) : '—');
    const row = (label: string, pick: (f: Figures) => number, unit: '/s' | 's') => `  ${label.padEnd(16)}${cell(cycle, pick, unit)}${cell(empty, pick, unit)}${ratio(pick)}`;
    process.stdout.write(
      [
        `cycle benchmark: ${n} units (1 root, ${shape.length} intermediate, ${n - 1 - shape.length} grassroots), ${concurrency} updates in flight`,
        `  Temporal dev server (CLI ${TEMPORAL_CLI_VERSION}) and baocao on SQLite files in ${dir}, one worker with production defaults, ${cpus().length} CPUs, Node ${process.version}`,
        `  ${''.padEnd(16)}${col('baocao cycle')}${col('empty workflows')}${col('cycle / empty')}`,
        row('units started', (f) => f.startSeconds, '/s'),
        row('updates', (f) => f.updateSeconds, '/s'),
        row('end to end', (f) => f.endToEndSeconds, 's'),
        `  ${'load average'.padEnd(16)}${[cycle, empty].map((f) => col(f ? `${f.load[0]} → ${f.load[1]}` : '—')).join('')}`,
        ...(cycle
          ? [
              `  cycle: every unit started after ${cycle.startSeconds.toFixed(1)} s, every task email delivered after ${cycle.mailSeconds.toFixed(1)} s, ` +
                `${n} plans submitted in ${cycle.updateSeconds.toFixed(1)} s, all counted at the root after ${cycle.endToEndSeconds.toFixed(1)} s`,
            ]
          : []),
        ...(lateTasks ? [`  ${lateTasks} workflow task(s) completed after their 10 s timeout: the worker was short of CPU`] : []),
        '',
      ].join('\n'),
    );
  } catch (err) {
    if (serverLog.length && !aborted.signal.aborted) say(`last lines of the Temporal server:\n${serverLog.join('\n')}`);
    throw err;
  } finally {
    if (aborted.signal.aborted) say('stopping…');
    for (const c of cleanups) {
      await c.run().catch((err: unknown) => say(`cleanup of the ${c.what} failed: ${String(err)}`));
    }
  }
}

main().catch((err: unknown) => {
  if (aborted.signal.aborted) {
    say('interrupted: stopped and cleaned up.');
    process.exitCode = 130;
    return;
  }
  say(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
});
