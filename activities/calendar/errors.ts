// Typed errors of the calendar concern. `code` and `name` equal the class name, so a Temporal retry policy can
// list them in `nonRetryableErrorTypes`: none of them gets better by retrying.

/** The holiday data file is missing, unreadable or invalid; or the calendar cannot answer for a date. */
export class CalendarDataError extends Error {
  readonly code = 'CalendarDataError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CalendarDataError';
  }
}

/** The requested deadlines contradict the rules (e.g. a report due before the plan it reports on). */
export class DeadlineRuleError extends Error {
  readonly code = 'DeadlineRuleError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeadlineRuleError';
  }
}

/** An activity or function of this concern received malformed input (wrong shape, bad date string…). */
export class CalendarInputError extends Error {
  readonly code = 'CalendarInputError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CalendarInputError';
  }
}
