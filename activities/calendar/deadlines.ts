// The deadline plan of a reporting cycle: pure functions of (calendar, input). Everything they return is
// JSON-safe and independent of the machine's time zone.
//
// Times of day, all local (Asia/Ho_Chi_Minh):
// - a deadline ends at 23:59:59 of its (rolled-forward) working day;
// - reminders go out at `reminderLocalTime` (08:00) of a working day, so people read them at the start of a day
//   on which they can still act;
// - escalation round 1 fires at the deadline itself (23:59:59: the unit is overdue from then on); the following
//   rounds fire every `escalationEveryWorkingDays` working days at `reminderLocalTime` (08:00) of that working
//   day, for the same reason as reminders: a supervisor told at 08:00 can chase the unit the same day.
import { z } from 'zod';
import type { WorkingCalendar } from './calendar';
import {
  CYCLE_YEAR_RANGE,
  DEFAULT_REPORT_DUE,
  DEFAULT_SCHEDULE_RULES,
  END_OF_DAY_LOCAL_TIME,
  MAX_DEPTHS,
  PLAN_DUE_MONTH_DAY,
  REHEARSAL_MAX_MINUTES,
  REPORT_DUE_PRESETS,
  TIME_ZONE,
  type ReportDuePreset,
} from './constants';
import { formatDateVi, instantAt, instantSchema, localDateSchema, localParts, localTimeSchema, toInstant } from './dates';
import { CalendarInputError, DeadlineRuleError } from './errors';
import { formatIssuePath } from './holiday-data';
import type { DeadlinePlan, Escalation, Instant, LevelDeadlines, LocalDate, PhasedDeadlinePlan, PhaseDeadlines, ScheduleRules, Timeline } from './types';

const workingDayCount = (max: number) => z.number().int().min(0).max(max);

export const scheduleRulesSchema = z
  .strictObject({
    cascadeWorkingDays: workingDayCount(60),
    reminderWorkingDaysBefore: z.array(z.number().int().min(1).max(60)).max(10),
    reminderLocalTime: localTimeSchema,
    escalationEveryWorkingDays: z.number().int().min(1).max(60),
    // round 1 (at the deadline) always goes to the parent
    climbAfterWorkingDays: z.number().int().min(1).max(250),
    escalationHorizonWorkingDays: workingDayCount(250),
  })
  .partial();

export type ScheduleRulesInput = z.input<typeof scheduleRulesSchema>;

export const reportDueSchema = z.union([z.enum(Object.keys(REPORT_DUE_PRESETS) as [ReportDuePreset, ...ReportDuePreset[]]), localDateSchema]);

export const deadlinePlanInputSchema = z.strictObject({
  year: z.number().int().min(CYCLE_YEAR_RANGE.min).max(CYCLE_YEAR_RANGE.max),
  /** first year of a multi-year programme: plans are due within Q3 instead of Q1 */
  firstYear: z.boolean().default(false),
  /** number of levels of the tree (1 = the root alone; 3 = root, intermediate unions, grassroots unions) */
  depths: z.number().int().min(1).max(MAX_DEPTHS),
  /** preset or an explicit date; default 'annual' */
  reportDue: reportDueSchema.optional(),
  rules: scheduleRulesSchema.optional(),
  /** when the cycle opens: reminders at or before this instant are left out */
  opensAt: instantSchema.optional(),
});

export type DeadlinePlanInput = z.input<typeof deadlinePlanInputSchema>;

export const phaseDeadlinesInputSchema = z.strictObject({
  dueDate: localDateSchema,
  rules: scheduleRulesSchema.optional(),
  /** number of the first escalation round: lets an extended deadline continue the numbering (default 1) */
  firstRound: z.number().int().min(1).optional(),
});

export type PhaseDeadlinesInput = z.input<typeof phaseDeadlinesInputSchema>;

export const rehearsalInputSchema = z.strictObject({
  wallStart: instantSchema,
  minutes: z.number().positive().max(REHEARSAL_MAX_MINUTES),
  /** real-calendar start of the compressed span; default 1 Jan 00:00 local of the plan's year (earlier if needed) */
  calendarStart: instantSchema.optional(),
});

export type RehearsalInput = z.input<typeof rehearsalInputSchema>;

/** zod-parses `input` or throws a CalendarInputError naming every bad field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `${formatIssuePath(i.path) || '(input)'}: ${i.message}`);
  throw new CalendarInputError(`Invalid ${what}: ${lines.join('; ')}`);
}

export function resolveRules(rules?: ScheduleRulesInput): ScheduleRules {
  const given = parseInput(scheduleRulesSchema, rules ?? {}, 'schedule rules');
  const merged = { ...DEFAULT_SCHEDULE_RULES, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) };
  return {
    ...merged,
    // reminders ascending in time = offsets descending
    reminderWorkingDaysBefore: [...new Set(merged.reminderWorkingDaysBefore)].sort((a, b) => b - a),
  };
}

/** The base (unrolled) date plans are due on: 31 March, or 30 September in a programme's first year. */
export function planDueBase(year: number, firstYear: boolean): LocalDate {
  return `${year}-${firstYear ? PLAN_DUE_MONTH_DAY.firstYear : PLAN_DUE_MONTH_DAY.regular}`;
}

/** The base (unrolled) date reports are due on, from a preset or an explicit date. */
export function reportDueBase(year: number, reportDue: ReportDuePreset | LocalDate = DEFAULT_REPORT_DUE): LocalDate {
  if (Object.hasOwn(REPORT_DUE_PRESETS, reportDue)) return `${year}-${REPORT_DUE_PRESETS[reportDue as ReportDuePreset]}`;
  return parseInput(localDateSchema, reportDue, 'report due date');
}

/** One phase's deadlines on a (working) due date: reminders, the due instant, the escalation rounds. */
export function phaseDeadlinesOn(calendar: WorkingCalendar, dueDate: LocalDate, rules: ScheduleRules, opensAt: Instant | undefined, firstRound = 1): PhaseDeadlines {
  const dueAt = instantAt(dueDate, END_OF_DAY_LOCAL_TIME);
  const reminders = [
    ...new Set(rules.reminderWorkingDaysBefore.map((k) => instantAt(calendar.addWorkingDays(dueDate, -k), rules.reminderLocalTime))),
  ]
    .filter((r) => opensAt === undefined || r > opensAt)
    .sort();
  const escalations: Escalation[] = [];
  for (let k = 0, i = 0; k <= rules.escalationHorizonWorkingDays; k += rules.escalationEveryWorkingDays, i++) {
    escalations.push({
      at: k === 0 ? dueAt : instantAt(calendar.addWorkingDays(dueDate, k), rules.reminderLocalTime),
      round: firstRound + i,
      target: k >= rules.climbAfterWorkingDays ? 'grandparent' : 'parent',
    });
  }
  return { dueDate, dueAt, reminders, escalations };
}

/**
 * The deadlines of one phase for a single due date, e.g. when a supervisor extends a deadline. The date is
 * rolled forward to a working day (Civil Code Art. 148); reminders already in the past are still listed.
 */
export function computePhaseDeadlines(calendar: WorkingCalendar, input: PhaseDeadlinesInput): PhaseDeadlines {
  const { dueDate, rules, firstRound } = parseInput(phaseDeadlinesInputSchema, input, 'phase deadline input');
  return phaseDeadlinesOn(calendar, calendar.rollForward(dueDate), resolveRules(rules), undefined, firstRound);
}

export function computeDeadlinePlan(calendar: WorkingCalendar, input: DeadlinePlanInput): DeadlinePlan {
  const { year, firstYear, depths, reportDue, rules: rulesInput, opensAt: opensAtInput } = parseInput(
    deadlinePlanInputSchema,
    input,
    'deadline plan input',
  );
  const rules = resolveRules(rulesInput);
  const opensAt = opensAtInput === undefined ? undefined : toInstant(opensAtInput);
  const rootPlan = calendar.rollForward(planDueBase(year, firstYear));
  const rootReport = calendar.rollForward(reportDueBase(year, reportDue));

  const levels: LevelDeadlines[] = [];
  for (let depth = 0; depth < depths; depth++) {
    const offset = -rules.cascadeWorkingDays * depth;
    const planDue = calendar.addWorkingDays(rootPlan, offset);
    const reportDueDate = calendar.addWorkingDays(rootReport, offset);
    if (reportDueDate <= planDue) {
      throw new DeadlineRuleError(
        `Hạn báo cáo phải sau hạn kế hoạch / the report deadline must come after the plan deadline: at level ${depth} ` +
          `the report would be due ${formatDateVi(reportDueDate)} but the plan ${formatDateVi(planDue)}` +
          (firstYear ? ' (first year of the programme: plans are due at the end of Q3).' : '.') +
          ' Choose a later report due date (e.g. annual, 14/12).',
      );
    }
    levels.push({ depth, plan: phaseDeadlinesOn(calendar, planDue, rules, opensAt), report: phaseDeadlinesOn(calendar, reportDueDate, rules, opensAt) });
  }
  const deepest = levels[levels.length - 1]!;
  if (deepest.plan.dueDate < `${year}-01-01`) {
    throw new DeadlineRuleError(
      `Too many levels for the cascade: with ${depths} levels and ${rules.cascadeWorkingDays} working days between levels, ` +
        `the lowest level would be due ${formatDateVi(deepest.plan.dueDate)}, before year ${year} starts. ` +
        'Reduce cascadeWorkingDays or check the depth of the unit tree.',
    );
  }
  return {
    year,
    firstYear,
    timeZone: TIME_ZONE,
    calendarVersion: calendar.version,
    rules,
    levels,
    closesAt: instantAt(calendar.addWorkingDays(rootReport, rules.escalationHorizonWorkingDays), END_OF_DAY_LOCAL_TIME),
    timeline: { kind: 'real' },
  };
}

/** Every instant of a plan — the built-in's plan and report, or every phase of a campaign's plan — ascending. */
export function planInstants(plan: DeadlinePlan | PhasedDeadlinePlan): Instant[] {
  const phasesOf = (l: (typeof plan.levels)[number]): PhaseDeadlines[] => ('phases' in l ? Object.values(l.phases) : [l.plan, l.report]);
  const all = plan.levels.flatMap((l) => phasesOf(l).flatMap((p) => [p.dueAt, ...p.reminders, ...p.escalations.map((e) => e.at)]));
  return [...all, plan.closesAt].sort();
}

/**
 * The parameters of a rehearsal (of a built-in or a campaign cycle): the plan's real-calendar span [calendarStart, closesAt] compressed into
 * `minutes` of wall-clock time from `wallStart`. calendarStart defaults to 1 January 00:00 local of the plan's
 * year, or the start of the local day of the plan's first instant if that is earlier.
 */
export function rehearsalTimeline(plan: DeadlinePlan | PhasedDeadlinePlan, input: RehearsalInput): Extract<Timeline, { kind: 'rehearsal' }> {
  const { wallStart, minutes, calendarStart: start } = parseInput(rehearsalInputSchema, input, 'rehearsal input');
  const first = planInstants(plan)[0] ?? plan.closesAt;
  let calendarStart: Instant;
  if (start !== undefined) {
    calendarStart = toInstant(start);
    if (calendarStart > first) {
      throw new DeadlineRuleError(
        `The rehearsal must start no later than the plan's first event (${first}); calendarStart ${calendarStart} is later.`,
      );
    }
  } else {
    const newYear = instantAt(`${plan.year}-01-01`, '00:00');
    calendarStart = newYear <= first ? newYear : instantAt(localParts(first).date, '00:00');
  }
  return { kind: 'rehearsal', calendarStart, calendarEnd: plan.closesAt, wallStart: toInstant(wallStart), minutes };
}
