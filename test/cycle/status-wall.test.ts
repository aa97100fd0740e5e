// `baocao cycle status` tells the truth about a rehearsal's deadlines: each one as its calendar date and as the
// real time it falls at (`wallAt`, from the cycle plan's timeline); for a real cycle the two are the same.
// Time-skipping server, production worker, the CLI in-process.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DeadlinePlan } from '../../activities/calendar/types';
import { registerCycleCommands } from '../../client/cli/commands/cycle';
import { cyclePath } from '../../client/web/views/staff';
import { cyclePlan, startCycle, type PlanDeadlineTimes, type UnitStatusWithWallTimes } from '../../client/cycles';
import { toWallMs } from '../../workflows/timeline';
import { runHarnessCli } from '../support/cli';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { smallTree, untilTreeStarted } from '../support/cycle-fixtures';
import { createTimeSkippingEnv } from '../support/temporal';
import { signInByEmail, startWebApp } from '../web/support';

let env: TestWorkflowEnvironment;
let h: CycleHarness;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  h = await createCycleHarness(env, { units: smallTree() }, 'status-wall');
}, 180_000);
afterAll(async () => {
  await h?.close();
  await env?.teardown();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const cli = (...args: string[]) => runHarnessCli(env.address, h, registerCycleCommands, ...args);

const expectedWall = (instant: string, plan: DeadlinePlan) => new Date(Math.round(toWallMs(instant, plan.timeline))).toISOString();

interface StatusJson {
  rehearsal: boolean;
  deadlines: PlanDeadlineTimes;
  rootStatus: UnitStatusWithWallTimes;
}

describe('cycle status shows when each deadline really falls', () => {
  it('in a rehearsal: the calendar date and the real time within the rehearsal’s minutes, in JSON and text', async () => {
    const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      const { cycleId } = await startCycle(env.client, h.taskQueue, { year, rootUnitId: 'R', rehearsalMinutes: 30 });
      await untilTreeStarted(env.client, cycleId, 6);
      const plan = (await cyclePlan(env.client, cycleId))!;
      expect(plan.timeline.kind).toBe('rehearsal');
      if (plan.timeline.kind !== 'rehearsal') return;
      const wallStart = Date.parse(plan.timeline.wallStart);

      const run = await cli('cycle', 'status', cycleId, '--json');
      expect(run.error).toBeUndefined();
      const status = JSON.parse(run.stdout) as StatusJson;
      expect(status.deadlines.rehearsal).toBe(true);
      expect(status.deadlines.levels).toHaveLength(3);
      for (const [i, level] of status.deadlines.levels.entries()) {
        for (const phase of ['plan', 'report'] as const) {
          const d = level[phase];
          expect(d).toEqual({ dueDate: plan.levels[i]![phase].dueDate, dueAt: plan.levels[i]![phase].dueAt, wallAt: expectedWall(d.dueAt, plan) });
          expect(d.dueAt.startsWith(String(year)) || d.dueAt.startsWith(String(year + 1))).toBe(true);
          // a year of deadlines falls within the rehearsal's 30 minutes of real time
          expect(Date.parse(d.wallAt)).toBeGreaterThan(wallStart);
          expect(Date.parse(d.wallAt)).toBeLessThanOrEqual(wallStart + 30 * 60_000);
        }
      }
      // lower levels are due earlier, in the calendar and so in real time
      const planWalls = status.deadlines.levels.map((l) => Date.parse(l.plan.wallAt));
      expect([...planWalls].sort((a, b) => b - a)).toEqual(planWalls);
      expect(status.deadlines.closesAt).toEqual({ at: plan.closesAt, wallAt: expectedWall(plan.closesAt, plan) });
      expect(status.rootStatus.plan.deadlines.wallAt).toBe(status.deadlines.levels[0]!.plan.wallAt);
      expect(status.rootStatus.report.deadlines.wallAt).toBe(status.deadlines.levels[0]!.report.wallAt);

      const unit = JSON.parse((await cli('cycle', 'status', cycleId, '--unit', 'G11', '--json')).stdout) as UnitStatusWithWallTimes;
      expect(unit.plan.deadlines).toMatchObject({ dueAt: plan.levels[2]!.plan.dueAt, wallAt: status.deadlines.levels[2]!.plan.wallAt });

      const text = (await cli('cycle', 'status', cycleId)).stdout;
      expect(text).toContain('Deadlines: calendar date → the real time it falls at in this rehearsal (Asia/Ho_Chi_Minh)');
      expect(text).toMatch(/^ {2}level 2 {2}plan \d\d\/\d\d\/\d{4} \d\d:\d\d → \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d {2}· {2}report /m);
      expect(text).toMatch(/^ {2}plan {4}due \d\d\/\d\d\/\d{4} 23:59 → \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d real time \/ giờ thực · /m);

      // the web app's cycle page: each level's deadlines, the close and the focus unit's deadlines, with their real time
      const web = await startWebApp({ config: h.config, db: h.db, client: env.client, taskQueue: h.taskQueue, mailer: h.mailer });
      try {
        const http = await signInByEmail(web.url, h.sink, 'r@example.vn');
        const page = await http.request(cyclePath(cycleId));
        expect(page.status).toBe(200);
        const shown = [...page.text.matchAll(/data-wall-at="([^"]+)">\(giờ thực trong diễn tập: (\d\d:\d\d:\d\d \d\d\/\d\d\/\d{4})\)/g)].map((m) => m[1]);
        const levels = status.deadlines.levels.flatMap((l) => [l.plan.wallAt, l.report.wallAt]);
        const focus = [status.rootStatus.plan.deadlines.wallAt, status.rootStatus.report.deadlines.wallAt];
        expect(shown).toEqual([...levels, status.deadlines.closesAt.wallAt, ...focus]);
      } finally {
        await web.close();
      }

      await env.client.workflow.getHandle(cycleId).terminate('test over');
    });
  });

  it('in a real cycle: wallAt is the deadline itself', async () => {
    const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 2;
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      const { cycleId } = await startCycle(env.client, h.taskQueue, { year, rootUnitId: 'R' });
      await untilTreeStarted(env.client, cycleId, 6);
      const status = JSON.parse((await cli('cycle', 'status', cycleId, '--json')).stdout) as StatusJson;
      expect(status.deadlines.rehearsal).toBe(false);
      for (const l of status.deadlines.levels) {
        expect(l.plan.wallAt).toBe(l.plan.dueAt);
        expect(l.report.wallAt).toBe(l.report.dueAt);
      }
      expect(status.rootStatus.plan.deadlines.wallAt).toBe(status.rootStatus.plan.deadlines.dueAt);
      const text = (await cli('cycle', 'status', cycleId)).stdout;
      expect(text).toContain('Deadlines / Hạn nộp:');
      expect(text).not.toContain('real time');
      await env.client.workflow.getHandle(cycleId).terminate('test over');
    });
  });
});
