// One build of a tool at a time on a machine. Several `npm test` or `npm start` runs on a fresh machine (or the
// test files of one run) may all find a tool missing at once; without this each started its own `go install`
// of the same module — five Temporal CLI builds and three MinIO builds competing for two cores, each one slower
// than one build alone. The lock is a folder made atomically beside the cache (`mkdir` fails when it exists),
// holding the owner's pid: a waiter prints a progress line, and takes over a lock whose owner has died.
// Plain Node with no dependencies, since it runs before npm has.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const log = (msg) => process.stderr.write(`[provision] ${msg}\n`);

/** Whether a process of this pid is running (signal 0 checks without sending anything). */
export function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

function ownerOf(lockDir) {
  try {
    return Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
  } catch {
    return undefined; // being made or being removed: look again shortly
  }
}

/**
 * Runs `build` holding the machine-wide lock `name` in `dir`. `ready()` is asked again once the lock is held, so
 * a process that waited for another's build takes its result instead of building again.
 * @template T
 * @param {{ dir: string, name: string, what: string, ready: () => T | undefined, build: () => Promise<T>, pollMs?: number }} o
 * @returns {Promise<T>}
 */
export async function buildOnce(o) {
  mkdirSync(o.dir, { recursive: true });
  const lockDir = join(o.dir, `.lock-${o.name}`);
  const started = Date.now();
  let lastLine = 0;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    const owner = ownerOf(lockDir);
    if (owner !== undefined && !Number.isNaN(owner) && !alive(owner)) {
      log(`${o.what}: the process that was building it (pid ${owner}) is gone; taking over`);
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() - lastLine >= 15_000) {
      lastLine = Date.now();
      log(`${o.what}: waiting for another process (pid ${owner ?? '?'}) that is building it (${Math.round((Date.now() - started) / 1000)} s)`);
    }
    await sleep(o.pollMs ?? 1_000);
  }
  try {
    const done = o.ready();
    if (done !== undefined) return done;
    return await o.build();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
