// Where every number of a cycle's pages comes from: the standings of the units below a node read from the
// archive (latest submission version per unit and phase, overdue marks and extensions of the audit log), so a
// count, a chart and the drill-down list behind them agree, for a running cycle and a closed one alike. The
// viewer's scope is checked on the node; everything listed is below it.
import { archivedUnits, type ArchivedPhase, type ArchivedUnitStatus } from '../../../activities/archive/status';
import type { DeadlinePlan } from '../../../activities/calendar/types';
import type { PhaseStanding } from '../../../workflows/aggregate';
import { FIGURE_KEYS, PHASES, type Figures, type Phase } from '../../../workflows/report';

export type FigureKey = (typeof FIGURE_KEYS)[number];
import type { Staff } from '../staff';
import type { CycleTree } from '../tree';
import { namesOf, reading, type WebDeps } from './deps';
import { requireVisible, type CycleAccess } from './scope';

/** The counts a cycle page shows per phase, as the `data-col` keys of its tables. */
export const CATEGORIES = ['expected', 'submitted', 'on-time', 'late', 'missing', 'overdue'] as const;
export type Category = (typeof CATEGORIES)[number];

export function isCategory(v: unknown): v is Category {
  return typeof v === 'string' && (CATEGORIES as readonly string[]).includes(v);
}

/** Whether a unit of this standing is counted in `category` (missing = not submitted, overdue or not yet). */
export function inCategory(standing: PhaseStanding, category: Category): boolean {
  switch (category) {
    case 'expected':
      return true;
    case 'submitted':
      return standing === 'on-time' || standing === 'late';
    case 'missing':
      return standing === 'pending' || standing === 'overdue';
    default:
      return standing === category;
  }
}

export type PhaseCounts = Record<Category, number>;

function zeroCounts(): PhaseCounts {
  return { expected: 0, submitted: 0, 'on-time': 0, late: 0, missing: 0, overdue: 0 };
}

function count(into: PhaseCounts, standing: PhaseStanding): void {
  for (const c of CATEGORIES) if (inCategory(standing, c)) into[c] += 1;
}

/** Rows per drill-down and heat-map page. */
export const INSIGHT_PAGE_SIZE = 200;
/** Direct units drawn in the bar chart (the worst first); the rest are in the heat map and the table below. */
export const BAR_LIMIT = 40;

/** `top` and every unit below it, depth first in the frozen tree's order (no query: the tree is in memory). */
export function subtreeIds(tree: CycleTree, top: string): string[] {
  const out: string[] = [];
  const stack = [top];
  while (stack.length > 0) {
    const id = stack.pop()!;
    out.push(id);
    const kids = tree.children(id);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return out;
}

/**
 * Whole-cycle standings kept per database and cycle, with the archive's row counts they were read at. The
 * archive only ever grows (submissions and audit events are inserted, never changed), so equal counts mean
 * nothing changed: two index-only counts instead of reading 20,000 units' rows on every page.
 */
interface CachedCycle {
  stamp: string;
  units: Map<string, ArchivedUnitStatus>;
  /** latest report figures per unit, read on first use */
  figures?: Map<string, Figures>;
}
const cache = new WeakMap<object, Map<string, CachedCycle>>();
const CACHED_CYCLES = 4;
/** Below this many units a subtree is read directly (a small IN list beats the whole cycle). */
const DIRECT_READ_MAX = 1_000;

async function archiveStamp(deps: WebDeps, cycleId: string): Promise<string> {
  const [subs, events] = await Promise.all([
    deps.db.selectFrom('submissions').select((eb) => eb.fn.countAll<number>().as('n')).where('cycle_id', '=', cycleId).executeTakeFirstOrThrow(),
    deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('cycle_id', '=', cycleId).executeTakeFirstOrThrow(),
  ]);
  return `${Number(subs.n)}/${Number(events.n)}`;
}

async function cachedCycle(deps: WebDeps, cycleId: string, withFigures: boolean): Promise<CachedCycle> {
  let perDb = cache.get(deps.db);
  if (!perDb) cache.set(deps.db, (perDb = new Map()));
  const stamp = await archiveStamp(deps, cycleId);
  const hit = perDb.get(cycleId);
  if (hit?.stamp === stamp && (hit.figures || !withFigures)) return hit;
  const { units, reports } = await archivedUnits(deps.db, cycleId, 'all', { content: withFigures });
  const entry: CachedCycle = { stamp, units: new Map(units.map((u) => [u.unitId, u])) };
  if (withFigures) entry.figures = new Map([...reports].map(([id, r]) => [id, r.figures]));
  perDb.delete(cycleId);
  perDb.set(cycleId, entry);
  if (perDb.size > CACHED_CYCLES) perDb.delete(perDb.keys().next().value!);
  return entry;
}

async function wholeCycle(deps: WebDeps, cycleId: string): Promise<Map<string, ArchivedUnitStatus>> {
  return (await cachedCycle(deps, cycleId, false)).units;
}

/** The archived standings of `ids` (content unread): a small subtree directly, a large one from the whole cycle. */
async function standings(deps: WebDeps, access: CycleAccess, ids: string[]): Promise<Map<string, ArchivedUnitStatus>> {
  if (ids.length > DIRECT_READ_MAX) return wholeCycle(deps, access.cycleId);
  const { units } = await archivedUnits(deps.db, access.cycleId, ids, { content: false });
  return new Map(units.map((u) => [u.unitId, u]));
}

function pageOf<T>(items: T[], page: number | undefined): { slice: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / INSIGHT_PAGE_SIZE));
  const p = Math.min(Math.max(0, page ?? 0), pages - 1);
  return { slice: items.slice(p * INSIGHT_PAGE_SIZE, (p + 1) * INSIGHT_PAGE_SIZE), page: p, pages };
}

// ── the cycle page's charts ─────────────────────────────────────────────────────────────────────────────

export interface Arrival {
  /** the instant the unit first submitted this phase */
  at: string;
  /** counted late (its latest version's flag, as in the counts) */
  late: boolean;
}

export interface LevelDeadline {
  depth: number;
  at: string;
}

export interface CycleInsight {
  cycleId: string;
  focusId: string;
  phases: Record<Phase, { counts: PhaseCounts; arrivals: Arrival[]; deadlines: LevelDeadline[] }>;
  /** the focus's direct units, each with the counts of its own subtree (itself included), worst first */
  children: { id: string; name: string; counts: Record<Phase, PhaseCounts> }[];
  /** calendar "now" (where the progress curves end) */
  now: string;
}

/** How far behind a direct unit is: overdue, then missing, then late, as shares of what is expected. */
function badness(c: PhaseCounts): number[] {
  const e = Math.max(1, c.expected);
  return [c.overdue / e, c.missing / e, c.late / e];
}

export function worstFirst(a: Record<Phase, PhaseCounts>, b: Record<Phase, PhaseCounts>): number {
  const ka = PHASES.flatMap((p) => badness(a[p]));
  const kb = PHASES.flatMap((p) => badness(b[p]));
  // order: plan overdue, report overdue, plan missing, … (each phase's overdue share weighs first)
  for (let i = 0; i < 3; i++) for (let p = 0; p < PHASES.length; p++) {
    const d = kb[p * 3 + i]! - ka[p * 3 + i]!;
    if (d !== 0) return d;
  }
  return 0;
}

export function cycleInsight(deps: WebDeps, staff: Staff, access: CycleAccess, focusId: string, plan: DeadlinePlan | null, now: string): Promise<CycleInsight> {
  return reading(deps, () => loadInsight(deps, staff, access, focusId, plan, now));
}

async function loadInsight(deps: WebDeps, staff: Staff, access: CycleAccess, focusId: string, plan: DeadlinePlan | null, now: string): Promise<CycleInsight> {
  requireVisible(access, staff, focusId);
  const { tree } = access;
  const ids = subtreeIds(tree, focusId);
  const units = await standings(deps, access, ids);
  const focusDepth = tree.node(focusId)!.depth;
  const phases = Object.fromEntries(
    PHASES.map((p) => [
      p,
      {
        counts: zeroCounts(),
        arrivals: [] as Arrival[],
        // the deadlines of the levels below the focus: the ones its units are chased against
        deadlines: (plan?.levels ?? []).filter((l) => l.depth > focusDepth).map((l) => ({ depth: l.depth, at: l[p].dueAt })),
      },
    ]),
  ) as CycleInsight['phases'];
  const childCounts = new Map(tree.children(focusId).map((id) => [id, { plan: zeroCounts(), report: zeroCounts() } as Record<Phase, PhaseCounts>]));
  // ids are depth first: the direct unit a row belongs to is the last direct unit seen
  let under: Record<Phase, PhaseCounts> | undefined;
  for (const id of ids) {
    if (id === focusId) continue;
    under = childCounts.get(id) ?? under;
    const u = units.get(id);
    if (!u) continue;
    for (const p of PHASES) {
      const ph: ArchivedPhase = u[p];
      count(phases[p].counts, ph.standing);
      if (under) count(under[p], ph.standing);
      if (ph.submission) phases[p].arrivals.push({ at: ph.submission.firstSubmittedAt, late: ph.submission.late });
    }
  }
  // ISO instants parsed once (a sort compares each many times)
  for (const p of PHASES) {
    const keyed = phases[p].arrivals.map((a) => ({ a, ms: Date.parse(a.at) }));
    keyed.sort((x, y) => x.ms - y.ms);
    phases[p].arrivals = keyed.map((k) => k.a);
  }
  const names = await namesOf(deps.db, [...childCounts.keys()]);
  const children = [...childCounts]
    .map(([id, counts]) => ({ id, name: names.get(id)?.name ?? id, counts }))
    .sort((a, b) => worstFirst(a.counts, b.counts) || tree.node(a.id)!.position - tree.node(b.id)!.position);
  return { cycleId: access.cycleId, focusId, phases, children, now };
}

// ── drill-down: the units behind a count ────────────────────────────────────────────────────────────────

export interface DrillRow {
  id: string;
  name: string;
  parentId: string | null;
  parentName: string;
  depth: number;
  standing: PhaseStanding;
  phase: ArchivedPhase;
}

export interface UnitsDrill {
  cycleId: string;
  unit: { id: string; name: string };
  phase: Phase;
  category: Category;
  /** the unit itself is listed too (a direct unit's bar counts its own task) */
  withSelf: boolean;
  rows: DrillRow[];
  total: number;
  page: number;
  pages: number;
}

/** The units below `unitId` (and itself, `withSelf`) counted in `category` of `phase`, in tree order, one page of them. */
export function unitsBehind(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string, phase: Phase, category: Category, o: { page?: number; withSelf?: boolean } = {}): Promise<UnitsDrill> {
  const { page, withSelf = false } = o;
  return reading(deps, async () => {
    requireVisible(access, staff, unitId);
    const ids = subtreeIds(access.tree, unitId).filter((id) => withSelf || id !== unitId);
    const units = await standings(deps, access, ids);
    const matching = ids.filter((id) => {
      const u = units.get(id);
      return u !== undefined && inCategory(u[phase].standing, category);
    });
    const { slice, page: p, pages } = pageOf(matching, page);
    const parents = slice.map((id) => access.tree.node(id)!.parentId).filter((x): x is string => !!x);
    const names = await namesOf(deps.db, [unitId, ...slice, ...parents]);
    return {
      cycleId: access.cycleId,
      unit: { id: unitId, name: names.get(unitId)?.name ?? unitId },
      phase,
      category,
      withSelf,
      rows: slice.map((id) => {
        const u = units.get(id)!;
        return { id, name: names.get(id)?.name ?? id, parentId: u.parentId, parentName: u.parentId ? (names.get(u.parentId)?.name ?? u.parentId) : '', depth: u.depth, standing: u[phase].standing, phase: u[phase] };
      }),
      total: matching.length,
      page: p,
      pages,
    };
  });
}

export function isFigureKey(v: unknown): v is FigureKey {
  return typeof v === 'string' && (FIGURE_KEYS as readonly string[]).includes(v);
}

export interface FigureRow {
  id: string;
  name: string;
  depth: number;
  value: number;
  version: number;
  submittedAt: string;
}

export interface FigureDrill {
  cycleId: string;
  unit: { id: string; name: string };
  figure: FigureKey;
  /** the sum over every unit of the subtree with a report (the node's own included) */
  sum: number;
  /** units whose latest report is counted */
  reporting: number;
  rows: FigureRow[];
  page: number;
  pages: number;
}

/** The latest reports of the subtree of `unitId` (itself included) whose `figure` makes the node's total. */
export function figureBehind(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string, figure: FigureKey, page?: number): Promise<FigureDrill> {
  return reading(deps, async () => {
    requireVisible(access, staff, unitId);
    const ids = subtreeIds(access.tree, unitId);
    let byId: Map<string, ArchivedUnitStatus>;
    let figures: Map<string, Figures>;
    if (ids.length > DIRECT_READ_MAX) {
      const whole = await cachedCycle(deps, access.cycleId, true);
      byId = whole.units;
      figures = whole.figures!;
    } else {
      const { units, reports } = await archivedUnits(deps.db, access.cycleId, ids, {});
      byId = new Map(units.map((u) => [u.unitId, u]));
      figures = new Map([...reports].map(([id, r]) => [id, r.figures]));
    }
    const reporting = ids.filter((id) => figures.has(id));
    const sum = reporting.reduce((s, id) => s + figures.get(id)![figure], 0);
    const { slice, page: p, pages } = pageOf(reporting, page);
    const names = await namesOf(deps.db, [unitId, ...slice]);
    return {
      cycleId: access.cycleId,
      unit: { id: unitId, name: names.get(unitId)?.name ?? unitId },
      figure,
      sum,
      reporting: reporting.length,
      rows: slice.map((id) => {
        const u = byId.get(id)!;
        return { id, name: names.get(id)?.name ?? id, depth: u.depth, value: figures.get(id)![figure], version: u.report.submission!.version, submittedAt: u.report.submission!.submittedAt };
      }),
      page: p,
      pages,
    };
  });
}

// ── heat map: units × phases for a subtree ──────────────────────────────────────────────────────────────

export interface HeatRow {
  id: string;
  name: string;
  depth: number;
  childCount: number;
  phases: Record<Phase, ArchivedPhase>;
}

export interface HeatMap {
  cycleId: string;
  unit: { id: string; name: string };
  rows: HeatRow[];
  total: number;
  page: number;
  pages: number;
}

/** One page of the subtree of `unitId` (itself first, then depth first), each unit's standing per phase. */
export function heatMap(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string, page?: number): Promise<HeatMap> {
  return reading(deps, async () => {
    requireVisible(access, staff, unitId);
    const ids = subtreeIds(access.tree, unitId);
    const { slice, page: p, pages } = pageOf(ids, page);
    const [units, names] = await Promise.all([standings(deps, access, slice), namesOf(deps.db, [unitId, ...slice])]);
    return {
      cycleId: access.cycleId,
      unit: { id: unitId, name: names.get(unitId)?.name ?? unitId },
      rows: slice
        .filter((id) => units.has(id))
        .map((id) => {
          const u = units.get(id)!;
          return { id, name: names.get(id)?.name ?? id, depth: u.depth, childCount: u.childCount, phases: { plan: u.plan, report: u.report } };
        }),
      total: ids.length,
      page: p,
      pages,
    };
  });
}
