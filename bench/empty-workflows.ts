// The ceiling of bench/cycle.ts: a tree of workflows of the same shape as a cycle that does only what any tree of
// workflows must do — start its children (pages of 50, like unitWorkflow), report its subtree's progress upward
// by signal, and accept one update per node. No activities, no database, no email. Bundled only by the benchmark.
import { condition, defineQuery, defineSignal, defineUpdate, getExternalWorkflowHandle, ParentClosePolicy, setHandler, startChild, workflowInfo } from '@temporalio/workflow';

export const EMPTY_START_PAGE = 50;

export interface EmptyNodeInput {
  /** workflow id of this node; children are `${id}/${i}` */
  id: string;
  /** the root: number of leaves under each intermediate node; an intermediate: [] and `leaves`; a leaf: [] */
  intermediates: number[];
  leaves: number;
  /** workflow to report to (null for the root) */
  reportTo: string | null;
}

export interface EmptyCounts {
  started: number;
  done: number;
}

export const emptyProgressSignal = defineSignal<[string, EmptyCounts]>('emptyProgress');
export const emptyCountsQuery = defineQuery<EmptyCounts>('emptyCounts');
export const emptyPingUpdate = defineUpdate<string, [string]>('emptyPing');

/** Workflow ids of every node of a tree, root first: the same list the benchmark sends its updates to. */
export function emptyTreeIds(rootId: string, intermediates: number[]): string[] {
  return [rootId, ...intermediates.flatMap((leaves, i) => [`${rootId}/${i}`, ...Array.from({ length: leaves }, (_, j) => `${rootId}/${i}/${j}`)])];
}

export async function emptyNodeWorkflow(input: EmptyNodeInput): Promise<void> {
  const below = new Map<string, EmptyCounts>();
  let done = false;
  let dirty = false;
  const totals = (): EmptyCounts => {
    const t = { started: 1, done: done ? 1 : 0 };
    for (const c of below.values()) {
      t.started += c.started;
      t.done += c.done;
    }
    return t;
  };
  setHandler(emptyProgressSignal, (child, counts) => {
    below.set(child, counts);
    dirty = true;
  });
  setHandler(emptyCountsQuery, totals);
  setHandler(emptyPingUpdate, (_payload) => {
    done = true;
    dirty = true;
    return workflowInfo().workflowId;
  });

  const children: EmptyNodeInput[] = input.intermediates.length
    ? input.intermediates.map((leaves, i) => ({ id: `${input.id}/${i}`, intermediates: [], leaves, reportTo: input.id }))
    : Array.from({ length: input.leaves }, (_, j) => ({ id: `${input.id}/${j}`, intermediates: [], leaves: 0, reportTo: input.id }));
  for (let at = 0; at < children.length; at += EMPTY_START_PAGE) {
    await Promise.all(
      children.slice(at, at + EMPTY_START_PAGE).map(async (child) => {
        await startChild(emptyNodeWorkflow, { workflowId: child.id, args: [child], parentClosePolicy: ParentClosePolicy.ABANDON });
        if (!below.has(child.id)) below.set(child.id, { started: 1, done: 0 });
      }),
    );
  }
  dirty = true;
  const parent = input.reportTo ? getExternalWorkflowHandle(input.reportTo) : null;
  for (;;) {
    await condition(() => dirty);
    dirty = false;
    if (parent) await parent.signal(emptyProgressSignal, input.id, totals());
  }
}
