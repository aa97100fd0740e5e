import { describe, expect, it } from 'vitest';
import * as archiveErrors from '../../activities/archive/errors';
import * as campaignErrors from '../../domain/campaign-errors';
import * as calendarErrors from '../../activities/calendar/errors';
import * as documentErrors from '../../activities/documents/errors';
import * as directoryErrors from '../../activities/directory/errors';
import * as fileErrors from '../../activities/files/errors';
import * as mailErrors from '../../activities/mail/errors';
import { NON_RETRYABLE_MAIL_ERRORS, NON_RETRYABLE_STORE_ERRORS } from '../../workflows/activities-proxy';

// Workflows name non-retryable errors by string (they cannot import activity code): a renamed class must fail here.
describe('non-retryable error types named by the workflows', () => {
  const exported: unknown[] = Object.values({ ...archiveErrors, ...campaignErrors, ...calendarErrors, ...directoryErrors, ...documentErrors, ...fileErrors, ...mailErrors });
  const classes = new Set(
    exported.filter((v): v is { name: string; prototype: unknown } => typeof v === 'function' && v.prototype instanceof Error).map((c) => c.name),
  );
  it.each([...NON_RETRYABLE_STORE_ERRORS, ...NON_RETRYABLE_MAIL_ERRORS])('%s is an exported error class of that name', (name) => {
    expect(classes.has(name), `${name} is not exported by any activity module`).toBe(true);
  });
  it('matches the mail module’s own list', () => {
    expect(NON_RETRYABLE_MAIL_ERRORS).toEqual([...mailErrors.NON_RETRYABLE_MAIL_ERRORS]);
  });
  it('covers the documents module’s own list', () => {
    expect(NON_RETRYABLE_STORE_ERRORS).toEqual(expect.arrayContaining([...documentErrors.NON_RETRYABLE_DOCUMENT_ERRORS]));
  });
});
