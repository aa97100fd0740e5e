// The Vietnamese working-day calendar of a state or union office (Saturday–Sunday week):
//   statutory holidays (Labour Code 2019 Art. 112(1)) with compensatory days (Art. 111(3)),
//   overridden year by year by the Government's announcements in the holiday data file.
// Pure once built: the deadline functions take a WorkingCalendar as an argument.
import { addDays, assertLocalDate, compareDates, datesBetween, isWeekend, weekdayOf, yearOf } from './dates';
import { CalendarDataError } from './errors';
import { formatIssuePath, type HolidayData, type StatutoryHolidayKey } from './holiday-data';
import { lunarYearEve, type LunarSource } from './lunar';
import type { LocalDate } from './types';

export interface HolidayName {
  vi: string;
  en: string;
}

export type DayKind =
  /** inside a closure announced in the data file */
  | 'closure'
  /** a statutory holiday computed from the Labour Code */
  | 'statutory'
  /** the working day given off because a statutory holiday fell on a weekend (Art. 111(3)) */
  | 'compensatory'
  /** a Saturday or Sunday that is a working day, swapped for a day inside a closure */
  | 'working-weekend';

export interface NamedDay {
  date: LocalDate;
  kind: DayKind;
  name: HolidayName;
  /** where the day comes from: the announcement for closures and swaps, the article of law otherwise */
  source: string;
}

export interface WorkingCalendar {
  /** version of the holiday data file */
  readonly version: string;
  /** years that have an entry in the data file (others follow the statutory rules only) */
  readonly announcedYears: readonly number[];
  isWorkingDay(date: LocalDate): boolean;
  /** the first working day strictly after `date` */
  nextWorkingDay(date: LocalDate): LocalDate;
  /** the last working day strictly before `date` */
  previousWorkingDay(date: LocalDate): LocalDate;
  /**
   * Moves `n` working days from `date` (n < 0: backwards); only working days are counted, `date` itself never.
   * `n = 0` returns `date` unchanged, even when it is not a working day.
   */
  addWorkingDays(date: LocalDate, n: number): LocalDate;
  /** Civil Code 2015 Art. 148(5): a term ending on a day off ends on the next working day. */
  rollForward(date: LocalDate): LocalDate;
  /** Name of the holiday, closure or compensatory day on `date`; null on working days and ordinary weekends. */
  holidayName(date: LocalDate): HolidayName | null;
  /** Every named non-working day and every working weekend day of a year, ascending. */
  namedDays(year: number): NamedDay[];
}

/** Search bound for the next working day: far beyond any real closure, it only guards against bad data. */
const MAX_SEARCH_DAYS = 366;

const LAW = {
  holidays: 'Bộ luật Lao động 2019, Điều 112 khoản 1 / Labour Code 2019 Art. 112(1)',
  compensation: 'Bộ luật Lao động 2019, Điều 111 khoản 3 / Labour Code 2019 Art. 111(3)',
  nationalDayDefault:
    'Bộ luật Lao động 2019, Điều 112 khoản 1 điểm đ; ngày liền kề chưa công bố: quy tắc mặc định / Art. 112(1)(đ); adjacent day not announced: default rule',
};

interface StatutoryDay {
  date: LocalDate;
  key: StatutoryHolidayKey;
  name: HolidayName;
  source: string;
}

/** The statutory key date that an announcement replacing `key` must contain. */
function keyDate(key: StatutoryHolidayKey, year: number, lunar: LunarSource): LocalDate {
  switch (key) {
    case 'new-year':
      return `${year}-01-01`;
    case 'tet':
      return lunar.lunarNewYear(year);
    case 'hung-kings':
      return lunar.hungKingsDay(year);
    case 'reunification-day':
      return `${year}-04-30`;
    case 'labour-day':
      return `${year}-05-01`;
    case 'national-day':
      return `${year}-09-02`;
  }
}

/**
 * Art. 112(1)(đ) gives 2/9 plus "one adjacent day, before or after", chosen by the Government each year.
 * Default when not announced: 1/9, unless 1/9 is a weekend day or 2/9 is a Thursday (then 3/9, which bridges to
 * the weekend). This reproduces every announced choice 2021–2026.
 */
export function defaultNationalDayAdjacent(year: number): LocalDate {
  const day2 = `${year}-09-02`;
  const wd = weekdayOf(day2);
  const before = `${year}-09-01`;
  return isWeekend(before) || wd === 4 ? `${year}-09-03` : before;
}

function statutoryDays(year: number, lunar: LunarSource): StatutoryDay[] {
  const days: StatutoryDay[] = [];
  const add = (date: LocalDate, key: StatutoryHolidayKey, vi: string, en: string, source = LAW.holidays): void => {
    days.push({ date, key, name: { vi, en }, source });
  };
  add(`${year}-01-01`, 'new-year', 'Tết Dương lịch', "New Year's Day");
  // 5 days: the last day of the old lunar year and the first 4 of the new one, unless the year's announcement
  // picks another span (it replaces this default).
  const eve = lunarYearEve(lunar, year);
  add(eve, 'tet', 'Tết Nguyên đán (ngày cuối năm âm lịch)', 'Lunar New Year (last day of the lunar year)');
  for (let i = 1; i <= 4; i++) {
    add(addDays(eve, i), 'tet', `Tết Nguyên đán (mùng ${i})`, `Lunar New Year (day ${i})`);
  }
  add(lunar.hungKingsDay(year), 'hung-kings', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', "Hùng Kings' Commemoration (10/3 lunar)");
  add(`${year}-04-30`, 'reunification-day', 'Ngày Chiến thắng (30/4)', 'Reunification Day (30/4)');
  add(`${year}-05-01`, 'labour-day', 'Ngày Quốc tế Lao động (1/5)', 'International Labour Day (1/5)');
  add(`${year}-09-02`, 'national-day', 'Quốc khánh (2/9)', 'National Day (2/9)');
  add(defaultNationalDayAdjacent(year), 'national-day', 'Quốc khánh (ngày liền kề)', 'National Day (adjacent day)', LAW.nationalDayDefault);
  return days.sort((a, b) => compareDates(a.date, b.date));
}

interface YearIndex {
  /** statutory days and their compensatory days that still apply (not replaced by an announcement) */
  nonWorking: Map<LocalDate, NamedDay>;
}

export function createWorkingCalendar(data: HolidayData, lunar: LunarSource): WorkingCalendar {
  const closed = new Map<LocalDate, NamedDay>();
  const workingWeekend = new Map<LocalDate, NamedDay>();
  const replacedByYear = new Map<number, Set<StatutoryHolidayKey>>();

  for (const [key, entry] of Object.entries(data.years)) {
    const year = Number(key);
    const replaced = new Set<StatutoryHolidayKey>();
    for (const c of entry.closures) {
      for (const r of c.replaces) replaced.add(r);
      for (const d of datesBetween(c.from, c.to)) {
        if (!closed.has(d)) closed.set(d, { date: d, kind: 'closure', name: c.name, source: c.source });
      }
    }
    // An announcement replacing a holiday must contain its key date: catches a closure filed under the wrong year.
    for (const r of replaced) {
      const kd = keyDate(r, year, lunar);
      const ok = entry.closures.some((c) => c.replaces.includes(r) && c.from <= kd && kd <= c.to);
      if (!ok) {
        const idx = entry.closures.findIndex((c) => c.replaces.includes(r));
        throw new CalendarDataError(
          `Tệp ngày nghỉ không hợp lệ / invalid holiday data (version ${data.version}): ` +
            `${formatIssuePath(['years', key, 'closures', idx])} ("${entry.closures[idx]?.name.vi}") replaces "${r}" ` +
            `but no closure of ${year} replacing it contains its date ${kd}.`,
        );
      }
    }
    replacedByYear.set(year, replaced);
    for (const w of entry.workingDays) {
      workingWeekend.set(w.date, { date: w.date, kind: 'working-weekend', name: w.name, source: w.source });
    }
  }

  const yearCache = new Map<number, YearIndex>();
  function yearIndex(year: number): YearIndex {
    let idx = yearCache.get(year);
    if (idx) return idx;
    const replaced = replacedByYear.get(year) ?? new Set();
    const kept = statutoryDays(year, lunar).filter((d) => !replaced.has(d.key));
    const nonWorking = new Map<LocalDate, NamedDay>();
    for (const d of kept) nonWorking.set(d.date, { date: d.date, kind: 'statutory', name: d.name, source: d.source });
    // Art. 111(3): a holiday on a weekly rest day is made up on the next working day, in date order so that
    // two holidays on one weekend (30/4 and 1/5) get two consecutive days.
    for (const d of kept) {
      if (!isWeekend(d.date)) continue;
      let c = addDays(d.date, 1);
      while (isWeekend(c) || nonWorking.has(c) || closed.has(c)) c = addDays(c, 1);
      nonWorking.set(c, {
        date: c,
        kind: 'compensatory',
        name: { vi: `Nghỉ bù ${d.name.vi}`, en: `Compensatory day off: ${d.name.en}` },
        source: LAW.compensation,
      });
    }
    for (const w of workingWeekend.values()) {
      if (yearOf(w.date) === year && nonWorking.has(w.date)) {
        throw new CalendarDataError(
          `Tệp ngày nghỉ không hợp lệ / invalid holiday data (version ${data.version}): working day ${w.date} ("${w.name.vi}") ` +
            `is a statutory holiday (${nonWorking.get(w.date)?.name.en}).`,
        );
      }
    }
    idx = { nonWorking };
    yearCache.set(year, idx);
    return idx;
  }

  const workingMemo = new Map<LocalDate, boolean>();
  function isWorkingDay(date: LocalDate): boolean {
    let working = workingMemo.get(date);
    if (working !== undefined) return working;
    assertLocalDate(date);
    if (workingWeekend.has(date)) working = true;
    else if (closed.has(date) || yearIndex(yearOf(date)).nonWorking.has(date)) working = false;
    else working = !isWeekend(date);
    workingMemo.set(date, working);
    return working;
  }

  function step(date: LocalDate, direction: 1 | -1): LocalDate {
    let d = date;
    for (let i = 0; i < MAX_SEARCH_DAYS; i++) {
      d = addDays(d, direction);
      if (isWorkingDay(d)) return d;
    }
    throw new CalendarDataError(`No working day within ${MAX_SEARCH_DAYS} days ${direction > 0 ? 'after' : 'before'} ${date}: check the closures.`);
  }

  function addWorkingDays(date: LocalDate, n: number): LocalDate {
    if (!Number.isInteger(n)) throw new CalendarDataError(`addWorkingDays needs a whole number of days, got ${n}.`);
    let d = assertLocalDate(date);
    const direction = n < 0 ? -1 : 1;
    for (let i = 0; i < Math.abs(n); i++) d = step(d, direction);
    return d;
  }

  function holidayName(date: LocalDate): HolidayName | null {
    if (isWorkingDay(date)) return null;
    return (closed.get(date) ?? yearIndex(yearOf(date)).nonWorking.get(date))?.name ?? null;
  }

  function namedDays(year: number): NamedDay[] {
    const out: NamedDay[] = [];
    for (const d of datesBetween(`${year}-01-01`, `${year}-12-31`)) {
      const named = workingWeekend.get(d) ?? closed.get(d) ?? yearIndex(year).nonWorking.get(d);
      if (named) out.push(named);
    }
    return out;
  }

  // Surface every data error at load time rather than at the first deadline that touches the bad year.
  for (const year of replacedByYear.keys()) yearIndex(year);

  return {
    version: data.version,
    announcedYears: Object.keys(data.years)
      .map(Number)
      .sort((a, b) => a - b),
    isWorkingDay,
    nextWorkingDay: (date) => step(assertLocalDate(date), 1),
    previousWorkingDay: (date) => step(assertLocalDate(date), -1),
    addWorkingDays,
    rollForward: (date) => (isWorkingDay(date) ? date : step(date, 1)),
    holidayName,
    namedDays,
  };
}
