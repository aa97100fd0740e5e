import type { LocalDate } from '../calendar/types';

/**
 * The parent of one unit over time, as a list of events "from this date, the parent is P". Stored as
 * contiguous intervals: a link is valid on `validFrom <= d < validTo`; the last one is open-ended.
 * `parentId` null means "no parent from this date" (e.g. the unit became a root).
 */
export interface ParentLink {
  parentId: string | null;
  validFrom: LocalDate;
  validTo: LocalDate | null;
}

function isValidOn(link: ParentLink, date: LocalDate): boolean {
  return link.validFrom <= date && (link.validTo === null || date < link.validTo);
}

/** The parent on a date; null when the unit had none then. */
export function parentOn(links: readonly ParentLink[], date: LocalDate): string | null {
  return links.find((l) => isValidOn(l, date))?.parentId ?? null;
}

/** The parent from the last event on (what the unit's parent is "now and from now on"). */
export function latestParent(links: readonly ParentLink[]): string | null {
  let last: ParentLink | undefined;
  for (const l of links) if (!last || l.validFrom > last.validFrom) last = l;
  return last?.parentId ?? null;
}

/**
 * Adds the event "from `from`, the parent is `parentId`" to a timeline. Later events stay (a change already
 * scheduled after `from` still happens); an event on the same date is replaced. Back-dating is just an
 * earlier `from`. The result is normalised: sorted, contiguous, adjacent equal parents merged, no leading
 * "no parent" link.
 */
export function withParentFrom(links: readonly ParentLink[], parentId: string | null, from: LocalDate): ParentLink[] {
  const events = links.filter((l) => l.validFrom !== from).map((l) => ({ parentId: l.parentId, validFrom: l.validFrom }));
  events.push({ parentId, validFrom: from });
  return normalise(events);
}

function normalise(events: { parentId: string | null; validFrom: LocalDate }[]): ParentLink[] {
  const sorted = [...events].sort((a, b) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0));
  const merged: { parentId: string | null; validFrom: LocalDate }[] = [];
  for (const e of sorted) {
    const prev = merged[merged.length - 1];
    if (prev ? prev.parentId === e.parentId : e.parentId === null) continue;
    merged.push(e);
  }
  return merged.map((e, i) => ({ ...e, validTo: merged[i + 1]?.validFrom ?? null }));
}

/** True when two timelines say the same thing. */
export function sameTimeline(a: readonly ParentLink[], b: readonly ParentLink[]): boolean {
  return (
    a.length === b.length &&
    a.every((l, i) => l.parentId === b[i]!.parentId && l.validFrom === b[i]!.validFrom && l.validTo === b[i]!.validTo)
  );
}
