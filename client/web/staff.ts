// Who a signed-in staff member is and what they may see. A staff member is an address that the directory lists
// as a unit's officer or chair; they see that unit and every unit below it (the root's staff is the
// secretariat, so it sees everything). Rights are recomputed from the directory on every request: removing an
// address from the directory removes its access at once.
import type { Db } from '../../activities/db/database';
import { todayLocal } from '../../activities/directory/dates';
import { unitsByContactEmail } from '../../activities/directory/repository';
import type { Unit } from '../../activities/directory/types';
import type { CycleTree } from './tree';

export interface Staff {
  email: string;
  /** active units whose officer or chair this address is */
  units: Unit[];
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The units whose officer or chair this address is, active today: what the staff member may see. */
export async function staffUnits(db: Db, email: string, today = todayLocal()): Promise<Unit[]> {
  return unitsByContactEmail(db, normalizeEmail(email), today);
}

export interface CycleSummary {
  cycleId: string;
  rootId: string;
  asOf: string;
  unitCount: number;
  createdAt: string;
}

/** Cycles whose frozen tree contains one of the staff member's units, newest first. */
export async function staffCycles(db: Db, staff: Staff): Promise<CycleSummary[]> {
  const ids = staff.units.map((u) => u.id);
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('cycle_snapshots')
    .select(['cycle_id', 'root_id', 'as_of', 'unit_count', 'created_at'])
    .where('cycle_id', 'in', (eb) => eb.selectFrom('cycle_units').select('cycle_id').where('unit_id', 'in', ids))
    .orderBy('created_at', 'desc')
    .orderBy('cycle_id')
    .execute();
  return rows.map((r) => ({ cycleId: r.cycle_id, rootId: r.root_id, asOf: r.as_of, unitCount: Number(r.unit_count), createdAt: r.created_at }));
}

/** The staff member's units in this cycle that are not below another of their units (where their view starts). */
export function topUnits(tree: CycleTree, staff: Staff): string[] {
  const mine = staff.units.map((u) => u.id).filter((id) => tree.node(id));
  return mine.filter((id) => !mine.some((other) => other !== id && tree.isWithin(id, other)));
}

export function canSee(tree: CycleTree, staff: Staff, unitId: string): boolean {
  return staff.units.some((u) => tree.isWithin(unitId, u.id));
}

/** The unit on whose behalf this staff member may review `unitId` (its direct supervisor), if any. */
export function reviewerFor(tree: CycleTree, staff: Staff, unitId: string): string | undefined {
  const parent = tree.node(unitId)?.parentId;
  return parent && staff.units.some((u) => u.id === parent) ? parent : undefined;
}

/** The unit on whose behalf this staff member may extend `unitId`'s deadlines: its supervisor or the secretariat. */
export function extenderFor(tree: CycleTree, staff: Staff, unitId: string): string | undefined {
  const parent = tree.node(unitId)?.parentId;
  if (!parent) return undefined;
  if (staff.units.some((u) => u.id === parent)) return parent;
  return staff.units.some((u) => u.id === tree.rootId) ? tree.rootId : undefined;
}

/** Root units whose secretariat this staff member is: the cycles they may start. */
export function secretariatRoots(staff: Staff): Unit[] {
  return staff.units.filter((u) => u.kind === 'root');
}
