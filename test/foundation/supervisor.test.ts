// The supervisor of `npm start` (scripts/supervisor.ts) with real child processes: a killed process comes back
// with a doubling back-off and a log line; one that keeps failing makes it give up; stop() leaves nothing behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Supervisor, type RestartPolicy, type SupervisedProcess } from '../../scripts/supervisor';

const FAST: RestartPolicy = { initialDelayMs: 100, maxDelayMs: 400, healthyAfterMs: 60_000, maxFailures: 5, failureWindowMs: 60_000 };

function nodeProcess(name: string, code: string): SupervisedProcess & { started: ChildProcess[] } {
  const started: ChildProcess[] = [];
  return {
    name,
    started,
    start: () =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
        child.once('spawn', () => (started.push(child), resolve(child)));
        child.once('error', reject);
      }),
  };
}

function recorder() {
  const lines: string[] = [];
  let gaveUp: string | undefined;
  const waiters: { test: () => boolean; resolve: () => void }[] = [];
  const check = () => waiters.splice(0).forEach((w) => (w.test() ? w.resolve() : waiters.push(w)));
  return {
    lines,
    get gaveUp() {
      return gaveUp;
    },
    events: {
      log: (m: string) => (lines.push(m), check()),
      giveUp: (_n: string, reason: string) => ((gaveUp = reason), check()),
    },
    until: (test: () => boolean) => new Promise<void>((resolve) => (test() ? resolve() : waiters.push({ test, resolve }))),
  };
}

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

describe('Supervisor', () => {
  it('restarts a killed process with a doubling back-off, says so, and stops it on stop()', async () => {
    const proc = nodeProcess('sleeper', 'setInterval(() => {}, 1000)');
    const rec = recorder();
    const supervisor = new Supervisor(proc, rec.events, FAST);
    await supervisor.start();
    for (let n = 1; n <= 3; n++) {
      proc.started.at(-1)!.kill('SIGKILL');
      await rec.until(() => proc.started.length === n + 1 && rec.lines.some((l) => l.startsWith(`sleeper started (pid ${proc.started[n]!.pid})`)));
    }
    expect(rec.lines.filter((l) => l.includes('exited'))).toEqual([
      'sleeper exited (signal SIGKILL); restarting in 0.1 s (restart 1)',
      'sleeper exited (signal SIGKILL); restarting in 0.2 s (restart 2)',
      'sleeper exited (signal SIGKILL); restarting in 0.4 s (restart 3)',
    ]);
    const last = proc.started.at(-1)!;
    expect(alive(last)).toBe(true);
    await supervisor.stop();
    expect(alive(last)).toBe(false);
    expect(proc.started.length).toBe(4); // nothing restarted after stop()
    expect(rec.gaveUp).toBeUndefined();
  });

  it('gives up when the process keeps failing', async () => {
    const proc = nodeProcess('crasher', 'process.exit(3)');
    const rec = recorder();
    const supervisor = new Supervisor(proc, rec.events, FAST);
    await supervisor.start();
    await rec.until(() => rec.gaveUp !== undefined);
    expect(rec.gaveUp).toBe('crasher exited (code 3) — 5 failures within 1 min; not restarting it again');
    expect(proc.started.length).toBe(FAST.maxFailures);
    expect(rec.lines.filter((l) => l.includes('restarting in'))).toHaveLength(FAST.maxFailures - 1);
    expect(rec.lines).toContain('crasher exited (code 3); restarting in 0.1 s (restart 1)');
    await supervisor.stop();
  });

  it('counts a start that fails as a failure and keeps trying', async () => {
    let attempts = 0;
    const real = nodeProcess('flaky', 'setInterval(() => {}, 1000)');
    const proc: SupervisedProcess = {
      name: 'flaky',
      start: async () => {
        attempts += 1;
        if (attempts === 2) throw new Error('port 7233 in use\nmore detail');
        return real.start();
      },
    };
    const rec = recorder();
    const supervisor = new Supervisor(proc, rec.events, FAST);
    await supervisor.start();
    real.started[0]!.kill('SIGKILL');
    await rec.until(() => real.started.length === 2 && rec.lines.some((l) => l.includes(`pid ${real.started[1]!.pid}`)));
    expect(rec.lines).toContain('flaky exited (could not start: port 7233 in use); restarting in 0.2 s (restart 2)');
    await supervisor.stop();
    expect(alive(real.started[1]!)).toBe(false);
  });

  it('stops a process that was still starting when stop() came', async () => {
    let child: ChildProcess | undefined;
    const proc: SupervisedProcess = {
      name: 'slow',
      // "running" once it says so, like the dev server once it listens
      start: () =>
        new Promise((resolve) => {
          child = spawn(process.execPath, ['-e', "setTimeout(() => console.log('up'), 300); setInterval(() => {}, 1000)"], { stdio: ['ignore', 'pipe', 'ignore'] });
          child.stdout!.once('data', () => resolve(child!));
        }),
    };
    const supervisor = new Supervisor(proc, recorder().events, FAST);
    const starting = supervisor.start();
    await supervisor.stop();
    await starting;
    expect(child && alive(child)).toBe(false);
  });
});
