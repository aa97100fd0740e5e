// The compact state a parent keeps of its children (workflows/unit-state.ts): what a child's report becomes,
// how a state carried over by a run from before the bounded rollups is upgraded, and the aggregate computed
// from the entries — exact counts, lists in tree order capped at AGGREGATE_LIST_CAP, no content.
import { describe, expect, it } from 'vitest';
import { AGGREGATE_LIST_CAP, type Rollup } from '../../workflows/aggregate-types';
import { mergeRollups, phaseRollupOf } from '../../workflows/aggregate';
import type { ChildReport, ChildView } from '../../workflows/messages';
import { belowRollup, childEntryOf, initialPhase, pristineChild, upgradeState, type UnitState } from '../../workflows/unit-state';

const LEVEL = { dueDate: '2027-03-31', dueAt: '2027-03-31T16:59:59.000Z', reminders: [], escalations: [] };
const summary = (progress: 'open' | 'submitted', late = false, overdue = false) => ({ progress, late, overdue, deadlines: null, remindersSent: 0 });

function state(children: UnitState['children']): UnitState {
  return { plan: initialPhase(LEVEL), report: initialPhase(LEVEL), ownReport: null, receipts: {}, done: [], children, seq: 0, bounces: 0, closed: false };
}

/** A child whose subtree is itself (submitted on time) and `below` grassroots units pending. */
function reportOf(unitId: string, below: string[], seq = 1): ChildReport {
  const selves: Rollup[] = [unitId, ...below].map((id, i) => ({
    ...mergeRollups([]),
    plan: phaseRollupOf(id, i === 0 ? 'on-time' : 'overdue'),
    report: phaseRollupOf(id, 'pending'),
    figures: { studyClasses: 1, participants: 10 + i, exemplaryModels: 0, exemplaryPeople: 0 },
    commendations: { total: 2 },
  }));
  return { unitId, plan: summary('submitted'), report: summary('open'), seq, subtree: mergeRollups(selves) };
}

describe('the compact child entries', () => {
  it('keep counts, figures and a share of the ids below, and give back exact aggregates in tree order', () => {
    const entries = { A: childEntryOf(reportOf('A', ['A1', 'A2']), 'intermediate', 50), B: childEntryOf(reportOf('B', ['B1']), 'intermediate', 50) };
    expect(entries.A).toMatchObject({ counts: { plan: [3, 1, 0, 2, 2], report: [3, 0, 0, 3, 0] }, figures: [3, 33, 0, 0], commendations: 6 });
    expect(JSON.stringify(entries.A)).not.toContain('"items"');
    const below = belowRollup(state(entries));
    expect(below.plan).toEqual({
      expected: 5,
      submittedOnTime: { ids: ['A', 'B'], total: 2 },
      submittedLate: { ids: [], total: 0 },
      notSubmitted: { ids: ['A1', 'A2', 'B1'], total: 3 },
      overdue: { ids: ['A1', 'A2', 'B1'], total: 3 },
    });
    expect(below.report.notSubmitted).toEqual({ ids: ['A', 'A1', 'A2', 'B', 'B1'], total: 5 });
    expect(below.figures.participants).toBe(33 + 21);
    expect(below.commendations).toEqual({ total: 10 });
  });

  it('cap every list, however many children there are, and keep no deeper ids when the share is zero', () => {
    const children: UnitState['children'] = {};
    for (let i = 0; i < 3 * AGGREGATE_LIST_CAP; i++) children[`C${i}`] = pristineChild('grassroots');
    const below = belowRollup(state(children));
    expect(below.report.notSubmitted.total).toBe(3 * AGGREGATE_LIST_CAP);
    expect(below.report.notSubmitted.ids).toHaveLength(AGGREGATE_LIST_CAP);
    expect(childEntryOf(reportOf('A', ['A1']), 'intermediate', 0).below).toBeUndefined();
  });

  it('upgrade a state carried over by a run from before (whole rollups per child, proposals in full)', () => {
    const legacyView: ChildView = { unitId: 'A', plan: summary('submitted'), report: summary('open') };
    const legacySubtree = { ...reportOf('A', ['A1']).subtree, commendations: { total: 1, items: [{ kind: 'individual' as const, name: 'Nguyễn Văn A', reason: '', unitId: 'A1' }] } };
    const legacy = {
      ...state({}),
      children: { A: { unitId: 'A', kind: 'intermediate', seq: 4, view: { ...legacyView, seq: 4, subtree: legacySubtree }, subtree: legacySubtree } },
      ownReport: { figures: { studyClasses: 2, participants: 30, exemplaryModels: 1, exemplaryPeople: 1 }, commendations: [{ kind: 'collective', name: 'Tổ 1', reason: '' }] },
    } as unknown as UnitState;
    const upgraded = upgradeState(legacy, 50);
    expect(upgraded.ownReport).toEqual({ figures: { studyClasses: 2, participants: 30, exemplaryModels: 1, exemplaryPeople: 1 }, commendationCount: 1 });
    expect(upgraded.children.A).toMatchObject({ kind: 'intermediate', seq: 4, plan: { progress: 'submitted' }, counts: { plan: [2, 1, 0, 1, 1] }, commendations: 1 });
    expect(JSON.stringify(upgraded)).not.toContain('Nguyễn Văn A');
    expect(upgradeState(upgraded, 50)).toEqual(upgraded); // today's shape is left as it is
  });
});
