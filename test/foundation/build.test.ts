// The compiled build as bin/baocao runs it: plain node on dist/cli.js, rebuilt when the sources are newer than
// the last build, and loading only what a command uses (a require() tracer records every package loaded).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCommandGroups, type CommandManifest } from '../../client/cli/command-groups';
import { DIST, ROOT, ensureBuild } from '../support/build';

const run = promisify(execFile);
const BIN = join(ROOT, 'bin', 'baocao');
/** What --help must never pay for, and what `units tree` must not either. */
const HEAVY = ['@temporalio/client', '@temporalio/worker', '@temporalio/common', 'exceljs', 'docx'];

let dir: string;
let tracer: string;

beforeAll(async () => {
  await ensureBuild({ bundle: false });
  dir = mkdtempSync(join(tmpdir(), 'baocao-build-'));
  tracer = join(dir, 'trace-requires.cjs');
  // records the package (not the file) of every require() the CLI makes
  writeFileSync(
    tracer,
    `const Module = require('node:module'); const seen = new Set(); const load = Module._load;
     Module._load = function (request, ...rest) { if (!request.startsWith('.') && !request.startsWith('/') && !request.startsWith('node:')) seen.add(request); return load.call(this, request, ...rest); };
     process.on('exit', () => require('node:fs').writeFileSync(process.env.TRACE_OUT, JSON.stringify([...seen])));`,
  );
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function baocao(args: string[], name: string): Promise<{ stdout: string; stderr: string; packages: string[] }> {
  const out = join(dir, `${name}.json`);
  const { stdout, stderr } = await run(process.execPath, ['--require', tracer, BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, TRACE_OUT: out, BAOCAO_DATA_DIR: join(dir, 'data') },
    maxBuffer: 16 * 1024 * 1024,
  });
  return { stdout, stderr, packages: JSON.parse(readFileSync(out, 'utf8')) as string[] };
}

const heavyIn = (packages: string[]) => packages.filter((p) => HEAVY.some((h) => p === h || p.startsWith(`${h}/`)));

describe('bin/baocao on the compiled build', () => {
  it('lists every command for --help without loading the database, Temporal, exceljs or docx', async () => {
    const { stdout, packages } = await baocao(['--help'], 'help');
    const manifest = JSON.parse(readFileSync(join(DIST, 'client', 'cli', 'commands.json'), 'utf8')) as CommandManifest;
    for (const c of manifest.commands) expect(stdout).toContain(c.name);
    expect(heavyIn(packages)).toEqual([]);
    expect(packages).not.toContain('better-sqlite3');
  });

  it('runs `units import` then `units tree --json` on the sample province, the tree loading neither Temporal nor exceljs', async () => {
    const imported = await baocao(['units', 'import', join(ROOT, 'examples', 'province-units.csv'), '--json'], 'import');
    expect(JSON.parse(imported.stdout)).toMatchObject({ total: 73 });
    expect(imported.packages).toContain('exceljs'); // the file readers load where they are used

    const tree = await baocao(['units', 'tree', '--json'], 'tree');
    const json = JSON.parse(tree.stdout) as { roots: { id: string; name: string; children: unknown[] }[] };
    expect(json.roots.map((r) => [r.id, r.name])).toEqual([['LDLD-BN', 'Liên đoàn Lao động tỉnh Bắc Ninh']]);
    expect(tree.packages).toContain('better-sqlite3');
    expect(heavyIn(tree.packages)).toEqual([]);
  });

  it('imports the quarterly campaign and lists it, loading neither Temporal, exceljs nor docx', async () => {
    const imported = await baocao(['campaign', 'import', join(ROOT, 'examples', 'campaign-quarterly.json'), '--json'], 'campaign-import');
    expect(JSON.parse(imported.stdout)).toEqual({ campaignId: 'bao-cao-quy-an-toan', version: 1, outcome: 'created' });
    const list = await baocao(['campaign', 'list'], 'campaign-list');
    expect(list.stdout).toContain('bao-cao-quy-an-toan  v1  Báo cáo quý về an toàn, vệ sinh lao động');
    expect(heavyIn([...imported.packages, ...list.packages])).toEqual([]);
  });

  it('rebuilds first when a source is newer than the last build', async () => {
    const stamp = join(DIST, '.build-stamp');
    const past = new Date(Date.now() - 365 * 24 * 3600 * 1000);
    utimesSync(stamp, past, past); // as if every source had been saved after the build
    const { stderr, stdout } = await baocao(['--help'], 'rebuild');
    expect(stderr).toContain('[build] sources changed since the last build');
    expect(stdout).toContain('Usage: baocao');
    expect(statSync(stamp).mtimeMs).toBeGreaterThan(past.getTime());
  });

  it('writes the manifest from the command groups themselves', async () => {
    const manifest = JSON.parse(readFileSync(join(DIST, 'client', 'cli', 'commands.json'), 'utf8')) as CommandManifest;
    expect(manifest).toEqual(await describeCommandGroups());
    expect(manifest.commands.map((c) => c.name)).toEqual(expect.arrayContaining(['units', 'calendar', 'cycle', 'submit', 'programme', 'campaign']));
  });
});
