import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CalendarDataError,
  DEFAULT_HOLIDAYS_FILE,
  createWorkingCalendar,
  defaultNationalDayAdjacent,
  loadCalendar,
  loadLunarSource,
  parseHolidayData,
  readHolidayFile,
} from '../../activities/calendar';
import { range, shippedCalendar } from './helpers';

const shipped = (): unknown => JSON.parse(readFileSync(DEFAULT_HOLIDAYS_FILE, 'utf8'));

async function calendarFrom(raw: unknown) {
  return createWorkingCalendar(parseHolidayData(raw, 'test data'), await loadLunarSource());
}

function errorOf(run: () => unknown): CalendarDataError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(CalendarDataError);
    return err as CalendarDataError;
  }
  throw new Error('expected a CalendarDataError');
}

describe('shipped holiday data', () => {
  it('is versioned and covers 2021–2027', async () => {
    const cal = await shippedCalendar();
    expect(cal.version).toMatch(/\S/);
    expect(cal.announcedYears).toEqual([2021, 2022, 2023, 2024, 2025, 2026, 2027]);
  });

  const nonWorking: [string, string[]][] = [
    ['Tết 2026 closure for civil servants, 14–22 Feb', range('2026-02-14', '2026-02-22')],
    ['Tết DL 2026: 1–4 Jan (2 Jan swapped)', range('2026-01-01', '2026-01-04')],
    ['30/4–1/5 2025 bridge: 30 Apr–4 May', range('2025-04-30', '2025-05-04')],
    ['30/4–1/5 2024: 27 Apr–1 May', range('2024-04-27', '2024-05-01')],
    ['Tết 2025: 25 Jan–2 Feb', range('2025-01-25', '2025-02-02')],
    ['Tết 2024: 8–14 Feb', range('2024-02-08', '2024-02-14')],
    ['Tết 2023: 20–26 Jan', range('2023-01-20', '2023-01-26')],
    ['Tết 2022: 29 Jan–6 Feb', range('2022-01-29', '2022-02-06')],
    ['Tết 2021: 10–16 Feb', range('2021-02-10', '2021-02-16')],
    ['2023: Hùng Kings (Sat) + 30/4 (Sun) + 1/5, made up on 2 and 3 May', range('2023-04-29', '2023-05-03')],
    ['Tết 2027 by statute: last day of Bính Ngọ + 4 days, weekend made up on 10–11 Feb', range('2027-02-05', '2027-02-11')],
    ['National Day 2026: 29 Aug–2 Sep (31 Aug swapped)', range('2026-08-29', '2026-09-02')],
    ['National Day 2021–2025 as announced', ['2021-09-03', '2022-09-01', '2023-09-04', '2024-09-03', '2025-09-01']],
    ['compensatory days', ['2022-01-03', '2022-04-11', '2022-05-02', '2022-05-03', '2023-01-02', '2021-05-03', '2026-04-27', '2027-05-03']],
    ["Hùng Kings' days", ['2021-04-21', '2024-04-18', '2025-04-07', '2027-04-16']],
  ];
  it.each(nonWorking)('%s are not working days', async (_label, dates) => {
    const cal = await shippedCalendar();
    for (const d of dates) expect(cal.isWorkingDay(d), d).toBe(false);
  });

  const working: [string, string[]][] = [
    ['days around Tết 2026', ['2026-02-13', '2026-02-23']],
    ['the swapped Saturdays', ['2025-04-26', '2024-05-04', '2026-01-10', '2026-08-22']],
    ['weekdays next to the 2025 bridge', ['2025-04-29', '2025-05-05']],
    ['2 May 2024 (no bridge that year)', ['2024-05-02']],
    ['3 Feb 2025: not a Tết day although the statutory default would have made it one', ['2025-02-03']],
    ['days around the statutory Tết 2027', ['2027-02-04', '2027-02-12']],
    ['4 May 2023', ['2023-05-04']],
    ['ordinary weekdays (Christmas is no holiday here)', ['2026-03-31', '2026-12-25', '2024-04-01']],
    ['3 Sep 2026 (the adjacent day was 1 Sep)', ['2026-09-03']],
  ];
  it.each(working)('%s are working days', async (_label, dates) => {
    const cal = await shippedCalendar();
    for (const d of dates) expect(cal.isWorkingDay(d), d).toBe(true);
  });

  it('treats ordinary weekends as days off', async () => {
    const cal = await shippedCalendar();
    expect(cal.isWorkingDay('2026-03-28')).toBe(false); // Saturday
    expect(cal.isWorkingDay('2026-03-29')).toBe(false); // Sunday
    expect(cal.holidayName('2026-03-28')).toBeNull();
  });

  it('names holidays, closures and compensatory days in both languages', async () => {
    const cal = await shippedCalendar();
    expect(cal.holidayName('2026-02-17')?.vi).toContain('Bính Ngọ');
    expect(cal.holidayName('2025-05-02')?.en).toContain('Labour Day');
    expect(cal.holidayName('2027-02-10')?.vi).toMatch(/^Nghỉ bù Tết Nguyên đán/);
    expect(cal.holidayName('2026-04-26')?.vi).toBe('Giỗ Tổ Hùng Vương (10/3 âm lịch)');
    expect(cal.holidayName('2026-03-31')).toBeNull();
    expect(cal.holidayName('2025-04-26')).toBeNull(); // a working Saturday
  });

  it('lists the named days of a year, working Saturdays included', async () => {
    const cal = await shippedCalendar();
    const days = cal.namedDays(2025);
    expect(days.filter((d) => d.kind === 'working-weekend').map((d) => d.date)).toEqual(['2025-04-26']);
    expect(days.map((d) => d.date)).toEqual([...days.map((d) => d.date)].sort());
    expect(days.find((d) => d.date === '2025-01-01')).toMatchObject({ kind: 'statutory' });
    expect(days.find((d) => d.date === '2025-05-02')).toMatchObject({ kind: 'closure' });
    expect(days.every((d) => d.source.length > 0)).toBe(true);
  });
});

describe('working-day arithmetic', () => {
  it('rolls a deadline on a day off forward to the next working day (Civil Code Art. 148)', async () => {
    const cal = await shippedCalendar();
    expect(cal.rollForward('2024-03-31')).toBe('2024-04-01'); // Sunday
    expect(cal.rollForward('2026-02-14')).toBe('2026-02-23'); // into Tết
    expect(cal.rollForward('2025-05-02')).toBe('2025-05-05');
    expect(cal.rollForward('2026-03-31')).toBe('2026-03-31'); // already a working day
  });

  it('counts working days forward and backward through holidays and swapped Saturdays', async () => {
    const cal = await shippedCalendar();
    expect(cal.nextWorkingDay('2025-04-25')).toBe('2025-04-26');
    expect(cal.nextWorkingDay('2025-04-29')).toBe('2025-05-05');
    expect(cal.previousWorkingDay('2025-05-05')).toBe('2025-04-29');
    expect(cal.addWorkingDays('2025-04-29', -2)).toBe('2025-04-26');
    expect(cal.addWorkingDays('2026-02-13', 1)).toBe('2026-02-23');
    expect(cal.addWorkingDays('2026-02-23', -1)).toBe('2026-02-13');
    expect(cal.addWorkingDays('2026-03-31', -30)).toBe('2026-02-10');
    expect(cal.addWorkingDays('2026-02-15', 0)).toBe('2026-02-15');
    expect(cal.addWorkingDays('2026-02-15', 1)).toBe('2026-02-23'); // from a day off: the next working day is the 1st
  });

  it('rejects malformed dates', async () => {
    const cal = await shippedCalendar();
    expect(() => cal.isWorkingDay('2026-02-30')).toThrow(/Not a calendar date/);
    expect(() => cal.addWorkingDays('31/03/2026', 1)).toThrow(/YYYY-MM-DD/);
  });

  it('picks the National Day adjacent day like the Government did 2021–2026 when nothing is announced', () => {
    expect(defaultNationalDayAdjacent(2021)).toBe('2021-09-03'); // Thursday → Friday
    expect(defaultNationalDayAdjacent(2022)).toBe('2022-09-01'); // Friday → Thursday
    expect(defaultNationalDayAdjacent(2023)).toBe('2023-09-01'); // Saturday → Friday
    expect(defaultNationalDayAdjacent(2024)).toBe('2024-09-03'); // Monday → Tuesday (1/9 is a Sunday)
    expect(defaultNationalDayAdjacent(2025)).toBe('2025-09-01'); // Tuesday → Monday
    expect(defaultNationalDayAdjacent(2026)).toBe('2026-09-01'); // Wednesday → Tuesday
  });

  it('falls back to the statutory rules for a year without announcements', async () => {
    const cal = await calendarFrom({ version: 'empty', years: {} });
    // Tết 2026 by statute: 16–20 Feb (last day of Ất Tỵ + mùng 1–4); the 14–15 and 21–22 are weekends anyway
    expect(range('2026-02-16', '2026-02-20').map((d) => cal.isWorkingDay(d))).toEqual([false, false, false, false, false]);
    expect(cal.isWorkingDay('2026-02-23')).toBe(true);
    // without the 2025 announcement, 2 May 2025 is a working day and Saturday 26 April is not
    expect(cal.isWorkingDay('2025-05-02')).toBe(true);
    expect(cal.isWorkingDay('2025-04-26')).toBe(false);
    // and the statutory Tết 2025 default (28 Jan–1 Feb) puts its Saturday's compensation on Monday 3 Feb
    expect(cal.isWorkingDay('2025-02-03')).toBe(false);
    expect(cal.isWorkingDay('2025-01-27')).toBe(true);
  });
});

describe('holiday data validation', () => {
  const withYear = (year: Record<string, unknown>) => ({ version: 't1', years: { 2026: { closures: [], workingDays: [], ...year } } });
  const closure = (c: Record<string, unknown>) => ({
    from: '2026-11-24',
    to: '2026-11-24',
    name: { vi: 'Ngày Văn hóa Việt Nam', en: 'Vietnamese Culture Day' },
    source: 'test',
    ...c,
  });

  it('names the bad entry and what is wrong with it', () => {
    const err = errorOf(() => parseHolidayData(withYear({ closures: [closure({ from: '2026-11-25' })] }), 'my-file.json'));
    expect(err.code).toBe('CalendarDataError');
    expect(err.message).toContain('my-file.json');
    expect(err.message).toContain('years.2026.closures[0].to ("Ngày Văn hóa Việt Nam", 2026-11-25): ends (2026-11-24) before it starts (2026-11-25)');
  });

  it.each([
    ['an impossible date', { closures: [closure({ to: '2026-02-30' })] }, 'years.2026.closures[0].to'],
    ['an impossible start date', { closures: [closure({ from: '2026-02-30', to: '2026-03-01' })] }, 'years.2026.closures[0].from'],
    [
      'an impossible working day',
      { workingDays: [{ date: '2026-02-29', name: { vi: 'Làm bù', en: 'Working day' }, source: 'test' }] },
      'years.2026.workingDays[0].date',
    ],
    ['an unknown holiday key', { closures: [closure({ replaces: ['tets'] })] }, 'years.2026.closures[0].replaces[0]'],
    ['a missing source', { closures: [closure({ source: '' })] }, 'years.2026.closures[0].source'],
    ['a misspelt field', { closure: [] }, 'years.2026'],
    ['a closure in another year', { closures: [closure({ from: '2027-11-24', to: '2027-11-24' })] }, 'years.2026.closures[0].from'],
    [
      'a working "Saturday" that is a weekday',
      { workingDays: [{ date: '2026-05-04', name: { vi: 'Làm bù', en: 'Working day' }, source: 'test' }] },
      'years.2026.workingDays[0].date',
    ],
    [
      'a swap pointing outside every closure',
      { workingDays: [{ date: '2026-05-09', swappedWith: '2026-05-04', name: { vi: 'Làm bù', en: 'Working day' }, source: 'test' }] },
      'years.2026.workingDays[0].swappedWith',
    ],
  ])('rejects %s', (_label, year, path) => {
    const err = errorOf(() => parseHolidayData(withYear(year), 'f.json'));
    expect(err.message).toContain(path);
  });

  it('rejects a file without a version', () => {
    expect(errorOf(() => parseHolidayData({ years: {} }, 'f.json')).message).toContain('version');
  });

  it('rejects an announcement that does not contain the holiday it replaces', async () => {
    const raw = withYear({ closures: [closure({ from: '2026-01-10', to: '2026-01-12', replaces: ['tet'], name: { vi: 'Tết sai năm', en: 'Wrong Tết' } })] });
    const lunar = await loadLunarSource();
    const err = errorOf(() => createWorkingCalendar(parseHolidayData(raw, 'f.json'), lunar));
    expect(err.message).toContain('years.2026.closures[0] ("Tết sai năm") replaces "tet"');
    expect(err.message).toContain('2026-02-17');
  });

  it('rejects a working day that is a statutory holiday', async () => {
    const raw = withYear({ workingDays: [{ date: '2026-04-26', name: { vi: 'Làm bù', en: 'Working day' }, source: 'test' }] });
    const lunar = await loadLunarSource();
    expect(errorOf(() => createWorkingCalendar(parseHolidayData(raw, 'f.json'), lunar)).message).toContain('2026-04-26');
  });

  it('reports unreadable and malformed files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baocao-cal-'));
    await expect(readHolidayFile(join(dir, 'missing.json'))).rejects.toThrow(CalendarDataError);
    await expect(loadCalendar(join(dir, 'missing.json'))).rejects.toThrow(/holiday data file not found/);
    writeFileSync(join(dir, 'bad.json'), '{ "version": ');
    await expect(loadCalendar(join(dir, 'bad.json'))).rejects.toThrow(/not valid JSON/);
  });
});

describe('replacement data file', () => {
  it('applies a secretariat-extended file and reloads it when it changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baocao-cal-'));
    const file = join(dir, 'holidays.json');
    const data = shipped() as { version: string; years: Record<string, { closures: unknown[] }> };
    data.version = 'local-1';
    data.years['2026']!.closures.push({
      from: '2026-11-24',
      to: '2026-11-24',
      name: { vi: 'Ngày Văn hóa Việt Nam', en: 'Vietnamese Culture Day' },
      source: 'test: pretend the Labour Code amendment is in force',
    });
    writeFileSync(file, JSON.stringify(data));
    const first = await loadCalendar(file);
    expect(first.version).toBe('local-1');
    expect(first.isWorkingDay('2026-11-24')).toBe(false);
    expect(await loadCalendar(file)).toBe(first); // cached

    data.version = 'local-2';
    data.years['2026']!.closures.pop();
    writeFileSync(file, JSON.stringify(data));
    utimesSync(file, new Date('2030-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
    const second = await loadCalendar(file);
    expect(second.version).toBe('local-2');
    expect(second.isWorkingDay('2026-11-24')).toBe(true);
  });
});
