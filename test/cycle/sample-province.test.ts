// The sample province (examples/province-units.csv: a root, 8 intermediate unions, 63 grassroots unions)
// through a whole cycle with every unit on time, on the real time-skipping server.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cycleAggregate, cyclePlan, submit } from '../../client/cycles';
import { cycleWorkflow } from '../../workflows/cycle';
import { cycleId as makeCycleId, unitWorkflowId } from '../../workflows/ids';
import { FIGURE_KEYS, ZERO_FIGURES } from '../../workflows/report';
import { createCycleHarness, SAMPLE_PROVINCE_CSV, type CycleHarness } from '../support/cycle-harness';
import { cycleInput, planFor, reportFor, TREE_AS_OF, untilTreeStarted } from '../support/cycle-fixtures';
import { treeAsOf } from '../../activities/directory/repository';
import { recordHistories } from '../support/histories';
import { createTimeSkippingEnv } from '../support/temporal';

let env: TestWorkflowEnvironment;
let h: CycleHarness;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  h = await createCycleHarness(env, { csv: SAMPLE_PROVINCE_CSV }, 'province');
});
afterAll(async () => {
  await h?.close();
  await env?.teardown();
});

it('runs a whole cycle of the sample province with every unit on time', { timeout: 600_000 }, async () => {
  const root = (await h.db.selectFrom('units').select('id').where('kind', '=', 'root').executeTakeFirstOrThrow()).id;
  // the tree of the cycle's date (the sample has a union dissolved in 2023: it is not part of it)
  const units = (await treeAsOf(h.db, root, TREE_AS_OF)).map((n) => n.unit);
  expect(units.length).toBeGreaterThanOrEqual(70);
  const ids = units.map((u) => u.id);
  const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
  const cycleId = makeCycleId(year, root);
  const worker = await h.newWorker();
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(cycleWorkflow, { workflowId: cycleId, taskQueue: h.taskQueue, args: [cycleInput(cycleId, year, root)] });
    await untilTreeStarted(env.client, cycleId, ids.length);
    const plan = (await cyclePlan(env.client, cycleId))!;
    expect(plan.levels).toHaveLength(3);

    // bottom-up, as offices do: grassroots first, then intermediates, the secretariat last
    const order = [...units].sort((a, b) => ['grassroots', 'intermediate', 'root'].indexOf(a.kind) - ['grassroots', 'intermediate', 'root'].indexOf(b.kind));
    for (const phase of ['plan', 'report'] as const) {
      for (let i = 0; i < order.length; i += 10) {
        const receipts = await Promise.all(
          order.slice(i, i + 10).map((u) =>
            submit(env.client, { cycleId, unitId: u.id, phase, content: phase === 'plan' ? planFor(u.id, year) : reportFor(u.id, ids.indexOf(u.id)), channel: 'test' }),
          ),
        );
        expect(receipts.every((r) => r.version === 1 && !r.late)).toBe(true);
      }
    }
    const { aggregate } = await handle.result();

    const below = ids.length - 1;
    for (const phase of ['plan', 'report'] as const) {
      expect(aggregate.below[phase].expected).toBe(below);
      expect(aggregate.below[phase].submittedOnTime.total).toBe(below);
      expect(aggregate.rates[phase]).toEqual({ completeness: 100, timeliness: 100 });
    }
    const expected = { ...ZERO_FIGURES };
    for (const id of ids) for (const k of FIGURE_KEYS) expected[k] += reportFor(id, ids.indexOf(id)).figures[k];
    expect(aggregate.totalFigures).toEqual(expected);
    expect(aggregate.below.commendations.total).toBe(ids.filter((id) => ids.indexOf(id) % 9 === 0 && id !== root).length);

    // each intermediate's aggregate is exactly the sum over its own units
    const intermediates = units.filter((u) => u.kind === 'intermediate');
    let sumOfIntermediates = 0;
    for (const u of intermediates) {
      const a = await cycleAggregate(env.client, cycleId, u.id);
      sumOfIntermediates += a.below.report.expected + 1;
    }
    expect(sumOfIntermediates).toBe(below);

    const tasks = await h.db.selectFrom('mail_outbox').select('unit_id').where('purpose', '=', 'task-assignment').execute();
    expect(tasks).toHaveLength(ids.length);
    expect(await h.db.selectFrom('mail_outbox').select('key').where('purpose', '=', 'reminder').execute()).toHaveLength(0);
    await h.dispatcher.idle();
    const task = h.sink.messages.find((m) => m.subject.includes(String(year)) && m.to.length > 0)!;
    expect(task.subject).toMatch(/[ạảãáàăắằẳẵặâấầẩẫậđêếềểễệôốồổỗộơớờởỡợưứừửữự]/);
    await recordHistories(env.client, 'province', [cycleId, unitWorkflowId(cycleId, root), unitWorkflowId(cycleId, intermediates[0]!.id)]);
  });
});
