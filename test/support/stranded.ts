// A run the Java time-skipping server has stranded. When a workflow task cancels a timer that fired (in real
// time) while the task was with the worker — under time skipping, a timer set for the same calendar instant as
// the event being handled, a few ms later by the drift of its start; on a loaded machine the task takes seconds,
// so the window is wide — the server refuses the completion ("invalid history builder state for action",
// temporalio/sdk-java#2606; fix proposed in sdk-java#3060, unmerged) and never times that task out or sends it
// again (sdk-java#3088). Our workflows cancel such timers all the time (`condition(() => dirty, untilNextEvent)`
// woken by a child's report), which the real server accepts. The run then never moves: queries wait on it
// forever, results never come, and the test hung until its timeout (campaign-side-by-side at 480 s, seen
// 2026-12-02 beside three other campaign files at load 18).
//
// The worker's core logs the refusal; test/support/temporal.ts forwards core's logs here. A test that runs its
// worker through the cycle harness (test/support/cycle-harness.ts) then fails at once with
// TimeSkippingServerStrandedError, which vitest.config.mts retries on a fresh server (and only that error).

const REFUSED = /invalid history builder state for action/;

type Listener = (why: string) => void;
const listeners = new Set<Listener>();

/** Called with every log line of the worker's core (forwarded by installQuietRuntime). */
export function noteCoreLog(message: string, meta?: Record<string, unknown>): void {
  const text = `${message} ${meta ? JSON.stringify(meta) : ''}`;
  if (!REFUSED.test(text)) return;
  for (const listener of listeners) listener(text);
}

export class TimeSkippingServerStrandedError extends Error {
  readonly code = 'TimeSkippingServerStrandedError';
  constructor(readonly log: string) {
    super(
      `TimeSkippingServerStrandedError: the Java time-skipping server refused a workflow task completion and will never send that workflow a task again ` +
        `(a CancelTimer of a timer that fired during the task, temporalio/sdk-java#2606, #3088); the scenario cannot finish on this server. Core logged: ${log}`,
    );
    this.name = 'TimeSkippingServerStrandedError';
  }
}

/**
 * `work`, or TimeSkippingServerStrandedError as soon as the worker's core logs a refused completion while it
 * runs. Processes run their tests one at a time, so any refusal logged meanwhile is this test's.
 */
export function failOnStranding<T>(work: Promise<T>): Promise<T> {
  let listener: Listener | undefined;
  const stranded = new Promise<never>((_, reject) => {
    listener = (why) => reject(new TimeSkippingServerStrandedError(why));
    listeners.add(listener);
  });
  // the losing side's later rejection (the stranded test's waits fail when its server is torn down) is not unhandled
  work.catch(() => undefined);
  return Promise.race([work, stranded]).finally(() => listeners.delete(listener!));
}
