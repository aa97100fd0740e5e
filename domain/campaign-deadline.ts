// When a campaign's phase is due at the root, as a rule of the cycle's year — the calendar's rules of
// activities/calendar/deadlines.ts, one kind each. The calendar activity evaluates a rule to the root's base
// date (ruleBaseDate), rolls it forward to a working day (Civil Code Art. 148) and cascades it down the levels
// in working days, as it does for today's two phases. Plain date arithmetic in UTC on `YYYY-MM-DD`: no holiday
// table, no time zone, the same result on every machine.
import { z } from 'zod';
import { bilingual } from './bilingual';
import { PLAN_DUE_MONTH_DAY, REPORT_DUE_PRESETS, type LocalDate } from './calendar';
import { lazy } from './lazy';

export const QUARTERS = [1, 2, 3, 4] as const;
export type Quarter = (typeof QUARTERS)[number];
/** The last day of each quarter, `MM-DD`. */
export const QUARTER_END_MONTH_DAY: Readonly<Record<Quarter, string>> = Object.freeze({ 1: '03-31', 2: '06-30', 3: '09-30', 4: '12-31' });
/** A quarter's report may be due up to this many days after the quarter ends (Q4's falls in January). */
export const MAX_DAYS_AFTER_QUARTER = 92;

const monthDayOrDate = lazy(() => z
  .string()
  .regex(/^(\d{4}-)?\d{2}-\d{2}$/, { message: bilingual('a date MM-DD (of the cycle’s year) or YYYY-MM-DD', 'ngày dạng MM-DD (của năm chu kỳ) hoặc YYYY-MM-DD') })
  .refine((s) => isRealDate(s.length === 5 ? `2024-${s}` : s), { message: bilingual('no such day in the calendar', 'không có ngày này trong lịch') }));

export const deadlineRuleSchema = lazy(() => z.discriminatedUnion(
  'kind',
  [
    /** the yearly plan (seed 000, III.2): by the end of Q1, or of Q3 in a programme's first year */
    z.strictObject({ kind: z.literal('yearly-plan') }),
    /** ahead of the interim review around 19 May: 10 May */
    z.strictObject({ kind: z.literal('may-review') }),
    /** the year-end report: 14 December (Decree 09/2019/NĐ-CP Art. 12) */
    z.strictObject({ kind: z.literal('year-end') }),
    /** N calendar days after a quarter's last day: quarterly reports */
    z.strictObject({
      kind: z.literal('quarter-end'),
      quarter: z.union(QUARTERS.map((q) => z.literal(q)), { message: bilingual('a quarter 1, 2, 3 or 4', 'quý 1, 2, 3 hoặc 4') }),
      plusDays: z
        .number()
        .int({ message: bilingual('a whole number of days', 'số ngày nguyên') })
        .min(0, { message: bilingual('must not be negative', 'không được âm') })
        .max(MAX_DAYS_AFTER_QUARTER, { message: bilingual(`at most ${MAX_DAYS_AFTER_QUARTER} days`, `tối đa ${MAX_DAYS_AFTER_QUARTER} ngày`) })
        .default(0),
    }),
    /** an explicit date: `MM-DD` of the cycle's year, or one `YYYY-MM-DD` (a one-off campaign) */
    z.strictObject({ kind: z.literal('date'), date: monthDayOrDate }),
  ],
  { message: bilingual('one of yearly-plan, may-review, year-end, quarter-end, date', 'một trong yearly-plan, may-review, year-end, quarter-end, date') },
));
export type DeadlineRule = z.infer<typeof deadlineRuleSchema>;
export type DeadlineRuleInput = z.input<typeof deadlineRuleSchema>;

function isRealDate(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** `date` plus `days` calendar days (UTC arithmetic on dates: no time zone involved). */
export function addCalendarDays(date: LocalDate, days: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export interface RuleContext {
  year: number;
  /** the first year of a multi-year programme: the yearly plan is due at the end of Q3 */
  firstYear: boolean;
}

/** The root's due date of a rule in a cycle's year, before the roll-forward to a working day. */
export function ruleBaseDate(rule: DeadlineRule, { year, firstYear }: RuleContext): LocalDate {
  switch (rule.kind) {
    case 'yearly-plan':
      return `${year}-${firstYear ? PLAN_DUE_MONTH_DAY.firstYear : PLAN_DUE_MONTH_DAY.regular}`;
    case 'may-review':
      return `${year}-${REPORT_DUE_PRESETS['may-review']}`;
    case 'year-end':
      return `${year}-${REPORT_DUE_PRESETS.annual}`;
    case 'quarter-end':
      return addCalendarDays(`${year}-${QUARTER_END_MONTH_DAY[rule.quarter]}`, rule.plusDays);
    case 'date':
      return rule.date.length === 5 ? `${year}-${rule.date}` : rule.date;
  }
}

/** The year a rule fixes by itself (an explicit `YYYY-MM-DD`), if any: a cycle of that campaign runs in it. */
export function ruleFixedYear(rule: DeadlineRule): number | undefined {
  return rule.kind === 'date' && rule.date.length === 10 ? Number(rule.date.slice(0, 4)) : undefined;
}

/** "31/03/2027" */
export function formatDateVi(date: LocalDate): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

const isWeekend = (date: LocalDate) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return day === 0 || day === 6;
};

/**
 * The lowest level's due date as weekends alone make it: the base rolled past a weekend, then `workingDays`
 * weekdays earlier. Holidays (Tết inside Q1) only move the real one earlier (a compensatory working Saturday
 * may move it a day later), so this is the definition's first check; the calendar activity checks again with
 * the holiday table when a cycle starts, and refuses then (DeadlineRuleError) as it does today.
 */
export function weekdayCascade(base: LocalDate, workingDays: number): LocalDate {
  let date = base;
  while (isWeekend(date)) date = addCalendarDays(date, 1);
  for (let left = workingDays; left > 0; ) {
    date = addCalendarDays(date, -1);
    if (!isWeekend(date)) left--;
  }
  return date;
}

/** A rule as people read it: "end of Q1 (Q3 in a programme's first year)", "15 days after the end of Q2"… */
export function describeRule(rule: DeadlineRule): { vi: string; en: string } {
  switch (rule.kind) {
    case 'yearly-plan':
      return { vi: 'cuối quý I (quý III trong năm đầu của chương trình)', en: 'end of Q1 (Q3 in a programme’s first year)' };
    case 'may-review':
      return { vi: 'trước sơ kết 19/5 (ngày 10/5)', en: 'before the 19 May review (10 May)' };
    case 'year-end':
      return { vi: 'cuối năm (ngày 14/12)', en: 'year end (14 December)' };
    case 'quarter-end': {
      const roman = ['I', 'II', 'III', 'IV'][rule.quarter - 1]!;
      return rule.plusDays === 0
        ? { vi: `cuối quý ${roman}`, en: `end of Q${rule.quarter}` }
        : { vi: `${rule.plusDays} ngày sau khi hết quý ${roman}`, en: `${rule.plusDays} days after the end of Q${rule.quarter}` };
    }
    case 'date': {
      if (rule.date.length === 10) return { vi: `ngày ${formatDateVi(rule.date)}`, en: `on ${rule.date}` };
      const [m, d] = rule.date.split('-');
      return { vi: `ngày ${d}/${m} hằng năm`, en: `on ${rule.date} (MM-DD) of the cycle’s year` };
    }
  }
}
