// What the web pages show of attached files, read from the files table and the archive's submissions, and
// the step that puts a unit's pending uploads into the submission it sends (before the update: the update
// carries only references, activities/files/references.ts checks them).
import type { Db } from '../../../activities/db/database';
import type { Config } from '../../../common/config';
import { filesOfContent } from '../../../activities/files/references';
import { fileRecordOf, type FileRecord } from '../../../activities/files/repository';
import { ORPHAN_AFTER_MS } from '../../../activities/files/limits';
import { filesByVersion, type VersionFiles } from '../../../activities/files/submitted-files';
import type { FileRef } from '../../../domain/file-ref';
import type { PlanContent, ReportContent, Phase } from '../../../workflows/report';

export interface UnitFilesScope {
  cycleId: string;
  unitId: string;
}

/** Uploads of this unit for this phase that no submission took yet and that the clean-up has not reached. */
export async function pendingUploads(db: Db, scope: UnitFilesScope, phase: string, now: Date): Promise<FileRecord[]> {
  const since = new Date(now.getTime() - ORPHAN_AFTER_MS).toISOString();
  const rows = await db
    .selectFrom('files')
    .selectAll()
    .where('owner_kind', '=', 'submission')
    .where('cycle_id', '=', scope.cycleId)
    .where('unit_id', '=', scope.unitId)
    .where('phase', '=', phase)
    .where('attached_at', 'is', null)
    .where('uploaded_at', '>=', since)
    .orderBy('uploaded_at')
    .orderBy('id')
    .execute();
  return rows.map(fileRecordOf);
}

export function toRef(f: FileRecord): FileRef {
  return { id: f.id, sha256: f.sha256, size: f.size, mediaType: f.mediaType as FileRef['mediaType'], name: f.name };
}

/** The files a stored submission carries (none for submissions from before attachments). */
export function submittedFiles(content: unknown): FileRef[] {
  try {
    return filesOfContent(content);
  } catch {
    return [];
  }
}

/**
 * The content to submit, with this unit's pending uploads for the phase as its files: what was uploaded on the
 * unit page goes with the next submission (a resubmission carries its own uploads; earlier versions keep theirs).
 */
export async function withPendingFiles<C extends PlanContent | ReportContent>(db: Db, scope: UnitFilesScope, phase: Phase, content: C, now: Date): Promise<C> {
  const pending = await pendingUploads(db, scope, phase, now);
  return pending.length > 0 ? { ...content, files: pending.map(toRef) } : content;
}

/** One phase's files on a unit page: its pending uploads and every version's submitted files (a campaign's phases). */
export interface PhaseFiles {
  pending: FileRecord[];
  submitted: VersionFiles[];
}

export async function phasePageFiles(db: Db, scope: UnitFilesScope, phase: string, now: Date): Promise<PhaseFiles> {
  const [pending, submitted] = await Promise.all([pendingUploads(db, scope, phase, now), filesByVersion(db, { ...scope, phase })]);
  return { pending, submitted };
}

export interface UnitFiles {
  plan: FileRecord[];
  report: FileRecord[];
}

export async function unitPendingFiles(db: Db, scope: UnitFilesScope, now: Date): Promise<UnitFiles> {
  const [plan, report] = await Promise.all([pendingUploads(db, scope, 'plan', now), pendingUploads(db, scope, 'report', now)]);
  return { plan, report };
}

/** Each phase's submitted files by version (a resubmission's files beside the earlier version's). */
export interface UnitSubmittedFiles {
  plan: VersionFiles[];
  report: VersionFiles[];
}

/** The unit page's files: its pending uploads, every version's submitted files, the limits it states (for taskAttachments). */
export async function unitPageFiles(deps: { db: Db; config: Config; now: () => Date }, scope: UnitFilesScope) {
  const [pending, plan, report] = await Promise.all([
    unitPendingFiles(deps.db, scope, deps.now()),
    filesByVersion(deps.db, { ...scope, phase: 'plan' }),
    filesByVersion(deps.db, { ...scope, phase: 'report' }),
  ]);
  return { pending, submitted: { plan, report } satisfies UnitSubmittedFiles, maxFileBytes: deps.config.files.maxFileBytes, maxSubmissionBytes: deps.config.files.maxSubmissionBytes };
}
