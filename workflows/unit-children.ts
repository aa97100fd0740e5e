// What a unit (workflows/unit.ts) keeps of the units directly below it: their reports (childReport signals),
// their entries as they are started, and their packing through continue-as-new.
import { allHandlersFinished, condition, patched, setHandler } from '@temporalio/workflow';
import type { PhaseDeadlines } from '../domain/calendar';
import type { UnitRef } from '../domain/directory';
import { store } from './activities-proxy';
import { childReportSignal, type ChildReport } from './messages';
import type { ResumedState, UnitRun } from './unit-run';
import { childEntryOf, pristineChild } from './unit-state';
import { CHILD_LIST_PAGE, extendedDueDates, packChildren, unpackChildren, type PackedChildren } from './unit-state-packing';

/**
 * A child that reported while its siblings were still being started keeps its report (older runs replaced it
 * with the pristine entry, so an intermediate child's subtree was missing above it until its next change).
 */
export const KEEP_EARLY_CHILD_REPORTS_PATCH = 'keep-early-child-reports';
/**
 * Continue-as-new carries the children packed (workflows/unit-state-packing.ts: no ids, no extended deadlines;
 * the new run lists and recomputes them), so a parent of MAX_FAN_OUT children stays within 256 KiB.
 */
export const PACK_CHILDREN_PATCH = 'pack-children';

export interface ChildIntake {
  /** A resumed run's children, from their packed rows: ids listed again, extended deadlines recomputed. */
  unpackResumedChildren(packed: PackedChildren): Promise<void>;
  /** The state continue-as-new carries: its children packed, when they are exactly the listed ones (patched). */
  carriedState(): Promise<ResumedState>;
  /** A started child's entry: pristine, unless it has already reported (its kind is known only here). */
  addStartedChild(ref: UnitRef): void;
}

/** Registers the childReport handler of a run; `packedChildren`: the children a resumed run has to unpack first. */
export function takeChildren(run: UnitRun, packedChildren: PackedChildren | undefined): ChildIntake {
  const { input, state } = run;
  const { cycleId, unitId, plan } = input;

  function takeChildReport(report: ChildReport) {
    const known = state.children[report.unitId];
    if (known && known.seq >= report.seq) return; // an older report overtaken by a newer one
    run.setChild(report.unitId, childEntryOf(report, known?.kind ?? 'grassroots', run.sampleQuota));
    run.markDirty();
  }
  // while a resumed run lists its packed children again, their reports wait (they would be overwritten)
  let childrenUnpacked = packedChildren === undefined;
  const waitingReports: ChildReport[] = [];
  setHandler(childReportSignal, (report: ChildReport) => {
    if (childrenUnpacked) takeChildReport(report);
    else waitingReports.push(report);
  });

  /** The ids of the units directly below, in the order of the cycle's frozen tree. */
  async function listChildIds(): Promise<string[]> {
    const ids: string[] = [];
    for (let offset = 0; offset < input.childCount; offset += CHILD_LIST_PAGE) {
      const limit = Math.min(CHILD_LIST_PAGE, input.childCount - offset);
      const refs = await store.listCycleChildren({ cycleId, unitId, offset, limit });
      ids.push(...refs.map((r) => r.id));
      if (refs.length < limit) break;
    }
    return ids;
  }

  return {
    async unpackResumedChildren(packed) {
      const ids = await listChildIds();
      const deadlines = new Map<string, PhaseDeadlines>();
      for (const dueDate of extendedDueDates(packed)) deadlines.set(dueDate, await store.computePhaseDeadlines({ dueDate, rules: plan.rules }));
      for (const [id, entry] of Object.entries(unpackChildren(packed, ids, (d) => deadlines.get(d)!))) run.setChild(id, entry);
      childrenUnpacked = true;
      for (const report of waitingReports.splice(0)) takeChildReport(report);
    },

    async carriedState() {
      if (input.childCount === 0 || !patched(PACK_CHILDREN_PATCH)) return state;
      const ids = await listChildIds();
      await condition(allHandlersFinished); // an update may have begun while the ids were listed
      state.done = [...run.done];
      const packed = packChildren(state.children, ids);
      return packed ? { ...state, children: {}, packedChildren: packed } : state;
    },

    addStartedChild(ref) {
      const early = state.children[ref.id];
      if (early && patched(KEEP_EARLY_CHILD_REPORTS_PATCH)) run.setChild(ref.id, { ...early, kind: ref.kind });
      else run.setChild(ref.id, pristineChild(ref.kind));
    },
  };
}
