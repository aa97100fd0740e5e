// Rehearsals of campaign cycles on the real time-skipping server and the production worker wiring, over the small
// tree with the quarterly example (examples/campaign-quarterly.json):
//   R → I1 → G11, G12
//     → I2 → G21
// A rehearsal compresses the whole calendar of every phase — deadlines, reminders, escalations, the close — into a
// few minutes of real time, as the built-in rehearsals do (workflows/timeline.ts). Time moves only with env.sleep.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCampaign } from '../../activities/campaigns/repository';
import { campaignCycleStatus, campaignSubmit, campaignUnitStatus, startCampaignCycle } from '../../client/campaign-cycles';
import { campaignFileSchema } from '../../domain/campaign';
import { unitWorkflowId } from '../../workflows/ids';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { smallTree, until } from '../support/cycle-fixtures';
import { recordHistories } from '../support/histories';
import { createTimeSkippingEnv } from '../support/temporal';

const FILE = campaignFileSchema.parse(JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json'), 'utf8')));
const UNITS = smallTree();
const ALL = UNITS.map((u) => u.id);
const content = (id: string, q: number) => ({ results: `Quý ${q}: ${id} tổ chức huấn luyện an toàn, tiếng Việt có dấu.`, figures: { trainingSessions: q, trainedWorkers: 10 * q, safetyNetworkRate: 50.5, accidents: 0 } });

let env: TestWorkflowEnvironment;
let h: CycleHarness;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  h = await createCycleHarness(env, { units: UNITS }, 'campaign-rehearsal');
  await importCampaign(h.db, { id: FILE.id, definition: FILE.definition }, { by: 'test' });
}, 120_000);
afterAll(async () => {
  await h?.close();
  await env?.teardown();
});

describe('a real cycle of a campaign beside rehearsals', () => {
  it('is no rehearsal: its id is the campaign’s cycle of the year and its deadlines are the calendar’s', { timeout: 120_000 }, async () => {
    const client = env.client;
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
      const { cycleId } = await startCampaignCycle(client, h.taskQueue, h.db, { year, rootUnitId: 'R', campaign: FILE.id });
      expect(cycleId).toBe(`cycle-${year}-R~${FILE.id}`);
      await until('the whole tree has started', async () => (await campaignUnitStatus(client, cycleId, 'R').catch(() => null))?.aggregate.phases.q1!.expected === ALL.length);
      expect((await campaignCycleStatus(client, cycleId)).rehearsal).toBe(false);
      await campaignSubmit(client, h.db, { cycleId, unitId: 'G11', phase: 'q1', content: content('G11', 1), channel: 'test' });
      await until('R counts G11', async () => (await campaignUnitStatus(client, cycleId, 'R')).aggregate.phases.q1!.submittedOnTime.total === 1);
      await recordHistories(client, 'campaign-rehearsal-before', [cycleId, unitWorkflowId(cycleId, 'R'), unitWorkflowId(cycleId, 'G11')]);
      await client.workflow.getHandle(cycleId).terminate('test done');
    });
  });
});
