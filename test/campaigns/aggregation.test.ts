// Aggregation by each figure's rule: the rollup of a set of units equals the rule applied to their values
// whatever the tree's shape (merging is associative and commutative, the empty rollup its identity), decimals
// stay at their fraction digits, and % achieved never divides by zero.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aggregateFigures,
  emptyRollup,
  mergeAllRollups,
  mergeRollups,
  percentAchieved,
  targetProgress,
  unitRollup,
  type AggregatedFigure,
  type FigureValues,
  type FiguresRollup,
} from '../../domain/campaign-aggregation';

const FIGURES: AggregatedFigure[] = [
  { key: 'sessions', type: 'integer', decimals: 2, aggregation: 'sum' },
  { key: 'lowest', type: 'integer', decimals: 2, aggregation: 'min' },
  { key: 'rate', type: 'decimal', decimals: 1, aggregation: 'max' },
  { key: 'share', type: 'decimal', decimals: 2, aggregation: 'sum' },
  { key: 'accidents', type: 'integer', decimals: 2, aggregation: 'countNonZero' },
];

const decimal = (digits: number, max: number) => fc.integer({ min: 0, max: max * 10 ** digits }).map((n) => n / 10 ** digits);
/** one unit's report: each figure present or not (an older form, a partial import), or no report at all */
const unitValues: fc.Arbitrary<FigureValues | null> = fc.option(
  fc.record(
    {
      sessions: fc.integer({ min: 0, max: 1_000_000 }),
      lowest: fc.integer({ min: -1_000, max: 1_000 }),
      rate: decimal(1, 100),
      share: decimal(2, 1_000),
      accidents: fc.integer({ min: 0, max: 3 }),
    },
    { requiredKeys: [] },
  ),
  { nil: null, freq: 5 },
);

/** The rule applied directly to the list of values, as a person would compute it. */
function expected(values: (FigureValues | null)[]): FiguresRollup {
  const out: FiguresRollup = {};
  for (const f of FIGURES) {
    const given = values.flatMap((v) => (v && v[f.key] !== undefined ? [v[f.key]!] : []));
    let value: number | null;
    if (f.aggregation === 'sum') value = f.type === 'decimal' ? Math.round(given.reduce((a, b) => a + b, 0) * 10 ** f.decimals) / 10 ** f.decimals : given.reduce((a, b) => a + b, 0);
    else if (f.aggregation === 'min') value = given.length ? Math.min(...given) : null;
    else if (f.aggregation === 'max') value = given.length ? Math.max(...given) : null;
    else value = given.filter((v) => v !== 0).length;
    out[f.key] = { value, reporting: given.length };
  }
  return out;
}

/** Splits a list into consecutive groups (subtrees), by cut points. */
const groupsOf = <T>(items: T[], cuts: number[]) => {
  const at = [...new Set(cuts.map((c) => c % (items.length + 1)))].sort((a, b) => a - b);
  const out: T[][] = [];
  let from = 0;
  for (const c of [...at, items.length]) {
    out.push(items.slice(from, c));
    from = c;
  }
  return out;
};

describe('aggregation by figure rule', () => {
  it('equals the rule applied to all values, however the units are grouped into subtrees and in any order', () => {
    fc.assert(
      fc.property(fc.array(unitValues, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 6 }), fc.infiniteStream(fc.boolean()), (values, cuts, flips) => {
        const flat = aggregateFigures(FIGURES, values);
        expect(flat).toEqual(expected(values));
        // each subtree rolled up on its own, then the subtrees merged, in either order at each step
        const it = flips[Symbol.iterator]();
        const tree = groupsOf(values, cuts)
          .map((g) => aggregateFigures(FIGURES, g))
          .reduce((acc, r) => (it.next().value ? mergeRollups(FIGURES, acc, r) : mergeRollups(FIGURES, r, acc)), emptyRollup(FIGURES));
        expect(tree).toEqual(flat);
        expect(mergeAllRollups(FIGURES, [emptyRollup(FIGURES), flat, emptyRollup(FIGURES)])).toEqual(flat);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps decimal sums at their fraction digits (no 0.30000000000000004)', () => {
    const r = aggregateFigures(FIGURES, [{ share: 0.1 }, { share: 0.2 }, { rate: 12.3 }]);
    expect(r.share).toEqual({ value: 0.3, reporting: 2 });
    expect(r.rate).toEqual({ value: 12.3, reporting: 1 });
  });

  it('counts units with a non-zero value, and says how many reported at all', () => {
    const r = aggregateFigures(FIGURES, [{ accidents: 0 }, { accidents: 2 }, null, { accidents: 1 }, {}]);
    expect(r.accidents).toEqual({ value: 2, reporting: 3 });
    expect(r.lowest).toEqual({ value: null, reporting: 0 });
    expect(r.sessions).toEqual({ value: 0, reporting: 0 });
  });

  it('refuses a value that is not a finite number, naming the figure', () => {
    expect(() => unitRollup(FIGURES, { sessions: Number.NaN })).toThrow(/sessions/);
    expect(() => unitRollup(FIGURES, { rate: Infinity })).toThrow(/rate/);
  });
});

describe('targets and % achieved', () => {
  it('is achieved / target × 100 for a target above 0, and null otherwise (never Infinity or NaN)', () => {
    fc.assert(
      fc.property(fc.option(fc.double({ min: -1e9, max: 1e9, noNaN: true })), fc.option(fc.double({ min: -1e9, max: 1e9, noNaN: true })), (t, a) => {
        const p = percentAchieved(t, a);
        if (t === null || a === null || !(t > 0) || !Number.isFinite((a / t) * 100)) expect(p).toBeNull();
        else {
          expect(Number.isFinite(p)).toBe(true);
          const exact = (a / t) * 100;
          expect(Math.abs(p! - exact)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(exact)));
        }
      }),
    );
    expect(percentAchieved(0, 0)).toBeNull();
    expect(percentAchieved(0, 5)).toBeNull();
    expect(percentAchieved(40, 30)).toBe(75);
    expect(percentAchieved(Number.MIN_VALUE, 1)).toBeNull();
  });

  it('rolls targets up by the figure’s rule and compares them with the achieved rollup', () => {
    const targets = aggregateFigures(FIGURES, [{ sessions: 10, rate: 50 }, { sessions: 30, rate: 80 }, null]);
    const achieved = aggregateFigures(FIGURES, [{ sessions: 12, rate: 40 }, { sessions: 18 }, { sessions: 0 }]);
    const p = targetProgress(FIGURES, targets, achieved);
    expect(p.sessions).toEqual({ target: 40, achieved: 30, percent: 75 });
    expect(p.rate).toEqual({ target: 80, achieved: 40, percent: 50 });
    // no unit set a target for these: no target, no %
    expect(p.lowest).toEqual({ target: null, achieved: null, percent: null });
    expect(p.accidents).toEqual({ target: null, achieved: 0, percent: null });
  });

  it('shows 0 % when a target was set and nothing was reported for a summed figure', () => {
    const p = targetProgress(FIGURES, aggregateFigures(FIGURES, [{ sessions: 5 }]), emptyRollup(FIGURES));
    expect(p.sessions).toEqual({ target: 5, achieved: 0, percent: 0 });
  });
});
