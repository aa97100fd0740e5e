// Rehearsals of campaign cycles on the real time-skipping server and the production worker wiring, over the small
// tree with the quarterly example (examples/campaign-quarterly.json):
//   R → I1 → G11, G12
//     → I2 → G21
// A rehearsal compresses the whole calendar of every phase — deadlines, reminders, escalations, the close — into a
// few minutes of real time, as the built-in rehearsals do (workflows/timeline.ts). Time moves only with env.sleep.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterEach, vi } from 'vitest';
import { planInstants } from '../../activities/calendar';
import { importCampaign } from '../../activities/campaigns/repository';
import { REHEARSAL_SUBJECT_PREFIX } from '../../activities/mail/templates/format';
import { registerCycleCommands } from '../../client/cli/commands/cycle';
import { CampaignStartError, campaignCyclePlan, campaignCycleStatus, campaignSubmit, campaignUnitStatus, planCampaignCycle, startCampaignCycle } from '../../client/campaign-cycles';
import { cyclePath, unitPath } from '../../client/web/views/staff';
import { campaignFileSchema } from '../../domain/campaign';
import type { CampaignCycleResult } from '../../workflows/campaign-messages';
import { campaignCycleId, parseCycleId, unitWorkflowId } from '../../workflows/ids';
import { toWallMs } from '../../workflows/timeline';
import { runHarnessCli } from '../support/cli';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { smallTree, until } from '../support/cycle-fixtures';
import { recordHistories } from '../support/histories';
import { createTimeSkippingEnv } from '../support/temporal';
import { CookieClient, signInByEmail, startWebApp } from '../web/support';

const FILE = campaignFileSchema.parse(JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json'), 'utf8')));
const UNITS = smallTree();
const ALL = UNITS.map((u) => u.id);
const content = (id: string, q: number) => ({ results: `Quý ${q}: ${id} tổ chức huấn luyện an toàn, tiếng Việt có dấu.`, figures: { trainingSessions: q, trainedWorkers: 10 * q, safetyNetworkRate: 50.5, accidents: 0 } });

let env: TestWorkflowEnvironment;
let h: CycleHarness;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  h = await createCycleHarness(env, { units: UNITS }, 'campaign-rehearsal');
  await importCampaign(h.db, { id: FILE.id, definition: FILE.definition }, { by: 'test' });
}, 120_000);
afterAll(async () => {
  await h?.close();
  await env?.teardown();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const cli = (...args: string[]) => runHarnessCli(env.address, h, registerCycleCommands, ...args);

const untilTreeStarted = (cycleId: string) =>
  until(`the whole tree of ${cycleId} has started`, async () => (await campaignUnitStatus(env.client, cycleId, 'R').catch(() => null))?.aggregate.phases.q1!.expected === ALL.length);

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (err: unknown) => (err instanceof CampaignStartError ? { field: err.field, message: err.message } : { field: 'unexpected', message: String(err) }),
  );

describe('a real cycle of a campaign beside rehearsals', () => {
  it('is no rehearsal: its id is the campaign’s cycle of the year and its deadlines are the calendar’s', { timeout: 120_000 }, async () => {
    const client = env.client;
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
      const { cycleId } = await startCampaignCycle(client, h.taskQueue, h.db, { year, rootUnitId: 'R', campaign: FILE.id });
      expect(cycleId).toBe(`cycle-${year}-R~${FILE.id}`);
      await untilTreeStarted(cycleId);
      expect((await campaignCycleStatus(client, cycleId)).rehearsal).toBe(false);
      await campaignSubmit(client, h.db, { cycleId, unitId: 'G11', phase: 'q1', content: content('G11', 1), channel: 'test' });
      await until('R counts G11', async () => (await campaignUnitStatus(client, cycleId, 'R')).aggregate.phases.q1!.submittedOnTime.total === 1);
      await recordHistories(client, 'campaign-rehearsal-before', [cycleId, unitWorkflowId(cycleId, 'R'), unitWorkflowId(cycleId, 'G11')]);
      await client.workflow.getHandle(cycleId).terminate('test done');
    });
  });
});

describe('a rehearsal of a campaign cycle', () => {
  it('runs every quarter’s deadlines, reminders and escalations and closes within its minutes; its emails and pages say it is a rehearsal', { timeout: 300_000 }, async () => {
    const client = env.client;
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
      const minutes = 20;
      const { cycleId } = await startCampaignCycle(client, h.taskQueue, h.db, { year, rootUnitId: 'R', campaign: FILE.id, rehearsalMinutes: minutes });
      // its own id: a rehearsal's, which parses back and is never the real cycle's
      expect(cycleId).toMatch(new RegExp(`^rehearsal-${year}-R-\\d{14}~${FILE.id}$`));
      expect(cycleId).not.toBe(campaignCycleId(year, 'R', FILE.id));
      expect(parseCycleId(cycleId)).toEqual({ year, rootId: 'R', rehearsal: true, campaignId: FILE.id });
      await untilTreeStarted(cycleId);
      expect((await campaignCycleStatus(client, cycleId)).rehearsal).toBe(true);

      // the whole calendar of the four quarters, every level, compressed into the rehearsal's minutes
      const plan = (await campaignCyclePlan(client, cycleId))!;
      const timeline = plan.timeline;
      if (timeline.kind !== 'rehearsal') throw new Error(`not a rehearsal's timeline: ${timeline.kind}`);
      expect(timeline.minutes).toBe(minutes);
      const wallStart = Date.parse(timeline.wallStart);
      const end = wallStart + minutes * 60_000;
      const wall = (instant: string) => toWallMs(instant, timeline);
      expect(plan.phaseKeys).toEqual(['q1', 'q2', 'q3', 'q4']);
      for (const instant of planInstants(plan)) {
        expect(wall(instant)).toBeGreaterThanOrEqual(wallStart);
        expect(wall(instant)).toBeLessThanOrEqual(end);
      }
      expect(wall(plan.closesAt)).toBe(end);
      // the calendar stays the real one: each quarter's deadline in its quarter, as a real cycle of that year has them
      expect(plan.levels[0]!.phases.q2!.dueDate.startsWith(`${year}-07-`)).toBe(true);

      // every unit sends its quarters at once, but G21 is late in the second quarter only
      for (const id of ALL) for (let q = 1; q <= 4; q++) if (id !== 'G21' || q === 1) await campaignSubmit(client, h.db, { cycleId, unitId: id, phase: `q${q}`, content: content(id, q), channel: 'test' });
      const q2 = plan.levels[2]!.phases.q2!;
      await env.sleep(wall(q2.dueAt) + 5_000 - (await env.currentTimeMs()));
      const g21 = (await campaignUnitStatus(client, cycleId, 'G21')).phases.find((p) => p.key === 'q2')!;
      expect(g21.overdue).toBe(true);
      expect(g21.remindersSent).toBe(q2.reminders.length);
      await until('I2 knows G21 is overdue', async () => (await campaignUnitStatus(client, cycleId, 'I2')).children.find((c) => c.unitId === 'G21')?.phases.q2?.overdue === true);
      for (let q = 2; q <= 4; q++) await campaignSubmit(client, h.db, { cycleId, unitId: 'G21', phase: `q${q}`, content: content('G21', q), channel: 'test' });
      expect((await campaignUnitStatus(client, cycleId, 'G21')).phases.map((p) => [p.key, p.progress.kind === 'submitted' && p.progress.late])).toEqual([['q1', false], ['q2', true], ['q3', false], ['q4', false]]);

      // the close comes at the end of the rehearsal's minutes, not at the calendar's
      await env.sleep(end + 1_000 - (await env.currentTimeMs()));
      const { aggregate } = (await client.workflow.getHandle(cycleId).result()) as CampaignCycleResult;
      const closed = (await client.workflow.getHandle(cycleId).describe()).closeTime!.getTime();
      expect(closed).toBeGreaterThanOrEqual(end);
      expect(closed).toBeLessThanOrEqual(end + 60_000);
      expect(aggregate.phases.q2).toMatchObject({ expected: ALL.length, submittedLate: { total: 1 }, submittedOnTime: { total: ALL.length - 1 } });
      for (const q of ['q1', 'q3', 'q4']) expect(aggregate.phases[q]).toMatchObject({ submittedOnTime: { total: ALL.length }, submittedLate: { total: 0 } });
      const finals = await Promise.all(ALL.map((id) => client.workflow.getHandle(unitWorkflowId(cycleId, id)).result() as Promise<CampaignCycleResult['aggregate']>));
      expect(finals[ALL.indexOf('I2')]!.phases.q2!.submittedLate.ids).toEqual(['G21']);

      // its emails: G21's reminders and overdue notice of the second quarter, I2's escalation, the late submission,
      // the levels' reports at the close — every one marked as a rehearsal's, as the built-in rehearsals' are
      await h.dispatcher.idle();
      const mails = await h.db.selectFrom('mail_outbox').select(['purpose', 'unit_id', 'phase', 'subject']).where('cycle_id', '=', cycleId).execute();
      const of = (purpose: string, unitId: string, phase?: string) => mails.filter((m) => m.purpose === purpose && m.unit_id === unitId && (phase === undefined || m.phase === phase));
      expect(of('reminder', 'G21', 'q2')).toHaveLength(q2.reminders.length);
      expect(of('reminder', 'G21', 'q1')).toHaveLength(0);
      expect(of('overdue-notice', 'G21', 'q2')).toHaveLength(1);
      expect(of('escalation-digest', 'I2').length).toBeGreaterThanOrEqual(1);
      expect(of('late-submission', 'I2').length + of('late-submission', 'G21').length).toBeGreaterThanOrEqual(1);
      expect(mails.filter((m) => m.purpose === 'aggregate-upward').map((m) => m.unit_id).sort()).toEqual(['I1', 'I2', 'R']);
      expect(mails.filter((m) => m.purpose === 'task-assignment')).toHaveLength(ALL.length);
      for (const m of mails) expect(m.subject.startsWith(`${REHEARSAL_SUBJECT_PREFIX.vi} `)).toBe(true);
      expect(mails.filter((m) => m.purpose === 'overdue-notice').map((m) => m.unit_id)).toEqual(['G21']);

      await recordHistories(client, 'campaign-rehearsal', [cycleId, unitWorkflowId(cycleId, 'R'), unitWorkflowId(cycleId, 'I2'), unitWorkflowId(cycleId, 'G21')]);
    });
  });

  it('starts from the CLI and the JSON API and says so on cycle status and the web pages, with each deadline’s real time', { timeout: 180_000 }, async () => {
    const client = env.client;
    const worker = await h.newWorker();
    await worker.runUntil(async () => {
      const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 2;
      const run = await cli('cycle', 'start', '--year', String(year), '--root', 'R', '--campaign', FILE.id, '--rehearsal', '15', '--json');
      expect(run.error).toBeUndefined();
      const cycleId = (JSON.parse(run.stdout) as { cycleId: string }).cycleId;
      expect(parseCycleId(cycleId)).toMatchObject({ rehearsal: true, campaignId: FILE.id, year });
      await untilTreeStarted(cycleId);
      const plan = (await campaignCyclePlan(client, cycleId))!;
      if (plan.timeline.kind !== 'rehearsal') throw new Error('not a rehearsal');
      const wallOf = (instant: string) => new Date(Math.round(toWallMs(instant, plan.timeline))).toISOString();

      const status = JSON.parse((await cli('cycle', 'status', cycleId, '--json')).stdout) as { rehearsal: boolean; deadlines: { rehearsal: boolean; levels: { phases: Record<string, { dueAt: string; wallAt: string }> }[] } };
      expect(status.rehearsal).toBe(true);
      expect(status.deadlines.rehearsal).toBe(true);
      expect(status.deadlines.levels[2]!.phases.q3).toEqual({ dueDate: plan.levels[2]!.phases.q3!.dueDate, dueAt: plan.levels[2]!.phases.q3!.dueAt, wallAt: wallOf(plan.levels[2]!.phases.q3!.dueAt) });
      const text = (await cli('cycle', 'status', cycleId)).stdout;
      expect(text.split('\n')[0]).toContain('(rehearsal / diễn tập)');
      expect(text).toMatch(/^ {2}q1 {7}Báo cáo quý I: due \d\d\/\d\d\/\d{4} 23:59 → \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d real time \/ giờ thực · /m);

      const web = await startWebApp({ config: h.config, db: h.db, client, taskQueue: h.taskQueue, mailer: h.mailer });
      try {
        const http = await signInByEmail(web.url, h.sink, 'r@example.vn');
        // the cycle's page and a unit's: the rehearsal badge, each phase's deadline with the real time it falls at
        const page = await http.request(cyclePath(cycleId));
        expect(page.status).toBe(200);
        expect(page.text).toMatch(/data-field="rehearsal"><span class="badge warn">Diễn tập<\/span>/);
        const shown = [...page.text.matchAll(/data-wall-at="([^"]+)">\(giờ thực trong diễn tập: /g)].map((m) => m[1]);
        expect(shown).toEqual(plan.phaseKeys.map((k) => wallOf(plan.levels[0]!.phases[k]!.dueAt)));
        const unit = await http.request(unitPath(cycleId, 'G11'));
        expect(unit.text).toContain('data-field="rehearsal"');
        expect([...unit.text.matchAll(/data-wall-at="([^"]+)"/g)].map((m) => m[1])).toEqual(plan.phaseKeys.map((k) => wallOf(plan.levels[2]!.phases[k]!.dueAt)));
        // the dashboard lists it as a rehearsal
        const dashboard = await http.request('/');
        expect(dashboard.text).toMatch(new RegExp(`data-cycle="${cycleId.replace(/[.~]/g, '\\$&')}"[\\s\\S]*?Diễn tập`));

        // the start form's preview and the JSON API take a campaign with rehearsalMinutes
        const preview = await http.request(`/cycles/new?year=${year + 1}&root=R&campaign=${FILE.id}&rehearsalMinutes=10&preview=1`);
        expect(preview.status).toBe(200);
        expect(preview.text).toContain('Diễn tập: toàn bộ lịch trên được nén vào 10');
        expect(preview.text).not.toContain('field-error');
        const token = () => http.request('/api/csrf').then((r) => (JSON.parse(r.text) as { token: string }).token);
        const started = await http.request('/api/cycles', { json: { year: year + 1, rootUnitId: 'R', campaign: FILE.id, rehearsalMinutes: 10 }, headers: { 'x-csrf-token': await token() } });
        expect(started.status).toBe(201);
        const apiCycle = (JSON.parse(started.text) as { cycleId: string }).cycleId;
        expect(parseCycleId(apiCycle)).toMatchObject({ rehearsal: true, campaignId: FILE.id, year: year + 1 });
        await until('the API rehearsal runs', async () => (await campaignCycleStatus(client, apiCycle).catch(() => null))?.rehearsal === true);
        await client.workflow.getHandle(apiCycle).terminate('test over');
        await apiRefusals(http, token, year + 3);
      } finally {
        await web.close();
      }
      await client.workflow.getHandle(cycleId).terminate('test over');
    });
  });

  it('refuses minutes out of range and an unknown campaign, naming the field, in both languages', { timeout: 120_000 }, async () => {
    // a year no other test of this file starts a cycle of
    const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 7;
    const plan = (request: { campaign: string; rehearsalMinutes: number }) => refusal(planCampaignCycle(env.client, h.db, { year, rootUnitId: 'R', ...request }));
    for (const minutes of [0, -5, 10_081]) {
      const r = await plan({ campaign: FILE.id, rehearsalMinutes: minutes });
      expect(r?.field).toBe('rehearsalMinutes');
      expect(r?.message).toContain(`A rehearsal runs in more than 0 and at most 10080 minutes (7 days): ${minutes} is not`);
      expect(r?.message).toContain('Diễn tập chạy trong hơn 0 và tối đa 10080 phút');
    }
    const unknown = await plan({ campaign: 'khong-co-dot-nay', rehearsalMinutes: 10 });
    expect(unknown).toEqual({ field: 'campaign', message: expect.stringContaining('No campaign khong-co-dot-nay') });
    expect(unknown?.message).toContain('Không có đợt báo cáo khong-co-dot-nay');

    // the CLI names the option
    const said = (r: { stderr: string; error?: unknown }) => `${r.stderr}${r.error instanceof Error ? r.error.message : ''}`;
    const over = await cli('cycle', 'start', '--year', String(year), '--root', 'R', '--campaign', FILE.id, '--rehearsal', '20000');
    expect(said(over)).toContain('--rehearsal: A rehearsal runs in more than 0 and at most 10080 minutes');
    expect(said(over)).toContain('Diễn tập chạy trong hơn 0');
    const zero = await cli('cycle', 'start', '--year', String(year), '--root', 'R', '--campaign', FILE.id, '--rehearsal', '0');
    expect(said(zero)).toMatch(/--rehearsal <minutes>.*must be a positive number of minutes \/ phải là số phút lớn hơn 0/);
    const none = await cli('cycle', 'start', '--year', String(year), '--root', 'R', '--campaign', 'khong-co-dot-nay', '--rehearsal', '10');
    expect(said(none)).toContain('--campaign: No campaign khong-co-dot-nay');
    expect(said(none)).toContain('Không có đợt báo cáo khong-co-dot-nay');
    // nothing was started
    expect(await h.db.selectFrom('cycle_snapshots').select('cycle_id').where('cycle_id', 'like', `rehearsal-${year}-%`).execute()).toEqual([]);
  });
});

/** The JSON API's refusals of a campaign rehearsal: the field, in the language asked. */
async function apiRefusals(http: CookieClient, token: () => Promise<string>, year: number): Promise<void> {
  const post = async (body: Record<string, unknown>, lang: 'vi' | 'en') => {
    const r = await http.request(`/api/cycles?lang=${lang}`, { json: { year, rootUnitId: 'R', ...body }, headers: { 'x-csrf-token': await token() } });
    expect(r.status).toBe(400);
    return (JSON.parse(r.text) as { fields: Record<string, string> }).fields;
  };
  const vi = await post({ campaign: FILE.id, rehearsalMinutes: 0 }, 'vi');
  const en = await post({ campaign: FILE.id, rehearsalMinutes: 0 }, 'en');
  expect(Object.keys(vi)).toEqual(['rehearsalMinutes']);
  expect(Object.keys(en)).toEqual(['rehearsalMinutes']);
  expect(vi.rehearsalMinutes).not.toBe(en.rehearsalMinutes);
  const tooLong = await post({ campaign: FILE.id, rehearsalMinutes: 10_081 }, 'en');
  expect(tooLong.rehearsalMinutes).toBeTruthy();
  const unknown = await post({ campaign: 'khong-co-dot-nay', rehearsalMinutes: 10 }, 'vi');
  expect(unknown.campaign).toContain('No campaign khong-co-dot-nay');
  expect(unknown.campaign).toContain('Không có đợt báo cáo khong-co-dot-nay');
}
