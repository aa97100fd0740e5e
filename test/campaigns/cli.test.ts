// `baocao campaign …` in-process on a temporary data directory: the quarterly example imported, shown, exported
// and imported again; refusals as readable lines in both languages, nothing written.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerCampaignCommands } from '../../client/cli/commands/campaign';
import { errorText } from '../../client/cli/output';
import { runCli } from '../support/cli';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json');
const run = (...args: string[]) => runCli(registerCampaignCommands, ...args);

describe('baocao campaign', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'baocao-campaign-cli-'));
    vi.stubEnv('BAOCAO_DATA_DIR', dataDir);
    vi.stubEnv('DATABASE_URL', undefined);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('imports the quarterly example, lists and shows it, exports it, and a second import changes nothing', async () => {
    const imported = await run('campaign', 'import', EXAMPLE, '--by', 'ban-tuyen-giao');
    expect(imported.error).toBeUndefined();
    expect(imported.stdout).toBe('Đã tạo đợt báo cáo bao-cao-quy-an-toan phiên bản 1 / Created campaign bao-cao-quy-an-toan version 1.\n');

    const list = await run('campaign', 'list');
    expect(list.stdout.trimEnd().split('\n')).toEqual([
      'bao-cao-quy-an-toan  v1  Báo cáo quý về an toàn, vệ sinh lao động — Quarterly report on occupational safety and health',
      'builtin-yearly  v1 (frozen / đã khoá) [built-in / có sẵn]  Kế hoạch và báo cáo kết quả năm (mẫu có sẵn) — Yearly plan and results report (built-in)',
    ]);

    const shown = await run('campaign', 'show', 'bao-cao-quy-an-toan');
    expect(shown.stdout).toContain('  Số: 27/KH-LĐLĐ  Bắc Ninh, 2027-01-08  Kế hoạch theo dõi, báo cáo hằng quý');
    expect(shown.stdout).toContain('TM. BAN THƯỜNG VỤ — PHÓ CHỦ TỊCH: Nguyễn Thị Hồng Nhung');
    expect(shown.stdout).toContain('    q2  Báo cáo quý II — Q2 report  [form quarter]  due / hạn: 15 ngày sau khi hết quý II — 15 days after the end of Q2');
    expect(shown.stdout).toContain('      figure safetyNetworkRate: Tỷ lệ tổ có an toàn vệ sinh viên (%; decimal 0…100, 1 decimals; max)');

    const out = join(dataDir, 'exported.json');
    expect((await run('campaign', 'export', 'bao-cao-quy-an-toan', '--out', out)).stdout).toBe(`Đã ghi ${out} / Wrote ${out} (bao-cao-quy-an-toan v1).\n`);
    const exported = JSON.parse(readFileSync(out, 'utf8')) as { definition: { name: { vi: string } } };
    expect(exported.definition.name.vi).toBe('Báo cáo quý về an toàn, vệ sinh lao động');
    expect((await run('campaign', 'import', out)).stdout).toContain('Unchanged: bao-cao-quy-an-toan version 1 is this definition already.');

    // a copy of the built-in campaign is an ordinary, editable campaign
    const copy = await run('campaign', 'create', 'nam-2027', '--copy-of', 'builtin-yearly', '--json');
    expect(JSON.parse(copy.stdout)).toMatchObject({ campaignId: 'nam-2027', version: 1, frozen: false, createdBy: expect.stringMatching(/^cli/) });
  });

  it('refuses a bad file with one line per field in both languages, and writes nothing', async () => {
    const bad = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { definition: { phases: unknown[]; forms: { figures: { key: string }[] }[] } };
    bad.definition.forms[0]!.figures[1]!.key = 'trainingSessions';
    bad.definition.phases = [];
    const file = join(dataDir, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    const refused = await run('campaign', 'import', file);
    expect(errorText(refused.error).trimEnd().split('\n')).toEqual([
      'baocao: Invalid campaign definition / Định nghĩa đợt báo cáo không hợp lệ:',
      '  phases: a campaign needs at least one phase / đợt báo cáo cần ít nhất một giai đoạn',
      '  forms.0.figures.1.key: duplicate figure key "trainingSessions" (also figures.0) / mã chỉ tiêu "trainingSessions" bị trùng (đã có ở figures.0)',
      // the rule named the renamed figure
      '  forms.0.rules.0.left: no figure "trainedWorkers" in this form / mẫu này không có chỉ tiêu "trainedWorkers"',
    ]);
    writeFileSync(file, '{ "id": ');
    expect(errorText((await run('campaign', 'import', file)).error)).toMatch(/^baocao: .*bad\.json is not valid JSON \(.*\) \/ .*bad\.json không phải JSON hợp lệ\n$/);
    expect(errorText((await run('campaign', 'show', 'khong-co')).error)).toBe('baocao: No campaign khong-co: see `baocao campaign list` / Không có đợt báo cáo khong-co: xem `baocao campaign list`\n');
    expect((await run('campaign', 'list')).stdout.trimEnd().split('\n')).toHaveLength(1); // the built-in one only
  });

  it('refuses a campaign its cycles could not carry (60 phases × 50 figures) with a line per field, and writes nothing', async () => {
    const file = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { definition: Record<string, unknown> };
    const figures = Array.from({ length: 50 }, (_, i) => ({ key: `f${i}`.padEnd(48, 'x'), label: { vi: 'Chỉ tiêu', en: 'Figure' }, unit: { vi: 'đơn vị', en: 'units' }, type: 'decimal', decimals: 6, min: -9007199254740991, max: 9007199254740991, aggregation: 'sum' }));
    file.definition.checkedLevels = 5;
    file.definition.forms = [
      { key: 'plan', title: { vi: 'Kế hoạch', en: 'Plan' }, figures, targets: { form: 'report', figures: figures.map((f) => f.key) } },
      { key: 'report', title: { vi: 'Báo cáo', en: 'Report' }, figures },
    ];
    file.definition.phases = Array.from({ length: 60 }, (_, i) => ({ key: `p${i}`, name: { vi: `Giai đoạn ${i}`, en: `Phase ${i}` }, form: i < 59 ? 'plan' : 'report', due: { kind: 'date', date: new Date(Date.UTC(2027, 0, 60 + i * 5)).toISOString().slice(5, 10) } }));
    const path = join(dataDir, 'heavy.json');
    writeFileSync(path, JSON.stringify(file));
    const refused = await run('campaign', 'import', path);
    const lines = errorText(refused.error).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('baocao: Invalid campaign definition / Định nghĩa đợt báo cáo không hợp lệ:');
    expect(lines[1]).toMatch(/^ {2}phases: 60 phases × 5 levels, .* the deadline plan every unit's task carries would weigh [\d,]+ bytes, over the 98,304 allowed; use fewer phases, .* \/ 60 giai đoạn × 5 cấp, .* vượt mức cho phép 98\.304 byte; hãy dùng ít giai đoạn hơn/);
    expect(lines[2]).toMatch(/^ {2}forms: 60 phases × 50 figures \(and 50 targets\): a unit's entry in its parent's state \(and its report upward\) would weigh [\d,]+ bytes .* at least 7 of them .*; use fewer phases, figures or targets, or shorter figure keys \/ 60 giai đoạn × 50 chỉ tiêu/);
    expect((await run('campaign', 'list')).stdout.trimEnd().split('\n')).toHaveLength(1); // the built-in one only
  });
});
