// The main loops' wait behind patch v8-keep-wake-timer (workflows/wake-timer.ts), as the committed histories show
// it: the histories recorded after the patch (v8-wake-*, by small-cycle.test.ts; v8-campaign-wake-*, by
// campaign-cycle.test.ts and campaign-fan-out.test.ts) hold its marker and not one cancelled timer, while the
// same scenarios recorded before it cancelled a timer on most wakes — and both kinds replay (replay.test.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEEP_WAKE_TIMER_PATCH } from '../../workflows/wake-timer';
import { HISTORIES_DIR, patchesOf, readHistory } from '../support/histories';

const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'));
const after = files.filter((f) => /^v8-(campaign-)?wake-/.test(f));
const before = files.filter((f) => /^v7-task-timeout-on-time-|^v4-campaign-quarterly-|^v7-campaign-fanout-after-/.test(f));

function timers(file: string): { started: number; cancelled: number } {
  const events = readHistory(readFileSync(join(HISTORIES_DIR, file), 'utf8')).events ?? [];
  return { started: events.filter((e) => e.timerStartedEventAttributes).length, cancelled: events.filter((e) => e.timerCanceledEventAttributes).length };
}
const typeOf = (file: string) => readHistory(readFileSync(join(HISTORIES_DIR, file), 'utf8')).events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;

describe('histories of the kept wake timer', () => {
  it('are recorded for every workflow type with a main loop', () => {
    expect(new Set(after.map(typeOf))).toEqual(new Set(['cycleWorkflow', 'unitWorkflow', 'campaignCycleWorkflow', 'campaignUnitWorkflow', 'campaignGroupWorkflow']));
  });

  it('hold the patch and no cancelled timer after it, in every run that waited', () => {
    const waited = after.filter((f) => timers(f).started > 0);
    expect(waited.length).toBeGreaterThanOrEqual(15);
    for (const f of waited) {
      expect(patchesOf(f), f).toContain(KEEP_WAKE_TIMER_PATCH);
      expect(timers(f).cancelled, f).toBe(0);
    }
  });

  it('cancelled timers on wakes before it, in the same scenarios, without the patch', () => {
    expect(before.length).toBeGreaterThanOrEqual(10);
    for (const f of before) expect(patchesOf(f), f).not.toContain(KEEP_WAKE_TIMER_PATCH);
    const cancelled = before.reduce((n, f) => n + timers(f).cancelled, 0);
    expect(cancelled).toBeGreaterThanOrEqual(50);
  });
});
