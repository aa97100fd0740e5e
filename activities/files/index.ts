// Stored files (issue 16): the store chosen by configuration, and the archive's check of a submission's files.
import { join } from 'node:path';
import type { Config } from '../../common/config';
import type { StoreSubmissionInput } from '../archive/store';
import type { Db } from '../db/database';
import { createFsStorage } from './fs-storage';
import { attachFiles, checkFileReferences, filesOfContent } from './references';
import { createS3Storage } from './s3-storage';
import type { FileStorage } from './storage';

export type { FileStorage } from './storage';

export function createFileStorage(store: Config['files']['store']): FileStorage {
  return store.kind === 's3' ? createS3Storage(store) : createFsStorage(store.dir);
}

/** Where uploads are staged for their content check: local disk, beside the data, whatever the store. */
export function stagingDir(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir, 'upload-staging');
}

/**
 * The archive's write of a submission, with its files: the references are checked first (FileReferenceError
 * refuses the update), then the submission is stored, then its uploads are marked as attached. Each step is
 * idempotent, so a retried activity ends in the same state.
 */
export async function storeSubmissionWithFiles(
  deps: { db: Db; storage: FileStorage; maxSubmissionBytes: number },
  input: StoreSubmissionInput,
  store: (input: StoreSubmissionInput) => Promise<{ stored: boolean }>,
): Promise<{ stored: boolean }> {
  const refs = filesOfContent(input.content);
  await checkFileReferences(deps.db, deps.storage, { cycleId: input.cycleId, unitId: input.unitId, phase: input.phase }, refs, deps.maxSubmissionBytes);
  const result = await store(input);
  await attachFiles(deps.db, refs, input.version, input.submittedAt);
  return result;
}
