// The BaocaoCampaign search attribute on the cluster tier's server (npm run test:cluster: Temporal on PostgreSQL
// with SQL advanced visibility, the namespace made by deploy/temporal/setup-namespace.sh): one visibility query
// lists every workflow of a campaign's cycle, as test/campaigns/cycle-cli.test.ts checks on the dev server. The
// campaign gets an id of its own here, so its cycle's workflow ids are this file's alone on the shared server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCampaign } from '../../activities/campaigns/repository';
import { campaignUnitStatus, startCampaignCycle } from '../../client/campaign-cycles';
import { unitWorkflowId } from '../../workflows/ids';
import { CAMPAIGN, CYCLE, UNIT } from '../../workflows/search-attributes';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { smallTree, until } from '../support/cycle-fixtures';
import { createLocalEnv } from '../support/temporal';

const httpUrl = process.env.BAOCAO_TEST_TEMPORAL_HTTP_URL;
const EXAMPLE = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json'), 'utf8')) as { definition: Record<string, unknown> };
/** this file's own campaign: no other test starts a cycle of it */
const CAMPAIGN_ID = 'cluster-visibility-quarterly';
const UNITS = smallTree();

describe.runIf(httpUrl)('the BaocaoCampaign search attribute on the cluster tier', () => {
  let env: TestWorkflowEnvironment;
  let h: CycleHarness;
  beforeAll(async () => {
    env = await createLocalEnv();
    h = await createCycleHarness(env, { units: UNITS }, 'cluster-campaign-visibility');
  });
  afterAll(async () => {
    await h?.close();
    await env?.teardown();
  });

  it('lists every workflow of a campaign’s cycle with one query, and only those', { timeout: 240_000 }, async () => {
    // a year of its own too, two ahead: the campaign tests of the dev-server tier use next year's
    const year = new Date().getUTCFullYear() + 2;
    await importCampaign(h.db, { id: CAMPAIGN_ID, definition: EXAMPLE.definition }, { by: 'test' });
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      const { cycleId } = await startCampaignCycle(env.client, h.taskQueue, h.db, { year, rootUnitId: 'R', campaign: CAMPAIGN_ID });
      try {
        await until('the tree has started', async () => (await campaignUnitStatus(env.client, cycleId, 'R').catch(() => null))?.aggregate.phases.q1?.expected === UNITS.length);
        const expected = [cycleId, ...UNITS.map((u) => unitWorkflowId(cycleId, u.id))].sort();
        const listed = async (query: string) => {
          const ids: string[] = [];
          for await (const wf of env.client.workflow.list({ query })) ids.push(wf.workflowId);
          // a workflow that continued as new is listed once per run
          return [...new Set(ids)].sort();
        };
        // SQL visibility lags the starts a little
        await until('visibility lists the campaign’s workflows', async () => (await listed(`${CAMPAIGN.name} = '${CAMPAIGN_ID}'`)).length === expected.length);
        expect(await listed(`${CAMPAIGN.name} = '${CAMPAIGN_ID}'`)).toEqual(expected);
        expect(await listed(`${CAMPAIGN.name} = '${CAMPAIGN_ID}' AND ${CYCLE.name} = '${cycleId}'`)).toEqual(expected);
        // with the unit attribute: one node's workflow of the campaign
        expect(await listed(`${CAMPAIGN.name} = '${CAMPAIGN_ID}' AND ${UNIT.name} = 'I1' AND ${CYCLE.name} = '${cycleId}'`)).toEqual([unitWorkflowId(cycleId, 'I1')]);
        // another campaign's name lists none of them
        expect(await listed(`${CAMPAIGN.name} = '${CAMPAIGN_ID}-other' AND ${CYCLE.name} = '${cycleId}'`)).toEqual([]);
      } finally {
        await env.client.workflow.getHandle(cycleId).terminate('test done');
      }
    });
  });
});
