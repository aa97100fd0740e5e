// What the cluster tier runs on (npm run test:cluster): the Temporal server docker-compose.yml deploys, on
// PostgreSQL for persistence and for SQL advanced visibility, with the search attributes of
// deploy/temporal/setup-namespace.sh and Prometheus metrics. Runs only there: elsewhere there is no such server.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterSettings, DYNAMIC_CONFIG_FILE } from '../../scripts/cluster/settings';
import { serverToolsLayout, TEMPORAL_SERVER_VERSION } from '../../scripts/provision-server.mjs';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { createLocalEnv } from '../support/temporal';

const run = promisify(execFile);
const httpUrl = process.env.BAOCAO_TEST_TEMPORAL_HTTP_URL;
const metricsUrl = process.env.BAOCAO_TEST_TEMPORAL_METRICS_URL;

describe.runIf(httpUrl)('the cluster tier\'s Temporal server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createLocalEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('is Temporal 1.31 on PostgreSQL for both persistence and visibility, with the shards of docker-compose.yml', async () => {
    const info = (await (await fetch(`${httpUrl}/api/v1/cluster-info`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({
      serverVersion: TEMPORAL_SERVER_VERSION,
      persistenceStore: 'postgres12',
      visibilityStore: 'postgres12',
      historyShardCount: clusterSettings('start', {}).historyShards,
    });
    // the same answer over gRPC, as the SDK sees it
    const system = await env.connection.workflowService.getSystemInfo({});
    expect(system.serverVersion).toBe(TEMPORAL_SERVER_VERSION);
  });

  it('has every search attribute of workflows/search-attributes.ts in the namespace, as setup-namespace.sh made them', async () => {
    const res = await env.connection.operatorService.listSearchAttributes({ namespace: env.namespace });
    const types = Object.fromEntries(Object.entries(res.customAttributes ?? {}).map(([k, v]) => [k, temporal.api.enums.v1.IndexedValueType[v]]));
    for (const sa of SEARCH_ATTRIBUTES) expect(types[sa.name], sa.name).toBe(sa.type === 'BOOL' ? 'INDEXED_VALUE_TYPE_BOOL' : 'INDEXED_VALUE_TYPE_KEYWORD');
  });

  it('serves Prometheus metrics', async () => {
    const text = await (await fetch(metricsUrl!)).text();
    expect(text).toMatch(/^# TYPE \S+ (counter|gauge|histogram)/m);
    expect(text).toMatch(/persistence_requests/);
  });

  it('accepts the dynamic config file that docker-compose.yml mounts', async () => {
    const { stdout } = await run(serverToolsLayout().server, ['validate-dynamic-config', DYNAMIC_CONFIG_FILE]);
    expect(stdout).not.toMatch(/error:/);
  });
});
