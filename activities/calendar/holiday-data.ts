// The versioned holiday data file: the Government's yearly announcements (closures, swapped working days)
// on top of the statutory holidays the code computes. The secretariat extends it without touching code, so
// every mistake must come back as one readable line naming the entry.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { addDays, compareDates, datesBetween, isLocalDate, isWeekend, localDateSchema, yearOf } from './dates';
import { CalendarDataError } from './errors';
import type { LocalDate } from './types';

/** The statutory holidays of Labour Code 2019 Art. 112(1) that an announcement can schedule. */
export const STATUTORY_HOLIDAY_KEYS = ['new-year', 'tet', 'hung-kings', 'reunification-day', 'labour-day', 'national-day'] as const;
export type StatutoryHolidayKey = (typeof STATUTORY_HOLIDAY_KEYS)[number];

/** A closure may span at most this many days (Tết with both weekends is 9–10). */
const MAX_CLOSURE_DAYS = 31;

const bilingualName = z.strictObject({
  vi: z.string().trim().min(1, 'Vietnamese name is required'),
  en: z.string().trim().min(1, 'English name is required'),
});

const closureSchema = z.strictObject({
  from: localDateSchema,
  to: localDateSchema,
  name: bilingualName,
  /**
   * The statutory holidays this announced closure schedules. For those holidays the statutory default of the
   * year (and its compensatory days) is dropped: the announcement is the whole truth.
   */
  replaces: z.array(z.enum(STATUTORY_HOLIDAY_KEYS)).default([]),
  source: z.string().trim().min(1, 'say where the closure comes from (document number, date, link)'),
});

const workingDaySchema = z.strictObject({
  date: localDateSchema,
  name: bilingualName,
  /** the weekday given off in exchange (informational; must lie in a closure of the same year) */
  swappedWith: localDateSchema.optional(),
  source: z.string().trim().min(1, 'say where the swapped working day comes from'),
});

const yearSchema = z.strictObject({
  closures: z.array(closureSchema).default([]),
  /** weekend days that are working days (swapped for a weekday inside a closure) */
  workingDays: z.array(workingDaySchema).default([]),
  notes: z.array(z.string()).default([]),
});

export const holidayDataSchema = z
  .strictObject({
    $comment: z.string().optional(),
    version: z.string().trim().min(1, 'a version is required (it is recorded in every deadline plan)'),
    description: z.string().optional(),
    years: z.record(z.string().regex(/^\d{4}$/, 'year keys are four digits, e.g. "2026"'), yearSchema),
  })
  .superRefine((data, ctx) => {
    for (const [key, entry] of Object.entries(data.years)) {
      const year = Number(key);
      const closedDays = new Set<LocalDate>();
      entry.closures.forEach((c, i) => {
        const path = ['years', key, 'closures', i];
        // zod keeps going after a bad date; the field already has its issue
        if (!isLocalDate(c.from) || !isLocalDate(c.to)) return;
        if (compareDates(c.from, c.to) > 0) {
          ctx.addIssue({ code: 'custom', path: [...path, 'to'], message: `ends (${c.to}) before it starts (${c.from})` });
          return;
        }
        if (compareDates(addDays(c.from, MAX_CLOSURE_DAYS - 1), c.to) < 0) {
          ctx.addIssue({ code: 'custom', path: [...path, 'to'], message: `spans more than ${MAX_CLOSURE_DAYS} days (${c.from} – ${c.to})` });
          return;
        }
        if (yearOf(c.from) !== year && yearOf(c.to) !== year) {
          ctx.addIssue({ code: 'custom', path: [...path, 'from'], message: `${c.from} – ${c.to} does not touch year ${year}` });
          return;
        }
        for (const d of datesBetween(c.from, c.to)) closedDays.add(d);
      });
      entry.workingDays.forEach((w, i) => {
        const path = ['years', key, 'workingDays', i];
        if (!isLocalDate(w.date) || (w.swappedWith !== undefined && !isLocalDate(w.swappedWith))) return;
        if (yearOf(w.date) !== year) {
          ctx.addIssue({ code: 'custom', path: [...path, 'date'], message: `${w.date} is not in year ${year}` });
        } else if (!isWeekend(w.date)) {
          ctx.addIssue({ code: 'custom', path: [...path, 'date'], message: `${w.date} is not a Saturday or Sunday: weekdays are working days already` });
        } else if (closedDays.has(w.date)) {
          ctx.addIssue({ code: 'custom', path: [...path, 'date'], message: `${w.date} is also inside a closure of ${year}` });
        }
        if (w.swappedWith && !closedDays.has(w.swappedWith)) {
          ctx.addIssue({ code: 'custom', path: [...path, 'swappedWith'], message: `${w.swappedWith} is not inside any closure of ${year}` });
        }
      });
    }
  });

export type HolidayData = z.output<typeof holidayDataSchema>;
export type Closure = HolidayData['years'][string]['closures'][number];
export type WorkingDayEntry = HolidayData['years'][string]['workingDays'][number];

/** `years.2026.closures[0].to` */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}

/** The human name of the entry an issue points into, if it has one: helps find it in a long file. */
function entryLabel(raw: unknown, path: readonly PropertyKey[]): string {
  if (path[0] !== 'years' || path.length < 4) return '';
  const entry = (raw as { years?: Record<string, Record<string, unknown[]>> })?.years?.[String(path[1])]?.[String(path[2])]?.[
    path[3] as number
  ] as { name?: { vi?: unknown }; from?: unknown; date?: unknown } | undefined;
  const name = typeof entry?.name?.vi === 'string' ? entry.name.vi : undefined;
  const when = typeof entry?.from === 'string' ? entry.from : typeof entry?.date === 'string' ? entry.date : undefined;
  const parts = [name && `"${name}"`, when].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** Validates parsed JSON; `origin` names the file in the error. */
export function parseHolidayData(raw: unknown, origin: string): HolidayData {
  const parsed = holidayDataSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${formatIssuePath(i.path) || '(file)'}${entryLabel(raw, i.path)}: ${i.message}`);
  throw new CalendarDataError(
    `Tệp ngày nghỉ không hợp lệ / invalid holiday data file ${origin}:\n${lines.join('\n')}\n` +
      'Sửa mục được nêu rồi chạy lại / fix the entries named above and retry.',
  );
}

export async function readHolidayFile(file: string): Promise<HolidayData> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CalendarDataError(
      `Không đọc được tệp ngày nghỉ / cannot read the holiday data file ${file}: ${(err as Error).message}. ` +
        'Check BAOCAO_HOLIDAYS_FILE or leave it unset to use the built-in file.',
      { cause: err },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new CalendarDataError(`Tệp ngày nghỉ không phải JSON hợp lệ / the holiday data file ${file} is not valid JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return parseHolidayData(raw, file);
}
