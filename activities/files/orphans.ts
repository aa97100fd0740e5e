// The clean-up of uploads no submission took: a unit that uploads and then never submits (a crash between the
// upload and the update, a closed tab) leaves a row and an object; a day later both go. Objects are shared by
// content (storage.ts), so an object goes only when no row names its hash any more; and objects no row ever
// named (a crash between the store's write and the row's insert) and what interrupted puts left are swept too.
// The worker runs it periodically (worker/file-cleanup.ts); `now` is injected so tests decide the time.
import type { Db } from '../db/database';
import { ORPHAN_AFTER_MS } from './limits';
import { deleteFileRow, referencedHashes, unattachedBefore } from './repository';
import type { FileStorage } from './storage';

export interface OrphanCleanupResult {
  /** upload rows removed */
  uploads: number;
  /** objects removed from the store */
  objects: number;
  /** leftovers of interrupted puts removed */
  abandoned: number;
}

const BATCH = 500;

export async function removeOrphanedUploads(db: Db, storage: FileStorage, now: Date, olderThanMs = ORPHAN_AFTER_MS): Promise<OrphanCleanupResult> {
  const cutoff = new Date(now.getTime() - olderThanMs).toISOString();
  let uploads = 0;
  for (;;) {
    const batch = await unattachedBefore(db, cutoff, BATCH);
    if (batch.length === 0) break;
    for (const f of batch) await deleteFileRow(db, f.id);
    uploads += batch.length;
    if (batch.length < BATCH) break;
  }
  // every object last written before the cutoff that no row names: a fresh upload of the same bytes renews the
  // object's time, so it is never among these
  const old = await storage.listOlderThan(cutoff);
  let objects = 0;
  for (let i = 0; i < old.length; i += BATCH) {
    const slice = old.slice(i, i + BATCH);
    const named = await referencedHashes(db, slice);
    for (const id of slice) {
      if (named.has(id)) continue;
      await storage.delete(id);
      objects++;
    }
  }
  const abandoned = await storage.removeAbandonedUploads(cutoff);
  return { uploads, objects, abandoned };
}
