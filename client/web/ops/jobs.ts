// A bulk action run as a job: the selection is stored, each unit's result is written as soon as its workflow
// answers, and the page that follows (views/bulk.ts) shows the progress, refreshing itself without a script,
// until every unit has its result. A job whose web process stopped mid-way keeps what it wrote: the page then
// says which units have no result, instead of pretending they were done.
import { randomBytes } from 'node:crypto';
import { WebNotFoundError } from '../errors';
import type { Staff } from '../staff';
import { bulkSelection, bulkStep, BULK_CONCURRENCY, type BulkAction, type BulkItem, type BulkKind, type BulkResult, type NamedBulkItem } from './bulk';
import { mapLimit, type WebDeps } from './deps';
import type { CycleAccess } from './scope';

/** A request waits this long for its job, so a short one's results show on the first page. */
export const JOB_INLINE_WAIT_MS = 3_000;

export type JobState = 'running' | 'done' | 'interrupted';

export interface BulkJob {
  jobId: string;
  cycleId: string;
  kind: BulkKind;
  createdAt: string;
  finishedAt: string | null;
  state: JobState;
  items: NamedBulkItem[];
  /** in the order of `items`; undefined while (or, interrupted, because) the unit was not done */
  results: (BulkResult | undefined)[];
  backHref: string;
}

/** No result for this long while not finished: the process that ran it has stopped (each step waits at most the update timeout). */
function stallMs(deps: WebDeps): number {
  return Math.max(120_000, 3 * deps.config.updateTimeoutMs);
}

export function bulkJobPath(cycleId: string, jobId: string): string {
  return `/cycles/${encodeURIComponent(cycleId)}/jobs/${encodeURIComponent(jobId)}`;
}

/**
 * Stores the job and starts it after the response (deps.background); `settled` resolves when every unit has its
 * result. Rights are checked per unit as it runs, exactly as one at a time.
 */
export async function startBulkJob(
  deps: WebDeps,
  staff: Staff,
  access: CycleAccess,
  action: BulkAction,
  items: readonly BulkItem[],
  backHref: string,
  max?: number,
): Promise<{ jobId: string; settled: Promise<void> }> {
  const selection = await bulkSelection(deps, action.kind, items, max, access.cycleId);
  const jobId = randomBytes(12).toString('base64url');
  const now = deps.now().toISOString();
  await deps.db
    .insertInto('web_bulk_jobs')
    .values({
      job_id: jobId,
      cycle_id: access.cycleId,
      kind: action.kind,
      created_by: staff.email,
      created_at: now,
      updated_at: now,
      finished_at: null,
      total: selection.length,
      items_json: JSON.stringify(selection),
      back_href: backHref,
    })
    .execute();
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  deps.background.run(`bulk ${action.kind} ${jobId}`, async () => {
    try {
      await runJob(deps, staff, access, action, jobId, selection);
    } finally {
      settle();
    }
  });
  return { jobId, settled };
}

async function runJob(deps: WebDeps, staff: Staff, access: CycleAccess, action: BulkAction, jobId: string, selection: NamedBulkItem[]): Promise<void> {
  await mapLimit(
    selection.map((item, seq) => ({ item, seq })),
    BULK_CONCURRENCY,
    async ({ item, seq }) => {
      const result = await bulkStep(deps, staff, access, action, item, 'web').catch(
        // the engine or the database failed for this unit: it is that unit's result, the others go on
        (err: unknown): BulkResult => ({ ...item, ok: false, problem: err instanceof Error ? err.message : String(err) }),
      );
      const at = deps.now().toISOString();
      await deps.db.transaction().execute(async (trx) => {
        await trx.insertInto('web_bulk_results').values({ job_id: jobId, seq, unit_id: item.unitId, ok: result.ok ? 1 : 0, result_json: JSON.stringify(result), at }).execute();
        await trx.updateTable('web_bulk_jobs').set({ updated_at: at }).where('job_id', '=', jobId).execute();
      });
    },
  );
  await deps.db.updateTable('web_bulk_jobs').set({ finished_at: deps.now().toISOString() }).where('job_id', '=', jobId).execute();
}

/** A job of this staff member in this cycle (another's is "not found": job ids are not shared). */
export async function readBulkJob(deps: WebDeps, staff: Staff, cycleId: string, jobId: string): Promise<BulkJob> {
  const job = await deps.db.selectFrom('web_bulk_jobs').selectAll().where('job_id', '=', jobId).executeTakeFirst();
  if (!job || job.cycle_id !== cycleId || job.created_by !== staff.email) throw new WebNotFoundError(`no such job ${jobId} / không có tác vụ này`);
  const rows = await deps.db.selectFrom('web_bulk_results').select(['seq', 'result_json']).where('job_id', '=', jobId).orderBy('seq').execute();
  const items = JSON.parse(job.items_json) as NamedBulkItem[];
  const results: (BulkResult | undefined)[] = items.map(() => undefined);
  for (const r of rows) results[Number(r.seq)] = JSON.parse(r.result_json) as BulkResult;
  const silentFor = deps.now().getTime() - Date.parse(job.updated_at);
  const state: JobState = job.finished_at ? 'done' : silentFor > stallMs(deps) ? 'interrupted' : 'running';
  return { jobId, cycleId, kind: job.kind, createdAt: job.created_at, finishedAt: job.finished_at, state, items, results, backHref: job.back_href };
}
