// The import of a national directory: `npm run bench:import -- --units 130000 [--database-url postgres://…]`.
// Generates a plain CSV sheet of N units with the national shape (nationalTree, test/support/generated-units.ts), then runs
// `baocao units import` on it twice in a fresh process each time — into an empty directory, then the same file
// again (every unit unchanged) — on a fresh SQLite file (default) or a fresh schema of the PostgreSQL database
// given (dropped afterwards). Prints wall time, rows per second and the process's peak RSS of each run, and the
// load average. The import's own progress lines show on stderr while it runs. Not a test.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../activities/db/database';
import { nationalShape, nationalTree } from '../test/support/generated-units';
import { PLAIN_COLUMNS, plainCsvLine } from '../test/support/national-tree';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'client', 'cli', 'main.ts');

const { values } = parseArgs({ options: { units: { type: 'string', default: '130000' }, 'database-url': { type: 'string' } } });
const units = Number(values.units);
if (!Number.isInteger(units) || units < 100) throw new Error('--units must be a whole number ≥ 100');
const databaseUrl = values['database-url'];

const say = (msg: string) => process.stderr.write(`[bench:import] ${msg}\n`);

async function writeSheet(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write(`${PLAIN_COLUMNS.join(',')}\n`);
  for (const u of nationalTree(units, 'TLD')) {
    if (!out.write(`${plainCsvLine(u)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

interface Run {
  seconds: number;
  peakRssMiB: number;
  summary: string;
}

/** One `baocao units import` in its own process: wall time, and peak RSS as GNU time reports it (KiB). */
async function importOnce(file: string, env: Record<string, string>): Promise<Run> {
  const started = process.hrtime.bigint();
  const child = spawn('/usr/bin/time', ['-f', 'PEAK_RSS_KIB=%M', process.execPath, '--import', 'tsx', CLI, 'units', 'import', file, '--json'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    const text = d.toString();
    stderr += text;
    // the import's own progress lines, as a user sees them
    if (!text.includes('PEAK_RSS_KIB')) process.stderr.write(text);
  });
  const [code] = (await once(child, 'close')) as [number | null];
  const peakKiB = Number(/PEAK_RSS_KIB=(\d+)/.exec(stderr)?.[1] ?? NaN);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`baocao units import exited with ${code}: ${stdout}`);
  const result = JSON.parse(stdout) as { created: number; updated: number; unchanged: number };
  return { seconds, peakRssMiB: peakKiB / 1024, summary: `created ${result.created}, updated ${result.updated}, unchanged ${result.unchanged}` };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'baocao-bench-import-'));
  const schema = `bench_import_${process.pid}`;
  const admin = databaseUrl ? openDatabase({ kind: 'postgres', url: databaseUrl }) : undefined;
  const cleanup = async () => {
    if (admin) await admin.schema.dropSchema(schema).ifExists().cascade().execute();
    await admin?.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  try {
    const file = join(dir, 'units.csv');
    const shape = nationalShape(units);
    say(`writing ${units} units (1 root, ${shape.provinces + shape.sectors} below it, ${shape.upperLevel} upper-level, ${shape.grassroots} grassroots) to ${file}`);
    await writeSheet(file);
    let env: Record<string, string> = { BAOCAO_DATA_DIR: dir };
    if (databaseUrl && admin) {
      await admin.schema.createSchema(schema).execute();
      const url = new URL(databaseUrl);
      url.searchParams.set('options', `-c search_path=${schema}`);
      env = { ...env, DATABASE_URL: url.toString() };
    }
    const runs: [string, Run][] = [];
    for (const name of ['first import', 'same file again']) {
      say(`${name}…`);
      runs.push([name, await importOnce(file, env)]);
    }
    const [l1, l5, l15] = loadavg();
    console.log(`\nimport of ${units} units (${(statSync(file).size / 2 ** 20).toFixed(1)} MiB of CSV) into ${databaseUrl ? 'PostgreSQL' : 'SQLite'}`);
    console.log('run              | wall s | rows/s | peak RSS MiB | result');
    for (const [name, r] of runs) {
      console.log(`${name.padEnd(16)} | ${r.seconds.toFixed(1).padStart(6)} | ${Math.round(units / r.seconds).toString().padStart(6)} | ${r.peakRssMiB.toFixed(0).padStart(12)} | ${r.summary}`);
    }
    console.log(`load average ${l1!.toFixed(2)} ${l5!.toFixed(2)} ${l15!.toFixed(2)} on ${cpus().length} cores`);
  } finally {
    await cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
