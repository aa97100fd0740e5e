// A unit with more direct children than MAX_FAN_OUT could not carry its children's state within the payload
// budget (workflows/unit-state-packing.ts). On the real time-skipping server: `startCycle` refuses such a tree
// before anything starts, naming the unit (VI and EN); a cycle started without that check (a programme's
// schedule) fails at once with the same typed reason — nothing is started below and nothing is terminated.
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCycle } from '../../client/cycles';
import { cycleWorkflow } from '../../workflows/cycle';
import { cycleId as makeCycleId, unitWorkflowId } from '../../workflows/ids';
import { FanOutTooLargeError, MAX_FAN_OUT } from '../../workflows/unit-state-packing';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { cycleInput } from '../support/cycle-fixtures';
import { generatedUnit } from '../support/generated-units';
import { createTimeSkippingEnv } from '../support/temporal';

const ROOT = 'LDLD-RONG';
const units = [
  generatedUnit(ROOT, 'Liên đoàn Lao động tỉnh Rộng', 'root', null),
  ...Array.from({ length: MAX_FAN_OUT + 1 }, (_, i) => generatedUnit(`CDCS-${String(i + 1).padStart(5, '0')}`, `Công đoàn cơ sở số ${i + 1}`, 'grassroots', ROOT)),
];

let env: TestWorkflowEnvironment;
let h: CycleHarness;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
  h = await createCycleHarness(env, { units }, 'fan-out');
}, 120_000);
afterAll(async () => {
  await h?.close();
  await env?.teardown();
});

it(`refuses a tree with a unit of ${MAX_FAN_OUT + 1} direct children, at the start and in the workflow`, { timeout: 300_000 }, async () => {
  const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
  const refused = startCycle(env.client, h.taskQueue, { year, rootUnitId: ROOT, rehearsalMinutes: 60 }, { db: h.db });
  await expect(refused).rejects.toBeInstanceOf(FanOutTooLargeError);
  await expect(refused).rejects.toMatchObject({ code: 'FanOutTooLargeError', unitId: ROOT, childCount: MAX_FAN_OUT + 1 });
  await expect(refused).rejects.toThrow(new RegExp(`Unit ${ROOT} has ${MAX_FAN_OUT + 1} units directly below it.*Đơn vị ${ROOT} có ${MAX_FAN_OUT + 1} đơn vị trực thuộc`));

  const cycleId = makeCycleId(year, ROOT);
  const worker = await h.newWorker();
  const failure = await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(cycleWorkflow, { workflowId: cycleId, taskQueue: h.taskQueue, args: [cycleInput(cycleId, year, ROOT)] });
    return handle.result().then(
      () => null,
      (err: unknown) => err,
    );
  });
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  const root = await env.client.workflow.getHandle(unitWorkflowId(cycleId, ROOT)).describe();
  expect(root.status.name).toBe('FAILED');
  const history = await env.client.workflow.getHandle(unitWorkflowId(cycleId, ROOT)).fetchHistory();
  const failed = history.events?.find((e) => e.workflowExecutionFailedEventAttributes)?.workflowExecutionFailedEventAttributes?.failure;
  expect(failed?.applicationFailureInfo?.type).toBe('FanOutTooLargeError');
  expect(failed?.message).toMatch(/has 2001 units directly below it; a cycle supports at most 2000 per unit.*Đơn vị/);
  // nothing was started below it
  expect(history.events?.some((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)).toBe(false);
});
