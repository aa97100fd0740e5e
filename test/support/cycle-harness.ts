// Everything a cycle test needs, real: the time-skipping Temporal server, the worker wiring of production
// (worker/worker.ts) with its mail dispatcher, a temporary SQLite database with a unit directory, and an SMTP
// server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { openMigratedDatabase, type Db } from '../../activities/db/database';
import { importUnitsFromFile } from '../../activities/directory/import';
import { upsertUnits } from '../../activities/directory/repository';
import type { UnitInput } from '../../activities/directory/types';
import type { MailDispatcher } from '../../activities/mail/dispatcher';
import { createMailer, type Mailer } from '../../activities/mail/transport';
import { loadConfig, type Config } from '../../common/config';
import { createWorker, createWorkerMailDispatcher, WORKFLOWS_PATH } from '../../worker/worker';
import { startSmtpSink, type SinkOptions, type SmtpSink } from './smtp-sink';
import { failOnStranding } from './stranded';
import { quietLogger } from './temporal';

export const SAMPLE_PROVINCE_CSV = join(__dirname, '../../examples/province-units.csv');

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  return bundle;
}

export interface CycleHarness {
  db: Db;
  config: Config;
  sink: SmtpSink;
  mailer: Mailer;
  /**
   * The worker's mail dispatcher, started (wall clock). `await h.dispatcher.idle()` after a step: every email
   * the step queued is then in the sink (or waiting for a retry, or dropped as stale).
   */
  dispatcher: MailDispatcher;
  taskQueue: string;
  /**
   * A fresh worker. `cached: false` disables the workflow cache (and so sticky task queues): every task replays
   * the history — and a replacement worker can take over at once, since no task waits on a dead worker's queue.
   */
  newWorker(options?: { cached?: boolean }): Promise<Worker>;
  close(): Promise<void>;
}

export async function createCycleHarness(
  env: TestWorkflowEnvironment,
  directory: { csv: string } | { units: UnitInput[] },
  name: string,
  options: { sink?: SinkOptions; env?: Record<string, string> } = {},
): Promise<CycleHarness> {
  const dir = mkdtempSync(join(tmpdir(), `baocao-${name}-`));
  const sink = await startSmtpSink(options.sink);
  const config = loadConfig({ BAOCAO_DATA_DIR: dir, SMTP_URL: sink.url, BAOCAO_PUBLIC_URL: 'http://baocao.test', ...options.env });
  const db = await openMigratedDatabase(config.database);
  if ('csv' in directory) await importUnitsFromFile(db, directory.csv);
  else await upsertUnits(db, directory.units);
  const mailer = createMailer(config.mail, { rateLimit: false });
  const dispatcher = createWorkerMailDispatcher({ db, mailer, config });
  dispatcher.start();
  const taskQueue = `cycle-${name}`;
  const code = await workflowBundle();
  return {
    db,
    config,
    sink,
    mailer,
    dispatcher,
    taskQueue,
    async newWorker({ cached = true } = {}) {
      const worker = await createWorker({
        connection: env.nativeConnection,
        db,
        mailer,
        config,
        workflowBundle: code,
        taskQueue,
        onMailQueued: () => dispatcher.kick(),
        ...(cached ? {} : { maxCachedWorkflows: 0 }),
      });
      // a run the time-skipping server stranded fails the test now (and vitest retries it), not at its timeout
      const runUntil = worker.runUntil.bind(worker);
      worker.runUntil = <R>(fnOrPromise: Promise<R> | (() => Promise<R>)) =>
        runUntil(() => failOnStranding(typeof fnOrPromise === 'function' ? fnOrPromise() : fnOrPromise));
      return worker;
    },
    async close() {
      await dispatcher.stop();
      mailer.close();
      await db.destroy();
      await sink.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
