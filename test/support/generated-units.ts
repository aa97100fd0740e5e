// One unit of a generated directory (benchmarks, drills, soak): contacts at congdoan.example derived from the
// id, Vietnamese, active since 2020; the root's aggregate goes to the national confederation's address.
import type { UnitInput } from '../../activities/directory/types';

const contact = (who: string, id: string) => ({ name: `${who} ${id}`, email: `${id.toLowerCase()}@congdoan.example` });

export function generatedUnit(id: string, name: string, kind: UnitInput['kind'], parentId: string | null): UnitInput {
  return {
    id,
    name,
    kind,
    parentId,
    chair: contact('Chủ tịch', `chair-${id}`),
    officer: contact('Cán bộ Tuyên giáo', id),
    language: 'vi',
    activeFrom: '2020-01-01',
    activeTo: null,
    distribution: kind === 'root' ? [contact('Tổng Liên đoàn Lao động Việt Nam', 'tld')] : [],
  };
}

// ---- a directory of the national shape (bench:scale) ----

/** Provincial federations since the 2025 merger, and national sector unions: the level below the confederation. */
export const NATIONAL_PROVINCES = 34;
export const NATIONAL_SECTORS = 20;
/** Upper-level unions directly above grassroots in the whole country (at NATIONAL_UNITS units). */
export const NATIONAL_UPPER_LEVEL = 700;
export const NATIONAL_UNITS = 130_000;

export interface NationalShape {
  provinces: number;
  sectors: number;
  /** upper-level unions directly above grassroots, spread evenly over the provinces and sectors */
  upperLevel: number;
  grassroots: number;
}

/**
 * The national tree scaled to N units: always the root, 34 provinces and 20 sector unions; the upper-level
 * unions in the national proportion (700 at 130,000) but at least one per province or sector, so every level
 * exists at any N (2,000 → 54, 40,000 → 215); the rest grassroots, spread evenly (≈ 185 per upper-level union
 * from 10,000 units on, as in the country; 35 at 2,000).
 */
export function nationalShape(n: number): NationalShape {
  const top = NATIONAL_PROVINCES + NATIONAL_SECTORS;
  const upperLevel = Math.min(NATIONAL_UPPER_LEVEL, Math.max(top, Math.round((n * NATIONAL_UPPER_LEVEL) / NATIONAL_UNITS)));
  const grassroots = n - 1 - top - upperLevel;
  if (!Number.isInteger(n) || grassroots < upperLevel) throw new Error(`a national tree needs at least ${1 + top + 2 * top} units (one grassroots union under each upper-level union), not ${n}`);
  return { provinces: NATIONAL_PROVINCES, sectors: NATIONAL_SECTORS, upperLevel, grassroots };
}

/**
 * The units of the national tree, parents before their children, one at a time (the import bench writes 130,000
 * rows without holding them). Ids: the root (`TLD-BENCH` unless named), provinces `LDLD-P01…`, sectors
 * `CDN-S01…`, upper-level `CDCT-0001…`, grassroots `CDCS-000001…`.
 */
export function* nationalTree(n: number, rootId = 'TLD-BENCH'): Generator<UnitInput> {
  const shape = nationalShape(n);
  const pad = (i: number, width: number) => String(i + 1).padStart(width, '0');
  yield generatedUnit(rootId, 'Tổng Liên đoàn Lao động Việt Nam (thử nghiệm)', 'root', null);
  const top: string[] = [];
  for (let i = 0; i < shape.provinces; i++) {
    top.push(`LDLD-P${pad(i, 2)}`);
    yield generatedUnit(top.at(-1)!, `Liên đoàn Lao động tỉnh Thử Nghiệm ${i + 1}`, 'intermediate', rootId);
  }
  for (let i = 0; i < shape.sectors; i++) {
    top.push(`CDN-S${pad(i, 2)}`);
    yield generatedUnit(top.at(-1)!, `Công đoàn ngành Trung ương Số ${i + 1}`, 'intermediate', rootId);
  }
  const upper: string[] = [];
  for (let i = 0; i < shape.upperLevel; i++) {
    upper.push(`CDCT-${pad(i, 4)}`);
    yield generatedUnit(upper.at(-1)!, `Công đoàn cấp trên trực tiếp cơ sở Số ${i + 1}`, 'intermediate', top[i % top.length]!);
  }
  for (let i = 0; i < shape.grassroots; i++) {
    yield generatedUnit(`CDCS-${pad(i, 6)}`, `Công đoàn cơ sở Công ty Cổ phần Dệt may Số ${i + 1}`, 'grassroots', upper[i % upper.length]!);
  }
}

/** The whole national tree as a list (bench:scale). */
export function nationalUnits(n: number, rootId = 'TLD-BENCH'): UnitInput[] {
  return [...nationalTree(n, rootId)];
}
