// Keeps one process of `npm start` running: when it exits without being asked to, it is started again after a
// back-off (1 s, doubling to 30 s, back to 1 s once it has run a minute), with a log line saying so. When it
// keeps failing (5 failures within 5 minutes) the supervisor gives up and says why: a crash loop must stop
// the stack with a clear message rather than hammer the machine for ever.
import type { ChildProcess } from 'node:child_process';

export interface RestartPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** a run at least this long resets the back-off to initialDelayMs */
  healthyAfterMs: number;
  /** this many failures within failureWindowMs: give up */
  maxFailures: number;
  failureWindowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  healthyAfterMs: 60_000,
  maxFailures: 5,
  failureWindowMs: 5 * 60_000,
};

export interface SupervisedProcess {
  name: string;
  /** starts the process; resolves once it runs (rejects when it cannot start: counted as a failure) */
  start(): Promise<ChildProcess>;
  /** stops it when the supervisor is stopped (default: SIGTERM, SIGKILL after 15 s) */
  stop?(child: ChildProcess): Promise<void>;
}

export interface SupervisorEvents {
  log(message: string): void;
  /** restarts keep failing: the caller stops everything */
  giveUp(name: string, reason: string): void;
}

function seconds(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function exitReason(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `code ${code ?? '?'}`;
}

export function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function terminate(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = waitForExit(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export class Supervisor {
  private child: ChildProcess | undefined;
  /** a start under way (the dev server takes seconds to listen): stop() waits for it, or its process would outlive us */
  private pending: Promise<ChildProcess> | undefined;
  private startedAt = 0;
  private delayMs: number;
  private restarts = 0;
  private failures: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private gaveUp = false;

  constructor(
    private readonly proc: SupervisedProcess,
    private readonly events: SupervisorEvents,
    private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY,
  ) {
    this.delayMs = policy.initialDelayMs;
  }

  get name(): string {
    return this.proc.name;
  }

  /** The process running now, if any. */
  get current(): ChildProcess | undefined {
    return this.child;
  }

  get restartCount(): number {
    return this.restarts;
  }

  /** The first start: its failure is the caller's (nothing was ever up, so there is nothing to keep up). */
  async start(): Promise<ChildProcess> {
    const child = await this.launch();
    if (!this.stopped) this.watch(child);
    return child;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const launched = this.pending ? await this.pending.catch(() => undefined) : undefined;
    const child = this.child ?? launched; // stopped while starting: never watched, stopped here
    this.child = undefined;
    if (child) await (this.proc.stop ?? terminate)(child);
  }

  private launch(): Promise<ChildProcess> {
    const pending = this.proc.start();
    this.pending = pending;
    const settle = () => void (this.pending === pending && (this.pending = undefined));
    pending.then(settle, settle);
    return pending;
  }

  private watch(child: ChildProcess): void {
    this.child = child;
    this.startedAt = Date.now();
    this.events.log(`${this.proc.name} started (pid ${child.pid})`);
    child.once('exit', (code, signal) => {
      if (this.stopped || this.child !== child) return;
      this.child = undefined;
      this.failed(exitReason(code, signal), Date.now() - this.startedAt);
    });
  }

  private failed(reason: string, ranMs: number): void {
    const now = Date.now();
    if (ranMs >= this.policy.healthyAfterMs) this.delayMs = this.policy.initialDelayMs;
    this.failures = [...this.failures.filter((t) => now - t < this.policy.failureWindowMs), now];
    if (this.failures.length >= this.policy.maxFailures) {
      this.gaveUp = true;
      this.events.giveUp(
        this.proc.name,
        `${this.proc.name} exited (${reason}) — ${this.failures.length} failures within ${seconds(this.policy.failureWindowMs)}; not restarting it again`,
      );
      return;
    }
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.policy.maxDelayMs);
    this.restarts += 1;
    this.events.log(`${this.proc.name} exited (${reason}); restarting in ${seconds(delay)} (restart ${this.restarts})`);
    this.timer = setTimeout(() => void this.restart(), delay);
  }

  private async restart(): Promise<void> {
    if (this.stopped || this.gaveUp) return;
    const attemptAt = Date.now();
    try {
      const child = await this.launch();
      if (!this.stopped) this.watch(child); // else stop() stops it
    } catch (err) {
      if (this.stopped) return;
      this.failed(`could not start: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, Date.now() - attemptAt);
    }
  }
}
