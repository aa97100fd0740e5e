// Reads an import file into raw rows, remembering for each the line a clerk sees: the CSV line or spreadsheet
// row where it starts (header = 1), or the array index in JSON. No validation of values here.
import { parse as csvParser } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { COLUMN_LABELS, REQUIRED_COLUMNS, columnOfHeader } from './columns';
import { localDateOfExcelDate } from './dates';
import type { ImportFormat, RowError } from './errors';
import { message, type MessageKey, type MessageParams } from './messages';

export interface RawRow {
  line: number;
  /** by normalised column name; strings except in JSON, where values keep their JSON type */
  values: Record<string, unknown>;
  /** the share of the file read once this row was (0–1): what a progress bar shows */
  readTo?: number;
}

export interface SourceRows {
  format: ImportFormat;
  rows: RawRow[];
  /** problems with the file itself or with a row's shape */
  errors: RowError[];
}

function rowError(line: number, field: string, key: MessageKey, params: MessageParams = {}): RowError {
  return { line, field, ...message(key, params) };
}

/** Checks a header row; returns the column name of each position (undefined: ignored column). */
function readHeader(cells: readonly string[], line: number, errors: RowError[]): (string | undefined)[] {
  const names = cells.map(columnOfHeader);
  const seen = new Set<string>();
  const out = names.map((n) => {
    if (!n) return undefined;
    if (seen.has(n)) {
      errors.push(rowError(line, n, 'duplicate_column', { value: n }));
      return undefined;
    }
    seen.add(n);
    return n;
  });
  for (const c of REQUIRED_COLUMNS) if (!seen.has(c)) errors.push(rowError(line, c, 'missing_column', { value: c, other: COLUMN_LABELS[c].vi }));
  return out;
}

/**
 * A second header row naming the same columns in the other language (the template has a Vietnamese and an
 * English row): every non-empty cell names the column of its position, and at least two do.
 */
function isHeaderAgain(columns: readonly (string | undefined)[], cells: readonly unknown[]): boolean {
  let named = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (cell === undefined || cell === null || String(cell).trim() === '') continue;
    if (columns[i] === undefined || columnOfHeader(String(cell)) !== columns[i]) return false;
    named++;
  }
  return named >= 2;
}

function toRecord(columns: readonly (string | undefined)[], cells: readonly unknown[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  columns.forEach((c, i) => {
    if (c !== undefined) values[c] = cells[i];
  });
  return values;
}

const isBlank = (cells: readonly unknown[]) => cells.every((c) => c === undefined || c === null || String(c).trim() === '');

/** Excel in some locales saves CSV with `;` (or tab): take whichever the header line uses. */
function guessDelimiter(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  let best = ',';
  let most = 0;
  for (const d of [',', ';', '\t']) {
    const n = header.split(d).length - 1;
    if (n > most) [best, most] = [d, n];
  }
  return best;
}

interface CsvRecord {
  record: string[];
  /** csv-parse's `info`: the line the record ends on and the blank lines skipped so far */
  info: { lines: number; empty_lines: number; bytes: number };
}

/**
 * Turns csv-parse records into rows, one at a time: the header first (its problems end the reading: with
 * columns missing every row would fail the same way), then each row with the line where it starts.
 */
function csvRowReader(errors: RowError[]): (r: CsvRecord) => RawRow | undefined {
  let header: { columns: (string | undefined)[]; width: number } | undefined;
  let previousEnd = 0;
  let previousEmpty = 0;
  let rowCount = 0;
  return (r) => {
    // csv-parse reports the line a record ends on; it starts right after the previous record and any blank lines
    const line = previousEnd + 1 + (r.info.empty_lines - previousEmpty);
    previousEnd = r.info.lines;
    previousEmpty = r.info.empty_lines;
    if (!header) {
      header = { columns: readHeader(r.record, line, errors), width: r.record.length };
      return undefined;
    }
    if (isBlank(r.record)) return undefined;
    if (rowCount === 0 && isHeaderAgain(header.columns, r.record)) return undefined;
    if (r.record.length > header.width) {
      errors.push(rowError(line, '*', 'wrong_field_count', { value: String(r.record.length), other: String(header.width) }));
      return undefined;
    }
    rowCount++;
    return { line, values: toRecord(header.columns, r.record) };
  };
}

const CSV_OPTIONS = { bom: true, info: true, relax_column_count: true, skip_empty_lines: true } as const;

export function readCsv(data: Uint8Array): SourceRows {
  const errors: RowError[] = [];
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return { format: 'csv', rows: [], errors: [rowError(1, '*', 'not_utf8')] };
  }
  let records: CsvRecord[];
  try {
    const delimiter = guessDelimiter(text.replace(/^\uFEFF/, ''));
    records = parse(text, { ...CSV_OPTIONS, delimiter }) as unknown as CsvRecord[];
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1;
    return { format: 'csv', rows: [], errors: [rowError(line, '*', 'bad_csv', { value: (err as Error).message })] };
  }
  if (records.length === 0) return { format: 'csv', rows: [], errors: [rowError(1, '*', 'no_rows')] };
  const read = csvRowReader(errors);
  const rows: RawRow[] = [];
  for (const r of records) {
    const row = read(r);
    if (row) rows.push(row);
    if (errors.length > 0 && rows.length === 0 && r === records[0]) return { format: 'csv', rows: [], errors };
  }
  return { format: 'csv', rows, errors };
}

/** Bytes handed to the CSV parser at a time: the file is never decoded or parsed as a whole. */
const CSV_CHUNK_BYTES = 1 << 20;

/**
 * The rows of a CSV file as they are parsed, for files of any size: memory holds one chunk of text and the
 * rows not yet taken, never the whole file's records. Problems go to `errors` as they are found (a bad
 * header, invalid UTF-8 or broken quoting end the rows).
 */
export async function* streamCsvRows(data: Uint8Array, errors: RowError[]): AsyncGenerator<RawRow> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const head = new TextDecoder('utf-8').decode(data.subarray(0, Math.min(data.length, 64 * 1024)));
  const parser = csvParser({ ...CSV_OPTIONS, delimiter: guessDelimiter(head.replace(/^\uFEFF/, '')) });
  const read = csvRowReader(errors);
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<CsvRecord>;
  let parseError: unknown;
  parser.on('error', (err) => (parseError = err));
  // feed the parser from the buffer, pausing whenever it has enough records buffered
  const feed = (async () => {
    try {
      for (let at = 0; at < data.length && !parser.destroyed; at += CSV_CHUNK_BYTES) {
        const end = at + CSV_CHUNK_BYTES >= data.length;
        const text = decoder.decode(data.subarray(at, at + CSV_CHUNK_BYTES), { stream: !end });
        if (!parser.write(text)) await drainedOrClosed(parser);
      }
      if (!parser.destroyed) parser.end();
    } catch (err) {
      parser.destroy(err instanceof TypeError ? new NotUtf8Error() : (err as Error));
    }
  })();
  let records0 = 0;
  try {
    for (;;) {
      let next: IteratorResult<CsvRecord>;
      try {
        next = await records.next();
      } catch (err) {
        if (err instanceof NotUtf8Error || parseError instanceof NotUtf8Error) errors.push(rowError(1, '*', 'not_utf8'));
        else errors.push(rowError((err as { lines?: number }).lines ?? 1, '*', 'bad_csv', { value: (err as Error).message }));
        return;
      }
      if (next.done) break;
      records0++;
      const row = read(next.value);
      if (records0 === 1 && errors.length > 0) return; // the header's problems say it all
      // the parser's position in the file (bytes of UTF-8: it turns the text back into a buffer)
      if (row) yield { ...row, readTo: Math.min(1, next.value.info.bytes / Math.max(data.length, 1)) };
    }
    if (records0 === 0) errors.push(rowError(1, '*', 'no_rows'));
  } finally {
    parser.destroy();
    await feed;
  }
}

class NotUtf8Error extends Error {}

/** Resolves when a stream can take more, or is gone (destroyed: the reader stopped early). */
function drainedOrClosed(stream: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

/** The text a clerk sees in a cell (dates as `YYYY-MM-DD`, links by their text). */
function cellText(value: ExcelJS.CellValue): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return localDateOfExcelDate(value);
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return value.richText.map((t) => t.text).join('');
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellText(value.text as ExcelJS.CellValue);
  if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  if ('error' in value) return String(value.error);
  return undefined;
}

export async function readXlsx(data: Uint8Array): Promise<SourceRows> {
  const errors: RowError[] = [];
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(data) as unknown as ExcelJS.Buffer);
  } catch (err) {
    return { format: 'xlsx', rows: [], errors: [rowError(1, '*', 'bad_xlsx', { value: (err as Error).message })] };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.actualRowCount === 0) return { format: 'xlsx', rows: [], errors: [rowError(1, '*', 'no_rows')] };
  let columns: (string | undefined)[] | undefined;
  const rows: RawRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: (string | undefined)[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
    });
    if (isBlank(cells)) return;
    if (!columns) columns = readHeader(Array.from(cells, (c) => c ?? ''), rowNumber, errors);
    else if (rows.length === 0 && isHeaderAgain(columns, cells)) return;
    else rows.push({ line: rowNumber, values: toRecord(columns, cells) });
  });
  return { format: 'xlsx', rows: errors.length > 0 ? [] : rows, errors };
}

export function readJson(data: Uint8Array): SourceRows {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data).replace(/^\uFEFF/, ''));
  } catch (err) {
    return { format: 'json', rows: [], errors: [rowError(0, '*', 'bad_json', { value: (err as Error).message })] };
  }
  const list = Array.isArray(doc) ? doc : (doc as { units?: unknown } | null)?.units;
  if (!Array.isArray(list)) return { format: 'json', rows: [], errors: [rowError(0, '*', 'not_a_list')] };
  const errors: RowError[] = [];
  const rows: RawRow[] = [];
  list.forEach((item: unknown, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors.push(rowError(index, '*', 'not_an_object'));
      return;
    }
    const values: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(item)) values[columnOfHeader(k)] = v;
    rows.push({ line: index, values });
  });
  return { format: 'json', rows, errors };
}

const FORMATS: Record<string, ImportFormat> = { '.csv': 'csv', '.xlsx': 'xlsx', '.json': 'json' };

/** The format of a file by its extension, or undefined. */
export function formatOfPath(path: string): ImportFormat | undefined {
  const m = /\.[^./\\]+$/.exec(path.toLowerCase());
  return m ? FORMATS[m[0]] : undefined;
}

export function readSource(format: ImportFormat, data: Uint8Array): Promise<SourceRows> | SourceRows {
  if (format === 'csv') return readCsv(data);
  if (format === 'xlsx') return readXlsx(data);
  return readJson(data);
}

/** The rows of a file one by one (CSV streamed; XLSX and JSON are read whole first), problems into `errors`. */
export async function* sourceRows(format: ImportFormat, data: Uint8Array, errors: RowError[]): AsyncGenerator<RawRow> {
  if (format === 'csv') {
    yield* streamCsvRows(data, errors);
    return;
  }
  const whole = await readSource(format, data);
  errors.push(...whole.errors);
  for (const [i, row] of whole.rows.entries()) yield { ...row, readTo: (i + 1) / whole.rows.length };
}
