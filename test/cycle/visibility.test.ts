// "Overdue units under supervisor X" as one visibility query, on the real dev server (the time-skipping server
// has no visibility listing), with a rehearsal that compresses the whole year into three minutes (margin for a slow machine).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listOverdue, submit } from '../../client/cycles';
import { cycleWorkflow } from '../../workflows/cycle';
import { batchWorkflowId, cycleId as makeCycleId, unitWorkflowId } from '../../workflows/ids';
import { CYCLE } from '../../workflows/search-attributes';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { cycleInput, planFor, smallTree, until, untilTreeStarted } from '../support/cycle-fixtures';
import { createLocalEnv } from '../support/temporal';

let env: TestWorkflowEnvironment;
let h: CycleHarness;

beforeAll(async () => {
  env = await createLocalEnv();
  h = await createCycleHarness(env, { units: smallTree() }, 'visibility');
});
afterAll(async () => {
  await h?.close();
  await env?.teardown();
});

it('finds the overdue units under a supervisor with one search-attribute query', { timeout: 300_000 }, async () => {
  const year = new Date().getUTCFullYear() + 1;
  const cycleId = makeCycleId(year, 'R', '20260101000000');
  const worker = await h.newWorker();
  await worker.runUntil(async () => {
    await env.client.workflow.start(cycleWorkflow, {
      workflowId: cycleId,
      taskQueue: h.taskQueue,
      args: [cycleInput(cycleId, year, 'R', { rehearsalMinutes: 3 })],
    });
    await untilTreeStarted(env.client, cycleId, smallTree().length);
    for (const id of ['R', 'I1', 'I2', 'G12']) await submit(env.client, { cycleId, unitId: id, phase: 'plan', content: planFor(id, year), channel: 'test' });

    // the grassroots plan deadline passes about a quarter of the way into the rehearsal
    await until('G11 is listed overdue under I1', async () => (await listOverdue(env.client, { cycleId, supervisorUnitId: 'I1' })).length > 0);
    expect((await listOverdue(env.client, { cycleId, supervisorUnitId: 'I1' })).map((u) => u.unitId)).toEqual(['G11']);
    await until('G21 is listed overdue under I2', async () => (await listOverdue(env.client, { cycleId, supervisorUnitId: 'I2' })).length > 0);
    expect((await listOverdue(env.client, { cycleId, supervisorUnitId: 'I2' })).map((u) => u.unitId)).toEqual(['G21']);
    const all = await listOverdue(env.client, { cycleId });
    expect(all.map((u) => u.unitId)).toEqual(['G11', 'G21']);

    // a late plan clears the flag
    await submit(env.client, { cycleId, unitId: 'G11', phase: 'plan', content: planFor('G11', year), channel: 'test' });
    await until('G11 is no longer overdue', async () => (await listOverdue(env.client, { cycleId, supervisorUnitId: 'I1' })).length === 0);
    await env.client.workflow.getHandle(cycleId).terminate('test over');
  });
});

it('finds every workflow of a cycle, the batch workflows included, with one query on BaocaoCycle', { timeout: 300_000 }, async () => {
  const year = new Date().getUTCFullYear() + 1;
  // its own rehearsal stamp: the cluster tier runs continue-as-new.test.ts (…000001) on the same server at once
  const cycleId = makeCycleId(year, 'R', '20260101000002');
  const tree = smallTree();
  // one child per workflow: R (2 children) and I1 (2) start theirs through batch workflows, I2 (1) directly
  const expected = [
    ...tree.map((u) => unitWorkflowId(cycleId, u.id)),
    batchWorkflowId(cycleId, 'R', 0),
    batchWorkflowId(cycleId, 'R', 1),
    batchWorkflowId(cycleId, 'I1', 0),
    batchWorkflowId(cycleId, 'I1', 1),
  ].sort();
  const listed = async () => {
    const ids: string[] = [];
    for await (const wf of env.client.workflow.list({ query: `${CYCLE.name} = '${cycleId}'` })) ids.push(wf.workflowId);
    // the listing has every run: a parent that continued as new is there twice under one workflow id
    return [...new Set(ids)].filter((id) => id !== cycleId).sort();
  };
  const worker = await h.newWorker();
  await worker.runUntil(async () => {
    await env.client.workflow.start(cycleWorkflow, {
      workflowId: cycleId,
      taskQueue: h.taskQueue,
      args: [cycleInput(cycleId, year, 'R', { rehearsalMinutes: 3, maxDirectChildren: 1 })],
    });
    await untilTreeStarted(env.client, cycleId, tree.length);
    // visibility lags a little: wait for the units, started after their batches, then compare the whole list
    const units = tree.map((u) => unitWorkflowId(cycleId, u.id));
    await until('the unit workflows are visible', async () => {
      const ids = await listed();
      return units.every((id) => ids.includes(id));
    });
    expect(await listed()).toEqual(expected);
    await env.client.workflow.getHandle(cycleId).terminate('test over');
  });
});
