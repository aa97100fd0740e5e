// Typed errors of the mail activities. `code` (and `name`) equal the class name so the worker can list the
// non-retryable ones by name in the activity retry policy (NON_RETRYABLE_MAIL_ERRORS). SMTP trouble is never an
// activity error: the activities only queue, and the dispatcher (dispatcher.ts) records 4xx, 5xx and outages.

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
