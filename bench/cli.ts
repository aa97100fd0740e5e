// CLI start-up: `npm run bench:cli [-- --runs 20 --warmup 3]`.
// Times what a secretariat's script pays per call — `bin/baocao --help` and `bin/baocao units tree --json` on
// the sample province (examples/province-units.csv imported into a temporary data dir) — on the compiled build
// (built first if stale), with hyperfine when it is installed (`apt-get install hyperfine`), else repeated runs
// timed here. Prints mean/min/max against the 0.5 s target and the load average. Not a test.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'bin', 'baocao');
const TARGET_S = 0.5;

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, warmup: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
const warmup = Number(values.warmup);
if (!Number.isInteger(runs) || runs < 2) throw new Error('--runs must be a whole number ≥ 2');
if (!Number.isInteger(warmup) || warmup < 0) throw new Error('--warmup must be a whole number ≥ 0');

interface Figure {
  name: string;
  mean: number;
  min: number;
  max: number;
  /** CPU seconds per run (user + system), when hyperfine measured them: the part the machine's load does not add */
  cpu?: number;
}

const CASES: { name: string; args: string[] }[] = [
  { name: 'bin/baocao --help', args: ['--help'] },
  { name: 'bin/baocao units tree --json', args: ['units', 'tree', '--json'] },
];

function hyperfinePath(): string | undefined {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .map((d) => join(d, 'hyperfine'))
    .find((p) => spawnSync(p, ['--version']).status === 0);
}

function withHyperfine(hyperfine: string, env: NodeJS.ProcessEnv, dir: string): Figure[] {
  const out = join(dir, 'hyperfine.json');
  const commands = CASES.map((c) => [BIN, ...c.args].join(' '));
  // --shell=none: no shell start-up mixed into the figures
  execFileSync(hyperfine, ['--shell=none', '--warmup', String(warmup), '--runs', String(runs), '--export-json', out, ...commands], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const results = (JSON.parse(readFileSync(out, 'utf8')) as { results: { mean: number; min: number; max: number; user: number; system: number }[] }).results;
  return results.map((r, i) => ({ name: CASES[i]!.name, mean: r.mean, min: r.min, max: r.max, cpu: r.user + r.system }));
}

function withNode(env: NodeJS.ProcessEnv): Figure[] {
  return CASES.map((c) => {
    const times: number[] = [];
    for (let i = 0; i < warmup + runs; i++) {
      const started = process.hrtime.bigint();
      const r = spawnSync(BIN, c.args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (r.status !== 0) throw new Error(`${c.name} failed (${r.status}): ${r.stderr.toString()}`);
      if (i >= warmup) times.push(seconds);
      process.stderr.write(`\r${c.name}: run ${i + 1}/${warmup + runs}`);
    }
    process.stderr.write('\n');
    return { name: c.name, mean: times.reduce((a, b) => a + b, 0) / times.length, min: Math.min(...times), max: Math.max(...times) };
  });
}

function main() {
  const dir = mkdtempSync(join(tmpdir(), 'baocao-bench-cli-'));
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  process.once('SIGINT', () => (cleanUp(), process.exit(130)));
  try {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--if-stale', '--no-bundle'], { stdio: 'inherit' });
    const env: NodeJS.ProcessEnv = { ...process.env, BAOCAO_DATA_DIR: join(dir, 'data') };
    delete env.DATABASE_URL; // the sample goes into the temporary SQLite file, never into a configured database
    execFileSync(BIN, ['units', 'import', join(ROOT, 'examples', 'province-units.csv')], { env, stdio: ['ignore', 'ignore', 'inherit'] });

    const loadBefore = loadavg();
    const hyperfine = hyperfinePath();
    process.stderr.write(`timing ${runs} runs each (${warmup} warm-up) with ${hyperfine ? 'hyperfine' : 'node (hyperfine is not installed)'}…\n`);
    const figures = hyperfine ? withHyperfine(hyperfine, env, dir) : withNode(env);
    const loadAfter = loadavg();

    const s = (x: number) => `${x.toFixed(3)} s`;
    const rows = figures.map((f) => [f.name, s(f.mean), s(f.min), s(f.max), f.cpu === undefined ? '—' : s(f.cpu), f.mean <= TARGET_S ? 'yes' : 'NO']);
    const header = ['command', 'mean', 'min', 'max', 'CPU (user+sys)', `mean ≤ ${TARGET_S} s`];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
    const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
    process.stdout.write(
      [
        '',
        line(header),
        line(widths.map((w) => '-'.repeat(w))),
        ...rows.map(line),
        '',
        `${runs} runs each, ${warmup} warm-up, ${hyperfine ? 'hyperfine --shell=none' : 'timed in node'}; ${cpus().length} cores`,
        `load average (1, 5, 15 min): ${load(loadBefore)} before, ${load(loadAfter)} after`,
        '',
      ].join('\n'),
    );
  } finally {
    cleanUp();
  }
}

main();
