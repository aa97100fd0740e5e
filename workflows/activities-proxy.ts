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
  // a submission naming a file that is not stored or does not match (activities/files/references.ts)
  'FileReferenceError',
  'SubmissionConflictError',
  // a cycle naming a campaign or version that is not stored (activities/campaigns/repository.ts)
  'CampaignNotFoundError',
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
 * Email, as workflows see it: composing a message and writing it to the outbox, a database write like `store`
 * (delivery over SMTP, its 4xx retries and bounces happen later, off the workflow's critical path, in the
 * worker's dispatcher). So the same short timeout and backoff: nothing a workflow awaits depends on SMTP, and
 * no workflow reads a send result (bounces are read from the outbox: listBounces).
 */
export const mail = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE_MAIL_ERRORS },
});
