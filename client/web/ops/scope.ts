// Which cycle and which of its units a signed-in staff member may see, where the cycle's pages read from (the
// live workflows or the archive), and the unit tables' rows: shared by every staff view and action.
import { WorkflowNotFoundError } from '@temporalio/client';
import { parseCycleId } from '../../../workflows/ids';
import { CycleRequestError, cycleStatus } from '../../cycles';
import { WebForbiddenError, WebNotFoundError } from '../errors';
import { t } from '../i18n';
import { canSee, topUnits, type Staff } from '../staff';
import type { CycleTree } from '../tree';
import { PAGE_SIZE, reading, type WebDeps } from './deps';

/**
 * Where a cycle's pages read from: `live`, the workflows' queries while the cycle runs; `archive`, the app
 * database alone, once the cycle's workflow has closed or Temporal's retention has deleted it.
 */
export type CycleSource = 'live' | 'archive';

/** The note every archive-read page and API answer carries. */
export const ARCHIVE_NOTE = `${t('vi', 'archiveNote')} / ${t('en', 'archiveNote')}`;

/** What staff actions on an archive-read cycle answer. */
export const CLOSED_CYCLE_REFUSAL = `${ARCHIVE_NOTE}: nothing can be submitted, reviewed, extended or reissued any more / không còn nộp, xem xét, gia hạn hay cấp lại đường liên kết.`;

export interface CycleAccess {
  cycleId: string;
  tree: CycleTree;
  /** asked of the engine once, on first use: callers check the staff member's scope first */
  source: () => Promise<CycleSource>;
}

async function cycleSource(deps: WebDeps, cycleId: string): Promise<CycleSource> {
  return reading(deps, async () => {
    try {
      const { status } = await deps.client.workflow.getHandle(cycleId).describe();
      return status.name === 'RUNNING' ? 'live' : 'archive';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'archive';
      throw err;
    }
  });
}

/** The frozen tree of a cycle the staff member takes part in, or the reason they cannot see it. */
export async function cycleAccess(deps: WebDeps, staff: Staff, cycleId: string): Promise<CycleAccess | { starting: true; cycleId: string }> {
  const parsed = parseCycleId(cycleId);
  if (!parsed) throw new WebNotFoundError(`not a cycle id: ${cycleId} / không phải mã đợt báo cáo`);
  const tree = await deps.trees.get(cycleId);
  if (!tree) {
    // No frozen tree yet: the cycle is starting (only its secretariat may look) or does not exist.
    if (!staff.units.some((u) => u.id === parsed.rootId)) throw new WebNotFoundError(`unknown cycle ${cycleId} / không có đợt báo cáo này`);
    await cycleStatus(deps.client, cycleId).catch((err: unknown) => {
      throw err instanceof CycleRequestError ? new WebNotFoundError(`unknown cycle ${cycleId} / không có đợt báo cáo này`) : err;
    });
    return { starting: true, cycleId };
  }
  if (topUnits(tree, staff).length === 0) throw new WebForbiddenError();
  let source: Promise<CycleSource> | undefined;
  return { cycleId, tree, source: () => (source ??= cycleSource(deps, cycleId)) };
}

export async function refuseArchived(access: CycleAccess): Promise<void> {
  if ((await access.source()) === 'archive') throw new CycleRequestError(CLOSED_CYCLE_REFUSAL);
}

/** Throws unless `unitId` is in the cycle and at or below one of the staff member's units. */
export function requireVisible(access: CycleAccess, staff: Staff, unitId: string): void {
  if (!access.tree.node(unitId)) throw new WebNotFoundError(`unit ${unitId} is not in cycle ${access.cycleId} / đơn vị không thuộc đợt báo cáo này`);
  if (!canSee(access.tree, staff, unitId)) throw new WebForbiddenError();
}

export interface CycleFilters {
  unit?: string;
  /** absolute depth in the tree (0 = root) */
  level?: number;
  overdue?: boolean;
  page?: number;
}

/** The rows of the unit table: the focus's direct units, a level below it, or the overdue ones; one page of them. */
export function selectRows(tree: CycleTree, focusId: string, filters: CycleFilters, overdueIds: () => string[]) {
  const focusNode = tree.node(focusId)!;
  const level = filters.level !== undefined && filters.level > focusNode.depth && filters.level < tree.depths ? filters.level : undefined;
  let ids: string[];
  if (filters.overdue) {
    const overdue = new Set(overdueIds());
    ids = [...overdue].filter((id) => tree.node(id) && (level === undefined || tree.node(id)!.depth === level));
    ids.sort((a, b) => tree.node(a)!.depth - tree.node(b)!.depth || tree.node(a)!.position - tree.node(b)!.position || a.localeCompare(b));
  } else if (level !== undefined) {
    ids = tree.atDepth(focusId, level);
  } else {
    ids = tree.children(focusId);
  }
  const pages = Math.max(1, Math.ceil(ids.length / PAGE_SIZE));
  const page = Math.min(Math.max(0, filters.page ?? 0), pages - 1);
  const levels: number[] = [];
  for (let d = focusNode.depth + 1; d < tree.depths; d++) levels.push(d);
  return { ids, slice: ids.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE), page, level, levels };
}

/** From the staff member's own top unit down to the focus. */
export function breadcrumbIds(tree: CycleTree, staff: Staff, focusId: string): string[] {
  const trail = tree.pathToRoot(focusId).reverse();
  const start = trail.findIndex((id) => staff.units.some((u) => u.id === id));
  return trail.slice(Math.max(0, start));
}
