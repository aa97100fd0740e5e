// The columns of a unit import file (CSV header, first spreadsheet row, JSON keys). One row per unit.
// A header is the column's English name (`chair_email`, also `Chair Email`) or its Vietnamese label
// (`Email chủ tịch`, also typed without diacritics: `Email chu tich`); the template has both rows.

/** Columns a file must have (a root's parent_id cell stays empty). */
export const REQUIRED_COLUMNS = [
  'id',
  'name',
  'kind',
  'parent_id',
  'chair_name',
  'chair_email',
  'officer_name',
  'officer_email',
] as const;

/** Columns a file may leave out; their defaults are in COLUMN_DEFAULTS and examples/README.md. */
export const OPTIONAL_COLUMNS = ['language', 'active_from', 'active_to', 'distribution', 'effective_from'] as const;

/** In the order the sample files and the template use. */
export const UNIT_COLUMNS = [
  'id',
  'name',
  'kind',
  'parent_id',
  'chair_name',
  'chair_email',
  'officer_name',
  'officer_email',
  'language',
  'active_from',
  'active_to',
  'distribution',
  'effective_from',
] as const;

export type UnitColumn = (typeof UNIT_COLUMNS)[number];

export interface ColumnLabel {
  /** the header of the template's Vietnamese row */
  vi: string;
  /** other Vietnamese headers people use for it */
  viAlso: string[];
  /** what goes in it, for the template's guide sheet */
  help: { vi: string; en: string };
}

export const COLUMN_LABELS: Record<UnitColumn, ColumnLabel> = {
  id: {
    vi: 'Mã đơn vị',
    viAlso: ['Mã', 'Mã ĐV'],
    help: { vi: 'Mã cố định: chữ không dấu, số, . _ - (tối đa 64)', en: 'Stable id: letters without diacritics, digits, . _ - (≤ 64)' },
  },
  name: { vi: 'Tên đơn vị', viAlso: ['Tên'], help: { vi: 'Tên đầy đủ, có dấu', en: 'Full Vietnamese name with diacritics' } },
  kind: {
    vi: 'Loại',
    viAlso: ['Loại đơn vị'],
    help: {
      vi: 'root (gốc), intermediate (cấp trên cơ sở) hoặc grassroots (công đoàn cơ sở)',
      en: 'root, intermediate or grassroots (also: gốc, cấp trên cơ sở, cơ sở)',
    },
  },
  parent_id: {
    vi: 'Cấp trên',
    viAlso: ['Mã cấp trên', 'Đơn vị cấp trên', 'Mã đơn vị cấp trên'],
    help: { vi: 'Mã đơn vị cấp trên (để trống với đơn vị gốc)', en: 'Id of the parent unit (empty for a root)' },
  },
  chair_name: { vi: 'Họ tên chủ tịch', viAlso: ['Chủ tịch'], help: { vi: 'Chủ tịch công đoàn', en: 'The chair' } },
  chair_email: { vi: 'Email chủ tịch', viAlso: [], help: { vi: 'Email của chủ tịch', en: "The chair's email" } },
  officer_name: {
    vi: 'Họ tên cán bộ phụ trách',
    viAlso: ['Cán bộ phụ trách'],
    help: { vi: 'Cán bộ nhận nhiệm vụ và nộp báo cáo', en: 'The officer who receives tasks and submits' },
  },
  officer_email: { vi: 'Email cán bộ phụ trách', viAlso: [], help: { vi: 'Email của cán bộ phụ trách', en: "The officer's email" } },
  language: { vi: 'Ngôn ngữ', viAlso: [], help: { vi: 'vi hoặc en (mặc định vi)', en: 'vi or en (default vi)' } },
  active_from: {
    vi: 'Hiệu lực từ',
    viAlso: ['Ngày thành lập', 'Hoạt động từ'],
    help: {
      vi: 'Ngày bắt đầu hoạt động, YYYY-MM-DD hoặc DD/MM/YYYY (mặc định: ngày nhập lần đầu)',
      en: 'First day, YYYY-MM-DD or DD/MM/YYYY (default: the day the unit is first imported)',
    },
  },
  active_to: {
    vi: 'Hiệu lực đến',
    viAlso: ['Hoạt động đến', 'Ngày giải thể'],
    help: { vi: 'Ngày cuối cùng hoạt động (để trống nếu còn hoạt động)', en: 'Last day (empty while active)' },
  },
  distribution: {
    vi: 'Nơi nhận',
    viAlso: [],
    help: { vi: 'Tên <email>; Tên 2 <email2> (không bắt buộc)', en: 'Name <email>; Name 2 <email2> (optional)' },
  },
  effective_from: {
    vi: 'Cấp trên từ ngày',
    viAlso: ['Ngày chuyển cấp trên'],
    help: { vi: 'Ngày đổi cấp trên có hiệu lực (khi đổi Cấp trên)', en: 'The day a new parent takes effect (re-parenting)' },
  },
};

/** `Chair Email ` → `chair_email`: headers as people type them. */
export function normaliseHeader(text: string): string {
  return text.normalize('NFC').trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** Without diacritics (đ → d too): `Họ tên chủ tịch` → `ho ten chu tich`. */
export function stripDiacritics(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC');
}

const vnKey = (label: string) => normaliseHeader(label);

/** Vietnamese labels with their diacritics, then the same labels without them (second-best match). */
const BY_VIETNAMESE = new Map<string, UnitColumn>();
const BY_PLAIN = new Map<string, UnitColumn>();
for (const column of UNIT_COLUMNS) {
  const { vi, viAlso } = COLUMN_LABELS[column];
  for (const label of [vi, ...viAlso]) {
    BY_VIETNAMESE.set(vnKey(label), column);
    BY_PLAIN.set(stripDiacritics(vnKey(label)), column);
  }
}
const ENGLISH = new Set<string>(UNIT_COLUMNS);

/**
 * The column a header names, or its normalised text when it names none (an ignored column). Exact
 * Vietnamese wins over the diacritic-free reading, so two labels that differ only in diacritics stay apart.
 */
export function columnOfHeader(text: string): string {
  const n = normaliseHeader(text);
  if (ENGLISH.has(n)) return n;
  return BY_VIETNAMESE.get(n) ?? BY_PLAIN.get(stripDiacritics(n)) ?? n;
}

/** Vietnamese words for the kinds, as a secretariat's own sheet may have them. */
const KIND_WORDS: Record<string, 'root' | 'intermediate' | 'grassroots'> = {
  gốc: 'root',
  'cấp tỉnh': 'root',
  'cấp trên cơ sở': 'intermediate',
  'công đoàn cấp trên cơ sở': 'intermediate',
  'cơ sở': 'grassroots',
  'công đoàn cơ sở': 'grassroots',
  cđcs: 'grassroots',
};
const KIND_PLAIN = new Map(Object.entries(KIND_WORDS).map(([w, k]) => [stripDiacritics(w), k]));

/** `Công đoàn cơ sở` → `grassroots`; anything else is returned lower-cased for the kind check to judge. */
export function kindOfCell(text: string): string {
  const t = text.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');
  return KIND_WORDS[t] ?? KIND_PLAIN.get(stripDiacritics(t)) ?? t;
}
