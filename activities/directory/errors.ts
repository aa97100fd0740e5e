// Typed errors of the unit directory. Each says what was wrong and what to do; `code` equals the class name
// so that the error survives serialisation across Temporal activity boundaries.
import type { LocalDate } from '../calendar/types';

/** A directory function was called with malformed input (a bad date, an empty id, a page out of range). */
export class DirectoryInputError extends Error {
  readonly code = 'DirectoryInputError';
  constructor(
    readonly what: string,
    readonly issues: string[],
    options?: { cause?: unknown },
  ) {
    super(`Dữ liệu không hợp lệ cho ${what} / Invalid input for ${what}: ${issues.join('; ')}`, options);
    this.name = 'DirectoryInputError';
  }
}

export class UnknownUnitError extends Error {
  readonly code = 'UnknownUnitError';
  constructor(readonly unitIds: string[]) {
    super(
      `Không có đơn vị ${unitIds.join(', ')} trong danh bạ / Unknown unit ${unitIds.join(', ')}: import it first (baocao units import) or check the id.`,
    );
    this.name = 'UnknownUnitError';
  }
}

export class UnitNotActiveError extends Error {
  readonly code = 'UnitNotActiveError';
  constructor(
    readonly unitId: string,
    readonly date: LocalDate,
  ) {
    super(
      `Đơn vị ${unitId} không hoạt động vào ngày ${date} / Unit ${unitId} is not active on ${date}: check its active_from/active_to or pick another date.`,
    );
    this.name = 'UnitNotActiveError';
  }
}

/** A re-parenting that would break the tree (cycle, grassroots parent, root given a parent, …). */
export class InvalidReparentError extends Error {
  readonly code = 'InvalidReparentError';
  constructor(
    readonly unitId: string,
    readonly reason: { vi: string; en: string },
  ) {
    super(`Không thể chuyển đơn vị ${unitId}: ${reason.vi} / Cannot re-parent unit ${unitId}: ${reason.en}`);
    this.name = 'InvalidReparentError';
  }
}

/** An existing unit's parent changed without a date from which the change takes effect. */
export class ParentChangeNeedsDateError extends Error {
  readonly code = 'ParentChangeNeedsDateError';
  constructor(readonly unitIds: string[]) {
    super(
      `Đổi đơn vị cha của ${unitIds.join(', ')} cần ngày hiệu lực / The parent of ${unitIds.join(', ')} changed: give the date it takes effect (effective_from, or baocao units reparent --from).`,
    );
    this.name = 'ParentChangeNeedsDateError';
  }
}

/** A cycle's tree was already frozen with a different root or date: a cycle id is used once. */
export class CycleSnapshotConflictError extends Error {
  readonly code = 'CycleSnapshotConflictError';
  constructor(
    readonly cycleId: string,
    readonly existing: { rootId: string; asOf: LocalDate },
    readonly requested: { rootId: string; asOf: LocalDate },
  ) {
    super(
      `Chu kỳ ${cycleId} đã chụp cây đơn vị của ${existing.rootId} ngày ${existing.asOf} / Cycle ${cycleId} already froze the tree of ${existing.rootId} as of ${existing.asOf}, not ${requested.rootId} as of ${requested.asOf}: use a new cycle id.`,
    );
    this.name = 'CycleSnapshotConflictError';
  }
}

export class UnitNotInCycleError extends Error {
  readonly code = 'UnitNotInCycleError';
  constructor(
    readonly cycleId: string,
    readonly unitId: string,
  ) {
    super(
      `Đơn vị ${unitId} không thuộc chu kỳ ${cycleId} / Unit ${unitId} is not in the tree of cycle ${cycleId}: was the cycle's tree snapshotted, and is the id right?`,
    );
    this.name = 'UnitNotInCycleError';
  }
}

/** One problem in one row of an import file. */
export interface RowError {
  /** the line a clerk sees: spreadsheet row or CSV line (header = 1); for JSON the array index */
  line: number;
  /** the column, e.g. `chair_email`; `*` for the whole row or file */
  field: string;
  vi: string;
  en: string;
}

export type ImportFormat = 'csv' | 'xlsx' | 'json';

/** `line 4, field chair_email: Email không hợp lệ … / Invalid email …` (JSON: `index 3, …`). */
export function formatRowError(e: RowError, format: ImportFormat): string {
  return `${format === 'json' ? 'index' : 'line'} ${e.line}, field ${e.field}: ${e.vi} / ${e.en}`;
}

/** The import file has bad rows; nothing was written. */
export class DirectoryImportError extends Error {
  readonly code = 'DirectoryImportError';
  constructor(
    readonly format: ImportFormat,
    readonly errors: RowError[],
  ) {
    const shown = errors.slice(0, 3).map((e) => formatRowError(e, format));
    const more = errors.length > shown.length ? ` (+${errors.length - shown.length})` : '';
    super(
      `Tệp có ${errors.length} lỗi, chưa ghi gì; sửa rồi nhập lại / The file has ${errors.length} error(s), nothing was written; fix them and import again:\n${shown.join('\n')}${more}`,
    );
    this.name = 'DirectoryImportError';
  }
}

/** The import file is neither .csv, .xlsx nor .json. */
export class ImportFormatError extends Error {
  readonly code = 'ImportFormatError';
  constructor(readonly path: string) {
    super(`Không nhận dạng được định dạng tệp "${path}" / Unknown file format "${path}": use a .csv, .xlsx or .json file.`);
    this.name = 'ImportFormatError';
  }
}

/** The import file cannot be read (missing, unreadable). */
export class ImportFileError extends Error {
  readonly code = 'ImportFileError';
  constructor(
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    const reason = options?.cause instanceof Error ? options.cause.message : String(options?.cause ?? '');
    super(`Không đọc được tệp "${path}" / Cannot read the file "${path}" (${reason}): check the path and permissions.`, options);
    this.name = 'ImportFileError';
  }
}
