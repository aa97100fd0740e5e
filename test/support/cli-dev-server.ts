// What the CLI tests share: a dev server, a cycle harness on it (database, SMTP sink, config, worker factory), and
// the CLI run as a user runs it — a child process, asynchronously, since the worker lives in the test's process
// and must keep answering meanwhile.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll } from 'vitest';
import { untilTreeStarted } from './cycle-fixtures';
import { createCycleHarness, type CycleHarness } from './cycle-harness';
import { createLocalEnv, freePort } from './temporal';

const ROOT = join(__dirname, '..', '..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliDevServer {
  readonly env: TestWorkflowEnvironment;
  readonly h: CycleHarness;
  /** `baocao ARGS…` against the dev server, the harness's task queue and its data directory */
  baocao(...args: string[]): Promise<CliRun>;
}

/** Starts the server and the harness before the file's tests and stops them after: call it at a file's top level. */
export function useCliDevServer(directory: Parameters<typeof createCycleHarness>[1], name: string): CliDevServer {
  let env: TestWorkflowEnvironment | undefined;
  let h: CycleHarness | undefined;
  let port = 0;
  beforeAll(async () => {
    port = await freePort();
    env = await createLocalEnv({ port });
    h = await createCycleHarness(env, directory, name);
  });
  afterAll(async () => {
    await h?.close();
    await env?.teardown();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is used before beforeAll has set it up`);
    return value;
  };
  return {
    get env() {
      return ready(env, 'the dev server');
    },
    get h() {
      return ready(h, 'the cycle harness');
    },
    baocao(...args: string[]) {
      const harness = ready(h, 'the cycle harness');
      return new Promise((resolve) => {
        execFile(
          join(ROOT, 'node_modules', '.bin', 'tsx'),
          [join(ROOT, 'client/cli/main.ts'), ...args],
          { encoding: 'utf8', env: { ...process.env, TEMPORAL_ADDRESS: `127.0.0.1:${port}`, TEMPORAL_TASK_QUEUE: harness.taskQueue, BAOCAO_DATA_DIR: harness.config.dataDir } },
          (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
        );
      });
    },
  };
}

/**
 * `baocao cycle start --rehearsal MINUTES` of `year` at R, as a user runs it; resolves once its `units` have
 * started (the worker must be running).
 */
export async function startRehearsalAtR(cli: CliDevServer, year: number, units: number, minutes = 30): Promise<string> {
  const started = await cli.baocao('cycle', 'start', '--year', String(year), '--root', 'R', '--rehearsal', String(minutes), '--json');
  if (started.code !== 0) throw new Error(`baocao cycle start failed (${started.code}): ${started.stderr}`);
  const { cycleId } = JSON.parse(started.stdout) as { cycleId: string };
  await untilTreeStarted(cli.env.client, cycleId, units);
  return cycleId;
}
