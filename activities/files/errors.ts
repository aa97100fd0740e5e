import { formatMegabytes } from './limits';

// Typed errors of stored files. `code` (and `name`) equal the class name: the archive activity's refusal
// (FileReferenceError) crosses the Temporal activity boundary and is listed by name as non-retryable
// (workflows/activities-proxy.ts). Messages are read by people: Vietnamese and English, what to do.

/** An upload was refused (type, size, name, a cut-off stream): nothing was stored. */
export class FileRejectedError extends Error {
  readonly code = 'FileRejectedError';
  constructor(
    /** which rule refused it, for callers that branch (HTTP status, tests) */
    readonly reason: 'type' | 'too-large' | 'submission-too-large' | 'name' | 'incomplete' | 'zip-bomb' | 'empty',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'FileRejectedError';
  }
}

/** A submission names a file that is not stored, or whose hash, size or type differ from what was stored. */
export class FileReferenceError extends Error {
  readonly code = 'FileReferenceError';
  constructor(message: string) {
    super(message);
    this.name = 'FileReferenceError';
  }
}

/** The object store could not be reached or refused a request (a configuration or availability problem). */
export class FileStoreError extends Error {
  readonly code = 'FileStoreError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FileStoreError';
  }
}

/** The upload's stream ended or failed before its end (a phone that lost its connection). */
export function uploadCutOff(cause?: unknown): FileRejectedError {
  return new FileRejectedError(
    'incomplete',
    'Tệp tải lên bị ngắt giữa chừng; không lưu gì, hãy tải lại / The upload was cut off before the end: nothing was stored, upload the file again.',
    { cause },
  );
}

export function fileTooLarge(maxBytes: number): FileRejectedError {
  return new FileRejectedError(
    'too-large',
    `Tệp vượt quá giới hạn ${formatMegabytes(maxBytes)}; không lưu gì / The file is larger than the limit of ${formatMegabytes(maxBytes)}: nothing was stored. Scan it at a lower resolution or split it.`,
  );
}
