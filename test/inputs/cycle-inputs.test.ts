// Hostile-but-legal inputs through client/cycles.ts on the real time-skipping server and the production worker:
//   R → I1 → G11, G12
//     → I2 → G21
// the same plan typed in NFD then NFC is one submission; two units at 10,000,000 + 1 participants make sums far
// above one unit's cap, and the cycle still closes with exact aggregates, archived, rendered and sent upward;
// an update nobody answers ends at the time limit with a message saying what to do.
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestSubmission } from '../../activities/archive/store';
import { formatNumber } from '../../activities/mail/templates/format';
import { CycleRequestError, cycleAggregate, submit, UpdateTimeoutError } from '../../client/cycles';
import { cycleWorkflow } from '../../workflows/cycle';
import { cycleId as makeCycleId, unitWorkflowId } from '../../workflows/ids';
import { FIGURE_KEYS, ZERO_FIGURES, type Figures, type ReportContent } from '../../workflows/report';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { cycleInput, planFor, reportFor, smallTree, untilTreeStarted } from '../support/cycle-fixtures';
import { createTimeSkippingEnv } from '../support/temporal';

let env: TestWorkflowEnvironment;
let h: CycleHarness;
let client: Client;
let year: number;

const UNITS = smallTree();
const ALL = UNITS.map((u) => u.id);

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  client = env.client;
  year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
  h = await createCycleHarness(env, { units: UNITS }, 'inputs');
});
afterAll(async () => {
  await h?.close();
  await env?.teardown();
});

const nfd = (s: string) => s.normalize('NFD');

/** G11 enters the per-unit maximum, G12 one more participant: I1's and R's sums pass the per-unit cap. */
function reportOf(unitId: string): ReportContent {
  const base = reportFor(unitId, ALL.indexOf(unitId));
  if (unitId === 'G11') return { ...base, figures: { studyClasses: 10_000_000, participants: 10_000_000, exemplaryModels: 10_000_000, exemplaryPeople: 10_000_000 } };
  if (unitId === 'G12') return { ...base, figures: { studyClasses: 1, participants: 1, exemplaryModels: 1, exemplaryPeople: 1 } };
  return base;
}

function sum(list: Figures[]): Figures {
  const total = { ...ZERO_FIGURES };
  for (const f of list) for (const k of FIGURE_KEYS) total[k] += f[k];
  return total;
}

describe('hostile-but-legal inputs in a real cycle', () => {
  it('takes NFD and NFC as one submission, and closes with exact sums above 10,000,000 everywhere they go', { timeout: 240_000 }, async () => {
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      const cycleId = makeCycleId(year, 'R');
      const handle = await client.workflow.start(cycleWorkflow, { workflowId: cycleId, taskQueue: h.taskQueue, args: [cycleInput(cycleId, year, 'R')] });
      await untilTreeStarted(client, cycleId, UNITS.length);

      // G11's plan typed on a machine that produces NFD, then again on one that produces NFC
      const plan = planFor('G11', year);
      const typedNfd = { ...plan, title: nfd(plan.title), body: nfd(plan.body) };
      expect(typedNfd.title).not.toBe(plan.title);
      const first = await submit(client, { cycleId, unitId: 'G11', phase: 'plan', content: typedNfd, channel: 'test', submittedBy: nfd('Chị Hường') });
      const again = await submit(client, { cycleId, unitId: 'G11', phase: 'plan', content: plan, channel: 'test', submittedBy: 'Chị Hường' });
      expect(first).toMatchObject({ version: 1, duplicate: false });
      // the same answer: one submission (another one would be refused while v1 awaits review)
      expect(again).toEqual(first);
      const stored = await latestSubmission(h.db, cycleId, 'G11', 'plan');
      expect(stored).toMatchObject({ version: 1, content: plan, submittedBy: 'Chị Hường' }); // stored in NFC

      // a control character is refused before anything reaches the workflow, naming the field
      const refused = await submit(client, { cycleId, unitId: 'G12', phase: 'plan', content: { ...planFor('G12', year), body: 'Nội dung\u0007' }, channel: 'test' }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(CycleRequestError);
      expect((refused as Error).message.split('\n')).toEqual([
        'Invalid plan / Kế hoạch không hợp lệ:',
        'body: contains the control character U+0007 on line 1: remove it (only line breaks and tabs are allowed) / có ký tự điều khiển U+0007 ở dòng 1: hãy xoá ký tự này (chỉ được dùng xuống dòng và tab)',
      ]);

      for (const id of ALL.filter((id) => id !== 'G11')) await submit(client, { cycleId, unitId: id, phase: 'plan', content: planFor(id, year), channel: 'test' });
      for (const id of ALL) await submit(client, { cycleId, unitId: id, phase: 'report', content: reportOf(id), channel: 'test' });
      const result = await handle.result();

      const expected = sum(ALL.map((id) => reportOf(id).figures));
      expect(expected.participants).toBeGreaterThan(10_000_001);
      expect(result.aggregate.totalFigures).toEqual(expected);
      const i1 = await cycleAggregate(client, cycleId, 'I1');
      expect(i1.totalFigures).toEqual(sum(['I1', 'G11', 'G12'].map((id) => reportOf(id).figures)));
      expect(i1.below.figures.participants).toBe(10_000_001);

      // every node's final aggregate archived, every upward email sent with its DOCX
      const archived = await h.db.selectFrom('aggregates').select(['unit_id']).where('final', '=', 1).execute();
      expect([...new Set(archived.map((a) => a.unit_id))].sort()).toEqual([...ALL].sort());
      const upward = await h.db.selectFrom('mail_outbox').selectAll().where('purpose', '=', 'aggregate-upward').where('unit_id', 'in', ['I1', 'R']).execute();
      expect(upward.length).toBeGreaterThanOrEqual(2);
      for (const sent of upward) {
        const received = h.sink.messages.find((m) => m.messageId === sent.message_id)!;
        expect(received.parsed.attachments.map((a) => a.filename)).toEqual([expect.stringMatching(/\.docx$/)]);
      }
      // the final one, sent at the close, prints the whole sum
      const rootMails = upward.filter((u) => u.unit_id === 'R').map((u) => h.sink.messages.find((m) => m.messageId === u.message_id)!.text);
      expect(rootMails.some((text) => text.includes(formatNumber(expected.participants, 'vi')))).toBe(true);
    });
  });

  it('stops waiting for an update nobody answers and says what to do', { timeout: 60_000 }, async () => {
    // a unit workflow on a task queue no worker polls: its updates are never answered
    const cycleId = makeCycleId(year + 1, 'R');
    const workflowId = unitWorkflowId(cycleId, 'G11');
    await client.workflow.start('unitWorkflow', { workflowId, taskQueue: 'nobody-polls-this', args: [{}] });
    try {
      const err = await submit(
        client,
        { cycleId, unitId: 'G11', phase: 'plan', content: planFor('G11', year), channel: 'test', idempotencyKey: 'inputs-timeout-1' },
        { timeoutMs: 1_000 },
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UpdateTimeoutError);
      expect(err).toBeInstanceOf(CycleRequestError); // shown like every refusal by the CLI and the web app
      const message = (err as Error).message;
      expect(message).toContain('did not answer within 1 s');
      expect(message).toContain('check with `baocao cycle status` before resending');
      expect(message).toContain('không trả lời trong 1 giây');
    } finally {
      await client.workflow.getHandle(workflowId).terminate('test over');
    }
  });
});
