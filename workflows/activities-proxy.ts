// Activity proxies, one per timeout/retry profile. Workflows only `import type` the activities.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

// Error class names (their `code`) of activities that must not be retried. Workflows may not import the
// classes (no value imports from activities/), so test/cycle/error-types.test.ts checks these names exist.
export const NON_RETRYABLE_STORE_ERRORS = [
  'DeadlineRuleError',
  'CalendarInputError',
  'UnknownUnitError',
  'UnitNotActiveError',
  'UnitNotInCycleError',
  'CycleSnapshotConflictError',
  'DirectoryInputError',
  'DocumentInputError',
  'DocumentTooLargeError',
  'UnknownCycleError',
  'ArchiveInputError',
];
export const NON_RETRYABLE_MAIL_ERRORS = ['MailInputError'];

/** Database and calendar work: quick, retried with backoff until it succeeds (a database restart must not lose a cycle). */
export const store = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    // a wrong request stays wrong however often it is retried: fail the cycle with the reason instead
    nonRetryableErrorTypes: NON_RETRYABLE_STORE_ERRORS,
  },
});

/**
 * Email: SMTP can be slow or refuse with 4xx for a while; retried with backoff for as long as it takes.
 * Permanent rejections (5xx) are not thrown: the mail activities record them as bounces.
 */
export const mail = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes: NON_RETRYABLE_MAIL_ERRORS },
});
