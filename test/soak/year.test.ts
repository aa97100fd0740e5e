// The full-year soak of issue 10: a generated 3-level tree on the time-skipping server, every unit plans and
// reports, 20% of the reports returned once and resubmitted, 10% late in each phase, 5% extended, every reminder
// and escalation round firing (test/soak/driver.ts); then the largest history (events, bytes) and the largest
// payload of each workflow type must stay within the budget: payload ≤ 256 KiB, history < 10 MiB and < 10,240 events.
import { loadavg } from 'node:os';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCycleHarness, workflowBundle, type CycleHarness } from '../support/cycle-harness';
import { budgetTable, budgetViolations, cycleExecutions, measureExecutions } from '../support/history-budget';
import { createTimeSkippingEnv, installQuietRuntime } from '../support/temporal';
import { createSoakWorker, runSoakYear, soakBehaviours, soakTree } from './driver';

/**
 * The tree size `npm test` runs: a whole year with every behaviour of the soak in a few minutes on 2 cores (the
 * issue's 2,000 units take about 30 min there: BAOCAO_SOAK_UNITS=2000 with NODE_OPTIONS=--max-old-space-size=8192,
 * or bench:soak, runs them on demand).
 */
export const CI_SOAK_UNITS = 200;
export const SOAK_UNITS = Number(process.env.BAOCAO_SOAK_UNITS ?? CI_SOAK_UNITS);
/** Real time one instant of the year may take before the run is called stalled (the driver's default is 20 min). */
const STEP_LIMIT_MS = SOAK_UNITS <= CI_SOAK_UNITS ? 5 * 60_000 : 20 * 60_000;

const units = soakTree(SOAK_UNITS);
let env: TestWorkflowEnvironment;
let h: CycleHarness;
beforeAll(async () => {
  installQuietRuntime();
  env = await createTimeSkippingEnv();
  h = await createCycleHarness(env, { units }, 'soak-year');
});
afterAll(async () => {
  await h?.close();
  await env?.teardown();
});

// `npm test` runs CI_SOAK_UNITS; BAOCAO_SOAK_UNITS=N another size (2,000 as the issue asks: longer than the
// suite's budget on a 2-core machine; bench:soak prints the same figures for 500, 2,000 and 8,000 units).
// Before the bounded workflows of issue 10 it failed: the cycle workflow received the root's whole rollup on
// every change, 1,027 events / 1.93 MiB at 200 units and growing faster than N. The assertion is explicit:
// budgetViolations(...) must be empty, and the table of figures is printed either way.
it(`a full year of ${SOAK_UNITS} units keeps every workflow type within the history and payload budget`, { timeout: SOAK_UNITS <= CI_SOAK_UNITS ? 20 * 60_000 : 90 * 60_000 }, async () => {
  const worker = await createSoakWorker({ connection: env.nativeConnection, db: h.db, mailer: h.mailer, config: h.config, workflowBundle: await workflowBundle(), taskQueue: h.taskQueue });
  // a progress line per instant of the year (with the load average: the figures depend on it)
  const t0 = Date.now();
  const progress = (line: string) => process.stderr.write(`[soak ${SOAK_UNITS}] ${line} · ${((Date.now() - t0) / 1000).toFixed(0)} s · load ${loadavg()[0]!.toFixed(1)}\n`);
  const outcome = await worker.runUntil(() => runSoakYear({ client: env.client, clock: env, taskQueue: h.taskQueue, units, progress, stepLimitMs: STEP_LIMIT_MS }));

  // the year happened as generated: every unit counted, the late ones late, nobody missing
  const behaviours = soakBehaviours(units).filter((b) => b.depth > 0);
  const { below } = outcome.result.aggregate;
  for (const phase of ['plan', 'report'] as const) {
    expect(below[phase].expected).toBe(SOAK_UNITS - 1);
    expect(below[phase].notSubmitted.total).toBe(0);
    expect(below[phase].submittedLate.total).toBe(behaviours.filter((b) => b[phase] === 'late').length);
  }
  expect(outcome.counts.returns).toBe(behaviours.filter((b) => b.returned).length);
  const everyone = soakBehaviours(units);
  expect(outcome.counts.extensions).toBe(everyone.filter((b) => b.plan === 'extended').length + everyone.filter((b) => b.report === 'extended').length);

  // every reminder and escalation round fired: each unit not extended got every reminder of its level before it
  // submitted, and each round of the grassroots level chased someone (the late units submit after the last one)
  const audits = await h.db.selectFrom('audit_log').select(['kind', 'data_json']).where('cycle_id', '=', outcome.cycleId).where('kind', 'in', ['reminder-sent', 'escalation']).execute();
  const data = audits.map((a) => ({ kind: a.kind, ...(JSON.parse(a.data_json) as { phase: string; round?: number }) }));
  const grassroots = outcome.plan.levels[2]!;
  for (const phase of ['plan', 'report'] as const) {
    const reminders = everyone
      .filter((b) => b[phase] !== 'extended')
      .reduce((n, b) => n + outcome.plan.levels[Math.min(b.depth, outcome.plan.levels.length - 1)]![phase].reminders.length, 0);
    expect(data.filter((d) => d.kind === 'reminder-sent' && d.phase === phase).length).toBeGreaterThanOrEqual(reminders);
    for (const { round } of grassroots[phase].escalations) expect(data.some((d) => d.kind === 'escalation' && d.phase === phase && d.round === round), `${phase} round ${round}`).toBe(true);
  }

  const types = await measureExecutions(env.client, cycleExecutions(outcome.cycleId, units));
  expect(types.map((t) => t.workflowType)).toEqual(expect.arrayContaining(['cycleWorkflow', 'unitWorkflow']));
  process.stdout.write(`full year of ${SOAK_UNITS} units:\n${budgetTable(types)}\n`);
  expect(budgetViolations(types), budgetTable(types)).toEqual([]);
});
