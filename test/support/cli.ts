// Runs CLI commands in-process (no child process): stdout and stderr captured, commander's exits turned into
// returned errors.
import { Command } from 'commander';
import { vi } from 'vitest';

export interface CliRun {
  stdout: string;
  stderr: string;
  error?: unknown;
}

export async function runCli(register: (program: Command) => void, ...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const program = new Command().name('baocao').exitOverride();
  program.configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  register(program);
  try {
    await program.parseAsync(['node', 'baocao', ...args]);
    return { stdout, stderr };
  } catch (error) {
    return { stdout, stderr, error };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/**
 * Runs CLI commands in-process against a test's Temporal server and cycle harness (its task queue and data dir,
 * SQLite). The environment stays stubbed: the caller's `afterEach` runs `vi.unstubAllEnvs()`.
 */
export function runHarnessCli(temporalAddress: string, h: { taskQueue: string; config: { dataDir: string } }, register: (program: Command) => void, ...args: string[]): Promise<CliRun> {
  vi.stubEnv('TEMPORAL_ADDRESS', temporalAddress);
  vi.stubEnv('TEMPORAL_TASK_QUEUE', h.taskQueue);
  vi.stubEnv('BAOCAO_DATA_DIR', h.config.dataDir);
  vi.stubEnv('DATABASE_URL', undefined);
  return runCli(register, ...args);
}
