// `baocao campaign sample-docx|report-docx|export-xlsx` in-process on a temporary data directory: the
// quarterly example imported and previewed, then a cycle of it (the fixture archive) written as a DOCX and an
// XLSX, read back.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { importCampaign } from '../../activities/campaigns/repository';
import { openMigratedDatabase } from '../../activities/db/database';
import { registerCampaignCommands } from '../../client/cli/commands/campaign';
import { registerCampaignDocumentCommands } from '../../client/cli/commands/campaign-documents';
import { loadConfig } from '../../common/config';
import { runCli } from '../support/cli';
import { buildQuarterlyArchive, QUARTERLY_CYCLE, QUARTERLY_ID } from './campaign-fixture';
import { buildArchive, DISTRICT } from './fixture';
import { docxParagraphs } from './ooxml';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json');
const run = (...args: string[]) =>
  runCli((p) => {
    registerCampaignCommands(p);
    registerCampaignDocumentCommands(p);
  }, ...args);

describe('baocao campaign sample-docx / report-docx / export-xlsx', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'baocao-campaign-docs-cli-'));
    vi.stubEnv('BAOCAO_DATA_DIR', dataDir);
    vi.stubEnv('DATABASE_URL', undefined);
    const db = await openMigratedDatabase(loadConfig().database);
    try {
      await buildArchive(db);
      await buildQuarterlyArchive(db);
      await importCampaign(db, JSON.parse(readFileSync(EXAMPLE, 'utf8')), { by: 'test' });
    } finally {
      await db.destroy();
    }
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('previews a form’s report with example content: its sections, figures and the example units', async () => {
    const out = join(dataDir, 'preview.docx');
    const r = await run('campaign', 'sample-docx', QUARTERLY_ID, '--phase', 'q1', '--out', out);
    expect(r.error).toBeUndefined();
    expect(r.stdout).toMatch(/^Wrote .*preview\.docx \(\d+ bytes\): a preview of bao-cao-quy-an-toan v1/);
    const all = (await docxParagraphs(readFileSync(out))).map((p) => p.text);
    expect(all).toContain('1. Kết quả thực hiện trong quý');
    expect(all).toContain('Hoạt động kiểm tra, huấn luyện, tuyên truyền đã thực hiện.');
    expect(all).toContain('Tỷ lệ tổ có an toàn vệ sinh viên');
    expect(all).toContain('Công đoàn cơ sở mẫu số 1 (ví dụ)');
    expect(all).toContain('a) Báo cáo quý I');
  });

  it('refuses an unknown phase, naming the ones there are', async () => {
    const r = await run('campaign', 'sample-docx', QUARTERLY_ID, '--phase', 'q9', '--out', join(dataDir, 'x.docx'));
    expect(String((r.error as Error).message)).toMatch(/q9.*q1, q2, q3, q4/);
  });

  it('writes a district’s Q2 report and the cycle’s workbook from the archive', async () => {
    const docx = join(dataDir, 'q2.docx');
    const d = await run('campaign', 'report-docx', QUARTERLY_CYCLE, '--campaign', QUARTERLY_ID, '--version', '1', '--phase', 'q2', '--unit', DISTRICT, '--as-of', '2027-07-20T10:00:00Z', '--out', docx);
    expect(d.error).toBeUndefined();
    const all = (await docxParagraphs(readFileSync(docx))).map((p) => p.text);
    expect(all).toContain('LIÊN ĐOÀN LAO ĐỘNG QUẬN LONG BIÊN');
    expect(all).toContain('Quận tổ chức 2 buổi huấn luyện cho cán bộ công đoàn.');

    const xlsx = join(dataDir, 'cycle.xlsx');
    const x = await run('campaign', 'export-xlsx', QUARTERLY_CYCLE, '--campaign', QUARTERLY_ID, '--version', '1', '--out', xlsx);
    expect(x.error).toBeUndefined();
    expect(x.stdout).toContain('Báo cáo quý I (9), Báo cáo quý II (9), Báo cáo quý III (9), Báo cáo quý IV (9)');
    expect(x.stderr).toContain('q4: 9 units / đơn vị');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(xlsx) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Báo cáo quý I', 'Báo cáo quý II', 'Báo cáo quý III', 'Báo cáo quý IV']);
    expect(wb.getWorksheet('Báo cáo quý II')!.getRow(1).getCell(10).value).toBe('Số buổi huấn luyện an toàn (buổi)');
  });
});
