// The unit directory in the database: units, their parents over time, and the frozen tree of each cycle.
// Every function takes the database first; pass a transaction to make it part of a larger unit of work.
import { sql } from 'kysely';
import { z } from 'zod';
import type { LocalDate } from '../calendar/types';
import type { Db } from '../db/database';
import { localDateSchema } from '../calendar/dates';
import { todayLocal } from './dates';
import {
  CycleSnapshotConflictError,
  DirectoryInputError,
  InvalidReparentError,
  ParentChangeNeedsDateError,
  UnitNotActiveError,
  UnitNotInCycleError,
  UnknownUnitError,
} from './errors';
import { message } from './messages';
import { BATCH_SIZE, MAX_TREE_DEPTH, chunks, compareIds, isActiveOn, linkValidOn, toUnit, unitActiveOn } from './rows';
import { parentOn, withParentFrom } from './timeline';
import type { CycleUnitInfo, SnapshotResult, TreeNode, Unit, UnitInput, UnitKind, UnitRef, UpsertUnitsResult } from './types';
import { applyUnitUpserts, loadTimelines, planUnitUpserts, type WriteProgress } from './upsert';

/** Most children one `cycleChildren` call returns (a workflow starts at most this many per batch). */
export const MAX_CHILDREN_PAGE = 500;

function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

const localDate = localDateSchema;
const unitIdSchema = z.string().min(1).max(64);

/** Parses the input of a function activities call; a bad one is a typed, non-retryable error. */
function checked<S extends z.ZodType>(what: string, schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new DirectoryInputError(
      what,
      parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`),
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

// ── units ───────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Creates or updates units and their parent links, all or nothing. A new unit's link starts at
 * `parentEffectiveFrom ?? activeFrom`; an existing unit whose parent changes needs `parentEffectiveFrom`.
 * Throws `UnknownUnitError`, `InvalidReparentError` or `ParentChangeNeedsDateError` before writing anything.
 */
export async function upsertUnits(
  db: Db,
  units: readonly UnitInput[],
  options: { onProgress?: (p: WriteProgress) => void } = {},
): Promise<UpsertUnitsResult> {
  const seen = new Set<string>();
  for (const u of units) {
    if (seen.has(u.id)) throw new Error(`upsertUnits: unit ${u.id} appears twice in one call; pass each unit once.`);
    seen.add(u.id);
  }
  return inTransaction(db, async (trx) => {
    const plan = await planUnitUpserts(trx, units);
    const unknown = plan.issues.filter((i) => i.key === 'unknown_parent');
    if (unknown.length > 0) throw new UnknownUnitError([...new Set(unknown.map((i) => i.params.value ?? ''))]);
    const needDate = plan.issues.filter((i) => i.key === 'parent_change_needs_date');
    if (needDate.length > 0) throw new ParentChangeNeedsDateError(needDate.map((i) => i.unitId));
    const other = plan.issues[0];
    if (other) throw new InvalidReparentError(other.unitId, message(other.key, other.params));
    await applyUnitUpserts(trx, plan, options.onProgress);
    return plan.counts;
  });
}

async function unitsWithParents(db: Db, ids: readonly string[], asOf: LocalDate): Promise<Map<string, Unit>> {
  const out = new Map<string, Unit>();
  for (const part of chunks([...new Set(ids)])) {
    const rows = await db
      .selectFrom('units')
      .leftJoin('unit_parents', (join) =>
        join.onRef('unit_parents.unit_id', '=', 'units.id').on(linkValidOn(asOf)),
      )
      .selectAll('units')
      .select('unit_parents.parent_id')
      .where('units.id', 'in', part)
      .execute();
    for (const r of rows) out.set(r.id, toUnit(r, r.parent_id));
  }
  return out;
}

/** A unit with its parent on `asOf` (default: today in Asia/Ho_Chi_Minh); undefined when unknown. */
export async function getUnit(db: Db, id: string, asOf: LocalDate = todayLocal()): Promise<Unit | undefined> {
  return (await unitsWithParents(db, [id], asOf)).get(id);
}

/** Many units at once (e.g. the contacts for a mailing), in the order asked; unknown ids are left out. */
export async function getUnits(db: Db, ids: readonly string[], asOf: LocalDate = todayLocal()): Promise<Unit[]> {
  const found = await unitsWithParents(db, ids, asOf);
  return [...new Set(ids)].flatMap((id) => found.get(id) ?? []);
}

/** The units directly under a unit on a date, active on that date, ordered by id. */
export async function childrenOf(db: Db, unitId: string, asOf: LocalDate): Promise<Unit[]> {
  const rows = await db
    .selectFrom('unit_parents')
    .innerJoin('units', 'units.id', 'unit_parents.unit_id')
    .selectAll('units')
    .select('unit_parents.parent_id')
    .where('unit_parents.parent_id', '=', unitId)
    .where(linkValidOn(asOf))
    .where(unitActiveOn(asOf))
    .execute();
  return rows.map((r) => toUnit(r, r.parent_id)).sort((a, b) => compareIds(a.id, b.id));
}

/** The roots (kind `root`) active on a date, ordered by id. */
export async function rootsAsOf(db: Db, asOf: LocalDate): Promise<Unit[]> {
  const rows = await db.selectFrom('units').select('id').where('kind', '=', 'root').where(unitActiveOn(asOf)).execute();
  return getUnits(db, rows.map((r) => r.id).sort(compareIds), asOf);
}

// ── trees at a date ─────────────────────────────────────────────────────────────────────────────────────

interface WalkRow {
  id: string;
  parentId: string | null;
  kind: UnitKind;
}

/** The subtree under `rootId` on `asOf`, in one recursive query: active units linked on that date. */
async function walkTree(db: Db, rootId: string, asOf: LocalDate): Promise<WalkRow[]> {
  checked('tree', z.object({ rootId: unitIdSchema, asOf: localDate }), { rootId, asOf });
  const root = await db.selectFrom('units').select(['id', 'active_from', 'active_to']).where('id', '=', rootId).executeTakeFirst();
  if (!root) throw new UnknownUnitError([rootId]);
  if (!isActiveOn({ activeFrom: root.active_from, activeTo: root.active_to }, asOf)) throw new UnitNotActiveError(rootId, asOf);
  const rows = await db
    .withRecursive('tree(unit_id, parent_id, depth)', (qb) =>
      qb
        .selectFrom('units')
        .where('units.id', '=', rootId)
        .select(['units.id as unit_id', sql<string | null>`cast(null as text)`.as('parent_id'), sql<number>`0`.as('depth')])
        .unionAll((rec) =>
          rec
            // SQLite runs the recursive step once per queued row: CROSS JOIN keeps that row the outer loop,
            // so each step is an index search on unit_parents (PostgreSQL plans it as a plain inner join)
            .selectFrom('tree')
            .crossJoin('unit_parents')
            .innerJoin('units', 'units.id', 'unit_parents.unit_id')
            .whereRef('unit_parents.parent_id', '=', 'tree.unit_id')
            .where(linkValidOn(asOf))
            .where(unitActiveOn(asOf))
            // a corrupt cycle through the root would otherwise recurse forever
            .where('tree.depth', '<', MAX_TREE_DEPTH)
            .select(['unit_parents.unit_id', 'unit_parents.parent_id', sql<number>`tree.depth + 1`.as('depth')]),
        ),
    )
    .selectFrom('tree')
    .innerJoin('units', 'units.id', 'tree.unit_id')
    .select(['tree.unit_id', 'tree.parent_id', 'units.kind'])
    .execute();
  return rows.map((r) => ({ id: r.unit_id, parentId: r.parent_id, kind: r.kind }));
}

interface Placed<T> {
  row: T;
  parentId: string | null;
  depth: number;
  position: number;
  childCount: number;
}

/** Orders a tree depth-first, siblings by id, and numbers each unit's position among its siblings. */
function arrange<T extends { id: string; parentId: string | null }>(rows: readonly T[], rootId: string): Placed<T>[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const children = new Map<string, T[]>();
  for (const r of byId.values()) {
    if (r.id === rootId || !r.parentId) continue;
    const list = children.get(r.parentId);
    if (list) list.push(r);
    else children.set(r.parentId, [r]);
  }
  for (const list of children.values()) list.sort((a, b) => compareIds(a.id, b.id));
  const root = byId.get(rootId);
  if (!root) return [];
  const out: Placed<T>[] = [];
  const visited = new Set<string>();
  const stack: { row: T; parentId: string | null; depth: number; position: number }[] = [{ row: root, parentId: null, depth: 0, position: 0 }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (visited.has(top.row.id)) continue;
    visited.add(top.row.id);
    const kids = (children.get(top.row.id) ?? []).filter((k) => k.id !== rootId);
    out.push({ ...top, childCount: kids.length });
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ row: kids[i]!, parentId: top.row.id, depth: top.depth + 1, position: i });
  }
  return out;
}

/**
 * The tree under `rootId` (any unit, not only a root) as it was or will be on `asOf`: depth-first, siblings
 * ordered by id, each unit with its parent on that date. Throws if the unit is unknown or inactive then.
 */
export async function treeAsOf(db: Db, rootId: string, asOf: LocalDate): Promise<TreeNode[]> {
  const walked = await walkTree(db, rootId, asOf);
  const placed = arrange(walked, rootId);
  const units = await unitsWithParents(
    db,
    placed.map((p) => p.row.id),
    asOf,
  );
  return placed.map((p) => ({
    unit: { ...units.get(p.row.id)!, parentId: p.parentId ?? units.get(p.row.id)!.parentId },
    depth: p.depth,
    position: p.position,
    childCount: p.childCount,
  }));
}

/** Number of levels of the tree under `rootId` on `asOf`, the root included (root alone = 1). */
export async function treeDepth(db: Db, rootId: string, asOf: LocalDate): Promise<number> {
  const placed = arrange(await walkTree(db, rootId, asOf), rootId);
  return placed.reduce((max, p) => Math.max(max, p.depth + 1), 0);
}

// ── re-parenting ────────────────────────────────────────────────────────────────────────────────────────

/** The ancestors of a unit on a date, nearest first (stops at MAX_TREE_DEPTH). */
async function ancestorsOn(db: Db, unitId: string, date: LocalDate): Promise<string[]> {
  const chain: string[] = [];
  let current: string | null = unitId;
  while (current && chain.length < MAX_TREE_DEPTH) {
    const link = await db.selectFrom('unit_parents').select('parent_id').where('unit_id', '=', current).where(linkValidOn(date)).executeTakeFirst();
    current = link?.parent_id ?? null;
    if (current) chain.push(current);
  }
  return chain;
}

const reparentInput = z.object({ unitId: unitIdSchema, newParentId: unitIdSchema, effectiveFrom: localDate });

export interface ReparentResult {
  unitId: string;
  parentId: string;
  /** the parent the day the change takes effect, before it */
  previousParentId: string | null;
  effectiveFrom: LocalDate;
}

/**
 * From `effectiveFrom` on, `unitId` sits under `newParentId` (until a change already scheduled later, if any).
 * Back-dating is allowed: the directory's history changes, but cycles already started keep their frozen tree.
 */
export async function reparent(db: Db, unitId: string, newParentId: string, effectiveFrom: LocalDate): Promise<ReparentResult> {
  checked('reparent', reparentInput, { unitId, newParentId, effectiveFrom });
  return inTransaction(db, async (trx) => {
    const both = await unitsWithParents(trx, [unitId, newParentId], effectiveFrom);
    const unit = both.get(unitId);
    const parent = both.get(newParentId);
    const missing = [unitId, newParentId].filter((id) => !both.has(id));
    if (!unit || !parent) throw new UnknownUnitError(missing);
    const refuse = (vi: string, en: string) => new InvalidReparentError(unitId, { vi, en });
    if (unitId === newParentId) throw refuse('một đơn vị không thể là cha của chính nó', 'a unit cannot be its own parent');
    if (unit.kind === 'root') throw refuse('đơn vị gốc (root) không có đơn vị cha; đổi loại đơn vị trước', 'a root has no parent; change its kind first');
    if (parent.kind === 'grassroots') {
      const m = message('parent_is_grassroots', { value: newParentId });
      throw refuse(m.vi, m.en);
    }
    if (!isActiveOn(parent, effectiveFrom)) {
      throw refuse(
        `đơn vị cha ${newParentId} không hoạt động vào ngày ${effectiveFrom}`,
        `the new parent ${newParentId} is not active on ${effectiveFrom}`,
      );
    }
    const links = (await loadTimelines(trx, [unitId])).get(unitId) ?? [];
    const next = withParentFrom(links, newParentId, effectiveFrom);
    // The new link holds until the unit's next own change; within that span the parent's ancestry may
    // itself change, so check every date on which it does.
    const until = next.find((l) => l.validFrom === effectiveFrom || (l.validFrom < effectiveFrom && (l.validTo ?? '9999') > effectiveFrom))?.validTo ?? null;
    const checked = new Set<string>();
    const pending = [effectiveFrom];
    while (pending.length > 0) {
      const date = pending.pop()!;
      if (checked.has(date)) continue;
      checked.add(date);
      const chain = [newParentId, ...(await ancestorsOn(trx, newParentId, date))];
      if (chain.includes(unitId)) {
        const path = [unitId, ...chain.slice(0, chain.indexOf(unitId) + 1)].reverse().join(' → ');
        const m = message('cycle', { value: `${path} (${date})` });
        throw refuse(m.vi, m.en);
      }
      const changes = await loadTimelines(trx, chain);
      for (const list of changes.values()) {
        for (const l of list) if (l.validFrom > effectiveFrom && (until === null || l.validFrom < until)) pending.push(l.validFrom);
      }
    }
    await applyUnitUpserts(trx, { writes: [], timelines: [{ unitId, links: next }], counts: { created: 0, updated: 1, unchanged: 0 }, issues: [] });
    return { unitId, parentId: newParentId, previousParentId: parentOn(links, effectiveFrom), effectiveFrom };
  });
}

// ── cycle snapshots ─────────────────────────────────────────────────────────────────────────────────────

const snapshotInput = z.object({ cycleId: z.string().min(1).max(200), rootId: unitIdSchema, asOf: localDate });

/**
 * Freezes the tree under `rootId` as of `asOf` for a cycle. Idempotent: a second call for the same cycle
 * returns the counts of the first and writes nothing (a different root or date is a `CycleSnapshotConflictError`).
 */
export async function snapshotCycleTree(
  db: Db,
  input: { cycleId: string; rootId: string; asOf: LocalDate },
): Promise<SnapshotResult> {
  const { cycleId, rootId, asOf } = checked('snapshotCycleTree', snapshotInput, input);
  return inTransaction(db, async (trx) => {
    const previous = async (): Promise<SnapshotResult | undefined> => {
      const row = await trx.selectFrom('cycle_snapshots').selectAll().where('cycle_id', '=', cycleId).executeTakeFirst();
      if (!row) return undefined;
      if (row.root_id !== rootId || row.as_of !== asOf) {
        throw new CycleSnapshotConflictError(cycleId, { rootId: row.root_id, asOf: row.as_of }, { rootId, asOf });
      }
      return { units: Number(row.unit_count), depths: Number(row.depth_count) };
    };
    const before = await previous();
    if (before) return before;

    const placed = arrange(await walkTree(trx, rootId, asOf), rootId);
    const result: SnapshotResult = { units: placed.length, depths: placed.reduce((m, p) => Math.max(m, p.depth + 1), 0) };
    const header = await trx
      .insertInto('cycle_snapshots')
      .values({ cycle_id: cycleId, root_id: rootId, as_of: asOf, unit_count: result.units, depth_count: result.depths, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('cycle_id').doNothing())
      .executeTakeFirst();
    if (Number(header.numInsertedOrUpdatedRows ?? 0) === 0) return (await previous())!; // a concurrent call won
    for (const part of chunks(placed, BATCH_SIZE)) {
      await trx
        .insertInto('cycle_units')
        .values(
          part.map((p) => ({
            cycle_id: cycleId,
            unit_id: p.row.id,
            parent_id: p.parentId,
            kind: p.row.kind,
            depth: p.depth,
            position: p.position,
            child_count: p.childCount,
          })),
        )
        .execute();
    }
    return result;
  });
}

const childrenInput = z.object({
  cycleId: z.string().min(1),
  unitId: unitIdSchema,
  offset: z.number().int().min(0),
  limit: z.number().int().min(1).max(MAX_CHILDREN_PAGE),
});

/**
 * One page of the units directly under `unitId` in a cycle's frozen tree, in a stable order (by position).
 * Positions are dense (0…n-1), so a page is a range scan of the (cycle_id, parent_id, position) index.
 */
export async function cycleChildren(
  db: Db,
  input: { cycleId: string; unitId: string; offset: number; limit: number },
): Promise<UnitRef[]> {
  const { cycleId, unitId: parentId, offset, limit } = checked('cycleChildren', childrenInput, input);
  const rows = await db
    .selectFrom('cycle_units')
    .select(['unit_id', 'kind', 'child_count'])
    .where('cycle_id', '=', cycleId)
    .where('parent_id', '=', parentId)
    .where('position', '>=', offset)
    .where('position', '<', offset + limit)
    .orderBy('position')
    .execute();
  if (rows.length === 0) await cycleUnit(db, cycleId, parentId); // throws when the unit is not in the cycle
  return rows.map((r) => ({ id: r.unit_id, kind: r.kind, childCount: Number(r.child_count) }));
}

/** Where a unit sits in a cycle's frozen tree: its parent and grandparent (for escalations) and depth. */
export async function cycleUnit(db: Db, cycleId: string, unitId: string): Promise<CycleUnitInfo> {
  const row = await db
    .selectFrom('cycle_units as cu')
    .leftJoin('cycle_units as p', (join) => join.onRef('p.cycle_id', '=', 'cu.cycle_id').onRef('p.unit_id', '=', 'cu.parent_id'))
    .select(['cu.unit_id', 'cu.kind', 'cu.parent_id', 'cu.depth', 'cu.position', 'cu.child_count', 'p.parent_id as grandparent_id'])
    .where('cu.cycle_id', '=', cycleId)
    .where('cu.unit_id', '=', unitId)
    .executeTakeFirst();
  if (!row) throw new UnitNotInCycleError(cycleId, unitId);
  return {
    cycleId,
    id: row.unit_id,
    kind: row.kind,
    childCount: Number(row.child_count),
    parentId: row.parent_id,
    grandparentId: row.grandparent_id ?? null,
    depth: Number(row.depth),
    position: Number(row.position),
  };
}

/** A unit of a cycle's frozen tree as a workflow sees it (id, kind, number of children). */
export async function cycleUnitRef(db: Db, input: { cycleId: string; unitId: string }): Promise<UnitRef> {
  const info = await cycleUnit(db, input.cycleId, input.unitId);
  return { id: info.id, kind: info.kind, childCount: info.childCount };
}

/**
 * Every unit of a cycle's frozen tree under `unitId`, itself included, depth-first in snapshot order.
 * One recursive query over the (cycle_id, parent_id) index.
 */
export async function cycleSubtreeIds(db: Db, input: { cycleId: string; unitId: string }): Promise<string[]> {
  const { cycleId, unitId: top } = input;
  const rows = await db
    .withRecursive('sub(unit_id, parent_id, position)', (qb) =>
      qb
        .selectFrom('cycle_units')
        .where('cycle_id', '=', cycleId)
        .where('unit_id', '=', top)
        .select(['unit_id', 'parent_id', 'position'])
        .unionAll((rec) =>
          rec
            // as in walkTree: the queued row stays the outer loop, each step an index search
            .selectFrom('sub')
            .crossJoin('cycle_units')
            .whereRef('cycle_units.parent_id', '=', 'sub.unit_id')
            .where('cycle_units.cycle_id', '=', cycleId)
            .select(['cycle_units.unit_id', 'cycle_units.parent_id', 'cycle_units.position']),
        ),
    )
    .selectFrom('sub')
    .select(['unit_id', 'parent_id', 'position'])
    .execute();
  if (rows.length === 0) throw new UnitNotInCycleError(cycleId, top);
  const children = new Map<string, { id: string; position: number }[]>();
  for (const r of rows) {
    if (r.unit_id === top || !r.parent_id) continue;
    const kid = { id: r.unit_id, position: Number(r.position) };
    const list = children.get(r.parent_id);
    if (list) list.push(kid);
    else children.set(r.parent_id, [kid]);
  }
  const out: string[] = [];
  const stack = [top];
  while (stack.length > 0) {
    const id = stack.pop()!;
    out.push(id);
    const kids = (children.get(id) ?? []).sort((a, b) => b.position - a.position);
    for (const k of kids) stack.push(k.id);
  }
  return out;
}

// ── contacts ────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The units active on `asOf` whose officer or chair has this address (case-insensitive, surrounding spaces
 * ignored), each with its parent on that date, ordered by id. A blank address matches nothing (units without
 * a chair address store ''). The web app's staff rights start here.
 */
export async function unitsByContactEmail(db: Db, email: string, asOf: LocalDate): Promise<Unit[]> {
  const date = checked('unitsByContactEmail', localDate, asOf);
  const address = email.trim().toLowerCase();
  if (!address) return [];
  const rows = await contactEmailQuery(db, address, date).execute();
  return getUnits(db, rows.map((r) => r.id).sort(compareIds), date);
}

/**
 * The ids of the units active on `date` whose officer or chair is `address` (already lower-case). Every staff
 * request runs it: `lower(column) = ?` is exactly the expression of the indexes of migration 0008, so it is an
 * index lookup on SQLite and PostgreSQL, not a scan of a national directory.
 */
export function contactEmailQuery(db: Db, address: string, date: LocalDate) {
  return db
    .selectFrom('units')
    .select('id')
    .where((eb) => eb.or([eb(sql<string>`lower(officer_email)`, '=', address), eb(sql<string>`lower(chair_email)`, '=', address)]))
    .where(unitActiveOn(date));
}
