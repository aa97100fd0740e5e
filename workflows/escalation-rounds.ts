// Which units below a parent each escalation round lists. Before ESCALATION_ROUNDS_PATCH a parent rebuilt every
// round from every child entry on every pass of its loop (scanEscalationRounds, kept for the runs that started
// before it and as the reference): a parent of MAX_FAN_OUT children read 2,000 entries × 2 phases each time any
// child reported, so a year of changes below it cost O(children²). EscalationRounds keeps the rounds as the
// entries change (setChild in workflows/unit.ts is the one place they change): a child's new entry moves it out of
// the rounds it was in and into those its open phases are now on, so a pass costs the number of rounds not yet
// fired, and listing a round that fires costs the units it lists — what is overdue, not the fan-out.
// Derived from the state, never stored: rebuilt from state.children when a run starts.
// Test: test/cycle/escalation-rounds.test.ts (the same rounds and lists as the scan on random sequences of
// entries; a pass after a change reads no other child).
import type { Escalation, PhaseDeadlines } from '../domain/calendar';
import { isArrayIndex } from './aggregate-running';
import { PHASES, type Phase } from './report';
import { escalationKey, type ChildEntry } from './unit-state';

/** Patch id: runs that started before it rebuild every round from every child on each pass (and replay so). */
export const ESCALATION_ROUNDS_PATCH = 'v6-soak-escalation-rounds';

/** One digest round of a parent: the units below still open in `phase` whose deadlines have this escalation. */
export interface ListedRound {
  key: string;
  phase: Phase;
  /** of the first unit listed (in the children's order): rounds of extended deadlines can share an instant */
  escalation: Escalation;
  unitIds: string[];
}

/** A round not yet fired, as far as scheduling needs it (its list is built only when it fires). */
export interface PendingRound {
  key: string;
  phase: Phase;
  at: string;
}

/**
 * Every round from every child entry, units in the order of Object.entries(children): the computation of the runs
 * before ESCALATION_ROUNDS_PATCH, unchanged, and the reference EscalationRounds is tested against.
 */
export function scanEscalationRounds(children: Record<string, ChildEntry>, childLevel: Record<Phase, PhaseDeadlines>): ListedRound[] {
  const rounds = new Map<string, ListedRound>();
  for (const [childId, child] of Object.entries(children)) {
    for (const phase of PHASES) {
      const view = child[phase];
      if (view.progress !== 'open') continue;
      const deadlines = view.deadlines ?? childLevel[phase];
      for (const escalation of deadlines.escalations) {
        const key = escalationKey(phase, escalation);
        const round = rounds.get(key) ?? { key, phase, escalation, unitIds: [] };
        round.unitIds.push(childId);
        rounds.set(key, round);
      }
    }
  }
  return [...rounds.values()];
}

interface Round {
  phase: Phase;
  at: string;
  /** child id → the escalation of its deadlines with this round's key */
  members: Map<string, Escalation>;
}

export class EscalationRounds {
  private readonly rounds = new Map<string, Round>();
  /** the round keys each child is in now */
  private readonly keysOf = new Map<string, string[]>();
  /** insertion rank of each child id that is not an array index (the order of Object.entries) */
  private readonly rank = new Map<string, number>();
  private nextRank = 0;

  /**
   * `fired(key)`: the round has been handled (or skipped as past); it is dropped, and no child is added to it
   * again (a report returned after its round is not chased by that round twice).
   */
  constructor(
    children: Record<string, ChildEntry>,
    private readonly childLevel: Record<Phase, PhaseDeadlines>,
    private readonly fired: (key: string) => boolean,
  ) {
    for (const [id, entry] of Object.entries(children)) this.set(id, entry);
  }

  /** The entry of child `id` is now `entry` (a new child, or a newer report of a known one). */
  set(id: string, entry: ChildEntry): void {
    if (!this.keysOf.has(id) && !isArrayIndex(id)) this.rank.set(id, this.nextRank++);
    for (const key of this.keysOf.get(id) ?? []) {
      const round = this.rounds.get(key);
      if (!round) continue;
      round.members.delete(id);
      if (round.members.size === 0) this.rounds.delete(key);
    }
    const keys: string[] = [];
    for (const phase of PHASES) {
      const view = entry[phase];
      if (view.progress !== 'open') continue;
      for (const escalation of (view.deadlines ?? this.childLevel[phase]).escalations) {
        const key = escalationKey(phase, escalation);
        if (this.fired(key)) continue;
        let round = this.rounds.get(key);
        if (!round) this.rounds.set(key, (round = { phase, at: escalation.at, members: new Map() }));
        // a child's deadlines have each key once (the key names the instant): the first, like the scan
        if (!round.members.has(id)) round.members.set(id, escalation);
        keys.push(key);
      }
    }
    this.keysOf.set(id, keys);
  }

  /** The rounds that list at least one unit and have not fired; the fired ones are dropped on the way. */
  pending(): PendingRound[] {
    const pending: PendingRound[] = [];
    for (const [key, round] of this.rounds) {
      if (this.fired(key)) this.rounds.delete(key);
      else pending.push({ key, phase: round.phase, at: round.at });
    }
    return pending;
  }

  /** Whether round `key` lists unit `id` now. */
  lists(key: string, id: string): boolean {
    return this.rounds.get(key)?.members.has(id) ?? false;
  }

  /** Round `key` as it stands, its units in the children's order (null: it lists nobody, or has fired). */
  listed(key: string): ListedRound | null {
    const round = this.rounds.get(key);
    if (!round || this.fired(key)) return null;
    const unitIds = [...round.members.keys()].sort((a, b) => (this.before(a, b) ? -1 : 1));
    return { key, phase: round.phase, escalation: round.members.get(unitIds[0]!)!, unitIds };
  }

  private before(a: string, b: string): boolean {
    const ai = isArrayIndex(a);
    const bi = isArrayIndex(b);
    if (ai !== bi) return ai;
    return ai ? Number(a) < Number(b) : this.rank.get(a)! < this.rank.get(b)!;
  }
}
