// `npm start` after bootstrap: the whole system on embedded defaults — the Temporal dev server persisting to
// data/, its Web UI, the local mail catcher, the worker and the web app — with URLs printed and a clean stop
// on Ctrl-C (children are stopped in reverse order; none is left behind).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../common/config';
import { startDevServer, type DevServer } from './dev-server';

const root = resolve(__dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const say = (msg: string) => process.stderr.write(`[baocao] ${msg}\n`);

interface Running {
  name: string;
  stop(): Promise<void>;
}

function startNodeProcess(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess & { stopped: Promise<void> } {
  const child = spawn(tsx, [join(root, script)], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] }) as ChildProcess & {
    stopped: Promise<void>;
  };
  child.stopped = new Promise((r) => child.once('exit', () => r()));
  return child;
}

async function main() {
  const config = loadConfig();
  const running: Running[] = [];
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    for (const r of running.reverse()) {
      await r.stop().catch((err: unknown) => say(`${r.name} did not stop cleanly: ${String(err)}`));
    }
    say('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  const env: NodeJS.ProcessEnv = { ...process.env };
  let uiUrl = config.temporal.uiUrl;

  if (!process.env.TEMPORAL_ADDRESS) {
    const route = JSON.parse(process.env.BAOCAO_TEMPORAL_CLI_ROUTE ?? '{}') as { kind?: string; path?: string };
    if (route.kind !== 'path' || !route.path) {
      throw new Error('No Temporal CLI was provisioned. Run `npm run provision` to see why, or set TEMPORAL_ADDRESS to a running server.');
    }
    const dbFile = join(config.dataDir, 'temporal.db');
    say(`starting the Temporal dev server (${dbFile})…`);
    const [host, port] = config.temporal.address.split(':');
    const server: DevServer = await startDevServer({
      cli: route.path,
      dbFile,
      ip: host,
      port: Number(port),
      uiPort: Number(new URL(config.temporal.uiUrl).port),
      namespace: config.temporal.namespace,
      // while everything shuts down the server complains about vanished peers: noise, not news
      onLog: (line) => void (stopping || process.stderr.write(`[temporal] ${line}\n`)),
    });
    running.push({ name: 'Temporal dev server', stop: () => server.stop() });
    uiUrl = server.uiUrl ?? uiUrl;
    server.process.once('exit', () => void stopAll(1));
  }

  let mailUrl: string | undefined;
  const catcherEntry = 'client/mailcatcher/main.ts';
  if (!config.mail.smtpUrl && existsSync(join(root, catcherEntry))) {
    const catcher = startNodeProcess('mail catcher', catcherEntry, env);
    running.push({ name: 'mail catcher', stop: async () => void (catcher.kill('SIGTERM'), await catcher.stopped) });
    catcher.once('exit', () => void stopAll(1));
    mailUrl = process.env.BAOCAO_MAILCATCHER_URL ?? `http://127.0.0.1:${process.env.MAIL_CATCHER_HTTP_PORT ?? 1080}`;
  }

  const worker = startNodeProcess('worker', 'worker/main.ts', env);
  running.push({ name: 'worker', stop: async () => void (worker.kill('SIGTERM'), await worker.stopped) });
  worker.once('exit', () => void stopAll(1));

  let webUrl: string | undefined;
  if (existsSync(join(root, 'client/web/main.ts'))) {
    const web = startNodeProcess('web app', 'client/web/main.ts', env);
    running.push({ name: 'web app', stop: async () => void (web.kill('SIGTERM'), await web.stopped) });
    web.once('exit', () => void stopAll(1));
    webUrl = config.web.publicUrl;
  }

  say('ready:');
  say(`  Temporal Web UI   ${uiUrl}`);
  say(`  Temporal gRPC     ${config.temporal.address} (namespace ${config.temporal.namespace})`);
  if (webUrl) say(`  baocao web app    ${webUrl}`);
  if (mailUrl) say(`  mail catcher      ${mailUrl}   (nothing leaves this machine; set SMTP_URL to send for real)`);
  say(`  database          ${config.database.kind === 'sqlite' ? config.database.file : 'PostgreSQL (DATABASE_URL)'}`);
  say('  CLI               bin/baocao --help   (e.g. bin/baocao units import examples/province-units.csv)');
  say('Press Ctrl-C to stop everything.');
}

main().catch((err: unknown) => {
  say(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
