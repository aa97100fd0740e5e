// "Remind now" of a campaign phase (campaignRemindNowUpdate) on the real time-skipping server and the production
// worker wiring, over the small tree with the quarterly example (examples/campaign-quarterly.json):
//   R → I1 → G11, G12
//     → I2 → G21
// As for the built-in cycles (test/cycle/remind.test.ts): the workflow queues the email in the outbox (the
// dispatcher delivers it to the SMTP sink), audits who asked, refuses what it should with a reason in both
// languages, and lets a unit and phase be reminded by hand at most once an hour — per phase of the campaign.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditTrail } from '../../activities/archive/store';
import { importCampaign } from '../../activities/campaigns/repository';
import { campaignCyclePlan, campaignRemind, campaignSubmit, campaignUnitStatus, startCampaignCycle } from '../../client/campaign-cycles';
import { campaignFileSchema } from '../../domain/campaign';
import { unitWorkflowId } from '../../workflows/ids';
import { REMIND_NOW_INTERVAL_MS } from '../../workflows/messages';
import { smallTree, until } from '../support/cycle-fixtures';
import { cycleScenario, refusal } from '../support/cycle-scenario';
import { recordHistories } from '../support/histories';

const FILE = campaignFileSchema.parse(JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json'), 'utf8')));
const UNITS = smallTree();
const q1 = (id: string) => ({ results: `Quý I: ${id} tổ chức huấn luyện an toàn, tiếng Việt có dấu.`, figures: { trainingSessions: 2, trainedWorkers: 40, safetyNetworkRate: 60.5, accidents: 0 } });

const s = cycleScenario('campaign-remind', { units: UNITS });

describe('remind now in a cycle of a campaign', () => {
  it('queues an audited reminder of a phase through the outbox, refuses with a reason in both languages, at most once an hour per phase', { timeout: 240_000 }, async () => {
    const { env, h, client } = s;
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
      await importCampaign(h.db, { id: FILE.id, definition: FILE.definition }, { by: 'test' });
      const { cycleId } = await startCampaignCycle(client, h.taskQueue, h.db, { year, rootUnitId: 'R', campaign: FILE.id });
      await until('the whole tree has started', async () => (await campaignUnitStatus(client, cycleId, 'R').catch(() => null))?.aggregate.phases.q1!.expected === UNITS.length);
      const plan = (await campaignCyclePlan(client, cycleId))!;
      await campaignSubmit(client, h.db, { cycleId, unitId: 'G12', phase: 'q1', content: q1('G12'), channel: 'test' });

      // G11, its first quarter open and not yet due: a reminder, number 1, asked by its supervisor I1
      const first = await campaignRemind(client, cycleId, 'G11', { byUnitId: 'I1', channel: 'test', requestedBy: 'Nguyễn Văn Đức <i1@example.vn>' });
      expect(first).toMatchObject({ unitId: 'G11', phase: 'q1', reminderNumber: 1, email: 'reminder' });
      expect((await campaignUnitStatus(client, cycleId, 'G11')).phases.find((p) => p.key === 'q1')!.remindersSent).toBe(1);
      // its supervisor hears of it with the unit's next report upward
      await until('I1 knows G11 was reminded', async () => (await campaignUnitStatus(client, cycleId, 'I1')).children.find((c) => c.unitId === 'G11')?.phases.q1?.remindersSent === 1);
      const audit = (await auditTrail(h.db, cycleId, 'G11')).filter((e) => e.kind === 'reminder-requested');
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor: 'I1', channel: 'test', at: first.remindedAt });
      expect(audit[0]!.data).toMatchObject({ phase: 'q1', number: 1, email: 'reminder', requestedBy: 'Nguyễn Văn Đức <i1@example.vn>' });
      const rows = await h.db.selectFrom('mail_outbox').selectAll().where('key', '=', `${unitWorkflowId(cycleId, 'G11')}:remind-now:q1:1`).execute();
      expect(rows.map((r) => [r.purpose, r.phase])).toEqual([['reminder', 'q1']]);
      await h.dispatcher.idle();
      const delivered = h.sink.messages.find((m) => m.messageId === rows[0]!.message_id);
      expect(delivered?.to).toEqual(['g11@example.vn']);
      expect(delivered?.subject).toContain('Đôn đốc nộp Báo cáo quý I (lần 1)');

      // refused, each with its reason in both languages: again within the hour, a submitted phase, someone else's
      // unit, a phase not open yet, a phase the campaign does not have
      expect(await refusal(campaignRemind(client, cycleId, 'G11', { byUnitId: 'I1', channel: 'test' }))).toMatch(/at most one reminder an hour; try again in \d+ min \/ .*mỗi giờ chỉ nhắc một lần/);
      expect(await refusal(campaignRemind(client, cycleId, 'G12', { byUnitId: 'I1', phase: 'q1', channel: 'test' }))).toMatch(/The q1 of G12 is already submitted \(version 1\).* \/ Đơn vị đã nộp giai đoạn q1/);
      expect(await refusal(campaignRemind(client, cycleId, 'G11', { byUnitId: 'I2', channel: 'test' }))).toMatch(/I2 may not remind G11.* \/ Không có quyền nhắc/);
      expect(await refusal(campaignRemind(client, cycleId, 'G11', { byUnitId: 'I1', phase: 'q2', channel: 'test' }))).toMatch(/The q2 of G11 opens when its q1 is submitted.* \/ Giai đoạn q2 chưa mở, hãy nhắc nộp q1/);
      expect(await refusal(campaignRemind(client, cycleId, 'G11', { byUnitId: 'I1', phase: 'q9', channel: 'test' }))).toContain('has no phase "q9": its phases are q1, q2, q3, q4');
      // the secretariat may chase any unit; G12's first quarter is in, so without a phase it is chased for the second
      expect(await campaignRemind(client, cycleId, 'G12', { byUnitId: 'R', channel: 'test' })).toMatchObject({ phase: 'q2', reminderNumber: 1, email: 'reminder' });
      expect(await h.db.selectFrom('mail_outbox').select('key').where('key', 'like', '%remind-now%').execute()).toHaveLength(2);

      // an hour later the same unit and phase may be reminded again: number 2
      await env.sleep(REMIND_NOW_INTERVAL_MS + 1000);
      expect((await campaignRemind(client, cycleId, 'G11', { byUnitId: 'R', channel: 'test' })).reminderNumber).toBe(2);

      // past the deadline: the overdue notice (a reminder would say time is left), counted with the scheduled ones
      const due = plan.levels[2]!.phases.q1!;
      await env.sleep(Date.parse(due.dueAt) + 3600_000 - (await env.currentTimeMs()));
      const overdue = (await campaignUnitStatus(client, cycleId, 'G11')).phases.find((p) => p.key === 'q1')!;
      expect(overdue.overdue).toBe(true);
      expect(overdue.remindersSent).toBe(2 + due.reminders.length);
      const late = await campaignRemind(client, cycleId, 'G11', { byUnitId: 'I1', phase: 'q1', channel: 'test', requestedBy: 'i1@example.vn' });
      expect(late).toMatchObject({ phase: 'q1', email: 'overdue-notice', reminderNumber: 3 + due.reminders.length });
      const notice = await h.db.selectFrom('mail_outbox').selectAll().where('key', '=', `${unitWorkflowId(cycleId, 'G11')}:remind-now:q1:${late.reminderNumber}`).executeTakeFirstOrThrow();
      expect(notice.purpose).toBe('overdue-notice');
      await h.dispatcher.idle();
      expect(h.sink.messages.find((m) => m.messageId === notice.message_id)?.subject).toContain('Quá hạn nộp Báo cáo quý I');

      // once the first quarter is in, the second is what is left to chase
      await campaignSubmit(client, h.db, { cycleId, unitId: 'G11', phase: 'q1', content: q1('G11'), channel: 'test' });
      expect(await campaignRemind(client, cycleId, 'G11', { byUnitId: 'I1', channel: 'test' })).toMatchObject({ phase: 'q2', reminderNumber: 1, email: 'reminder' });
      expect(await refusal(campaignRemind(client, cycleId, 'G11', { byUnitId: 'I1', phase: 'q1', channel: 'test' }))).toContain('already submitted');

      await recordHistories(client, 'v6-campaign-remind', [unitWorkflowId(cycleId, 'G11'), unitWorkflowId(cycleId, 'G12'), unitWorkflowId(cycleId, 'I1')]);
      await client.workflow.getHandle(cycleId).terminate('test done');
    });
  });
});
