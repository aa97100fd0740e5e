// The escalation digests of a parent over a year, on the real time-skipping server:
//   R → I1 → G1 … G5
// G1 and G5 plan on time, G2 is extended and plans before its new deadline, G3 plans after the first round,
// G4 never plans nor reports; I1 reports after the first round of its own level. Each digest must list exactly
// the units still missing at its instant, in the tree's order (workflows/escalation-rounds.ts keeps the rounds as
// the children change, patch v6-soak-escalation-rounds). The histories of I1 and R are recorded for the replay
// test (BAOCAO_HISTORY_TAG=v6-soak: v6-soak-escalation--…; v6-soak-before-escalation--… on the code before it).
import { expect, it } from 'vitest';
import { auditTrail } from '../../activities/archive/store';
import { extend, submit } from '../../client/cycles';
import { unitWorkflowId } from '../../workflows/ids';
import { planFor, reportFor } from '../support/cycle-fixtures';
import { cycleScenario, fanTree, startCycleAtR } from '../support/cycle-scenario';
import { recordHistories } from '../support/histories';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const GRASSROOTS = ['G1', 'G2', 'G3', 'G4', 'G5'];
const UNITS = fanTree('Liên đoàn Lao động tỉnh Đôn Đốc', 'Liên đoàn Lao động huyện Nhắc Việc', GRASSROOTS);
const s = cycleScenario('escalation-digests', { units: UNITS });

interface Digest {
  phase: string;
  round: number;
  recipientUnitId: string;
  climbed: boolean;
  unitIds: string[];
}

it('lists in each escalation round exactly the units still missing then, in the tree’s order', { timeout: 240_000 }, async () => {
  const { env, h } = s;
  const worker = await h.newWorker();
  await worker.runUntil(async () => {
    const { year, cycleId, handle, plan } = await startCycleAtR(s, UNITS.length);
    const sleepUntil = async (ms: number) => {
      const wait = ms - (await env.currentTimeMs());
      if (wait > 0) await env.sleep(wait);
    };
    const grassroots = plan.levels[2]!;
    const intermediate = plan.levels[1]!;
    const planRounds = grassroots.plan.escalations;
    expect(planRounds.length).toBeGreaterThanOrEqual(2);
    const submitPlan = (id: string) => submit(env.client, { cycleId, unitId: id, phase: 'plan', content: planFor(id, year), channel: 'test' });
    const submitReport = (id: string) => submit(env.client, { cycleId, unitId: id, phase: 'report', content: reportFor(id, UNITS.findIndex((u) => u.id === id)), channel: 'test' });

    for (const id of ['R', 'I1', 'G1', 'G5']) await submitPlan(id);
    const newDue = new Date(Date.parse(grassroots.plan.dueAt) + 10 * DAY).toISOString().slice(0, 10);
    const extended = await extend(env.client, cycleId, 'G2', { byUnitId: 'I1', phase: 'plan', until: newDue, channel: 'test', reason: 'Đơn vị đề nghị gia hạn' });
    await sleepUntil(Date.parse(planRounds[0]!.at) + HOUR); // the first round has fired: G3 and G4 were missing
    await submitPlan('G3');
    await sleepUntil(Date.parse(extended.deadlines.dueAt) - 2 * HOUR);
    await submitPlan('G2');

    // the report phase: everyone but G4 and I1 on time; I1 after its level's first round (a digest at R)
    await sleepUntil(Date.parse(grassroots.report.dueAt) - 2 * HOUR);
    for (const id of ['R', 'G1', 'G2', 'G3', 'G5']) await submitReport(id);
    await sleepUntil(Date.parse(intermediate.report.escalations[0]!.at) + HOUR);
    await submitReport('I1');
    await handle.result();
    await recordHistories(env.client, 'escalation', [unitWorkflowId(cycleId, 'I1'), unitWorkflowId(cycleId, 'R')]);

    const digests = async (unitId: string) =>
      (await auditTrail(h.db, cycleId, unitId)).filter((e) => e.kind === 'escalation').map((e) => e.data as Digest);
    const atI1 = await digests('I1');
    const expectedAtI1 = [
      ...planRounds.map((e, i) => ({ phase: 'plan', round: e.round, climbed: e.target === 'grandparent', unitIds: i === 0 ? ['G3', 'G4'] : ['G4'] })),
      ...grassroots.report.escalations.map((e) => ({ phase: 'report', round: e.round, climbed: e.target === 'grandparent', unitIds: ['G4'] })),
    ];
    expect(atI1.map(({ phase, round, climbed, unitIds }) => ({ phase, round, climbed, unitIds }))).toEqual(expectedAtI1);
    expect(atI1.map((d) => d.recipientUnitId)).toEqual(expectedAtI1.map((d) => (d.climbed ? 'R' : 'I1')));
    // I1's plan was on time; its report missed only the first round of its level
    expect((await digests('R')).map(({ phase, round, unitIds }) => ({ phase, round, unitIds }))).toEqual([{ phase: 'report', round: intermediate.report.escalations[0]!.round, unitIds: ['I1'] }]);
  });
});
