import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../support/cycle-harness';
import { HISTORIES_DIR, readHistory } from '../support/histories';

// Every committed history must replay on today's workflow code without non-determinism.
const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json')).sort();

describe('replay of recorded cycle histories', () => {
  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it.each(files)('%s replays deterministically', async (file) => {
    const history = readHistory(readFileSync(join(HISTORIES_DIR, file), 'utf8'));
    const workflowId = file.replace(/\.json$/, '');
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, workflowId);
  });
});
