// Lunar dates of the statutory holidays, from @dqcai/vn-lunar (Hồ Ngọc Đức's tables, computed for UTC+7:
// the Vietnamese calendar, which differs from the Chinese one in some years, e.g. Tết 1985 and 2007).
// The package ships a broken CommonJS entry; only its ES module loads under Node, hence the dynamic import.
import { LUNAR_YEAR_RANGE } from './constants';
import { addDays } from './dates';
import { CalendarDataError } from './errors';
import type { LocalDate } from './types';

/** What the working calendar needs of the lunar calendar: two dates per Gregorian year. */
export interface LunarSource {
  /** Mùng 1 Tết: first day of the lunar year that begins in this Gregorian year */
  lunarNewYear(year: number): LocalDate;
  /** 10th day of the 3rd lunar month (never the leap month) of that lunar year */
  hungKingsDay(year: number): LocalDate;
}

type LunarModule = typeof import('@dqcai/vn-lunar');

let loading: Promise<LunarSource> | undefined;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function solarOf(mod: LunarModule, day: number, month: number, year: number): LocalDate {
  if (!Number.isInteger(year) || year < LUNAR_YEAR_RANGE.min || year > LUNAR_YEAR_RANGE.max) {
    throw new CalendarDataError(
      `The lunar calendar is only available for ${LUNAR_YEAR_RANGE.min}–${LUNAR_YEAR_RANGE.max}; year ${year} is outside it.`,
    );
  }
  const s = mod.getSolarDate(day, month, year, false);
  if (!s.year || !s.month || !s.day) {
    throw new CalendarDataError(`The lunar calendar library gave no solar date for lunar ${day}/${month}/${year}.`);
  }
  return `${s.year}-${pad(s.month)}-${pad(s.day)}`;
}

function sourceFrom(mod: LunarModule): LunarSource {
  const memo = new Map<string, LocalDate>();
  const cached = (key: string, compute: () => LocalDate): LocalDate => {
    let v = memo.get(key);
    if (v === undefined) {
      v = compute();
      memo.set(key, v);
    }
    return v;
  };
  return {
    lunarNewYear: (year) => cached(`tet:${year}`, () => solarOf(mod, 1, 1, year)),
    hungKingsDay: (year) => cached(`hung:${year}`, () => solarOf(mod, 10, 3, year)),
  };
}

/** Loads the lunar library once per process. */
export function loadLunarSource(): Promise<LunarSource> {
  loading ??= import('@dqcai/vn-lunar').then(sourceFrom, (err: unknown) => {
    loading = undefined;
    throw new CalendarDataError(`Cannot load the lunar calendar library @dqcai/vn-lunar: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  });
  return loading;
}

/** Last day of the lunar year that ends in this Gregorian year's Tết (29 or 30 tháng Chạp). */
export function lunarYearEve(lunar: LunarSource, year: number): LocalDate {
  return addDays(lunar.lunarNewYear(year), -1);
}
