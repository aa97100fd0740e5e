// Starting the tasks of the units below a unit (workflows/unit.ts): directly, a page at a time, up to
// maxDirectChildren; past that through batch workflows, each starting up to that many and closing.
import { executeChild, ParentClosePolicy, patched, startChild } from '@temporalio/workflow';
import type { UnitRef } from '../domain/directory';
import { store } from './activities-proxy';
import { batchWorkflowId, unitWorkflowId } from './ids';
import { CYCLE, OVERDUE, PARENT, PHASE, UNIT } from './search-attributes';
import { childTaskTimeout } from './task-timeout';
import type { unitWorkflow } from './unit';
import { MAX_DIRECT_CHILDREN, START_PAGE, type UnitBatchWorkflowInput, type UnitWorkflowInput } from './unit-run';

/** Child workflow input for a unit directly below `parent`. */
function childInput(parent: UnitWorkflowInput, reportTo: string, ref: UnitRef): UnitWorkflowInput {
  return {
    cycleId: parent.cycleId,
    year: parent.year,
    unitId: ref.id,
    kind: ref.kind,
    depth: parent.depth + 1,
    parentUnitId: parent.unitId,
    grandparentUnitId: parent.parentUnitId,
    rootUnitId: parent.rootUnitId,
    reportToWorkflowId: reportTo,
    plan: parent.plan,
    childCount: ref.childCount,
    maxDirectChildren: parent.maxDirectChildren,
    ...(parent.continueAsNewAfterEvents !== undefined ? { continueAsNewAfterEvents: parent.continueAsNewAfterEvents } : {}),
    ...(parent.upwardBurst !== undefined ? { upwardBurst: parent.upwardBurst } : {}),
  };
}

async function startUnitChildren(parent: UnitWorkflowInput, reportTo: string, offset: number, limit: number): Promise<UnitRef[]> {
  const started: UnitRef[] = [];
  for (let at = offset; at < offset + limit; at += START_PAGE) {
    const refs = await store.listCycleChildren({ cycleId: parent.cycleId, unitId: parent.unitId, offset: at, limit: Math.min(START_PAGE, offset + limit - at) });
    await Promise.all(
      refs.map((ref) =>
        // the workflow type by its name (the function's, as before): unit.ts imports this module
        startChild<typeof unitWorkflow>('unitWorkflow', {
          workflowId: unitWorkflowId(parent.cycleId, ref.id),
          args: [childInput(parent, reportTo, ref)],
          ...childTaskTimeout(),
          // Children live on their own: the parent may continue-as-new, and a batch closes right after starting them.
          parentClosePolicy: ParentClosePolicy.ABANDON,
          typedSearchAttributes: [
            { key: CYCLE, value: parent.cycleId },
            { key: UNIT, value: ref.id },
            { key: PARENT, value: parent.unitId },
            { key: PHASE, value: 'plan' },
            { key: OVERDUE, value: false },
          ],
        }),
      ),
    );
    started.push(...refs);
    if (refs.length < START_PAGE) break;
  }
  return started;
}

/** Batch workflows started after this patch carry the BaocaoCycle search attribute (before it, none). */
export const BATCH_CYCLE_ATTRIBUTE_PATCH = 'v4-misc-batch-cycle-attribute';

/** Starts the tasks of up to MAX_DIRECT_CHILDREN units below a parent that has more, then closes. */
export async function unitBatchWorkflow(input: UnitBatchWorkflowInput): Promise<UnitRef[]> {
  return startUnitChildren(input.parent, unitWorkflowId(input.parent.cycleId, input.parent.unitId), input.offset, input.limit);
}

/**
 * Starts the tasks of every unit directly below `input`'s unit, which reports to `workflowId`; `onStarted` takes
 * each started child as its page (or batch) is started.
 */
export async function startChildren(input: UnitWorkflowInput, workflowId: string, onStarted: (ref: UnitRef) => void): Promise<void> {
  const { cycleId, unitId } = input;
  const fanOut = input.maxDirectChildren ?? MAX_DIRECT_CHILDREN;
  if (input.childCount <= fanOut) {
    const refs = await startUnitChildren(input, workflowId, 0, input.childCount);
    for (const ref of refs) onStarted(ref);
  } else {
    for (let batch = 0; batch * fanOut < input.childCount; batch++) {
      const refs = await executeChild(unitBatchWorkflow, {
        workflowId: batchWorkflowId(cycleId, unitId, batch),
        args: [{ parent: input, offset: batch * fanOut, limit: fanOut }],
        ...childTaskTimeout(),
        // like every workflow of a cycle, so that a visibility query on the cycle finds its batches too
        ...(patched(BATCH_CYCLE_ATTRIBUTE_PATCH) ? { typedSearchAttributes: [{ key: CYCLE, value: cycleId }] } : {}),
      });
      for (const ref of refs) onStarted(ref);
    }
  }
}
