// The `baocao units` commands, run in-process on a temporary data directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
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
});
