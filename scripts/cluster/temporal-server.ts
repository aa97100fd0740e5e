// The Temporal server 1.31 (all services in one process) on PostgreSQL, from deploy/temporal/config/temporal.yaml
// with the environment variables docker-compose.yml gives the temporalio/server image.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { ClusterSettings } from './settings';
import { SERVER_CONFIG_FILE, temporalPorts } from './settings';

/** The image's environment interface (see docker-compose.yml, service `temporal`), for our settings. */
export function temporalServerEnv(settings: ClusterSettings, dynamicConfigFile: string): Record<string, string> {
  const p = temporalPorts(settings.frontendPort);
  return {
    DB: 'postgres12',
    DB_PORT: String(settings.temporalDbPort),
    POSTGRES_SEEDS: '127.0.0.1',
    POSTGRES_USER: 'temporal',
    POSTGRES_PWD: '',
    BIND_ON_IP: '127.0.0.1',
    NUM_HISTORY_SHARDS: String(settings.historyShards),
    DYNAMIC_CONFIG_FILE_PATH: dynamicConfigFile,
    LOG_LEVEL: process.env.TEMPORAL_LOG_LEVEL ?? 'warn',
    PROMETHEUS_ENDPOINT: `127.0.0.1:${settings.serverMetricsPort}`,
    FRONTEND_GRPC_PORT: String(p.frontendGrpc),
    FRONTEND_HTTP_PORT: String(p.frontendHttp),
    FRONTEND_MEMBERSHIP_PORT: String(p.frontendMembership),
    HISTORY_GRPC_PORT: String(p.historyGrpc),
    HISTORY_MEMBERSHIP_PORT: String(p.historyMembership),
    MATCHING_GRPC_PORT: String(p.matchingGrpc),
    MATCHING_MEMBERSHIP_PORT: String(p.matchingMembership),
    WORKER_GRPC_PORT: String(p.workerGrpc),
    WORKER_MEMBERSHIP_PORT: String(p.workerMembership),
  };
}

export interface ClusterInfo {
  serverVersion: string;
  persistenceStore: string;
  visibilityStore: string;
  historyShardCount: number;
}

export class TemporalServer {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private log: WriteStream;
  /** called when the server exits without being asked to (not after stop() or kill9()) */
  onUnexpectedExit: (code: number | null, signal: NodeJS.Signals | null) => void = () => {};
  private expectingExit = false;

  constructor(
    private readonly binary: string,
    private readonly env: Record<string, string>,
    readonly settings: ClusterSettings,
    readonly logFile: string,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  get address(): string {
    return `127.0.0.1:${this.settings.frontendPort}`;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${temporalPorts(this.settings.frontendPort).frontendHttp}`;
  }

  get metricsUrl(): string {
    return `http://127.0.0.1:${this.settings.serverMetricsPort}/metrics`;
  }

  get pid(): number | undefined {
    return this.child && this.child.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  /** Starts the process and waits until the frontend answers (the compose health check's request). */
  async start(timeoutMs = 180_000): Promise<void> {
    if (this.pid) throw new Error('the Temporal server is already running');
    this.log.write(`\n--- ${new Date().toISOString()} starting ${this.binary}\n`);
    const child = spawn(this.binary, ['--config-file', SERVER_CONFIG_FILE, '--allow-no-auth', 'start'], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // not stopped by the terminal's Ctrl-C: stop() does it, after the worker has drained
    });
    this.child = child;
    this.expectingExit = false;
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        if (!this.expectingExit) this.onUnexpectedExit(code, signal);
        resolve();
      }),
    );
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the Temporal server exited (code ${child.exitCode}) while starting: see ${this.logFile}`);
      if (await this.clusterInfo().catch(() => undefined)) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`the Temporal server did not answer on ${this.httpUrl} within ${timeoutMs / 1000} s: see ${this.logFile}`);
  }

  /** GET /api/v1/cluster-info of the frontend's HTTP API. */
  async clusterInfo(): Promise<ClusterInfo> {
    const res = await fetch(`${this.httpUrl}/api/v1/cluster-info`, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`cluster-info: HTTP ${res.status}`);
    return (await res.json()) as ClusterInfo;
  }

  /** A clean stop (SIGTERM: the server's own graceful shutdown), kill -9 after `graceMs`. */
  async stop(graceMs = 20_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.expectingExit = true;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** kill -9: no shutdown of any kind. */
  async kill9(): Promise<number> {
    const child = this.child;
    const pid = this.pid;
    if (!child || !pid) throw new Error('the Temporal server is not running');
    this.expectingExit = true;
    child.kill('SIGKILL');
    await this.exited;
    return pid;
  }

  close(): void {
    this.log.end();
  }
}
