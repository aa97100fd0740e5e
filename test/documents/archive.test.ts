// The archive read without Temporal: recorded aggregates (keyed, newest first), a closed cycle's status per
// unit, and aggregates rebuilt from submissions and the audit log with the workflow's own rules.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { latestAggregate, latestAggregates, recordAggregate } from '../../activities/archive/aggregates';
import { ArchiveInputError, UnknownCycleError } from '../../activities/archive/errors';
import { cycleArchiveStatus } from '../../activities/archive/status';
import { commendationsBelow, loadSubtree, rebuildAggregate } from '../../activities/archive/subtree';
import { UnitNotInCycleError } from '../../activities/directory/errors';
import { createDocumentActivities } from '../../activities/documents';
import type { Aggregate } from '../../workflows/aggregate-types';
import { mergeRollups, phaseRollupOf, toAggregate } from '../../workflows/aggregate';
import { testDatabases, type TestDatabase } from '../db/databases';
import { AS_OF, buildArchive, CLOSED_AT, CYCLE, DISTRICT, ROOT } from './fixture';

describe.each(testDatabases())('archive on $name', (kind) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await kind.open();
    await buildArchive(t.db);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('rebuilds the district aggregate as of an instant: standings, capped lists in tree order, figures, rates', async () => {
    const a = await rebuildAggregate(t.db, { cycleId: CYCLE, unitId: DISTRICT, asOf: AS_OF });
    const list = (...ids: string[]) => ({ ids, total: ids.length });
    expect(a).toEqual({
      cycleId: CYCLE,
      unitId: DISTRICT,
      asOf: AS_OF,
      below: {
        // tree order: CD-KCQ (CDCS-BD, CDCS-PGD), CDCS-BV, CDCS-DG, CDCS-NT
        plan: { expected: 6, submittedOnTime: list('CD-KCQ', 'CDCS-BD', 'CDCS-PGD', 'CDCS-DG'), submittedLate: list('CDCS-NT'), notSubmitted: list('CDCS-BV'), overdue: list('CDCS-BV') },
        // CDCS-PGD was extended and reported only after AS_OF: pending, not overdue; CDCS-NT counts with v2
        report: { expected: 6, submittedOnTime: list('CD-KCQ', 'CDCS-BD', 'CDCS-DG'), submittedLate: list('CDCS-NT'), notSubmitted: list('CDCS-PGD', 'CDCS-BV'), overdue: list('CDCS-BV') },
        figures: { studyClasses: 21, participants: 1125, exemplaryModels: 5, exemplaryPeople: 16 },
        // rollups count the proposals; the list is read from the archive (commendationsBelow)
        commendations: { total: 2 },
      },
      rates: { plan: { completeness: 83.3, timeliness: 66.7 }, report: { completeness: 66.7, timeliness: 50 } },
      totalFigures: { studyClasses: 26, participants: 1525, exemplaryModels: 7, exemplaryPeople: 20 },
    } satisfies Aggregate);
    expect(commendationsBelow(await loadSubtree(t.db, { cycleId: CYCLE, unitId: DISTRICT, asOf: AS_OF }))).toEqual({
      items: [
        { kind: 'collective', name: 'Tổ may số 3, Xí nghiệp may Đức Giang', reason: 'Dẫn đầu phong trào thi đua lao động giỏi', unitId: 'CDCS-DG' },
        { kind: 'individual', name: 'Nguyễn Thị Ngọc Ánh', reason: 'Gương điển hình làm theo Bác', unitId: 'CDCS-DG' },
      ],
      total: 2,
    });
    expect(commendationsBelow(await loadSubtree(t.db, { cycleId: CYCLE, unitId: DISTRICT, asOf: AS_OF }), 1).items).toHaveLength(1);
  });

  it('counts what came after the instant once the whole archive is read, dated at the unit’s close', async () => {
    const a = await rebuildAggregate(t.db, { cycleId: CYCLE, unitId: DISTRICT });
    expect(a.asOf).toBe(CLOSED_AT);
    expect(a.below.report.submittedOnTime.ids).toContain('CDCS-PGD');
    expect(a.below.figures.studyClasses).toBe(121);
  });

  it('agrees with the workflow’s merge of one-unit rollups (same lists, totals and rates)', async () => {
    const sub = await loadSubtree(t.db, { cycleId: CYCLE, unitId: ROOT, asOf: AS_OF });
    const selves = sub.order
      .filter((id) => id !== ROOT)
      .map((id) => {
        const u = sub.units.get(id)!;
        const r = sub.reports.get(id);
        return {
          ...mergeRollups([]),
          plan: phaseRollupOf(id, u.plan.standing),
          report: phaseRollupOf(id, u.report.standing),
          figures: r?.figures ?? mergeRollups([]).figures,
          commendations: { total: r?.commendations.length ?? 0 },
        };
      });
    const expected = toAggregate(CYCLE, ROOT, AS_OF, mergeRollups(selves), sub.reports.get(ROOT)?.figures ?? mergeRollups([]).figures);
    expect(await rebuildAggregate(t.db, { cycleId: CYCLE, unitId: ROOT, asOf: AS_OF })).toEqual(expected);
    expect(expected.below.report.expected).toBe(8);
    expect(expected.below.report.overdue.ids).toEqual(['LDLD-GL', 'CDCS-BV']);
  });

  it('records aggregates once per key and reads the newest (the final one at the same instant)', async () => {
    const early = await rebuildAggregate(t.db, { cycleId: CYCLE, unitId: DISTRICT, asOf: AS_OF });
    const closing = await rebuildAggregate(t.db, { cycleId: CYCLE, unitId: DISTRICT });
    expect(await latestAggregate(t.db, CYCLE, DISTRICT)).toBeUndefined();
    expect(await recordAggregate(t.db, { key: `${CYCLE}/${DISTRICT}:upward:v1`, aggregate: early, final: false })).toEqual({ stored: true });
    expect(await recordAggregate(t.db, { key: `${CYCLE}/${DISTRICT}:upward:v1`, aggregate: closing, final: true })).toEqual({ stored: false });
    expect((await latestAggregate(t.db, CYCLE, DISTRICT))?.aggregate).toEqual(early);

    await recordAggregate(t.db, { key: `${CYCLE}/${DISTRICT}:close:interim`, aggregate: closing, final: false });
    await recordAggregate(t.db, { key: `${CYCLE}/${DISTRICT}:close`, aggregate: closing, final: true });
    const latest = await latestAggregate(t.db, CYCLE, DISTRICT);
    expect(latest).toMatchObject({ key: `${CYCLE}/${DISTRICT}:close`, cycleId: CYCLE, unitId: DISTRICT, asOf: CLOSED_AT, final: true });
    expect(latest?.aggregate).toEqual(closing);

    const many = await latestAggregates(t.db, CYCLE, [DISTRICT, ROOT]);
    expect([...many.keys()]).toEqual([DISTRICT]);
    expect(many.get(DISTRICT)?.key).toBe(`${CYCLE}/${DISTRICT}:close`);
  });

  it('orders recorded aggregates by instant, whatever offset their text uses', async () => {
    const a = await rebuildAggregate(t.db, { cycleId: CYCLE, unitId: DISTRICT, asOf: AS_OF });
    await recordAggregate(t.db, { key: 'later', aggregate: a, final: false }); // 10:00Z
    await recordAggregate(t.db, { key: 'earlier', aggregate: { ...a, asOf: '2027-12-10T16:30:00+07:00' }, final: false }); // 09:30Z
    expect((await latestAggregate(t.db, CYCLE, DISTRICT))?.key).toBe('later');
  });

  it('refuses a malformed aggregate with a typed error', async () => {
    const a = await rebuildAggregate(t.db, { cycleId: CYCLE, unitId: DISTRICT, asOf: AS_OF });
    await expect(recordAggregate(t.db, { key: 'k', aggregate: { ...a, cycleId: 'not-a-cycle' }, final: false })).rejects.toBeInstanceOf(ArchiveInputError);
    await expect(recordAggregate(t.db, { key: 'k', aggregate: { ...a, asOf: 'yesterday' }, final: false })).rejects.toThrow(/asOf/);
  });

  it('shows a closed cycle per unit: versions, late flags, reviews, overdue marks, extensions, last aggregate', async () => {
    const closing = await rebuildAggregate(t.db, { cycleId: CYCLE, unitId: DISTRICT });
    await recordAggregate(t.db, { key: 'close', aggregate: closing, final: true });
    const s = await cycleArchiveStatus(t.db, CYCLE, DISTRICT);
    expect(s).toMatchObject({ cycleId: CYCLE, rootUnitId: ROOT, treeAsOf: '2027-01-04', unitCount: 9, depthCount: 4, closed: true, closedAt: CLOSED_AT });
    expect(s.unit.unitId).toBe(DISTRICT);
    expect(s.unit.aggregate?.final).toBe(true);
    expect(s.children.map((c) => c.unitId)).toEqual(['CD-KCQ', 'CDCS-BV', 'CDCS-DG', 'CDCS-NT']);
    const child = (id: string) => s.children.find((c) => c.unitId === id)!;

    expect(child('CDCS-NT').report).toEqual({
      submission: {
        version: 2,
        firstSubmittedAt: '2027-12-03T03:00:00.000Z',
        submittedAt: '2027-12-05T03:00:00.000Z',
        late: true,
        review: 'submitted',
        reviewedAt: null,
        comment: '',
      },
      overdue: false,
      extendedTo: null,
      standing: 'late',
    });
    expect(child('CDCS-NT').plan.submission).toMatchObject({ version: 1, late: true, review: 'accepted' });
    expect(child('CDCS-DG').report.submission).toMatchObject({ review: 'accepted', reviewedAt: '2027-11-22T03:00:00.000Z' });
    expect(child('CDCS-BV').report).toEqual({ submission: null, overdue: true, extendedTo: null, standing: 'overdue' });
    expect(child('CDCS-BV').closed).toBe(true);

    const kcq = await cycleArchiveStatus(t.db, CYCLE, 'CD-KCQ');
    expect(kcq.children.find((c) => c.unitId === 'CDCS-PGD')?.report).toMatchObject({ extendedTo: '2027-12-20T23:59:59+07:00', standing: 'on-time' });
  });

  it('defaults to the root and says which cycle or unit is unknown', async () => {
    const s = await cycleArchiveStatus(t.db, CYCLE);
    expect(s.unit.unitId).toBe(ROOT);
    expect(s.children.map((c) => c.unitId)).toEqual(['LDLD-GL', DISTRICT]);
    expect(s.children[0]!.plan.standing).toBe('overdue');
    await expect(cycleArchiveStatus(t.db, 'cycle-2026-LDLD-HN')).rejects.toBeInstanceOf(UnknownCycleError);
    await expect(cycleArchiveStatus(t.db, CYCLE, 'CDCS-XYZ')).rejects.toBeInstanceOf(UnitNotInCycleError);
  });

  it('is reachable through the activities factory with JSON-safe results (null, not undefined)', async () => {
    const activities = createDocumentActivities({ db: t.db });
    expect(await activities.latestAggregate({ cycleId: CYCLE, unitId: DISTRICT })).toBeNull();
    const aggregate = await rebuildAggregate(t.db, { cycleId: CYCLE, unitId: DISTRICT, asOf: AS_OF });
    expect(await activities.recordAggregate({ key: 'upward:v1', aggregate, final: false })).toEqual({ stored: true });
    const latest = await activities.latestAggregate({ cycleId: CYCLE, unitId: DISTRICT });
    expect(JSON.parse(JSON.stringify(latest))).toEqual(latest);
    const doc = await activities.buildAggregateDocument({ cycleId: CYCLE, unitId: DISTRICT, aggregate: latest!.aggregate });
    expect(doc.filename).toBe(`bao-cao-${CYCLE}-${DISTRICT}.docx`);
  });
});
