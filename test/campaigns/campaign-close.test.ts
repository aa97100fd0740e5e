// The close of a campaign cycle, as the built-in cycles close, on the real time-skipping server over the small tree
//   R → I1 → G11, G12
//     → I2 → G21
// The quarterly example (examples/campaign-quarterly.json: figures aggregated by sum, max and countNonZero) runs
// to its close with G21 missing the fourth quarter: every node archives its final aggregate (the `aggregates`
// table), and each level's report goes upward by email through the outbox — figures by rule in the body, a DOCX
// per phase attached, built by the mail activity from the archive — the root's to its distribution list, an
// intermediate's (no distribution list) to its supervisor's officer. Time moves only with env.sleep.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { finalCampaignAggregates } from '../../activities/campaigns/aggregates';
import { importCampaign } from '../../activities/campaigns/repository';
import { formatRolledFigure } from '../../activities/campaigns/report-mail';
import { campaignCyclePlan, campaignSubmit, campaignUnitStatus, startCampaignCycle } from '../../client/campaign-cycles';
import { campaignFileSchema, checkCampaignDefinition } from '../../domain/campaign';
import { aggregateFigures } from '../../domain/campaign-aggregation';
import type { CampaignCycleResult } from '../../workflows/campaign-messages';
import { unitWorkflowId } from '../../workflows/ids';
import { docxParagraphs } from '../documents/ooxml';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { smallTree, until } from '../support/cycle-fixtures';
import { recordHistories } from '../support/histories';
import { createTimeSkippingEnv } from '../support/temporal';

const DAY = 24 * 3600 * 1000;
const FILE = campaignFileSchema.parse(JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json'), 'utf8')));
const checked = checkCampaignDefinition(FILE.definition);
if (!checked.ok) throw new Error('the quarterly example does not validate');
const EXAMPLE = { id: FILE.id, definition: checked.definition };
const FIGURES = EXAMPLE.definition.forms[0]!.figures;
const UNITS = smallTree();
const ALL = UNITS.map((u) => u.id);
/** each node and the units of its subtree */
const SUBTREE: Record<string, string[]> = { R: ALL, I1: ['I1', 'G11', 'G12'], I2: ['I2', 'G21'], G11: ['G11'], G12: ['G12'], G21: ['G21'] };
const QUARTERS = ['q1', 'q2', 'q3', 'q4'] as const;
const RATES = [50, 60.5, 70, 80, 90.5, 55];
const figuresOf = (unitId: string, q: number) => {
  const i = ALL.indexOf(unitId);
  return { trainingSessions: i + q, trainedWorkers: 1000 * (i + q), safetyNetworkRate: RATES[(i + q) % RATES.length]!, accidents: (i + q) % 3 === 0 ? i + 1 : 0 };
};
/** G21 never sends the fourth quarter */
const reported = (unitId: string, q: number) => !(unitId === 'G21' && q === 4);

let env: TestWorkflowEnvironment;
let h: CycleHarness;

beforeEach(async () => {
  env = await createTimeSkippingEnv();
  h = await createCycleHarness(env, { units: UNITS }, 'campaign-close');
});
afterEach(async () => {
  await h?.close();
  await env?.teardown();
});

describe('the close of a campaign cycle', () => {
  it('archives every node’s final aggregate and mails each level’s report upward with a DOCX per phase', { timeout: 300_000 }, async () => {
    const client = env.client;
    const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      await importCampaign(h.db, { id: FILE.id, definition: FILE.definition }, { by: 'test' });
      const { cycleId } = await startCampaignCycle(client, h.taskQueue, h.db, { year, rootUnitId: 'R', campaign: EXAMPLE.id });
      await until('the whole tree has started', async () => (await campaignUnitStatus(client, cycleId, 'R').catch(() => null))?.aggregate.phases.q1!.expected === ALL.length);
      const plan = (await campaignCyclePlan(client, cycleId))!;
      // a phase opens once the one before is in: each unit sends its quarters one after the other
      for (const id of ALL)
        for (const [n, q] of QUARTERS.entries())
          if (reported(id, n + 1)) await campaignSubmit(client, h.db, { cycleId, unitId: id, phase: q, content: { results: `Quý ${n + 1}: kết quả của ${id}, tiếng Việt có dấu.`, figures: figuresOf(id, n + 1) }, channel: 'test' });

      while ((await env.currentTimeMs()) < Date.parse(plan.closesAt) - 31 * DAY) await env.sleep(30 * DAY);
      const { aggregate } = (await client.workflow.getHandle(cycleId).result()) as CampaignCycleResult;
      // a unit archives its final aggregate as it closes, which may come after the cycle's own result
      await Promise.all(ALL.map((id) => client.workflow.getHandle(unitWorkflowId(cycleId, id)).result()));

      // every node archived its final aggregate; each one's figures are its subtree's by each figure's rule
      const archived = await finalCampaignAggregates(h.db, cycleId);
      expect([...archived.keys()].sort()).toEqual([...ALL].sort());
      expect(archived.get('R')).toEqual(aggregate);
      for (const [unitId, units] of Object.entries(SUBTREE))
        for (const [n, q] of QUARTERS.entries()) {
          const expected = aggregateFigures(FIGURES, units.map((id) => (reported(id, n + 1) ? figuresOf(id, n + 1) : null)));
          for (const f of FIGURES) expect(archived.get(unitId)!.phases[q]!.figures[f.key]).toEqual({ ...expected[f.key], target: null });
        }
      expect(aggregate.phases.q4).toMatchObject({ expected: 6, submittedOnTime: { total: 5 }, notSubmitted: { total: 1 }, overdue: { total: 1 } });

      // the levels' reports, through the outbox, once each
      await h.dispatcher.idle();
      const upward = await h.db.selectFrom('mail_outbox').selectAll().where('purpose', '=', 'aggregate-upward').orderBy('unit_id').execute();
      expect(upward.map((m) => m.unit_id)).toEqual(['I1', 'I2', 'R']);
      const received = (unitId: string) => h.sink.messages.find((m) => m.messageId === upward.find((u) => u.unit_id === unitId)!.message_id)!;

      const root = received('R');
      expect(root.to).toContain('tld@example.vn'); // the root's distribution list ("Nơi nhận")
      expect(root.parsed.subject).toContain('Báo cáo tổng hợp kết thúc chu kỳ');
      expect(root.parsed.subject).toContain(EXAMPLE.definition.name.vi);
      const text = root.parsed.text ?? '';
      expect(text).toContain('27/KH-LĐLĐ');
      // a heading per phase (headings print in capitals in the text part)
      for (const phase of EXAMPLE.definition.phases) expect(text).toContain(phase.name.vi.toLocaleUpperCase('vi'));
      // the figures by rule, as the archived aggregate has them: a sum, a maximum with its decimal, a count of units
      const q4 = aggregate.phases.q4!.figures;
      expect(q4.trainedWorkers!.value).toBe(ALL.filter((id) => id !== 'G21').reduce((n, id) => n + figuresOf(id, 4).trainedWorkers, 0));
      for (const f of FIGURES) expect(text).toContain(formatRolledFigure(f, q4[f.key]!.value, 'vi'));
      expect(text).toContain('Lớn nhất');
      expect(text).toContain('Số đơn vị khác 0');

      // a DOCX per phase, built from the archive: its figure table says what the email says
      const docx = root.parsed.attachments.filter((a) => a.filename?.endsWith('.docx'));
      expect(docx.map((a) => a.filename)).toEqual(QUARTERS.map((q) => `bao-cao-${cycleId.replace(/~/g, '-')}-${q}-R.docx`));
      const q4Doc = (await docxParagraphs(docx[3]!.content)).map((p) => p.text);
      expect(q4Doc.some((t) => t.includes('Báo cáo quý IV'))).toBe(true);
      expect(q4Doc).toContain(formatRolledFigure(FIGURES.find((f) => f.key === 'trainedWorkers')!, q4.trainedWorkers!.value, 'vi'));
      expect(q4Doc).toContain(formatRolledFigure(FIGURES.find((f) => f.key === 'safetyNetworkRate')!, q4.safetyNetworkRate!.value, 'vi'));

      // an intermediate level without a distribution list reports to its supervisor's officer
      const i1 = received('I1');
      const rootUnit = UNITS.find((u) => u.id === 'R')!;
      expect(i1.to).toContain(rootUnit.officer.email);
      expect(i1.parsed.attachments).toHaveLength(4);

      await recordHistories(client, 'v5-campaign-close', [cycleId, unitWorkflowId(cycleId, 'R'), unitWorkflowId(cycleId, 'I1'), unitWorkflowId(cycleId, 'G11')]);
    });
  });
});
