// What a campaign's cycles carry because of its definition, checked when it is defined (domain/campaign-payloads.ts):
// the deadline plan, a unit's entry in its parent's state, the definition's part of a unit's own state and the
// cycle's result. The bounds are computed from the definition at the largest legal values; here they are pinned to
// what the workflows' own code builds (workflows/campaign-state.ts, the calendar's plan), the 60-phase, 50-figure
// definition that used to pass is refused on its fields in both languages, a definition just under each bound is
// accepted and just over it refused, and any accepted definition runs with every continue-as-new input in budget.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeCampaignPlan, loadCalendar, rehearsalTimeline, type WorkingCalendar } from '../../activities/calendar';
import type { PhasedDeadlinePlan } from '../../domain/calendar';
import { CAMPAIGN_FILE_FORMAT, campaignFileSchema, checkCampaignDefinition, storedCampaignDefinitionSchema, type CampaignDefinition, type CampaignDefinitionInput } from '../../domain/campaign';
import { BUILTIN_CAMPAIGN } from '../../domain/campaign-builtin';
import { FORM_LIMITS, type Aggregation, type Figure } from '../../domain/campaign-form';
import {
  AGGREGATE_LIST_IDS,
  CALENDAR_VERSION_MAX_CHARS,
  CAMPAIGN_FAN_OUT_UNITS,
  CAMPAIGN_OWN_RESERVE_BYTES,
  DEADLINE_PLAN_MAX_BYTES,
  largestAggregate,
  MAX_GROUP_LEVELS,
  maxChildEntryBytes,
  maxCycleResultBytes,
  maxDeadlinePlanBytes,
  maxOwnStateBytes,
  MIN_ENTRIES_PER_WORKFLOW,
  minEntriesPerWorkflow,
  OWN_USE_RESERVE_BYTES,
  unitInputEnvelopeBytes,
} from '../../domain/campaign-payloads';
import { workflowViewOf, type CampaignWorkflowView } from '../../domain/campaign-view';
import { formatFieldProblems } from '../../domain/field-errors';
import { jsonBytes, PAYLOAD_BUDGET_BYTES } from '../../domain/text';
import { AGGREGATE_LIST_CAP } from '../../workflows/aggregate-types';
import { CAMPAIGN_MAX_FAN_OUT } from '../../workflows/campaign-fan-out';
import {
  CAMPAIGN_OWN_RESERVE_BYTES as WORKFLOW_OWN_RESERVE_BYTES,
  campaignAggregateOf,
  campaignEntryAtMost,
  campaignEntryMaxBytes,
  initialCampaignState,
  type CampaignChildEntry,
  type CampaignUnitState,
} from '../../workflows/campaign-state';
import { campaignMaxChildren, type CampaignUnitWorkflowInput } from '../../workflows/campaign-unit';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const QUARTERLY = campaignFileSchema.parse(JSON.parse(readFileSync(join(EXAMPLES, 'campaign-quarterly.json'), 'utf8'))).definition as CampaignDefinitionInput;
const RULES: Aggregation[] = ['sum', 'min', 'max', 'countNonZero'];
const BIG = 999_999;
const CAMPAIGN_ID = 'c'.repeat(48);
const U64 = 'U'.repeat(64);

interface Shape {
  phases: number;
  figures: number;
  keyLength?: number;
  /** a plan form setting targets for every figure of the report form (every phase but the last) */
  targets?: boolean;
  /** integer figures 0…max, else decimals of the widest bounds */
  integerMax?: number;
  checkedLevels?: number;
  schedule?: CampaignDefinitionInput['schedule'];
}

/** A definition of `phases` phases, one due every five days from March, each form with `figures` figures. */
function definitionOf(s: Shape): CampaignDefinitionInput {
  const keyLength = s.keyLength ?? 48;
  const figure = (i: number) => ({
    key: `f${i}`.padEnd(keyLength, 'x'),
    label: { vi: `Chỉ tiêu ${i}`, en: `Figure ${i}` },
    unit: { vi: 'đơn vị', en: 'units' },
    ...(s.integerMax !== undefined
      ? { type: 'integer' as const, min: 0, max: s.integerMax }
      : { type: 'decimal' as const, decimals: FORM_LIMITS.maxDecimals, min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    aggregation: RULES[i % RULES.length]!,
  });
  const figures = Array.from({ length: s.figures }, (_, i) => figure(i));
  const report = { key: 'report', title: { vi: 'Báo cáo', en: 'Report' }, figures };
  const plan = { key: 'plan', title: { vi: 'Kế hoạch', en: 'Plan' }, figures, targets: { form: 'report', figures: figures.map((f) => f.key) } };
  const targets = (s.targets ?? false) && s.phases > 1 && s.figures > 0;
  const due = (i: number) => ({ kind: 'date' as const, date: new Date(Date.UTC(2027, 0, 60 + i * 5)).toISOString().slice(5, 10) });
  return {
    ...QUARTERLY,
    ...(s.schedule ? { schedule: s.schedule } : {}),
    ...(s.checkedLevels ? { checkedLevels: s.checkedLevels } : {}),
    forms: targets ? [plan, report] : [report],
    phases: Array.from({ length: s.phases }, (_, i) => ({ key: `p${i}`.padEnd(32, 'x'), name: { vi: `Giai đoạn ${i}`, en: `Phase ${i}` }, form: targets && i < s.phases - 1 ? 'plan' : 'report', due: due(i) })),
  };
}

function accepted(input: unknown): CampaignDefinition {
  const check = checkCampaignDefinition(input);
  if (!check.ok) throw new Error(formatFieldProblems(check.problems));
  return check.definition;
}

/** A definition with the schema's defaults, not checked (to measure one that is refused). */
const unchecked = (input: unknown): CampaignDefinition => storedCampaignDefinitionSchema.parse(input);

function refusal(input: unknown): string[] {
  const check = checkCampaignDefinition(input);
  if (check.ok) throw new Error('expected the definition to be refused');
  return formatFieldProblems(check.problems).split('\n');
}

let calendar: WorkingCalendar;
beforeAll(async () => {
  calendar = await loadCalendar();
});

/** The plan a cycle of `def` computes on a tree of `depths` levels, as a rehearsal (the longer timeline). */
function realPlan(def: Pick<CampaignDefinition, 'phases' | 'schedule'>, depths: number): PhasedDeadlinePlan {
  const plan = computeCampaignPlan(calendar, { year: 2027, depths, phases: def.phases, rules: def.schedule });
  return { ...plan, timeline: rehearsalTimeline(plan, { wallStart: '2026-12-03T09:00:00.123Z', minutes: 10_079.123456789 }) };
}

const viewOf = (def: CampaignDefinition): CampaignWorkflowView => workflowViewOf(CAMPAIGN_ID, BIG, def);

/** The longest value a unit may enter for a figure (its JSON is at most figureJsonChars long). */
function longestValue(f: Pick<Figure, 'type' | 'min' | 'max' | 'decimals'>): number {
  const candidates = f.type === 'integer' ? [f.min, f.max] : [f.min, f.max, f.min / 3, f.max / 3].map((v) => Math.trunc(v * 10 ** f.decimals) / 10 ** f.decimals);
  return candidates.reduce((a, b) => (JSON.stringify(b).length > JSON.stringify(a).length ? b : a));
}

/**
 * A unit's own state as the workflow keeps it at its largest legal values at the lowest level: every phase
 * returned (an empty comment), its own figures and targets at their longest, every event of its year done (its
 * reminders and due marks, its children's escalation rounds), "remind now" per phase; no receipts.
 */
function ownStateAtMost(def: CampaignDefinition, view: CampaignWorkflowView, plan: PhasedDeadlinePlan): CampaignUnitState {
  const level = plan.levels[plan.levels.length - 1]!.phases;
  const state = initialCampaignState(view, level);
  for (const p of def.phases) {
    const ps = state.phases[p.key]!;
    const form = def.forms.find((f) => f.key === p.form)!;
    const target = form.targets ? def.forms.find((f) => f.key === form.targets!.form)! : undefined;
    const at = plan.closesAt;
    ps.progress = { kind: 'returned', version: BIG, firstSubmittedAt: at, lastSubmittedAt: at, late: false, comment: '', returnedAt: at };
    ps.remindersSent = BIG;
    ps.escalationsSent = BIG;
    ps.listItems = BIG;
    ps.figures = form.figures.length > 0 ? Object.fromEntries(form.figures.map((f) => [f.key, longestValue(f)])) : null;
    ps.targets = target ? Object.fromEntries(form.targets!.figures.map((k) => [k, longestValue(target.figures.find((f) => f.key === k)!)])) : null;
    const d = level[p.key]!;
    state.done.push(...d.reminders.map((r) => `reminder:${p.key}:${r}`), `due:${p.key}:${d.dueAt}`, ...d.escalations.map((e) => `escalation:${p.key}:${e.at}:${e.target}`));
  }
  state.seq = Number.MAX_SAFE_INTEGER;
  state.remindedNowAtMs = Object.fromEntries(def.phases.map((p) => [p.key, 8.64e15]));
  return state;
}

/** Receipts of submissions filling `bytes`, as a unit's year of use adds them to its state. */
function receiptsFilling(view: CampaignWorkflowView, plan: PhasedDeadlinePlan, bytes: number): CampaignUnitState['receipts'] {
  const receipt = (i: number) => ({ unitId: U64, phase: view.phases[0]!.key, version: i + 1, submittedAt: plan.closesAt, late: true, duplicate: false, contentHash: 'f'.repeat(64) });
  const one = jsonBytes({ [`k${'0'.repeat(127)}`]: receipt(0) });
  return Object.fromEntries(Array.from({ length: Math.floor(bytes / one) }, (_, i) => [`k${String(i).padStart(127, '0')}`, receipt(i)]));
}

/** A unit's continue-as-new input at the largest legal values, keeping `children`. */
function continueAsNewInput(view: CampaignWorkflowView, plan: PhasedDeadlinePlan, resume: CampaignUnitState): CampaignUnitWorkflowInput {
  const cycleId = `rehearsal-2027-${U64}-20261203090000~${CAMPAIGN_ID}`;
  return {
    cycleId,
    campaignId: CAMPAIGN_ID,
    version: BIG,
    year: 2027,
    unitId: U64,
    kind: 'intermediate',
    depth: plan.levels.length - 1,
    parentUnitId: U64,
    grandparentUnitId: U64,
    rootUnitId: U64,
    reportToWorkflowId: `${cycleId}/${U64}#group-1999-2000`,
    view,
    plan,
    childCount: CAMPAIGN_MAX_FAN_OUT,
    continueAsNewAfterEvents: Number.MAX_SAFE_INTEGER,
    resume,
  };
}

describe('the payload bounds of a campaign definition', () => {
  it('name each constant once, equal to what the workflows keep', () => {
    expect(CAMPAIGN_OWN_RESERVE_BYTES).toBe(WORKFLOW_OWN_RESERVE_BYTES);
    expect(CAMPAIGN_FAN_OUT_UNITS).toBe(CAMPAIGN_MAX_FAN_OUT);
    expect(AGGREGATE_LIST_IDS).toBe(AGGREGATE_LIST_CAP);
    // the fewest entries with which 2,000 units are held by at most three levels of groups
    expect(MIN_ENTRIES_PER_WORKFLOW).toBe(7);
    expect(MIN_ENTRIES_PER_WORKFLOW ** (MAX_GROUP_LEVELS + 1)).toBeGreaterThanOrEqual(CAMPAIGN_MAX_FAN_OUT);
    expect((MIN_ENTRIES_PER_WORKFLOW - 1) ** (MAX_GROUP_LEVELS + 1)).toBeLessThan(CAMPAIGN_MAX_FAN_OUT);
    expect(calendar.version.length).toBeLessThanOrEqual(CALENDAR_VERSION_MAX_CHARS);
    expect(OWN_USE_RESERVE_BYTES).toBeLessThan(CAMPAIGN_OWN_RESERVE_BYTES);
  });

  it('measure the 60-phase, 50-figure definition the old checks let through: its plan and one entry are past the budget', () => {
    const input = definitionOf({ phases: 60, figures: FORM_LIMITS.figures, targets: true, checkedLevels: 5 });
    const def = unchecked(input);
    const fiveLevels = computeCampaignPlan(calendar, { year: 2027, depths: 5, phases: def.phases, rules: {} });
    const view = workflowViewOf(CAMPAIGN_ID, BIG, def);
    // what the workflows would carry (workflows' own measure) and what the definition-time bounds say
    expect(jsonBytes(fiveLevels)).toBeGreaterThan(190_000);
    expect(maxDeadlinePlanBytes(def)).toBeGreaterThanOrEqual(jsonBytes(fiveLevels));
    expect(campaignEntryMaxBytes(view)).toBeGreaterThan(600_000);
    expect(maxChildEntryBytes(def)).toBe(campaignEntryMaxBytes(view));
    // the report a unit sends upward is its entry under its id
    const e = campaignEntryAtMost(view);
    expect(jsonBytes({ unitId: U64, seq: e.seq, phases: e.phases, subtree: e.subtree })).toBeLessThanOrEqual(maxChildEntryBytes(def) + 64);
  });

  it('refuse it, naming the fields and what to reduce, in both languages', () => {
    const lines = refusal(definitionOf({ phases: 60, figures: FORM_LIMITS.figures, targets: true, checkedLevels: 5 }));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^phases: 60 phases × 5 levels, each deadline with 3 reminders and 7 escalation rounds: the deadline plan every unit's task carries would weigh 2\d\d,\d{3} bytes, over the 98,304 allowed; use fewer phases, fewer checked levels \(checkedLevels\), or fewer reminders or escalation rounds \(schedule\) \/ 60 giai đoạn × 5 cấp, .* nặng 2\d\d\.\d{3} byte, vượt mức cho phép 98\.304 byte; hãy dùng ít giai đoạn hơn/,
    );
    expect(lines[1]).toMatch(
      /^forms: 60 phases × 50 figures \(and 50 targets\): a unit's entry in its parent's state \(and its report upward\) would weigh 615,969 bytes at the largest legal values; a parent must keep at least 7 of them in one payload of 262,144 bytes, where the plan, the forms and its own state leave 0; use fewer phases, figures or targets, or shorter figure keys \/ 60 giai đoạn × 50 chỉ tiêu \(và 50 chỉ tiêu kế hoạch\): phần của mỗi đơn vị .* sẽ nặng 615\.969 byte .* ít nhất 7 phần/,
    );
    // with the plan made small (one level, no reminder, one round), the unit's own state is named instead
    const small = refusal(definitionOf({ phases: 60, figures: FORM_LIMITS.figures, targets: true, checkedLevels: 1, schedule: { reminderWorkingDaysBefore: [], escalationHorizonWorkingDays: 0 } }));
    expect(small[0]).toMatch(/^phases: 60 phases × 50 figures \(and 50 targets\), 2 scheduled events per phase .*: each unit's own state would keep [\d,]+ bytes .* over the 36,864 allowed .* \/ 60 giai đoạn × 50 chỉ tiêu .* vượt mức cho phép 36\.864 byte/);
    expect(small[1]).toMatch(/^forms: 60 phases × 50 figures \(and 50 targets\): a unit's entry/);
  });

  it('accept the built-in campaign and every campaign under examples/', () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));
    const campaigns = files.map((f) => JSON.parse(readFileSync(join(EXAMPLES, f), 'utf8')) as { format?: string }).filter((j) => j.format === CAMPAIGN_FILE_FORMAT);
    expect(campaigns.length).toBeGreaterThanOrEqual(1);
    for (const c of campaigns) accepted(campaignFileSchema.parse(c).definition);
    // a monthly campaign of 20 figures, with the default schedule on a 5-level tree (phase keys of 32 characters)
    accepted(definitionOf({ phases: 12, figures: 20, keyLength: 16, integerMax: 10_000_000, checkedLevels: 5 }));
    const builtin = accepted(BUILTIN_CAMPAIGN);
    expect(maxDeadlinePlanBytes(builtin)).toBeLessThan(DEADLINE_PLAN_MAX_BYTES / 10);
  });

  it('accept a definition just under the plan bound and refuse the next phase', () => {
    // 20 levels a working day apart, small forms: the plan is what grows with each phase
    const shape = (phases: number): Shape => ({ phases, figures: 1, keyLength: 8, integerMax: 9, checkedLevels: 20, schedule: { cascadeWorkingDays: 1 } });
    let n = 1;
    while (maxDeadlinePlanBytes(unchecked(definitionOf(shape(n + 1)))) <= DEADLINE_PLAN_MAX_BYTES) n++;
    // refused for its plan alone
    const lines = refusal(definitionOf(shape(n + 1)));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^phases: ${n + 1} phases × 20 levels, .* over the 98,304 allowed`));
    const under = accepted(definitionOf(shape(n)));
    expect(maxDeadlinePlanBytes(under)).toBeGreaterThan(DEADLINE_PLAN_MAX_BYTES * 0.9);
    // and it holds the plan the calendar computes for a tree that deep
    expect(maxDeadlinePlanBytes(under)).toBeGreaterThanOrEqual(jsonBytes(realPlan(under, 20)));
  });

  it('accept a definition just under the own-state bound and refuse one more escalation round', () => {
    // one phase, one level: the escalation rounds every working day are what grows
    const shape = (horizon: number): Shape => ({ phases: 1, figures: 1, keyLength: 8, integerMax: 9, checkedLevels: 1, schedule: { escalationEveryWorkingDays: 1, climbAfterWorkingDays: 1, escalationHorizonWorkingDays: horizon } });
    let horizon = 0;
    while (checkCampaignDefinition(definitionOf(shape(horizon + 1))).ok) horizon++;
    expect(horizon).toBeGreaterThan(50);
    expect(horizon).toBeLessThan(250);
    const lines = refusal(definitionOf(shape(horizon + 1)));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^phases: 1 phases × 1 figures, ${horizon + 6} scheduled events per phase .* over the 36,864 allowed beside its submissions' receipts`));
    const under = accepted(definitionOf(shape(horizon)));
    expect(unitInputEnvelopeBytes() + maxOwnStateBytes(under)).toBeGreaterThan(CAMPAIGN_OWN_RESERVE_BYTES - OWN_USE_RESERVE_BYTES - 200);
  });

  it('accept a definition just under the entry bound and refuse the next phase', () => {
    // short numbers (a unit's own figures stay small) but aggregates at their longest; no reminder, one round
    const shape = (phases: number): Shape => ({ phases, figures: FORM_LIMITS.figures, integerMax: 9, checkedLevels: 2, schedule: { reminderWorkingDaysBefore: [], escalationHorizonWorkingDays: 0 } });
    let n = 1;
    while (checkCampaignDefinition(definitionOf(shape(n + 1))).ok) n++;
    const lines = refusal(definitionOf(shape(n + 1)));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^forms: ${n + 1} phases × 50 figures: a unit's entry .* at least 7 of them`));
    const under = accepted(definitionOf(shape(n)));
    expect(minEntriesPerWorkflow(under)).toBe(MIN_ENTRIES_PER_WORKFLOW);
    expect(minEntriesPerWorkflow(unchecked(definitionOf(shape(n + 1))))).toBeLessThan(MIN_ENTRIES_PER_WORKFLOW);
    // the workflows, with the plan the calendar computes, keep at least as many
    expect(campaignMaxChildren(viewOf(under), realPlan(under, 2))).toBeGreaterThanOrEqual(MIN_ENTRIES_PER_WORKFLOW);
  });

  it('bound what the workflows build, for random definitions; an accepted one runs with every payload in budget', () => {
    const seen = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(
        fc.record({
          phases: fc.integer({ min: 1, max: 24 }),
          figures: fc.integer({ min: 0, max: FORM_LIMITS.figures }),
          keyLength: fc.integer({ min: 1, max: 48 }),
          targets: fc.boolean(),
          integerMax: fc.option(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), { nil: undefined }),
          checkedLevels: fc.integer({ min: 1, max: 6 }),
          schedule: fc.record({
            cascadeWorkingDays: fc.integer({ min: 0, max: 5 }),
            reminderWorkingDaysBefore: fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { maxLength: 10 }),
            escalationEveryWorkingDays: fc.integer({ min: 1, max: 10 }),
            escalationHorizonWorkingDays: fc.integer({ min: 0, max: 60 }),
          }),
        }),
        (shape) => {
          const input = definitionOf(shape);
          const check = checkCampaignDefinition(input);
          // the bounds, for the definition as the schema gives it (checked or not)
          const def = check.ok ? check.definition : unchecked(input);
          const view = viewOf(def);
          const plan = realPlan(def, shape.checkedLevels);
          expect(maxChildEntryBytes(def)).toBe(campaignEntryMaxBytes(view));
          expect(maxDeadlinePlanBytes(def)).toBeGreaterThanOrEqual(jsonBytes(plan));
          const own = ownStateAtMost(def, view, plan);
          expect(maxOwnStateBytes(def)).toBeGreaterThanOrEqual(jsonBytes(own));
          const { resume: _resume, view: _view, plan: _plan, ...envelope } = continueAsNewInput(view, plan, own);
          expect(unitInputEnvelopeBytes()).toBeGreaterThanOrEqual(jsonBytes({ ...envelope, view: 0, plan: 0, resume: 0 }) - 3);
          seen[check.ok ? 'accepted' : 'refused']++;
          if (!check.ok) return;
          // accepted: every workflow keeps at least MIN_ENTRIES_PER_WORKFLOW entries ...
          const capacity = campaignMaxChildren(view, plan);
          expect(capacity).toBeGreaterThanOrEqual(MIN_ENTRIES_PER_WORKFLOW);
          // ... and its continue-as-new input with that many, its own state and a year's use stays within the budget
          const entry: CampaignChildEntry = campaignEntryAtMost(view);
          const children = Object.fromEntries(Array.from({ length: capacity }, (_, i) => [`${'U'.repeat(58)}${String(i).padStart(6, '0')}`, entry]));
          const resume = { ...own, children, receipts: receiptsFilling(view, plan, OWN_USE_RESERVE_BYTES) };
          expect(jsonBytes(continueAsNewInput(view, plan, resume))).toBeLessThanOrEqual(PAYLOAD_BUDGET_BYTES);
          // the cycle's result: its plan and a root aggregate with every list full
          const aggregateState: CampaignUnitState = { ...own, children: Object.fromEntries(Array.from({ length: 4 * AGGREGATE_LIST_CAP }, (_, i) => [`${'U'.repeat(58)}${String(i).padStart(6, '0')}`, standingEntry(entry, i, 4 * AGGREGATE_LIST_CAP)])) };
          const aggregate = campaignAggregateOf(view, continueAsNewInput(view, plan, own).cycleId, U64, plan.closesAt, aggregateState);
          expect(jsonBytes(largestAggregate(def))).toBeGreaterThanOrEqual(jsonBytes(aggregate));
          expect(maxCycleResultBytes(def)).toBeGreaterThanOrEqual(jsonBytes({ cycleId: aggregate.cycleId, plan, aggregate }));
          expect(jsonBytes({ cycleId: aggregate.cycleId, plan, aggregate })).toBeLessThanOrEqual(PAYLOAD_BUDGET_BYTES);
        },
      ),
      { numRuns: 40 },
    );
    // both kinds were met: the properties above are not about refused definitions only
    expect(seen.accepted).toBeGreaterThanOrEqual(5);
    expect(seen.refused).toBeGreaterThanOrEqual(5);
  });
});

/**
 * One of `of` entries on time, late, or open and overdue by `i`, so that every list of an aggregate fills; its
 * counters and values a share of the largest, so that `of` of them add up to no more than one subtree holds.
 */
function standingEntry(entry: CampaignChildEntry, i: number, of: number): CampaignChildEntry {
  const phase = (p: CampaignChildEntry['phases'][string]) => (i % 3 === 0 ? p : i % 3 === 1 ? { ...p, late: true } : { ...p, progress: 'open' as const, overdue: true });
  const share = (n: number) => Math.trunc(n / of);
  const figures = (set: Record<string, Record<string, { value: number | null; reporting: number }>>) =>
    Object.fromEntries(Object.entries(set).map(([k, fs]) => [k, Object.fromEntries(Object.entries(fs).map(([f, v]) => [f, { value: v.value === null ? null : v.value / of, reporting: share(v.reporting) }]))]));
  const s = entry.subtree;
  return {
    ...entry,
    phases: Object.fromEntries(Object.entries(entry.phases).map(([k, p]) => [k, phase(p)])),
    subtree: {
      counts: Object.fromEntries(Object.entries(s.counts).map(([k, c]) => [k, c.map(share) as typeof c])),
      figures: figures(s.figures),
      targets: figures(s.targets),
      listItems: Object.fromEntries(Object.entries(s.listItems).map(([k, n]) => [k, share(n)])),
    },
  };
}
