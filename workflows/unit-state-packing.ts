// How a parent carries its children's entries across continue-as-new within the 256 KiB payload budget, for
// fan-outs of thousands: one row of numbers per child, in the order of the cycle's frozen tree, and neither the
// child ids nor an extended child's deadlines — the new run lists the ids again (listCycleChildren, the same
// order) and recomputes the deadlines of each extended due date (computePhaseDeadlines, the activity the child
// itself used). What a row keeps is measured in test/cycle/child-packing.test.ts: at the largest legal values
// (the budget's worst case) MAX_FAN_OUT children fit, with the parent's own state, in PACKED_STATE_BUDGET_BYTES.
import type { PhaseDeadlines } from '../domain/calendar';
import type { UnitKind } from '../domain/directory';
import type { ChildPhaseSummary, PhaseProgress } from './messages';
import { PHASES, type Phase } from './report';
import type { ChildEntry, FigureTuple, IdSample, PhaseCounts } from './unit-state';
import { MAX_FAN_OUT } from '../domain/workflow-limits';

/** Direct children one unit may have (domain/workflow-limits.ts). */
export { MAX_FAN_OUT };

/** Children's ids are listed again this many at a time (the activity's MAX_CHILDREN_PAGE). */
export const CHILD_LIST_PAGE = 500;

const KINDS: readonly UnitKind[] = ['root', 'intermediate', 'grassroots'];
const PROGRESS: readonly PhaseProgress['kind'][] = ['open', 'submitted', 'returned', 'accepted'];

/**
 * One child as whole numbers in base 36, joined by commas (the largest legal row is about 80 bytes, where the
 * JSON of its ChildEntry is over 400, and 1,600 with extended deadlines): [kind, seq, plan: state, version,
 * reminders sent, report: state, version, reminders sent, plan counts ×5, report counts ×5, figures ×4,
 * commendations] and, only for a child whose deadline was extended, its extended due dates [plan, report] as
 * YYYYMMDD (0 when that phase is not extended). state = progress × 4 + late × 2 + overdue; version 0 = none.
 */
export type PackedChild = string;

export interface PackedChildren {
  /** one per child, in the order of listCycleChildren */
  rows: PackedChild[];
  /** the ids sampled below the children (only when there are few of them), by row index */
  below?: Record<string, Record<Phase, IdSample>>;
}

const PHASE_AT: Record<Phase, number> = { plan: 2, report: 5 };
const COUNTS_AT: Record<Phase, number> = { plan: 8, report: 13 };
const FIGURES_AT = 18;
const COMMENDATIONS_AT = 22;
const EXTENDED_AT: Record<Phase, number> = { plan: 23, report: 24 };

function packPhase(s: ChildPhaseSummary): [number, number, number] {
  const state = PROGRESS.indexOf(s.progress) * 4 + (s.late ? 2 : 0) + (s.overdue ? 1 : 0);
  return [state, s.version ?? 0, s.remindersSent];
}

const dueDateCode = (d: PhaseDeadlines | null): number => (d ? Number(d.dueDate.replaceAll('-', '')) : 0);
const dueDateOf = (code: number): string | null => {
  if (code === 0) return null;
  const s = String(code);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
};

function encodeRow(numbers: number[]): PackedChild {
  return numbers.map((n) => n.toString(36)).join(',');
}

function decodeRow(row: PackedChild): number[] {
  return row.split(',').map((s) => parseInt(s, 36));
}

export function packChild(entry: ChildEntry): PackedChild {
  const row: number[] = [
    KINDS.indexOf(entry.kind),
    entry.seq,
    ...packPhase(entry.plan),
    ...packPhase(entry.report),
    ...entry.counts.plan,
    ...entry.counts.report,
    ...entry.figures,
    entry.commendations,
  ];
  if (entry.plan.deadlines || entry.report.deadlines) row.push(dueDateCode(entry.plan.deadlines), dueDateCode(entry.report.deadlines));
  return encodeRow(row);
}

/** The extended due dates a row names, whose deadlines the new run must recompute. */
export function extendedDueDates(packed: PackedChildren): string[] {
  const dates = new Set<string>();
  for (const row of packed.rows) {
    const numbers = decodeRow(row);
    for (const p of PHASES) {
      const date = dueDateOf(numbers[EXTENDED_AT[p]] ?? 0);
      if (date) dates.add(date);
    }
  }
  return [...dates].sort();
}

function unpackPhase(row: number[], phase: Phase, deadlinesOf: (dueDate: string) => PhaseDeadlines): ChildPhaseSummary {
  const at = PHASE_AT[phase];
  const state = row[at]!;
  const version = row[at + 1]!;
  const dueDate = dueDateOf(row[EXTENDED_AT[phase]] ?? 0);
  return {
    progress: PROGRESS[state >> 2]!,
    ...(version > 0 ? { version } : {}),
    late: (state & 2) !== 0,
    overdue: (state & 1) !== 0,
    deadlines: dueDate ? deadlinesOf(dueDate) : null,
    remindersSent: row[at + 2]!,
  };
}

export function unpackChild(packed: PackedChild, deadlinesOf: (dueDate: string) => PhaseDeadlines, below?: Record<Phase, IdSample>): ChildEntry {
  const row = decodeRow(packed);
  const slice = <T>(from: number, n: number) => row.slice(from, from + n) as T;
  const entry: ChildEntry = {
    kind: KINDS[row[0]!]!,
    seq: row[1]!,
    plan: unpackPhase(row, 'plan', deadlinesOf),
    report: unpackPhase(row, 'report', deadlinesOf),
    counts: { plan: slice<PhaseCounts>(COUNTS_AT.plan, 5), report: slice<PhaseCounts>(COUNTS_AT.report, 5) },
    figures: slice<FigureTuple>(FIGURES_AT, 4),
    commendations: row[COMMENDATIONS_AT]!,
  };
  if (below) entry.below = below;
  return entry;
}

/**
 * The children of a state, packed in the order of `ids` (the cycle's frozen tree); null when `ids` are not
 * exactly the children the state knows (then the state is carried over as it is).
 */
export function packChildren(children: Record<string, ChildEntry>, ids: readonly string[]): PackedChildren | null {
  if (ids.length !== Object.keys(children).length || ids.some((id) => !children[id])) return null;
  const packed: PackedChildren = { rows: ids.map((id) => packChild(children[id]!)) };
  ids.forEach((id, i) => {
    const below = children[id]!.below;
    if (below) (packed.below ??= {})[String(i)] = below;
  });
  return packed;
}

/** The children again, from their rows and their ids listed in the same order. */
export function unpackChildren(packed: PackedChildren, ids: readonly string[], deadlinesOf: (dueDate: string) => PhaseDeadlines): Record<string, ChildEntry> {
  if (ids.length !== packed.rows.length) throw new Error(`${packed.rows.length} packed children but ${ids.length} listed: the cycle's frozen tree changed`);
  const children: Record<string, ChildEntry> = {};
  packed.rows.forEach((row, i) => (children[ids[i]!] = unpackChild(row, deadlinesOf, packed.below?.[String(i)])));
  return children;
}

/** A unit with more direct children than MAX_FAN_OUT: its state could not be carried within the payload budget. */
export class FanOutTooLargeError extends Error {
  readonly code = 'FanOutTooLargeError';
  constructor(
    readonly unitId: string,
    readonly childCount: number,
    options?: ErrorOptions,
  ) {
    super(fanOutMessage(unitId, childCount), options);
    this.name = 'FanOutTooLargeError';
  }
}

export function fanOutMessage(unitId: string, childCount: number): string {
  return (
    `Unit ${unitId} has ${childCount} units directly below it; a cycle supports at most ${MAX_FAN_OUT} per unit. ` +
    `Group them under intermediate units in the directory (baocao units import / units reparent), then start the cycle / ` +
    `Đơn vị ${unitId} có ${childCount} đơn vị trực thuộc; mỗi đơn vị chỉ được tối đa ${MAX_FAN_OUT}. ` +
    `Hãy nhóm các đơn vị này dưới các đơn vị trung gian trong danh bạ rồi bắt đầu chu kỳ.`
  );
}
