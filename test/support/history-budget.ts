// How close each workflow type of a cycle comes to Temporal's hard limits, measured on fetched histories:
// per type, the largest history (events, bytes of the serialized History protobuf, every run of a
// continued-as-new chain counted on its own — Temporal limits each run) and the largest single payload found
// anywhere in any event (signal input, update argument and result, activity input and result, child input,
// continue-as-new input, workflow result, search attributes, memo). Depends only on public things: workflow ids,
// the Temporal client API and the history protobuf — so it measures the same way whatever the workflows do.
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { parseCycleId, unitWorkflowId, batchWorkflowId } from '../../workflows/ids';

const { History } = temporal.api.history.v1;
const { Payload } = temporal.api.common.v1;
const { EventType } = temporal.api.enums.v1;

/** Our budget (docs/ARCHITECTURE.md): one payload at most 256 KiB. */
export const PAYLOAD_BUDGET_BYTES = 256 * 1024;
/** Temporal's warning lines for one history (limit.historySize.warn, limit.historyCount.warn): stay below. */
export const HISTORY_BYTES_BUDGET = 10 * 1024 * 1024;
export const HISTORY_EVENTS_BUDGET = 10_240;

export interface Execution {
  workflowId: string;
  /** one run; by default every run of the chain, from the latest back to the first */
  runId?: string;
}

export interface RunMeasure {
  workflowId: string;
  runId: string;
  workflowType: string;
  events: number;
  bytes: number;
  largestPayload: PayloadMeasure | null;
}

export interface PayloadMeasure {
  bytes: number;
  workflowId: string;
  runId: string;
  eventId: number;
  /** e.g. EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED */
  eventType: string;
  /** where in the event, e.g. workflowExecutionSignaledEventAttributes.input.payloads.0 */
  path: string;
}

export interface TypeBudget {
  workflowType: string;
  /** runs measured (a continue-as-new chain counts each run) */
  runs: number;
  largestHistoryEvents: { events: number; workflowId: string; runId: string };
  largestHistoryBytes: { bytes: number; workflowId: string; runId: string };
  largestPayload: PayloadMeasure | null;
}

function eventTypeName(type: temporal.api.enums.v1.EventType | null | undefined): string {
  return (type !== null && type !== undefined && EventType[type]) || String(type);
}

/** Every Payload message inside a decoded protobuf object, with its path. */
function* payloadsIn(value: unknown, path: string): Generator<{ payload: temporal.api.common.v1.Payload; path: string }> {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return;
  // decoded messages of @temporalio/proto (a reflection module) carry their type on the prototype
  if ((value as { $type?: unknown }).$type === Payload) {
    yield { payload: value as temporal.api.common.v1.Payload, path };
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    if (child === null || child === undefined || typeof child !== 'object') continue;
    yield* payloadsIn(child, path ? `${path}.${key}` : key);
  }
}

/** Measures one fetched history: events, serialized bytes, the largest payload. */
export function measureHistory(workflowId: string, runId: string, history: temporal.api.history.v1.IHistory): RunMeasure {
  const decoded = (history as { $type?: unknown }).$type === History ? (history as temporal.api.history.v1.History) : History.fromObject(history);
  const events = decoded.events ?? [];
  const started = events[0]?.workflowExecutionStartedEventAttributes;
  let largest: PayloadMeasure | null = null;
  for (const event of events) {
    for (const { payload, path } of payloadsIn(event, '')) {
      const bytes = Payload.encode(payload).finish().length;
      if (!largest || bytes > largest.bytes)
        largest = { bytes, workflowId, runId, eventId: Number(event.eventId ?? 0), eventType: eventTypeName(event.eventType), path };
    }
  }
  return {
    workflowId,
    runId,
    workflowType: started?.workflowType?.name ?? 'unknown',
    events: events.length,
    bytes: History.encode(decoded).finish().length,
    largestPayload: largest,
  };
}

/**
 * Fetches one run's history, or every run of a continue-as-new chain: the latest run first, then back through
 * each run's `continuedExecutionRunId` (which works on the time-skipping server too: no visibility needed).
 */
export async function measureExecution(client: Client, execution: Execution): Promise<RunMeasure[]> {
  const runs: RunMeasure[] = [];
  let runId = execution.runId;
  for (;;) {
    const handle = client.workflow.getHandle(execution.workflowId, runId);
    const history = await handle.fetchHistory();
    const actualRunId = runId ?? (await handle.describe()).runId;
    runs.push(measureHistory(execution.workflowId, actualRunId, history));
    if (execution.runId) return runs;
    const previous = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    if (!previous) return runs;
    runId = previous;
  }
}

/** Folds run measures into one line per workflow type. */
export function byWorkflowType(runs: RunMeasure[]): TypeBudget[] {
  const types = new Map<string, TypeBudget>();
  for (const run of runs) {
    const t = types.get(run.workflowType);
    if (!t) {
      types.set(run.workflowType, {
        workflowType: run.workflowType,
        runs: 1,
        largestHistoryEvents: { events: run.events, workflowId: run.workflowId, runId: run.runId },
        largestHistoryBytes: { bytes: run.bytes, workflowId: run.workflowId, runId: run.runId },
        largestPayload: run.largestPayload,
      });
      continue;
    }
    t.runs += 1;
    if (run.events > t.largestHistoryEvents.events) t.largestHistoryEvents = { events: run.events, workflowId: run.workflowId, runId: run.runId };
    if (run.bytes > t.largestHistoryBytes.bytes) t.largestHistoryBytes = { bytes: run.bytes, workflowId: run.workflowId, runId: run.runId };
    if (run.largestPayload && (!t.largestPayload || run.largestPayload.bytes > t.largestPayload.bytes)) t.largestPayload = run.largestPayload;
  }
  return [...types.values()].sort((a, b) => a.workflowType.localeCompare(b.workflowType));
}

/**
 * Measures many executions, a few at a time (one history of a big cycle can be megabytes). `onProgress` is
 * called after each execution (for a progress line).
 */
export async function measureExecutions(
  client: Client,
  executions: Execution[],
  options: { concurrency?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<TypeBudget[]> {
  const runs: RunMeasure[] = [];
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency ?? 8, executions.length) }, async () => {
      while (next < executions.length) {
        const execution = executions[next++]!;
        runs.push(...(await measureExecution(client, execution)));
        options.onProgress?.(++done, executions.length);
      }
    }),
  );
  return byWorkflowType(runs);
}

/**
 * The workflow ids of a cycle, from its unit tree (e.g. the directory snapshot): the cycle workflow, one unit
 * workflow per unit, and the batch workflows of units with more children than `maxDirectChildren` (the id
 * formats of workflows/ids.ts): the batch workflows exist exactly when a unit has more children than that.
 */
export function cycleExecutions(cycleId: string, units: { id: string; parentId: string | null }[], maxDirectChildren = 500): Execution[] {
  if (!parseCycleId(cycleId)) throw new Error(`"${cycleId}" is not a cycle id`);
  const children = new Map<string, number>();
  for (const u of units) if (u.parentId) children.set(u.parentId, (children.get(u.parentId) ?? 0) + 1);
  const ids = [cycleId, ...units.map((u) => unitWorkflowId(cycleId, u.id))];
  for (const [parentId, count] of children) {
    if (count <= maxDirectChildren) continue;
    for (let batch = 0; batch * maxDirectChildren < count; batch++) ids.push(batchWorkflowId(cycleId, parentId, batch));
  }
  return ids.map((workflowId) => ({ workflowId }));
}

/** Every execution whose BaocaoCycle is this cycle, on a server with visibility (not the time-skipping one). */
export async function listCycleExecutions(client: Client, cycleId: string): Promise<Execution[]> {
  if (!/^[A-Za-z0-9_.~-]+$/.test(cycleId)) throw new Error(`"${cycleId}" is not a valid id`);
  const found: Execution[] = [];
  for await (const wf of client.workflow.list({ query: `BaocaoCycle = '${cycleId}'` })) found.push({ workflowId: wf.workflowId, runId: wf.runId });
  return found;
}

/** What is over budget, one readable line each; empty when everything is within it. */
export function budgetViolations(types: TypeBudget[]): string[] {
  const out: string[] = [];
  for (const t of types) {
    const e = t.largestHistoryEvents;
    if (e.events >= HISTORY_EVENTS_BUDGET) out.push(`${t.workflowType}: ${e.events} events in ${e.workflowId} (run ${e.runId}) — budget < ${HISTORY_EVENTS_BUDGET}`);
    const b = t.largestHistoryBytes;
    if (b.bytes >= HISTORY_BYTES_BUDGET) out.push(`${t.workflowType}: history of ${mib(b.bytes)} in ${b.workflowId} (run ${b.runId}) — budget < ${mib(HISTORY_BYTES_BUDGET)}`);
    const p = t.largestPayload;
    if (p && p.bytes > PAYLOAD_BUDGET_BYTES)
      out.push(`${t.workflowType}: payload of ${kib(p.bytes)} in ${p.workflowId} event ${p.eventId} ${p.eventType} (${p.path}) — budget ≤ ${kib(PAYLOAD_BUDGET_BYTES)}`);
  }
  return out;
}

/** Throws, listing every violation, when any workflow type is over budget. */
export function assertWithinBudget(types: TypeBudget[]): void {
  const violations = budgetViolations(types);
  if (violations.length) throw new Error(`over the history/payload budget:\n  ${violations.join('\n  ')}`);
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;

/** A fixed-width table of the figures, one line per workflow type (tests' failure output, the benchmark). */
export function budgetTable(types: TypeBudget[]): string {
  const lines = [`${'workflow type'.padEnd(22)}${'runs'.padStart(7)}${'max events'.padStart(12)}${'max history'.padStart(14)}${'max payload'.padStart(14)}  largest payload in; most events in`];
  for (const t of types) {
    const p = t.largestPayload;
    lines.push(
      `${t.workflowType.padEnd(22)}${String(t.runs).padStart(7)}${String(t.largestHistoryEvents.events).padStart(12)}${mib(t.largestHistoryBytes.bytes).padStart(14)}` +
        `${(p ? kib(p.bytes) : '—').padStart(14)}  ${p ? `${p.eventType} (${p.workflowId})` : '—'}; ${t.largestHistoryEvents.workflowId}`,
    );
  }
  return lines.join('\n');
}
