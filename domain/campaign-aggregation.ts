// How a campaign's figures roll up the tree, each by its own rule (sum, minimum, maximum, or the count of units
// reporting a non-zero value), and how a plan's targets compare with what was achieved. Pure and JSON-safe:
// the campaign workflows fold their units' reports with it, the documents print what it returns, so a DOCX,
// an XLSX and a running aggregate can never disagree on a total.
import type { Aggregation, Figure } from './campaign-form';

/** What aggregation needs of a figure (the workflow view of a form carries just this). */
export type AggregatedFigure = Pick<Figure, 'key' | 'type' | 'decimals' | 'aggregation'>;

/** One unit's values, by figure key, as its submission carries them (`figures` or a plan's `targets`). */
export type FigureValues = Readonly<Record<string, number>>;

/**
 * A figure over a set of units: `value` by the figure's rule — for `countNonZero` the number of units whose
 * value is not 0 — and `reporting`, how many units of the set gave a value at all. `value` is null for a
 * minimum or maximum over no value (there is no smallest of nothing); a sum or a count over none is 0.
 */
export interface FigureRollup {
  value: number | null;
  reporting: number;
}

export type FiguresRollup = Record<string, FigureRollup>;

/** Target, achieved and % achieved of one figure; `percent` is null when there is nothing to divide by. */
export interface TargetProgress {
  target: number | null;
  achieved: number | null;
  /** achieved / target × 100, unrounded; null without a target or achieved value, or when the target is not above 0 */
  percent: number | null;
}

const EMPTY_VALUE: Readonly<Record<Aggregation, number | null>> = Object.freeze({ sum: 0, min: null, max: null, countNonZero: 0 });

/**
 * Sums of decimals drift in binary (0.1 + 0.2); a decimal figure's sum is rounded to its fraction digits, an
 * integer's is exact up to Number.MAX_SAFE_INTEGER.
 */
function tidy(f: AggregatedFigure, v: number): number {
  if (f.type !== 'decimal' || f.aggregation === 'countNonZero') return v;
  const scale = 10 ** f.decimals;
  return Math.round(v * scale) / scale;
}

function combine(rule: Aggregation, a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  switch (rule) {
    case 'sum':
    case 'countNonZero':
      return a + b;
    case 'min':
      return Math.min(a, b);
    case 'max':
      return Math.max(a, b);
  }
}

/** The rollup of no unit at all: the identity of `mergeRollups`. */
export function emptyRollup(figures: readonly AggregatedFigure[]): FiguresRollup {
  return Object.fromEntries(figures.map((f) => [f.key, { value: EMPTY_VALUE[f.aggregation], reporting: 0 }]));
}

/**
 * One unit's own values as a rollup. `values` null (the unit has not reported) or a figure missing from it
 * counts as not reporting; a value that is not a finite number is refused, it would poison every total above.
 */
export function unitRollup(figures: readonly AggregatedFigure[], values: FigureValues | null | undefined): FiguresRollup {
  const out = emptyRollup(figures);
  if (!values) return out;
  for (const f of figures) {
    const v = values[f.key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`figure ${f.key}: not a finite number (${String(v)})`);
    out[f.key] = { value: f.aggregation === 'countNonZero' ? (v !== 0 ? 1 : 0) : tidy(f, v), reporting: 1 };
  }
  return out;
}

/** Two disjoint sets of units as one (associative and commutative, `emptyRollup` its identity). */
export function mergeRollups(figures: readonly AggregatedFigure[], a: FiguresRollup, b: FiguresRollup): FiguresRollup {
  const out: FiguresRollup = {};
  for (const f of figures) {
    const x = a[f.key] ?? { value: EMPTY_VALUE[f.aggregation], reporting: 0 };
    const y = b[f.key] ?? { value: EMPTY_VALUE[f.aggregation], reporting: 0 };
    const value = combine(f.aggregation, x.value, y.value);
    out[f.key] = { value: value === null ? null : tidy(f, value), reporting: x.reporting + y.reporting };
  }
  return out;
}

/** The rollup of several rollups (a node's children's subtrees and its own report). */
export function mergeAllRollups(figures: readonly AggregatedFigure[], parts: Iterable<FiguresRollup>): FiguresRollup {
  let acc = emptyRollup(figures);
  for (const p of parts) acc = mergeRollups(figures, acc, p);
  return acc;
}

/** The figures of a set of units from their own values (null: a unit that has not reported). */
export function aggregateFigures(figures: readonly AggregatedFigure[], units: Iterable<FigureValues | null | undefined>): FiguresRollup {
  let acc = emptyRollup(figures);
  for (const u of units) acc = mergeRollups(figures, acc, unitRollup(figures, u));
  return acc;
}

/** % achieved, or null when it means nothing: no target, no achieved value, a target of 0 or below (never Infinity). */
export function percentAchieved(target: number | null, achieved: number | null): number | null {
  if (target === null || achieved === null || !(target > 0)) return null;
  // × 100 first: 12 of 20 is exactly 60, not 60.00000000000001
  const p = (achieved * 100) / target;
  // a target of a denormal size overflows: no meaningful %
  return Number.isFinite(p) ? p : null;
}

/**
 * Target against achieved for each figure that has a target. Targets roll up by the figure's own rule, like
 * the values they are set for (a sum of targets for a summed figure, the count of units aiming above 0 for a
 * counted one); a figure no unit of the set set a target for has `target: null`.
 */
export function targetProgress(figures: readonly AggregatedFigure[], targets: FiguresRollup, achieved: FiguresRollup): Record<string, TargetProgress> {
  const out: Record<string, TargetProgress> = {};
  for (const f of figures) {
    const t = targets[f.key];
    if (!t) continue;
    const target = t.reporting > 0 ? t.value : null;
    // a sum or count over no report is 0 achieved (0 % of the target); a minimum or maximum of nothing is null
    const value = achieved[f.key]?.value ?? null;
    out[f.key] = { target, achieved: value, percent: percentAchieved(target, value) };
  }
  return out;
}
