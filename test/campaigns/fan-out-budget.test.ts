// The byte budget of a campaign unit with CAMPAIGN_MAX_FAN_OUT (2,000) units directly below it, held by groups
// (workflows/campaign-group.ts): for campaigns from the smallest to the largest forms a cycle can run, every
// workflow of the tree of groups — the unit, groups of groups, groups of units — carries its continue-as-new input,
// its report upward, its digest, the unit's aggregate and status within PAYLOAD_BUDGET_BYTES, every entry at its
// largest legal values (64-byte ids, every counter and figure at its longest), with the ids of its subtree it keeps
// (campaignBelowQuota per list, patch v8-campaign-lists-below) and, in every report upward, a full sample of 64-byte
// ids (campaignListCap per list). The ranges cover every child once.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeCampaignPlan, loadCalendar, type WorkingCalendar } from '../../activities/calendar';
import type { PhasedDeadlinePlan } from '../../domain/calendar';
import { checkCampaignDefinition, MAX_PHASES, type CampaignDefinition } from '../../domain/campaign';
import { BUILTIN_CAMPAIGN, BUILTIN_CAMPAIGN_ID } from '../../domain/campaign-builtin';
import { FORM_LIMITS, type Aggregation } from '../../domain/campaign-form';
import { workflowViewOf, type CampaignWorkflowView } from '../../domain/campaign-view';
import { formatFieldProblems } from '../../domain/field-errors';
import { jsonBytes, PAYLOAD_BUDGET_BYTES } from '../../domain/text';
import { CAMPAIGN_MAX_FAN_OUT, entriesHeld, groupKey, groupRanges, groupReportOf, type ChildRange } from '../../workflows/campaign-fan-out';
import { campaignListCap, sampleAtMost } from '../../workflows/campaign-lists-below';
import type { CampaignGroupWorkflowInput } from '../../workflows/campaign-group';
import {
  CAMPAIGN_OWN_RESERVE_BYTES,
  campaignAggregateOf,
  campaignBelowQuota,
  campaignChildReportOf,
  campaignEntryAtMost,
  initialCampaignState,
  type CampaignChildEntry,
  type CampaignUnitState,
} from '../../workflows/campaign-state';
import { campaignMaxChildren, campaignSupportedChildren, type CampaignUnitWorkflowInput } from '../../workflows/campaign-unit';
import { wideCampaign } from './fan-out-fixture';

const RULES: Aggregation[] = ['sum', 'min', 'max', 'countNonZero'];
const big = 999_999;
const id64 = (i: number) => `${'U'.repeat(58)}${String(i).padStart(6, '0')}`;

/**
 * A definition of `phases` phases (a plan form setting targets for a report form when `targets`), `figures` each;
 * undefined when the definition is refused (its payloads would not fit: domain/campaign-payloads.ts), as such a
 * campaign never runs.
 */
function definition(phases: number, figures: number, keyLength: number, targets: boolean): CampaignDefinition | undefined {
  const base = wideCampaign();
  const figure = (i: number) => ({ key: `f${i}`.padEnd(keyLength, 'x'), label: { vi: 'Chỉ tiêu', en: 'Figure' }, unit: { vi: 'đơn vị', en: 'units' }, type: 'decimal', decimals: FORM_LIMITS.maxDecimals, min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, aggregation: RULES[i % 4]! });
  const figs = Array.from({ length: figures }, (_, i) => figure(i));
  const report = { key: 'report', title: { vi: 'Báo cáo', en: 'Report' }, figures: figs };
  const plan = { key: 'plan', title: { vi: 'Kế hoạch', en: 'Plan' }, figures: figs, targets: { form: 'report', figures: figs.map((f) => f.key) } };
  // a phase every five days from early March: in order at every level of a deep tree
  const due = (i: number) => ({ kind: 'date', date: new Date(Date.UTC(2027, 0, 60 + i * 5)).toISOString().slice(5, 10) });
  const check = checkCampaignDefinition({
    ...base,
    forms: targets ? [plan, report] : [report],
    phases: Array.from({ length: phases }, (_, i) => ({ key: `p${i}`.padEnd(32, 'x'), name: { vi: `Giai đoạn ${i}`, en: `Phase ${i}` }, form: targets && i < phases - 1 ? 'plan' : 'report', due: due(i) })),
  });
  if (!check.ok) {
    // only the payload bounds may refuse these definitions: they are well formed otherwise
    const other = check.problems.filter((p) => !/bytes|payload/.test(p.message));
    if (other.length > 0) throw new Error(formatFieldProblems(other));
    return undefined;
  }
  return check.definition;
}

let calendar: WorkingCalendar;
beforeAll(async () => {
  calendar = await loadCalendar();
});
const planOf = (def: CampaignDefinition): PhasedDeadlinePlan => computeCampaignPlan(calendar, { year: 2027, depths: 5, phases: def.phases, rules: def.schedule });

/** The unit's input at the largest legal values, carrying `children` and a busy year of its own. */
function unitInput(view: CampaignWorkflowView, plan: PhasedDeadlinePlan, children: Record<string, CampaignChildEntry>, childCount: number): CampaignUnitWorkflowInput {
  const level = plan.levels[1]!.phases;
  const state: CampaignUnitState = { ...initialCampaignState(view, level), children, childrenStarted: true, taskSent: true, seq: Number.MAX_SAFE_INTEGER };
  // its own busy year, as CAMPAIGN_OWN_RESERVE_BYTES counts it: every scheduled event handled, and receipts of
  // as many submissions as the rest of the reserve holds (what fan-out adds is measured beside it, not in it)
  for (const p of view.phases) {
    const d = level[p.key]!;
    state.done.push(...d.reminders.map((r) => `reminder:${p.key}:${r}`), `due:${p.key}:${d.dueAt}`, ...d.escalations.map((e) => `escalation:${p.key}:${e.at}:${e.target}`));
  }
  const receipt = (i: number) => ({ unitId: 'U'.repeat(64), phase: view.phases[0]!.key, version: i + 1, submittedAt: plan.closesAt, late: true, duplicate: false, contentHash: 'f'.repeat(64) });
  const own = jsonBytes({ ...state, children: {} }) + 1_500; // its state and ids
  const count = Math.max(0, Math.floor((CAMPAIGN_OWN_RESERVE_BYTES - own) / jsonBytes({ [`k${'0'.repeat(63)}`]: receipt(0) })));
  for (let i = 0; i < count; i++) state.receipts[`k${String(i).padStart(63, '0')}`] = receipt(i);
  return {
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
    view,
    plan,
    childCount,
    resume: state,
  };
}

interface Measured {
  /** the largest continue-as-new input, report upward and digest among the workflows of the tree */
  continueAsNew: number;
  report: number;
  digest: number;
  /** the unit's aggregate and status query */
  aggregate: number;
  status: number;
  /** workflows in the tree of groups, and the units their ranges cover */
  groups: number;
  covered: number;
}

/** Builds the tree of groups of a unit of `childCount` children and measures every payload of it. */
function measure(view: CampaignWorkflowView, plan: PhasedDeadlinePlan, childCount: number): Measured {
  const capacity = campaignMaxChildren(view, plan);
  /** an entry at its largest in a workflow holding `count` children (or the groups over them), its sample kept in full */
  const entryIn = (count: number) => campaignEntryAtMost(view, campaignBelowQuota(view, jsonBytes(plan), entriesHeld(count, capacity)));
  /** a report's sample at its largest: every list at the cap, 64-byte ids */
  const fullSample = sampleAtMost(view, campaignListCap(view.phases.length));
  const m: Measured = { continueAsNew: 0, report: 0, digest: 0, aggregate: 0, status: 0, groups: 0, covered: 0 };
  const unit = unitInput(view, plan, {}, childCount);
  const { resume: _resume, ...unitOnly } = unit;
  const escalations = plan.levels[2]!.phases;
  const done = view.phases.flatMap((p) => escalations[p.key]!.escalations.map((e) => `escalation:${p.key}:${e.at}:${e.target}`));

  /** a group over `range`, its entries at their largest: units when few enough, else groups */
  function group(range: ChildRange, reportTo: string) {
    m.groups++;
    const children: Record<string, CampaignChildEntry> = {};
    const entry = entryIn(range.count);
    if (range.count <= capacity) {
      for (let i = range.offset; i < range.offset + range.count; i++) children[id64(i)] = entry;
      m.covered += range.count;
      const digest = { cycleId: unit.cycleId, campaignId: unit.campaignId, version: big, kind: 'escalation', key: `${'W'.repeat(300)}:${done[0]}`, supervisorUnitId: unit.unitId, recipientUnitId: unit.parentUnitId, climbed: true, phase: view.phases[0]!.key, round: big, units: Object.keys(children).map((unitId) => ({ unitId, dueAt: plan.closesAt, remindersSent: big })), asOf: plan.closesAt };
      m.digest = Math.max(m.digest, jsonBytes(digest));
    } else for (const r of groupRanges(range.offset, range.count, capacity)) children[groupKey(r)] = (group(r, 'W'.repeat(300)), entry);
    const input: CampaignGroupWorkflowInput = { unit: unitOnly, reportToWorkflowId: reportTo, ...range, resume: { children, done, seq: Number.MAX_SAFE_INTEGER, started: true } };
    m.continueAsNew = Math.max(m.continueAsNew, jsonBytes(input));
    m.report = Math.max(m.report, jsonBytes({ ...groupReportOf(view, groupKey(range), Number.MAX_SAFE_INTEGER, children, true), below: fullSample }));
  }

  const children: Record<string, CampaignChildEntry> = {};
  const entry = entryIn(childCount);
  if (childCount <= capacity) {
    for (let i = 0; i < childCount; i++) children[id64(i)] = entry;
    m.covered = childCount;
  } else for (const r of groupRanges(0, childCount, capacity)) children[groupKey(r)] = (group(r, 'W'.repeat(300)), entry);
  const input = unitInput(view, plan, children, childCount);
  m.continueAsNew = Math.max(m.continueAsNew, jsonBytes(input));
  const state = input.resume!;
  m.report = Math.max(m.report, jsonBytes({ ...campaignChildReportOf(view, input.unitId, state, true), below: fullSample }));
  const aggregate = campaignAggregateOf(view, input.cycleId, input.unitId, plan.closesAt, state);
  m.aggregate = jsonBytes(aggregate);
  // the status query's shape (campaign-unit.ts): own phases, the units directly below (none with groups: their ranges), the aggregate
  const status = {
    phases: view.phases.map((p) => ({ key: p.key, form: p.form, open: true, ...state.phases[p.key]! })),
    children: childCount <= capacity ? Object.entries(children).map(([unitId, c]) => ({ unitId, phases: c.phases })) : [],
    groups: childCount <= capacity ? [] : groupRanges(0, childCount, capacity),
    aggregate,
  };
  m.status = jsonBytes(status);
  return m;
}

const within = (m: Measured) => {
  for (const k of ['continueAsNew', 'report', 'digest', 'aggregate', 'status'] as const) expect(m[k], k).toBeLessThanOrEqual(PAYLOAD_BUDGET_BYTES);
};

describe('a campaign unit of 2,000 units below', () => {
  it('splits its children so that no workflow keeps more entries than it can carry, covering each once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: CAMPAIGN_MAX_FAN_OUT }), fc.integer({ min: 2, max: 500 }), fc.integer({ min: 0, max: 5_000 }), (count, capacity, offset) => {
        const ranges = groupRanges(offset, count, capacity);
        expect(ranges.length).toBeLessThanOrEqual(capacity);
        expect(ranges.reduce((n, r) => n + r.count, 0)).toBe(count);
        ranges.forEach((r, i) => expect(r.offset).toBe(i === 0 ? offset : ranges[i - 1]!.offset + ranges[i - 1]!.count));
      }),
    );
    expect(groupRanges(0, 2_000, 38).map((r) => r.count)).toEqual([1444, 556]);
    expect(() => groupRanges(0, 10, 1)).toThrow(RangeError);
  });

  it('keeps every payload within the budget at the largest form of 50 figures a cycle can run: 60 phases do not fit the plan', () => {
    // the widest form (FORM_LIMITS.figures figures of 48-character keys, every rule), with targets: as many phases as fit
    let fitting = 0;
    for (const phases of [1, 2, 4, 12]) {
      const def = definition(phases, FORM_LIMITS.figures, 48, phases > 1);
      if (!def) continue; // refused when defined
      const view = workflowViewOf('c'.repeat(48), big, def);
      const plan = planOf(def);
      if (campaignSupportedChildren(view, plan) < CAMPAIGN_MAX_FAN_OUT) continue;
      fitting = phases;
      const m = measure(view, plan, CAMPAIGN_MAX_FAN_OUT);
      within(m);
      expect(m.covered).toBe(CAMPAIGN_MAX_FAN_OUT);
    }
    expect(fitting).toBeGreaterThanOrEqual(2);
    // the widest forms of 4 or more phases, and the legal maximum of phases (whose deadline plan alone nearly fills a
    // payload), are refused when defined (test/campaigns/payload-budget.test.ts)
    expect(definition(4, FORM_LIMITS.figures, 48, true)).toBeUndefined();
    expect(definition(MAX_PHASES, FORM_LIMITS.figures, 48, true)).toBeUndefined();
  });

  it('keeps every payload within the budget for any campaign whose entries can be grouped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: FORM_LIMITS.figures }),
        fc.integer({ min: 1, max: 48 }),
        fc.boolean(),
        fc.integer({ min: 1, max: CAMPAIGN_MAX_FAN_OUT }),
        (phases, figures, keyLength, targets, childCount) => {
          const def = definition(phases, figures, keyLength, targets && phases > 1);
          if (!def) return; // refused when defined: never runs
          const view = workflowViewOf('c'.repeat(48), big, def);
          const plan = planOf(def);
          if (campaignSupportedChildren(view, plan) < CAMPAIGN_MAX_FAN_OUT) return;
          const m = measure(view, plan, childCount);
          within(m);
          expect(m.covered).toBe(childCount);
        },
      ),
      { numRuns: 10 },
    );
  });

  it('fits the built-in campaign at 2,000 units below, through groups', () => {
    const view = workflowViewOf(BUILTIN_CAMPAIGN_ID, 1, BUILTIN_CAMPAIGN);
    const plan = computeCampaignPlan(calendar, { year: 2027, depths: 5, phases: BUILTIN_CAMPAIGN.phases });
    expect(campaignSupportedChildren(view, plan)).toBe(CAMPAIGN_MAX_FAN_OUT);
    const m = measure(view, plan, CAMPAIGN_MAX_FAN_OUT);
    within(m);
    expect(m.groups).toBeGreaterThan(1);
  });
});
