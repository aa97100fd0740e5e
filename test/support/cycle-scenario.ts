// The set-up the cycle scenarios share: a fresh time-skipping server and cycle harness for each test (so that a
// test vitest retries — a run the server stranded, test/support/stranded.ts — starts on a clean server), the
// small fan trees R → I1 → G…, and starting the built-in cycle at R up to its whole tree.
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach } from 'vitest';
import type { UnitInput } from '../../activities/directory/types';
import { CycleRequestError, cyclePlan } from '../../client/cycles';
import { cycleWorkflow } from '../../workflows/cycle';
import { cycleId as makeCycleId } from '../../workflows/ids';
import { cycleInput, untilTreeStarted } from './cycle-fixtures';
import { createCycleHarness, type CycleHarness } from './cycle-harness';
import { generatedUnit } from './generated-units';
import { createTimeSkippingEnv } from './temporal';

export interface CycleScenario {
  readonly env: TestWorkflowEnvironment;
  readonly h: CycleHarness;
  readonly client: Client;
}

/** Registers, in the calling suite, a fresh server and harness per test over `directory`; read them inside the test. */
export function cycleScenario(name: string, directory: { units: UnitInput[] } | { csv: string }): CycleScenario {
  let env: TestWorkflowEnvironment | undefined;
  let h: CycleHarness | undefined;
  beforeEach(async () => {
    env = await createTimeSkippingEnv();
    h = await createCycleHarness(env, directory, name);
  });
  afterEach(async () => {
    await h?.close();
    await env?.teardown();
  });
  return {
    get env() {
      return env!;
    },
    get h() {
      return h!;
    },
    get client() {
      return env!.client;
    },
  };
}

/** R → I1 → the grassroots `ids` ("Công đoàn cơ sở Công ty Số 1" …), with generated contacts. */
export function fanTree(rootName: string, intermediateName: string, ids: string[]): UnitInput[] {
  return [
    generatedUnit('R', rootName, 'root', null),
    generatedUnit('I1', intermediateName, 'intermediate', 'R'),
    ...ids.map((id, i) => generatedUnit(id, `Công đoàn cơ sở Công ty Số ${i + 1}`, 'grassroots', 'I1')),
  ];
}

/** Starts next year's built-in cycle at R on the scenario's task queue and waits until its `units` have started. */
export async function startCycleAtR(s: CycleScenario, units: number): Promise<{ year: number; cycleId: string; handle: WorkflowHandle<typeof cycleWorkflow>; plan: NonNullable<Awaited<ReturnType<typeof cyclePlan>>> }> {
  const year = new Date(await s.env.currentTimeMs()).getUTCFullYear() + 1;
  const cycleId = makeCycleId(year, 'R');
  const handle = await s.client.workflow.start(cycleWorkflow, { workflowId: cycleId, taskQueue: s.h.taskQueue, args: [cycleInput(cycleId, year, 'R')] });
  await untilTreeStarted(s.client, cycleId, units);
  return { year, cycleId, handle, plan: (await cyclePlan(s.client, cycleId))! };
}

/** 'accepted', or the message of the CycleRequestError the request was refused with. */
export const refusal = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'accepted',
    (err: unknown) => (err instanceof CycleRequestError ? err.message : `unexpected ${String(err)}`),
  );
