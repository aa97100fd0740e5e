// The cycle commands of the CLI, run as a user runs them (a child process) against a real dev server and a
// real worker: JSON output, idempotent submissions, one-line errors (one more line per field for invalid input) with a non-zero exit code.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRehearsalAtR, useCliDevServer } from '../support/cli-dev-server';
import { planFor, smallTree } from '../support/cycle-fixtures';
import { cyclePlan, listOverdue, wallAt } from '../../client/cycles';
import { writeFileSync } from 'node:fs';

const cli = useCliDevServer({ units: smallTree() }, 'cli');
const baocao = cli.baocao;

describe('baocao cycle commands', () => {
  it('starts a rehearsal, submits once, reports status and errors as a user sees them', { timeout: 240_000 }, async () => {
    const year = new Date().getUTCFullYear() + 1;
    const worker = await cli.h.newWorker();
    await worker.runUntil(async () => {
      const cycleId = await startRehearsalAtR(cli, year, 6);
      expect(cycleId).toMatch(new RegExp(`^rehearsal-${year}-R-\\d{14}$`));
      const status = await baocao('cycle', 'status', cycleId, '--json');
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ cycleId, phase: 'running', rehearsal: true, rootWorkflowId: `${cycleId}/R`, rootStatus: { unitId: 'R' } });

      const file = join(cli.h.config.dataDir, 'plan-g11.json');
      writeFileSync(file, JSON.stringify(planFor('G11', year)));
      const first = await baocao('submit', 'plan', '--cycle', cycleId, '--unit', 'G11', '--file', file, '--json');
      expect(first.code, first.stderr).toBe(0);
      const again = await baocao('submit', 'plan', '--cycle', cycleId, '--unit', 'G11', '--file', file, '--json');
      expect(JSON.parse(again.stdout)).toEqual(JSON.parse(first.stdout)); // the same answer, no second version

      const unit = await baocao('cycle', 'status', cycleId, '--unit', 'G11');
      expect(unit.stdout).toContain('submitted v1');
      expect(unit.stdout).toContain('G11 in ' + cycleId);

      const unnamed = await baocao('review', '--cycle', cycleId, '--unit', 'G11', '--by', 'I1', '--accept', '--phase', 'plan');
      expect(unnamed.code).not.toBe(0);
      expect(unnamed.stderr).toMatch(/^baocao: Version 1 of the plan of G11 awaits review: read it, then run again with --version 1/);

      const stranger = await baocao('review', '--cycle', cycleId, '--unit', 'G11', '--by', 'I2', '--accept', '--phase', 'plan', '--version', '1');
      expect(stranger.code).not.toBe(0);
      expect(stranger.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^baocao: I2 does not supervise G11/)]);

      writeFileSync(file, JSON.stringify({ ...planFor('G12', year), body: '' }));
      const bad = await baocao('submit', 'plan', '--cycle', cycleId, '--unit', 'G12', '--file', file);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toBe('baocao: Invalid plan / Kế hoạch không hợp lệ:\n  body: required / bắt buộc\n'); // one line per field

      writeFileSync(file, JSON.stringify(planFor('G12', year)));
      const longBy = await baocao('submit', 'plan', '--cycle', cycleId, '--unit', 'G12', '--file', file, '--by', 'Nguyễn Thị Hường '.repeat(12));
      expect(longBy.code).not.toBe(0);
      expect(longBy.stderr.split('\n')).toEqual([
        'baocao: Invalid plan / Kế hoạch không hợp lệ:',
        expect.stringMatching(/^ {2}submittedBy: at most 200 bytes \(about 66 characters of Vietnamese\); this text has \d+ \/ tối đa 200 byte/),
        '',
      ]);

      const past = await baocao('cycle', 'start', '--year', '2020', '--root', 'R');
      expect(past.code).not.toBe(0);
      expect(past.stderr).toMatch(/^baocao: Every deadline of the 2020 cycle has passed .*--rehearsal MINUTES\.\n$/);

      const unknown = await baocao('cycle', 'status', 'cycle-1999-NOPE');
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr.trim().split('\n')).toHaveLength(1);

      await cli.env.client.workflow.getHandle(cycleId).terminate('test over');
    });
  });

  it('reminds listed units now, or every overdue unit: a line per unit, refusals with their reason, exit 1 if any', { timeout: 300_000 }, async () => {
    const year = new Date().getUTCFullYear() + 1;
    const worker = await cli.h.newWorker();
    await worker.runUntil(async () => {
      const cycleId = await startRehearsalAtR(cli, year, 6, 3);
      const file = join(cli.h.config.dataDir, 'plan-g12.json');
      writeFileSync(file, JSON.stringify(planFor('G12', year)));
      expect((await baocao('submit', 'plan', '--cycle', cycleId, '--unit', 'G12', '--file', file)).code).toBe(0);

      const listed = await baocao('cycle', 'remind', cycleId, '--units', 'G11,NOPE', '--phase', 'plan', '--requested-by', 'Trần Thị Lan', '--json');
      expect(listed.code).toBe(1);
      const results = JSON.parse(listed.stdout) as { unitId: string; ok: boolean; phase?: string; problem?: string }[];
      expect(results).toEqual([
        { unitId: 'G11', ok: true, phase: 'plan', reminderNumber: 1, email: 'reminder' },
        { unitId: 'NOPE', ok: false, problem: expect.stringContaining('Unknown unit or cycle') },
      ]);
      const audit = await cli.h.db.selectFrom('audit_log').select(['actor', 'channel', 'data_json']).where('unit_id', '=', 'G11').where('kind', '=', 'reminder-requested').execute();
      expect(audit).toEqual([{ actor: 'R', channel: 'cli', data_json: expect.stringContaining('"requestedBy":"Trần Thị Lan"') }]);
      const human = await baocao('cycle', 'remind', cycleId, '--units', 'G11,G12', '--phase', 'plan');
      expect(human.stdout).toMatch(/^G11: refused \/ không nhắc — G11 was reminded of its plan \d+ min ago/m);
      expect(human.stdout).toMatch(/^G12: refused \/ không nhắc — The plan of G12 is already submitted/m);
      expect(human.stdout).toContain('0 reminded, 2 refused');
      const neither = await baocao('cycle', 'remind', cycleId);
      expect(neither.stderr).toMatch(/^baocao: Give exactly one of --units/);

      // past the grassroots plan deadline (real time in the rehearsal): every overdue unit, found by one visibility query
      const plan = (await cyclePlan(cli.env.client, cycleId))!;
      const dueWall = Date.parse(wallAt(plan.levels[2]!.plan.dueAt, plan.timeline));
      // (a dev server does not skip time: wait on the server's own state, polling, until a minute past that instant)
      for (;;) {
        if ((await listOverdue(cli.env.client, { cycleId, supervisorUnitId: 'I2' })).length === 1) break;
        if (Date.now() > dueWall + 60_000) throw new Error('G21 was never listed overdue');
        await new Promise((r) => setTimeout(r, 250));
      }
      // the rehearsal runs on meanwhile (levels above fall due too): the overdue units directly below I2
      const overdue = await baocao('cycle', 'remind', cycleId, '--overdue', '--supervisor', 'I2', '--json');
      expect(overdue.code, overdue.stderr).toBe(0);
      expect(JSON.parse(overdue.stdout)).toEqual([{ unitId: 'G21', ok: true, phase: 'plan', reminderNumber: expect.any(Number), email: 'overdue-notice' }]);
      const notice = await cli.h.db.selectFrom('mail_outbox').select('purpose').where('key', 'like', `${cycleId}/G21:remind-now:plan:%`).execute();
      expect(notice).toEqual([{ purpose: 'overdue-notice' }]);
      await cli.env.client.workflow.getHandle(cycleId).terminate('test over');
    });
  });
});
