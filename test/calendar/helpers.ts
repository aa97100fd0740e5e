// Test helpers: the shipped calendar, and oracles written independently of the code under test.
import { DateTime } from 'luxon';
import { loadCalendar, type WorkingCalendar } from '../../activities/calendar';

export const HCM = 'Asia/Ho_Chi_Minh';

export function shippedCalendar(): Promise<WorkingCalendar> {
  return loadCalendar();
}

/** Local date and time of an instant in Hồ Chí Minh City, computed with luxon directly. */
export function local(instant: string): { date: string; time: string } {
  const dt = DateTime.fromISO(instant, { zone: 'utc' }).setZone(HCM);
  return { date: dt.toISODate()!, time: dt.toFormat('HH:mm:ss') };
}

export function plusDays(date: string, n: number): string {
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ days: n }).toISODate()!;
}

/** Working days d with from < d <= to (from <= to), counted one day at a time. */
export function workingDaysBetween(cal: WorkingCalendar, from: string, to: string): number {
  let n = 0;
  for (let d = plusDays(from, 1); d <= to; d = plusDays(d, 1)) if (cal.isWorkingDay(d)) n++;
  return n;
}

export function isoWeekday(date: string): number {
  return DateTime.fromISO(date, { zone: 'utc' }).weekday;
}

export function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = plusDays(d, 1)) out.push(d);
  return out;
}
