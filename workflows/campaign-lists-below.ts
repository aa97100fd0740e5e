// The ids a campaign aggregate's lists name below the units directly under a node (patch v8-campaign-lists-below).
// Before it, a node's lists named itself and its direct children only: a unit deeper down, or one held by a group
// (campaign-group.ts), was counted in the totals and never named, so the secretariat could not see who is late
// below an intermediate level.
//
// Bounded by construction, as the built-in's (workflows/unit-state.ts, `below`):
// - a report upward carries, per phase and list, at most campaignListCap ids of the sender's subtree (itself
//   excluded: its parent names it from its phases) — the same cap as an aggregate's lists;
// - a parent keeps of each entry at most `quota` ids per list, a quota fixed for the run from the number of its
//   entries so that every entry at its largest plus its sample fits the payload the entries already had
//   (campaignBelowQuota, campaign-state.ts): the fan-out capacity, and so the grouping, does not change;
// - a node's lists are its own id, then per entry its id (a unit's, not a group's) and the entry's sample, in
//   entry order, up to the cap.
// So a parent of few entries (a grouped unit over its groups, an intermediate over a few units) names deep units;
// one at its capacity names only its direct units, as before.
import type { CampaignWorkflowView } from '../domain/campaign-view';
import type { Standing } from './campaign-state';
import { AGGREGATE_LIST_CAP } from './aggregate-types';

/**
 * Runs past this patch name units below their direct children in their lists: every campaign unit and group meets
 * the marker at its start (a continued run too), so its reports, its entries' samples and its aggregates follow it.
 * Histories recorded before it (v4–v7 campaign-*) replay without it: no sample sent, kept or named.
 */
export const CAMPAIGN_LISTS_BELOW_PATCH = 'v8-campaign-lists-below';

/** Ids per list, in the order of PhaseCounts after `expected`: on time, late, not submitted, overdue. */
export type IdSample = [string[], string[], string[], string[]];
/** An IdSample per phase key. */
export type IdSamples = Record<string, IdSample>;

/** Ids per list: AGGREGATE_LIST_CAP × 2 shared by the phases (the built-in's two phases keep 100 each). */
export function campaignListCap(phaseCount: number): number {
  return Math.max(5, Math.floor((2 * AGGREGATE_LIST_CAP) / Math.max(1, phaseCount)));
}

/** The lists a unit of a standing is in (an overdue unit is also not submitted). */
export const LISTS_OF: Record<Standing, readonly number[]> = { 'on-time': [0], late: [1], pending: [2], overdue: [2, 3] };

const emptySample = (): IdSample => [[], [], [], []];

/** What a node's lists are built from: per entry, its standing when it is a unit (a group has none) and its sample. */
export interface NamedEntry {
  id: string;
  standing: (phase: string) => Standing | null;
  below?: IdSamples;
}

/** The ids of the entries and their samples per phase and list, in entry order, up to `cap` (after `first`). */
export function namesOf(view: CampaignWorkflowView, entries: Iterable<NamedEntry>, cap: number, first?: { id: string; standing: (phase: string) => Standing }): IdSamples {
  const out: IdSamples = {};
  for (const p of view.phases) out[p.key] = emptySample();
  const push = (phase: string, list: number, ids: readonly string[]) => {
    const l = out[phase]![list]!;
    for (const id of ids) {
      if (l.length >= cap) return;
      l.push(id);
    }
  };
  if (first) for (const p of view.phases) for (const i of LISTS_OF[first.standing(p.key)]) push(p.key, i, [first.id]);
  for (const e of entries)
    for (const p of view.phases) {
      const standing = e.standing(p.key);
      if (standing) for (const i of LISTS_OF[standing]) push(p.key, i, [e.id]);
      const sample = e.below?.[p.key];
      if (sample) sample.forEach((ids, i) => push(p.key, i, ids));
    }
  return out;
}

/** What a parent keeps of a report's sample: `quota` ids per list, nothing when none is left. */
export function keptSample(below: IdSamples | undefined, quota: number): { below?: IdSamples } {
  if (!below || quota <= 0) return {};
  const kept: IdSamples = {};
  let any = false;
  for (const [phase, lists] of Object.entries(below)) {
    kept[phase] = lists.map((ids) => ids.slice(0, quota)) as IdSample;
    any ||= kept[phase].some((ids) => ids.length > 0);
  }
  return any ? { below: kept } : {};
}

/** The longest unit id (domain/directory.ts: [A-Za-z0-9_.-], at most 64 characters). */
const MAX_ID = 64;

/** A sample of `quota` ids of the longest length in every list of every phase: its largest legal value. */
export function sampleAtMost(view: CampaignWorkflowView, quota: number): IdSamples {
  const ids = Array.from({ length: quota }, (_, i) => `${'x'.repeat(MAX_ID - 6)}${String(i).padStart(6, '0')}`);
  return Object.fromEntries(view.phases.map((p) => [p.key, [[...ids], [...ids], [...ids], [...ids]] as IdSample]));
}

/** JSON bytes one more id per list adds to a sample at most: the id, its quotes and a comma, in 4 lists per phase. */
export const sampleBytesPerQuota = (view: CampaignWorkflowView): number => 4 * view.phases.length * (MAX_ID + 3);
