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
import { AGGREGATIONS, type Aggregation } from '../../domain/campaign-form';
import { workflowViewOf } from '../../domain/campaign-view';
import { formatFieldProblems } from '../../domain/field-errors';
import { jsonBytes, PAYLOAD_BUDGET_BYTES } from '../../domain/text';
import type { CampaignUnitWorkflowInput } from '../../workflows/campaign-unit';
import { campaignMaxChildren } from '../../workflows/campaign-unit';
import {
  campaignAggregateOf,
  campaignEntryMaxBytes,
  initialCampaignState,
  mergeFigure,
  ownFigure,
  type CampaignChildEntry,
  type FigureAggregate,
} from '../../workflows/campaign-state';

const file = campaignFileSchema.parse(JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json'), 'utf8')));
const check = checkCampaignDefinition(file.definition);
if (!check.ok) throw new Error(formatFieldProblems(check.problems));
const quarterly = workflowViewOf(file.id, 1, check.definition);

const figureAgg = fc.oneof(
  fc.constant<FigureAggregate>({ value: null, reporting: 0 }),
  fc.record({ value: fc.integer({ min: -1_000_000, max: 1_000_000 }), reporting: fc.integer({ min: 1, max: 1000 }) }),
);

describe('aggregation by rule', () => {
  it.each(AGGREGATIONS)('%s is associative and commutative, and null means "nobody counted"', (rule: Aggregation) => {
    fc.assert(
      fc.property(figureAgg, figureAgg, figureAgg, (a, b, c) => {
        expect(mergeFigure(rule, a, b)).toEqual(mergeFigure(rule, b, a));
        expect(mergeFigure(rule, mergeFigure(rule, a, b), c)).toEqual(mergeFigure(rule, a, mergeFigure(rule, b, c)));
        expect(mergeFigure(rule, a, { value: null, reporting: 0 })).toEqual(a);
      }),
    );
  });

  it('follows each rule over the units that reported', () => {
    const values = [3, 0, 7.5, 0, 2];
    const merged = (rule: Aggregation) => values.map((v) => ownFigure(rule, v)).reduce((a, b) => mergeFigure(rule, a, b));
    expect(merged('sum')).toEqual({ value: 12.5, reporting: 5 });
    expect(merged('min')).toEqual({ value: 0, reporting: 5 });
    expect(merged('max')).toEqual({ value: 7.5, reporting: 5 });
    expect(merged('countNonZero')).toEqual({ value: 3, reporting: 5 });
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
