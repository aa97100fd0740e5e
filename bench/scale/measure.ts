// The timing helpers of bench:scale: progress lines, polling, N jobs with a bound in flight, an open-loop steady
// rate with each job's latency, percentiles, the load average. Every wait can be interrupted (Ctrl-C).
import { loadavg } from 'node:os';

export const say = (line: string) => process.stderr.write(`[bench:scale] ${line}\n`);
export const load1 = () => loadavg()[0]!;
export const loadText = () => loadavg().map((l) => l.toFixed(1)).join(' ');

const aborted = new AbortController();
const interrupted = new Promise<never>((_, reject) => aborted.signal.addEventListener('abort', () => reject(new Error('interrupted'))));
interrupted.catch(() => {});
export const interrupt = () => aborted.abort();
export const isInterrupted = () => aborted.signal.aborted;
export const orInterrupt = <T>(p: Promise<T>): Promise<T> => Promise.race([p, interrupted]);
export const sleep = (ms: number) => orInterrupt(new Promise((r) => setTimeout(r, ms)));

/** A progress line every `everyMs` (and a last one), with the rate so far and the load average. */
export function progress(label: string, everyMs = 10_000) {
  const t0 = performance.now();
  let last = t0;
  return (done: number, total: number, final = false) => {
    const now = performance.now();
    if (!final && now - last < everyMs) return;
    last = now;
    const s = (now - t0) / 1000;
    say(`${label}: ${done}/${total}  ${s.toFixed(0)} s  ${(done / Math.max(s, 0.001)).toFixed(1)} /s  load ${loadText()}`);
  };
}

/** Polls `count` until it reaches `total`; resolves with the seconds since `since` (performance.now()). */
export async function pollUntil(label: string, total: number, since: number, count: () => Promise<number>, stallMs = 15 * 60_000): Promise<number> {
  const show = progress(label);
  let n = 0;
  let lastChange = performance.now();
  for (;;) {
    // a query can time out while the worker is saturated: keep the last count and ask again
    const next = await orInterrupt(count().catch(() => n));
    if (next !== n) lastChange = performance.now();
    n = next;
    show(n, total, n >= total);
    if (n >= total) return (performance.now() - since) / 1000;
    if (performance.now() - lastChange > stallMs) throw new Error(`${label}: stuck at ${n}/${total} for ${stallMs / 60_000} min`);
    await sleep(1000);
  }
}

/** Runs `count` jobs with at most `limit` in flight; resolves with the elapsed seconds. */
export async function inParallel(label: string, count: number, limit: number, job: (i: number) => Promise<unknown>): Promise<number> {
  const show = progress(label);
  const t0 = performance.now();
  let next = 0;
  let finished = 0;
  let failure: { error: unknown } | undefined;
  // on a failure no new job starts, and the ones in flight are waited for: nothing is left running when the
  // caller cleans up (closing a connection under a call in flight makes gRPC throw from a timer)
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count && !failure && !isInterrupted()) {
        try {
          await job(next++);
          show(++finished, count, finished === count);
        } catch (error) {
          failure ??= { error };
        }
      }
    }),
  );
  if (isInterrupted()) throw new Error('interrupted');
  if (failure) throw failure.error;
  return (performance.now() - t0) / 1000;
}

/**
 * Open loop: job i starts at i / rate seconds whatever the earlier ones are doing (a steady arrival rate, as
 * users make it), and each job's own latency is kept. Resolves with the latencies in ms, sorted.
 */
export async function atSteadyRate(label: string, count: number, perSecond: number, job: (i: number) => Promise<unknown>): Promise<number[]> {
  const show = progress(label);
  const t0 = performance.now();
  const latencies: number[] = [];
  const running: Promise<void>[] = [];
  let failure: { error: unknown } | undefined;
  for (let i = 0; i < count && !failure && !isInterrupted(); i++) {
    const wait = t0 + (i * 1000) / perSecond - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const started = performance.now();
    running.push(
      job(i).then(
        () => {
          latencies.push(performance.now() - started);
          show(latencies.length, count, latencies.length === count);
        },
        (error: unknown) => void (failure ??= { error }),
      ),
    );
  }
  await Promise.all(running);
  if (isInterrupted()) throw new Error('interrupted');
  if (failure) throw failure.error;
  return latencies.sort((a, b) => a - b);
}

/** Times `runs` calls one after the other (after `warmup` untimed ones); the latencies in ms, sorted. */
export async function timed(runs: number, warmup: number, call: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await orInterrupt(call());
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await orInterrupt(call());
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
