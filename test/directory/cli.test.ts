// The `baocao units` commands, run in-process on a temporary data directory.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerUnitsCommands } from '../../client/cli/commands/units';
import { CliError } from '../../client/cli/output';
import { runCli } from '../support/cli';

const ROOT = join(__dirname, '..', '..');

const run = (...args: string[]) => runCli(registerUnitsCommands, ...args);

describe('baocao units', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'baocao-cli-'));
    vi.stubEnv('BAOCAO_DATA_DIR', dataDir);
    vi.stubEnv('DATABASE_URL', undefined);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('imports the sample and prints the tree with names, kinds and officer emails', async () => {
    const imported = await run('units', 'import', join(ROOT, 'examples/province-units.csv'));
    expect(imported.error).toBeUndefined();
    expect(imported.stdout).toContain('Imported 73 units: 73 created, 0 updated, 0 unchanged.');

    const tree = await run('units', 'tree', '--as-of', '2024-06-01');
    expect(tree.error).toBeUndefined();
    const lines = tree.stdout.trimEnd().split('\n');
    expect(lines[1]).toBe('LDLD-BN  Liên đoàn Lao động tỉnh Bắc Ninh  [root]  yendth.ldldbn@example.vn');
    expect(lines).toContain('├─ CD-KCN  Công đoàn các Khu công nghiệp tỉnh Bắc Ninh  [intermediate]  lanbn.cdkcn@example.vn');
    expect(lines.some((l) => /^│ {2}├─ CDCS-KCN-001 {2}Công đoàn cơ sở Công ty TNHH Điện tử Daesung Vina {2}\[grassroots\] {2}\S+@example\.vn$/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^ {3}└─ CDCS-TS-007 /); // siblings by id: LDLD-TS is the last intermediate
    expect(lines).toHaveLength(1 + 72); // title + units active in 2024 (one was dissolved in 2023)

    const json = JSON.parse((await run('units', 'tree', '--root', 'CD-KCN', '--as-of', '2024-06-01', '--json')).stdout) as {
      roots: { id: string; children: { id: string; kind: string }[] }[];
    };
    expect(json.roots.map((r) => r.id)).toEqual(['CD-KCN']);
    expect(json.roots[0]!.children).toHaveLength(12);
  });

  it('re-parents from a date: the tree changes from that date on', async () => {
    await run('units', 'import', join(ROOT, 'examples/province-units.json'));
    const moved = await run('units', 'reparent', 'CDCS-TS-001', '--parent', 'LDLD-BN', '--from', '01/07/2025', '--json');
    expect(moved.error).toBeUndefined();
    expect(JSON.parse(moved.stdout)).toEqual({ unitId: 'CDCS-TS-001', parentId: 'LDLD-BN', previousParentId: 'LDLD-TS', effectiveFrom: '2025-07-01' });
    const before = await run('units', 'tree', '--root', 'LDLD-TS', '--as-of', '2025-06-30');
    const after = await run('units', 'tree', '--root', 'LDLD-TS', '--as-of', '2025-07-01');
    expect(before.stdout).toContain('CDCS-TS-001');
    expect(after.stdout).not.toContain('CDCS-TS-001');

    const refused = await run('units', 'reparent', 'LDLD-TS', '--parent', 'CDCS-TS-002', '--from', '2025-07-01');
    expect(refused.error).toMatchObject({ code: 'InvalidReparentError' });
    const badDate = await run('units', 'reparent', 'CDCS-TS-002', '--parent', 'LDLD-BN', '--from', '2025-13-01');
    expect(badDate.error).toBeInstanceOf(CommanderError);
  });

  it('prints every bad row of a broken file and fails with nothing written', async () => {
    const bad = await run('units', 'import', join(ROOT, 'test/fixtures/units-bad.csv'));
    expect(bad.error).toBeInstanceOf(CliError);
    expect((bad.error as CliError).exitCode).toBe(1);
    const lines = bad.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(14);
    expect(lines[0]).toBe('line 3, field chair_email: Email "cuong.le@example" không hợp lệ / Invalid email "cuong.le@example"');
    for (const l of lines) expect(l).toMatch(/^line \d+, field \S+: .+ \/ .+$/);

    const tree = await run('units', 'tree');
    expect(tree.error).toBeInstanceOf(CliError); // still no root: nothing was written
  });

  it('imports the plain sheet and says which defaults it applied: the configured date, or --active-from', async () => {
    vi.stubEnv('BAOCAO_UNITS_ACTIVE_FROM', '2027-01-01');
    const plain = await run('units', 'import', join(ROOT, 'examples/plain-units.csv'));
    expect(plain.error).toBeUndefined();
    expect(plain.stdout.trimEnd().split('\n')).toEqual([
      'Đã nhập 72 đơn vị: 72 mới, 0 cập nhật, 0 không đổi.',
      'Imported 72 units: 72 created, 0 updated, 0 unchanged.',
      'Giá trị mặc định đã dùng: active_from (Hiệu lực từ) = 2027-01-01, ngày đã cấu hình (72 đơn vị); language (Ngôn ngữ) = vi, mặc định (72 đơn vị).',
      'Defaults applied: active_from = 2027-01-01, the configured date (--active-from / BAOCAO_UNITS_ACTIVE_FROM) (72 units); language = vi, the default (72 units).',
    ]);
    expect((await run('units', 'tree', '--as-of', '2026-12-31')).error).toBeInstanceOf(CliError); // no unit exists yet then
    expect((await run('units', 'tree', '--as-of', '2027-01-01')).stdout).toContain('LDLD-BN  Liên đoàn Lao động tỉnh Bắc Ninh  [root]');

    const sheet = join(dataDir, 'more.csv');
    writeFileSync(sheet, 'Mã đơn vị,Tên đơn vị,Loại,Cấp trên,Họ tên chủ tịch,Email chủ tịch,Họ tên cán bộ phụ trách,Email cán bộ phụ trách\nCDCS-NEW,Công đoàn cơ sở mới,cơ sở,LDLD-TS,Lê Văn Cường,cuong@example.vn,Phạm Thị Dung,dung@example.vn\n');
    const json = await run('units', 'import', sheet, '--active-from', '15/03/2027', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      created: 1,
      defaults: [{ column: 'active_from', value: '2027-03-15', source: 'configured', units: 1 }, { column: 'language', units: 1 }],
    });
  });

  it('writes the XLSX template, which imports once filled in', async () => {
    const file = join(dataDir, 'mẫu danh bạ.xlsx');
    const written = await run('units', 'template', file);
    expect(written.error).toBeUndefined();
    expect(written.stdout).toContain(`Template written to ${file}: fill it in from row 3`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const sheet = wb.worksheets[0]!;
    expect([sheet.getCell('A1').value, sheet.getCell('A2').value]).toEqual(['Mã đơn vị', 'id']);
    ['LDLD-X', 'Liên đoàn Lao động X', 'Gốc', '', 'Hà Văn Em', 'em@example.vn', 'Vũ Thị Gấm', 'gam@example.vn'].forEach((v, i) => (sheet.getRow(3).getCell(i + 1).value = v || null));
    await wb.xlsx.writeFile(file);
    const imported = await run('units', 'import', file, '--json');
    expect(JSON.parse(imported.stdout)).toMatchObject({ format: 'xlsx', created: 1 });

    const wrongName = await run('units', 'template', join(dataDir, 'template.csv'));
    expect(wrongName.error).toBeInstanceOf(CliError);
  });
});
