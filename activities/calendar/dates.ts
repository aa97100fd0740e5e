// Date helpers with the zone always explicit: nothing here reads the machine's time zone, so every result is
// the same under TZ=UTC, TZ=America/New_York or in Hanoi.
import { DateTime } from 'luxon';
import { z } from 'zod';
import { TIME_ZONE, WEEKDAY_NAMES } from './constants';
import { CalendarInputError } from './errors';
import type { Instant, LocalDate } from './types';

const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;
const DAY_MS = 86_400_000;

// Calendar-date arithmetic has no time zone at all: a LocalDate is a day number. Counting days on the UTC
// epoch is exact and about fifty times faster than going through luxon's IANA zone for every step.
function epochDayOrNull(date: string): number | null {
  const m = LOCAL_DATE_PATTERN.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // rejects 2026-02-30 (which Date.UTC would roll into March) and two-digit-year surprises
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

function epochDay(date: LocalDate): number {
  const n = epochDayOrNull(date);
  if (n === null) throw new CalendarInputError(`Not a calendar date: "${date}" (expected YYYY-MM-DD, e.g. 2026-03-31).`);
  return n;
}

function fromEpochDay(n: number): LocalDate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function isLocalDate(value: string): boolean {
  return epochDayOrNull(value) !== null;
}

export const localDateSchema = z
  .string()
  .refine(isLocalDate, { message: 'must be a real calendar date written YYYY-MM-DD, e.g. 2026-03-31' });

export const localTimeSchema = z.string().regex(LOCAL_TIME_PATTERN, 'must be a time of day HH:mm, e.g. 08:00');

/** Any ISO-8601 instant with an offset or `Z`; normalised to UTC by {@link toInstant}. */
export const instantSchema = z.iso.datetime({ offset: true });

/** Throws unless `date` is a valid `YYYY-MM-DD`; returns it unchanged. */
export function assertLocalDate(date: LocalDate): LocalDate {
  epochDay(date);
  return date;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromEpochDay(epochDay(date) + days);
}

/** 1 = Monday … 7 = Sunday (1970-01-01, day 0, was a Thursday) */
export function weekdayOf(date: LocalDate): number {
  return ((((epochDay(date) + 3) % 7) + 7) % 7) + 1;
}

export function isWeekend(date: LocalDate): boolean {
  return weekdayOf(date) >= 6;
}

export function yearOf(date: LocalDate): number {
  return Number(date.slice(0, 4));
}

/** `YYYY-MM-DD` strings compare correctly as strings; this names the intent. */
export function compareDates(a: LocalDate, b: LocalDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every date from `from` to `to`, both included. */
export function datesBetween(from: LocalDate, to: LocalDate): LocalDate[] {
  const out: LocalDate[] = [];
  for (let n = epochDay(from), end = epochDay(to); n <= end; n++) out.push(fromEpochDay(n));
  return out;
}

/** The instant of a local wall-clock time on a local date, as UTC ISO (`2026-03-31T16:59:59.000Z`). */
export function instantAt(date: LocalDate, localTime: string): Instant {
  const dt = DateTime.fromISO(`${assertLocalDate(date)}T${localTime}`, { zone: TIME_ZONE });
  if (!dt.isValid) throw new CalendarInputError(`Not a time of day: "${localTime}" (expected HH:mm).`);
  return dt.toUTC().toISO() as Instant;
}

/** Normalises any ISO instant (any offset) to the UTC form used in plans. */
export function toInstant(iso: string): Instant {
  const dt = DateTime.fromISO(iso, { setZone: true });
  if (!dt.isValid || !instantSchema.safeParse(iso).success) {
    throw new CalendarInputError(`Not an ISO-8601 instant with an offset: "${iso}" (e.g. 2026-01-05T08:00:00+07:00).`);
  }
  return dt.toUTC().toISO() as Instant;
}

/** The local date and time an instant falls on in Asia/Ho_Chi_Minh. */
export function localParts(instant: Instant): { date: LocalDate; time: string; weekday: number } {
  const dt = DateTime.fromISO(instant, { zone: 'utc' }).setZone(TIME_ZONE);
  if (!dt.isValid) throw new CalendarInputError(`Not an ISO-8601 instant: "${instant}".`);
  return { date: dt.toISODate() as LocalDate, time: dt.toFormat('HH:mm:ss'), weekday: dt.weekday };
}

/** `31/03/2026 23:59 (Thứ Ba)`: how people in the federation read a deadline. */
export function formatInstantVi(instant: Instant): string {
  const dt = DateTime.fromISO(instant, { zone: 'utc' }).setZone(TIME_ZONE);
  return `${dt.toFormat('dd/MM/yyyy HH:mm')} (${WEEKDAY_NAMES.vi[dt.weekday - 1]})`;
}

/** `31/03/2026 (Thứ Ba)` */
export function formatDateVi(date: LocalDate): string {
  const [y, m, d] = assertLocalDate(date).split('-');
  return `${d}/${m}/${y} (${WEEKDAY_NAMES.vi[weekdayOf(date) - 1]})`;
}
