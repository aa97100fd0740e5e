// How a parent carries its children across continue-as-new (workflows/unit-state-packing.ts): packing loses
// nothing (random entries, extended deadlines recomputed from their due dates), and the whole continue-as-new
// input of a parent with MAX_FAN_OUT children at the largest legal values — 64-byte ids, figures at the cap,
// every counter at its largest, both phases extended, the parent's own receipts and done keys of a busy year —
// stays within the 256 KiB payload budget, measured as Temporal encodes it.
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCalendarActivities } from '../../activities/calendar';
import type { DeadlinePlan, PhaseDeadlines } from '../../activities/calendar/types';
import { MAX_DEPTHS } from '../../activities/calendar/constants';
import { loadConfig } from '../../common/config';
import { AGGREGATE_LIST_CAP } from '../../workflows/aggregate-types';
import type { ChildPhaseSummary } from '../../workflows/messages';
import { MAX_COMMENDATIONS, UNIT_FIGURE_MAX } from '../../workflows/report';
import type { ResumedState, UnitWorkflowInput } from '../../workflows/unit';
import { initialPhase, type ChildEntry, type IdSample } from '../../workflows/unit-state';
import { MAX_FAN_OUT, packChildren, unpackChildren, extendedDueDates, packChild } from '../../workflows/unit-state-packing';
import { PAYLOAD_BUDGET_BYTES } from '../support/history-budget';
import { UNIT_ID_PATTERN } from '../../activities/directory/import-rows';

const { Payload } = temporal.api.common.v1;
/** bytes of one payload as Temporal stores it (what its size limits count) */
const payloadBytes = (value: unknown) => Payload.encode(defaultPayloadConverter.toPayload(value)!).finish().length;

const calendar = createCalendarActivities({ config: loadConfig({}) });
let plan: DeadlinePlan;
const extended = new Map<string, PhaseDeadlines>();
beforeAll(async () => {
  // the deepest plan the calendar accepts (the cascade must stay within the year): the largest plan a unit carries
  for (let depths = MAX_DEPTHS; !plan; depths--) plan = await calendar.computeCyclePlan({ year: 2027, firstYear: false, depths }).catch(() => plan);
  for (const dueDate of ['2027-04-20', '2027-06-30', '2027-10-30', '2027-11-16'])
    extended.set(dueDate, await calendar.computePhaseDeadlines({ dueDate, rules: plan.rules }));
});
const deadlinesOf = (dueDate: string) => {
  const d = [...extended.values()].find((x) => x.dueDate === dueDate);
  if (!d) throw new Error(`no deadlines for ${dueDate}`);
  return d;
};

const id64 = (i: number) => `${'CDCS-'.padEnd(56, 'X')}${String(i).padStart(8, '0')}`;

const summary = (deadlines: fc.Arbitrary<PhaseDeadlines | null>): fc.Arbitrary<ChildPhaseSummary> =>
  fc
    .record({
      progress: fc.constantFrom('open', 'submitted', 'returned', 'accepted'),
      version: fc.option(fc.integer({ min: 1, max: 1_000 }), { nil: undefined }),
      late: fc.boolean(),
      overdue: fc.boolean(),
      deadlines,
      remindersSent: fc.nat(100),
    })
    .map(({ version, ...s }) => ({ progress: s.progress, ...(version === undefined ? {} : { version }), late: s.late, overdue: s.overdue, deadlines: s.deadlines, remindersSent: s.remindersSent }) as ChildPhaseSummary);

const safe = fc.oneof(fc.nat(100), fc.nat(UNIT_FIGURE_MAX), fc.maxSafeNat());
const counts = fc.tuple(safe, safe, safe, safe, safe);
const sample: fc.Arbitrary<IdSample> = fc.tuple(...[0, 1, 2, 3].map(() => fc.array(fc.stringMatching(/^[A-Z0-9-]{1,12}$/), { maxLength: 3 }))) as fc.Arbitrary<IdSample>;

describe('packed children', () => {
  it('unpack to exactly the entries packed, the extended deadlines recomputed from their due dates', () => {
    const deadlines = fc.option(fc.constantFrom(...extended.values()), { nil: null });
    const entry: fc.Arbitrary<ChildEntry> = fc
      .record({
        kind: fc.constantFrom('root', 'intermediate', 'grassroots'),
        seq: fc.maxSafeNat(),
        plan: summary(deadlines),
        report: summary(deadlines),
        counts: fc.record({ plan: counts, report: counts }),
        figures: fc.tuple(safe, safe, safe, safe),
        commendations: safe,
        below: fc.option(fc.record({ plan: sample, report: sample }), { nil: undefined }),
      })
      .map(({ below, ...e }) => (below ? { ...e, below } : e) as ChildEntry);
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/).filter((id) => UNIT_ID_PATTERN.test(id)), { minLength: 1, maxLength: 30 }), fc.array(entry, { minLength: 30, maxLength: 30 }), (ids, entries) => {
        const children = Object.fromEntries(ids.map((id, i) => [id, entries[i]!]));
        const order = [...ids].reverse(); // the frozen tree's order, not the state's
        const packed = packChildren(children, order)!;
        const back = unpackChildren(JSON.parse(JSON.stringify(packed)), order, deadlinesOf);
        expect(back).toEqual(children);
        for (const d of extendedDueDates(packed)) expect(deadlinesOf(d).dueDate).toBe(d);
      }),
      { numRuns: 200 },
    );
  });

  it('are not packed when the listed ids are not exactly the children known', () => {
    const children = { A: largest(0, false) };
    expect(packChildren(children, ['A', 'B'])).toBeNull();
    expect(packChildren(children, ['B'])).toBeNull();
    expect(packChildren(children, ['A'])).not.toBeNull();
  });

  it(`keep a parent of ${MAX_FAN_OUT} children at the largest legal values within the 256 KiB payload budget`, () => {
    const children: Record<string, ChildEntry> = {};
    for (let i = 0; i < MAX_FAN_OUT; i++) children[id64(i)] = largest(i, false);
    const input = continueAsNewInput(children, Object.keys(children));
    const bytes = payloadBytes(input);
    const perChild = packChild(largest(0, false)).length + 3; // quotes and comma
    console.info(`continue-as-new input of a parent with ${MAX_FAN_OUT} children: ${(bytes / 1024).toFixed(1)} KiB (${perChild} bytes a child at most; the same entries unpacked: ${(payloadBytes(children) / 1024).toFixed(0)} KiB)`);
    expect(bytes).toBeLessThanOrEqual(PAYLOAD_BUDGET_BYTES);
  });

  it(`keep a parent of ${AGGREGATE_LIST_CAP} children, each with its full share of ids below, within the budget`, () => {
    const children: Record<string, ChildEntry> = {};
    for (let i = 0; i < AGGREGATE_LIST_CAP; i++) children[id64(i)] = largest(i, true);
    expect(payloadBytes(continueAsNewInput(children, Object.keys(children)))).toBeLessThanOrEqual(PAYLOAD_BUDGET_BYTES);
  });
});

/**
 * The largest legal entry: a child whose subtree is its share of a 130,000-unit country (65 units below each of
 * 2,000 children: counts of 65, figures of 65 × the per-unit cap, 65 × 200 proposals), every counter of its
 * phases at a large value, both deadlines extended; `withSample`: its share of ids below (1 per list).
 */
function largest(i: number, withSample: boolean): ChildEntry {
  const units = 65;
  const phase = (dueDate: string): ChildPhaseSummary => ({ progress: 'returned', version: 999, late: true, overdue: true, deadlines: deadlinesOf(dueDate), remindersSent: 99 });
  const entry: ChildEntry = {
    kind: 'intermediate',
    seq: 999_999,
    plan: phase('2027-04-20'),
    report: phase('2027-11-16'),
    counts: { plan: [units, units, units, units, units], report: [units, units, units, units, units] },
    figures: [units * UNIT_FIGURE_MAX, units * UNIT_FIGURE_MAX, units * UNIT_FIGURE_MAX, units * UNIT_FIGURE_MAX],
    commendations: units * MAX_COMMENDATIONS,
  };
  if (withSample) {
    const ids = (list: number): string[] => [id64(100_000 + i * 8 + list)];
    entry.below = { plan: [ids(0), ids(1), ids(2), ids(3)], report: [ids(4), ids(5), ids(6), ids(7)] };
  }
  return entry;
}

/** The continue-as-new input of the parent: its input and its own state at the size of a busy year. */
function continueAsNewInput(children: Record<string, ChildEntry>, order: string[]): UnitWorkflowInput {
  const ownDeadlines = extended.get('2027-06-30')!;
  const unitId = id64(99_999_999);
  const receipts: ResumedState['receipts'] = {};
  // 20 submissions (each phase submitted, returned and resubmitted ten times), 128-character keys
  for (let v = 1; v <= 20; v++)
    receipts[`${'k'.repeat(120)}:${String(v).padStart(7, '0')}`] = { unitId, phase: v % 2 ? 'plan' : 'report', version: v, submittedAt: '2027-06-30T16:59:59.000Z', late: true, duplicate: false, contentHash: 'f'.repeat(64) };
  // every reminder, due mark and escalation round of both phases, for the level's and 40 other due dates
  const done: string[] = [];
  for (let d = 0; d < 40; d++)
    for (const e of ownDeadlines.escalations) done.push(`escalation:report:${e.at.replace('2027-', `${2027 + d}-`)}:${e.target}`, `reminder:plan:${e.at.replace('2027-', `${2027 + d}-`)}`);
  const state: ResumedState = {
    plan: { ...initialPhase(ownDeadlines), extended: true, remindersSent: 99, escalationsSent: 99 },
    report: { ...initialPhase(ownDeadlines), extended: true, remindersSent: 99, escalationsSent: 99 },
    ownReport: { figures: { studyClasses: UNIT_FIGURE_MAX, participants: UNIT_FIGURE_MAX, exemplaryModels: UNIT_FIGURE_MAX, exemplaryPeople: UNIT_FIGURE_MAX }, commendationCount: MAX_COMMENDATIONS },
    receipts,
    done,
    children: {},
    packedChildren: packChildren(children, order)!,
    seq: 999_999,
    bounces: 999,
    closed: false,
    taskSent: true,
    childrenStarted: true,
  };
  return {
    cycleId: `cycle-2027-${id64(0)}`,
    year: 2027,
    unitId,
    kind: 'intermediate',
    depth: plan.levels.length - 2,
    parentUnitId: id64(1),
    grandparentUnitId: id64(2),
    rootUnitId: id64(3),
    reportToWorkflowId: `unit-cycle-2027-${id64(0)}-${id64(1)}`,
    plan,
    childCount: order.length,
    maxDirectChildren: 500,
    continueAsNewAfterEvents: 4_000,
    resume: state,
  };
}
