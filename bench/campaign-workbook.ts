// The campaign workbook at national size: `npx tsx bench/campaign-workbook.ts [--units 130000] [--phases 2]`.
// Streams N synthetic units per phase (the quarterly example's four figures, targets on two, names with
// diacritics) through writeCampaignWorkbook into a temporary file, sampling the process's RSS and heap while
// it writes, and prints wall time, rows/s, peak RSS and heap, and the file's size with the load average. The
// rows come from a generator as the archive reader yields them, so this measures the writer alone. Not a test.
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeCampaignWorkbook } from '../activities/documents/campaign-workbook';
import type { CampaignWorkbookRow, WorkbookPhase } from '../domain/campaign-workbook';
import { quarterlyWithPlan } from '../test/documents/campaign-fixture';
import { workbookPhases } from '../domain/campaign-workbook';

const { values } = parseArgs({ options: { units: { type: 'string', default: '130000' }, phases: { type: 'string', default: '2' } } });
const units = Number(values.units);
const phaseCount = Number(values.phases);
if (!Number.isInteger(units) || units < 1) throw new Error('--units must be a whole number ≥ 1');
if (!Number.isInteger(phaseCount) || phaseCount < 1 || phaseCount > 4) throw new Error('--phases must be 1–4 (quarters of the example)');

const definition = quarterlyWithPlan();
// the quarters (the first has the plan's targets for two figures)
const phases: WorkbookPhase[] = workbookPhases(definition).filter((p) => p.key !== 'plan').slice(0, phaseCount);

async function* rows(phase: WorkbookPhase): AsyncGenerator<CampaignWorkbookRow> {
  for (let i = 0; i < units; i++) {
    const reported = i % 7 !== 0;
    yield {
      unitId: i === 0 ? 'LDLD-VN' : `CDCS-${String(i).padStart(6, '0')}`,
      name: i === 0 ? 'Tổng Liên đoàn Lao động Việt Nam' : `Công đoàn cơ sở Công ty TNHH Điện tử Đức Giang số ${i}`,
      kind: i === 0 ? 'root' : 'grassroots',
      parentId: i === 0 ? null : 'LDLD-VN',
      depth: i === 0 ? 0 : 1 + (i % 4),
      standing: reported ? (i % 11 === 0 ? 'late' : 'on-time') : 'overdue',
      review: reported ? 'accepted' : null,
      submittedAt: reported ? '2027-07-10T03:00:00.000Z' : null,
      version: reported ? 1 : null,
      values: reported ? { trainingSessions: i % 13, trainedWorkers: (i % 13) * 40, safetyNetworkRate: (i % 1000) / 10, accidents: i % 17 === 0 ? 1 : 0 } : null,
      targets: phase.targets ? { trainingSessions: 10, safetyNetworkRate: 80 } : null,
      files: i % 3,
    };
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'baocao-bench-xlsx-'));
  const file = join(dir, 'campaign.xlsx');
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 100);
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  try {
    const out = createWriteStream(file);
    const closed = new Promise<void>((resolve, reject) => out.on('close', () => resolve()).on('error', reject));
    await writeCampaignWorkbook(out, {
      cycleId: 'cycle-2027-LDLD-VN~bao-cao-quy-an-toan',
      campaign: { id: 'bao-cao-quy-an-toan', version: 1, name: definition.name },
      phases,
      rows,
      onProgress: (p) => p.rows % 50_000 === 0 && process.stderr.write(`${p.phase}: ${p.rows} rows\n`),
    });
    await closed;
    sample();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const mib = (b: number) => (b / 1024 / 1024).toFixed(0);
    console.log('| units | sheets | rows | wall s | CPU s | rows/s | peak RSS MiB | peak heap MiB | file MiB | load (1/5/15) |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    console.log(
      `| ${units} | ${phases.length} | ${units * phases.length} | ${seconds.toFixed(1)} | ${((cpu.user + cpu.system) / 1e6).toFixed(1)} | ${Math.round((units * phases.length) / seconds)} | ${mib(peakRss)} | ${mib(peakHeap)} | ${(statSync(file).size / 1024 / 1024).toFixed(1)} | ${loadavg().map((l) => l.toFixed(1)).join(' / ')} |`,
    );
  } finally {
    clearInterval(timer);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
