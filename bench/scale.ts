// National scale, measured: `npm run bench:scale [-- --units 2000,10000 --workers 1,2 --server cluster|dev --national]`.
//
// For every tree size N and worker count K, on a stack started from empty (bench/scale/stack.ts: the Temporal
// server 1.31 on PostgreSQL of scripts/cluster/, profile `bench`, or the dev server), a directory of the national
// shape (test/support/generated-units.ts: root, 34 provinces, 20 sector unions, upper-level unions, grassroots),
// K production worker processes (worker/main.ts) and the web app (in this process), one rehearsal cycle:
//   units started/s       startCycle → the root's rollup expects N units
//   task emails/s         startCycle → N task emails at the SMTP sink (test/support/smtp-sink.ts)
//   submissions/s         plans of N − M units, 20 updates in flight
//   update p50/p99        the last M plans at a steady 10 /s (open loop), each update's own latency
//   overdue p99, page p99 the overdue visibility query of the cycle and the root's cycle page, 30 calls each
//   worker peak RSS       VmHWM of each worker process (the largest)
//   bytes per unit        growth of Temporal's databases (and the app's) over the row, / N
//   largest histories     per workflow type (test/support/history-budget.ts) over the cycle workflow, every
//                         unit above grassroots and a sample of grassroots units
// and, for every rate, its ratio to the same rate at 2,000 units (same server and worker count) when the run
// has that row. Progress lines every 10 s; Ctrl-C stops the workers and the servers and removes their folders.
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection, ServiceError } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { openMigratedDatabase } from '../activities/db/database';
import { upsertUnits } from '../activities/directory/repository';
import { createMailer } from '../activities/mail/transport';
import { buildWebApp } from '../client/web/app';
import { SESSION_COOKIE } from '../client/web/http';
import { createSession } from '../client/web/stores';
import { listOverdue, startCycle, submit, unitStatus, UpdateTimeoutError } from '../client/cycles';
import { loadConfig } from '../common/config';
import { planFor } from '../test/support/cycle-fixtures';
import { NATIONAL_UNITS, nationalShape, nationalUnits } from '../test/support/generated-units';
import { budgetTable, cycleExecutions, measureExecutions, type TypeBudget } from '../test/support/history-budget';
import { startSmtpSink } from '../test/support/smtp-sink';
import { DEFAULT_TASK_QUEUE } from '../workflows/ids';
import { WORKFLOWS_PATH } from '../worker/worker';
import { atSteadyRate, inParallel, interrupt, isInterrupted, load1, loadText, orInterrupt, percentile, pollUntil, say, timed } from './scale/measure';
import { cpuDelta, type CpuSample } from './scale/cpu';
import { startStack, startWorkerProcess, type ServerKind, type WorkerProcess } from './scale/stack';
import { cpuLine, formatRow, ratioLines, TABLE_HEADER, type Row } from './scale/table';

const { values } = parseArgs({
  options: {
    units: { type: 'string', default: '2000,10000,40000' },
    /** adds the national size, 130,000 units */
    national: { type: 'boolean', default: false },
    workers: { type: 'string', default: '1' },
    server: { type: 'string', default: 'cluster' },
    concurrency: { type: 'string', default: '20' },
    /** updates per second of the latency phase, and how many */
    'steady-rate': { type: 'string', default: '10' },
    'steady-updates': { type: 'string', default: '600' },
    /** plans submitted in all (default every unit): a sample keeps a big tree's row within an evening */
    submissions: { type: 'string' },
    'rehearsal-minutes': { type: 'string', default: String(3 * 24 * 60) },
    /** grassroots workflows whose histories are fetched (every unit above grassroots is) */
    'history-sample': { type: 'string', default: '100' },
    /** appends each row as one JSON line */
    out: { type: 'string' },
    /** rows of an earlier run (an --out file) to take the 2,000-unit and 1-worker baselines of the ratios from */
    compare: { type: 'string' },
  },
});

const wholeList = (name: string, text: string, min: number) =>
  text.split(',').map((v) => {
    const n = Number(v.trim());
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: "${v}" is not a whole number ≥ ${min}`);
    return n;
  });
const sizes = [...new Set([...wholeList('units', values.units, 200), ...(values.national ? [NATIONAL_UNITS] : [])])];
const workerCounts = wholeList('workers', values.workers, 1);
const servers = values.server.split(',').map((s) => {
  if (s !== 'cluster' && s !== 'dev') throw new Error(`--server: "${s}" is neither cluster nor dev`);
  return s as ServerKind;
});
const [concurrency, steadyRate, steadyUpdates, rehearsalMinutes, historySample] = (['concurrency', 'steady-rate', 'steady-updates', 'rehearsal-minutes', 'history-sample'] as const).map(
  (k) => wholeList(k, values[k], k === 'history-sample' ? 0 : 1)[0]!,
) as [number, number, number, number, number];
const submissionsWanted = values.submissions === undefined ? undefined : wholeList('submissions', values.submissions, 10)[0]!;
for (const n of sizes) nationalShape(n); // a size too small for the shape fails here, before anything starts

const PUBLIC_URL = 'http://baocao.bench';
/** gRPC codes a client may resend on: deadline, resource exhausted, aborted, unavailable */
const RESENDABLE_GRPC_CODES = new Set([4, 8, 10, 14]);

/** An update that did not answer in time, or that the server dropped (a busy or restarted workflow task). */
function resendable(err: unknown): boolean {
  if (err instanceof UpdateTimeoutError) return true;
  const code = err instanceof ServiceError ? (err.cause as { code?: number } | undefined)?.code : undefined;
  return code !== undefined && RESENDABLE_GRPC_CODES.has(code);
}
/** the mail catcher or relay the bench stands in for takes as fast as it can: this measures the engine */
const MAIL_RATE = '100000';

async function runRow(server: ServerKind, n: number, workers: number, bundleFile: string, runDir: string): Promise<Row> {
  const units = nationalUnits(n);
  const root = units[0]!.id;
  const shape = nationalShape(n);
  const loads: number[] = [load1()];
  const cleanups: { what: string; run: () => Promise<unknown> }[] = [];
  const cleanup = (what: string, run: () => Promise<unknown>) => cleanups.unshift({ what, run });
  say(`--- ${n} units (1 + ${shape.provinces} provinces + ${shape.sectors} sectors + ${shape.upperLevel} upper-level + ${shape.grassroots} grassroots), ${workers} worker(s), ${server} server; uptime load ${loadText()}`);
  try {
    const stack = await orInterrupt(startStack(server, (line) => say(line)));
    cleanup('servers', () => stack.stop());
    const sink = await startSmtpSink({ parse: false });
    cleanup('SMTP sink', () => sink.close());
    const env: Record<string, string> = {
      TEMPORAL_ADDRESS: stack.address,
      TEMPORAL_NAMESPACE: stack.namespace,
      DATABASE_URL: stack.appDatabaseUrl,
      BAOCAO_DATA_DIR: runDir,
      SMTP_URL: sink.url,
      MAIL_RATE_PER_SECOND: MAIL_RATE,
      BAOCAO_PUBLIC_URL: PUBLIC_URL,
      BAOCAO_WEB_PORT: '0',
    };
    const config = loadConfig(env);
    const db = await openMigratedDatabase(config.database);
    cleanup('database', () => db.destroy());
    const [temporalBase, appBase] = [await stack.temporalBytes(), await stack.appBytes()];

    let t = performance.now();
    await upsertUnits(db, units);
    const importSeconds = (performance.now() - t) / 1000;
    say(`directory: ${n} units imported in ${importSeconds.toFixed(1)} s`);

    const procs: WorkerProcess[] = [];
    cleanup('workers', () => Promise.all(procs.map((p) => p.stop())));
    // the worker's environment: this shell's (BAOCAO_WORKER_* tuning, log level) and the stack's
    const workerEnv = { ...process.env, ...env, BAOCAO_WORKFLOW_BUNDLE: bundleFile };
    const started = await orInterrupt(
      Promise.all(Array.from({ length: workers }, (_, i) => startWorkerProcess(i + 1, workerEnv, join(runDir, `worker-${n}-${workers}-${i + 1}.log`), (line) => say(line)))),
    );
    procs.push(...started);
    say(`${workers} worker process(es) polling (pids ${procs.map((p) => p.pid).join(', ')})`);

    const connection = await Connection.connect({ address: stack.address });
    cleanup('client connection', () => connection.close());
    const client = new Client({ connection, namespace: stack.namespace });
    const mailer = createMailer(config.mail, { rateLimit: false });
    cleanup('mailer', async () => mailer.close());
    const app = buildWebApp({ config, db, client, taskQueue: DEFAULT_TASK_QUEUE, mailer, logger: false });
    await app.ready();
    cleanup('web app', () => app.close());
    const { sessionId } = await createSession(db, units[0]!.officer.email);
    const cookie = `${SESSION_COOKIE}=${app.signCookie(sessionId)}`;

    // CPU seconds per component: the worker processes, the Temporal server, both PostgreSQL servers, and this
    // process (client calls, the SMTP sink, the web app)
    const cpu = (): CpuSample => {
      const own = process.cpuUsage();
      return { worker: procs.reduce((sum, p) => sum + p.cpuSeconds(), 0), ...stack.cpu(), bench: (own.user + own.system) / 1e6 };
    };

    // ---- the cycle starts: every unit workflow, every task email ----
    const year = new Date().getFullYear() + 1;
    loads.push(load1());
    const cpuAtStart = cpu();
    const t0 = performance.now();
    const { cycleId } = await startCycle(client, DEFAULT_TASK_QUEUE, { year, rootUnitId: root, rehearsalMinutes }, { db });
    const rootCounts = async () => {
      const status = await unitStatus(client, cycleId, root);
      const below = status.aggregate.below.plan;
      return { expected: below.expected + 1, submitted: below.submittedOnTime.total + below.submittedLate.total + (status.plan.progress.kind !== 'open' ? 1 : 0) };
    };
    const startSeconds = await pollUntil('unit workflows started', n, t0, async () => (await rootCounts()).expected);
    loads.push(load1());
    const mailSeconds = await pollUntil('task emails delivered', n, t0, async () => sink.messages.length);
    loads.push(load1());
    const cpuAtPlans = cpu();

    // ---- plans: most at 20 in flight, the last M at a steady rate ----
    // which units submit: every one, or an even sample over the tree (levels mixed as in the directory)
    const total = Math.min(n, submissionsWanted ?? n);
    const stride = n / total;
    const submitters = Array.from({ length: total }, (_, i) => units[Math.floor(i * stride)]!);
    const steady = Math.min(steadyUpdates, Math.floor(total / 4));
    const bulk = total - steady;
    // as a user's client does: an update that timed out (the worker was too busy to answer in
    // BAOCAO_UPDATE_TIMEOUT) is sent again — the same submission, applied once; the latency counts every try
    let resent = 0;
    const submitPlan = async (i: number) => {
      const unitId = submitters[i]!.id;
      for (let attempt = 1; ; attempt++) {
        try {
          return await submit(client, { cycleId, unitId, phase: 'plan', content: planFor(unitId, year), channel: 'api', submittedBy: 'bench' });
        } catch (err) {
          if (!resendable(err) || attempt >= 10 || isInterrupted()) throw err;
          resent += 1;
          await new Promise((r) => setTimeout(r, 500 * attempt));
        }
      }
    };
    const submitSeconds = await inParallel(`plans submitted (${concurrency} in flight)`, bulk, concurrency, submitPlan);
    loads.push(load1());
    const updateMs = await atSteadyRate(`plans at ${steadyRate} /s`, steady, steadyRate, (i) => submitPlan(bulk + i));
    loads.push(load1());
    const countedSeconds = await pollUntil('plans counted at the root', total, t0, async () => (await rootCounts()).submitted);
    loads.push(load1());
    const cpuAtEnd = cpu();
    const perUnit = (d: CpuSample, count: number) => Object.fromEntries(Object.entries(d).map(([k, v]) => [k, (v * 1000) / count]));
    const startCpuMsPerUnit = perUnit(cpuDelta(cpuAtStart, cpuAtPlans), n);
    const planCpuMsPerPlan = perUnit(cpuDelta(cpuAtPlans, cpuAtEnd), total);
    say(`CPU ms per unit started (+ its task email): ${JSON.stringify(startCpuMsPerUnit, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}`);
    say(`CPU ms per plan submitted and counted: ${JSON.stringify(planCpuMsPerPlan, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}`);

    // ---- reads: the overdue query, the cycle page ----
    const overdueMs = await timed(30, 2, () => listOverdue(client, { cycleId }));
    const pagePath = `/cycles/${encodeURIComponent(cycleId)}`;
    const pageMs = await timed(30, 2, async () => {
      const res = await app.inject({ method: 'GET', url: pagePath, headers: { cookie } });
      if (res.statusCode !== 200) throw new Error(`${pagePath}: HTTP ${res.statusCode}\n${res.body.slice(0, 300)}`);
    });
    loads.push(load1());
    say(`reads: overdue p99 ${percentile(overdueMs, 99).toFixed(0)} ms, cycle page p99 ${percentile(pageMs, 99).toFixed(0)} ms`);

    // ---- what it cost: memory, bytes, histories ----
    const peakRss = Math.max(...procs.map((p) => p.peakRss()));
    // the worker's own warnings: tasks completed after the server timed them out (redone: wasted work) and
    // tasks longer than 5 s (the SDK's TMPRL1104)
    const logs = (await Promise.all(procs.map((_, i) => readFile(join(runDir, `worker-${n}-${workers}-${i + 1}.log`), 'utf8').catch(() => '')))).join('\n');
    const timedOutTasks = logs.split('Task not found when completing').length - 1;
    const slowTasks = logs.split('TMPRL1104').length - 1;
    say(`worker warnings: ${timedOutTasks} workflow tasks completed after their timeout, ${slowTasks} longer than 5 s`);
    const [temporalEnd, appEnd] = [await stack.temporalBytes(), await stack.appBytes()];
    const executions = cycleExecutions(cycleId, units);
    const grassrootsIds = new Set(units.filter((u) => u.kind === 'grassroots').map((u) => u.id));
    const every = Math.max(1, Math.floor(grassrootsIds.size / Math.max(historySample, 1)));
    let g = 0;
    const chosen = executions.filter((e) => {
      const unitId = e.workflowId.split('/').at(-1) ?? '';
      if (!grassrootsIds.has(unitId)) return true;
      return historySample > 0 && g++ % every === 0;
    });
    t = performance.now();
    const histories: TypeBudget[] = await orInterrupt(measureExecutions(client, chosen, { concurrency: 4 }));
    say(`histories of ${chosen.length} workflows measured in ${((performance.now() - t) / 1000).toFixed(0)} s:\n${budgetTable(histories)}`);
    loads.push(load1());

    return {
      server,
      units: n,
      workers,
      description: stack.description,
      importSeconds,
      startSeconds,
      mailSeconds,
      submitSeconds,
      submitted: bulk,
      planned: total,
      resent,
      countedSeconds,
      updateP50: percentile(updateMs, 50),
      updateP99: percentile(updateMs, 99),
      steadyUpdates: steady,
      overdueP99: percentile(overdueMs, 99),
      pageP99: percentile(pageMs, 99),
      peakRssBytes: peakRss,
      timedOutTasks,
      slowTasks,
      startCpuMsPerUnit,
      planCpuMsPerPlan,
      temporalBytesPerUnit: (temporalEnd - temporalBase) / n,
      appBytesPerUnit: (appEnd - appBase) / n,
      histories: histories.map((h) => ({
        type: h.workflowType,
        runs: h.runs,
        events: h.largestHistoryEvents.events,
        largestByEvents: h.largestHistoryEvents.workflowId,
        bytes: h.largestHistoryBytes.bytes,
        largestByBytes: h.largestHistoryBytes.workflowId,
        payload: h.largestPayload?.bytes ?? 0,
      })),
      load: [Math.min(...loads), Math.max(...loads)],
    };
  } finally {
    if (isInterrupted()) say('stopping…');
    for (const c of cleanups) await c.run().catch((err: unknown) => say(`cleanup of the ${c.what} failed: ${String(err)}`));
  }
}

async function main() {
  // a gRPC retry timer firing after its connection was closed throws from nowhere: say so, keep cleaning up
  process.on('uncaughtException', (err) => say(`(ignored after the fact) ${err.message}`));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  say(`sizes ${sizes.join(', ')}; workers ${workerCounts.join(', ')}; server ${servers.join(', ')}; ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  const runDir = await mkdtemp(join(tmpdir(), 'baocao-bench-scale-'));
  const rows: Row[] = [];
  let failed = true;
  try {
    say('bundling workflows…');
    const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } });
    const bundleFile = join(runDir, 'workflow-bundle.js');
    await writeFile(bundleFile, bundle.code);
    for (const server of servers)
      for (const n of sizes)
        for (const workers of workerCounts) {
          const row = await runRow(server, n, workers, bundleFile, runDir);
          rows.push(row);
          if (values.out) await appendFile(values.out, `${JSON.stringify(row)}\n`);
          say(`row: ${formatRow(row)}`);
        }
    failed = false;
  } finally {
    // the worker logs stay when a row failed (not when interrupted): they say why
    if (failed && !isInterrupted()) say(`worker logs kept in ${runDir}`);
    else await rm(runDir, { recursive: true, force: true });
  }
  process.stdout.write(`\nbench:scale — ${cpus().length} CPUs, Node ${process.version}, rehearsal ${rehearsalMinutes} min, ${concurrency} submissions in flight, updates at ${steadyRate} /s\n`);
  const earlier: Row[] = values.compare
    ? (await readFile(values.compare, 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as Row)
    : [];
  process.stdout.write(`${TABLE_HEADER}\n${rows.map(formatRow).join('\n')}\n${rows.map(cpuLine).join('\n')}\n${ratioLines(rows, earlier).join('\n')}\n`);
}

main().catch((err: unknown) => {
  if (isInterrupted()) {
    say('interrupted: stopped and cleaned up.');
    process.exitCode = 130;
    return;
  }
  say(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  if (err instanceof Error && err.cause) say(`cause: ${String((err.cause as Error).message ?? err.cause)} (code ${String((err.cause as { code?: unknown }).code)})`);
  process.exitCode = 1;
});
