// The one-minute workflow task timeout of started workflows (workflows/task-timeout.ts) is a patch: histories
// recorded before it hold no marker and replay without the option; those recorded after it (v7-task-timeout-*,
// built-in types, and v7-campaign-tt-*, campaign types) hold it in every parent that started children.
// test/cycle/replay.test.ts replays them all.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TASK_TIMEOUT_PATCH } from '../../workflows/task-timeout';
import { HISTORIES_DIR, patchesOf } from '../support/histories';

const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'));
// v7-campaign-fanout-after-* (test/campaigns/campaign-fan-out.test.ts) came after it too: its root starts its groups with it
const after = files.filter((f) => /^v7-(task-timeout|campaign-tt|campaign-fanout-after)-/.test(f));
// parents: the cycle workflows and every unit with units below it (R, I1); grassroots units start nothing
const parents = after.filter((f) => /(--cycle-2027-R|_R|_I1)\.json$/.test(f));

describe('histories around the workflow task timeout patch', () => {
  it('hold its marker in every parent recorded after it, of both workflow families', () => {
    expect(parents.some((f) => f.startsWith('v7-task-timeout-'))).toBe(true);
    expect(parents.some((f) => f.startsWith('v7-campaign-tt-'))).toBe(true);
    for (const f of parents) expect(patchesOf(f), f).toContain(TASK_TIMEOUT_PATCH);
  });

  it('hold no marker of it in any history recorded before it', () => {
    // v8 and later came after it too (each holds it where it started children; their own tests check their patches)
    const before = files.filter((f) => !after.includes(f) && !/^v([89]|\d{2,})-/.test(f));
    expect(before.length).toBeGreaterThan(90);
    for (const f of before) expect(patchesOf(f), f).not.toContain(TASK_TIMEOUT_PATCH);
  });
});
