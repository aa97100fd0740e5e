// `baocao submit … --attach FILE…` run as a user runs it (a child process) against a dev server and a real
// worker: the file goes through the web's upload checks into the store, the submission carries its reference,
// the archive attaches it to the version; the same command again is the same submission; a renamed executable
// is refused in both languages and nothing is submitted.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRehearsalAtR, useCliDevServer } from '../support/cli-dev-server';
import { planFor, smallTree } from '../support/cycle-fixtures';
import { sampleExe, samplePdf } from './samples';

const cli = useCliDevServer({ units: smallTree() }, 'cli-attach');
const baocao = cli.baocao;

describe('baocao submit --attach', () => {
  it('submits with the signed PDF, once; refuses an executable and submits nothing', { timeout: 240_000 }, async () => {
    const year = new Date().getUTCFullYear() + 1;
    const worker = await cli.h.newWorker();
    await worker.runUntil(async () => {
      const cycleId = await startRehearsalAtR(cli, year, 6);

      const plan = join(cli.h.config.dataDir, 'plan.json');
      writeFileSync(plan, JSON.stringify(planFor('G11', year)));
      const pdf = join(cli.h.config.dataDir, 'Kế hoạch G11 – bản ký.pdf');
      const bytes = await samplePdf('Ke hoach G11');
      writeFileSync(pdf, bytes);
      const first = await baocao('submit', 'plan', '--cycle', cycleId, '--unit', 'G11', '--file', plan, '--attach', pdf, '--json');
      expect(first.code, first.stderr).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({ unitId: 'G11', version: 1, duplicate: false });
      const rows = await cli.h.db.selectFrom('files').selectAll().where('unit_id', '=', 'G11').execute();
      expect(rows.map((r) => [r.name, r.media_type, r.phase, r.attached_version, Number(r.size)])).toEqual([['Kế hoạch G11 – bản ký.pdf', 'application/pdf', 'plan', 1, bytes.length]]);
      const [stored] = await cli.h.db.selectFrom('submissions').select('content_json').where('cycle_id', '=', cycleId).where('unit_id', '=', 'G11').execute();
      expect(JSON.parse(stored!.content_json).files).toEqual([{ id: rows[0]!.id, sha256: rows[0]!.sha256, size: bytes.length, mediaType: 'application/pdf', name: 'Kế hoạch G11 – bản ký.pdf' }]);

      // resent: the same upload is named again, so it is the same submission
      const again = await baocao('submit', 'plan', '--cycle', cycleId, '--unit', 'G11', '--file', plan, '--attach', pdf, '--json');
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout)).toEqual(JSON.parse(first.stdout)); // the same answer, no second version
      expect(await cli.h.db.selectFrom('files').selectAll().where('unit_id', '=', 'G11').execute()).toHaveLength(1);

      const exe = join(cli.h.config.dataDir, 'ke-hoach-g12.pdf');
      writeFileSync(exe, sampleExe());
      writeFileSync(plan, JSON.stringify(planFor('G12', year)));
      const bad = await baocao('submit', 'plan', '--cycle', cycleId, '--unit', 'G12', '--file', plan, '--attach', exe);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/Nothing was submitted \/ Chưa nộp gì/);
      expect(bad.stderr).toMatch(/không phải PDF, DOCX, XLSX, JPEG hay PNG.*is not one of/s);
      expect(await cli.h.db.selectFrom('submissions').selectAll().where('cycle_id', '=', cycleId).where('unit_id', '=', 'G12').execute()).toEqual([]);
      expect(await cli.h.db.selectFrom('files').selectAll().where('unit_id', '=', 'G12').execute()).toEqual([]);
    });
  });
});
