// The history budget measurement itself, on a small real cycle on the time-skipping server: what it reports
// must match the histories it fetched, find a payload of known size where it travelled, and walk every run of a
// continue-as-new chain.
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submit } from '../../client/cycles';
import { cycleWorkflow } from '../../workflows/cycle';
import { cycleId as makeCycleId, unitWorkflowId } from '../../workflows/ids';
import { cycleInput, planFor, reportFor, smallTree, untilTreeStarted } from '../support/cycle-fixtures';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import {
  assertWithinBudget,
  budgetTable,
  budgetViolations,
  byWorkflowType,
  cycleExecutions,
  HISTORY_EVENTS_BUDGET,
  measureExecution,
  measureExecutions,
  PAYLOAD_BUDGET_BYTES,
  type RunMeasure,
  type TypeBudget,
} from '../support/history-budget';
import { createTimeSkippingEnv, quietLogger } from '../support/temporal';
import { chainWorkflow } from './chain-workflow';

let env: TestWorkflowEnvironment;
let h: CycleHarness;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
  h = await createCycleHarness(env, { units: smallTree() }, 'history-budget');
});
afterAll(async () => {
  await h?.close();
  await env?.teardown();
});

const UNITS = smallTree();
const ALL = UNITS.map((u) => u.id);
/** 'ệ' is 3 bytes of UTF-8: a plan body of known size in bytes, above anything else a small cycle carries (the DOCX upward is ~20 KB) */
const BIG_BODY = 'ệ'.repeat(10_000);

describe('history budget of a small real cycle', () => {
  it('measures every workflow type: events and bytes as fetched, the largest payload where it travelled', async () => {
    const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
    const cycleId = makeCycleId(year, 'R');
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(cycleWorkflow, { workflowId: cycleId, taskQueue: h.taskQueue, args: [cycleInput(cycleId, year, 'R')] });
      await untilTreeStarted(env.client, cycleId, UNITS.length);
      for (const id of ALL) {
        const content = id === 'G12' ? { ...planFor(id, year), body: BIG_BODY } : planFor(id, year);
        await submit(env.client, { cycleId, unitId: id, phase: 'plan', content, channel: 'test' });
      }
      for (const id of ALL) await submit(env.client, { cycleId, unitId: id, phase: 'report', content: reportFor(id, ALL.indexOf(id)), channel: 'test' });
      await handle.result();
    });

    const types = await measureExecutions(env.client, cycleExecutions(cycleId, UNITS));
    expect(types.map((t) => t.workflowType)).toEqual(['cycleWorkflow', 'unitWorkflow']);
    const unit = types.find((t) => t.workflowType === 'unitWorkflow')!;
    expect(unit.runs).toBe(ALL.length);

    // the figures are those of the fetched history itself
    const g12 = (await measureExecution(env.client, { workflowId: unitWorkflowId(cycleId, 'G12') }))[0]!;
    const history = await env.client.workflow.getHandle(unitWorkflowId(cycleId, 'G12')).fetchHistory();
    expect(g12.events).toBe(history.events!.length);
    expect(g12.bytes).toBe(temporal.api.history.v1.History.encode(history).finish().length);
    expect(g12.bytes).toBeGreaterThan(2 * 3 * BIG_BODY.length); // the body is in the update and in the activity input

    // the largest payload is G12's big plan, in bytes of UTF-8 (not characters), plus a little JSON around it
    const p = unit.largestPayload!;
    expect(p.workflowId).toBe(unitWorkflowId(cycleId, 'G12'));
    expect(p.bytes).toBeGreaterThan(3 * BIG_BODY.length);
    expect(p.bytes).toBeLessThan(3 * BIG_BODY.length + 2_000);
    expect(['EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED', 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED']).toContain(p.eventType);
    expect(unit.largestHistoryBytes.bytes).toBeGreaterThanOrEqual(g12.bytes);

    expect(budgetViolations(types)).toEqual([]);
    expect(() => assertWithinBudget(types)).not.toThrow();
    expect(budgetTable(types)).toMatch(/^unitWorkflow +6 /m);
  });
});

describe('a continue-as-new chain', () => {
  it('measures every run, from the latest back to the first', async () => {
    const workflowBundle = await bundleWorkflowCode({ workflowsPath: join(__dirname, 'chain-workflow.ts'), logger: quietLogger });
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'chain', workflowBundle });
    const result = await worker.runUntil(() => env.client.workflow.execute(chainWorkflow, { workflowId: 'chain-1', taskQueue: 'chain', args: [{ left: 2, pad: '' }] }));
    expect(result).toHaveLength(2_000);

    const runs = await measureExecution(env.client, { workflowId: 'chain-1' });
    expect(runs).toHaveLength(3);
    expect(new Set(runs.map((r) => r.runId)).size).toBe(3);
    expect(runs.map((r) => r.workflowType)).toEqual(['chainWorkflow', 'chainWorkflow', 'chainWorkflow']);
    // the latest run first: its input and its result each carry 2,000 bytes of padding
    expect(runs.map((r) => Math.round((r.largestPayload?.bytes ?? 0) / 1_000))).toEqual([2, 2, 1]);
    const [type] = byWorkflowType(runs);
    expect(type).toMatchObject({ workflowType: 'chainWorkflow', runs: 3 });
    // one run only, when asked for one
    expect(await measureExecution(env.client, { workflowId: 'chain-1', runId: runs[2]!.runId })).toEqual([runs[2]]);
  });
});

describe('budget verdicts', () => {
  const run = (over: Partial<RunMeasure>): RunMeasure => ({
    workflowId: 'cycle-2027-R/G11',
    runId: 'run-1',
    workflowType: 'unitWorkflow',
    events: 100,
    bytes: 50_000,
    largestPayload: { bytes: 1_000, workflowId: 'cycle-2027-R/G11', runId: 'run-1', eventId: 5, eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED', path: 'x' },
    ...over,
  });

  it('folds runs per type, keeping the largest of each figure with where it was', () => {
    const types: TypeBudget[] = byWorkflowType([
      run({ runId: 'a', events: 300 }),
      run({ runId: 'b', bytes: 90_000 }),
      run({ workflowType: 'cycleWorkflow', workflowId: 'cycle-2027-R' }),
    ]);
    expect(types.map((t) => [t.workflowType, t.runs])).toEqual([
      ['cycleWorkflow', 1],
      ['unitWorkflow', 2],
    ]);
    expect(types[1]!.largestHistoryEvents).toMatchObject({ events: 300, runId: 'a' });
    expect(types[1]!.largestHistoryBytes).toMatchObject({ bytes: 90_000, runId: 'b' });
  });

  it('names each figure over budget: events at the warning line, bytes past it, a payload past 256 KiB', () => {
    const types = byWorkflowType([
      run({ events: HISTORY_EVENTS_BUDGET }),
      run({ workflowType: 'cycleWorkflow', bytes: 10 * 1024 * 1024 }),
      run({ workflowType: 'unitBatchWorkflow', largestPayload: { ...run({}).largestPayload!, bytes: PAYLOAD_BUDGET_BYTES + 1 } }),
      run({ workflowType: 'fine', largestPayload: { ...run({}).largestPayload!, bytes: PAYLOAD_BUDGET_BYTES } }),
    ]);
    const violations = budgetViolations(types);
    expect(violations).toEqual([
      expect.stringMatching(/^cycleWorkflow: history of 10\.00 MiB/),
      expect.stringMatching(/^unitBatchWorkflow: payload of 256\.0 KiB .*WORKFLOW_EXECUTION_SIGNALED/),
      expect.stringMatching(/^unitWorkflow: 10240 events/),
    ]);
    expect(() => assertWithinBudget(types)).toThrow(/over the history\/payload budget/);
  });
});
