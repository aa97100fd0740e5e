// `npm start` runs this (through scripts/start.mjs): the web app on BAOCAO_WEB_HOST:BAOCAO_WEB_PORT.
import { openMigratedDatabase } from '../../activities/db/database';
import { createMailer } from '../../activities/mail/transport';
import { loadConfig } from '../../common/config';
import { connectClient } from '../../common/temporal';
import { taskQueueOf } from '../../worker/worker';
import { buildWebApp } from './app';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openMigratedDatabase(config.database);
  const client = await connectClient(config);
  const mailer = createMailer(config.mail);
  const app = buildWebApp({ config, db, client, taskQueue: taskQueueOf(config), mailer, logger: { level: process.env.LOG_LEVEL ?? 'warn' } });
  await app.listen({ host: config.web.host, port: config.web.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.web.port;
  process.stdout.write(`[web] listening on http://${config.web.host}:${port} (public URL ${config.web.publicUrl})\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`[web] ${signal}: stopping\n`);
    void (async () => {
      await app.close();
      mailer.close();
      await client.connection.close();
      await db.destroy();
      process.exit(0);
    })().catch((err: unknown) => {
      process.stderr.write(`[web] error while stopping: ${String(err)}\n`);
      process.exit(1);
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`[web] ${err instanceof Error ? err.message : String(err)}\n`);
  if (err instanceof Error && err.cause) process.stderr.write(`[web] cause: ${String((err.cause as Error).message ?? err.cause)}\n`);
  process.exit(1);
});
