// Typed errors of the archive. `code` equals the class name so that the error survives serialisation across
// Temporal activity boundaries; messages say what was wrong and what to do, in Vietnamese and English.

/** An archive function was called with malformed input (a workflow bug: retrying cannot help). */
export class ArchiveInputError extends Error {
  readonly code = 'ArchiveInputError';
  constructor(
    readonly what: string,
    readonly issues: string[],
    options?: { cause?: unknown },
  ) {
    super(`Dữ liệu không hợp lệ cho ${what} / Invalid input for ${what}: ${issues.join('; ')}`, options);
    this.name = 'ArchiveInputError';
  }
}

/** The cycle has no frozen tree in this database: it never started here, or the id is mistyped. */
export class UnknownCycleError extends Error {
  readonly code = 'UnknownCycleError';
  constructor(readonly cycleId: string) {
    super(
      `Không có chu kỳ ${cycleId} trong kho lưu trữ / No cycle ${cycleId} in the archive: check the id (e.g. cycle-2027-LDLD-HN) and that DATABASE_URL / the SQLite file is the one the worker writes to.`,
    );
    this.name = 'UnknownCycleError';
  }
}

/**
 * A version of a submission is already archived with other content. The unit workflow gives every version its
 * content once, so this is never a retry: the workflow was reset, or two writers share one database. Nothing
 * was overwritten.
 */
export class SubmissionConflictError extends Error {
  readonly code = 'SubmissionConflictError';
  constructor(
    readonly cycleId: string,
    readonly unitId: string,
    readonly phase: string,
    readonly version: number,
  ) {
    super(
      `Phiên bản ${version} (${phase}) của ${unitId} trong ${cycleId} đã được lưu với nội dung khác; không ghi đè / ` +
        `Version ${version} of the ${phase} of ${unitId} in ${cycleId} is already archived with other content; nothing was overwritten. ` +
        'Check that no other worker writes to this database (DATABASE_URL) and that the unit workflow was not reset.',
    );
    this.name = 'SubmissionConflictError';
  }
}
