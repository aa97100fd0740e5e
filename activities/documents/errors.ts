// Typed errors of the documents module. `code` equals the class name so that the error survives serialisation
// across Temporal activity boundaries; messages say what was wrong and what to do, in Vietnamese and English.

/** A document function was called with malformed input (a caller's bug: retrying cannot help). */
export class DocumentInputError extends Error {
  readonly code = 'DocumentInputError';
  constructor(
    readonly what: string,
    readonly issues: string[],
    options?: { cause?: unknown },
  ) {
    super(`Dữ liệu không hợp lệ cho ${what} / Invalid input for ${what}: ${issues.join('; ')}`, options);
    this.name = 'DocumentInputError';
  }
}

/** The document is larger than an email attachment may be: send the aggregate without it, or export it with the CLI. */
export class DocumentTooLargeError extends Error {
  readonly code = 'DocumentTooLargeError';
  constructor(
    readonly filename: string,
    readonly base64Chars: number,
    readonly limit: number,
  ) {
    super(
      `Tệp ${filename} quá lớn để đính kèm (${base64Chars} > ${limit} ký tự base64) / ${filename} is too large to attach (${base64Chars} > ${limit} base64 characters): send the aggregate without the attachment and export the document with 'baocao cycle export'.`,
    );
    this.name = 'DocumentTooLargeError';
  }
}

/** Error types the workflows should not retry (named by string in their retry policies). */
export const NON_RETRYABLE_DOCUMENT_ERRORS = ['DocumentInputError', 'DocumentTooLargeError', 'UnknownCycleError', 'UnitNotInCycleError', 'ArchiveInputError'] as const;
