// The Java time-skipping server's environment with client connections that keep within the server's keep-alive
// policy. Shared by the tests (test/support/temporal.ts) and bench/soak.ts; no vitest import, so a bench may use it.
import { WorkflowClient } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { msToNumber, msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

/**
 * The client connection's keep-alive for the Java time-skipping server. The SDK's default pings every 30 s, also
 * without calls; the server (grpc-java's default policy) permits a ping at most every 5 minutes while a call is
 * open and none on an idle connection, so after three pings with no data from the server it closes the
 * connection (GOAWAY "too_many_pings", logged by grpc-js as "rejected by server because of excess pings") and
 * cuts the calls in flight. The SDK then retries a cut `unlockTimeSkippingWithSleep` (env.sleep): the server runs
 * the sleep twice, the first one's re-lock is left over, time skipping stays locked and virtual time moves only at
 * the wall clock's pace — a long run stalls inside env.sleep with nothing pending (bench/README.md, bench:soak,
 * has the reproduction). A ping every 6 minutes, only while a call is open, stays within the server's policy.
 */
export const TIME_SKIPPING_CHANNEL_ARGS = {
  'grpc.keepalive_time_ms': 6 * 60_000,
  'grpc.keepalive_timeout_ms': 15_000,
  'grpc.keepalive_permit_without_calls': 0,
} as const;

export type TestServerExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

/**
 * TestWorkflowEnvironment.createTimeSkipping takes no connection options; the factory behind it does (the one
 * createFromExistingServer passes its own to) and hands them to both connections. The worker's NativeConnection
 * ignores channelArgs (core's keep-alive is not configurable from TypeScript in SDK 1.24); a probe of several
 * idle minutes saw the server close the client's connection after 90 s and never the worker's.
 */
const createWithConnectionOptions = (
  TestWorkflowEnvironment as unknown as {
    create(o: {
      server: { type: 'time-skipping'; executable: TestServerExecutable };
      supportsTimeSkipping: true;
      connectionOptions: { channelArgs: Record<string, number> };
    }): Promise<TestWorkflowEnvironment>;
  }
).create.bind(TestWorkflowEnvironment);

/**
 * The server counts time-skipping locks in one number for everything (it starts at 1, held by the server
 * itself; every workflow task, activity and timer callback in flight adds one), and the SDK's client unlocks
 * once per waiter: each `result()` sends unlockTimeSkipping before it waits and lockTimeSkipping after, each
 * env.sleep an unlockTimeSkippingWithSleep. Two waits at once (Promise.all over results, or a result beside a
 * sleep) take the count below the server's own lock: the second unlock consumes the lock of a task in flight, and
 * when that task ends its unlock finds 0 — "Unbalanced lock and unlock calls" (an UNKNOWN status, which the SDK
 * retries, so the client's unlock lands later) — and the count stays one too high. Time skipping is then locked
 * for good: virtual time moves at the wall clock's pace and the next wait on a far timer hangs.
 * (sdk-java#1243 is the same leak from an async result in the Java SDK.)
 *
 * So the waits of one environment share the client's unlock, counted here, its RPCs in strict order:
 * - results: the first waiter unlocks, the last one locks again;
 * - a sleep with no result awaited keeps unlockTimeSkippingWithSleep, whose lock is taken by the server at the
 *   sleep's end (a client's lock after it returns would let time run past it, to the next timers); results
 *   awaited meanwhile get the unlock handed over when it ends;
 * - a sleep beside a result awaited waits with the server's plain `sleep` inside the results' unlock (time runs
 *   on for them anyway, so that sleep may end later than asked); sleeps take turns, each until its own end.
 */
function shareTimeSkippingUnlock(env: TestWorkflowEnvironment): void {
  const service = env.connection.testService;
  if (!service) throw new Error('the time-skipping environment has no test service connection');
  const testService = service;
  let holders = 0; // results awaited, and plain sleeps beside them
  let unlocked = false; // the client's own unlockTimeSkipping is in effect
  let sleeping = false; // an unlockTimeSkippingWithSleep is in flight (it unlocked, the server will lock)
  let transitions: Promise<unknown> = Promise.resolve();
  const inOrder = <T>(step: () => Promise<T>): Promise<T> => {
    const next = transitions.then(step);
    transitions = next.catch(() => undefined);
    return next;
  };
  const enter = () =>
    inOrder(async () => {
      if (!unlocked && !sleeping) await testService.unlockTimeSkipping({});
      if (!sleeping) unlocked = true;
      holders += 1;
    });
  const leave = () =>
    inOrder(async () => {
      holders -= 1;
      if (holders === 0 && unlocked) {
        unlocked = false;
        await testService.lockTimeSkipping({});
      }
    });
  async function whileUnlocked<T>(wait: () => Promise<T>): Promise<T> {
    await enter();
    try {
      return await wait();
    } finally {
      await leave();
    }
  }

  let sleeps: Promise<unknown> = Promise.resolve();
  async function sleepOnce(untilMs: number): Promise<void> {
    const now = await env.currentTimeMs();
    if (untilMs <= now) return;
    const duration = msToTs(untilMs - now);
    const atomic = await inOrder(async () => {
      if (holders > 0) return false;
      sleeping = true;
      return true;
    });
    if (!atomic) return whileUnlocked(async () => void (await testService.sleep({ duration })));
    try {
      await testService.unlockTimeSkippingWithSleep({ duration });
    } finally {
      await inOrder(async () => {
        sleeping = false;
        // results awaited since the sleep began: time skips on for them
        if (holders > 0) {
          await testService.unlockTimeSkipping({});
          unlocked = true;
        }
      });
    }
  }
  async function sleep(duration: Duration): Promise<void> {
    const untilMs = (await env.currentTimeMs()) + msToNumber(duration);
    const turn = sleeps.then(() => sleepOnce(untilMs));
    sleeps = turn.catch(() => undefined);
    return turn;
  }

  const workflow = env.client.workflow;
  // the base class's result: the plain wait, without the SDK's own unlock around it
  const plainResult = WorkflowClient.prototype.result;
  Object.defineProperty(workflow, 'result', { value: (...args: Parameters<WorkflowClient['result']>) => whileUnlocked(() => plainResult.apply(workflow, args)) });
  Object.defineProperty(env, 'sleep', { value: sleep });
}

/** A time-skipping environment on its own server, with baocao's search attributes registered. */
export async function createTimeSkippingEnvironment(executable: TestServerExecutable): Promise<TestWorkflowEnvironment> {
  const env = await createWithConnectionOptions({
    server: { type: 'time-skipping', executable },
    supportsTimeSkipping: true,
    connectionOptions: { channelArgs: { ...TIME_SKIPPING_CHANNEL_ARGS } },
  });
  // The test server refuses to start a workflow with unknown search attributes: register ours, as on a cluster.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      SEARCH_ATTRIBUTES.map((sa) => [sa.name, sa.type === 'BOOL' ? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL : temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
    ),
  });
  shareTimeSkippingUnlock(env);
  return env;
}
