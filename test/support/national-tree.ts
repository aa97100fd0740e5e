// A generated directory with the national shape (issue 14): one root (the confederation); 34 provincial
// federations (the number since the 2025 merger) and about 20 national sector unions below it; about 700
// upper-level unions directly above grassroots, spread over those; the rest grassroots, spread over the
// upper-level unions. Smaller sizes keep the proportions (benchmarks, the import tests).
import type { UnitInput } from '../../activities/directory/types';
import { generatedUnit } from './generated-units';

export const NATIONAL_UNITS = 130_000;
export const PROVINCIAL_FEDERATIONS = 34;
export const SECTOR_UNIONS = 20;
export const UPPER_LEVEL_UNIONS = 700;

export interface NationalShape {
  /** provincial federations and national sector unions, directly below the root */
  second: number;
  /** upper-level unions directly above grassroots */
  upper: number;
  grassroots: number;
}

/** The number of units of each level for `units` in all (at least 100). */
export function nationalShape(units: number): NationalShape {
  if (!Number.isInteger(units) || units < 100) throw new Error(`a national tree needs at least 100 units, not ${units}`);
  const second = PROVINCIAL_FEDERATIONS + SECTOR_UNIONS;
  const upper = Math.max(1, Math.round((units * UPPER_LEVEL_UNIONS) / NATIONAL_UNITS));
  return { second, upper, grassroots: units - 1 - second - upper };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The units of the tree, parents before their children, without holding the whole tree in memory. */
export function* nationalTree(units: number): Generator<UnitInput> {
  const shape = nationalShape(units);
  const rootId = 'TLD';
  yield generatedUnit(rootId, 'Tổng Liên đoàn Lao động Việt Nam', 'root', null);
  const secondIds: string[] = [];
  for (let i = 1; i <= shape.second; i++) {
    const province = i <= PROVINCIAL_FEDERATIONS;
    const id = province ? `LDLD-${pad(i, 2)}` : `CDN-${pad(i - PROVINCIAL_FEDERATIONS, 2)}`;
    secondIds.push(id);
    yield generatedUnit(id, province ? `Liên đoàn Lao động tỉnh số ${i}` : `Công đoàn ngành Trung ương số ${i - PROVINCIAL_FEDERATIONS}`, 'intermediate', rootId);
  }
  const upperIds: string[] = [];
  for (let i = 0; i < shape.upper; i++) {
    const id = `CDCT-${pad(i + 1, 4)}`;
    upperIds.push(id);
    yield generatedUnit(id, `Công đoàn cấp trên cơ sở số ${i + 1}`, 'intermediate', secondIds[i % secondIds.length]!);
  }
  for (let i = 0; i < shape.grassroots; i++) {
    yield generatedUnit(`CDCS-${pad(i + 1, 6)}`, `Công đoàn cơ sở Công ty số ${i + 1}`, 'grassroots', upperIds[i % upperIds.length]!);
  }
}

/** The plain sheet's columns (examples/plain-units.csv), in its order. */
export const PLAIN_COLUMNS = ['id', 'name', 'kind', 'parent_id', 'chair_name', 'chair_email', 'officer_name', 'officer_email'] as const;

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** One CSV line of the plain sheet for a unit. */
export function plainCsvLine(u: UnitInput): string {
  return [u.id, u.name, u.kind, u.parentId ?? '', u.chair.name, u.chair.email, u.officer.name, u.officer.email].map(csvCell).join(',');
}
