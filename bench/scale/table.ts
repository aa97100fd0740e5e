// One printed row per tree size and worker count, and each rate's ratio to the same rate at 2,000 units.

export interface HistoryFigure {
  type: string;
  runs: number;
  events: number;
  /** the workflow id of the run with the most events */
  largestByEvents: string;
  bytes: number;
  largestByBytes: string;
  payload: number;
}

export interface Row {
  server: 'cluster' | 'dev';
  units: number;
  workers: number;
  description: string;
  importSeconds: number;
  startSeconds: number;
  mailSeconds: number;
  submitSeconds: number;
  /** plans submitted at `concurrency` in flight (the rest went at the steady rate) */
  submitted: number;
  /** plans submitted in all (`--submissions`, else every unit) */
  planned: number;
  /** submissions sent again after an update timeout (BAOCAO_UPDATE_TIMEOUT) */
  resent: number;
  /** startCycle → every submitted plan counted in the root's rollup */
  countedSeconds: number;
  updateP50: number;
  updateP99: number;
  steadyUpdates: number;
  overdueP99: number;
  pageP99: number;
  peakRssBytes: number;
  /** workflow tasks the worker completed after the server had timed them out (done again: wasted work) */
  timedOutTasks: number;
  /** workflow tasks longer than 5 s */
  slowTasks: number;
  /** CPU ms per unit from startCycle to the last task email, per component (worker, temporal, temporalDb, appDb, bench) */
  startCpuMsPerUnit: Record<string, number>;
  /** CPU ms per plan from the first submission to the last counted at the root, per component */
  planCpuMsPerPlan: Record<string, number>;
  temporalBytesPerUnit: number;
  appBytesPerUnit: number;
  histories: HistoryFigure[];
  /** 1-minute load average: lowest and highest seen during the row */
  load: [number, number];
}

export const BASELINE_UNITS = 2000;

const rates = {
  'units started': (r: Row) => r.units / r.startSeconds,
  'task emails': (r: Row) => r.units / r.mailSeconds,
  submissions: (r: Row) => r.submitted / r.submitSeconds,
} as const;

const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;

export const TABLE_HEADER = [
  'server  | units   | workers | started /s | emails /s | submissions /s | update p50 / p99 ms | overdue p99 ms | page p99 ms | worker peak RSS | Temporal / app bytes per unit | largest history (events, bytes) per type | load',
].join('\n');

export function formatRow(r: Row): string {
  const h = r.histories.map((x) => `${x.type} ${x.events} ev ${kib(x.bytes)}`).join('; ');
  return [
    r.server.padEnd(7),
    String(r.units).padStart(7),
    String(r.workers).padStart(7),
    rates['units started'](r).toFixed(1).padStart(10),
    rates['task emails'](r).toFixed(1).padStart(9),
    rates.submissions(r).toFixed(1).padStart(14),
    `${r.updateP50.toFixed(0)} / ${r.updateP99.toFixed(0)}`.padStart(19),
    r.overdueP99.toFixed(0).padStart(14),
    r.pageP99.toFixed(0).padStart(11),
    `${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB`.padStart(15),
    `${(r.temporalBytesPerUnit / 1024).toFixed(1)} / ${(r.appBytesPerUnit / 1024).toFixed(1)} KiB`.padStart(29),
    h,
    `${r.load[0].toFixed(1)}–${r.load[1].toFixed(1)}`,
  ].join(' | ');
}

const sumOf = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
const parts = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');

/** CPU per unit started and per plan, by component: the figures the neighbours on a shared machine do not move. */
export function cpuLine(r: Row): string {
  if (!(r.startCpuMsPerUnit as Row['startCpuMsPerUnit'] | undefined)) return `  ${r.server} ${r.units} units, ${r.workers} worker(s): no CPU figures`;
  return `  ${r.server} ${r.units} units, ${r.workers} worker(s): CPU ms per unit started ${sumOf(r.startCpuMsPerUnit).toFixed(0)} (${parts(r.startCpuMsPerUnit)}); per plan ${sumOf(r.planCpuMsPerPlan).toFixed(0)} (${parts(r.planCpuMsPerPlan)})`;
}

/** Each rate at N over the same rate at 2,000 units, same server and worker count (when the run has that row). */
export function ratioLines(rows: Row[], earlier: Row[] = []): string[] {
  const out: string[] = [];
  const candidates = [...rows, ...earlier];
  for (const r of rows) {
    const base = candidates.find((b) => b.units === BASELINE_UNITS && b.server === r.server && b.workers === r.workers);
    if (!base || base === r) continue;
    const ratios = Object.entries(rates).map(([name, rate]) => `${name} ${(rate(r) / rate(base)).toFixed(2)}`);
    if (base.startCpuMsPerUnit as Row['startCpuMsPerUnit'] | undefined) {
      ratios.push(`CPU per unit started ${(sumOf(r.startCpuMsPerUnit) / sumOf(base.startCpuMsPerUnit)).toFixed(2)}`, `CPU per plan ${(sumOf(r.planCpuMsPerPlan) / sumOf(base.planCpuMsPerPlan)).toFixed(2)}`);
    }
    out.push(`ratio to ${BASELINE_UNITS} units (${r.server}, ${r.workers} worker(s)) at ${r.units}: ${ratios.join(', ')}`);
  }
  for (const r of rows) {
    const one = candidates.find((b) => b.units === r.units && b.server === r.server && b.workers === 1);
    if (!one || one === r) continue;
    const ratios = Object.entries(rates).map(([name, rate]) => `${name} ${(rate(r) / rate(one)).toFixed(2)}`);
    out.push(`${r.workers} workers over 1 at ${r.units} units (${r.server}): ${ratios.join(', ')}`);
  }
  return out;
}
