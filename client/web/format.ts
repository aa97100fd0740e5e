// Dates and numbers as people read them: always in Vietnam time, whatever the server's TZ. The wording is the
// same as in the emails (activities/mail/templates/format.ts), so a deadline reads identically in both.
import { DateTime } from 'luxon';
import { formatDateTime, formatLateness, formatNumber, formatPercent, DISPLAY_DATE_FORMAT, DISPLAY_TIME_ZONE } from '../../activities/mail/templates/format';
import type { Lang } from './i18n';

export function dateTime(iso: string, lang: Lang): string {
  return formatDateTime(iso, lang);
}

/** `31/03/2027` for an instant, in Vietnam. */
export function dateOf(iso: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone(DISPLAY_TIME_ZONE).toFormat(DISPLAY_DATE_FORMAT);
}

/** `31/03/2027` for a local date `2027-03-31`. */
export function localDate(date: string): string {
  return DateTime.fromISO(date, { zone: DISPLAY_TIME_ZONE }).toFormat(DISPLAY_DATE_FORMAT);
}

export function lateness(dueIso: string, nowIso: string, lang: Lang): string {
  return formatLateness(dueIso, nowIso, lang);
}

export function num(n: number, lang: Lang): string {
  return formatNumber(n, lang);
}

export function percent(p: number | null, lang: Lang): string {
  return formatPercent(p, lang);
}
