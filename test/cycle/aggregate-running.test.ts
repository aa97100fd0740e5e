// The running aggregate of a parent (workflows/aggregate-running.ts) against the full recomputation over every
// child entry (belowRollup, workflows/unit-state.ts): random children (ids that sort as array indices too), random
// sequences of their reports — standings, deep id lists of any length, figures up to safe-integer sums — and
// after every report the two must be equal, lists and their order included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AGGREGATE_LIST_CAP, type PhaseRollup, type UnitList } from '../../workflows/aggregate-types';
import { RunningAggregate } from '../../workflows/aggregate-running';
import type { ChildPhaseSummary, ChildReport } from '../../workflows/messages';
import { UNIT_FIGURE_MAX } from '../../workflows/report';
import { belowRollup, childEntryOf, initialPhase, pristineChild, type UnitState } from '../../workflows/unit-state';

const LEVEL = { dueDate: '2027-03-31', dueAt: '2027-03-31T16:59:59.000Z', reminders: [], escalations: [] };
const emptyState = (): UnitState => ({
  plan: initialPhase(LEVEL),
  report: initialPhase(LEVEL),
  ownReport: null,
  receipts: {},
  done: [],
  children: {},
  seq: 0,
  bounces: 0,
  closed: false,
});

const summary: fc.Arbitrary<ChildPhaseSummary> = fc
  .record({ progress: fc.constantFrom('open', 'submitted', 'returned', 'accepted'), late: fc.boolean(), overdue: fc.boolean(), remindersSent: fc.nat(5) })
  .map((s) => ({ ...s, deadlines: null, ...(s.progress === 'open' ? {} : { version: 1 }) }) as ChildPhaseSummary);

/** A list of ids below a child (some of them may repeat the child's own id: childEntryOf drops it). */
const list = (pool: string[]): fc.Arbitrary<UnitList> =>
  fc.array(fc.constantFrom(...pool), { maxLength: 2 * AGGREGATE_LIST_CAP }).chain((ids) => fc.nat(1_000).map((extra) => ({ ids, total: ids.length + extra })));

const phase = (pool: string[]): fc.Arbitrary<PhaseRollup> =>
  fc.record({ expected: fc.nat(10_000), submittedOnTime: list(pool), submittedLate: list(pool), notSubmitted: list(pool), overdue: list(pool) });

const figure = fc.oneof(fc.nat(UNIT_FIGURE_MAX), fc.integer({ min: 0, max: 2 ** 40 }));

const report = (unitId: string, pool: string[]): fc.Arbitrary<Omit<ChildReport, 'seq'>> =>
  fc.record({
    unitId: fc.constant(unitId),
    plan: summary,
    report: summary,
    subtree: fc.record({
      plan: phase(pool),
      report: phase(pool),
      figures: fc.record({ studyClasses: figure, participants: figure, exemplaryModels: figure, exemplaryPeople: figure }),
      commendations: fc.record({ total: fc.nat(100_000) }),
    }),
  });

/** Child ids, some of which are array indices ("7", "120"): a plain object lists those first. */
const childIds = fc.uniqueArray(fc.oneof(fc.stringMatching(/^[A-Z]{1,3}-[0-9]{1,3}$/), fc.nat(500).map(String), fc.constant('0')), { minLength: 1, maxLength: 40 });

const scenario = childIds.chain((ids) => {
  const pool = [...ids, ...ids.map((id) => `${id}.x`), 'DEEP-1', 'DEEP-2', '42'];
  return fc.record({
    ids: fc.constant(ids),
    pristine: fc.subarray(ids),
    quota: fc.constantFrom(0, 1, Math.floor(AGGREGATE_LIST_CAP / ids.length), AGGREGATE_LIST_CAP),
    reports: fc.array(
      fc.constantFrom(...ids).chain((id) => report(id, pool)),
      { minLength: 1, maxLength: 60 },
    ),
  });
});

describe('the running aggregate of a parent', () => {
  it('equals the full recomputation over every child entry after every report, in any order', () => {
    fc.assert(
      fc.property(scenario, ({ pristine, quota, reports }) => {
        const state = emptyState();
        for (const id of pristine) state.children[id] = pristineChild('grassroots');
        const running = new RunningAggregate(state.children);
        expect(running.rollup()).toEqual(belowRollup(state));
        reports.forEach((r, seq) => {
          const entry = childEntryOf({ ...r, seq: seq + 1 }, 'intermediate', quota);
          state.children[r.unitId] = entry;
          running.set(r.unitId, entry);
          expect(running.rollup()).toEqual(belowRollup(state));
        });
        // a new run rebuilds it from the state carried over (continue-as-new)
        expect(new RunningAggregate(JSON.parse(JSON.stringify(state.children))).rollup()).toEqual(belowRollup(state));
      }),
      { numRuns: 300 },
    );
  });

  it('caps every list and counts every unit with thousands of children', () => {
    const state = emptyState();
    const running = new RunningAggregate();
    for (let i = 0; i < 3_000; i++) {
      const id = `CDCS-${i}`;
      state.children[id] = pristineChild('grassroots');
      running.set(id, state.children[id]);
    }
    const done = childEntryOf({ unitId: 'CDCS-2999', plan: { progress: 'submitted', version: 1, late: true, overdue: false, deadlines: null, remindersSent: 2 }, report: pristineChild('grassroots').report, seq: 1, subtree: belowRollup(emptyState()) }, 'grassroots', 0);
    state.children['CDCS-2999'] = { ...done, counts: { plan: [1, 0, 1, 0, 0], report: [1, 0, 0, 1, 0] } };
    running.set('CDCS-2999', state.children['CDCS-2999']);
    const rollup = running.rollup();
    expect(rollup).toEqual(belowRollup(state));
    expect(rollup.plan.notSubmitted).toMatchObject({ total: 2_999 });
    expect(rollup.plan.notSubmitted.ids).toHaveLength(AGGREGATE_LIST_CAP);
    expect(rollup.plan.submittedLate).toEqual({ ids: ['CDCS-2999'], total: 1 });
  });
});
