// The archive of campaign aggregates on SQLite and PostgreSQL: a node's final aggregate is written once per key
// and read back as written; an aggregate of another cycle's campaign, or malformed, is refused with nothing written;
// a built-in aggregate under a key is not read as a campaign one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { latestAggregate, latestAggregates, recordAggregate } from '../../activities/archive/aggregates';
import { campaignAggregateByKey, finalCampaignAggregates, recordCampaignAggregate } from '../../activities/campaigns/aggregates';
import type { CampaignAggregate } from '../../workflows/campaign-state';
import { testDatabases, type TestDatabase } from '../db/databases';

const CYCLE = 'cycle-2027-R~bao-cao-quy-an-toan';
const list = (ids: string[], total = ids.length) => ({ ids, total });
const aggregate = (unitId: string, sessions: number): CampaignAggregate => ({
  cycleId: CYCLE,
  unitId,
  campaignId: 'bao-cao-quy-an-toan',
  version: 1,
  asOf: '2028-01-31T17:00:00.000Z',
  phases: {
    q1: {
      expected: 3,
      submittedOnTime: list([unitId, 'G11']),
      submittedLate: list([]),
      notSubmitted: list(['G12']),
      overdue: list(['G12']),
      rates: { completeness: 66.7, timeliness: 66.7 },
      figures: { trainingSessions: { value: sessions, reporting: 2, target: null }, safetyNetworkRate: { value: null, reporting: 0, target: null } },
      targets: null,
      listItems: 0,
    },
  },
});

describe.each(testDatabases())('campaign aggregates on $name', (kind) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await kind.open();
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('writes once per key and reads back what was written', async () => {
    expect(await recordCampaignAggregate(t.db, { key: 'w/R:final', aggregate: aggregate('R', 7), final: true })).toEqual({ stored: true });
    expect(await recordCampaignAggregate(t.db, { key: 'w/R:final', aggregate: aggregate('R', 8), final: true })).toEqual({ stored: false });
    await recordCampaignAggregate(t.db, { key: 'w/I1:final', aggregate: aggregate('I1', 3), final: true });
    expect((await campaignAggregateByKey(t.db, 'w/R:final'))!.aggregate).toEqual(aggregate('R', 7));
    const finals = await finalCampaignAggregates(t.db, CYCLE);
    expect([...finals.keys()]).toEqual(['I1', 'R']);
    expect(finals.get('I1')!.phases.q1!.figures.trainingSessions!.value).toBe(3);
    expect(await campaignAggregateByKey(t.db, 'no-such-key')).toBeUndefined();
  });

  it('is not read as a built-in aggregate by the archive pages’ readers', async () => {
    await recordCampaignAggregate(t.db, { key: 'w/R:final', aggregate: aggregate('R', 7), final: true });
    expect(await latestAggregate(t.db, CYCLE, 'R')).toBeUndefined();
    expect((await latestAggregates(t.db, CYCLE, ['R'])).size).toBe(0);
  });

  it('refuses another campaign’s cycle and a malformed aggregate, writing nothing', async () => {
    const other = { ...aggregate('R', 1), campaignId: 'bao-cao-khac' };
    await expect(recordCampaignAggregate(t.db, { key: 'k1', aggregate: other, final: true })).rejects.toMatchObject({ code: 'ArchiveInputError', message: expect.stringContaining('is not a cycle of campaign bao-cao-khac') });
    const broken = { ...aggregate('R', 1), phases: { q1: { ...aggregate('R', 1).phases.q1!, expected: -1 } } };
    await expect(recordCampaignAggregate(t.db, { key: 'k2', aggregate: broken, final: true })).rejects.toMatchObject({ code: 'ArchiveInputError', message: expect.stringContaining('phases.q1.expected') });
    expect(await t.db.selectFrom('aggregates').selectAll().execute()).toEqual([]);
  });

  it('does not read a built-in cycle’s aggregate as a campaign one', async () => {
    const zero = { studyClasses: 0, participants: 0, exemplaryModels: 0, exemplaryPeople: 0 };
    const rollup = { expected: 1, submittedOnTime: list([]), submittedLate: list([]), notSubmitted: list(['R']), overdue: list([]) };
    await recordAggregate(t.db, {
      key: 'builtin:final',
      aggregate: { cycleId: 'cycle-2027-R', unitId: 'R', asOf: '2028-01-31T17:00:00.000Z', below: { plan: rollup, report: rollup, figures: zero, commendations: { total: 0 } }, rates: { plan: { completeness: 0, timeliness: 0 }, report: { completeness: 0, timeliness: 0 } }, totalFigures: zero },
      final: true,
    });
    expect(await campaignAggregateByKey(t.db, 'builtin:final')).toBeUndefined();
  });
});
