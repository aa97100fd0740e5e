// Runs the Temporal CLI dev server (`temporal server start-dev`) as a child process with SQLite persistence.
// Used by `npm start` (scripts/stack.ts) and by the persistence test, so both exercise the same command line.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname } from 'node:path';
import { DEV_SERVER_SEARCH_ATTRIBUTE_ARGS } from '../workflows/search-attributes';

export interface DevServerOptions {
  /** path of the `temporal` executable */
  cli: string;
  /** SQLite file: workflows survive a restart of the server */
  dbFile: string;
  ip?: string;
  port?: number;
  uiPort?: number;
  headless?: boolean;
  namespace?: string;
  /** where the server's own log lines go (default: discarded) */
  onLog?: (line: string) => void;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  namespace: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

function portAcceptsConnections(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port ?? 7233;
  const namespace = options.namespace ?? 'default';
  mkdirSync(dirname(options.dbFile), { recursive: true });
  if (await portAcceptsConnections(ip, port)) {
    throw new Error(`Port ${ip}:${port} is already in use — is another Temporal server running? Stop it, or set TEMPORAL_ADDRESS to use it.`);
  }
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    options.dbFile,
    '--ip',
    ip,
    '--port',
    String(port),
    '--namespace',
    namespace,
    '--log-level',
    'warn',
    ...DEV_SERVER_SEARCH_ATTRIBUTE_ARGS,
    ...(options.headless ? ['--headless'] : ['--ui-port', String(options.uiPort ?? port + 1000)]),
  ];
  const child = spawn(options.cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const onLog = options.onLog ?? (() => {});
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      output = (output + chunk).slice(-4000);
      for (const line of chunk.split('\n')) if (line.trim()) onLog(line);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`The Temporal dev server exited at start (code ${child.exitCode}):\n${output.trim()}`);
    }
    if (await portAcceptsConnections(ip, port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The Temporal dev server did not listen on ${ip}:${port} within 60 s:\n${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    address: `${ip}:${port}`,
    uiUrl: options.headless ? undefined : `http://${ip}:${options.uiPort ?? port + 1000}`,
    namespace,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
