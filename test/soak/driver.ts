// A full rehearsal year of one cycle over a generated 3-level tree, driven on the time-skipping server: every
// unit plans and reports, 20% have their report returned once (then resubmit), 10% are late in a phase (after
// every escalation round of that phase has fired), 5% get an extension, and everyone else submits on the
// evening of the due date — after every reminder of the phase has fired. Deterministic: the behaviour of each unit
// comes from a seeded generator and time moves only with env.sleep. Shared by test/soak/year.test.ts and
// bench/soak.ts; depends only on public things (client/cycles.ts, ids, messages, the Temporal client).
import type { Client } from '@temporalio/client';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities';
import type { DeadlinePlan, PhaseDeadlines } from '../../activities/calendar/types';
import type { UnitInput } from '../../activities/directory/types';
import { generatedUnit } from '../support/generated-units';
import { cyclePlan, cycleStatus, extend, review, submit, unitStatus, UpdateTimeoutError } from '../../client/cycles';
import { cycleWorkflow, type CycleResult, type CycleWorkflowInput } from '../../workflows/cycle';
import { cycleId as makeCycleId } from '../../workflows/ids';
import type { Phase } from '../../workflows/report';
import { cycleInput, planFor, reportFor } from '../support/cycle-fixtures';
import { seededRandom } from '../support/seeded-random';
import { WORKFLOW_TASK_TIMEOUT } from '../../workflows/task-timeout';

export const SOAK_ROOT = 'LDLD-SOAK';
export const SOAK_SEED = 20_270_101;
/** shares of units (per phase for late and extended, once per unit for the returned report) */
export const SOAK_SHARES = { late: 0.1, extended: 0.05, returned: 0.2 } as const;

const HOUR = 3600 * 1000;
/** how often the driver sends an update that got no answer in time before it gives up */
const UPDATE_ATTEMPTS = 5;
const DAY = 24 * HOUR;

/**
 * Workflow tasks a soak worker runs at once (the SDK's default is 40): on a starved 2-core machine 40 tasks at
 * once overran their 10 s timeout, and the Java time-skipping server then stalled for good (a workflow's lock
 * left held after a failed call).
 */
export const SOAK_WORKFLOW_SLOTS = 8;

/**
 * How long one workflow activation may run in the worker's sandbox before it is abandoned (the SDK's default is
 * 5 s, an option it accepts but does not type). On this machine, shared and loaded far past its 2 cores, plain
 * activations took 6–7 s of wall time; the sandbox's `vm` timeout then fired inside a callback and Node aborted
 * the whole worker ("async hook stack has become corrupted", nodejs/node#38503) — which is how the 2,000-unit
 * year "stalled" at its first instant. A soak measures histories, not speed: the limit is lifted far out of reach.
 */
export const SOAK_ISOLATE_EXECUTION_TIMEOUT = '10 minutes';
/**
 * Workflows the soak worker keeps cached, for a year of `units` units: every one of them. A reminder round wakes
 * every unit in turn, so a cache smaller than the tree misses on every wake (least recently used, cyclic) and each
 * wake replays a history: with 1,000 for 2,000 units the first instant of the year had not passed after 20 min.
 * Every unit cached needs ≈ 2 MiB of heap each (bench:workflow-memory) in the workflow thread: bench:soak runs
 * with an 8 GiB heap limit (package.json), which Node applies to that thread too; with Node's default 4 GiB the
 * 2,000-unit year ran the thread out of heap (ERR_WORKER_OUT_OF_MEMORY).
 */
export const soakCacheSize = (units: number): number => units + 100;

/** The production wiring of worker/worker.ts (same bundle, same activities) with fewer workflow task slots. */
export function createSoakWorker(
  o: ActivityDeps & { connection: NativeConnection; workflowBundle: WorkerOptions['workflowBundle']; taskQueue: string; workflowSlots?: number; maxCachedWorkflows?: number },
): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.config.temporal.namespace,
    taskQueue: o.taskQueue,
    workflowBundle: o.workflowBundle,
    activities: createActivities({ db: o.db, mailer: o.mailer, config: o.config }),
    maxConcurrentWorkflowTaskExecutions: o.workflowSlots ?? SOAK_WORKFLOW_SLOTS,
    ...(o.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: o.maxCachedWorkflows } : {}),
    // not in the SDK's WorkerOptions type, read from the options all the same (worker-options.js spreads them last)
    ...({ isolateExecutionTimeout: SOAK_ISOLATE_EXECUTION_TIMEOUT } as Partial<WorkerOptions>),
  });
}

/** The time-skipping environment, as far as the driver needs it. */
export interface SkippingClock {
  sleep(ms: number): Promise<void>;
  currentTimeMs(): Promise<number>;
}


/** N units: 1 root, round(√N) intermediate unions, the rest grassroots unions spread evenly below them. */
export function soakTree(n: number): UnitInput[] {
  if (!Number.isInteger(n) || n < 3) throw new Error('a soak tree needs a whole number of units ≥ 3 (root, one intermediate, one grassroots)');
  const k = Math.max(1, Math.min(n - 2, Math.round(Math.sqrt(n))));
  const leaves = n - 1 - k;
  const unit = generatedUnit;
  const list = [unit(SOAK_ROOT, 'Liên đoàn Lao động tỉnh Thử Nghiệm Dài Hạn', 'root', null)];
  let g = 0;
  for (let i = 0; i < k; i++) {
    const mid = `LDLD-Q${String(i + 1).padStart(3, '0')}`;
    list.push(unit(mid, `Liên đoàn Lao động huyện Số ${i + 1}`, 'intermediate', SOAK_ROOT));
    const under = Math.floor(leaves / k) + (i < leaves % k ? 1 : 0);
    for (let j = 0; j < under; j++) {
      g += 1;
      list.push(unit(`CDCS-${String(g).padStart(6, '0')}`, `Công đoàn cơ sở Công ty Cổ phần Dệt may Số ${g}`, 'grassroots', mid));
    }
  }
  return list;
}

type Timeliness = 'on-time' | 'late' | 'extended';

export interface UnitBehaviour {
  unitId: string;
  parentId: string | null;
  depth: number;
  plan: Timeliness;
  report: Timeliness;
  /** the report is returned once by the parent, then resubmitted (never the root: it has no parent) */
  returned: boolean;
}

/** What each unit does this year: a pure function of the tree and the seed. */
export function soakBehaviours(units: UnitInput[], seed = SOAK_SEED): UnitBehaviour[] {
  const random = seededRandom(seed);
  const depthOf = new Map<string, number>();
  const timeliness = (): Timeliness => {
    const r = random();
    return r < SOAK_SHARES.late ? 'late' : r < SOAK_SHARES.late + SOAK_SHARES.extended ? 'extended' : 'on-time';
  };
  return units.map((u) => {
    const depth = u.parentId === null ? 0 : depthOf.get(u.parentId)! + 1;
    depthOf.set(u.id, depth);
    const plan = timeliness();
    const report = timeliness();
    const returned = random() < SOAK_SHARES.returned && u.parentId !== null;
    return { unitId: u.id, parentId: u.parentId, depth, plan, report, returned };
  });
}

type Action =
  | { kind: 'extend'; unitId: string; phase: Phase; until: string }
  | { kind: 'submit'; unitId: string; phase: Phase; version: 1 | 2 }
  | { kind: 'return'; unitId: string; reviewerUnitId: string };

interface Step {
  atMs: number;
  actions: Action[];
}

function addDays(localDate: string, days: number): string {
  return new Date(Date.parse(`${localDate}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** When each action happens, grouped by instant, in time order. */
export function soakSchedule(plan: DeadlinePlan, behaviours: UnitBehaviour[]): Step[] {
  const closeMs = Date.parse(plan.closesAt);
  const steps = new Map<number, Action[]>();
  const at = (ms: number, action: Action) => {
    const when = Math.min(ms, closeMs - 6 * HOUR); // after the close nothing is accepted
    steps.set(when, [...(steps.get(when) ?? []), action]);
  };
  for (const b of behaviours) {
    const level = plan.levels[Math.min(b.depth, plan.levels.length - 1)]!;
    for (const phase of ['plan', 'report'] as const) {
      const d: PhaseDeadlines = level[phase];
      const dueMs = Date.parse(d.dueAt);
      let submitMs: number;
      if (b[phase] === 'late') {
        submitMs = Date.parse(d.escalations.at(-1)!.at) + HOUR; // every escalation round has fired
      } else if (b[phase] === 'extended') {
        at(dueMs - 12 * HOUR, { kind: 'extend', unitId: b.unitId, phase, until: addDays(d.dueDate, 10) });
        submitMs = dueMs + 10 * DAY - 2 * HOUR; // the evening of the new due date
      } else {
        submitMs = dueMs - 2 * HOUR; // the evening of the due date: every reminder has fired
      }
      at(submitMs, { kind: 'submit', unitId: b.unitId, phase, version: 1 });
      if (phase === 'report' && b.returned) {
        at(submitMs + HOUR, { kind: 'return', unitId: b.unitId, reviewerUnitId: b.parentId! });
        at(submitMs + 2 * HOUR, { kind: 'submit', unitId: b.unitId, phase, version: 2 });
      }
    }
  }
  return [...steps.entries()].sort(([a], [b]) => a - b).map(([atMs, actions]) => ({ atMs, actions }));
}

export interface SoakCounts {
  submissions: number;
  late: number;
  returns: number;
  extensions: number;
}

export interface SoakOutcome {
  cycleId: string;
  plan: DeadlinePlan;
  result: CycleResult;
  counts: SoakCounts;
}

export interface SoakRun {
  client: Client;
  clock: SkippingClock;
  taskQueue: string;
  units: UnitInput[];
  seed?: number;
  /** updates in flight at once (default 16) */
  concurrency?: number;
  /**
   * Real time one instant of the year may take (default 20 minutes) before the run is abandoned as stalled:
   * under heavy load the Java time-skipping server was seen to stop for good, and a run must say so, not hang.
   */
  stepLimitMs?: number;
  progress?: (line: string) => void;
  /** more of the cycle's input (bench:soak --no-upward-pacing: `upwardBurst`) */
  cycle?: Partial<CycleWorkflowInput>;
}

async function inParallel<T>(items: T[], limit: number, job: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await job(items[next++]!);
    }),
  );
}

/** Polls (real time, while the server does not skip) until the root's rollup expects every unit. */
async function untilEveryUnitStarted(client: Client, cycleId: string, n: number, progress: (line: string) => void): Promise<void> {
  let last = -1;
  for (let attempt = 0; attempt < 40_000; attempt++) {
    // the root's own status (the cycle workflow keeps no rollup): the units below it, and itself
    const expected = await cycleStatus(client, cycleId)
      .then((s) => unitStatus(client, cycleId, s.rootUnitId))
      .then(
        (u) => u.aggregate.below.plan.expected + 1,
        () => 0,
      );
    if (expected === n) return;
    if (expected !== last && attempt % 40 === 0) {
      last = expected;
      progress(`units started: ${expected}/${n}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting until the ${n} units of ${cycleId} had started`);
}

export class SoakStalledError extends Error {
  readonly code = 'SoakStalledError';
  constructor(message: string) {
    super(message);
    this.name = 'SoakStalledError';
  }
}

/** Runs the whole year; resolves once the cycle workflow has completed. */
export async function runSoakYear(run: SoakRun): Promise<SoakOutcome> {
  const { client, clock, taskQueue, units } = run;
  const progress = run.progress ?? (() => {});
  const year = new Date(await clock.currentTimeMs()).getUTCFullYear() + 1;
  const root = units.find((u) => u.parentId === null)!;
  const cycleId = makeCycleId(year, root.id);
  const index = new Map(units.map((u, i) => [u.id, i]));
  const handle = await client.workflow.start(cycleWorkflow, { workflowId: cycleId, taskQueue, workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT, args: [cycleInput(cycleId, year, root.id, run.cycle)] });
  await untilEveryUnitStarted(client, cycleId, units.length, progress);
  const plan = (await cyclePlan(client, cycleId))!;
  const behaviours = soakBehaviours(units, run.seed);
  const steps = soakSchedule(plan, behaviours);
  progress(`every unit started; ${steps.length} instants of the year to drive`);

  const counts: SoakCounts = { submissions: 0, late: 0, returns: 0, extensions: 0 };
  const content = (unitId: string, phase: Phase, version: 1 | 2) => {
    if (phase === 'plan') return planFor(unitId, year);
    const r = reportFor(unitId, index.get(unitId)!);
    return version === 1 ? r : { ...r, implementation: `${r.implementation} Đã bổ sung theo ý kiến của cấp trên.` };
  };
  // An update that got no answer in time may still be applied (client/cycles.ts UpdateTimeoutError): on a loaded
  // machine the soak sends it again, as a user would — a submission is recognised by its key, an extension of the
  // same date replaces the same deadline, a return already applied is seen in the unit's status.
  const perform = async (a: Action) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await performOnce(a);
      } catch (err) {
        if (!(err instanceof UpdateTimeoutError) || attempt >= UPDATE_ATTEMPTS) throw err;
        progress(`${a.kind} ${a.unitId}: no answer in time (attempt ${attempt}), sending it again`);
        if (a.kind === 'return' && (await unitStatus(client, cycleId, a.unitId)).report.progress.kind === 'returned') {
          counts.returns += 1;
          return;
        }
      }
    }
  };
  const performOnce = async (a: Action) => {
    if (a.kind === 'extend') {
      await extend(client, cycleId, a.unitId, { byUnitId: root.id, phase: a.phase, until: a.until, channel: 'test', reason: 'Đơn vị đề nghị gia hạn' });
      counts.extensions += 1;
    } else if (a.kind === 'return') {
      await review(client, cycleId, a.unitId, { decision: 'return', reviewerUnitId: a.reviewerUnitId, phase: 'report', version: 1, channel: 'test', comment: 'Đề nghị bổ sung số liệu.' });
      counts.returns += 1;
    } else {
      const receipt = await submit(client, { cycleId, unitId: a.unitId, phase: a.phase, content: content(a.unitId, a.phase, a.version), channel: 'test' });
      counts.submissions += 1;
      if (receipt.late && a.version === 1) counts.late += 1;
    }
  };

  const limitMs = run.stepLimitMs ?? 20 * 60_000;
  const withinLimit = async <T>(what: string, work: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SoakStalledError(`${what} made no progress in ${limitMs / 60_000} min of real time: the time-skipping server has stalled`)), limitMs);
    });
    try {
      return await Promise.race([work, stalled]);
    } finally {
      clearTimeout(timer);
    }
  };
  const t0 = performance.now();
  for (const [i, step] of steps.entries()) {
    const what = `the year up to ${new Date(step.atMs).toISOString()} (step ${i + 1}/${steps.length})`;
    const wait = step.atMs - (await clock.currentTimeMs());
    if (wait > 0) await withinLimit(what, clock.sleep(wait));
    await withinLimit(what, inParallel(step.actions, run.concurrency ?? 16, perform));
    progress(
      `${new Date(step.atMs).toISOString().slice(0, 16)}  step ${i + 1}/${steps.length}: ${step.actions.length} action(s) · ` +
        `${counts.submissions} submissions, ${counts.returns} returns, ${counts.extensions} extensions · ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
  }
  progress('waiting for the cycle to close…');
  const result = (await withinLimit('the close of the cycle', handle.result())) as CycleResult;
  return { cycleId, plan, result, counts };
}
