// Rules and base dates shared with workflows and clients are in the domain model; the calendar's own constants here.
export {
  CYCLE_YEAR_RANGE,
  DEFAULT_REPORT_DUE,
  DEFAULT_SCHEDULE_RULES,
  MAX_DEPTHS,
  PLAN_DUE_MONTH_DAY,
  REPORT_DUE_PRESETS,
  type ReportDuePreset,
} from '../../domain/calendar';

/** Every date and time of day in this project is read in this zone (no DST since 1975: always UTC+7). */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh' as const;

/** A deadline ends at the last second of its local day. */
export const END_OF_DAY_LOCAL_TIME = '23:59:59';

/** The longest rehearsal, in minutes of real time (7 days): a whole calendar compressed into at most this. */
export const REHEARSAL_MAX_MINUTES = 7 * 24 * 60;

/** Years the lunar library (and so the statutory holiday rules) can compute. */
export const LUNAR_YEAR_RANGE = Object.freeze({ min: 1800, max: 2199 });

/** Monday first, as luxon's `weekday` (1 = Monday … 7 = Sunday). */
export const WEEKDAY_NAMES = Object.freeze({
  vi: ['Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ nhật'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
});
