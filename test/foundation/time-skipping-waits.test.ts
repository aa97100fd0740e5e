// Concurrent waits on the Java time-skipping server: several workflow results awaited at once, and an env.sleep
// beside them, must leave time skipping as they found it (test/support/time-skipping.ts shares one unlock).
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yearTimerWorkflow } from '../fixtures/foundation-workflows';
import { createTimeSkippingEnv, quietLogger } from '../support/temporal';

const DAY = 24 * 3600 * 1000;
let bundle: WorkflowBundleWithSourceMap;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: join(__dirname, '../fixtures/foundation-workflows.ts'), logger: quietLogger });
  env = await createTimeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

describe('waits on the time-skipping server', () => {
  it('awaits many results and a sleep at once, and time still skips afterwards', { timeout: 90_000 }, async () => {
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'waits', workflowBundle: bundle });
    await worker.runUntil(async () => {
      for (let round = 0; round < 3; round++) {
        const handles = await Promise.all(Array.from({ length: 8 }, () => env.client.workflow.start(yearTimerWorkflow, { taskQueue: 'waits', workflowId: `year-${randomUUID()}` })));
        const before = await env.currentTimeMs();
        const [results] = await Promise.all([Promise.all(handles.map((h) => h.result())), env.sleep(30 * DAY)]);
        for (const r of results) expect(r.finishedAt - r.startedAt).toBeGreaterThanOrEqual(365 * DAY);
        expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(365 * DAY);
      }
      // nothing is left locked: a sleep alone still skips a year (a leaked lock would leave it at the wall clock's pace)
      const before = await env.currentTimeMs();
      await env.sleep(365 * DAY);
      expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(365 * DAY);
    });
  });
});
