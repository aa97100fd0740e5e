// A unit with more children than one workflow may hold starts them through batch workflows; the children still
// report to their logical parent. The fan-out limit (500 in production) is lowered to 2 here.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { UnitInput } from '../../activities/directory/types';
import { submit, unitStatus } from '../../client/cycles';
import { cycleWorkflow } from '../../workflows/cycle';
import { CYCLE } from '../../workflows/search-attributes';
import { batchWorkflowId, cycleId as makeCycleId, unitWorkflowId } from '../../workflows/ids';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { recordHistories } from '../support/histories';
import { cycleInput, planFor, untilTreeStarted } from '../support/cycle-fixtures';
import { createTimeSkippingEnv } from '../support/temporal';

const root: UnitInput = {
  id: 'B',
  name: 'Công đoàn Khu công nghiệp Quế Võ',
  kind: 'root',
  parentId: null,
  chair: { name: 'Nguyễn Văn An', email: 'chair-b@example.vn' },
  officer: { name: 'Lê Thị Bình', email: 'b@example.vn' },
  language: 'vi',
  activeFrom: '2020-01-01',
  activeTo: null,
  distribution: [],
};
const leaves: UnitInput[] = [1, 2, 3, 4, 5].map((n) => ({
  ...root,
  id: `B${n}`,
  name: `Công đoàn cơ sở Công ty số ${n}`,
  kind: 'grassroots',
  parentId: 'B',
  officer: { name: `Cán bộ ${n}`, email: `b${n}@example.vn` },
}));

let env: TestWorkflowEnvironment;
let h: CycleHarness;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
  h = await createCycleHarness(env, { units: [root, ...leaves] }, 'batches');
});
afterAll(async () => {
  await h?.close();
  await env?.teardown();
});

it('starts 5 children through 3 batch workflows and still aggregates them at the parent', async () => {
  const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
  const cycleId = makeCycleId(year, 'B');
  const worker = await h.newWorker();
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(cycleWorkflow, {
      workflowId: cycleId,
      taskQueue: h.taskQueue,
      args: [cycleInput(cycleId, year, 'B', { maxDirectChildren: 2 })],
    });
    await untilTreeStarted(env.client, cycleId, 6);
    for (const batch of [0, 1, 2]) {
      const d = await env.client.workflow.getHandle(batchWorkflowId(cycleId, 'B', batch)).describe();
      expect(d.status.name).toBe('COMPLETED');
      // like every workflow of the cycle (the visibility query itself: test/cycle/visibility.test.ts)
      expect(d.typedSearchAttributes.get(CYCLE)).toBe(cycleId);
    }
    const child = await env.client.workflow.getHandle(unitWorkflowId(cycleId, 'B5')).describe();
    expect(child.parentExecution?.workflowId).toBe(batchWorkflowId(cycleId, 'B', 2));

    await submit(env.client, { cycleId, unitId: 'B5', phase: 'plan', content: planFor('B5', year), channel: 'test' });
    const rootStatus = await unitStatus(env.client, cycleId, 'B');
    expect(rootStatus.children.map((c) => c.unitId).sort()).toEqual(['B1', 'B2', 'B3', 'B4', 'B5']);

    const { aggregate } = await handle.result();
    expect(aggregate.below.plan.submittedOnTime.ids).toEqual(['B5']);
    expect(aggregate.below.plan.notSubmitted.ids.sort()).toEqual(['B1', 'B2', 'B3', 'B4']);
    // the parent that starts batch workflows (and one batch): replayed by test/cycle/replay.test.ts
    await recordHistories(env.client, 'batches', [unitWorkflowId(cycleId, 'B'), batchWorkflowId(cycleId, 'B', 0)]);
  });
});
