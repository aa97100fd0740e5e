// The frozen tree of a cycle (cycle_units, written once when the cycle starts and never changed): loaded once
// per cycle and kept in memory, so scope checks ("is unit U below X?") and level filters cost no query.
import type { Db } from '../../activities/db/database';
import type { UnitKind } from '../../activities/directory/types';

export interface FrozenNode {
  id: string;
  parentId: string | null;
  kind: UnitKind;
  depth: number;
  position: number;
  childCount: number;
}

export class CycleTree {
  private readonly nodes = new Map<string, FrozenNode>();
  private readonly kids = new Map<string, string[]>();
  readonly rootId: string;
  readonly depths: number;

  constructor(
    readonly cycleId: string,
    rows: readonly FrozenNode[],
  ) {
    for (const r of rows) this.nodes.set(r.id, r);
    const sorted = [...rows].sort((a, b) => a.position - b.position);
    for (const r of sorted) {
      if (!r.parentId) continue;
      const list = this.kids.get(r.parentId);
      if (list) list.push(r.id);
      else this.kids.set(r.parentId, [r.id]);
    }
    const root = rows.find((r) => r.parentId === null);
    if (!root) throw new Error(`cycle ${cycleId}: frozen tree has no root`);
    this.rootId = root.id;
    this.depths = rows.reduce((m, r) => Math.max(m, r.depth + 1), 0);
  }

  get size(): number {
    return this.nodes.size;
  }

  node(id: string): FrozenNode | undefined {
    return this.nodes.get(id);
  }

  children(id: string): string[] {
    return this.kids.get(id) ?? [];
  }

  /** `id` itself first, then its parent, … up to the root. */
  pathToRoot(id: string): string[] {
    const path: string[] = [];
    let current = this.nodes.get(id);
    while (current && path.length <= this.depths) {
      path.push(current.id);
      current = current.parentId ? this.nodes.get(current.parentId) : undefined;
    }
    return path;
  }

  /** True when `id` is `ancestorId` or below it. */
  isWithin(id: string, ancestorId: string): boolean {
    return this.nodes.has(id) && this.pathToRoot(id).includes(ancestorId);
  }

  /** Every unit under `top` (not itself) at absolute depth `depth`, in tree order. */
  atDepth(top: string, depth: number): string[] {
    const out: string[] = [];
    const walk = (id: string) => {
      const n = this.nodes.get(id);
      if (!n) return;
      if (n.depth === depth && id !== top) {
        out.push(id);
        return;
      }
      if (n.depth < depth) for (const k of this.children(id)) walk(k);
    };
    walk(top);
    return out;
  }
}

const CACHE_SIZE = 16;

/** Frozen trees by cycle id; only complete snapshots are cached (a starting cycle has none yet). */
export class CycleTrees {
  private readonly cache = new Map<string, CycleTree>();

  constructor(private readonly db: Db) {}

  async get(cycleId: string): Promise<CycleTree | undefined> {
    const hit = this.cache.get(cycleId);
    if (hit) {
      this.cache.delete(cycleId);
      this.cache.set(cycleId, hit);
      return hit;
    }
    const header = await this.db.selectFrom('cycle_snapshots').select('unit_count').where('cycle_id', '=', cycleId).executeTakeFirst();
    if (!header) return undefined;
    const rows = await this.db
      .selectFrom('cycle_units')
      .select(['unit_id', 'parent_id', 'kind', 'depth', 'position', 'child_count'])
      .where('cycle_id', '=', cycleId)
      .execute();
    // The header and the rows are written in one transaction; a count mismatch means a read raced the write.
    if (rows.length === 0 || rows.length !== Number(header.unit_count)) return undefined;
    const tree = new CycleTree(
      cycleId,
      rows.map((r) => ({
        id: r.unit_id,
        parentId: r.parent_id,
        kind: r.kind,
        depth: Number(r.depth),
        position: Number(r.position),
        childCount: Number(r.child_count),
      })),
    );
    this.cache.set(cycleId, tree);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return tree;
  }
}
