// The aggregate of everything below a unit, kept as running totals over its children's entries: a child's new
// report subtracts what its previous entry contributed and adds the new one, so the work per child change does
// not grow with the number of children. The result is exactly belowRollup(state) (workflows/unit-state.ts, the
// full recomputation over every entry, kept as the reference; test/cycle/aggregate-running.test.ts checks the
// two agree on random sequences of reports).
//
// Totals (expected, list totals, figures, commendations) are integer sums: exact in any order while they stay
// safe integers, which aggregateFiguresSchema requires anyway. The capped id lists are the first
// AGGREGATE_LIST_CAP ids of the concatenation, in the children's order, of what each child puts in the list (its
// own id when its standing belongs there, then the ids sampled below it): each list keeps the children that put
// at least one id in it, sorted, so building it reads at most AGGREGATE_LIST_CAP of them whatever the fan-out.
// Derived from the state, never stored: rebuilt from state.children when a run starts.
import { AGGREGATE_LIST_CAP, type PhaseRollup, type Rollup, type UnitList } from './aggregate-types';
import { emptyRollup, type PhaseStanding } from './aggregate';
import type { ChildPhaseSummary } from './messages';
import { FIGURE_KEYS, PHASES, type Phase } from './report';
import type { ChildEntry } from './unit-state';

/** Which lists (after `expected`: on time, late, not submitted, overdue) a child's own standing puts it in. */
const LISTS_OF_STANDING: Record<PhaseStanding, readonly number[]> = { 'on-time': [0], late: [1], pending: [2], overdue: [2, 3] };
const LIST_COUNT = 4;

export function summaryStanding(s: ChildPhaseSummary): PhaseStanding {
  if (s.progress === 'open') return s.overdue ? 'overdue' : 'pending';
  return s.late ? 'late' : 'on-time';
}

/** What one child puts in list `list` of `phase`: its own id if its standing belongs there, then its sample. */
export function listContribution(id: string, child: ChildEntry, phase: Phase, list: number): readonly string[] {
  const own = LISTS_OF_STANDING[summaryStanding(child[phase])].includes(list);
  const sample = child.below?.[phase][list] ?? [];
  return own ? [id, ...sample] : sample;
}

/**
 * The order of the keys of a plain object, which belowRollup follows (Object.entries): keys that are array
 * indices first, ascending, then the others in insertion order.
 */
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;
export function isArrayIndex(key: string): boolean {
  return ARRAY_INDEX.test(key) && Number(key) < 2 ** 32 - 1;
}

/** A set of child ids kept in the children's order (binary search on a sort key). */
class OrderedIds {
  private readonly ids: string[] = [];
  constructor(private readonly before: (a: string, b: string) => boolean) {}

  private indexOf(id: string): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.before(this.ids[mid]!, id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(id: string) {
    const at = this.indexOf(id);
    if (this.ids[at] !== id) this.ids.splice(at, 0, id);
  }

  delete(id: string) {
    const at = this.indexOf(id);
    if (this.ids[at] === id) this.ids.splice(at, 1);
  }

  [Symbol.iterator]() {
    return this.ids[Symbol.iterator]();
  }
}

export class RunningAggregate {
  private readonly entries = new Map<string, ChildEntry>();
  /** insertion rank of each key that is not an array index (the order of Object.entries) */
  private readonly rank = new Map<string, number>();
  private nextRank = 0;
  private readonly expected: Record<Phase, number> = { plan: 0, report: 0 };
  private readonly totals: Record<Phase, number[]> = { plan: [0, 0, 0, 0], report: [0, 0, 0, 0] };
  private readonly figures = FIGURE_KEYS.map(() => 0);
  private commendations = 0;
  private readonly members: Record<Phase, OrderedIds[]>;

  constructor(children: Record<string, ChildEntry> = {}) {
    const before = (a: string, b: string) => this.before(a, b);
    this.members = {
      plan: Array.from({ length: LIST_COUNT }, () => new OrderedIds(before)),
      report: Array.from({ length: LIST_COUNT }, () => new OrderedIds(before)),
    };
    for (const [id, entry] of Object.entries(children)) this.set(id, entry);
  }

  private before(a: string, b: string): boolean {
    const ai = isArrayIndex(a);
    const bi = isArrayIndex(b);
    if (ai !== bi) return ai;
    return ai ? Number(a) < Number(b) : this.rank.get(a)! < this.rank.get(b)!;
  }

  /** The entry of child `id` is now `entry` (a new child, or a newer report of a known one). */
  set(id: string, entry: ChildEntry): void {
    const previous = this.entries.get(id);
    if (previous) this.apply(id, previous, -1);
    else if (!isArrayIndex(id)) this.rank.set(id, this.nextRank++);
    this.entries.set(id, entry);
    this.apply(id, entry, +1);
  }

  private apply(id: string, child: ChildEntry, sign: 1 | -1) {
    for (const phase of PHASES) {
      const counts = child.counts[phase];
      this.expected[phase] += sign * counts[0];
      for (let i = 0; i < LIST_COUNT; i++) {
        this.totals[phase][i]! += sign * counts[i + 1]!;
        if (listContribution(id, child, phase, i).length === 0) continue;
        if (sign > 0) this.members[phase][i]!.add(id);
        else this.members[phase][i]!.delete(id);
      }
    }
    FIGURE_KEYS.forEach((_, i) => (this.figures[i]! += sign * child.figures[i]!));
    this.commendations += sign * child.commendations;
  }

  private list(phase: Phase, i: number): UnitList {
    const ids: string[] = [];
    for (const id of this.members[phase][i]!) {
      for (const unitId of listContribution(id, this.entries.get(id)!, phase, i)) {
        if (ids.length === AGGREGATE_LIST_CAP) break;
        ids.push(unitId);
      }
      if (ids.length === AGGREGATE_LIST_CAP) break;
    }
    return { ids, total: this.totals[phase][i]! };
  }

  /** Everything below the unit: what belowRollup(state) computes from every entry. */
  rollup(): Rollup {
    const rollup = emptyRollup();
    for (const phase of PHASES) {
      const p: PhaseRollup = {
        expected: this.expected[phase],
        submittedOnTime: this.list(phase, 0),
        submittedLate: this.list(phase, 1),
        notSubmitted: this.list(phase, 2),
        overdue: this.list(phase, 3),
      };
      rollup[phase] = p;
    }
    FIGURE_KEYS.forEach((k, i) => (rollup.figures[k] = this.figures[i]!));
    rollup.commendations.total = this.commendations;
    return rollup;
  }
}
