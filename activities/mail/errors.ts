// Typed errors of the mail activities. `code` (and `name`) equal the class name so the worker can list the
// non-retryable ones by name in the activity retry policy (NON_RETRYABLE_MAIL_ERRORS). A recipient refused
// for good (5xx) is not an error: it is recorded as a bounce and the activity returns `{ status: 'bounced' }`.

/**
 * The SMTP server did not take the message now: connection refused or dropped, timeout, a 4xx reply — or a
 * refusal of our own sender or credentials (5xx on AUTH or MAIL FROM), which the operator fixes in SMTP_URL /
 * MAIL_FROM while the activity keeps retrying. Retryable: the outbox row stays `sending`, a retry re-sends the
 * same bytes with the same Message-ID to the recipients that have not accepted it yet.
 */
export class MailTransientError extends Error {
  readonly code = 'MailTransientError';
  constructor(
    message: string,
    /** the SMTP reply code when the server answered, e.g. 421 or 451 */
    readonly responseCode?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MailTransientError';
  }
}

/**
 * The activity was called with input it cannot act on (schema violation, unknown unit, a key already used
 * for another purpose). Not retryable: the caller has to change the call.
 */
export class MailInputError extends Error {
  readonly code = 'MailInputError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MailInputError';
  }
}

/** Error types the workflow's activity retry policy must not retry (`nonRetryableErrorTypes`). */
export const NON_RETRYABLE_MAIL_ERRORS = ['MailInputError'] as const;
