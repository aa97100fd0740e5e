// The rules a due event checks at the moment it runs (workflows/unit-state.ts). The unit workflow lists every
// event due at once and runs them one by one; while one awaits an activity, an update may submit the phase or
// move its deadline, and the events after it in the batch must see that. (The race itself cannot be staged
// deterministically on the server: the two activities in flight finish in either order.)
import { describe, expect, it } from 'vitest';
import type { PhaseDeadlines } from '../../activities/calendar/types';
import { dueMarkApplies, escalationApplies, escalationKey, initialPhase, reminderApplies, type PhaseState } from '../../workflows/unit-state';
import type { ChildPhaseSummary } from '../../workflows/messages';

const deadlines = (dueAt: string, reminders: string[], escalations: PhaseDeadlines['escalations']): PhaseDeadlines => ({ dueDate: dueAt.slice(0, 10), dueAt, reminders, escalations });
const LEVEL = deadlines('2027-03-31T16:59:59.000Z', ['2027-03-24T01:00:00.000Z', '2027-03-30T01:00:00.000Z'], [
  { at: '2027-03-31T16:59:59.000Z', round: 1, target: 'parent' },
  { at: '2027-04-07T01:00:00.000Z', round: 2, target: 'grandparent' },
]);
const EXTENDED = deadlines('2027-04-15T16:59:59.000Z', ['2027-04-12T01:00:00.000Z'], [{ at: '2027-04-15T16:59:59.000Z', round: 1, target: 'parent' }]);

const submitted = (p: PhaseState): PhaseState => ({ ...p, progress: { kind: 'submitted', version: 1, firstSubmittedAt: '2027-03-30T02:00:00.000Z', lastSubmittedAt: '2027-03-30T02:00:00.000Z', late: false } });
const extended = (p: PhaseState): PhaseState => ({ ...p, deadlines: EXTENDED, extended: true });

describe('a due event re-checks the state when it runs', () => {
  const open = initialPhase(LEVEL);

  it('an overdue mark applies to an open phase still due then, not once submitted or extended', () => {
    expect(dueMarkApplies(open, LEVEL.dueAt)).toBe(true);
    expect(dueMarkApplies(submitted(open), LEVEL.dueAt)).toBe(false);
    expect(dueMarkApplies(extended(open), LEVEL.dueAt)).toBe(false);
    expect(dueMarkApplies(extended(open), EXTENDED.dueAt)).toBe(true);
  });

  it('a reminder applies while the phase is open and the reminder is still on its deadlines', () => {
    expect(reminderApplies(open, LEVEL.reminders[1]!)).toBe(true);
    expect(reminderApplies(submitted(open), LEVEL.reminders[1]!)).toBe(false);
    expect(reminderApplies(extended(open), LEVEL.reminders[1]!)).toBe(false);
  });

  it('a unit is in an escalation round while open and the round is on its (possibly extended) deadlines', () => {
    const child = (over: Partial<ChildPhaseSummary> = {}): ChildPhaseSummary => ({ progress: 'open', late: false, overdue: true, deadlines: null, remindersSent: 2, ...over });
    const round2 = escalationKey('plan', LEVEL.escalations[1]!);
    expect(escalationApplies(child(), LEVEL, 'plan', round2)).toBe(true);
    expect(escalationApplies(child({ progress: 'submitted', version: 1 }), LEVEL, 'plan', round2)).toBe(false);
    expect(escalationApplies(child({ deadlines: EXTENDED }), LEVEL, 'plan', round2)).toBe(false);
    expect(escalationApplies(undefined, LEVEL, 'plan', round2)).toBe(false);
    expect(escalationApplies(child(), LEVEL, 'report', round2)).toBe(false);
  });
});
