// `baocao submit … --attach FILE…`: the files go through the same path as the web's uploads — the name check, the
// per-file limit, the content check (type by magic bytes, zip bombs, a cut-off PDF) into the configured store, a
// row owned by the unit, cycle and phase — then the submission carries their references and the archive checks
// them as it checks the web's. Refused files stop the command before anything is submitted. A file this unit
// already uploaded for the phase (same bytes, same name) is not uploaded again but named by its first upload's
// id: a resent command is then the same submission (same content, same key), as the CLI promises.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { createFileStorage, stagingDir } from '../../activities/files';
import { FileRejectedError } from '../../activities/files/errors';
import { formatMegabytes } from '../../activities/files/limits';
import { deleteFileRow } from '../../activities/files/repository';
import { acceptUpload } from '../../activities/files/uploads';
import type { Db } from '../../activities/db/database';
import type { Config } from '../../common/config';
import { MAX_FILES_PER_SUBMISSION, type FileRef } from '../../domain/file-ref';
import { CliError } from './output';

export interface AttachScope {
  cycleId: string;
  unitId: string;
  /** a built-in phase or a campaign cycle's phase key */
  phase: string;
}

/** Uploads the local files for one submission; CliError (every refusal, one a line) and nothing kept when any is refused. */
export async function uploadLocalFiles(db: Db, config: Pick<Config, 'files' | 'dataDir'>, scope: AttachScope, paths: readonly string[], already = 0): Promise<FileRef[]> {
  if (already + paths.length > MAX_FILES_PER_SUBMISSION)
    throw new CliError(`At most ${MAX_FILES_PER_SUBMISSION} files per submission, ${already + paths.length} given / tối đa ${MAX_FILES_PER_SUBMISSION} tệp cho một bài nộp: nothing was submitted.`);
  const storage = createFileStorage(config.files.store);
  const refs: FileRef[] = [];
  const created: string[] = [];
  const refused: string[] = [];
  try {
    for (const path of paths) {
      try {
        await stat(path);
      } catch {
        refused.push(`${path}: không có tệp này / no such file`);
        continue;
      }
      const earlier = await earlierUpload(db, scope, basename(path).normalize('NFC').trim(), await sha256Of(path));
      if (earlier && (await storage.head(earlier.sha256))) {
        refs.push(earlier);
        continue;
      }
      try {
        const ref = await acceptUpload(
          { db, storage, stagingDir: stagingDir(config), maxFileBytes: config.files.maxFileBytes },
          { source: createReadStream(path), name: basename(path), owner: { kind: 'submission', ...scope }, uploadedBy: scope.unitId, now: new Date() },
        );
        refs.push(ref);
        created.push(ref.id);
      } catch (err) {
        if (err instanceof FileRejectedError) refused.push(err.message);
        else throw err;
      }
    }
    const total = refs.reduce((sum, r) => sum + r.size, 0);
    if (refused.length === 0 && total > config.files.maxSubmissionBytes)
      refused.push(
        `các tệp cộng lại ${formatMegabytes(total)}, quá giới hạn ${formatMegabytes(config.files.maxSubmissionBytes)} / the files add up to ${formatMegabytes(total)}, more than the ${formatMegabytes(config.files.maxSubmissionBytes)} a submission may carry`,
      );
    if (refused.length > 0) {
      // their bytes go with the next clean-up unless another upload names them
      for (const id of created) await deleteFileRow(db, id);
      throw new CliError(`Nothing was submitted / Chưa nộp gì:\n${refused.join('\n')}`);
    }
    return refs;
  } finally {
    await storage.close();
  }
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** This unit's latest upload for the phase with these bytes and this name, if any. */
async function earlierUpload(db: Db, scope: AttachScope, name: string, sha256: string): Promise<FileRef | undefined> {
  const row = await db
    .selectFrom('files')
    .selectAll()
    .where('owner_kind', '=', 'submission')
    .where('cycle_id', '=', scope.cycleId)
    .where('unit_id', '=', scope.unitId)
    .where('phase', '=', scope.phase)
    .where('sha256', '=', sha256)
    .where('name', '=', name)
    .orderBy('uploaded_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, sha256: row.sha256, size: Number(row.size), mediaType: row.media_type as FileRef['mediaType'], name: row.name } : undefined;
}

/** The content with the local files uploaded and added to the files it already names (the limit counts both). */
export async function withLocalFiles(db: Db, config: Pick<Config, 'files' | 'dataDir'>, scope: AttachScope, content: unknown, paths: readonly string[]): Promise<unknown> {
  const given = content && typeof content === 'object' && Array.isArray((content as { files?: unknown }).files) ? (content as { files: unknown[] }).files : [];
  const refs = await uploadLocalFiles(db, config, scope, paths, given.length);
  return { ...(content as object), files: [...given, ...refs] };
}
