// The worker process: `npm run worker` (npm start runs it for you).
import { existsSync, readFileSync } from 'node:fs';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { loadConfig } from '../common/config';
import { connectClient, connectWorker } from '../common/temporal';
import { startDeadWorkflowWatch } from './dead-workflow-alerts';
import { openMigratedDatabase } from '../activities/db/database';
import { createFileStorage } from '../activities/files';
import { createMailer } from '../activities/mail/transport';
import { startOrphanCleanup } from './file-cleanup';
import { createWorker, createWorkerMailDispatcher, taskQueueOf } from './worker';

async function main() {
  const config = loadConfig();
  // INFO would print the whole webpack report of the workflow bundle at every start
  Runtime.install({
    logger: new DefaultLogger((process.env.BAOCAO_LOG_LEVEL as LogLevel | undefined) ?? 'WARN'),
    // the SDK's own metrics (task latencies, slots, poll results, sticky cache) for Prometheus: docs/PRODUCTION.md
    ...(config.workerMetricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: config.workerMetricsAddress } } } } : {}),
  });
  const db = await openMigratedDatabase(config.database);
  // the embedded catcher is on loopback: no relay to protect, so no rate limit (rehearsals stay on time)
  const mailer = createMailer(config.mail, { rateLimit: config.mail.smtpUrl !== undefined });
  const connection = await connectWorker(config);
  const bundlePath = process.env.BAOCAO_WORKFLOW_BUNDLE;
  const workflowBundle = bundlePath && existsSync(bundlePath) ? { code: readFileSync(bundlePath, 'utf8') } : undefined;
  // Email is delivered here, beside the workflows, never on their path: activities only queue it.
  const dispatcher = createWorkerMailDispatcher({ db, mailer, config });
  const fileStorage = createFileStorage(config.files.store);
  const worker = await createWorker({ connection, db, mailer, config, workflowBundle, fileStorage, onMailQueued: () => dispatcher.kick() });
  dispatcher.start();
  // A dead workflow is never silent: the secretariat is emailed once per failed or terminated run (visibility).
  const client = await connectClient(config);
  const stopWatch = startDeadWorkflowWatch({ client, db, config, onQueued: () => dispatcher.kick() });
  // Uploads no submission took are removed a day later (worker/file-cleanup.ts).
  const stopFileCleanup = startOrphanCleanup({ db, storage: fileStorage });
  process.stderr.write(`[worker] polling task queue "${taskQueueOf(config)}" on ${config.temporal.address} (namespace ${config.temporal.namespace})\n`);
  if (config.workerMetricsAddress) process.stderr.write(`[worker] SDK metrics on http://${config.workerMetricsAddress}/metrics\n`);
  // worker.run() resolves after SIGINT/SIGTERM: the SDK drains in-flight tasks first.
  await worker.run();
  await stopWatch();
  await stopFileCleanup();
  await fileStorage.close();
  await client.connection.close();
  await dispatcher.stop();
  await connection.close();
  mailer.close();
  await db.destroy();
}

main().catch((err: unknown) => {
  process.stderr.write(`[worker] ${err instanceof Error ? err.message : String(err)}\n`);
  if (err instanceof Error && err.cause) process.stderr.write(`[worker] cause: ${String((err.cause as Error).message ?? err.cause)}\n`);
  process.exit(1);
});
