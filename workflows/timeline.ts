// Maps calendar instants (what people see) to wall-clock instants (what timers wait for).
// For a real cycle the two are the same; a rehearsal compresses the whole calendar linearly into a few minutes,
// which keeps the order of events and every rule. Pure arithmetic on epoch milliseconds: replay-safe.
import type { Timeline } from '../domain/calendar';

export function toWallMs(instant: string, timeline: Timeline): number {
  const t = Date.parse(instant);
  if (timeline.kind === 'real') return t;
  const c0 = Date.parse(timeline.calendarStart);
  const c1 = Date.parse(timeline.calendarEnd);
  const w0 = Date.parse(timeline.wallStart);
  return w0 + ((t - c0) * timeline.minutes * 60_000) / (c1 - c0);
}

export function toCalendarIso(wallMs: number, timeline: Timeline): string {
  if (timeline.kind === 'real') return new Date(wallMs).toISOString();
  const c0 = Date.parse(timeline.calendarStart);
  const c1 = Date.parse(timeline.calendarEnd);
  const w0 = Date.parse(timeline.wallStart);
  return new Date(Math.round(c0 + ((wallMs - w0) * (c1 - c0)) / (timeline.minutes * 60_000))).toISOString();
}
