// The Java time-skipping server strands a run whose workflow task cancels a timer that fired while the task was
// with the worker (test/support/stranded.ts): the harness notices the refused completion in core's log and fails
// at once with TimeSkippingServerStrandedError (which vitest.config.mts retries on a fresh server) instead of
// waiting on the run until the test's timeout.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkerOptions } from '@temporalio/worker';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { slowWakeKeptTimerWorkflow, slowWakeWorkflow, wakeSignal } from '../fixtures/foundation-workflows';
import { failOnStranding, TimeSkippingServerStrandedError } from '../support/stranded';
import { createTimeSkippingEnv, quietLogger } from '../support/temporal';

// one server per test: a stranded run keeps its server from ever skipping time again
let env: TestWorkflowEnvironment | undefined;
beforeEach(async () => {
  env = await createTimeSkippingEnv();
});
afterEach(async () => {
  await env?.teardown();
  env = undefined;
});

async function slowWakeWorker(taskQueue: string): Promise<Worker> {
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: join(__dirname, '../fixtures/foundation-workflows.ts'), logger: quietLogger });
  // the slow handler must not meet the sandbox's 5 s limit (which would abort the process)
  return Worker.create({ connection: env!.nativeConnection, taskQueue, workflowBundle, isolateExecutionTimeout: 60_000 } as WorkerOptions);
}

it('a cancelled timer that fired during the task strands the run, and the harness says so at once', { timeout: 90_000, retry: 0 }, async () => {
  const worker = await slowWakeWorker('stranded');
  const started = Date.now();
  // the wait on the stranded run's result is left pending: it is aborted before the server goes, or the client
  // would retry it on a closed channel after the test
  const pending = new AbortController();
  const outcome = await worker
    .runUntil(
      failOnStranding(
        (async () => {
          // time skipping stays locked (nothing awaits a result): the 300 ms timer runs at the wall clock's pace
          const handle = await env!.client.workflow.start(slowWakeWorkflow, { taskQueue: 'stranded', workflowId: `stranded-${randomUUID()}`, args: [300, 400_000_000] });
          await handle.query('__stack_trace'); // its first task is done: the timer is running
          await handle.signal(wakeSignal);
          // a stranded run never completes: without the harness this waits until the test's timeout
          await env!.client.withAbortSignal(pending.signal, () => handle.result());
          return 'completed';
        })(),
      ),
    )
    .catch((err: unknown) => err);
  pending.abort();
  expect(outcome).toBeInstanceOf(TimeSkippingServerStrandedError);
  expect(String(outcome)).toContain('invalid history builder state for action');
  expect(Date.now() - started).toBeLessThan(60_000);
});

// The main loops of workflows/ wait on a WakeTimer (workflows/wake-timer.ts): the same slow wake, racing the same
// timer, cancels nothing, and the run goes on to its end.
it('a wait on a kept wake timer is not stranded by the same race', { timeout: 90_000, retry: 0 }, async () => {
  const worker = await slowWakeWorker('kept-timer');
  const outcome = await worker.runUntil(
    failOnStranding(
      (async () => {
        const handle = await env!.client.workflow.start(slowWakeKeptTimerWorkflow, { taskQueue: 'kept-timer', workflowId: `kept-timer-${randomUUID()}`, args: [300, 400_000_000] });
        await handle.query('__stack_trace');
        await handle.signal(wakeSignal);
        const wokenFirst = await handle.result();
        const { events } = await handle.fetchHistory();
        return { wokenFirst, cancelled: (events ?? []).filter((e) => e.timerCanceledEventAttributes).length, started: (events ?? []).filter((e) => e.timerStartedEventAttributes).length };
      })(),
    ),
  );
  // woken by the signal, not by the timer; two waits, two timers, none cancelled
  expect(outcome).toEqual({ wokenFirst: true, cancelled: 0, started: 2 });
});
