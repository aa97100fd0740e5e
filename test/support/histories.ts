// Workflow histories recorded from the cycle tests, committed under test/histories/ and replayed by
// test/cycle/replay.test.ts: a workflow change that would break running cycles fails CI.
// Record with `BAOCAO_RECORD_HISTORIES=1 BAOCAO_HISTORY_TAG=vN npm test -- test/cycle` after an intended,
// patched change: new files sit beside the old ones, so both the old and the new code paths keep replaying.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const { History } = temporal.api.history.v1;

export const HISTORIES_DIR = join(__dirname, '..', 'histories');

/**
 * Writes the latest run of each workflow; `{ workflowId, previousRun: true }` writes the run before it instead
 * (the run that continued as new: what it did at that moment is in no latest run).
 */
export async function recordHistories(client: Client, scenario: string, workflows: (string | { workflowId: string; previousRun: true })[]): Promise<void> {
  if (process.env.BAOCAO_RECORD_HISTORIES !== '1') return;
  mkdirSync(HISTORIES_DIR, { recursive: true });
  for (const w of workflows) {
    const workflowId = typeof w === 'string' ? w : w.workflowId;
    let history = await client.workflow.getHandle(workflowId).fetchHistory();
    if (typeof w !== 'string') {
      const previous = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
      if (!previous) throw new Error(`${workflowId} has no previous run to record`);
      history = await client.workflow.getHandle(workflowId, previous).fetchHistory();
    }
    const tag = process.env.BAOCAO_HISTORY_TAG ? `${process.env.BAOCAO_HISTORY_TAG}-` : '';
    const run = typeof w === 'string' ? '' : '--previous-run';
    const file = `${tag}${scenario}--${workflowId.replace(/[^A-Za-z0-9_.-]+/g, '_')}${run}.json`;
    const json = History.toObject(History.fromObject(history), { longs: String, bytes: String });
    writeFileSync(join(HISTORIES_DIR, file), JSON.stringify(json, null, 1) + '\n');
  }
}

/** Reads a history written by recordHistories. */
export function readHistory(text: string): temporal.api.history.v1.History {
  return History.fromObject(JSON.parse(text));
}

interface RecordedEvent {
  markerRecordedEventAttributes?: { markerName?: string; details?: Record<string, { payloads?: { data?: string }[] }> };
}

/** The ids of the patches whose markers a committed history (a file name in HISTORIES_DIR) holds. */
export function patchesOf(file: string): string[] {
  return ((JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')) as { events?: RecordedEvent[] }).events ?? [])
    .map((e) => e.markerRecordedEventAttributes)
    .filter((m) => m?.markerName === 'core_patch')
    .map((m) => (JSON.parse(Buffer.from(m!.details!['patch-data']!.payloads![0]!.data!, 'base64').toString('utf8')) as { id: string }).id);
}
