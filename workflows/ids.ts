// Every id format in one place: workflow, client, web and tests import these, never build ids by hand.
// Ids are business ids made of unit ids (which carry no personal data), never names or emails.
import { CAMPAIGN_ID } from '../domain/campaign';
import { BUILTIN_CAMPAIGN_ID } from '../domain/campaign-builtin';

/** The one task queue of baocao workers (overridable per deployment with TEMPORAL_TASK_QUEUE). */
export const DEFAULT_TASK_QUEUE = 'baocao';

/** `cycle-2027-LDLD-HN` or, for a rehearsal, `rehearsal-2027-LDLD-HN-<stamp>`. */
export function cycleId(year: number, rootId: string, rehearsalStamp?: string): string {
  return rehearsalStamp ? `rehearsal-${year}-${rootId}-${rehearsalStamp}` : `cycle-${year}-${rootId}`;
}

/** The workflow of one unit's task inside a cycle: `cycle-2027-LDLD-HN/CDCS-0412`. */
export function unitWorkflowId(cycle: string, unitId: string): string {
  return `${cycle}/${unitId}`;
}

/** A batch workflow that starts ≤ 500 children of one parent: `cycle-2027-LDLD-HN/LDLD-QLB#batch-3`. */
export function batchWorkflowId(cycle: string, parentUnitId: string, index: number): string {
  return `${cycle}/${parentUnitId}#batch-${index}`;
}

/**
 * A campaign group (workflows/campaign-group.ts) holding the children [offset, offset + count) of a unit:
 * `cycle-2027-LDLD-HN~bao-cao-quy/LDLD-QLB#group-0-38`.
 */
export function campaignGroupWorkflowId(cycle: string, unitId: string, offset: number, count: number): string {
  return `${cycle}/${unitId}#group-${offset}-${count}`;
}

/**
 * Separates a cycle id from its campaign: `cycle-2027-LDLD-BN~bao-cao-quy`. Neither unit ids
 * (`[A-Za-z0-9_.-]`), campaign slugs nor rehearsal stamps contain it, so the split is never ambiguous.
 */
export const CAMPAIGN_SEPARATOR = '~';

/**
 * The cycle of a campaign at a root: `cycle-2027-LDLD-BN~bao-cao-quy` (a rehearsal: `rehearsal-…-<stamp>~slug`).
 * The built-in campaign keeps today's `cycle-<year>-<root>`, so every cycle started before campaigns is one.
 */
export function campaignCycleId(year: number, rootId: string, campaignId: string, rehearsalStamp?: string): string {
  const base = cycleId(year, rootId, rehearsalStamp);
  return campaignId === BUILTIN_CAMPAIGN_ID ? base : `${base}${CAMPAIGN_SEPARATOR}${campaignId}`;
}

const CYCLE_ID = /^(cycle|rehearsal)-(\d{4})-(.+)$/;

export interface ParsedCycleId {
  year: number;
  rootId: string;
  rehearsal: boolean;
  /** the campaign after the `~`; `builtin-yearly` for an id without one (every cycle started before campaigns) */
  campaignId: string;
}

/** Parses a cycle id back (both forms); undefined when the text is not one. */
export function parseCycleId(id: string): ParsedCycleId | undefined {
  if (id.includes('/')) return undefined;
  const cut = id.lastIndexOf(CAMPAIGN_SEPARATOR);
  const head = cut < 0 ? id : id.slice(0, cut);
  const campaignId = cut < 0 ? BUILTIN_CAMPAIGN_ID : id.slice(cut + 1);
  if (cut >= 0 && (!CAMPAIGN_ID.test(campaignId) || campaignId === BUILTIN_CAMPAIGN_ID || head.includes(CAMPAIGN_SEPARATOR))) return undefined;
  const m = CYCLE_ID.exec(head);
  if (!m) return undefined;
  const rest = m[3]!;
  const rehearsal = m[1] === 'rehearsal';
  return { year: Number(m[2]), rootId: rehearsal ? rest.replace(/-\d{8,}$/, '') : rest, rehearsal, campaignId };
}

/**
 * `programme-2026-2030-LDLD-BN`: a multi-year programme's Schedule id (and the prefix of its workflows' ids); a
 * programme of a campaign: `programme-2026-2030-LDLD-BN~bao-cao-quy`, so a root runs one programme per campaign.
 */
export function programmeId(p: { firstYear: number; lastYear: number; rootUnitId: string; campaign?: { id: string } }): string {
  const base = `programme-${p.firstYear}-${p.lastYear}-${p.rootUnitId}`;
  return p.campaign && p.campaign.id !== BUILTIN_CAMPAIGN_ID ? `${base}${CAMPAIGN_SEPARATOR}${p.campaign.id}` : base;
}

const PROGRAMME_ID = /^programme-(\d{4})-(\d{4})-([A-Za-z0-9_.-]{1,64})(?:~([^~]+))?$/;

/** Parses a programme id back (both forms); undefined when the text is not one. */
export function parseProgrammeId(id: string): { firstYear: number; lastYear: number; rootUnitId: string; campaignId?: string } | undefined {
  const m = PROGRAMME_ID.exec(id);
  if (!m || (m[4] !== undefined && (!CAMPAIGN_ID.test(m[4]) || m[4] === BUILTIN_CAMPAIGN_ID))) return undefined;
  return { firstYear: Number(m[1]), lastYear: Number(m[2]), rootUnitId: m[3]!, ...(m[4] ? { campaignId: m[4] } : {}) };
}
