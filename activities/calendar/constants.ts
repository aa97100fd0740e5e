import type { ScheduleRules } from './types';

/** Every date and time of day in this project is read in this zone (no DST since 1975: always UTC+7). */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh' as const;

/** A deadline ends at the last second of its local day. */
export const END_OF_DAY_LOCAL_TIME = '23:59:59';

export const DEFAULT_SCHEDULE_RULES: Readonly<ScheduleRules> = Object.freeze({
  // Decree 09/2019/NĐ-CP Art. 8: each level needs time to aggregate what its units sent.
  cascadeWorkingDays: 5,
  reminderWorkingDaysBefore: [7, 3, 1],
  reminderLocalTime: '08:00',
  escalationEveryWorkingDays: 3,
  climbAfterWorkingDays: 10,
  escalationHorizonWorkingDays: 20,
});

/**
 * Base dates of the report deadline, as `MM-DD` of the cycle's year.
 * - `may-review`: ahead of the yearly interim review around 19 May.
 * - `annual`: Decree 09/2019/NĐ-CP Art. 12, the annual reporting period closes on 14 December.
 */
export const REPORT_DUE_PRESETS = Object.freeze({ 'may-review': '05-10', annual: '12-14' });
export type ReportDuePreset = keyof typeof REPORT_DUE_PRESETS;
export const DEFAULT_REPORT_DUE: ReportDuePreset = 'annual';

/** Plan deadlines (seed 000, section III.2): within Q1 every year, within Q3 in a programme's first year. */
export const PLAN_DUE_MONTH_DAY = Object.freeze({ regular: '03-31', firstYear: '09-30' });

/** Years the lunar library (and so the statutory holiday rules) can compute. */
export const LUNAR_YEAR_RANGE = Object.freeze({ min: 1800, max: 2199 });

/** Years a reporting cycle may be planned for. */
export const CYCLE_YEAR_RANGE = Object.freeze({ min: 2000, max: 2100 });

/** Deepest tree a plan is computed for (the national tree has 4–5 levels). */
export const MAX_DEPTHS = 20;

/** Monday first, as luxon's `weekday` (1 = Monday … 7 = Sunday). */
export const WEEKDAY_NAMES = Object.freeze({
  vi: ['Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ nhật'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
});
