// Creating and updating many units at once, in two steps so that an import can report every problem with
// its line before anything is written: `planUnitUpserts` reads and checks, `applyUnitUpserts` writes.
import type { Selectable } from 'kysely';
import type { Db } from '../db/database';
import type { UnitsTable } from '../db/schema';
import type { MessageKey, MessageParams } from './messages';
import { chunks, compareIds, sameFields, toFields, type UnitFields } from './rows';
import { latestParent, parentOn, sameTimeline, withParentFrom, type ParentLink } from './timeline';
import type { UnitInput, UnitKind, UpsertUnitsResult } from './types';

/** A structural problem with one input unit. */
export interface PlanIssue {
  unitId: string;
  field: 'parent_id' | 'kind' | 'effective_from';
  key: MessageKey;
  params: MessageParams;
}

export interface UpsertPlan {
  /** rows to insert or update (created and changed units) */
  writes: UnitFields[];
  /** units whose parent timeline is replaced */
  timelines: { unitId: string; links: ParentLink[] }[];
  counts: UpsertUnitsResult;
  issues: PlanIssue[];
}

export interface PlanOptions {
  /**
   * Units elsewhere in the same input that were left out (rows that failed validation), with their kind
   * when it could be read: they count as existing parents, so their children get no false "unknown parent".
   */
  alsoPresent?: ReadonlyMap<string, UnitKind | undefined>;
}

async function loadUnits(db: Db, ids: readonly string[]): Promise<Map<string, Selectable<UnitsTable>>> {
  const out = new Map<string, Selectable<UnitsTable>>();
  for (const part of chunks(ids)) {
    const rows = await db.selectFrom('units').selectAll().where('id', 'in', part).execute();
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

/** Parent timelines of units, each sorted by date. */
export async function loadTimelines(db: Db, ids: readonly string[]): Promise<Map<string, ParentLink[]>> {
  const out = new Map<string, ParentLink[]>();
  for (const part of chunks(ids)) {
    const rows = await db
      .selectFrom('unit_parents')
      .select(['unit_id', 'parent_id', 'valid_from', 'valid_to'])
      .where('unit_id', 'in', part)
      .orderBy('unit_id')
      .orderBy('valid_from')
      .execute();
    for (const r of rows) {
      const list = out.get(r.unit_id) ?? [];
      list.push({ parentId: r.parent_id, validFrom: r.valid_from, validTo: r.valid_to });
      out.set(r.unit_id, list);
    }
  }
  return out;
}

/**
 * The latest parent of every unit reachable upward from `start`, read level by level (one query per level
 * and 500 ids): what cycle detection needs beyond the units of the input.
 */
async function loadAncestry(db: Db, start: Iterable<string>, known: Map<string, string | null>): Promise<void> {
  let frontier = [...new Set(start)].filter((id) => !known.has(id));
  while (frontier.length > 0) {
    for (const id of frontier) known.set(id, null);
    for (const part of chunks(frontier)) {
      const rows = await db
        .selectFrom('unit_parents')
        .select(['unit_id', 'parent_id'])
        .where('unit_id', 'in', part)
        .where('valid_to', 'is', null)
        .execute();
      for (const r of rows) known.set(r.unit_id, r.parent_id);
    }
    frontier = [...new Set(frontier.map((id) => known.get(id)))].filter((p): p is string => !!p && !known.has(p));
  }
}

/** Every cycle through an input unit in the graph "latest parent", as `A → B → A` per unit on it. */
function findCycles(inputIds: readonly string[], parentOf: Map<string, string | null>): Map<string, string> {
  const done = new Set<string>();
  const found = new Map<string, string>();
  for (const startId of inputIds) {
    const path: string[] = [];
    const onPath = new Map<string, number>();
    let id: string | null | undefined = startId;
    while (id && !done.has(id) && !onPath.has(id)) {
      onPath.set(id, path.length);
      path.push(id);
      id = parentOf.get(id);
    }
    if (id && onPath.has(id)) {
      const loop = path.slice(onPath.get(id));
      // written top-down (parent → child), as people read a tree
      const text = [...loop, loop[0]!].reverse().join(' → ');
      for (const member of loop) found.set(member, text);
    }
    for (const p of path) done.add(p);
  }
  return found;
}

/** What the structural checks need of one input unit: its kind and its parent. */
export interface UnitShape {
  kind: UnitKind;
  parentId: string | null;
}

export interface StructureInput {
  /** every unit of the input, by id */
  shapes: ReadonlyMap<string, UnitShape>;
  /** input units that already exist in the directory and are grassroots in the input */
  existingGrassroots: readonly string[];
}

/**
 * The checks that look across units: a parent that exists (in the input or the directory) and is not
 * grassroots, no cycle, no existing unit turned grassroots that keeps units under it. Reads the directory in
 * batches of ids; holds nothing but the shapes it is given.
 */
export async function checkStructure(db: Db, { shapes, existingGrassroots }: StructureInput, options: PlanOptions = {}): Promise<PlanIssue[]> {
  const issues: PlanIssue[] = [];
  // parents outside the input: do they exist, and of which kind?
  const outsideParents = new Set<string>();
  for (const u of shapes.values()) if (u.parentId && !shapes.has(u.parentId)) outsideParents.add(u.parentId);
  const outside = new Map<string, UnitKind>();
  for (const part of chunks([...outsideParents])) {
    for (const r of await db.selectFrom('units').select(['id', 'kind']).where('id', 'in', part).execute()) outside.set(r.id, r.kind);
  }
  const kindOf = (id: string): UnitKind | undefined => shapes.get(id)?.kind ?? options.alsoPresent?.get(id) ?? outside.get(id);

  for (const [id, u] of shapes) {
    if (u.kind === 'root' && u.parentId) issues.push({ unitId: id, field: 'parent_id', key: 'root_with_parent', params: { value: u.parentId } });
    if (u.kind !== 'root' && !u.parentId) issues.push({ unitId: id, field: 'parent_id', key: 'parent_required', params: {} });
    if (!u.parentId) continue;
    if (!kindOf(u.parentId) && !options.alsoPresent?.has(u.parentId)) {
      issues.push({ unitId: id, field: 'parent_id', key: 'unknown_parent', params: { value: u.parentId } });
    } else if (kindOf(u.parentId) === 'grassroots') {
      issues.push({ unitId: id, field: 'parent_id', key: 'parent_is_grassroots', params: { value: u.parentId } });
    }
  }

  // cycles: the input's parents, and above them the directory's (read level by level)
  const parentOf = new Map<string, string | null>();
  for (const [id, u] of shapes) parentOf.set(id, u.parentId);
  await loadAncestry(db, outsideParents, parentOf);
  for (const [unitId, text] of findCycles([...shapes.keys()], parentOf)) {
    if (shapes.has(unitId)) issues.push({ unitId, field: 'parent_id', key: 'cycle', params: { value: text } });
  }

  // an existing unit turned grassroots must not keep units under it
  for (const part of chunks(existingGrassroots)) {
    const rows = await db
      .selectFrom('unit_parents')
      .innerJoin('units', 'units.id', 'unit_parents.unit_id')
      .select(['unit_parents.unit_id', 'unit_parents.parent_id'])
      .where('unit_parents.parent_id', 'in', part)
      .where('unit_parents.valid_to', 'is', null)
      .where('units.active_to', 'is', null)
      .execute();
    const children = new Map<string, string[]>();
    for (const r of rows) {
      const stays = shapes.get(r.unit_id)?.parentId ?? r.parent_id;
      if (stays !== r.parent_id || !r.parent_id) continue;
      children.set(r.parent_id, [...(children.get(r.parent_id) ?? []), r.unit_id].sort(compareIds));
    }
    for (const [unitId, list] of children) issues.push({ unitId, field: 'kind', key: 'grassroots_has_children', params: { list } });
  }
  return issues;
}

export interface BatchPlan extends Omit<UpsertPlan, 'issues'> {
  /** a parent change without the date it takes effect */
  issues: PlanIssue[];
  /** units of the batch that exist and are grassroots in it (for checkStructure) */
  existingGrassroots: string[];
}

/** What to write for some units, compared with what the directory holds: reads only these units' rows. */
export async function planBatch(db: Db, units: readonly UnitInput[]): Promise<BatchPlan> {
  const ids = units.map((u) => u.id);
  const existing = await loadUnits(db, ids);
  const timelines = await loadTimelines(db, ids);
  const issues: PlanIssue[] = [];
  const writes: UnitFields[] = [];
  const changedTimelines: UpsertPlan['timelines'] = [];
  const counts: UpsertUnitsResult = { created: 0, updated: 0, unchanged: 0 };
  const existingGrassroots: string[] = [];
  for (const u of units) {
    const fields = toFields(u);
    const row = existing.get(u.id);
    if (row && u.kind === 'grassroots') existingGrassroots.push(u.id);
    const links = timelines.get(u.id) ?? [];
    let next = links;
    if (!row) {
      next = u.parentId ? [{ parentId: u.parentId, validFrom: u.parentEffectiveFrom ?? u.activeFrom, validTo: null }] : [];
    } else {
      const date = u.parentEffectiveFrom;
      const current = date ? parentOn(links, date) : latestParent(links);
      if (current !== u.parentId) {
        if (date) next = withParentFrom(links, u.parentId, date);
        else
          issues.push({
            unitId: u.id,
            field: 'effective_from',
            key: 'parent_change_needs_date',
            params: { value: current ?? '', other: u.parentId ?? '' },
          });
      }
    }
    const timelineChanged = !sameTimeline(links, next);
    if (timelineChanged) changedTimelines.push({ unitId: u.id, links: next });
    if (!row) {
      counts.created++;
      writes.push(fields);
    } else if (!sameFields(fields, row)) {
      counts.updated++;
      writes.push(fields);
    } else if (timelineChanged) counts.updated++;
    else counts.unchanged++;
  }
  return { writes, timelines: changedTimelines, counts, issues, existingGrassroots };
}

export async function planUnitUpserts(db: Db, units: readonly UnitInput[], options: PlanOptions = {}): Promise<UpsertPlan> {
  const batch = await planBatch(db, units);
  const shapes = new Map(units.map((u) => [u.id, { kind: u.kind, parentId: u.parentId }]));
  const structure = await checkStructure(db, { shapes, existingGrassroots: batch.existingGrassroots }, options);
  return { writes: batch.writes, timelines: batch.timelines, counts: batch.counts, issues: [...structure, ...batch.issues] };
}

export interface WriteProgress {
  done: number;
  total: number;
}

/** Inserts or updates units' rows, 500 to a statement. Call inside a transaction. */
export async function writeUnits(db: Db, writes: readonly UnitFields[], now: string, onBatch?: (n: number) => void): Promise<void> {
  for (const part of chunks(writes)) {
    await db
      .insertInto('units')
      .values(part.map((f) => ({ ...f, created_at: now, updated_at: now })))
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          kind: eb.ref('excluded.kind'),
          chair_name: eb.ref('excluded.chair_name'),
          chair_email: eb.ref('excluded.chair_email'),
          officer_name: eb.ref('excluded.officer_name'),
          officer_email: eb.ref('excluded.officer_email'),
          language: eb.ref('excluded.language'),
          active_from: eb.ref('excluded.active_from'),
          active_to: eb.ref('excluded.active_to'),
          distribution: eb.ref('excluded.distribution'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
    onBatch?.(part.length);
  }
}

/** Replaces units' parent timelines; every parent named must already be written. Call inside a transaction. */
export async function writeTimelines(db: Db, timelines: UpsertPlan['timelines'], onBatch?: (n: number) => void): Promise<void> {
  for (const part of chunks(timelines)) {
    await db
      .deleteFrom('unit_parents')
      .where(
        'unit_id',
        'in',
        part.map((t) => t.unitId),
      )
      .execute();
    const links = part.flatMap((t) =>
      t.links.map((l) => ({ unit_id: t.unitId, parent_id: l.parentId, valid_from: l.validFrom, valid_to: l.validTo })),
    );
    for (const batch of chunks(links)) await db.insertInto('unit_parents').values(batch).execute();
    onBatch?.(part.length);
  }
}

/** Writes a plan without issues, in batches. Call inside a transaction. */
export async function applyUnitUpserts(db: Db, plan: UpsertPlan, onProgress?: (p: WriteProgress) => void): Promise<void> {
  const now = new Date().toISOString();
  const total = plan.writes.length + plan.timelines.length;
  let done = 0;
  const step = (n: number) => {
    done += n;
    onProgress?.({ done, total });
  };
  await writeUnits(db, plan.writes, now, step);
  // parents are all written above, so the links' foreign keys hold
  await writeTimelines(db, plan.timelines, step);
}
