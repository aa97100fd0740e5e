// The committed histories of campaign cycles (v4-campaign-*, recorded by test/campaigns/campaign-cycle.test.ts
// before the close archived and mailed; v5-campaign-close-*, by campaign-close.test.ts after it; v7-campaign-
// rehearsal-*, by campaign-rehearsal.test.ts, a real cycle before campaign rehearsals and a rehearsal) are of the
// campaign workflow types, so test/cycle/replay.test.ts replays them against campaignCycleWorkflow and
// campaignUnitWorkflow — a run before and after a continue-as-new among them — while the v1–v4 histories of the
// built-in types keep replaying against cycleWorkflow and unitWorkflow, unchanged. v8-lists-* are the campaign
// scenarios recorded again past patch v8-campaign-lists-below (their scenario's name after the tag).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAMPAIGN_CLOSE_ARCHIVE_PATCH, CAMPAIGN_FAN_OUT_GROUPS_PATCH, CAMPAIGN_REMIND_NOW_PATCH } from '../../workflows/campaign-unit';
import { CAMPAIGN_LISTS_BELOW_PATCH } from '../../workflows/campaign-lists-below';
import { HISTORIES_DIR, patchesOf, readHistory } from '../support/histories';

const typeOf = (file: string) => readHistory(readFileSync(join(HISTORIES_DIR, file), 'utf8')).events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'));
const isCampaign = (f: string) => /^(v8-lists-)?v\d+-campaign-/.test(f);
const isFanOutAfter = (f: string) => /^(v8-lists-)?v7-campaign-fanout-after-/.test(f);
describe('histories of campaign cycles', () => {
  it('are recorded for both campaign workflow types, a continued run included', () => {
    const campaign = files.filter((f) => f.startsWith('v4-campaign-'));
    expect(new Set(campaign.map(typeOf))).toEqual(new Set(['campaignCycleWorkflow', 'campaignUnitWorkflow']));
    expect(campaign.some((f) => f.endsWith('--previous-run.json'))).toBe(true);
  });

  it('hold the close that archives and mails (patch campaign-close-archive) in v5 and not in v4', () => {
    expect(files.filter((f) => f.startsWith('v5-campaign-close-')).length).toBeGreaterThanOrEqual(3);
    for (const f of files.filter((x) => x.startsWith('v4-campaign-'))) expect(patchesOf(f)).not.toContain(CAMPAIGN_CLOSE_ARCHIVE_PATCH);
    for (const f of files.filter((x) => x.startsWith('v5-campaign-close-') && typeOf(x) === 'campaignUnitWorkflow')) expect(patchesOf(f)).toContain(CAMPAIGN_CLOSE_ARCHIVE_PATCH);
  });

  it('hold "remind now" of a campaign phase (patch campaign-remind-now) in v6-campaign-remind and in no history recorded before it', () => {
    const remind = files.filter((f) => f.startsWith('v6-campaign-remind-'));
    expect(remind.length).toBeGreaterThanOrEqual(3);
    for (const f of files.filter((x) => /^v[45]-campaign-/.test(x))) expect(patchesOf(f)).not.toContain(CAMPAIGN_REMIND_NOW_PATCH);
    // G11 and G12 were reminded by hand; their supervisor I1 was not
    for (const f of remind.filter((x) => /_(G11|G12)\.json$/.test(x))) expect(patchesOf(f)).toContain(CAMPAIGN_REMIND_NOW_PATCH);
    expect(remind.filter((x) => /_(G11|G12)\.json$/.test(x))).toHaveLength(2);
  });

  it('hold a rehearsal of a campaign cycle (input rehearsalMinutes) in v7-campaign-rehearsal and a real cycle recorded before it in v7-campaign-rehearsal-before', () => {
    const inputOf = (file: string) => {
      const data = readHistory(readFileSync(join(HISTORIES_DIR, file), 'utf8')).events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
      return JSON.parse(Buffer.from(data!).toString('utf8')) as { cycleId: string; rehearsalMinutes?: number };
    };
    const cycles = (prefix: string) => files.filter((f) => f.startsWith(prefix) && typeOf(f) === 'campaignCycleWorkflow');
    const rehearsal = cycles('v7-campaign-rehearsal--');
    const before = cycles('v7-campaign-rehearsal-before--');
    expect(rehearsal).toHaveLength(1);
    expect(before).toHaveLength(1);
    expect(inputOf(rehearsal[0]!)).toMatchObject({ cycleId: expect.stringMatching(/^rehearsal-\d{4}-R-\d{14}~/), rehearsalMinutes: 20 });
    expect(inputOf(before[0]!)).not.toHaveProperty('rehearsalMinutes');
    expect(files.filter((f) => f.startsWith('v7-campaign-rehearsal-')).length).toBeGreaterThanOrEqual(6);
  });

  it('hold the groups of a wide unit (patch campaign-fan-out-groups) in v7-campaign-fanout-after, of the group type too, and not before', () => {
    const after = files.filter(isFanOutAfter);
    expect(new Set(after.map(typeOf))).toEqual(new Set(['campaignUnitWorkflow', 'campaignGroupWorkflow']));
    expect(patchesOf(after.find((f) => f.endsWith('_R.json'))!)).toContain(CAMPAIGN_FAN_OUT_GROUPS_PATCH);
    const before = files.filter((f) => f.startsWith('v7-campaign-fanout-before-'));
    expect(before.length).toBeGreaterThanOrEqual(2);
    // every campaign history recorded before the patch (v4–v7, the fan-out ones excepted) started its children itself
    const recordedBefore = files.filter((x) => /^v[4-7]-campaign-/.test(x) && !x.startsWith('v7-campaign-fanout-after-'));
    for (const f of recordedBefore) expect(patchesOf(f)).not.toContain(CAMPAIGN_FAN_OUT_GROUPS_PATCH);
  });

  it('hold the lists naming units below (patch v8-campaign-lists-below) in every unit and group of v8-lists, and in no history recorded before', () => {
    const lists = files.filter((f) => f.startsWith('v8-lists-'));
    const workers = lists.filter((f) => typeOf(f) !== 'campaignCycleWorkflow');
    expect(new Set(workers.map(typeOf))).toEqual(new Set(['campaignUnitWorkflow', 'campaignGroupWorkflow']));
    expect(workers.length).toBeGreaterThanOrEqual(10);
    for (const f of workers) expect(patchesOf(f), f).toContain(CAMPAIGN_LISTS_BELOW_PATCH);
    // a run before and after a continue-as-new, and the deeper unit of the fan-out tree
    expect(workers.some((f) => f.endsWith('--previous-run.json'))).toBe(true);
    expect(workers.some((f) => f.endsWith('_H0.json'))).toBe(true);
    for (const f of files.filter((x) => !x.startsWith('v8-lists-'))) expect(patchesOf(f), f).not.toContain(CAMPAIGN_LISTS_BELOW_PATCH);
  });

  it('leave the built-in types to the histories recorded before campaigns', () => {
    const builtin = files.filter((f) => !isCampaign(f));
    expect(builtin.length).toBeGreaterThan(0);
    for (const f of builtin) expect(['cycleWorkflow', 'unitWorkflow', 'unitBatchWorkflow', 'programmeYearWorkflow']).toContain(typeOf(f));
  });
});
