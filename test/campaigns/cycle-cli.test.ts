// A cycle of a campaign through the CLI, as a user runs it (a child process) against a real dev server and a real
// worker: `cycle start --campaign`, `submit --phase`, `submit --phase --attach` (the web's upload checks),
// `cycle remind` per phase, `cycle status`, the refusals in both languages — and the BaocaoCampaign search
// attribute on every workflow of the cycle, queried from the server's visibility store.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignUnitStatus } from '../../client/campaign-cycles';
import { CAMPAIGN, CYCLE } from '../../workflows/search-attributes';
import { sampleExe, samplePdf } from '../files/samples';
import { useCliDevServer } from '../support/cli-dev-server';
import { smallTree, until } from '../support/cycle-fixtures';

const ROOT = join(__dirname, '..', '..');
const cli = useCliDevServer({ units: smallTree() }, 'campaign-cli');
const baocao = cli.baocao;

describe('baocao with a cycle of a campaign', () => {
  it('starts it, submits a phase once, shows it, refuses what the form refuses; every workflow carries BaocaoCampaign', { timeout: 240_000 }, async () => {
    const year = new Date().getUTCFullYear() + 1;
    const imported = await baocao('campaign', 'import', join(ROOT, 'examples', 'campaign-quarterly.json'));
    expect(imported.code, imported.stderr).toBe(0);
    const worker = await cli.h.newWorker();
    await worker.runUntil(async () => {
      const started = await baocao('cycle', 'start', '--year', String(year), '--root', 'R', '--campaign', 'bao-cao-quy-an-toan@1', '--json');
      expect(started.code, started.stderr).toBe(0);
      const { cycleId, version } = JSON.parse(started.stdout) as { cycleId: string; version: number };
      expect(cycleId).toBe(`cycle-${year}-R~bao-cao-quy-an-toan`);
      expect(version).toBe(1);
      await until('the tree has started', async () => (await campaignUnitStatus(cli.env.client, cycleId, 'R').catch(() => null))?.aggregate.phases.q1?.expected === 6);

      const again = await baocao('cycle', 'start', '--year', String(year), '--root', 'R', '--campaign', 'bao-cao-quy-an-toan');
      expect(again.code).not.toBe(0);
      expect(again.stderr).toContain(`Cycle ${cycleId} already exists / Chu kỳ đã tồn tại`);

      const file = join(cli.h.config.dataDir, 'q1-g11.json');
      writeFileSync(file, JSON.stringify({ results: 'Tổ chức 4 buổi huấn luyện an toàn cho 120 công nhân.', figures: { trainingSessions: 4, trainedWorkers: 120, safetyNetworkRate: 75.5, accidents: 0 } }));
      const first = await baocao('submit', '--phase', 'q1', '--cycle', cycleId, '--unit', 'G11', '--file', file, '--json');
      expect(first.code, first.stderr).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({ unitId: 'G11', phase: 'q1', version: 1, late: false, duplicate: false });
      const repeat = await baocao('submit', '--phase', 'q1', '--cycle', cycleId, '--unit', 'G11', '--file', file, '--json');
      expect(JSON.parse(repeat.stdout)).toEqual(JSON.parse(first.stdout)); // the same answer, no second version

      writeFileSync(file, JSON.stringify({ results: '', figures: { trainingSessions: 40, trainedWorkers: 12, safetyNetworkRate: 75.55, accidents: 0 } }));
      const bad = await baocao('submit', '--phase', 'q1', '--cycle', cycleId, '--unit', 'G12', '--file', file);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('Invalid Q1 report / Báo cáo quý I không hợp lệ');
      expect(bad.stderr).toMatch(/\n {2}results: required \/ bắt buộc/);
      expect(bad.stderr).toMatch(/\n {2}figures\.trainedWorkers: Workers trained cannot be fewer than training sessions \/ Số người được huấn luyện không thể ít hơn số buổi huấn luyện/);
      expect(bad.stderr).toMatch(/\n {2}figures\.safetyNetworkRate: at most 1 decimal place \/ tối đa 1 chữ số thập phân/);
      const unknown = await baocao('submit', '--phase', 'q9', '--cycle', cycleId, '--unit', 'G12', '--file', file);
      expect(unknown.stderr).toContain('has no phase "q9": its phases are q1, q2, q3, q4');

      // the signed copy with the submission: through the web's upload checks into the store, its reference in the
      // submission, attached to the version; an executable renamed .pdf is refused and nothing is submitted
      const i1File = join(cli.h.config.dataDir, 'q1-i1.json');
      writeFileSync(i1File, JSON.stringify({ results: 'Liên đoàn huyện Đông: kiểm tra 12 doanh nghiệp.', figures: { trainingSessions: 1, trainedWorkers: 30, safetyNetworkRate: 80, accidents: 0 } }));
      const exe = join(cli.h.config.dataDir, 'bao-cao-i1.pdf');
      writeFileSync(exe, sampleExe());
      const refused = await baocao('submit', '--phase', 'q1', '--cycle', cycleId, '--unit', 'I1', '--file', i1File, '--attach', exe);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/Nothing was submitted \/ Chưa nộp gì/);
      expect(refused.stderr).toMatch(/không phải PDF, DOCX, XLSX, JPEG hay PNG.*is not one of/s);
      const pdf = join(cli.h.config.dataDir, 'Báo cáo quý I – Liên đoàn huyện Đông.pdf');
      const bytes = await samplePdf('Bao cao quy I - LDLD huyen Dong');
      writeFileSync(pdf, bytes);
      const unknownPhase = await baocao('submit', '--phase', 'q9', '--cycle', cycleId, '--unit', 'I1', '--file', i1File, '--attach', pdf);
      expect(unknownPhase.stderr).toContain('has no phase "q9": its phases are q1, q2, q3, q4');
      expect(await cli.h.db.selectFrom('files').selectAll().where('unit_id', '=', 'I1').execute()).toEqual([]);
      const attached = await baocao('submit', '--phase', 'q1', '--cycle', cycleId, '--unit', 'I1', '--file', i1File, '--attach', pdf, '--json');
      expect(attached.code, attached.stderr).toBe(0);
      expect(JSON.parse(attached.stdout)).toMatchObject({ unitId: 'I1', phase: 'q1', version: 1, duplicate: false });
      const files = await cli.h.db.selectFrom('files').selectAll().where('unit_id', '=', 'I1').execute();
      expect(files.map((r) => [r.name, r.media_type, r.phase, r.attached_version, Number(r.size)])).toEqual([['Báo cáo quý I – Liên đoàn huyện Đông.pdf', 'application/pdf', 'q1', 1, bytes.length]]);
      const [stored] = await cli.h.db.selectFrom('submissions').select('content_json').where('cycle_id', '=', cycleId).where('unit_id', '=', 'I1').execute();
      expect(JSON.parse(stored!.content_json).files).toEqual([{ id: files[0]!.id, sha256: files[0]!.sha256, size: bytes.length, mediaType: 'application/pdf', name: 'Báo cáo quý I – Liên đoàn huyện Đông.pdf' }]);
      const resent = await baocao('submit', '--phase', 'q1', '--cycle', cycleId, '--unit', 'I1', '--file', i1File, '--attach', pdf, '--json');
      expect(JSON.parse(resent.stdout)).toEqual(JSON.parse(attached.stdout)); // the same upload named again: the same submission

      // remind now, per phase: G12 is reminded of its first quarter; G11 has sent it, which is its refusal
      const reminded = await baocao('cycle', 'remind', cycleId, '--units', 'G12,G11', '--phase', 'q1', '--requested-by', 'Trần Thị Lan', '--json');
      expect(reminded.code).toBe(1);
      const results = JSON.parse(reminded.stdout) as { unitId: string; ok: boolean; phase?: string; reminderNumber?: number; email?: string; problem?: string }[];
      expect(results[0]).toEqual({ unitId: 'G12', ok: true, phase: 'q1', reminderNumber: 1, email: 'reminder' });
      expect(results[1]).toMatchObject({ unitId: 'G11', ok: false });
      expect(results[1]!.problem).toMatch(/The q1 of G11 is already submitted \(version 1\).* \/ Đơn vị đã nộp giai đoạn q1/);
      const within = await baocao('cycle', 'remind', cycleId, '--units', 'G12');
      expect(within.stdout).toMatch(/G12: refused \/ không nhắc — .*at most one reminder an hour/);

      const unit = await baocao('cycle', 'status', cycleId, '--unit', 'G11');
      expect(unit.code, unit.stderr).toBe(0);
      expect(unit.stdout).toContain('Báo cáo quý I: due');
      expect(unit.stdout).toContain('submitted v1');
      expect(unit.stdout).toContain('Số người lao động được huấn luyện (người): 120 [sum of 1]');
      const cycle = await baocao('cycle', 'status', cycleId, '--json');
      expect(JSON.parse(cycle.stdout)).toMatchObject({ cycleId, campaignId: 'bao-cao-quy-an-toan', version: 1, phase: 'running', rootStatus: { unitId: 'R', current: 'q1' } });

      // one visibility query lists the campaign's workflows: the cycle and its six units
      const listed = async () => {
        const ids: string[] = [];
        for await (const wf of cli.env.client.workflow.list({ query: `${CAMPAIGN.name} = 'bao-cao-quy-an-toan' AND ${CYCLE.name} = '${cycleId}'` })) ids.push(wf.workflowId);
        return ids.sort();
      };
      await until('visibility lists the campaign cycle', async () => (await listed()).length === 7);
      expect(await listed()).toEqual([cycleId, ...['G11', 'G12', 'G21', 'I1', 'I2', 'R'].map((u) => `${cycleId}/${u}`)].sort());
      await cli.env.client.workflow.getHandle(cycleId).terminate('test done');
    });
  });
});
