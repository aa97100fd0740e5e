// The pure rules of a campaign unit's state: aggregation by each figure's rule is associative and commutative (so
// the order in which reports arrive never matters), a unit counts once whatever it reports, and a parent at its
// campaign's fan-out limit carries its whole state through continue-as-new within the payload budget.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeCampaignPlan, loadCalendar } from '../../activities/calendar';
import { campaignFileSchema, checkCampaignDefinition } from '../../domain/campaign';
import { BUILTIN_CAMPAIGN, BUILTIN_CAMPAIGN_ID } from '../../domain/campaign-builtin';
import { aggregateFigures } from '../../domain/campaign-aggregation';
import { workflowViewOf } from '../../domain/campaign-view';
import { formatFieldProblems } from '../../domain/field-errors';
import { jsonBytes, PAYLOAD_BUDGET_BYTES } from '../../domain/text';
import type { CampaignUnitWorkflowInput } from '../../workflows/campaign-unit';
import { campaignMaxChildren } from '../../workflows/campaign-unit';
import { entriesHeld, groupReportOf } from '../../workflows/campaign-fan-out';
import { campaignListCap, keptSample, sampleAtMost } from '../../workflows/campaign-lists-below';
import {
  CAMPAIGN_OWN_RESERVE_BYTES,
  campaignAggregateOf,
  campaignBelowQuota,
  campaignEntryAtMost,
  campaignEntryMaxBytes,
  campaignChildReportOf,
  initialCampaignState,
  type CampaignChildEntry,
  type CampaignUnitState,
} from '../../workflows/campaign-state';

const file = campaignFileSchema.parse(JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json'), 'utf8')));
const check = checkCampaignDefinition(file.definition);
if (!check.ok) throw new Error(formatFieldProblems(check.problems));
const quarterly = workflowViewOf(file.id, 1, check.definition);

/** A quarter's figures of one unit, decimals included, or no report (null). */
const quarterValues = fc.option(
  fc.record({
    trainingSessions: fc.integer({ min: 0, max: 1000 }),
    trainedWorkers: fc.integer({ min: 0, max: 100_000 }),
    safetyNetworkRate: fc.integer({ min: 0, max: 1000 }).map((n) => n / 10),
    accidents: fc.integer({ min: 0, max: 2 }),
  }),
  { nil: null, freq: 4 },
);

/** A unit's state with its q1 figures (a submitted version when it reported). */
function unitWith(values: Record<string, number> | null): CampaignUnitState {
  const state = initialCampaignState(quarterly, Object.fromEntries(quarterly.phases.map((p) => [p.key, { dueDate: '2027-04-15', dueAt: '2027-04-15T16:59:59Z', reminders: [], escalations: [] }])));
  if (values) {
    state.phases.q1!.progress = { kind: 'submitted', version: 1, firstSubmittedAt: '2027-04-01T00:00:00Z', lastSubmittedAt: '2027-04-01T00:00:00Z', late: false };
    state.phases.q1!.figures = values;
  }
  return state;
}

describe('aggregation by rule in the workflow', () => {
  it('is the domain rule book’s: a tree of units aggregates to what aggregateFigures gives for its units flat', () => {
    const figures = quarterly.forms[0]!.figures;
    fc.assert(
      fc.property(quarterValues, fc.array(fc.array(quarterValues, { maxLength: 4 }), { maxLength: 5 }), (rootValues, groups) => {
        // root → intermediates (each its own values, the first of a group) → grassroots below them
        const root = unitWith(rootValues);
        groups.forEach((group, i) => {
          const mid = unitWith(group[0] ?? null);
          group.slice(1).forEach((v, j) => {
            const report = campaignChildReportOf(quarterly, `G${i}-${j}`, unitWith(v));
            mid.children[report.unitId] = { kind: 'grassroots', seq: 1, phases: report.phases, subtree: report.subtree };
          });
          const report = campaignChildReportOf(quarterly, `I${i}`, mid);
          root.children[report.unitId] = { kind: 'intermediate', seq: 1, phases: report.phases, subtree: report.subtree };
        });
        const flat = [rootValues, ...groups.flatMap((g) => (g.length === 0 ? [null] : g))];
        const expected = aggregateFigures(figures, flat);
        const aggregate = campaignAggregateOf(quarterly, 'cycle-2027-R~q', 'R', '2027-12-31T00:00:00Z', root);
        for (const f of figures) expect(aggregate.phases.q1!.figures[f.key]).toEqual({ ...expected[f.key], target: null });
        expect(aggregate.phases.q1!.expected).toBe(flat.length);
      }),
    );
  });

  it('follows each rule over the units that reported, and over none', () => {
    const values = [3, 0, 7.5, 0, 2];
    const root = unitWith(null);
    values.forEach((v, i) => {
      const report = campaignChildReportOf(quarterly, `G${i}`, unitWith({ trainingSessions: v, trainedWorkers: v, safetyNetworkRate: v, accidents: v }));
      root.children[report.unitId] = { kind: 'grassroots', seq: 1, phases: report.phases, subtree: report.subtree };
    });
    const q1 = campaignAggregateOf(quarterly, 'cycle-2027-R~q', 'R', '2027-12-31T00:00:00Z', root).phases.q1!.figures;
    expect(q1.trainingSessions).toEqual({ value: 12.5, reporting: 5, target: null });
    expect(q1.safetyNetworkRate).toEqual({ value: 7.5, reporting: 5, target: null });
    expect(q1.accidents).toEqual({ value: 3, reporting: 5, target: null });
    // nobody reported q2: a sum or a count of nothing is 0, a maximum of nothing has no value
    const q2 = campaignAggregateOf(quarterly, 'cycle-2027-R~q', 'R', '2027-12-31T00:00:00Z', root).phases.q2!.figures;
    expect(q2.trainingSessions).toEqual({ value: 0, reporting: 0, target: null });
    expect(q2.safetyNetworkRate).toEqual({ value: null, reporting: 0, target: null });
    expect(q2.accidents).toEqual({ value: 0, reporting: 0, target: null });
  });
});

describe('the byte budget of a campaign unit', () => {
  it('fits a parent at its fan-out limit, every child at its largest, through continue-as-new', async () => {
    const plan = computeCampaignPlan(await loadCalendar(), { year: 2027, depths: 5, phases: check.definition.phases, rules: check.definition.schedule });
    const limit = campaignMaxChildren(quarterly, plan);
    expect(limit).toBeGreaterThanOrEqual(90); // a province root has ≈ 50–100 units below
    expect(campaignEntryMaxBytes(quarterly)).toBeGreaterThan(1_500);

    const level = plan.levels[1]!.phases;
    const state = initialCampaignState(quarterly, level);
    const big = 999_999;
    const child = (): CampaignChildEntry => ({
      kind: 'intermediate',
      seq: Number.MAX_SAFE_INTEGER,
      phases: Object.fromEntries(quarterly.phases.map((p) => [p.key, { progress: 'accepted', version: big, late: false, overdue: false, extendedDueDate: '2099-12-31', remindersSent: big }])),
      subtree: {
        counts: Object.fromEntries(quarterly.phases.map((p) => [p.key, [big, big, big, big, big]])),
        figures: Object.fromEntries(quarterly.phases.map((p) => [p.key, Object.fromEntries(quarterly.forms[0]!.figures.map((f) => [f.key, { value: -Number.MAX_SAFE_INTEGER / 7, reporting: big }]))])),
        targets: {},
        listItems: Object.fromEntries(quarterly.phases.map((p) => [p.key, big])),
      },
    });
    for (let i = 0; i < limit; i++) state.children[`${'C'.repeat(58)}${String(i).padStart(6, '0')}`] = child();
    // a busy year of its own: every phase submitted 20 times, every reminder, due mark and digest handled
    for (let i = 0; i < 20 * quarterly.phases.length; i++)
      state.receipts[`k${String(i).padStart(63, '0')}`] = { unitId: 'U'.repeat(64), phase: 'q1', version: i + 1, submittedAt: plan.closesAt, late: true, duplicate: false, contentHash: 'f'.repeat(64) };
    for (const p of quarterly.phases) {
      const d = level[p.key]!;
      state.done.push(...d.reminders.map((r) => `reminder:${p.key}:${r}`), `due:${p.key}:${d.dueAt}`, ...d.escalations.map((e) => `escalation:${p.key}:${e.at}:${e.target}`));
    }
    const input: CampaignUnitWorkflowInput = {
      cycleId: `cycle-2027-${'R'.repeat(64)}~${'c'.repeat(48)}`,
      campaignId: 'c'.repeat(48),
      version: big,
      year: 2027,
      unitId: 'U'.repeat(64),
      kind: 'intermediate',
      depth: 1,
      parentUnitId: 'P'.repeat(64),
      grandparentUnitId: 'G'.repeat(64),
      rootUnitId: 'R'.repeat(64),
      reportToWorkflowId: 'W'.repeat(200),
      view: quarterly,
      plan,
      childCount: limit,
      resume: state,
    };
    const bytes = jsonBytes(input);
    expect(bytes).toBeLessThanOrEqual(PAYLOAD_BUDGET_BYTES);
    // the aggregate it returns and archives stays small too
    expect(jsonBytes(campaignAggregateOf(quarterly, input.cycleId, input.unitId, plan.closesAt, state))).toBeLessThan(64 * 1024);
  });

  it('gives the built-in campaign\'s two phases a higher limit', async () => {
    const plan = computeCampaignPlan(await loadCalendar(), { year: 2027, depths: 5, phases: BUILTIN_CAMPAIGN.phases });
    expect(campaignMaxChildren(workflowViewOf(BUILTIN_CAMPAIGN_ID, 1, BUILTIN_CAMPAIGN), plan)).toBeGreaterThanOrEqual(180);
  });
});

describe('the units below named in a campaign aggregate (patch v8-campaign-lists-below)', () => {
  /** `state` as its parent keeps it, with the parent's quota */
  const entryOf = (unitId: string, state: CampaignUnitState, quota: number, namesBelow = true): CampaignChildEntry => {
    const report = campaignChildReportOf(quarterly, unitId, state, namesBelow);
    return { kind: 'intermediate', seq: 1, phases: report.phases, subtree: report.subtree, ...keptSample(report.below, quota) };
  };

  it('names units two levels down and those a group holds, each list in entry order, the sender never twice', () => {
    // R → I1 → G11 (reported q1), G12 (not); R → group → G21 (reported), G22 (not)
    const i1 = unitWith(null);
    i1.children.G11 = entryOf('G11', unitWith({ trainingSessions: 1, trainedWorkers: 1, safetyNetworkRate: 1, accidents: 0 }), 25);
    i1.children.G12 = entryOf('G12', unitWith(null), 25);
    const group = { G21: entryOf('G21', unitWith({ trainingSessions: 2, trainedWorkers: 2, safetyNetworkRate: 2, accidents: 0 }), 25), G22: entryOf('G22', unitWith(null), 25) };
    const report = campaignChildReportOf(quarterly, 'I1', i1, true);
    expect(report.below!.q1).toEqual([['G11'], [], ['G12'], []]); // I1 itself is named by its parent, from its phases
    const fromGroup = groupReportOf(quarterly, '#1-2', 1, group, true);
    const root = unitWith(null);
    root.children.I1 = { kind: 'intermediate', seq: 1, phases: report.phases, subtree: report.subtree, ...keptSample(report.below, 25) };
    root.children['#1-2'] = { kind: 'intermediate', seq: 1, phases: {}, subtree: fromGroup.subtree, ...keptSample(fromGroup.below, 25) };
    const q1 = campaignAggregateOf(quarterly, 'cycle-2027-R~q', 'R', '2027-04-02T00:00:00Z', root).phases.q1!;
    expect(q1.submittedOnTime).toEqual({ ids: ['G11', 'G21'], total: 2 });
    expect(q1.notSubmitted).toEqual({ ids: ['R', 'I1', 'G12', 'G22'], total: 4 });
  });

  it('names only the units directly below in runs before it: no sample is sent, none kept', () => {
    const i1 = unitWith(null);
    i1.children.G12 = entryOf('G12', unitWith(null), 0, false);
    const root = unitWith(null);
    root.children.I1 = entryOf('I1', i1, 0, false);
    expect(root.children.I1).not.toHaveProperty('below');
    expect(campaignAggregateOf(quarterly, 'cycle-2027-R~q', 'R', '2027-04-02T00:00:00Z', root).phases.q1!.notSubmitted).toEqual({ ids: ['R', 'I1'], total: 3 });
  });

  it('keeps at most the cap per list over all entries, and only what fits beside every entry at its largest', async () => {
    const plan = computeCampaignPlan(await loadCalendar(), { year: 2027, depths: 5, phases: check.definition.phases, rules: check.definition.schedule });
    const limit = campaignMaxChildren(quarterly, plan);
    const cap = campaignListCap(quarterly.phases.length);
    const quota = (n: number) => campaignBelowQuota(quarterly, jsonBytes(plan), n);
    const room = PAYLOAD_BUDGET_BYTES - jsonBytes(quarterly) - jsonBytes(plan) - CAMPAIGN_OWN_RESERVE_BYTES;
    expect([quota(1), quota(2), quota(limit)]).toEqual([cap, cap / 2, 0]); // a grouped unit of two groups: half each
    // a report upward at its largest: every list at the cap with 64-byte ids
    expect(jsonBytes({ ...campaignEntryAtMost(quarterly), unitId: 'U'.repeat(64), below: sampleAtMost(quarterly, cap) })).toBeLessThan(PAYLOAD_BUDGET_BYTES / 2);
    for (const n of [1, 2, 3, 7, 20, Math.floor(limit / 2), limit - 1, limit]) {
      expect(n * quota(n)).toBeLessThanOrEqual(cap);
      const state = initialCampaignState(quarterly, plan.levels[1]!.phases);
      const entry = campaignEntryAtMost(quarterly, quota(n));
      for (let i = 0; i < n; i++) state.children[`${'C'.repeat(58)}${String(i).padStart(6, '0')}`] = entry;
      // the entries with their samples within the room the fan-out limit gives the entries (campaignFanOutLimit)
      expect(jsonBytes(state.children), `${n} entries`).toBeLessThanOrEqual(room);
    }
    expect(entriesHeld(2_000, limit)).toBeLessThanOrEqual(limit);
  });
});
