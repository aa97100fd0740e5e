import { DateTime } from 'luxon';
import type { Language } from '../../directory/types';

/** Every date a person reads is shown in this zone, whatever the machine's TZ. */
export const DISPLAY_TIME_ZONE = 'Asia/Ho_Chi_Minh';
export const DISPLAY_DATE_TIME_FORMAT = 'dd/MM/yyyy HH:mm';
export const DISPLAY_DATE_FORMAT = 'dd/MM/yyyy';

/** Cycle ids that start with this prefix are rehearsals (see workflows/ids.ts). */
export const REHEARSAL_SUBJECT_PREFIX: Record<Language, string> = { vi: '[DIỄN TẬP]', en: '[REHEARSAL]' };

const LOCALE: Record<Language, string> = { vi: 'vi-VN', en: 'en-GB' };

function local(iso: string): DateTime {
  const dt = DateTime.fromISO(iso, { zone: 'utc' });
  if (!dt.isValid) throw new RangeError(`not an ISO-8601 instant: ${JSON.stringify(iso)}`);
  return dt.setZone(DISPLAY_TIME_ZONE);
}

/** `Thứ Tư, 31/03/2027 23:59` / `Wednesday, 31/03/2027 23:59 (Vietnam time)`. */
export function formatDateTime(iso: string, lang: Language): string {
  const dt = local(iso).setLocale(lang);
  const text = `${dt.toFormat('cccc')}, ${dt.toFormat(DISPLAY_DATE_TIME_FORMAT)}`;
  return lang === 'vi' ? text : `${text} (Vietnam time)`;
}

/** `31/03/2027` in Vietnam. */
export function formatDate(iso: string): string {
  return local(iso).toFormat(DISPLAY_DATE_FORMAT);
}

/** One formatter per language: building an Intl.NumberFormat costs far more than formatting (pages format thousands). */
const NUMBER_FORMATS = new Map<Language, Intl.NumberFormat>();

export function formatNumber(n: number, lang: Language): string {
  let f = NUMBER_FORMATS.get(lang);
  if (!f) NUMBER_FORMATS.set(lang, (f = new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 1 })));
  return f.format(n);
}

/** A percentage already in 0–100; null (nothing expected) prints as a dash. */
export function formatPercent(p: number | null, lang: Language): string {
  return p === null ? '—' : `${formatNumber(p, lang)}%`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `2 ngày 5 giờ` / `2 days 5 hours`; under a minute reads as "less than a minute". */
export function formatDuration(ms: number, lang: Language): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts =
    lang === 'vi'
      ? [days && `${days} ngày`, hours && `${hours} giờ`, !days && mins && `${mins} phút`]
      : [days && plural(days, 'day', 'days'), hours && plural(hours, 'hour', 'hours'), !days && mins && plural(mins, 'minute', 'minutes')];
  const text = parts.filter(Boolean).join(' ');
  return text || (lang === 'vi' ? 'dưới 1 phút' : 'less than a minute');
}

/** Whole calendar days in Vietnam from the day of `fromIso` to the day of `toIso` (0 on the same day). */
export function localDaysBetween(fromIso: string, toIso: string): number {
  return Math.round(local(toIso).startOf('day').diff(local(fromIso).startOf('day'), 'days').days);
}

/** How late `atIso` is against `dueIso`: in days once it is another day in Vietnam, else in hours/minutes. */
export function formatLateness(dueIso: string, atIso: string, lang: Language): string {
  const days = localDaysBetween(dueIso, atIso);
  if (days >= 1) return lang === 'vi' ? `${days} ngày` : plural(days, 'day', 'days');
  return formatDuration(Date.parse(atIso) - Date.parse(dueIso), lang);
}
