// The escalation rounds of a parent kept as its children change (workflows/escalation-rounds.ts) against the scan
// of every child entry that runs before ESCALATION_ROUNDS_PATCH computed on each pass: random children (ids that
// sort as array indices too), random sequences of entries — open or submitted phases, the level's deadlines or
// extended ones whose rounds share instants with the level's under other round numbers —, rounds firing on the
// way; after every change both must list the same units in the same order for every round not yet fired. And the
// cost the patch is for: after a change, a pass reads no other child's entry, where the scan reads all of them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Escalation, PhaseDeadlines } from '../../domain/calendar';
import { EscalationRounds, scanEscalationRounds, type ListedRound } from '../../workflows/escalation-rounds';
import type { ChildPhaseSummary } from '../../workflows/messages';
import { PHASES, type Phase } from '../../workflows/report';
import { escalationKey, pristineChild, type ChildEntry } from '../../workflows/unit-state';

const escalation = (at: string, round: number, target: Escalation['target']): Escalation => ({ at: `${at}T01:00:00.000Z`, round, target });
const deadlines = (dueDate: string, escalations: Escalation[]): PhaseDeadlines => ({ dueDate, dueAt: `${dueDate}T16:59:59.000Z`, reminders: [], escalations });

const LEVEL: Record<Phase, PhaseDeadlines> = {
  plan: deadlines('2027-03-31', [escalation('2027-04-02', 1, 'parent'), escalation('2027-04-07', 2, 'parent'), escalation('2027-04-14', 3, 'grandparent')]),
  report: deadlines('2027-11-30', [escalation('2027-12-02', 1, 'parent'), escalation('2027-12-07', 2, 'grandparent')]),
};
/** extended deadlines: one round on an instant of the level's under another round number, one of its own */
const EXTENDED: Record<Phase, PhaseDeadlines[]> = {
  plan: [deadlines('2027-04-10', [escalation('2027-04-14', 1, 'grandparent'), escalation('2027-04-21', 2, 'grandparent')])],
  report: [deadlines('2027-12-05', [escalation('2027-12-07', 1, 'grandparent'), escalation('2027-12-12', 2, 'grandparent')])],
};
const ALL_KEYS = PHASES.flatMap((phase) => [LEVEL[phase], ...EXTENDED[phase]].flatMap((d) => d.escalations.map((e) => escalationKey(phase, e))));

const summary = (phase: Phase): fc.Arbitrary<ChildPhaseSummary> =>
  fc
    .record({ progress: fc.constantFrom('open', 'open', 'submitted', 'returned', 'accepted'), extended: fc.option(fc.constantFrom(...EXTENDED[phase]), { nil: null }) })
    .map(({ progress, extended }) => ({ progress, late: false, overdue: false, deadlines: extended, remindersSent: 0, ...(progress === 'open' ? {} : { version: 1 }) }) as ChildPhaseSummary);

const entry: fc.Arbitrary<ChildEntry> = fc.record({ plan: summary('plan'), report: summary('report') }).map((s) => ({ ...pristineChild('grassroots'), ...s }));

/** Child ids, some of which are array indices ("7", "120"): a plain object lists those first. */
const childIds = fc.uniqueArray(fc.oneof(fc.stringMatching(/^[A-Z]{1,3}-[0-9]{1,3}$/), fc.nat(500).map(String)), { minLength: 1, maxLength: 30 });

const scenario = childIds.chain((ids) =>
  fc.record({
    ids: fc.constant(ids),
    pristine: fc.subarray(ids),
    steps: fc.array(fc.oneof(fc.record({ id: fc.constantFrom(...ids), entry }), fc.record({ fire: fc.constantFrom(...ALL_KEYS) })), { minLength: 1, maxLength: 60 }),
  }),
);

/** What the scan gives for the rounds not yet fired. */
const scanned = (children: Record<string, ChildEntry>, fired: Set<string>): Map<string, ListedRound> =>
  new Map(scanEscalationRounds(children, LEVEL).filter((r) => !fired.has(r.key)).map((r) => [r.key, r]));

function expectSameRounds(index: EscalationRounds, children: Record<string, ChildEntry>, fired: Set<string>) {
  const expected = scanned(children, fired);
  expect(new Set(index.pending().map((r) => r.key))).toEqual(new Set(expected.keys()));
  for (const [key, round] of expected) {
    expect(index.listed(key)).toEqual(round);
    expect(index.pending().find((r) => r.key === key)).toEqual({ key, phase: round.phase, at: round.escalation.at });
    for (const id of Object.keys(children)) expect(index.lists(key, id)).toBe(round.unitIds.includes(id));
  }
}

describe('the escalation rounds of a parent', () => {
  it('list what the scan of every child lists, in the same order, after every change and every round fired', () => {
    fc.assert(
      fc.property(scenario, ({ pristine, steps }) => {
        const children: Record<string, ChildEntry> = {};
        for (const id of pristine) children[id] = pristineChild('grassroots');
        const fired = new Set<string>();
        const index = new EscalationRounds(children, LEVEL, (key) => fired.has(key));
        expectSameRounds(index, children, fired);
        for (const step of steps) {
          if ('fire' in step) fired.add(step.fire);
          else {
            children[step.id] = step.entry;
            index.set(step.id, step.entry);
          }
          expectSameRounds(index, children, fired);
        }
        // a new run rebuilds them from the state carried over (continue-as-new)
        expectSameRounds(new EscalationRounds(JSON.parse(JSON.stringify(children)), LEVEL, (key) => fired.has(key)), children, fired);
      }),
      { numRuns: 300 },
    );
  });

  it('costs a pass the rounds, not the children: after a change at 2,000 children no other entry is read', () => {
    let reads = 0;
    const entries: Record<string, ChildEntry> = {};
    for (let i = 0; i < 2_000; i++) entries[`CDCS-${String(i).padStart(4, '0')}`] = pristineChild('grassroots');
    const children = new Proxy(entries, {
      get(target, key, receiver) {
        if (typeof key === 'string') reads += 1;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const fired = new Set<string>();
    const index = new EscalationRounds(children, LEVEL, (key) => fired.has(key));

    // the loop of a parent: a child reports, the pass lists what is pending, the round due fires
    reads = 0;
    const submitted: ChildEntry = { ...pristineChild('grassroots'), plan: { progress: 'submitted', version: 1, late: false, overdue: false, deadlines: null, remindersSent: 0 } };
    index.set('CDCS-0007', submitted);
    expect(index.pending()).toHaveLength(LEVEL.plan.escalations.length + LEVEL.report.escalations.length);
    expect(reads).toBe(0);
    const first = escalationKey('plan', LEVEL.plan.escalations[0]!);
    expect(index.listed(first)!.unitIds).toHaveLength(1_999);
    expect(index.lists(first, 'CDCS-0007')).toBe(false);
    fired.add(first);
    expect(index.pending().map((r) => r.key)).not.toContain(first);
    expect(reads).toBe(0);

    // what runs before the patch did on the same pass: every child's entry, twice per phase
    scanEscalationRounds(children, LEVEL);
    expect(reads).toBeGreaterThanOrEqual(2_000);
  });
});
