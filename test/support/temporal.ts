import { createServer, type AddressInfo } from 'node:net';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { inject } from 'vitest';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { noteCoreLog } from './stranded';
import { createTimeSkippingEnvironment } from './time-skipping';

function executable(route: ReturnType<typeof inject<'temporalServers'>>['devServer']) {
  return route.kind === 'path'
    ? ({ type: 'existing-path', path: route.path } as const)
    : ({ type: 'cached-download' } as const);
}

/** The Java time-skipping server, provisioned offline (see scripts/provision.mjs). */
/**
 * The SDK waits only 5 s for a server to listen; on a busy 2-core machine a start can miss that. A start that
 * failed that way is tried again (twice at most): the server never ran, so nothing is hidden by the retry.
 */
async function withStartRetry<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt >= 3 || !/did not start within/.test(String(err))) throw err;
    }
  }
}

/**
 * BAOCAO_TEST_TEMPORAL_ADDRESS: run on that server instead of starting one (the cluster tier: `npm run
 * test:cluster` sets it to the Temporal 1.31 server on PostgreSQL of scripts/cluster.ts), in namespace
 * BAOCAO_TEST_TEMPORAL_NAMESPACE (default `default`). Its dynamic config is fixed when it starts: the values it
 * was started with are in BAOCAO_TEST_TEMPORAL_DYNAMIC_CONFIG (JSON), and a test asking for another is refused.
 */
const existingServer = process.env.BAOCAO_TEST_TEMPORAL_ADDRESS;

function createExistingServerEnv(dynamicConfig: Record<string, unknown> = {}): Promise<TestWorkflowEnvironment> {
  const applied = JSON.parse(process.env.BAOCAO_TEST_TEMPORAL_DYNAMIC_CONFIG ?? '{}') as Record<string, unknown>;
  for (const [key, value] of Object.entries(dynamicConfig)) {
    if (JSON.stringify(applied[key]) !== JSON.stringify(value)) {
      throw new Error(
        `This test needs the server's dynamic config ${key}=${JSON.stringify(value)}, but the server at ${existingServer} was started with ` +
          `${JSON.stringify(applied[key] ?? null)}: add it to the test profile of scripts/cluster/settings.ts.`,
      );
    }
  }
  return TestWorkflowEnvironment.createFromExistingServer({ address: existingServer, namespace: process.env.BAOCAO_TEST_TEMPORAL_NAMESPACE ?? 'default' });
}

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  // a test that needs no skipping (env.sleep) runs on the existing server as it is: its search attributes are registered
  if (existingServer) return createExistingServerEnv();
  // the client's keep-alive within the Java server's policy (test/support/time-skipping.ts): else long runs stall
  return withStartRetry(() => createTimeSkippingEnvironment(executable(inject('temporalServers').testServer)));
}

/** The Temporal CLI dev server (real persistence and visibility), provisioned offline. */
/**
 * `port`: a fixed port, for tests that point other processes (the CLI) at the server.
 * `dynamicConfig`: server settings, e.g. a low `limit.historyCount.suggestContinueAsNew`.
 */
export function createLocalEnv(options: { port?: number; dynamicConfig?: Record<string, unknown> } = {}): Promise<TestWorkflowEnvironment> {
  if (existingServer) {
    if (options.port) throw new Error(`a fixed port cannot be chosen on the existing server at ${existingServer}: use env.address`);
    return createExistingServerEnv(options.dynamicConfig);
  }
  return withStartRetry(() =>
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: executable(inject('temporalServers').devServer),
        searchAttributes: SEARCH_ATTRIBUTES,
        ip: '127.0.0.1',
        ...(options.port ? { port: options.port } : {}),
        extraArgs: Object.entries(options.dynamicConfig ?? {}).flatMap(([k, v]) => ['--dynamic-config-value', `${k}=${JSON.stringify(v)}`]),
      },
    }),
  );
}

/** A TCP port free right now on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** For bundleWorkflowCode: webpack's chatter is noise in test output. */
export const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * Workers log at WARN in tests; call before the first Worker or environment of a test file. Core's own logs are
 * forwarded to that logger (printed as before), so that a completion the time-skipping server refused is noticed
 * (test/support/stranded.ts).
 */
export function installQuietRuntime(): void {
  const print = new DefaultLogger('WARN');
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN', (entry) => {
        noteCoreLog(entry.message, entry.meta);
        print.log(entry.level, entry.message, entry.meta);
      }),
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
    });
  } catch {
    // already installed in this process (a previous file of the same fork)
  }
}
