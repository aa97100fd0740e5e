// JSON-safe shapes of the deadline calendar: computed by the calendar activities (activities/calendar/), carried
// by workflows, shown by clients. Types and constants only: no calendar maths runs here (workflows import this).

/** A calendar date in Asia/Ho_Chi_Minh, `YYYY-MM-DD`. */
export type LocalDate = string;
/** An instant as ISO-8601 UTC, e.g. `2027-03-31T16:59:59.000Z`. */
export type Instant = string;

export type Phase = 'plan' | 'report';

export interface Escalation {
  at: Instant;
  /** 1-based round number, stable across extensions of the same deadline */
  round: number;
  /** whom to tell: the parent unit's contact, or — once the escalation climbs — the grandparent's */
  target: 'parent' | 'grandparent';
}

export interface PhaseDeadlines {
  /** the local date the deadline ends on, after the Civil Code Art. 148 roll-forward */
  dueDate: LocalDate;
  /** 23:59:59 local on dueDate, as a UTC instant */
  dueAt: Instant;
  /** ascending, all before dueAt, each at the configured local time of a working day */
  reminders: Instant[];
  /** ascending; the first is dueAt */
  escalations: Escalation[];
}

export interface ScheduleRules {
  /** each level is due this many working days before the level that aggregates it (default 5) */
  cascadeWorkingDays: number;
  /** reminders this many working days before the deadline (default [7, 3, 1]) */
  reminderWorkingDaysBefore: number[];
  /** local time of day for reminders, `HH:mm` (default '08:00') */
  reminderLocalTime: string;
  /** escalation repeats every N working days after the deadline (default 3) */
  escalationEveryWorkingDays: number;
  /** after this many working days overdue the escalation goes to the grandparent (default 10) */
  climbAfterWorkingDays: number;
  /** no escalations are scheduled beyond this many working days after the deadline (default 20) */
  escalationHorizonWorkingDays: number;
}

export interface LevelDeadlines {
  /** 0 = the root; 1 = units directly under it; … */
  depth: number;
  plan: PhaseDeadlines;
  report: PhaseDeadlines;
}

/** How instants map onto real time: for real, or compressed for a rehearsal. */
export type Timeline =
  | { kind: 'real' }
  | {
      kind: 'rehearsal';
      /** real-calendar span that is compressed */
      calendarStart: Instant;
      calendarEnd: Instant;
      /** wall-clock span it is compressed into */
      wallStart: Instant;
      minutes: number;
    };

export interface DeadlinePlan {
  year: number;
  firstYear: boolean;
  timeZone: 'Asia/Ho_Chi_Minh';
  /** version of the holiday data file the plan was computed with */
  calendarVersion: string;
  rules: ScheduleRules;
  /** one entry per depth of the tree, index = depth */
  levels: LevelDeadlines[];
  /** after this instant the cycle closes: late submissions are refused, aggregates are final */
  closesAt: Instant;
  /**
   * Every instant above is in calendar (real) time: the dates people see in emails and pages. In a rehearsal
   * the workflows sleep until the compressed wall-clock instant instead, by the pure linear mapping in
   * `workflows/timeline.ts` (arithmetic only, no calendar maths).
   */
  timeline: Timeline;
}

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

/** Years a reporting cycle may be planned for. */
export const CYCLE_YEAR_RANGE = Object.freeze({ min: 2000, max: 2100 });

/** Deepest tree a plan is computed for (the national tree has 4–5 levels). */
export const MAX_DEPTHS = 20;

/**
 * The deadline plan of a campaign's cycle (activities/calendar/campaign-plan.ts): any number of phases, keyed by
 * the campaign's phase keys, each level due `cascadeWorkingDays` working days before the level above. The
 * phase-driven unit workflow takes this; today's two-phase DeadlinePlan is the built-in campaign's.
 */
export interface PhasedDeadlinePlan {
  year: number;
  firstYear: boolean;
  timeZone: 'Asia/Ho_Chi_Minh';
  calendarVersion: string;
  rules: ScheduleRules;
  /** the campaign's phase keys, in order */
  phaseKeys: string[];
  /** index = depth; each level's deadlines per phase key */
  levels: { depth: number; phases: Record<string, PhaseDeadlines> }[];
  closesAt: Instant;
  timeline: Timeline;
}
