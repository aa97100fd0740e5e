// The plain sheet (examples/plain-units.csv) of a generated directory, one CSV line per unit: what the import
// bench and the national-size import tests feed to `units import`. The tree itself: nationalTree in
// test/support/generated-units.ts (one generator of the national shape for every bench and test).
import type { UnitInput } from '../../activities/directory/types';

/** The plain sheet's columns (examples/plain-units.csv), in its order. */
export const PLAIN_COLUMNS = ['id', 'name', 'kind', 'parent_id', 'chair_name', 'chair_email', 'officer_name', 'officer_email'] as const;

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** One CSV line of the plain sheet for a unit. */
export function plainCsvLine(u: UnitInput): string {
  return [u.id, u.name, u.kind, u.parentId ?? '', u.chair.name, u.chair.email, u.officer.name, u.officer.email].map(csvCell).join(',');
}
