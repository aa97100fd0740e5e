import { describe, expect, it } from 'vitest';
import { loadLunarSource } from '../../activities/calendar';

// Tết (mùng 1 tháng Giêng) as announced in the Government's holiday notices, and Giỗ Tổ Hùng Vương (10/3 âm lịch).
const KNOWN_TET: Record<number, string> = {
  2019: '2019-02-05',
  2020: '2020-01-25',
  2021: '2021-02-12',
  2022: '2022-02-01',
  2023: '2023-01-22',
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
};
const KNOWN_HUNG_KINGS: Record<number, string> = {
  2021: '2021-04-21',
  2022: '2022-04-10',
  // lunar 2023 had a leap 2nd month: 10/3 fell late, on Saturday 29 April
  2023: '2023-04-29',
  2024: '2024-04-18',
  2025: '2025-04-07',
  2026: '2026-04-26',
  2027: '2027-04-16',
};

describe('lunar source (@dqcai/vn-lunar)', () => {
  it.each(Object.entries(KNOWN_TET))('Tết %s is on %s', async (year, date) => {
    const lunar = await loadLunarSource();
    expect(lunar.lunarNewYear(Number(year))).toBe(date);
  });

  it.each(Object.entries(KNOWN_HUNG_KINGS))("Hùng Kings' day %s is on %s", async (year, date) => {
    const lunar = await loadLunarSource();
    expect(lunar.hungKingsDay(Number(year))).toBe(date);
  });

  it('computes the Vietnamese calendar (UTC+7), not the Chinese one (UTC+8)', async () => {
    const lunar = await loadLunarSource();
    // the years the two calendars famously disagree on
    expect(lunar.lunarNewYear(1985)).toBe('1985-01-21'); // Chinese: 20 Feb 1985
    expect(lunar.lunarNewYear(2007)).toBe('2007-02-17'); // Chinese: 18 Feb 2007
  });

  it('refuses years outside the tables instead of guessing', async () => {
    const lunar = await loadLunarSource();
    expect(() => lunar.lunarNewYear(2300)).toThrow(/only available for 1800–2199/);
  });
});
