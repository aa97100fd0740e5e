// `npm start` after bootstrap and build: the whole system on embedded defaults — the Temporal dev server
// persisting to <data dir>/temporal.db, its Web UI, the local mail catcher, the worker and the web app — with
// URLs printed. Each process is supervised (scripts/supervisor.ts): one that crashes is started again with a
// back-off and a log line; everything stops on Ctrl-C, or when one keeps failing (children are stopped in
// reverse order; none is left behind).
//
// Run from dist/ (plain node, the compiled files) by `npm start`; `TEMPORAL_CLI=… npx tsx scripts/stack.ts` runs
// the sources (every process under tsx).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../common/config';
import { withWorkerCount, workerProcesses } from '../worker/processes';
import { startDevServer, type DevServer } from './dev-server';
import { Supervisor, type SupervisedProcess } from './supervisor';

/** Where this file runs from: the compiled tree (dist/, plain node) or the sources (tsx). */
const codeRoot = resolve(__dirname, '..');
const fromSources = __filename.endsWith('.ts');
const projectRoot = fromSources ? codeRoot : resolve(codeRoot, '..');
const say = (msg: string) => process.stderr.write(`[baocao] ${msg}\n`);

/** `worker/main` → the file and the command that run it in this mode. */
function nodeCommand(entry: string): { command: string; args: string[] } | undefined {
  const file = join(codeRoot, `${entry}${fromSources ? '.ts' : '.js'}`);
  if (!existsSync(file)) return undefined;
  return fromSources ? { command: join(projectRoot, 'node_modules', '.bin', 'tsx'), args: [file] } : { command: process.execPath, args: [file] };
}

function nodeProcess(name: string, entry: string, env: NodeJS.ProcessEnv): SupervisedProcess | undefined {
  const cmd = nodeCommand(entry);
  if (!cmd) return undefined;
  return {
    name,
    start: () =>
      new Promise<ChildProcess>((resolveStart, rejectStart) => {
        const child = spawn(cmd.command, cmd.args, { cwd: projectRoot, env, stdio: ['ignore', 'inherit', 'inherit'] });
        child.once('spawn', () => resolveStart(child));
        child.once('error', rejectStart);
      }),
  };
}

function devServerProcess(config: Config, port: number, uiPort: number, isStopping: () => boolean): SupervisedProcess {
  // scripts/start.mjs passes what provisioning found; run by hand, TEMPORAL_CLI names the executable
  const fromEnv = process.env.TEMPORAL_CLI ? { kind: 'path', path: process.env.TEMPORAL_CLI } : {};
  const route = (process.env.BAOCAO_TEMPORAL_CLI_ROUTE ? JSON.parse(process.env.BAOCAO_TEMPORAL_CLI_ROUTE) : fromEnv) as { kind?: string; path?: string };
  if (route.kind !== 'path' || !route.path) {
    throw new Error('No Temporal CLI was provisioned. Run `npm run provision` to see why, set TEMPORAL_CLI, or set TEMPORAL_ADDRESS to a running server.');
  }
  const cli = route.path;
  const servers = new Map<ChildProcess, DevServer>();
  return {
    name: 'Temporal dev server',
    async start() {
      const server = await startDevServer({
        cli,
        dbFile: join(config.dataDir, 'temporal.db'),
        ip: '127.0.0.1',
        port,
        uiPort,
        namespace: config.temporal.namespace,
        // while everything shuts down the server complains about vanished peers: noise, not news
        onLog: (line) => void (isStopping() || process.stderr.write(`[temporal] ${line}\n`)),
      });
      servers.set(server.process, server);
      server.process.once('exit', () => servers.delete(server.process));
      return server.process;
    },
    async stop(child) {
      await servers.get(child)?.stop();
    },
  };
}

async function main() {
  // npm start [-- --workers N]: the worker processes on the task queue (BAOCAO_WORKERS; default 1)
  const { values } = parseArgs({ options: { workers: { type: 'string' } } });
  const baseEnv = withWorkerCount(values.workers, process.env);
  const config = loadConfig(baseEnv);
  const supervisors: Supervisor[] = [];
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    for (const s of [...supervisors].reverse()) {
      await s.stop().catch((err: unknown) => say(`${s.name} did not stop cleanly: ${String(err)}`));
    }
    say('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  const events = {
    log: (message: string) => void (stopping || say(message)),
    giveUp: (_name: string, reason: string) => {
      if (stopping) return;
      say(`${reason}. Stopping everything: read its log above, fix the cause and run npm start again.`);
      void stopAll(1);
    },
  };
  const supervise = async (proc: SupervisedProcess | undefined) => {
    if (!proc || stopping) return;
    const supervisor = new Supervisor(proc, events);
    supervisors.push(supervisor);
    await supervisor.start();
  };

  const env: NodeJS.ProcessEnv = { ...baseEnv };
  if (!fromSources && !env.BAOCAO_WORKFLOW_BUNDLE && existsSync(join(codeRoot, 'workflow-bundle.js'))) {
    env.BAOCAO_WORKFLOW_BUNDLE = join(codeRoot, 'workflow-bundle.js'); // built by `npm run build`: no webpack at start
  }

  const dev = config.temporal.devServer;
  try {
    if (dev) {
      say(`starting the Temporal dev server on 127.0.0.1:${dev.port} (${join(config.dataDir, 'temporal.db')})…`);
      await supervise(devServerProcess(config, dev.port, dev.uiPort, () => stopping));
    }
    if (!config.mail.smtpUrl) await supervise(nodeProcess('mail catcher', 'client/mailcatcher/main', env));
    for (const worker of workerProcesses(config.worker.processes, env)) await supervise(nodeProcess(worker.name, 'worker/main', worker.env));
    await supervise(nodeProcess('web app', 'client/web/main', env));
  } catch (err) {
    say(`could not start: ${err instanceof Error ? err.message : String(err)}`);
    await stopAll(1);
    return;
  }
  const running = new Set(supervisors.map((s) => s.name));

  say('ready:');
  say(`  Temporal Web UI   ${config.temporal.uiUrl}`);
  say(`  Temporal gRPC     ${config.temporal.address} (namespace ${config.temporal.namespace})`);
  if (running.has('web app')) say(`  baocao web app    ${config.web.publicUrl}`);
  if (running.has('mail catcher')) {
    say(`  mail catcher      http://127.0.0.1:${config.mail.catcherHttpPort}   (nothing leaves this machine; set SMTP_URL to send for real)`);
  }
  if (config.worker.processes > 1) say(`  workers           ${config.worker.processes} processes on task queue ${config.temporal.taskQueue ?? 'baocao'}`);
  say(`  database          ${config.database.kind === 'sqlite' ? config.database.file : 'PostgreSQL (DATABASE_URL)'}`);
  say('  CLI               bin/baocao --help   (e.g. bin/baocao units import examples/province-units.csv)');
  say('A process that crashes is restarted. Press Ctrl-C to stop everything.');
}

main().catch((err: unknown) => {
  say(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
