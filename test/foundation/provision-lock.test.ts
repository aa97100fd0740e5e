// One build of a tool at a time (scripts/provision-lock.mjs): several processes that find a tool missing at once
// build it once — the others wait, then take the cached result — and a lock left by a dead process is taken over.
// Real processes, no timers: the first build waits until the test has seen the second one waiting.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { buildOnce } from '../../scripts/provision-lock.mjs';

const LOCK_MODULE = pathToFileURL(join(__dirname, '..', '..', 'scripts', 'provision-lock.mjs')).href;

/** A process that builds "tool" under the lock: its build appends a line to builds.log and waits for `release`. */
function builder(dir: string) {
  const script = `
    import { appendFileSync, existsSync, readFileSync } from 'node:fs';
    import { join } from 'node:path';
    import { setTimeout as sleep } from 'node:timers/promises';
    import { buildOnce } from ${JSON.stringify(LOCK_MODULE)};
    const dir = ${JSON.stringify(dir)};
    const tool = join(dir, 'tool');
    const result = await buildOnce({
      dir, name: 'tool', what: 'the tool', pollMs: 50,
      ready: () => (existsSync(tool) ? 'cached' : undefined),
      build: async () => {
        appendFileSync(join(dir, 'builds.log'), process.pid + '\\n');
        while (!existsSync(join(dir, 'release'))) await sleep(50);
        appendFileSync(tool, 'built');
        return 'built';
      },
    });
    process.stdout.write(result);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return { child, out: () => out, err: () => err, done: once(child, 'close').then(([code]) => ({ code: code as number, out })) };
}

/** Waits for a state another process reaches (the test's own time-out bounds it). */
async function until(what: string, cond: () => boolean) {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
  expect(cond(), what).toBe(true);
}

describe('buildOnce', () => {
  it('builds a tool once when two processes find it missing at the same time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baocao-lock-'));
    const first = builder(dir);
    await until('the first process is building', () => existsSync(join(dir, 'builds.log')));
    const second = builder(dir);
    await until('the second process says it waits', () => /the tool: waiting for another process \(pid \d+\)/.test(second.err()));
    writeFileSync(join(dir, 'release'), '');
    const [a, b] = await Promise.all([first.done, second.done]);
    expect(a).toEqual({ code: 0, out: 'built' });
    expect(b).toEqual({ code: 0, out: 'cached' });
    expect(readFileSync(join(dir, 'builds.log'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, '.lock-tool'))).toBe(false);
  }, 60_000);

  it('takes over a lock whose process is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baocao-lock-'));
    const dead = spawn(process.execPath, ['-e', '']);
    await once(dead, 'close');
    mkdirSync(join(dir, '.lock-tool'));
    writeFileSync(join(dir, '.lock-tool', 'pid'), String(dead.pid));
    const result = await buildOnce({ dir, name: 'tool', what: 'the tool', ready: () => undefined, build: async () => 'rebuilt' });
    expect(result).toBe('rebuilt');
    expect(existsSync(join(dir, '.lock-tool'))).toBe(false);
  });

  it('releases the lock when the build fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baocao-lock-'));
    await expect(buildOnce({ dir, name: 'tool', what: 'the tool', ready: () => undefined, build: async () => { throw new Error('go install failed'); } })).rejects.toThrow('go install failed');
    expect(existsSync(join(dir, '.lock-tool'))).toBe(false);
  });
});
