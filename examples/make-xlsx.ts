// Regenerates examples/province-units.xlsx from examples/province-units.csv (the CSV is the source):
//   npx tsx examples/make-xlsx.ts
// Dates become real date cells shown as DD/MM/YYYY, as a clerk's spreadsheet has them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { readCsv } from '../activities/directory/import-sources';

const HERE = __dirname;
const DATE_COLUMNS = new Set(['active_from', 'active_to', 'effective_from']);
/** Fixed document dates, so that regenerating an unchanged CSV gives the same workbook metadata. */
const DOCUMENT_DATE = new Date(Date.UTC(2025, 0, 1));

async function main(): Promise<void> {
  const csv = readFileSync(join(HERE, 'province-units.csv'));
  const { rows, errors } = readCsv(csv);
  if (errors.length > 0) throw new Error(`province-units.csv is not readable: ${JSON.stringify(errors)}`);
  const header = String(csv).replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]!.split(',');

  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'baocao';
  workbook.created = DOCUMENT_DATE;
  workbook.modified = DOCUMENT_DATE;
  const sheet = workbook.addWorksheet('Đơn vị', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = header.map((key) => ({
    header: key,
    key,
    width: key === 'name' || key === 'distribution' ? 60 : key.endsWith('email') || key.endsWith('name') ? 32 : 14,
    style: DATE_COLUMNS.has(key) ? { numFmt: 'dd/mm/yyyy' } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    const values: Record<string, string | Date | undefined> = {};
    for (const key of header) {
      const v = row.values[key];
      const text = typeof v === 'string' && v !== '' ? v : undefined;
      // ExcelJS stores a Date as its UTC calendar day, so build the date at UTC midnight
      values[key] = text && DATE_COLUMNS.has(key) ? new Date(`${text}T00:00:00Z`) : text;
    }
    sheet.addRow(values);
  }
  await workbook.xlsx.writeFile(join(HERE, 'province-units.xlsx'));
  process.stdout.write(`examples/province-units.xlsx: ${rows.length} units\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
