// JSON-safe shapes of the deadline calendar, computed in activities and handed to workflows.
// Workflows `import type` from here; they never compute dates themselves.

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
