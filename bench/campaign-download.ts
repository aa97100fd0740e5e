// The campaign workbook download from the archive at national size:
//   npx tsx bench/campaign-download.ts [--units 130000] [--mode stream|buffer] [--rate 4]
// Builds a SQLite archive of a campaign cycle over the national tree of N units (test/support/generated-units.ts)
// with every unit's Q1 and Q2 submitted (one in seven missing), then writes the cycle's workbook as the web
// download does: `stream`, writeArchivedCampaignWorkbook into a reader that takes --rate MiB/s (a slow line: the
// writer must wait for it, client/web/ops/campaign-cycle.ts); `buffer`, the whole file collected in memory first
// (the download before it streamed). Samples RSS and heap every 100 ms while the workbook is written and prints
// them with the load average. Not a test.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { importCampaign } from '../activities/campaigns/repository';
import { openMigratedDatabase, type Db } from '../activities/db/database';
import { snapshotCycleTree, upsertUnits } from '../activities/directory/repository';
import type { UnitInput } from '../activities/directory/types';
import { writeArchivedCampaignWorkbook } from '../activities/documents/campaign-workbook-rows';
import { loadConfig } from '../common/config';
import { contentHash } from '../workflows/content-hash';
import { nationalTree } from '../test/support/generated-units';

const { values } = parseArgs({ options: { units: { type: 'string', default: '130000' }, mode: { type: 'string', default: 'stream' }, rate: { type: 'string', default: '4' } } });
const units = Number(values.units);
const mode = values.mode;
const rate = Number(values.rate) * 1024 * 1024;
if (!Number.isInteger(units) || units < 200) throw new Error('--units must be a whole number ≥ 200');
if (mode !== 'stream' && mode !== 'buffer') throw new Error('--mode must be stream or buffer');
if (!(rate > 0)) throw new Error('--rate must be MiB/s > 0');

const EXAMPLE = JSON.parse(readFileSync(join(__dirname, '..', 'examples', 'campaign-quarterly.json'), 'utf8')) as { id: string; definition: Record<string, unknown> };
const ROOT = 'TLD-BENCH';
const CYCLE = `cycle-2027-${ROOT}~${EXAMPLE.id}`;
const CHUNK = 500;

async function buildArchive(db: Db): Promise<void> {
  const all: UnitInput[] = [...nationalTree(units, ROOT)];
  for (let i = 0; i < all.length; i += 2000) await upsertUnits(db, all.slice(i, i + 2000));
  await importCampaign(db, { id: EXAMPLE.id, definition: EXAMPLE.definition }, { by: 'bench' });
  await snapshotCycleTree(db, { cycleId: CYCLE, rootId: ROOT, asOf: '2026-12-01' });
  for (const [q, phase] of ['q1', 'q2'].entries())
    for (let i = 0; i < all.length; i += CHUNK) {
      const rows = all
        .slice(i, i + CHUNK)
        .filter((_, j) => (i + j) % 7 !== 0)
        .map((u, j) => {
          const n = (i + j) % 13;
          const content = { results: `Quý ${q + 1}: kết quả của ${u.name}.`, figures: { trainingSessions: n, trainedWorkers: n * 40, safetyNetworkRate: ((i + j) % 1000) / 10, accidents: (i + j) % 17 === 0 ? 1 : 0 } };
          return {
            cycle_id: CYCLE,
            unit_id: u.id,
            phase,
            version: 1,
            idempotency_key: `${u.id}-${phase}`,
            content_json: JSON.stringify(content),
            content_hash: contentHash(content),
            channel: 'bench',
            submitted_by: 'Nguyễn Văn An',
            submitted_at: `2027-0${4 + 3 * q}-10T03:00:00.000Z`,
            late: 0,
          };
        });
      if (rows.length) await db.insertInto('submissions').values(rows).execute();
    }
}

/** A reader taking `rate` bytes a second (what a download over a slow line looks like to the writer). */
function slowReader(): Writable & { bytes: number } {
  const w = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _enc, done) {
      w.bytes += chunk.length;
      setTimeout(done, (1000 * chunk.length) / rate);
    },
  }) as Writable & { bytes: number };
  w.bytes = 0;
  return w;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'baocao-bench-download-'));
  const db = await openMigratedDatabase(loadConfig({ BAOCAO_DATA_DIR: dir }).database);
  try {
    const t0 = process.hrtime.bigint();
    await buildArchive(db);
    process.stderr.write(`archive of ${units} units built in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(0)} s\n`);
    global.gc?.();
    let peakRss = 0;
    let peakHeap = 0;
    const sample = () => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    };
    const base = process.memoryUsage();
    const timer = setInterval(sample, 100);
    const started = process.hrtime.bigint();
    const out = new PassThrough();
    const reader = slowReader();
    let size = 0;
    if (mode === 'stream') {
      const finished = new Promise<void>((resolve, reject) => reader.on('finish', resolve).on('error', reject));
      out.pipe(reader);
      await writeArchivedCampaignWorkbook(db, out, { cycleId: CYCLE, campaign: { id: EXAMPLE.id, version: 1 } });
      await finished;
      size = reader.bytes;
    } else {
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      const ended = new Promise<void>((resolve) => out.on('end', resolve));
      await writeArchivedCampaignWorkbook(db, out, { cycleId: CYCLE, campaign: { id: EXAMPLE.id, version: 1 } });
      await ended;
      const whole = Buffer.concat(chunks);
      sample();
      size = whole.length;
      await new Promise<void>((resolve, reject) => reader.end(whole, () => resolve()).on('error', reject));
    }
    sample();
    clearInterval(timer);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const mib = (b: number) => (b / 1024 / 1024).toFixed(0);
    console.log('| units | mode | reader MiB/s | wall s | file MiB | RSS before MiB | peak RSS MiB | peak heap MiB | load (1/5/15) |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    console.log(
      `| ${units} | ${mode} | ${values.rate} | ${seconds.toFixed(1)} | ${(size / 1024 / 1024).toFixed(1)} | ${mib(base.rss)} | ${mib(peakRss)} | ${mib(peakHeap)} | ${loadavg().map((l) => l.toFixed(1)).join(' / ')} |`,
    );
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
