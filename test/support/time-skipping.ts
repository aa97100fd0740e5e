// The Java time-skipping server's environment with client connections that keep within the server's keep-alive
// policy. Shared by the tests (test/support/temporal.ts) and bench/soak.ts; no vitest import, so a bench may use it.
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
  return env;
}
