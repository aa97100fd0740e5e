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
