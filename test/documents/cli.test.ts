// `baocao cycle export` and `baocao cycle archive`, run in-process on a temporary data directory holding the
// fixture archive: no Temporal server involved, as for a closed cycle after retention.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordAggregate } from '../../activities/archive/aggregates';
import { rebuildAggregate } from '../../activities/archive/subtree';
import { openMigratedDatabase } from '../../activities/db/database';
import { registerDocumentCommands } from '../../client/cli/commands/documents';
import { CliError } from '../../client/cli/output';
import { loadConfig } from '../../common/config';
import { AS_OF, buildArchive, CYCLE, DISTRICT, NAMES } from './fixture';
import { docxParagraphs } from './ooxml';
import { runCli } from '../support/cli';

const run = (...args: string[]) => runCli(registerDocumentCommands, ...args);

describe('baocao cycle export / archive', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'baocao-documents-cli-'));
    vi.stubEnv('BAOCAO_DATA_DIR', dataDir);
    vi.stubEnv('DATABASE_URL', undefined);
    const db = await openMigratedDatabase(loadConfig().database);
    try {
      await buildArchive(db);
    } finally {
      await db.destroy();
    }
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes the DOCX of a unit, rebuilt from the archive when no aggregate was recorded, and the XLSX', async () => {
    const docx = join(dataDir, 'lb.docx');
    const xlsx = join(dataDir, 'cycle.xlsx');
    const r = await run('cycle', 'export', CYCLE, '--unit', DISTRICT, '--docx', docx, '--xlsx', xlsx, '--number', '07');
    expect(r.error).toBeUndefined();
    expect(r.stdout).toContain(`aggregate report of ${DISTRICT}, rebuilt from the archive as of 31/12/2027 23:59`);
    const ps = (await docxParagraphs(readFileSync(docx))).map((p) => p.text);
    expect(ps).toContain('Số: 07/BC-LĐLĐ');
    expect(ps).toContain('(Số liệu tổng hợp đến 23:59 ngày 31/12/2027, khi kết thúc chu kỳ)');
    expect(ps).toContain(NAMES['CDCS-NT']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    expect(wb.worksheets[0]!.getRow(3).getCell(2).value).toBe(NAMES['LDLD-HN']);
  });

  it('uses the recorded aggregate unless told to rebuild', async () => {
    const db = await openMigratedDatabase(loadConfig().database);
    try {
      const aggregate = await rebuildAggregate(db, { cycleId: CYCLE, unitId: DISTRICT, asOf: AS_OF });
      await recordAggregate(db, { key: 'sent-v1', aggregate, final: false });
    } finally {
      await db.destroy();
    }
    const docx = join(dataDir, 'lb.docx');
    const recorded = await run('cycle', 'export', CYCLE, '--unit', DISTRICT, '--docx', docx, '--json');
    expect(JSON.parse(recorded.stdout)).toEqual([
      { file: docx, bytes: expect.any(Number), kind: 'docx', unitId: DISTRICT, aggregate: { source: 'recorded', asOf: AS_OF, final: false } },
    ]);
    expect((await docxParagraphs(readFileSync(docx))).map((p) => p.text)).toContain('(Số liệu tổng hợp đến 17:00 ngày 10/12/2027)');
    const rebuilt = await run('cycle', 'export', CYCLE, '--unit', DISTRICT, '--docx', docx, '--rebuild', '--json');
    expect(JSON.parse(rebuilt.stdout)[0].aggregate).toMatchObject({ source: 'rebuilt', final: true });
  });

  it('prints a closed cycle from the archive, as text and as JSON', async () => {
    const text = await run('cycle', 'archive', CYCLE, '--unit', DISTRICT);
    expect(text.error).toBeUndefined();
    expect(text.stdout).toContain(`${CYCLE} (archive / kho lưu trữ): root LDLD-HN, 9 units, tree as of 2027-01-04, closed 31/12/2027 23:59`);
    expect(text.stdout).toMatch(/CDCS-NT\n\s+plan\s+v1 05\/04\/2027 10:00 muộn\/late · Đã chấp nhận\n\s+report\s+v2 05\/12\/2027 10:00 muộn\/late · Chờ xem xét/);
    const json = JSON.parse((await run('cycle', 'archive', CYCLE, '--json')).stdout);
    expect(json.unit.unitId).toBe('LDLD-HN');
    expect(json.children.map((c: { unitId: string }) => c.unitId)).toEqual(['LDLD-GL', DISTRICT]);
  });

  it('says what is wrong: nothing to write, a bad cycle id, an unknown cycle', async () => {
    const none = await run('cycle', 'export', CYCLE);
    expect(none.error).toBeInstanceOf(CliError);
    expect(String((none.error as Error).message)).toContain('--docx');
    const bad = await run('cycle', 'export', 'not-a-cycle', '--xlsx', join(dataDir, 'x.xlsx'));
    expect(bad.stderr).toContain('must be a cycle id');
    const unknown = await run('cycle', 'export', 'cycle-2026-LDLD-HN', '--xlsx', join(dataDir, 'x.xlsx'));
    expect((unknown.error as Error).name).toBe('UnknownCycleError');
    expect(existsSync(join(dataDir, 'x.xlsx'))).toBe(false);
  });
});
