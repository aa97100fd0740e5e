// The worker process: `npm run worker` (npm start runs it for you).
import { existsSync, readFileSync } from 'node:fs';
import { loadConfig } from '../common/config';
import { connectWorker } from '../common/temporal';
import { openMigratedDatabase } from '../activities/db/database';
import { createMailer } from '../activities/mail/transport';
import { createWorker, taskQueueOf } from './worker';

async function main() {
  const config = loadConfig();
  const db = await openMigratedDatabase(config.database);
  const mailer = createMailer(config.mail);
  const connection = await connectWorker(config);
  const bundlePath = process.env.BAOCAO_WORKFLOW_BUNDLE;
  const workflowBundle = bundlePath && existsSync(bundlePath) ? { code: readFileSync(bundlePath, 'utf8') } : undefined;
  const worker = await createWorker({ connection, db, mailer, config, workflowBundle });
  process.stderr.write(`[worker] polling task queue "${taskQueueOf(config)}" on ${config.temporal.address} (namespace ${config.temporal.namespace})\n`);
  // worker.run() resolves after SIGINT/SIGTERM: the SDK drains in-flight tasks first.
  await worker.run();
  await connection.close();
  mailer.close();
  await db.destroy();
}

main().catch((err: unknown) => {
  process.stderr.write(`[worker] ${err instanceof Error ? err.message : String(err)}\n`);
  if (err instanceof Error && err.cause) process.stderr.write(`[worker] cause: ${String((err.cause as Error).message ?? err.cause)}\n`);
  process.exit(1);
});
