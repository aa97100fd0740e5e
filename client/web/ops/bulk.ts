// Supervisors' and the secretariat's actions on a selection of units: each unit goes through the same operation
// (and the same rights check) as one at a time, through its own workflow, which audits it; one unit's refusal
// never stops the others, and the answer has a result per unit.
import type { Phase } from '../../../workflows/report';
import { PHASES } from '../../../workflows/report';
import { CycleRequestError } from '../../cycles';
import { WebForbiddenError, WebNotFoundError } from '../errors';
import type { Staff } from '../staff';
import { mapLimit, namesOf, type WebDeps } from './deps';
import type { CycleAccess } from './scope';
import { extendUnit, type ExtendRequest } from './supervision';

/** At most this many units per bulk request (a page of overdue units); more: do it in several. */
export const MAX_BULK_ITEMS = 200;
/** Updates in flight at once: each waits on its unit's workflow. */
const BULK_CONCURRENCY = 4;

export interface BulkItem {
  unitId: string;
  phase: Phase;
}

export interface BulkResult extends BulkItem {
  name: string;
  ok: boolean;
  /** the new deadline (ISO instant) when extended */
  dueAt?: string;
  /** why not, as the workflow or the rights check said it */
  problem?: string;
}

/** `CDCS-MAY:plan` → { unitId, phase }; anything else is not an item. */
export function parseBulkItem(value: string): BulkItem | undefined {
  const at = value.lastIndexOf(':');
  const unitId = value.slice(0, at);
  const phase = PHASES.find((p) => p === value.slice(at + 1));
  return at > 0 && phase && /^[A-Za-z0-9_.-]{1,64}$/.test(unitId) ? { unitId, phase } : undefined;
}

/** Moves the deadline of each selected unit and phase to `until`, with one reason; a result per unit. */
export async function extendSelection(
  deps: WebDeps,
  staff: Staff,
  access: CycleAccess,
  items: readonly BulkItem[],
  input: Omit<ExtendRequest, 'phase'>,
  channel: 'web' | 'api',
): Promise<BulkResult[]> {
  const unique = [...new Map(items.map((i) => [`${i.unitId}:${i.phase}`, i])).values()];
  if (unique.length > MAX_BULK_ITEMS) throw new CycleRequestError(`At most ${MAX_BULK_ITEMS} units at once / tối đa ${MAX_BULK_ITEMS} đơn vị mỗi lần.`);
  const names = await namesOf(
    deps.db,
    unique.map((i) => i.unitId),
  );
  return mapLimit(unique, BULK_CONCURRENCY, async (item): Promise<BulkResult> => {
    const name = names.get(item.unitId)?.name ?? item.unitId;
    try {
      const receipt = await extendUnit(deps, staff, access, item.unitId, { ...input, phase: item.phase }, channel);
      return { ...item, name, ok: true, dueAt: receipt.deadlines.dueAt };
    } catch (err) {
      if (err instanceof CycleRequestError || err instanceof WebForbiddenError || err instanceof WebNotFoundError) return { ...item, name, ok: false, problem: err.message };
      throw err;
    }
  });
}
