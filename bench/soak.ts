// History and payload budget after a full rehearsal year: `npm run bench:soak [-- --units N]` (default: 500, 2000
// and 8000 in turn). For each N: a generated 3-level tree, the Java time-skipping Temporal server, the production
// worker wiring (worker/worker.ts's workflows and activities, fewer workflow task slots: SOAK_WORKFLOW_SLOTS; email to
// an in-process SMTP sink, rate limit off), and the soak year of
// test/soak/driver.ts — every unit plans and reports, 20% returned once, 10% late, 5% extended, every reminder and
// escalation round firing. Then every history of the cycle is fetched (every run of a continue-as-new chain) and
// this prints, per workflow type, the largest history (events, bytes) and the largest payload — so a reader sees
// whether they grow with N — against the budget (payload ≤ 256 KiB, history < 10 MiB and < 10,240 events).
// It also prints the root's events for the year and the childReport signals it received; `--no-upward-pacing`
// runs the year as it ran before patch v5-soak-coalesce-upward-reports (every change sent upward at once), so the
// two can be compared.
// Not a test: it prints figures; it exits non-zero only when it could not run.
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { openMigratedDatabase } from '../activities/db/database';
import { upsertUnits } from '../activities/directory/repository';
import { createMailer } from '../activities/mail/transport';
import { loadConfig } from '../common/config';
import { startSmtpSink } from '../test/support/smtp-sink';
import { createTimeSkippingEnvironment } from '../test/support/time-skipping';
import { budgetTable, budgetViolations, cycleExecutions, measureExecutions } from '../test/support/history-budget';
import { createSoakWorker, runSoakYear, soakCacheSize, SOAK_ROOT, SOAK_WORKFLOW_SLOTS, soakTree } from '../test/soak/driver';
import { unitWorkflowId } from '../workflows/ids';
import { childReportSignal } from '../workflows/messages';
import { WORKFLOWS_PATH } from '../worker/worker';

const { values } = parseArgs({
  options: {
    /** one tree size; default the three of issue 10 */
    units: { type: 'string' },
    concurrency: { type: 'string', default: '16' },
    /**
     * workflow tasks the worker runs at once (default 8, the SDK's is 40): on a starved 2-core machine 40 tasks
     * at once overrun their 10 s timeout, and the Java time-skipping server then stalls (see bench/README.md)
     */
    'workflow-slots': { type: 'string', default: String(SOAK_WORKFLOW_SLOTS) },
    /**
     * every unit sends each change upward at once, as before patch v5-soak-coalesce-upward-reports (for the
     * root's events before and after the pacing, bench/README.md)
     */
    'no-upward-pacing': { type: 'boolean', default: false },
    /** workflows the worker keeps cached (default: every unit, soakCacheSize; a smaller cache misses on every reminder round) */
    'max-cached-workflows': { type: 'string' },
  },
});
const sizes = values.units === undefined ? [500, 2_000, 8_000] : [Number(values.units)];
const concurrency = Number(values.concurrency);
const workflowSlots = Number(values['workflow-slots']);
const cacheOption = values['max-cached-workflows'] === undefined ? undefined : Number(values['max-cached-workflows']);
const pacing = !values['no-upward-pacing'];
if (sizes.some((n) => !Number.isInteger(n) || n < 3)) throw new Error('--units must be a whole number ≥ 3 (root, one intermediate, one grassroots)');
if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('--concurrency must be a positive whole number');
if (!Number.isInteger(workflowSlots) || workflowSlots < 2) throw new Error('--workflow-slots must be a whole number ≥ 2');
if (cacheOption !== undefined && (!Number.isInteger(cacheOption) || cacheOption < workflowSlots)) throw new Error('--max-cached-workflows must be a whole number ≥ --workflow-slots');

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const say = (line: string) => process.stderr.write(`[bench:soak] ${line}\n`);
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

// Ctrl-C / SIGTERM: every wait is raced against this, so the clean-up starts at once
const aborted = new AbortController();
const interrupted = new Promise<never>((_, reject) => aborted.signal.addEventListener('abort', () => reject(new Error('interrupted'))));
interrupted.catch(() => {});
const orInterrupt = <T>(p: Promise<T>): Promise<T> => Promise.race([p, interrupted]);

async function soakOnce(n: number, bundle: Awaited<ReturnType<typeof bundleWorkflowCode>>, testServerPath: string): Promise<string> {
  const cleanups: { what: string; run: () => Promise<unknown> }[] = [];
  const cleanup = (what: string, run: () => Promise<unknown>) => cleanups.unshift({ what, run });
  try {
    const dir = await mkdtemp(join(tmpdir(), 'baocao-bench-soak-'));
    cleanup('temporary directory', () => rm(dir, { recursive: true, force: true }));
    const sink = await startSmtpSink({ parse: false });
    cleanup('SMTP sink', () => sink.close());
    const config = loadConfig({ BAOCAO_DATA_DIR: dir, SMTP_URL: sink.url, BAOCAO_PUBLIC_URL: 'http://baocao.bench' });
    const db = await openMigratedDatabase(config.database);
    cleanup('database', () => db.destroy());
    const units = soakTree(n);
    const maxCachedWorkflows = cacheOption ?? soakCacheSize(n);
    await upsertUnits(db, units);

    // client keep-alive within the Java server's policy: with the SDK's default the year stalls (test/support/time-skipping.ts)
    const env = await createTimeSkippingEnvironment({ type: 'existing-path', path: testServerPath });
    cleanup('time-skipping server', () => env.teardown());
    const mailer = createMailer(config.mail, { rateLimit: false });
    cleanup('mailer', async () => mailer.close());
    const worker = await createSoakWorker({ connection: env.nativeConnection, db, mailer, config, workflowBundle: bundle, taskQueue: 'bench-soak', workflowSlots, maxCachedWorkflows });

    const loadBefore = load();
    const t0 = performance.now();
    const seconds = () => ((performance.now() - t0) / 1000).toFixed(0);
    const running = worker.run();
    let outcome;
    try {
      // raced with the worker: a worker that fails (e.g. its workflow thread out of heap) ends the run with its
      // error, printed before the clean-up, instead of an unhandled rejection that kills the bench mid-way
      const workerStopped = running.then(() => Promise.reject(new Error('the worker stopped before the year ended')));
      outcome = await orInterrupt(Promise.race([workerStopped, runSoakYear({
          client: env.client,
          clock: env,
          taskQueue: 'bench-soak',
          units,
          concurrency,
          progress: (line) => say(`${n} units · ${line}`),
          ...(pacing ? {} : { cycle: { upwardBurst: Number.MAX_SAFE_INTEGER } }),
        })]),
      );
    } finally {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => {}); // its failure, if any, is the run's (above)
    }
    const yearSeconds = seconds();
    say(`${n} units · the cycle has closed after ${yearSeconds} s; fetching every history…`);
    let last = 0;
    const types = await orInterrupt(
      measureExecutions(env.client, cycleExecutions(outcome.cycleId, units), {
        onProgress: (done, total) => {
          if (done === total || performance.now() - last > 5_000) {
            last = performance.now();
            say(`${n} units · histories fetched: ${done}/${total}`);
          }
        },
      }),
    );
    const root = await orInterrupt(rootFigures(env.client, unitWorkflowId(outcome.cycleId, SOAK_ROOT)));
    const violations = budgetViolations(types);
    const { counts } = outcome;
    return [
      `soak: ${n} units (${units.filter((u) => u.kind === 'intermediate').length} intermediate)${pacing ? '' : ', upward pacing off'}, one rehearsal year on the time-skipping server, ${workflowSlots} workflow task slots, ${maxCachedWorkflows} cached workflows, ${concurrency} updates in flight, ${cpus().length} CPUs, Node ${process.version}`,
      `  ${counts.submissions} submissions (${counts.late} late), ${counts.returns} returns, ${counts.extensions} extensions; year driven in ${yearSeconds} s, histories fetched by ${seconds()} s; load average ${loadBefore} → ${load()}`,
      `  the root (${SOAK_ROOT}): ${root.runs} run(s), ${root.events} history events in all, ${root.childReports} childReport signals received`,
      ...budgetTable(types).split('\n').map((l) => `  ${l}`),
      violations.length ? `  OVER BUDGET:\n    ${violations.join('\n    ')}` : '  within budget (payload ≤ 256 KiB, history < 10 MiB and < 10,240 events)',
      '',
    ].join('\n');
  } catch (err) {
    // said before the cleanups: a gRPC retry still pending when the connections close throws on its own
    // ("Channel has been shut down") and would end the process with that instead of the cause
    say(`${n} units: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    throw err;
  } finally {
    for (const c of cleanups) await c.run().catch((err: unknown) => say(`cleanup of the ${c.what} failed: ${String(err)}`));
  }
}

/** The root's whole year: its runs, their events, and the reports its children sent it. */
async function rootFigures(client: Client, workflowId: string): Promise<{ runs: number; events: number; childReports: number }> {
  const figures = { runs: 0, events: 0, childReports: 0 };
  let runId: string | undefined;
  for (;;) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    figures.runs += 1;
    figures.events += events.length;
    figures.childReports += events.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === childReportSignal.name).length;
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
    if (!runId) return figures;
  }
}

async function main() {
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) => say(`${entry.level} ${entry.message} ${entry.meta ? JSON.stringify(entry.meta).slice(0, 2_000) : ''}`)),
    telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN' }) } },
    shutdownSignals: [], // our handler stops the run and cleans up
  });
  process.once('SIGINT', () => aborted.abort());
  process.once('SIGTERM', () => aborted.abort());
  const { ensureTestServer } = await import('../scripts/provision.mjs');
  const route = await ensureTestServer();
  if (route.kind !== 'path') throw new Error(`No time-skipping server provisioned (${route.source}): run \`npm run provision\`.`);
  say('bundling workflows…');
  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet });
  for (const n of sizes) process.stdout.write(await soakOnce(n, bundle, route.path));
}

main().catch((err: unknown) => {
  if (aborted.signal.aborted) {
    say('interrupted: stopped and cleaned up.');
    // calls the abandoned year still had in flight would only fail against the closed connections now
    process.exit(130);
  }
  say(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1); // everything is cleaned up; calls still in flight would only fail against closed connections
});
