// The test SMTP sink's waits are bounded: a cycle that stopped sending fails the wait with what was awaited and
// what did arrive, instead of hanging until the test's own timeout with no cause (the campaign-e2e flake of stop 21).
import { afterEach, expect, it, vi } from 'vitest';
import { startSmtpSink } from '../support/smtp-sink';

afterEach(() => {
  vi.useRealTimers();
});

it('a wait that is never met is refused after its bound, naming what was awaited', async () => {
  const sink = await startSmtpSink();
  try {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const waiting = sink.waitFor(() => false, { what: 'task email to chu-tich@cdcs.vn', withinMs: 30_000 });
    const outcome = waiting.then(
      () => 'resolved',
      (err: unknown) => String(err),
    );
    await vi.advanceTimersByTimeAsync(29_999);
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toBe('Error: the SMTP sink received no task email to chu-tich@cdcs.vn within 30 s (0 messages in all; last: none)');
  } finally {
    vi.useRealTimers();
    await sink.close();
  }
});

it('a wait already met resolves at once, and its bound never fires afterwards', async () => {
  const sink = await startSmtpSink();
  try {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await expect(sink.waitFor(() => true, { withinMs: 10 })).resolves.toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  } finally {
    vi.useRealTimers();
    await sink.close();
  }
});
