// Two campaigns of one root in the same year, side by side on the real time-skipping server over the small tree
//   R → I1 → G11, G12
//     → I2 → G21
// The quarterly example and a second campaign with its own slug and a two-phase form (half-year reports): their
// cycle ids differ by `~slug`, and nothing crosses over — each unit gets one task email per campaign naming it,
// G12 misses the first quarter of the quarterly campaign only (its overdue mark, reminders and the escalation
// digest are that cycle's alone), each cycle's aggregates count its own submissions, and at the close each
// archives its own final aggregates and mails its own reports.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { finalCampaignAggregates } from '../../activities/campaigns/aggregates';
import { importCampaign } from '../../activities/campaigns/repository';
import { campaignAggregate, campaignCyclePlan, campaignSubmit, campaignUnitStatus, startCampaignCycle } from '../../client/campaign-cycles';
import { campaignFileSchema } from '../../domain/campaign';
import { campaignCycleId, unitWorkflowId } from '../../workflows/ids';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { smallTree, until } from '../support/cycle-fixtures';
import { createTimeSkippingEnv } from '../support/temporal';

const DAY = 24 * 3600 * 1000;
const QUARTERLY = campaignFileSchema.parse(JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json'), 'utf8'))) as { id: string; definition: { name: { vi: string } } };
/** the second campaign: the same form, reported twice a year, under another slug and name */
const HALF_YEAR = (() => {
  const def = structuredClone(QUARTERLY.definition) as { name: { vi: string; en: string }; phases: { key: string; name: { vi: string; en: string } }[] };
  def.name = { vi: 'Báo cáo sáu tháng về phòng chống cháy nổ', en: 'Half-year report on fire safety' };
  def.phases = [def.phases[1]!, def.phases[3]!].map((p, i) => ({ ...p, key: `h${i + 1}`, name: { vi: `Báo cáo ${i === 0 ? 'sáu tháng đầu năm' : 'cả năm'}`, en: i === 0 ? 'First half' : 'Whole year' } }));
  return { id: 'bao-cao-sau-thang', definition: def };
})();
const UNITS = smallTree();
const ALL = UNITS.map((u) => u.id);
const content = (sessions: number) => ({ results: `Kết quả: ${sessions} buổi, tiếng Việt có dấu.`, figures: { trainingSessions: sessions, trainedWorkers: 10 * sessions, safetyNetworkRate: 50, accidents: 0 } });

let env: TestWorkflowEnvironment;
let h: CycleHarness;

beforeEach(async () => {
  env = await createTimeSkippingEnv();
  h = await createCycleHarness(env, { units: UNITS }, 'campaign-side-by-side');
});
afterEach(async () => {
  await h?.close();
  await env?.teardown();
});

describe('two campaigns of one root in one year', () => {
  // ≈ 65 s alone at load 20, ≈ 3.5 min beside two other campaign files at load 25 (most of it wall-clock work
  // before any skipping): the budget is for the whole suite on two busy cores. The results are awaited together:
  // test/support/time-skipping.ts shares one time-skipping unlock between concurrent waits (else the server's
  // lock count leaked and time stopped skipping — the hang this test once had in the suite).
  it('run side by side without crossing: ids, emails, overdue marks, aggregates, archives', { timeout: 480_000 }, async () => {
    const client = env.client;
    const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      await importCampaign(h.db, { id: QUARTERLY.id, definition: QUARTERLY.definition }, { by: 'test' });
      await importCampaign(h.db, HALF_YEAR, { by: 'test' });
      const q = (await startCampaignCycle(client, h.taskQueue, h.db, { year, rootUnitId: 'R', campaign: QUARTERLY.id })).cycleId;
      const s = (await startCampaignCycle(client, h.taskQueue, h.db, { year, rootUnitId: 'R', campaign: HALF_YEAR.id })).cycleId;
      expect(q).toBe(campaignCycleId(year, 'R', QUARTERLY.id));
      expect(s).toBe(campaignCycleId(year, 'R', HALF_YEAR.id));
      expect(q.split('~')[0]).toBe(s.split('~')[0]); // one root, one year: only the slug differs
      for (const [id, first] of [[q, 'q1'], [s, 'h1']] as const)
        await until(`${id} has started`, async () => (await campaignUnitStatus(client, id, 'R').catch(() => null))?.aggregate.phases[first]!.expected === ALL.length);

      // each unit reports to each campaign on its own; G12 leaves the quarterly Q1 out
      for (const id of ALL) {
        if (id !== 'G12') await campaignSubmit(client, h.db, { cycleId: q, unitId: id, phase: 'q1', content: content(1), channel: 'test' });
        await campaignSubmit(client, h.db, { cycleId: s, unitId: id, phase: 'h1', content: content(100), channel: 'test' });
      }
      const quarterlyPlan = (await campaignCyclePlan(client, q))!;
      const halfPlan = (await campaignCyclePlan(client, s))!;
      const g12q1 = quarterlyPlan.levels[2]!.phases.q1!;
      const wait = Date.parse(g12q1.dueAt) + DAY - (await env.currentTimeMs());
      if (wait > 0) await env.sleep(wait);

      // G12 is overdue in the quarterly cycle only
      expect((await campaignUnitStatus(client, q, 'G12')).phases[0]).toMatchObject({ key: 'q1', overdue: true });
      expect((await campaignUnitStatus(client, s, 'G12')).phases[0]).toMatchObject({ key: 'h1', overdue: false, progress: { kind: 'submitted' } });
      const qAgg = await campaignAggregate(client, q);
      const sAgg = await campaignAggregate(client, s);
      expect(qAgg.phases.q1).toMatchObject({ expected: 6, submittedOnTime: { total: 5 }, overdue: { total: 1 } });
      expect(qAgg.phases.q1!.figures.trainingSessions).toEqual({ value: 5, reporting: 5, target: null });
      expect(sAgg.phases.h1).toMatchObject({ expected: 6, submittedOnTime: { total: 6 }, overdue: { total: 0 } });
      expect(sAgg.phases.h1!.figures.trainingSessions).toEqual({ value: 600, reporting: 6, target: null });
      expect(Object.keys(sAgg.phases)).toEqual(['h1', 'h2']);

      // the emails belong to their cycle: a task per unit and campaign, naming it; the chasing of G12 in one only
      await h.dispatcher.idle();
      const rows = await h.db.selectFrom('mail_outbox').select(['cycle_id', 'purpose', 'unit_id', 'phase', 'message_id']).execute();
      const of = (cycleId: string, purpose: string) => rows.filter((r) => r.cycle_id === cycleId && r.purpose === purpose);
      for (const cycleId of [q, s]) expect(of(cycleId, 'task-assignment').map((r) => r.unit_id).sort()).toEqual([...ALL].sort());
      const taskOf = (cycleId: string) => h.sink.messages.find((m) => m.messageId === of(cycleId, 'task-assignment').find((r) => r.unit_id === 'G11')!.message_id)!;
      expect(taskOf(q).parsed.subject).toContain(QUARTERLY.definition.name.vi);
      expect(taskOf(s).parsed.subject).toContain(HALF_YEAR.definition.name.vi);
      expect(taskOf(s).parsed.subject).not.toContain(QUARTERLY.definition.name.vi);
      expect(of(q, 'overdue-notice').map((r) => [r.unit_id, r.phase])).toEqual([['G12', 'q1']]);
      expect(of(q, 'reminder').every((r) => r.unit_id === 'G12' && r.phase === 'q1')).toBe(true);
      expect(of(q, 'reminder').length).toBeGreaterThan(0);
      expect(of(q, 'escalation-digest').map((r) => [r.unit_id, r.phase])).toEqual([['I1', 'q1']]);
      for (const purpose of ['overdue-notice', 'reminder', 'escalation-digest']) expect(of(s, purpose)).toEqual([]);

      // the archive keeps each cycle's submissions apart
      const archived = await h.db.selectFrom('submissions').select(['cycle_id', 'phase']).execute();
      expect(archived.filter((r) => r.cycle_id === q).map((r) => r.phase)).toEqual(Array(5).fill('q1'));
      expect(archived.filter((r) => r.cycle_id === s).map((r) => r.phase)).toEqual(Array(6).fill('h1'));

      // both run to their close: each archives its own final aggregates and mails its own reports
      const closesAt = Math.max(Date.parse(quarterlyPlan.closesAt), Date.parse(halfPlan.closesAt));
      // time skips to the close while the results are awaited
      await Promise.all([client.workflow.getHandle(q).result(), client.workflow.getHandle(s).result()]);
      // a unit archives its final aggregate as it closes, which may come after the cycle's own result
      await Promise.all([q, s].flatMap((c) => ALL.map((id) => client.workflow.getHandle(unitWorkflowId(c, id)).result())));
      expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(closesAt);
      const qFinal = await finalCampaignAggregates(h.db, q);
      const sFinal = await finalCampaignAggregates(h.db, s);
      expect([...qFinal.keys()].sort()).toEqual([...ALL].sort());
      expect([...sFinal.keys()].sort()).toEqual([...ALL].sort());
      expect(qFinal.get('R')!.phases.q1!.figures.trainingSessions!.value).toBe(5);
      expect(sFinal.get('R')!.phases.h1!.figures.trainingSessions!.value).toBe(600);
      expect(Object.keys(sFinal.get('I1')!.phases)).toEqual(['h1', 'h2']);
      await h.dispatcher.idle();
      const upward = await h.db.selectFrom('mail_outbox').select(['cycle_id', 'unit_id']).where('purpose', '=', 'aggregate-upward').orderBy('unit_id').execute();
      for (const cycleId of [q, s]) expect(upward.filter((r) => r.cycle_id === cycleId).map((r) => r.unit_id)).toEqual(['I1', 'I2', 'R']);
    });
  });
});
