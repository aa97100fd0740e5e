import { DateTime } from 'luxon';
import { TIME_ZONE } from '../calendar/constants';
import { isLocalDate } from '../calendar/dates';
import type { LocalDate } from '../calendar/types';

// Directory dates are local calendar dates in the organisation's time zone, stored as `YYYY-MM-DD` text:
// that form sorts and compares correctly as plain strings, in SQL and in JS alike.
export { isLocalDate };
const VN_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

/**
 * Reads a date as clerks write it: `YYYY-MM-DD` or the Vietnamese `DD/MM/YYYY` (also with `.` or `-`).
 * Returns `YYYY-MM-DD`, or undefined when the text is not a real date.
 */
export function parseLocalDate(text: string): LocalDate | undefined {
  const t = text.trim();
  if (isLocalDate(t)) return t;
  const m = VN_DATE.exec(t);
  if (!m) return undefined;
  const d = DateTime.fromObject({ year: Number(m[3]), month: Number(m[2]), day: Number(m[1]) }, { zone: 'utc' });
  return d.isValid ? d.toISODate() : undefined;
}

/** Today in Asia/Ho_Chi_Minh, whatever the machine's time zone. */
export function todayLocal(): LocalDate {
  return DateTime.now().setZone(TIME_ZONE).toISODate() as LocalDate;
}

/** The calendar date an ExcelJS date cell stands for (ExcelJS returns such dates at UTC midnight). */
export function localDateOfExcelDate(d: Date): LocalDate {
  return d.toISOString().slice(0, 10);
}
