// What the clients show of a cycle's dead workflows (common/dead-workflows.ts): the listing, or why it could
// not be made, and its lines for a terminal.
import type { Client } from '@temporalio/client';
import { CycleHealthUnavailableError, deadStatusText, listDeadWorkflows, type DeadWorkflow } from '../common/dead-workflows';

/** The listing, or why it could not be made: what a status page shows instead of failing. */
export type CycleHealth = { dead: DeadWorkflow[] } | { unavailable: string };

export async function cycleHealth(client: Client, cycleId: string): Promise<CycleHealth> {
  try {
    return { dead: await listDeadWorkflows(client, cycleId) };
  } catch (err) {
    if (err instanceof CycleHealthUnavailableError) return { unavailable: err.message };
    throw err;
  }
}

/** Lines for a terminal: nothing when every workflow is alive. */
export function cycleHealthText(health: CycleHealth): string[] {
  if ('unavailable' in health) return [`(could not check for dead workflows / không kiểm tra được: ${health.unavailable})`];
  if (health.dead.length === 0) return [];
  return [
    `DEAD WORKFLOWS: ${health.dead.length} — the figures below miss what they carried; tell the engineers / Có quy trình đã dừng, số liệu chưa đầy đủ:`,
    ...health.dead.map((d) => `  ${(d.unitId ?? d.workflowType).padEnd(16)} ${deadStatusText(d.status)} — ${d.reason} (${d.workflowId})`),
  ];
}

