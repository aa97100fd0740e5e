// A dead workflow is never silent: the workflows of a cycle that failed, were terminated, timed out or were
// cancelled, each with the reason Temporal recorded. A dead unit workflow silently drops its subtree out of every
// total above it, so `cycle status`, `cycle report` and the web app list these beside what they show
// (client/cycle-health.ts), and the worker emails the secretariat about each (worker/dead-workflow-alerts.ts).
// One visibility query (needs a server with visibility: the dev server or a cluster, not the time-skipping test
// server), then the close event of each run found for the reason.
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { parseCycleId } from '../workflows/ids';
import { CYCLE, UNIT } from '../workflows/search-attributes';

const { EventType, HistoryEventFilterType } = temporal.api.enums.v1;

/** Execution states that end a workflow without its result (ContinuedAsNew is alive: its next run goes on). */
export const DEAD_STATUSES = ['FAILED', 'TERMINATED', 'TIMED_OUT', 'CANCELLED'] as const;
export type DeadStatus = (typeof DEAD_STATUSES)[number];

export interface DeadWorkflow {
  workflowId: string;
  runId: string;
  workflowType: string;
  /** the unit of a unit workflow (BaocaoUnit); null for the cycle workflow and others */
  unitId: string | null;
  status: DeadStatus;
  /** ISO instant the run closed */
  closedAt: string | null;
  /** what Temporal recorded: the failure message (with its causes), the termination reason, the timeout */
  reason: string;
}

/** Raised when the server cannot answer a visibility query (e.g. the time-skipping test server). */
export class CycleHealthUnavailableError extends Error {
  readonly code = 'CycleHealthUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CycleHealthUnavailableError';
  }
}

/** The visibility query of the dead runs of one cycle. */
export function deadWorkflowsQuery(cycleId: string): string {
  // the id goes into a query string: ids are made of these characters only (workflows/ids.ts)
  if (!parseCycleId(cycleId) || !/^[A-Za-z0-9_.~-]+$/.test(cycleId)) throw new Error(`"${cycleId}" is not a cycle id: expected cycle-<year>-<root> or rehearsal-<year>-<root>-<stamp>.`);
  return (
    `${CYCLE.name} = '${cycleId}' AND ExecutionStatus != 'Running' AND ExecutionStatus != 'Completed' AND ExecutionStatus != 'ContinuedAsNew'`
  );
}

function failureText(failure: temporal.api.failure.v1.IFailure | null | undefined): string {
  const parts: string[] = [];
  for (let f = failure; f; f = f.cause) if (f.message) parts.push(f.message);
  return parts.join(': ') || 'failed (no message)';
}

/** The reason a run closed, from its close event (the only event fetched). */
async function closeReason(client: Client, workflowId: string, runId: string): Promise<string> {
  const response = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId, runId },
    historyEventFilterType: HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT,
  });
  const event = response.history?.events?.at(-1);
  switch (event?.eventType) {
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
      return failureText(event.workflowExecutionFailedEventAttributes?.failure);
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED: {
      const a = event.workflowExecutionTerminatedEventAttributes;
      return `terminated${a?.identity ? ` by ${a.identity}` : ''}: ${a?.reason || '(no reason given)'}`;
    }
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT:
      return 'timed out (workflow execution or run timeout)';
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED:
      return 'cancelled';
    default:
      return 'closed without its result';
  }
}

/**
 * The dead workflows of a cycle, by workflow id. A dead run that was followed by a live run of the same
 * workflow id (a reset) is not listed: only the latest run of each id counts.
 */
export async function listDeadWorkflows(client: Client, cycleId: string): Promise<DeadWorkflow[]> {
  const query = deadWorkflowsQuery(cycleId);
  const found: DeadWorkflow[] = [];
  try {
    for await (const wf of client.workflow.list({ query })) {
      const status = wf.status.name as string;
      if (!(DEAD_STATUSES as readonly string[]).includes(status)) continue;
      found.push({
        workflowId: wf.workflowId,
        runId: wf.runId,
        workflowType: wf.type,
        // the cycle workflow carries BaocaoUnit too (its root): only a unit workflow *is* a unit's task
        unitId: wf.type === 'unitWorkflow' ? (wf.typedSearchAttributes.get(UNIT) ?? null) : null,
        status: status as DeadStatus,
        closedAt: wf.closeTime?.toISOString() ?? null,
        reason: '',
      });
    }
  } catch (err) {
    throw new CycleHealthUnavailableError(
      `Cannot list the workflows of ${cycleId} (the server needs visibility: the dev server of \`npm start\` or a cluster) / Không liệt kê được: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const latest: DeadWorkflow[] = [];
  for (const dead of found) {
    const current = await client.workflow.getHandle(dead.workflowId).describe().catch(() => undefined);
    if (current && current.runId !== dead.runId) continue; // a newer run of the same id is the one that counts
    latest.push({ ...dead, reason: await closeReason(client, dead.workflowId, dead.runId).catch((err: unknown) => `(reason unavailable: ${String(err)})`) });
  }
  return latest.sort((a, b) => a.workflowId.localeCompare(b.workflowId));
}

const STATUS_TEXT: Record<DeadStatus, string> = {
  FAILED: 'FAILED / lỗi',
  TERMINATED: 'TERMINATED / bị dừng',
  TIMED_OUT: 'TIMED OUT / quá thời gian',
  CANCELLED: 'CANCELLED / bị hủy',
};

/** The status as the secretariat reads it (English / Vietnamese). */
export function deadStatusText(status: DeadStatus): string {
  return STATUS_TEXT[status];
}
