// A dead workflow is never silent: on the real dev server (visibility), a terminated unit workflow and then a
// cycle whose root was terminated are listed with their reason, by common/dead-workflows.ts, by `cycle status`
// and `cycle report` (run in-process as a user runs them), and on the web cycle page's notice.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { registerCycleCommands } from '../../client/cli/commands/cycle';
import { deadWorkflowsQuery, listDeadWorkflows, type DeadWorkflow } from '../../common/dead-workflows';
import { alertDeadWorkflows, WORKFLOW_DEAD_PURPOSE } from '../../worker/dead-workflow-alerts';
import { startCycle } from '../../client/cycles';
import { deadWorkflowsNotice } from '../../client/web/views/staff';
import { unitWorkflowId } from '../../workflows/ids';
import { runCli } from '../support/cli';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { smallTree, until, untilTreeStarted } from '../support/cycle-fixtures';
import { createLocalEnv, freePort } from '../support/temporal';

let env: TestWorkflowEnvironment;
let h: CycleHarness;
let port: number;

beforeAll(async () => {
  port = await freePort();
  env = await createLocalEnv({ port });
  h = await createCycleHarness(env, { units: smallTree() }, 'dead-workflows');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await h?.close();
  await env?.teardown();
});

const cli = (...args: string[]) => runCli(registerCycleCommands, ...args);

/** Visibility is eventually consistent: wait until the listing has `n` entries. */
async function deadOnce(cycleId: string, n: number): Promise<DeadWorkflow[]> {
  let dead: DeadWorkflow[] = [];
  await until(`${n} dead workflow(s) listed in ${cycleId}`, async () => (dead = await listDeadWorkflows(env.client, cycleId)).length >= n);
  return dead;
}

it('lists a terminated unit and a failed cycle with their reasons in the CLI and on the web page', { timeout: 240_000 }, async () => {
  vi.stubEnv('TEMPORAL_ADDRESS', `127.0.0.1:${port}`);
  vi.stubEnv('TEMPORAL_TASK_QUEUE', h.taskQueue);
  vi.stubEnv('BAOCAO_DATA_DIR', h.config.dataDir);
  vi.stubEnv('DATABASE_URL', undefined);
  const year = new Date().getUTCFullYear() + 1;
  const worker = await h.newWorker();
  await worker.runUntil(async () => {
    // a long rehearsal: nothing is due while the test runs
    const { cycleId } = await startCycle(env.client, h.taskQueue, { year, rootUnitId: 'R', rehearsalMinutes: 600 });
    await untilTreeStarted(env.client, cycleId, smallTree().length);
    expect(await listDeadWorkflows(env.client, cycleId)).toEqual([]);
    const healthy = await cli('cycle', 'status', cycleId);
    expect(healthy.error).toBeUndefined();
    expect(healthy.stdout).not.toContain('DEAD WORKFLOWS');

    await env.client.workflow.getHandle(unitWorkflowId(cycleId, 'G11')).terminate('chaos drill: G11 stopped by hand');
    const [g11] = await deadOnce(cycleId, 1);
    expect(g11).toMatchObject({ workflowId: unitWorkflowId(cycleId, 'G11'), workflowType: 'unitWorkflow', unitId: 'G11', status: 'TERMINATED' });
    expect(g11!.reason).toMatch(/^terminated.*: chaos drill: G11 stopped by hand$/);

    const status = await cli('cycle', 'status', cycleId);
    expect(status.error).toBeUndefined();
    expect(status.stdout).toMatch(/DEAD WORKFLOWS: 1\b/);
    expect(status.stdout).toMatch(/^ {2}G11 +TERMINATED \/ bị dừng — terminated.*chaos drill: G11 stopped by hand/m);
    const json = JSON.parse((await cli('cycle', 'status', cycleId, '--json')).stdout) as { health: { dead: DeadWorkflow[] } };
    expect(json.health.dead.map((d) => d.unitId)).toEqual(['G11']);
    const unit = await cli('cycle', 'status', cycleId, '--unit', 'I1');
    expect(unit.stdout).toMatch(/DEAD WORKFLOWS: 1\b/);

    // the secretariat is emailed once about it, however often the worker checks
    const alerts = { client: env.client, db: h.db, config: h.config };
    expect((await alertDeadWorkflows(alerts)).sent).toEqual([unitWorkflowId(cycleId, 'G11')]);
    expect((await alertDeadWorkflows(alerts)).sent).toEqual([]);
    await h.dispatcher.idle();
    const rows = await h.db.selectFrom('mail_outbox').selectAll().where('purpose', '=', WORKFLOW_DEAD_PURPOSE).execute();
    expect(rows).toHaveLength(1);
    const mail = h.sink.messages.find((m) => m.messageId === rows[0]!.message_id)!;
    expect(mail.to).toEqual(['r@example.vn']); // the root's officer: the secretariat
    expect(mail.subject).toContain('Cảnh báo: theo dõi đã dừng — Công đoàn cơ sở Công ty May Đức Giang (G11)');
    expect(mail.text).toContain('chaos drill: G11 stopped by hand');

    // the secretariat's root task terminated: the cycle workflow fails, and `cycle report` says so before any figure
    await env.client.workflow.getHandle(unitWorkflowId(cycleId, 'R')).terminate('operator error');
    const dead = await deadOnce(cycleId, 3);
    expect(dead.map((d) => [d.unitId, d.workflowType, d.status])).toEqual([
      [null, 'cycleWorkflow', 'FAILED'],
      ['G11', 'unitWorkflow', 'TERMINATED'],
      ['R', 'unitWorkflow', 'TERMINATED'],
    ]);
    expect(dead[0]!.workflowId).toBe(cycleId);
    expect(dead[0]!.reason).toMatch(/^Child Workflow execution terminated/);
    const report = await cli('cycle', 'report', cycleId);
    expect(report.error).toBeUndefined();
    const lines = report.stdout.split('\n');
    expect(lines[0]).toMatch(/^DEAD WORKFLOWS: 3\b/);
    expect(lines.findIndex((l) => l.startsWith('Aggregate of R'))).toBeGreaterThan(3);

    // the cycle workflow and R's task: one more email each
    expect((await alertDeadWorkflows(alerts, [cycleId])).sent.sort()).toEqual([cycleId, unitWorkflowId(cycleId, 'R')].sort());

    const html = String(deadWorkflowsNotice('vi', { dead }));
    expect(html).toContain('Theo dõi đã dừng ở 3 đơn vị/quy trình');
    expect(html).toContain('operator error');
    expect(String(deadWorkflowsNotice('en', { dead: [] }))).toBe('');
    expect(String(deadWorkflowsNotice('en', { unavailable: 'no visibility' }))).toBe('');
  });
});

it('refuses what is not a cycle id rather than querying with it', () => {
  expect(() => deadWorkflowsQuery("cycle-2027-R' OR 1=1")).toThrow(/not a cycle id/);
});
