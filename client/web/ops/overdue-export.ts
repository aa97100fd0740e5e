// The overdue list of a supervisor's page, to take away: an Excel workbook (bilingual header rows, one row per
// overdue unit and phase, frozen header, auto-filter) and the rows a printable page shows.
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { TIME_ZONE } from '../../../activities/calendar/constants';
import { PHASE_LABELS, XLSX_CONTENT_TYPE } from '../../../activities/documents/labels';
import { localDaysBetween } from '../../../activities/mail/templates/format';
import type { Download } from './downloads';
import type { OverdueRow, Supervision } from './supervision';

export const OVERDUE_SHEET = 'Quá hạn';
/** Rows 1–2 are the Vietnamese and English headers; data starts on row 3. */
export const OVERDUE_HEADER_ROWS = 2;

const COLUMNS = [
  { key: 'id', vi: 'Mã đơn vị', en: 'Unit id', width: 16 },
  { key: 'name', vi: 'Tên đơn vị', en: 'Name', width: 48 },
  { key: 'parent', vi: 'Thuộc', en: 'Under', width: 40 },
  { key: 'phase', vi: 'Giai đoạn', en: 'Phase', width: 12 },
  { key: 'due', vi: 'Hạn', en: 'Due', width: 18 },
  { key: 'daysLate', vi: 'Số ngày quá hạn', en: 'Days late', width: 12 },
  { key: 'reminders', vi: 'Số lần nhắc', en: 'Reminders sent', width: 12 },
] as const;

/** Calendar days in Vietnam from the deadline to when the list was read: what the page's "late by" says. */
export function daysLate(row: Pick<OverdueRow, 'dueAt' | 'asOf'>): number {
  return Math.max(0, localDaysBetween(row.dueAt, row.asOf));
}

/** A deadline as people in Vietnam read it, whatever the server's time zone. */
function localDue(iso: string): Date {
  // Excel dates carry no zone: write the wall-clock time of Vietnam as if it were UTC.
  const local = DateTime.fromISO(iso, { zone: TIME_ZONE });
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute));
}

export async function overdueWorkbook(s: Supervision): Promise<Download> {
  const book = new ExcelJS.Workbook();
  book.creator = 'baocao';
  const sheet = book.addWorksheet(OVERDUE_SHEET, { views: [{ state: 'frozen', ySplit: OVERDUE_HEADER_ROWS }] });
  sheet.columns = COLUMNS.map((c) => ({ key: c.key, width: c.width }));
  sheet.addRow(COLUMNS.map((c) => c.vi)).font = { bold: true };
  sheet.addRow(COLUMNS.map((c) => c.en)).font = { italic: true };
  for (const o of s.overdue) {
    sheet.addRow({ id: o.unitId, name: o.name, parent: o.parentName, phase: PHASE_LABELS[o.phase].vi, due: localDue(o.dueAt), daysLate: daysLate(o), reminders: o.remindersSent });
  }
  sheet.getColumn('due').numFmt = 'dd/mm/yyyy hh:mm';
  sheet.autoFilter = { from: { row: OVERDUE_HEADER_ROWS, column: 1 }, to: { row: OVERDUE_HEADER_ROWS + s.overdue.length, column: COLUMNS.length } };
  return {
    filename: `Đơn vị quá hạn – ${s.focus.name} – ${s.cycleId}.xlsx`,
    asciiFilename: `qua-han-${s.focus.id}-${s.cycleId}.xlsx`,
    contentType: XLSX_CONTENT_TYPE,
    bytes: Buffer.from(await book.xlsx.writeBuffer()),
  };
}
