// A child's reports upward are paced (workflows/upward-pacing.ts): past a burst of UPWARD_BURST in a window, a
// report waits for the window and carries the latest state. On the real time-skipping server, over
//   R → I1 → G1 … G12
// twelve plans submitted one after the other (each reaching I1 in a task of its own, so I1 cannot batch them)
// reach the root in fewer reports than changes — before the pacing it was one report per change —, the root's
// totals are exact once the window has passed, and twelve reports submitted just before the close (held, then
// released in the last window) are all in the root's final aggregate.
import { describe, expect, it } from 'vitest';
import { submit, unitStatus } from '../../client/cycles';
import { unitWorkflowId } from '../../workflows/ids';
import { FIGURE_KEYS, ZERO_FIGURES } from '../../workflows/report';
import { UPWARD_BURST, UPWARD_WINDOW_MS, UpwardPacer } from '../../workflows/upward-pacing';
import { planFor, reportFor, until } from '../support/cycle-fixtures';
import { cycleScenario, fanTree, startCycleAtR } from '../support/cycle-scenario';
import { recordHistories } from '../support/histories';

const GRASSROOTS = Array.from({ length: 12 }, (_, i) => `G${i + 1}`);
const UNITS = fanTree('Liên đoàn Lao động tỉnh Nhịp Báo Cáo', 'Liên đoàn Lao động huyện Gộp Tin', GRASSROOTS);

describe('on the time-skipping server', () => {
  const s = cycleScenario('upward-pacing', { units: UNITS });

  /** childReport signals the root has received so far (its history: the root never continues as new here). */
  async function reportsAtRoot(cycleId: string): Promise<number> {
    const history = await s.client.workflow.getHandle(unitWorkflowId(cycleId, 'R')).fetchHistory();
    return history.events!.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'childReport').length;
  }

  it('paces I1’s reports to the root: fewer reports than changes, exact totals, nothing lost at the close', { timeout: 240_000 }, async () => {
    const { env, h } = s;
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      const { year, cycleId, handle, plan } = await startCycleAtR(s, UNITS.length);
      await env.sleep(UPWARD_WINDOW_MS); // start-up's reports are out of the window

      // twelve changes at I1, one at a time
      const before = await reportsAtRoot(cycleId);
      const startedMs = await env.currentTimeMs();
      for (const [i, id] of GRASSROOTS.entries()) {
        await submit(env.client, { cycleId, unitId: id, phase: 'plan', content: planFor(id, year), channel: 'test' });
        await until(`I1 counts ${i + 1} plans`, async () => (await unitStatus(env.client, cycleId, 'I1')).aggregate.below.plan.submittedOnTime.total === i + 1);
      }
      // time runs at the wall clock's pace while the test waits: the windows this took bound what may have gone up
      const windows = Math.ceil(((await env.currentTimeMs()) - startedMs) / UPWARD_WINDOW_MS);
      await env.sleep(UPWARD_WINDOW_MS + 1_000); // the held report's window has passed
      const root = await unitStatus(env.client, cycleId, 'R');
      expect(root.aggregate.below.plan.submittedOnTime.total).toBe(GRASSROOTS.length);
      const planReports = (await reportsAtRoot(cycleId)) - before;

      // twelve reports at once shortly before the close: what is held goes in the last window, before the finals
      const wait = Date.parse(plan.closesAt) - 1.5 * UPWARD_WINDOW_MS - (await env.currentTimeMs());
      await env.sleep(wait);
      await Promise.all(GRASSROOTS.map((id, i) => submit(env.client, { cycleId, unitId: id, phase: 'report', content: reportFor(id, i), channel: 'test' })));
      const { aggregate } = await handle.result();
      await recordHistories(env.client, 'pacing', [unitWorkflowId(cycleId, 'R'), unitWorkflowId(cycleId, 'I1'), unitWorkflowId(cycleId, 'G1')]);

      expect(aggregate.below.report.submittedLate.total + aggregate.below.report.submittedOnTime.total).toBe(GRASSROOTS.length);
      expect(aggregate.below.report.notSubmitted.total).toBe(1); // I1 itself never reported
      const total = { ...ZERO_FIGURES };
      for (const [i, id] of GRASSROOTS.entries()) for (const k of FIGURE_KEYS) total[k] += reportFor(id, i).figures[k];
      expect(aggregate.totalFigures).toEqual(total); // R and I1 submitted no report of their own
      // the plans' changes went up in at most a burst per window and the held latest state, not one per change
      expect(planReports).toBeGreaterThan(0);
      expect(planReports).toBeLessThanOrEqual(UPWARD_BURST * windows + 1);
      expect(planReports).toBeLessThan(GRASSROOTS.length);
    });
  });
});

it('the pacer lets a burst through, then one more report per freed slot of the window', () => {
  const pacer = new UpwardPacer(3, 30_000);
  for (const at of [0, 1_000, 2_000]) {
    expect(pacer.mayReport(at)).toBe(true);
    pacer.sent(at);
  }
  expect(pacer.mayReport(3_000)).toBe(false);
  pacer.held = true;
  expect(pacer.releaseAtMs()).toBe(30_000); // the oldest send leaves the window
  expect(pacer.mayReport(29_999)).toBe(false);
  expect(pacer.mayReport(30_000)).toBe(true);
  pacer.sent(30_000);
  expect(pacer.held).toBe(false);
  expect(pacer.releaseAtMs()).toBeUndefined();
  expect(pacer.mayReport(30_500)).toBe(false); // 1,000, 2,000 and 30,000 are in the window
  expect(pacer.mayReport(32_000)).toBe(true);
});
