// The check the archive makes before it records a submission that carries files: every reference must name an
// upload of this unit for this cycle and phase, with the same SHA-256, size and type, whose bytes are in the
// store; together they stay within the per-submission limit. Otherwise FileReferenceError (not retryable):
// the update fails with that message and nothing is recorded.
import { recordedFileRefsSchema, type FileRef } from '../../domain/file-ref';
import type { Db } from '../db/database';
import { FileReferenceError } from './errors';
import { formatMegabytes } from './limits';
import { filesByIds, markAttached } from './repository';
import type { FileStorage } from './storage';

export interface SubmissionFilesScope {
  cycleId: string;
  unitId: string;
  /** a built-in phase or a campaign's phase key */
  phase: string;
}

/** The file references of a submission's content (content as recorded: files absent before issue 16). */
export function filesOfContent(content: unknown): FileRef[] {
  const files = (content as { files?: unknown } | null)?.files;
  if (files === undefined) return [];
  const parsed = recordedFileRefsSchema.safeParse(files);
  if (!parsed.success) throw new FileReferenceError(`Danh sách tệp đính kèm không hợp lệ / The submission's file list is malformed: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return (parsed.data ?? []) as FileRef[];
}

export async function checkFileReferences(
  db: Db,
  storage: FileStorage,
  scope: SubmissionFilesScope,
  refs: readonly FileRef[],
  maxSubmissionBytes: number,
): Promise<void> {
  if (refs.length === 0) return;
  const problems: string[] = [];
  const total = refs.reduce((sum, r) => sum + r.size, 0);
  if (total > maxSubmissionBytes)
    problems.push(
      `các tệp cộng lại ${formatMegabytes(total)}, quá giới hạn ${formatMegabytes(maxSubmissionBytes)} / the files add up to ${formatMegabytes(total)}, more than the ${formatMegabytes(maxSubmissionBytes)} a submission may carry`,
    );
  const rows = new Map((await filesByIds(db, refs.map((r) => r.id))).map((f) => [f.id, f]));
  for (const ref of refs) {
    const row = rows.get(ref.id);
    const label = `"${ref.name}" (${ref.id})`;
    if (!row) {
      problems.push(`${label}: không có tệp này / no such upload — upload the file again`);
      continue;
    }
    if (row.ownerKind !== 'submission' || row.cycleId !== scope.cycleId || row.unitId !== scope.unitId || row.phase !== scope.phase) {
      problems.push(`${label}: tệp thuộc về nơi khác / was uploaded for another unit, cycle or phase`);
      continue;
    }
    if (row.sha256 !== ref.sha256) problems.push(`${label}: mã băm SHA-256 không khớp / its SHA-256 differs from the stored file's`);
    if (row.size !== ref.size) problems.push(`${label}: kích thước không khớp / its size (${ref.size}) differs from the stored file's (${row.size})`);
    if (row.mediaType !== ref.mediaType) problems.push(`${label}: loại tệp không khớp / its type (${ref.mediaType}) differs from the stored file's (${row.mediaType})`);
    if (row.sha256 === ref.sha256) {
      const head = await storage.head(row.sha256);
      if (!head || head.size !== row.size) problems.push(`${label}: nội dung tệp không còn trong kho / its bytes are not in the file store — upload it again`);
    }
  }
  if (problems.length > 0)
    throw new FileReferenceError(
      `Bài nộp của ${scope.unitId} (${scope.phase}) có tệp đính kèm không hợp lệ; không lưu gì / The ${scope.phase} of ${scope.unitId} names files that cannot be attached, nothing was recorded: ${problems.join('; ')}`,
    );
}

export async function attachFiles(db: Db, refs: readonly FileRef[], version: number, at: string): Promise<void> {
  await markAttached(
    db,
    refs.map((r) => r.id),
    version,
    at,
  );
}
