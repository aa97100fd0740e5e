// The worker's periodic clean-up of uploads no submission took (activities/files/orphans.ts), every hour.
// A timer in the worker process rather than a Temporal Schedule: it is housekeeping of this deployment's own
// database and file store, needs no durable state between runs (each run looks at what is there), and any number
// of workers may run it at once (every delete is idempotent) — a Schedule would add a workflow and its history
// for no guarantee we need; a missed hour is caught up by the next.
import type { Db } from '../activities/db/database';
import type { FileStorage } from '../activities/files';
import { removeOrphanedUploads, type OrphanCleanupResult } from '../activities/files/orphans';

export const ORPHAN_CLEANUP_EVERY_MS = 60 * 60 * 1000;

export interface OrphanCleanupOptions {
  everyMs?: number;
  /** the clock (tests inject theirs) */
  now?: () => Date;
  log?: (line: string) => void;
  onResult?: (result: OrphanCleanupResult) => void;
}

/** Runs the clean-up now and then every `everyMs`; the returned stop() waits for a run in progress. */
export function startOrphanCleanup(deps: { db: Db; storage: FileStorage }, options: OrphanCleanupOptions = {}): () => Promise<void> {
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = removeOrphanedUploads(deps.db, deps.storage, now())
      .then(
        (r) => {
          options.onResult?.(r);
          if (r.uploads || r.objects || r.abandoned)
            log(`[files] removed ${r.uploads} upload(s) never attached after a day, ${r.objects} unreferenced object(s), ${r.abandoned} interrupted upload(s)`);
        },
        (err: unknown) => log(`[files] orphan clean-up failed, trying again in an hour: ${err instanceof Error ? err.message : String(err)}`),
      )
      .finally(() => (running = undefined));
  };
  tick();
  const timer = setInterval(tick, options.everyMs ?? ORPHAN_CLEANUP_EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
