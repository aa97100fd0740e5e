// How long the server waits for a worker to complete one workflow task before it gives the task to another
// attempt. Temporal's default is 10 s. A worker short of CPU (a 2-core machine starting 2,000 unit workflows,
// a national deployment during the start of a cycle) runs some tasks longer than that: the server then times the
// task out, the worker's completion is refused, the run is evicted from its cache, and the next attempt replays
// the whole history first — slower still, so the same task times out again (the soak of bench/README.md saw
// attempts 36–48 of one intermediate's task). One minute lets a slow but working worker finish; a worker that
// died mid-task delays that one workflow by at most this much (the maximum Temporal accepts is 2 min).
import { patched } from '@temporalio/workflow';

export const WORKFLOW_TASK_TIMEOUT = '1 minute';

/** Workflows started by a workflow after this patch get WORKFLOW_TASK_TIMEOUT; before it, the server's 10 s. */
export const TASK_TIMEOUT_PATCH = 'v7-workflow-task-timeout';

/** The child start option (spread into startChild/executeChild options): behind the patch, for running cycles. */
export function childTaskTimeout(): { workflowTaskTimeout?: string } {
  return patched(TASK_TIMEOUT_PATCH) ? { workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT } : {};
}
