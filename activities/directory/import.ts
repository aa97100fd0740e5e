// Importing the unit directory from a CSV, XLSX or JSON file: one row per unit. All or nothing: every bad
// row is reported with its line, column and a reason in Vietnamese and English, and then nothing is written.
// Re-importing the same file changes nothing; a changed row updates its unit.
import { readFile } from 'node:fs/promises';
import type { Db } from '../db/database';
import { UNIT_COLUMNS } from './columns';
import { DirectoryImportError, ImportFileError, ImportFormatError, type ImportFormat, type RowError } from './errors';
import { cleanCell, validateRow } from './import-rows';
import { formatOfPath, readSource } from './import-sources';
import { message } from './messages';
import { UNIT_KINDS, type UnitInput, type UnitKind, type UpsertUnitsResult } from './types';
import { applyUnitUpserts, planUnitUpserts } from './upsert';

export interface ImportProgress {
  phase: 'read' | 'check' | 'write';
  done: number;
  total: number;
}

export interface ImportOptions {
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportResult extends UpsertUnitsResult {
  format: ImportFormat;
  /** units in the file */
  total: number;
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

  const units: UnitInput[] = [];
  const lineOf = new Map<string, number>();
  const present = new Map<string, UnitKind | undefined>();
  for (const raw of rows) {
    const rawId = cleanCell(raw.values.id);
    const firstLine = typeof rawId === 'string' ? lineOf.get(rawId) : undefined;
    if (typeof rawId === 'string' && firstLine === undefined) {
      const kind = cleanCell(raw.values.kind);
      present.set(rawId, UNIT_KINDS.find((k) => typeof kind === 'string' && k === kind.toLowerCase()));
      lineOf.set(rawId, raw.line);
    }
    const checked = validateRow(raw);
    errors.push(...checked.errors);
    if (firstLine !== undefined) {
      errors.push({ line: raw.line, field: 'id', ...message('duplicate_id', { value: rawId as string, line: firstLine }) });
    } else if (checked.unit) units.push(checked.unit);
  }
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
  return { format, total: units.length, ...counts };
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
