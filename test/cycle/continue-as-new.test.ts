// Long-lived unit workflows continue as new when Temporal suggests it. The dev server is told to suggest it
// after a few dozen events, so every unit workflow of a short rehearsal goes through several runs: what was
// submitted before a run ended must still be there, and the cycle must end with the right aggregate.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { submit } from '../../client/cycles';
import { cycleWorkflow, type CycleResult } from '../../workflows/cycle';
import { cycleId as makeCycleId, unitWorkflowId } from '../../workflows/ids';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { cycleInput, planFor, reportFor, smallTree, untilTreeStarted } from '../support/cycle-fixtures';
import { createLocalEnv } from '../support/temporal';

let env: TestWorkflowEnvironment;
let h: CycleHarness;
beforeAll(async () => {
  env = await createLocalEnv({ dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 40 } });
  h = await createCycleHarness(env, { units: smallTree() }, 'can');
});
afterAll(async () => {
  await h?.close();
  await env?.teardown();
});

it('keeps every submission across continue-as-new and closes with the right aggregate', { timeout: 420_000 }, async () => {
  const year = new Date().getUTCFullYear() + 1;
  const cycleId = makeCycleId(year, 'R', '20260101000001');
  const ids = smallTree().map((u) => u.id);
  const worker = await h.newWorker();
  const result: CycleResult = await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(cycleWorkflow, {
      workflowId: cycleId,
      taskQueue: h.taskQueue,
      args: [cycleInput(cycleId, year, 'R', { rehearsalMinutes: 2.5 })],
    });
    await untilTreeStarted(env.client, cycleId, ids.length);
    for (const id of ids.filter((id) => id !== 'G11')) {
      await submit(env.client, { cycleId, unitId: id, phase: 'plan', content: planFor(id, year), channel: 'test' });
      await submit(env.client, { cycleId, unitId: id, phase: 'report', content: reportFor(id, ids.indexOf(id)), channel: 'test' });
    }
    return handle.result();
  });

  const runsOfI1 = await env.client.workflow.count(`WorkflowId = '${unitWorkflowId(cycleId, 'I1')}'`);
  expect(runsOfI1.count).toBeGreaterThan(1); // it did continue as new
  // on time or late depends on how fast this machine submits against a compressed calendar: count both
  const submitted = (phase: 'plan' | 'report') => result.aggregate.below[phase].submittedOnTime.total + result.aggregate.below[phase].submittedLate.total;
  expect(submitted('plan')).toBe(ids.length - 2); // all below the root but G11
  expect(result.aggregate.below.plan.notSubmitted.ids).toEqual(['G11']);
  expect(submitted('report')).toBe(ids.length - 2);
  const sum = ids.filter((id) => id !== 'G11').reduce((n, id) => n + reportFor(id, ids.indexOf(id)).figures.participants, 0);
  expect(result.aggregate.totalFigures.participants).toBe(sum);
});
