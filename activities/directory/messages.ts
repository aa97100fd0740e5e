// Every message a clerk may read about a unit or an import row, in Vietnamese and English.
// Keys double as zod error messages (see import-rows.ts), so a validation failure maps to exactly one text.

export interface Bilingual {
  vi: string;
  en: string;
}

export interface MessageParams {
  value?: string;
  other?: string;
  line?: number;
  list?: string[];
}

const q = (v: string | undefined) => `"${v ?? ''}"`;
const ids = (list: string[] | undefined) => {
  const l = list ?? [];
  return l.slice(0, 5).join(', ') + (l.length > 5 ? ` (+${l.length - 5})` : '');
};

export const MESSAGES = {
  required: () => ({ vi: 'Thiếu giá trị bắt buộc', en: 'A value is required' }),
  bad_id: (p) => ({
    vi: `Mã đơn vị ${q(p.value)} không hợp lệ: chỉ dùng chữ không dấu, số và . _ - (tối đa 64 ký tự; không dùng __proto__)`,
    en: `Unit id ${q(p.value)} is invalid: use letters without diacritics, digits and . _ - (64 characters at most; not __proto__)`,
  }),
  too_long: (p) => ({ vi: `Quá dài (tối đa ${p.other} ký tự)`, en: `Too long (at most ${p.other} characters)` }),
  bad_kind: (p) => ({
    vi: `Loại đơn vị ${q(p.value)} không hợp lệ: dùng root (cấp tỉnh/gốc), intermediate (cấp trên cơ sở) hoặc grassroots (công đoàn cơ sở)`,
    en: `Unknown kind ${q(p.value)}: use root, intermediate or grassroots`,
  }),
  bad_email: (p) => ({ vi: `Email ${q(p.value)} không hợp lệ`, en: `Invalid email ${q(p.value)}` }),
  bad_language: (p) => ({
    vi: `Ngôn ngữ ${q(p.value)} không hợp lệ: dùng vi hoặc en`,
    en: `Unknown language ${q(p.value)}: use vi or en`,
  }),
  bad_date: (p) => ({
    vi: `Ngày ${q(p.value)} không hợp lệ: viết YYYY-MM-DD hoặc DD/MM/YYYY`,
    en: `Invalid date ${q(p.value)}: write YYYY-MM-DD or DD/MM/YYYY`,
  }),
  bad_distribution: (p) => ({
    vi: `Nơi nhận ${q(p.value)} không hợp lệ: viết "Tên <email>; Tên 2 <email2>"`,
    en: `Invalid distribution entry ${q(p.value)}: write "Name <email>; Name 2 <email2>"`,
  }),
  active_to_before_from: (p) => ({
    vi: `Ngày kết thúc ${p.value} trước ngày bắt đầu hoạt động ${p.other}`,
    en: `End date ${p.value} is before the start date ${p.other}`,
  }),
  effective_before_active: (p) => ({
    vi: `Ngày hiệu lực ${p.value} trước ngày bắt đầu hoạt động ${p.other} của đơn vị`,
    en: `Effective date ${p.value} is before the unit's start date ${p.other}`,
  }),
  root_with_parent: (p) => ({
    vi: `Đơn vị gốc (root) không có đơn vị cha, nhưng ghi ${q(p.value)}: xoá parent_id hoặc đổi loại đơn vị`,
    en: `A root has no parent, but ${q(p.value)} is given: clear parent_id or change the kind`,
  }),
  parent_required: () => ({
    vi: 'Đơn vị không phải root phải có đơn vị cha (parent_id)',
    en: 'Every unit other than a root needs a parent (parent_id)',
  }),
  duplicate_id: (p) => ({
    vi: `Mã đơn vị ${q(p.value)} bị trùng với dòng ${p.line}`,
    en: `Duplicate unit id ${q(p.value)}, first used on line ${p.line}`,
  }),
  unknown_parent: (p) => ({
    vi: `Không tìm thấy đơn vị cha ${q(p.value)} trong tệp cũng như trong danh bạ`,
    en: `Parent ${q(p.value)} is neither in the file nor in the directory`,
  }),
  parent_is_grassroots: (p) => ({
    vi: `Đơn vị cha ${q(p.value)} là công đoàn cơ sở (grassroots) nên không thể có đơn vị trực thuộc`,
    en: `Parent ${q(p.value)} is a grassroots union, which cannot have units under it`,
  }),
  cycle: (p) => ({
    vi: `Vòng lặp trong cây đơn vị: ${p.value}`,
    en: `Cycle in the unit tree: ${p.value}`,
  }),
  parent_change_needs_date: (p) => ({
    vi: `Đơn vị cha đổi từ ${q(p.value)} sang ${q(p.other)}: ghi ngày hiệu lực vào effective_from`,
    en: `The parent changes from ${q(p.value)} to ${q(p.other)}: put the date it takes effect in effective_from`,
  }),
  grassroots_has_children: (p) => ({
    vi: `Công đoàn cơ sở (grassroots) không thể có đơn vị trực thuộc, nhưng đang có: ${ids(p.list)}`,
    en: `A grassroots union cannot have units under it, but it has: ${ids(p.list)}`,
  }),
  missing_column: (p) => ({
    vi: `Thiếu cột ${q(p.value)}${p.other ? ` (${p.other})` : ''}: thêm cột này vào dòng tiêu đề (xem baocao units template)`,
    en: `Missing column ${q(p.value)}${p.other ? ` (${p.other})` : ''}: add it to the header row (see baocao units template)`,
  }),
  duplicate_column: (p) => ({ vi: `Cột ${q(p.value)} xuất hiện hai lần`, en: `Column ${q(p.value)} appears twice` }),
  wrong_field_count: (p) => ({
    vi: `Dòng có ${p.value} ô nhưng tiêu đề có ${p.other} cột (thiếu dấu ngoặc kép quanh ô có dấu phẩy?)`,
    en: `The row has ${p.value} fields but the header has ${p.other} columns (a comma in an unquoted field?)`,
  }),
  not_an_object: () => ({ vi: 'Phần tử không phải là một đối tượng JSON', en: 'The item is not a JSON object' }),
  not_a_list: () => ({
    vi: 'Tệp JSON phải là một mảng đơn vị (hoặc { "units": [...] })',
    en: 'The JSON file must be an array of units (or { "units": [...] })',
  }),
  bad_json: (p) => ({ vi: `Tệp JSON không đọc được: ${p.value}`, en: `The JSON file cannot be read: ${p.value}` }),
  bad_csv: (p) => ({ vi: `Tệp CSV không đọc được: ${p.value}`, en: `The CSV file cannot be read: ${p.value}` }),
  bad_xlsx: (p) => ({ vi: `Tệp Excel không đọc được: ${p.value}`, en: `The Excel file cannot be read: ${p.value}` }),
  not_utf8: () => ({
    vi: 'Tệp không phải UTF-8: trong Excel chọn Lưu thành "CSV UTF-8 (Comma delimited)"',
    en: 'The file is not UTF-8: in Excel use Save As "CSV UTF-8 (Comma delimited)"',
  }),
  no_rows: () => ({ vi: 'Tệp không có đơn vị nào', en: 'The file has no units' }),
} satisfies Record<string, (p: MessageParams) => Bilingual>;

export type MessageKey = keyof typeof MESSAGES;

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(MESSAGES, key);
}

export function message(key: MessageKey, params: MessageParams = {}): Bilingual {
  return MESSAGES[key](params);
}
