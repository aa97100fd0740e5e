// The XLSX template of a unit directory: the first sheet has the header twice — Vietnamese (row 1) and English
// (row 2) — and rows from 3 on are for the units; a second sheet explains each column, its default and an
// example. `units import` reads the filled-in template as it is (it skips the second header row).
import ExcelJS from 'exceljs';
import { COLUMN_LABELS, REQUIRED_COLUMNS, UNIT_COLUMNS, type UnitColumn } from './columns';
import { UNIT_KINDS } from './types';

export const TEMPLATE_FILENAME = 'Mẫu danh bạ đơn vị.xlsx';
export const TEMPLATE_ASCII_FILENAME = 'mau-danh-ba-don-vi.xlsx';
export const TEMPLATE_SHEET = 'Đơn vị - Units';
const GUIDE_SHEET = 'Hướng dẫn - Guide';
/** Rows offered the kind drop-down (Excel data validation is per cell range). */
const VALIDATED_ROWS = 5_000;

const EXAMPLE: Record<UnitColumn, string> = {
  id: 'CDCS-0412',
  name: 'Công đoàn cơ sở Công ty CP May Đức Giang',
  kind: 'grassroots',
  parent_id: 'LDLD-TPBN',
  chair_name: 'Nguyễn Văn An',
  chair_email: 'annv@example.vn',
  officer_name: 'Trần Thị Bình',
  officer_email: 'binhtt@example.vn',
  language: 'vi',
  active_from: '2027-01-01',
  active_to: '',
  distribution: 'Lưu VT <vanthu@example.vn>',
  effective_from: '',
};

const isRequired = (c: UnitColumn) => (REQUIRED_COLUMNS as readonly string[]).includes(c);

export async function buildUnitTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'baocao';
  const sheet = workbook.addWorksheet(TEMPLATE_SHEET, { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.columns = UNIT_COLUMNS.map((c) => ({ key: c, width: Math.max(14, COLUMN_LABELS[c].vi.length + 4, c === 'name' || c === 'distribution' ? 40 : 0) }));
  const vi = sheet.addRow(UNIT_COLUMNS.map((c) => COLUMN_LABELS[c].vi));
  const en = sheet.addRow([...UNIT_COLUMNS]);
  vi.font = { bold: true };
  en.font = { italic: true, color: { argb: 'FF666666' } };
  UNIT_COLUMNS.forEach((c, i) => {
    const cell = vi.getCell(i + 1);
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: isRequired(c) ? 'FFFCE4B6' : 'FFE8EEF7' } };
    cell.note = `${isRequired(c) ? 'Bắt buộc / Required' : 'Không bắt buộc / Optional'}\n${COLUMN_LABELS[c].help.vi}\n${COLUMN_LABELS[c].help.en}`;
  });
  const kindColumn = sheet.getColumn('kind').letter;
  for (let row = 3; row <= VALIDATED_ROWS; row++) {
    sheet.getCell(`${kindColumn}${row}`).dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: [`"${UNIT_KINDS.join(',')}"`],
    };
  }

  const guide = workbook.addWorksheet(GUIDE_SHEET);
  guide.columns = [
    { header: 'Cột (tiếng Việt)', width: 26 },
    { header: 'Column (English)', width: 18 },
    { header: 'Bắt buộc / Required', width: 20 },
    { header: 'Nội dung', width: 60 },
    { header: 'Meaning', width: 60 },
    { header: 'Ví dụ / Example', width: 42 },
  ];
  guide.getRow(1).font = { bold: true };
  for (const c of UNIT_COLUMNS) {
    const l = COLUMN_LABELS[c];
    guide.addRow([l.vi, c, isRequired(c) ? 'có / yes' : 'không / no', l.help.vi, l.help.en, EXAMPLE[c]]);
  }
  guide.addRow([]);
  guide.addRow(['Nhập: baocao units import TỆP.xlsx — tất cả hoặc không có gì; mọi lỗi được báo theo dòng và cột.']);
  guide.addRow(['Import: baocao units import FILE.xlsx — all or nothing; every problem is reported by line and column.']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
