// Supervisors' and the secretariat's actions on a selection of units — remind now, extend a deadline, reissue
// links: each unit goes through the same operation (and the same rights check) as one at a time, through its own
// workflow or the durable reissue, which audits it; one unit's refusal never stops the others, and the answer
// has a result per unit. The web pages run them as jobs (./jobs.ts); the JSON API answers with the results.
import type { Phase } from '../../../workflows/report';
import { PHASES } from '../../../workflows/report';
import { PHASE_KEY } from '../../../domain/campaign';
import { isCampaignCycle } from '../../campaign-cycles';
import { CycleRequestError } from '../../cycles';
import { campaignPhaseNames, extendCampaignUnit, remindCampaignUnit } from './campaign-cycle';
import { WebForbiddenError, WebNotFoundError } from '../errors';
import type { Staff } from '../staff';
import { mapLimit, namesOf, type WebDeps } from './deps';
import type { CycleAccess } from './scope';
import { extendUnit, reissueLink, remindUnit, type ExtendRequest } from './supervision';

/** At most this many units per bulk request (a page of overdue units); more: do it in several. */
export const MAX_BULK_ITEMS = 200;
/** "Remind every overdue unit" of a supervisor's page: as many as it lists (its direct units' phases and more below). */
export const MAX_JOB_ITEMS = 2_000;
/** Updates in flight at once: each waits on its unit's workflow. */
export const BULK_CONCURRENCY = 4;

export const BULK_KINDS = ['remind', 'extend', 'reissue'] as const;
export type BulkKind = (typeof BULK_KINDS)[number];

export interface BulkItem {
  unitId: string;
  /** plan or report; in a cycle of a campaign, one of its phase keys */
  phase: string;
}

export interface NamedBulkItem extends BulkItem {
  name: string;
  /** a campaign phase's name (the built-in phases are named by the page's texts) */
  phaseName?: { vi: string; en: string };
}

export interface BulkResult extends NamedBulkItem {
  ok: boolean;
  /** the new deadline (ISO instant) when extended */
  dueAt?: string;
  /** reminded: which reminder this was, and which email went (a reminder, or past the deadline an overdue notice) */
  reminderNumber?: number;
  email?: 'reminder' | 'overdue-notice';
  /** a new link: how many earlier links stopped working */
  revoked?: number;
  /** why not, as the workflow or the rights check said it */
  problem?: string;
}

/** `CDCS-MAY:plan` → { unitId, phase } (in a cycle of a campaign `CDCS-MAY:q2`); anything else is not an item. */
export function parseBulkItem(value: string, campaign = false): BulkItem | undefined {
  const at = value.lastIndexOf(':');
  const unitId = value.slice(0, at);
  const key = value.slice(at + 1);
  const phase = campaign ? (PHASE_KEY.test(key) ? key : undefined) : PHASES.find((p) => p === key);
  return at > 0 && phase && /^[A-Za-z0-9_.-]{1,64}$/.test(unitId) ? { unitId, phase } : undefined;
}

/**
 * The selection as it will be worked through: each unit and phase once (a link is per unit: once per unit),
 * with its name, at most MAX_BULK_ITEMS.
 */
export async function bulkSelection(deps: WebDeps, kind: BulkKind, items: readonly BulkItem[], max = MAX_BULK_ITEMS, cycleId?: string): Promise<NamedBulkItem[]> {
  const unique = [...new Map(items.map((i) => [kind === 'reissue' ? i.unitId : `${i.unitId}:${i.phase}`, i])).values()];
  if (unique.length > max) throw new CycleRequestError(`At most ${max} units at once / tối đa ${max} đơn vị mỗi lần.`);
  const names = await namesOf(
    deps.db,
    unique.map((i) => i.unitId),
  );
  const phaseNames = cycleId !== undefined && isCampaignCycle(cycleId) ? await campaignPhaseNames(deps, cycleId) : undefined;
  return unique.map((i) => ({ ...i, name: names.get(i.unitId)?.name ?? i.unitId, ...(phaseNames?.[i.phase] ? { phaseName: phaseNames[i.phase] } : {}) }));
}

export type BulkAction = { kind: 'remind' } | { kind: 'reissue' } | ({ kind: 'extend' } & Omit<ExtendRequest, 'phase'>);

/** One unit of a bulk action: done, or refused with the reason (a refusal is a result, anything else is thrown). */
export async function bulkStep(deps: WebDeps, staff: Staff, access: CycleAccess, action: BulkAction, item: NamedBulkItem, channel: 'web' | 'api'): Promise<BulkResult> {
  try {
    // a cycle of a campaign: its own updates, a phase key of the version it froze (the workflow refuses another)
    if (isCampaignCycle(access.cycleId)) {
      if (action.kind === 'extend') {
        const receipt = await extendCampaignUnit(deps, staff, access, item.unitId, { phase: item.phase, until: action.until, reason: action.reason }, channel);
        return { ...item, ok: true, dueAt: receipt.deadlines.dueAt };
      }
      if (action.kind === 'remind') {
        const receipt = await remindCampaignUnit(deps, staff, access, item.unitId, item.phase, channel);
        return { ...item, ok: true, reminderNumber: receipt.reminderNumber, email: receipt.email };
      }
      // a link is per unit: reissueLink sends the campaign's own task email
      const { revoked } = await reissueLink(deps, staff, access, item.unitId, channel);
      return { ...item, ok: true, revoked };
    }
    // the built-in phases: parseBulkItem took only plan or report for a built-in cycle
    const phase = item.phase as Phase;
    if (action.kind === 'extend') {
      const receipt = await extendUnit(deps, staff, access, item.unitId, { until: action.until, reason: action.reason, phase }, channel);
      return { ...item, ok: true, dueAt: receipt.deadlines.dueAt };
    }
    if (action.kind === 'remind') {
      const receipt = await remindUnit(deps, staff, access, item.unitId, phase, channel);
      return { ...item, ok: true, reminderNumber: receipt.reminderNumber, email: receipt.email };
    }
    const { revoked } = await reissueLink(deps, staff, access, item.unitId, channel);
    return { ...item, ok: true, revoked };
  } catch (err) {
    if (err instanceof CycleRequestError || err instanceof WebForbiddenError || err instanceof WebNotFoundError) return { ...item, ok: false, problem: err.message };
    throw err;
  }
}

/** The whole selection at once (the JSON API): a result per unit. */
export async function runSelection(deps: WebDeps, staff: Staff, access: CycleAccess, action: BulkAction, items: readonly BulkItem[], channel: 'web' | 'api'): Promise<BulkResult[]> {
  const selection = await bulkSelection(deps, action.kind, items, MAX_BULK_ITEMS, access.cycleId);
  return mapLimit(selection, BULK_CONCURRENCY, (item) => bulkStep(deps, staff, access, action, item, channel));
}

/** Moves the deadline of each selected unit and phase to `until`, with one reason; a result per unit. */
export function extendSelection(deps: WebDeps, staff: Staff, access: CycleAccess, items: readonly BulkItem[], input: Omit<ExtendRequest, 'phase'>, channel: 'web' | 'api'): Promise<BulkResult[]> {
  return runSelection(deps, staff, access, { kind: 'extend', ...input }, items, channel);
}
