// The README's campaign walk-through ("Campaigns"), run as written: the sample directory, the quarterly campaign
// of examples/, a cycle of it at LDLD-BN, CD-KCN's Q1 from examples/campaign-q1.json, the cycle's status, and a
// programme of the campaign, a rehearsal of it — each command a child process against a real dev server and the production worker.
// Only the year differs: the README says 2027, the test takes next year so that its first deadline is ahead.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignUnitStatus } from '../../client/campaign-cycles';
import { useCliDevServer } from '../support/cli-dev-server';
import { until } from '../support/cycle-fixtures';

const ROOT = join(__dirname, '..', '..');
const cli = useCliDevServer({ units: [] }, 'readme-campaign');
const baocao = async (...args: string[]) => {
  const run = await cli.baocao(...args);
  expect(run.code, `baocao ${args.join(' ')}\n${run.stderr}`).toBe(0);
  return run.stdout;
};

describe('the README campaign walk-through', () => {
  it('works as written', { timeout: 300_000 }, async () => {
    const year = new Date().getUTCFullYear() + 1;
    await baocao('units', 'import', join(ROOT, 'examples', 'plain-units.csv'));
    expect(await baocao('campaign', 'import', join(ROOT, 'examples', 'campaign-quarterly.json'))).toContain('Created campaign bao-cao-quy-an-toan version 1');
    expect(await baocao('campaign', 'show', 'bao-cao-quy-an-toan')).toContain('Báo cáo quý I');
    expect(await baocao('campaign', 'list')).toContain('builtin-yearly');
    const worker = await cli.h.newWorker();
    await worker.runUntil(async () => {
      const cycleId = `cycle-${year}-LDLD-BN~bao-cao-quy-an-toan`;
      expect(await baocao('cycle', 'start', '--year', String(year), '--root', 'LDLD-BN', '--campaign', 'bao-cao-quy-an-toan')).toContain(`Started ${cycleId} (bao-cao-quy-an-toan v1)`);
      await until('the tree has started', async () => (await campaignUnitStatus(cli.env.client, cycleId, 'CD-KCN').catch(() => null)) !== null);
      expect(await baocao('submit', '--phase', 'q1', '--cycle', cycleId, '--unit', 'CD-KCN', '--file', join(ROOT, 'examples', 'campaign-q1.json'))).toMatch(/q1/);
      expect((await campaignUnitStatus(cli.env.client, cycleId, 'CD-KCN')).phases[0]!.figures).toEqual({ trainingSessions: 4, trainedWorkers: 120, safetyNetworkRate: 75.5, accidents: 0 });
      const status = await baocao('cycle', 'status', cycleId);
      expect(status).toContain('q1');
      const programme = await baocao('programme', 'create', '--root', 'LDLD-BN', '--from', String(year + 1), '--to', String(year + 3), '--campaign', 'bao-cao-quy-an-toan');
      expect(programme).toContain(`Created programme-${year + 1}-${year + 3}-LDLD-BN~bao-cao-quy-an-toan: 3 cycles of bao-cao-quy-an-toan v1 at LDLD-BN`);
      const shown = await baocao('programme', 'status', `programme-${year + 1}-${year + 3}-LDLD-BN~bao-cao-quy-an-toan`);
      for (const y of [year + 1, year + 2, year + 3]) expect(shown).toContain(`cycle-${y}-LDLD-BN~bao-cao-quy-an-toan not started`);
      expect(shown).toContain('campaign bao-cao-quy-an-toan v1');
      await baocao('programme', 'delete', `programme-${year + 1}-${year + 3}-LDLD-BN~bao-cao-quy-an-toan`);
      // a rehearsal of the campaign beside its real cycle of the year
      const rehearsal = await baocao('cycle', 'start', '--year', String(year), '--root', 'LDLD-BN', '--campaign', 'bao-cao-quy-an-toan', '--rehearsal', '20');
      expect(rehearsal).toMatch(new RegExp(`^Started rehearsal-${year}-LDLD-BN-\\d{14}~bao-cao-quy-an-toan \\(bao-cao-quy-an-toan v1, rehearsal in 20 min\\)`));
    });
  });
});
