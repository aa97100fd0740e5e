// The files units sent with their submissions, read from the files table: each upload records the version of
// the submission that first carried it (attached_version), and a submission carries only the uploads made for
// it (a resubmission after a return carries its own; the earlier version keeps its files). So a phase's files
// group by version, and a unit's final files of a phase are those of its latest version that carried any —
// what the cycle XLSX counts and `baocao cycle export --files` writes.
import type { Db } from '../db/database';
import { fileRecordOf, type FileRecord } from './repository';

export interface VersionFiles {
  version: number;
  files: FileRecord[];
}

/** Every version of a unit's phase that carried files, oldest first, each with its files in upload order. */
export async function filesByVersion(db: Db, scope: { cycleId: string; unitId: string; phase: string }): Promise<VersionFiles[]> {
  const rows = await db
    .selectFrom('files')
    .selectAll()
    .where('owner_kind', '=', 'submission')
    .where('cycle_id', '=', scope.cycleId)
    .where('unit_id', '=', scope.unitId)
    .where('phase', '=', scope.phase)
    .where('attached_at', 'is not', null)
    .orderBy('attached_version')
    .orderBy('uploaded_at')
    .orderBy('id')
    .execute();
  const out: VersionFiles[] = [];
  for (const r of rows) {
    const v = r.attached_version ?? 0;
    if (out.at(-1)?.version !== v) out.push({ version: v, files: [] });
    out.at(-1)!.files.push(fileRecordOf(r));
  }
  return out;
}

export interface UnitFinalFiles {
  plan?: VersionFiles;
  report?: VersionFiles;
}

/** Per unit of the cycle, each phase's final files (its latest version that carried files). One query. */
export async function finalFilesOfCycle(db: Db, cycleId: string): Promise<Map<string, UnitFinalFiles>> {
  const rows = await db
    .selectFrom('files')
    .selectAll()
    .where('owner_kind', '=', 'submission')
    .where('cycle_id', '=', cycleId)
    .where('attached_at', 'is not', null)
    .orderBy('unit_id')
    .orderBy('phase')
    .orderBy('attached_version')
    .orderBy('uploaded_at')
    .orderBy('id')
    .execute();
  const out = new Map<string, UnitFinalFiles>();
  for (const r of rows) {
    if (!r.unit_id || (r.phase !== 'plan' && r.phase !== 'report')) continue;
    const unit = out.get(r.unit_id) ?? {};
    out.set(r.unit_id, unit);
    const v = r.attached_version ?? 0;
    const current = unit[r.phase];
    // rows come in version order: a later version replaces what an earlier one carried
    if (!current || current.version !== v) unit[r.phase] = { version: v, files: [fileRecordOf(r)] };
    else current.files.push(fileRecordOf(r));
  }
  return out;
}
