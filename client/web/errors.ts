// Errors of the web layer. Each becomes a page (or a JSON error under /api) with the right status code;
// none ever shows a stack trace.
import { formatFieldProblems } from '../../workflows/field-errors';
import type { FieldErrors } from './forms';

export class WebNotFoundError extends Error {
  readonly code = 'WebNotFoundError';
  constructor(message = 'not found / không tìm thấy') {
    super(message);
    this.name = 'WebNotFoundError';
  }
}

export class WebForbiddenError extends Error {
  readonly code = 'WebForbiddenError';
  constructor(message = 'outside your units / ngoài phạm vi các đơn vị của bạn') {
    super(message);
    this.name = 'WebForbiddenError';
  }
}

/** No valid staff session: pages send the browser to the sign-in page, the API answers 401. */
export class SignInRequiredError extends Error {
  readonly code = 'SignInRequiredError';
  constructor() {
    super('sign in first / hãy đăng nhập');
    this.name = 'SignInRequiredError';
  }
}

/** Input that failed validation, with one message per field in the request's language (`field: message` lines). */
export class WebValidationError extends Error {
  readonly code = 'WebValidationError';
  constructor(readonly fields: FieldErrors) {
    super(formatFieldProblems(Object.entries(fields).map(([field, message]) => ({ field, message }))));
    this.name = 'WebValidationError';
  }
}
