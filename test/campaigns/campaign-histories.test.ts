// The committed histories of campaign cycles (v4-campaign-*, recorded by test/campaigns/campaign-cycle.test.ts)
// are of the campaign workflow types, so test/cycle/replay.test.ts replays them against campaignCycleWorkflow and
// campaignUnitWorkflow — a run before and after a continue-as-new among them — while the v1–v4 histories of the
// built-in types keep replaying against cycleWorkflow and unitWorkflow, unchanged.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HISTORIES_DIR, readHistory } from '../support/histories';

const typeOf = (file: string) => readHistory(readFileSync(join(HISTORIES_DIR, file), 'utf8')).events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'));

describe('histories of campaign cycles', () => {
  it('are recorded for both campaign workflow types, a continued run included', () => {
    const campaign = files.filter((f) => f.startsWith('v4-campaign-'));
    expect(new Set(campaign.map(typeOf))).toEqual(new Set(['campaignCycleWorkflow', 'campaignUnitWorkflow']));
    expect(campaign.some((f) => f.endsWith('--previous-run.json'))).toBe(true);
  });

  it('leave the built-in types to the histories recorded before campaigns', () => {
    const builtin = files.filter((f) => !f.startsWith('v4-campaign-'));
    expect(builtin.length).toBeGreaterThan(0);
    for (const f of builtin) expect(['cycleWorkflow', 'unitWorkflow', 'unitBatchWorkflow', 'programmeYearWorkflow']).toContain(typeOf(f));
  });
});
