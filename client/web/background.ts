// Work the web app does after answering: a request must never wait on (or reveal through its timing) what the
// mail server or the directory does. Failures are logged, never thrown at a request that has already left.
import type { FastifyBaseLogger } from 'fastify';

export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: () => Pick<FastifyBaseLogger, 'error'>) {}

  /** Starts `task` on a later turn of the event loop (after the caller has answered); never throws. */
  run(what: string, task: () => Promise<unknown>): void {
    const done: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(task)
      .then(
        () => undefined,
        (err: unknown) => this.log().error({ err }, `${what} failed`),
      )
      .finally(() => this.running.delete(done));
    this.running.add(done);
  }

  /** Resolves once every task started so far (and any they started) has finished, or after `timeoutMs`. */
  async idle(timeoutMs = Number.POSITIVE_INFINITY): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.running.size > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = Number.isFinite(timeoutMs) ? new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now())))) : undefined;
      await Promise.race([Promise.all([...this.running]), ...(timeout ? [timeout] : [])]);
      clearTimeout(timer);
    }
  }
}
