// Regenerates the plain samples from examples/province-units.csv (the CSV is the source):
//   npx tsx examples/make-plain.ts
// plain-units.csv      the eight columns a secretariat's own sheet has, English headers: every optional column
//                      (active_from, language, …) is left to its default
// plain-units-vi.xlsx  the same units in the XLSX template (`baocao units template`), filled in from row 3
// The unit dissolved in 2023 is left out: a plain sheet lists the units that exist.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { REQUIRED_COLUMNS, UNIT_COLUMNS } from '../activities/directory/columns';
import { readCsv } from '../activities/directory/import-sources';
import { buildUnitTemplate, TEMPLATE_SHEET } from '../activities/directory/template';

const HERE = __dirname;
/** Fixed document dates, so that regenerating an unchanged CSV gives the same workbook metadata. */
const DOCUMENT_DATE = new Date(Date.UTC(2025, 0, 1));

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

async function main(): Promise<void> {
  const { rows, errors } = readCsv(readFileSync(join(HERE, 'province-units.csv')));
  if (errors.length > 0) throw new Error(`province-units.csv is not readable: ${JSON.stringify(errors)}`);
  const existing = rows.filter((r) => !r.values.active_to);
  const cells = existing.map((r) => REQUIRED_COLUMNS.map((c) => String(r.values[c] ?? '')));

  const csv = [REQUIRED_COLUMNS.join(','), ...cells.map((line) => line.map(csvCell).join(','))].join('\n') + '\n';
  writeFileSync(join(HERE, 'plain-units.csv'), csv);

  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await buildUnitTemplate()) as unknown as ExcelJS.Buffer);
  workbook.created = DOCUMENT_DATE;
  workbook.modified = DOCUMENT_DATE;
  const sheet = workbook.getWorksheet(TEMPLATE_SHEET)!;
  cells.forEach((line, i) => {
    const row = sheet.getRow(3 + i);
    line.forEach((value, j) => {
      if (value) row.getCell(UNIT_COLUMNS.indexOf(REQUIRED_COLUMNS[j]!) + 1).value = value;
    });
  });
  await workbook.xlsx.writeFile(join(HERE, 'plain-units-vi.xlsx'));
  process.stdout.write(`examples/plain-units.csv, examples/plain-units-vi.xlsx: ${existing.length} units\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
