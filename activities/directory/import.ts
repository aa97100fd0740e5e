// Importing the unit directory from a CSV, XLSX or JSON file: one row per unit. All or nothing: every bad
// row is reported with its line, column and a reason in Vietnamese and English, and then nothing is written.
// Re-importing the same file changes nothing; a changed row updates its unit.
// Optional columns left out get their defaults (COLUMN_DEFAULTS below), and the result says which were applied.
import { readFile } from 'node:fs/promises';
import type { LocalDate } from '../calendar/types';
import type { Db } from '../db/database';
import { COLUMN_LABELS, UNIT_COLUMNS } from './columns';
import { todayLocal } from './dates';
import { DirectoryImportError, ImportFileError, ImportFormatError, type ImportFormat, type RowError } from './errors';
import { cleanCell, validateRow, type DefaultedColumn } from './import-rows';
import { formatOfPath, readSource } from './import-sources';
import { message } from './messages';
import { chunks } from './rows';
import { DEFAULT_LANGUAGE, UNIT_KINDS, type UnitInput, type UnitKind, type UpsertUnitsResult } from './types';
import { applyUnitUpserts, planUnitUpserts } from './upsert';

export interface ImportProgress {
  phase: 'read' | 'check' | 'write';
  done: number;
  total: number;
}

export interface ImportOptions {
  onProgress?: (p: ImportProgress) => void;
  /**
   * active_from of new units whose row has none (`--active-from`, BAOCAO_UNITS_ACTIVE_FROM); default: the day
   * of the import in Asia/Ho_Chi_Minh. Units already in the directory keep the date they have.
   */
  activeFrom?: LocalDate;
}

/** A default the import applied to rows that left an optional column empty or out. */
export interface AppliedDefault {
  column: DefaultedColumn;
  /** the value the units got; null: units already in the directory kept their own active_from */
  value: string | null;
  /** why this value: the import day, a configured date, the stored date, or the documented default */
  source: 'import-day' | 'configured' | 'directory' | 'default';
  /** how many units got it */
  units: number;
  /** the same in words, for people */
  vi: string;
  en: string;
}

export interface ImportResult extends UpsertUnitsResult {
  format: ImportFormat;
  /** units in the file */
  total: number;
  /** empty when every row gave every optional value */
  defaults: AppliedDefault[];
}

/** The stored active_from of the units that exist, for rows that do not give one. */
async function storedActiveFrom(db: Db, ids: readonly string[]): Promise<Map<string, LocalDate>> {
  const out = new Map<string, LocalDate>();
  for (const part of chunks(ids)) {
    for (const r of await db.selectFrom('units').select(['id', 'active_from']).where('id', 'in', part).execute()) out.set(r.id, r.active_from);
  }
  return out;
}

function describeDefault(column: DefaultedColumn, value: string | null, source: AppliedDefault['source'], units: number): AppliedDefault {
  const label = `${column} (${COLUMN_LABELS[column].vi})`;
  const text = {
    'import-day': { vi: `${label} = ${value}, ngày nhập lần đầu`, en: `${column} = ${value}, the day the units are first imported` },
    configured: { vi: `${label} = ${value}, ngày đã cấu hình`, en: `${column} = ${value}, the configured date (--active-from / BAOCAO_UNITS_ACTIVE_FROM)` },
    directory: { vi: `${label}: giữ ngày đã có trong danh bạ`, en: `${column}: the date already in the directory is kept` },
    default: { vi: `${label} = ${value}, mặc định`, en: `${column} = ${value}, the default` },
  }[source];
  return { column, value, source, units, vi: `${text.vi} (${units} đơn vị)`, en: `${text.en} (${units} units)` };
}

const COLUMN_ORDER = new Map<string, number>(UNIT_COLUMNS.map((c, i) => [c, i]));

function byPosition(a: RowError, b: RowError): number {
  const col = (e: RowError) => COLUMN_ORDER.get(e.field.split('.')[0]!) ?? -1;
  return a.line - b.line || col(a) - col(b);
}

/** Imports units from file contents. Throws `DirectoryImportError` (nothing written) when any row is bad. */
export async function importUnits(
  db: Db,
  source: { format: ImportFormat; data: Uint8Array },
  options: ImportOptions = {},
): Promise<ImportResult> {
  const { onProgress } = options;
  const { format, rows, errors } = await readSource(source.format, source.data);
  onProgress?.({ phase: 'read', done: rows.length, total: rows.length });
  if (rows.length === 0 && errors.length === 0) errors.push({ line: format === 'json' ? 0 : 1, field: '*', ...message('no_rows') });

  const newUnitsFrom = options.activeFrom ?? todayLocal();
  const undated = rows.flatMap((r) => {
    const id = cleanCell(r.values.id);
    return cleanCell(r.values.active_from) === undefined && typeof id === 'string' ? [id] : [];
  });
  const stored = await storedActiveFrom(db, undated);

  const units: UnitInput[] = [];
  const lineOf = new Map<string, number>();
  const present = new Map<string, UnitKind | undefined>();
  const applied = { newUnits: 0, kept: 0, language: 0 };
  for (const raw of rows) {
    const rawId = cleanCell(raw.values.id);
    const firstLine = typeof rawId === 'string' ? lineOf.get(rawId) : undefined;
    if (typeof rawId === 'string' && firstLine === undefined) {
      const kind = cleanCell(raw.values.kind);
      present.set(rawId, UNIT_KINDS.find((k) => typeof kind === 'string' && k === kind.toLowerCase()));
      lineOf.set(rawId, raw.line);
    }
    const keptFrom = typeof rawId === 'string' ? stored.get(rawId) : undefined;
    const checked = validateRow(raw, keptFrom ?? newUnitsFrom);
    errors.push(...checked.errors);
    if (firstLine !== undefined) {
      errors.push({ line: raw.line, field: 'id', ...message('duplicate_id', { value: rawId as string, line: firstLine }) });
    } else if (checked.unit) {
      units.push(checked.unit);
      if (checked.defaulted.includes('active_from')) applied[keptFrom ? 'kept' : 'newUnits']++;
      if (checked.defaulted.includes('language')) applied.language++;
    }
  }
  const defaults: AppliedDefault[] = [];
  if (applied.newUnits) defaults.push(describeDefault('active_from', newUnitsFrom, options.activeFrom ? 'configured' : 'import-day', applied.newUnits));
  if (applied.kept) defaults.push(describeDefault('active_from', null, 'directory', applied.kept));
  if (applied.language) defaults.push(describeDefault('language', DEFAULT_LANGUAGE, 'default', applied.language));
  onProgress?.({ phase: 'check', done: rows.length, total: rows.length });

  const run = async (trx: Db): Promise<UpsertUnitsResult> => {
    // checked against the directory even when rows already failed, so the clerk sees every problem at once
    const plan = await planUnitUpserts(trx, units, { alsoPresent: present });
    for (const issue of plan.issues) {
      errors.push({ line: lineOf.get(issue.unitId) ?? 0, field: issue.field, ...message(issue.key, issue.params) });
    }
    // thrown inside the transaction: it rolls back, though nothing has been written yet
    if (errors.length > 0) throw new DirectoryImportError(format, errors.sort(byPosition));
    await applyUnitUpserts(trx, plan, (p) => onProgress?.({ phase: 'write', ...p }));
    return plan.counts;
  };
  const counts = db.isTransaction ? await run(db) : await db.transaction().execute(run);
  return { format, total: units.length, ...counts, defaults };
}

/** Imports a `.csv`, `.xlsx` or `.json` file (format from the extension unless given). */
export async function importUnitsFromFile(
  db: Db,
  path: string,
  options: ImportOptions & { format?: ImportFormat } = {},
): Promise<ImportResult> {
  const format = options.format ?? formatOfPath(path);
  if (!format) throw new ImportFormatError(path);
  const data = await readFile(path).catch((cause: unknown) => {
    throw new ImportFileError(path, { cause });
  });
  return importUnits(db, { format, data }, options);
}
