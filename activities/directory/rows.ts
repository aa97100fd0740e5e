// Mapping between `units` rows and `Unit`, and the SQL conditions every directory query shares.
import { type ExpressionBuilder, type Insertable, type Selectable } from 'kysely';
import type { LocalDate } from '../calendar/types';
import type { Database, UnitsTable } from '../db/schema';
import type { Contact, Unit } from './types';

/** Rows per INSERT and ids per `IN (…)`: far below SQLite's and PostgreSQL's bound-parameter limits. */
export const BATCH_SIZE = 500;

/** Guard for tree walks in SQL: deeper than any real organisation, so a corrupt cycle cannot loop forever. */
export const MAX_TREE_DEPTH = 32;

export function chunks<T>(items: readonly T[], size = BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function toUnit(row: Selectable<UnitsTable>, parentId: string | null): Unit {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    parentId,
    chair: { name: row.chair_name, email: row.chair_email },
    officer: { name: row.officer_name, email: row.officer_email },
    language: row.language,
    activeFrom: row.active_from,
    activeTo: row.active_to,
    distribution: JSON.parse(row.distribution) as Contact[],
  };
}

/** The row of a unit, minus the timestamps. */
export type UnitFields = Omit<Insertable<UnitsTable>, 'created_at' | 'updated_at'>;

export function toFields(unit: Unit): UnitFields {
  return {
    id: unit.id,
    name: unit.name,
    kind: unit.kind,
    chair_name: unit.chair.name,
    chair_email: unit.chair.email,
    officer_name: unit.officer.name,
    officer_email: unit.officer.email,
    language: unit.language,
    active_from: unit.activeFrom,
    active_to: unit.activeTo,
    distribution: JSON.stringify(unit.distribution.map((c) => ({ name: c.name, email: c.email }))),
  };
}

export function sameFields(a: UnitFields, b: Selectable<UnitsTable>): boolean {
  return (Object.keys(a) as (keyof UnitFields)[]).every((k) => (a[k] ?? null) === (b[k] ?? null));
}

/** `units` row active on a date (active_to is inclusive). */
export function unitActiveOn(date: LocalDate) {
  return (eb: ExpressionBuilder<Database, 'units'>) =>
    eb.and([
      eb('units.active_from', '<=', date),
      eb.or([eb('units.active_to', 'is', null), eb('units.active_to', '>=', date)]),
    ]);
}

export function isActiveOn(unit: Pick<Unit, 'activeFrom' | 'activeTo'>, date: LocalDate): boolean {
  return unit.activeFrom <= date && (unit.activeTo === null || date <= unit.activeTo);
}

/** `unit_parents` link valid on a date (valid_to is exclusive). */
export function linkValidOn(date: LocalDate) {
  return (eb: ExpressionBuilder<Database, 'unit_parents'>) =>
    eb.and([
      eb('unit_parents.valid_from', '<=', date),
      eb.or([eb('unit_parents.valid_to', 'is', null), eb('unit_parents.valid_to', '>', date)]),
    ]);
}

/** Plain code-unit order: the same on every machine and database, unlike collations. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
