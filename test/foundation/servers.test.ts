import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startDevServer } from '../../scripts/dev-server';
import { pingSignal, waitForPingWorkflow, yearTimerWorkflow } from '../fixtures/foundation-workflows';
import { createLocalEnv, createTimeSkippingEnv, freePort, quietLogger } from '../support/temporal';

const YEAR_MS = 365 * 24 * 3600 * 1000;
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: join(__dirname, '../fixtures/foundation-workflows.ts'), logger: quietLogger });
});

describe('the Java time-skipping test server (from Maven Central)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('runs a workflow with a one-year timer in seconds', async () => {
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'foundation', workflowBundle: bundle });
    const result = await worker.runUntil(
      env.client.workflow.execute(yearTimerWorkflow, { taskQueue: 'foundation', workflowId: `year-${randomUUID()}` }),
    );
    expect(result.finishedAt - result.startedAt).toBeGreaterThanOrEqual(YEAR_MS);
  });
});

describe('the Temporal CLI dev server (built from the Go module proxy)', () => {
  it('delivers a signal to a running workflow (createLocal)', async () => {
    const env = await createLocalEnv();
    try {
      const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'foundation', workflowBundle: bundle });
      const result = await worker.runUntil(async () => {
        const handle = await env.client.workflow.start(waitForPingWorkflow, { taskQueue: 'foundation', workflowId: 'ping-local' });
        await handle.signal(pingSignal, 'xin chào');
        return handle.result();
      });
      expect(result).toBe('ping-local got xin chào');
    } finally {
      await env.teardown();
    }
  });

  it('keeps a started workflow across a restart of the server (SQLite persistence, as `npm start` runs it)', async () => {
    const route = inject('temporalServers').devServer;
    if (route.kind !== 'path') throw new Error('the dev server binary was not provisioned');
    const dir = mkdtempSync(join(tmpdir(), 'baocao-devserver-'));
    const port = await freePort();
    const options = { cli: route.path, dbFile: join(dir, 'temporal.db'), port, headless: true };
    let server = await startDevServer(options);
    try {
      let connection = await Connection.connect({ address: server.address });
      const first = await new Client({ connection }).workflow.start(waitForPingWorkflow, { taskQueue: 'foundation', workflowId: 'survives-restart' });
      await connection.close();

      await server.stop();
      server = await startDevServer(options);

      connection = await Connection.connect({ address: server.address });
      const client = new Client({ connection });
      const handle = client.workflow.getHandle('survives-restart');
      const description = await handle.describe();
      expect(description.runId).toBe(first.firstExecutionRunId);
      expect(description.status.name).toBe('RUNNING');

      const nativeConnection = await NativeConnection.connect({ address: server.address });
      const worker = await Worker.create({ connection: nativeConnection, taskQueue: 'foundation', workflowBundle: bundle });
      const result = await worker.runUntil(async () => {
        await handle.signal(pingSignal, 'sau khi khởi động lại');
        return handle.result();
      });
      expect(result).toBe('survives-restart got sau khi khởi động lại');
      await nativeConnection.close();
      await connection.close();
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
