// The secretariat is emailed once per dead workflow of its cycles (common/dead-workflows.ts): a small periodic
// check the worker process runs, off every workflow's path. The email goes through the mail outbox like every
// other (purpose `workflow-dead`, one key per dead run): a crash between the check and the send sends it on the
// next check, never twice. Bilingual, in the root unit's language.
import type { Client } from '@temporalio/client';
import type { Db } from '../activities/db/database';
import { findOutboxMessage } from '../activities/mail/outbox';
import { createMailQueue } from '../activities/mail/queue';
import { renderWorkflowDeadAlert } from '../activities/mail/templates';
import type { Config } from '../common/config';
import { listDeadWorkflows, type DeadWorkflow } from '../common/dead-workflows';
import { parseCycleId } from '../workflows/ids';

export const WORKFLOW_DEAD_PURPOSE = 'workflow-dead' as const;
/** How often the worker checks (docs: ARCHITECTURE "A dead workflow is never silent"). */
export const DEAD_WORKFLOW_CHECK_EVERY_MS = 5 * 60_000;
/** Cycles closed longer ago than this are not checked any more. */
const CHECK_CLOSED_CYCLES_FOR_MS = 30 * 24 * 3600_000;

export interface DeadWorkflowAlertDeps {
  client: Client;
  db: Db;
  config: Pick<Config, 'mail' | 'web'>;
  now?: () => Date;
  /** an alert was queued: the in-process mail dispatcher delivers it at once */
  onQueued?: () => void;
}

/** One email per dead run, whatever the number of checks. */
export function workflowDeadAlertKey(dead: Pick<DeadWorkflow, 'workflowId' | 'runId'>): string {
  return `${dead.workflowId}:${dead.runId}:${WORKFLOW_DEAD_PURPOSE}`;
}

/** Cycles worth checking: running, or closed within the last 30 days (one visibility query). */
async function cyclesToCheck(client: Client, now: Date): Promise<string[]> {
  const since = new Date(now.getTime() - CHECK_CLOSED_CYCLES_FOR_MS).toISOString();
  const ids: string[] = [];
  for await (const wf of client.workflow.list({ query: `WorkflowType = 'cycleWorkflow' AND (ExecutionStatus = 'Running' OR CloseTime > '${since}')` })) {
    if (parseCycleId(wf.workflowId) && !ids.includes(wf.workflowId)) ids.push(wf.workflowId);
  }
  return ids;
}

/**
 * Queues, for the secretariat (the root unit's officer) of each cycle, one email per dead workflow not yet
 * alerted; the mail dispatcher delivers it like every other. `cycleIds`: only these (default: every running or
 * recently closed cycle). Returns the workflows alerted by this call.
 */
export async function alertDeadWorkflows(deps: DeadWorkflowAlertDeps, cycleIds?: string[]): Promise<{ cycles: number; dead: number; sent: string[] }> {
  const now = deps.now ?? (() => new Date());
  const queue = createMailQueue({ db: deps.db, config: deps.config, now, onQueued: deps.onQueued });
  const cycles = cycleIds ?? (await cyclesToCheck(deps.client, now()));
  const sent: string[] = [];
  let deadCount = 0;
  for (const cycleId of cycles) {
    const dead = await listDeadWorkflows(deps.client, cycleId);
    deadCount += dead.length;
    const rootId = parseCycleId(cycleId)!.rootId;
    for (const d of dead) {
      const key = workflowDeadAlertKey(d);
      if (await findOutboxMessage(deps.db, key)) continue; // told already: the outbox delivers (or retries) it
      await queue.queue(key, async () => {
        const units = await queue.unitsById([rootId, ...(d.unitId ? [d.unitId] : [])]);
        const root = queue.required(units, rootId);
        return {
          purpose: WORKFLOW_DEAD_PURPOSE,
          cycleId,
          unitId: root.id,
          to: [root.officer],
          cc: [],
          rendered: renderWorkflowDeadAlert({ lang: root.language, cycleId, rootName: root.name, dead: d, unitName: d.unitId ? (units.get(d.unitId)?.name ?? null) : null }),
        };
      });
      sent.push(d.workflowId);
    }
  }
  return { cycles: cycles.length, dead: deadCount, sent };
}

/**
 * The periodic check for worker/main.ts: runs now, then every `everyMs`; a failed check is logged and tried
 * again at the next tick (SMTP or visibility down is not a reason to stop the worker). Returns `stop`.
 */
export function startDeadWorkflowWatch(deps: DeadWorkflowAlertDeps, options: { everyMs?: number; log?: (line: string) => void } = {}): () => Promise<void> {
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return; // the previous check is still going: skip this tick
    running = alertDeadWorkflows(deps)
      .then(
        (r) => {
          if (r.sent.length) log(`[dead-workflows] ${r.sent.length} alert(s) queued for the secretariat: ${r.sent.join(', ')}`);
        },
        (err: unknown) => log(`[dead-workflows] check failed, trying again later: ${err instanceof Error ? err.message : String(err)}`),
      )
      .finally(() => (running = undefined));
  };
  tick();
  const timer = setInterval(tick, options.everyMs ?? DEAD_WORKFLOW_CHECK_EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
