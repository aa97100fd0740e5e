// The columns of a unit import file (CSV header, first spreadsheet row, JSON keys). One row per unit.

export const REQUIRED_COLUMNS = [
  'id',
  'name',
  'kind',
  'parent_id',
  'chair_name',
  'chair_email',
  'officer_name',
  'officer_email',
  'active_from',
] as const;

export const OPTIONAL_COLUMNS = ['language', 'active_to', 'distribution', 'effective_from'] as const;

/** In the order the sample files use. */
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

/** `Chair Email ` → `chair_email`: headers as people type them. */
export function normaliseHeader(text: string): string {
  return text.normalize('NFC').trim().toLowerCase().replace(/[\s-]+/g, '_');
}
