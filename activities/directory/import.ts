// Importing the unit directory from a CSV, XLSX or JSON file: one row per unit. All or nothing: every bad
// row is reported with its line, column and a reason in Vietnamese and English, and then nothing is written.
// Re-importing the same file changes nothing; a changed row updates its unit.
// Optional columns left out get their defaults (COLUMN_DEFAULTS below), and the result says which were applied.
//
// Any size, flat memory: the rows are read (CSV: parsed as a stream), checked and written a batch at a time
// inside one transaction; only each unit's id, line, kind and parent stay in memory for the checks across
// units (duplicates, parents, cycles), which run at the end. A bad file rolls the whole transaction back.
import { readFile } from 'node:fs/promises';
import type { LocalDate } from '../calendar/types';
import type { Db } from '../db/database';
import { COLUMN_LABELS, UNIT_COLUMNS } from './columns';
import { todayLocal } from './dates';
import { DirectoryImportError, ImportFileError, ImportFormatError, type ImportFormat, type RowError } from './errors';
import { cleanCell, validateRow, type DefaultedColumn } from './import-rows';
import { formatOfPath, sourceRows, type RawRow } from './import-sources';
import { message } from './messages';
import { chunks, BATCH_SIZE } from './rows';
import { DEFAULT_LANGUAGE, UNIT_KINDS, type UnitInput, type UnitKind, type UpsertUnitsResult } from './types';
import { checkStructure, planBatch, writeTimelines, writeUnits, type UnitShape, type UpsertPlan } from './upsert';

export interface ImportProgress {
  /** reading, checking and writing batch by batch; then the checks across units; done once committed */
  stage: 'reading' | 'checking' | 'done';
  /** rows read from the file so far */
  read: number;
  /** units created or changed so far (written inside the transaction, committed at `done`) */
  written: number;
  /** the share of the file read so far (0–1), for a progress bar; 1 from `checking` on */
  fraction: number;
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

/** Rows read, checked and written at a time. */
const ROW_BATCH = 2 * BATCH_SIZE;

/** Imports units from file contents. Throws `DirectoryImportError` (nothing written) when any row is bad. */
export async function importUnits(
  db: Db,
  source: { format: ImportFormat; data: Uint8Array },
  options: ImportOptions = {},
): Promise<ImportResult> {
  const { onProgress } = options;
  const { format } = source;
  const newUnitsFrom = options.activeFrom ?? todayLocal();
  const errors: RowError[] = [];
  const applied = { newUnits: 0, kept: 0, language: 0 };
  const counts: UpsertUnitsResult = { created: 0, updated: 0, unchanged: 0 };
  let read = 0;
  let written = 0;
  let total = 0;

  const run = async (trx: Db): Promise<void> => {
    const now = new Date().toISOString();
    // what the checks across units need, per id: the first line it is on and its kind (every row), and the
    // kind and parent of each valid unit
    const firstSeen = new Map<string, { line: number; kind: UnitKind | undefined }>();
    const shapes = new Map<string, UnitShape>();
    const existingGrassroots: string[] = [];
    // parent links naming a unit not written yet (later in the file, or outside it): written at the end
    const deferred: UpsertPlan['timelines'] = [];
    const lineOf = (id: string) => firstSeen.get(id)?.line ?? 0;

    const flush = async (batch: RawRow[]) => {
      const undated = batch.flatMap((r) => {
        const id = cleanCell(r.values.id);
        return cleanCell(r.values.active_from) === undefined && typeof id === 'string' ? [id] : [];
      });
      const stored = await storedActiveFrom(trx, undated);
      const units: UnitInput[] = [];
      for (const raw of batch) {
        const rawId = cleanCell(raw.values.id);
        const first = typeof rawId === 'string' ? firstSeen.get(rawId) : undefined;
        if (typeof rawId === 'string' && first === undefined) {
          const kind = cleanCell(raw.values.kind);
          firstSeen.set(rawId, { line: raw.line, kind: UNIT_KINDS.find((k) => typeof kind === 'string' && k === kind.toLowerCase()) });
        }
        const keptFrom = typeof rawId === 'string' ? stored.get(rawId) : undefined;
        const checked = validateRow(raw, keptFrom ?? newUnitsFrom);
        errors.push(...checked.errors);
        if (first !== undefined) {
          errors.push({ line: raw.line, field: 'id', ...message('duplicate_id', { value: rawId as string, line: first.line }) });
        } else if (checked.unit) {
          units.push(checked.unit);
          shapes.set(checked.unit.id, { kind: checked.unit.kind, parentId: checked.unit.parentId });
          if (checked.defaulted.includes('active_from')) applied[keptFrom ? 'kept' : 'newUnits']++;
          if (checked.defaulted.includes('language')) applied.language++;
        }
      }
      total += units.length;
      const plan = await planBatch(trx, units);
      for (const issue of plan.issues) errors.push({ line: lineOf(issue.unitId), field: issue.field, ...message(issue.key, issue.params) });
      existingGrassroots.push(...plan.existingGrassroots);
      counts.created += plan.counts.created;
      counts.updated += plan.counts.updated;
      counts.unchanged += plan.counts.unchanged;
      // a file already known to be bad is still checked to its end (the clerk sees every problem at once),
      // but nothing more is written: the transaction will be rolled back
      if (errors.length > 0) return;
      await writeUnits(trx, plan.writes, now);
      written += plan.writes.length;
      const ready: UpsertPlan['timelines'] = [];
      for (const t of plan.timelines) (t.links.every((l) => !l.parentId || shapes.has(l.parentId)) ? ready : deferred).push(t);
      await writeTimelines(trx, ready);
    };

    let batch: RawRow[] = [];
    let fraction = 0;
    for await (const row of sourceRows(format, source.data, errors)) {
      batch.push(row);
      read++;
      fraction = row.readTo ?? fraction;
      if (batch.length >= ROW_BATCH) {
        await flush(batch);
        batch = [];
        onProgress?.({ stage: 'reading', read, written, fraction });
      }
    }
    if (batch.length > 0) await flush(batch);
    onProgress?.({ stage: 'checking', read, written, fraction: 1 });
    if (read === 0 && errors.length === 0) errors.push({ line: format === 'json' ? 0 : 1, field: '*', ...message('no_rows') });

    // checked against the directory even when rows already failed, so the clerk sees every problem at once
    const alsoPresent = new Map([...firstSeen].map(([id, f]) => [id, f.kind]));
    for (const issue of await checkStructure(trx, { shapes, existingGrassroots }, { alsoPresent })) {
      errors.push({ line: lineOf(issue.unitId), field: issue.field, ...message(issue.key, issue.params) });
    }
    // thrown inside the transaction: it rolls back everything written so far
    if (errors.length > 0) throw new DirectoryImportError(format, errors.sort(byPosition));
    await writeTimelines(trx, deferred);
  };
  if (db.isTransaction) await run(db);
  else await db.transaction().execute(run);
  onProgress?.({ stage: 'done', read, written, fraction: 1 });

  const defaults: AppliedDefault[] = [];
  if (applied.newUnits) defaults.push(describeDefault('active_from', newUnitsFrom, options.activeFrom ? 'configured' : 'import-day', applied.newUnits));
  if (applied.kept) defaults.push(describeDefault('active_from', null, 'directory', applied.kept));
  if (applied.language) defaults.push(describeDefault('language', DEFAULT_LANGUAGE, 'default', applied.language));
  return { format, total, ...counts, defaults };
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
