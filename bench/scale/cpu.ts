// CPU time per component, from /proc (Linux): on a machine shared with other work the wall-clock rates follow the
// neighbours, the CPU seconds a unit costs do not. A PostgreSQL server is its postmaster and every backend.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface Stat {
  ppid: number;
  /** utime + stime + cutime + cstime: the process and its children that exited, in seconds */
  seconds: number;
}

function stat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces: fields are counted after its closing parenthesis
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), seconds: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/** CPU seconds of a process (with its exited children). */
export function processCpuSeconds(pid: number | undefined): number {
  return pid ? (stat(pid)?.seconds ?? 0) : 0;
}

/** CPU seconds of a process and of its live children (a postmaster and its backends). */
export function treeCpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  let total = processCpuSeconds(pid);
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (s?.ppid === pid) total += s.seconds;
  }
  return total;
}

export type CpuSample = Record<string, number>;

/** Seconds per component between two samples. */
export function cpuDelta(before: CpuSample, after: CpuSample): CpuSample {
  return Object.fromEntries(Object.keys(after).map((k) => [k, after[k]! - (before[k] ?? 0)]));
}
