// Rows of the files table (schema.ts): an upload's name, type and owner. Reads return JSON-safe objects.
import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { FileOwnerKind, FilesTable } from './schema';

export interface FileRecord {
  id: string;
  sha256: string;
  size: number;
  mediaType: string;
  name: string;
  ownerKind: FileOwnerKind;
  cycleId: string | null;
  unitId: string | null;
  /** a built-in phase (plan, report) or a campaign cycle's phase key */
  phase: string | null;
  campaignId: string | null;
  uploadedBy: string;
  uploadedAt: string;
  attachedAt: string | null;
  attachedVersion: number | null;
}

/** A row of the files table as the record every reader returns. */
export function fileRecordOf(row: FilesTable): FileRecord {
  return {
    id: row.id,
    sha256: row.sha256,
    size: Number(row.size),
    mediaType: row.media_type,
    name: row.name,
    ownerKind: row.owner_kind,
    cycleId: row.cycle_id,
    unitId: row.unit_id,
    phase: row.phase,
    campaignId: row.campaign_id,
    uploadedBy: row.uploaded_by,
    uploadedAt: row.uploaded_at,
    attachedAt: row.attached_at,
    attachedVersion: row.attached_version,
  };
}

export async function insertFile(db: Db, f: Omit<FileRecord, 'attachedAt' | 'attachedVersion'>): Promise<void> {
  await db
    .insertInto('files')
    .values({
      id: f.id,
      sha256: f.sha256,
      size: f.size,
      media_type: f.mediaType,
      name: f.name,
      owner_kind: f.ownerKind,
      cycle_id: f.cycleId,
      unit_id: f.unitId,
      phase: f.phase,
      campaign_id: f.campaignId,
      uploaded_by: f.uploadedBy,
      uploaded_at: f.uploadedAt,
      attached_at: null,
      attached_version: null,
    })
    .execute();
}

export async function fileById(db: Db, id: string): Promise<FileRecord | undefined> {
  const row = await db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fileRecordOf(row) : undefined;
}

export async function filesByIds(db: Db, ids: readonly string[]): Promise<FileRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('files').selectAll().where('id', 'in', [...ids]).execute();
  return rows.map(fileRecordOf);
}

/** Marks uploads as carried by a submission version; an upload already attached keeps its first version. */
export async function markAttached(db: Db, ids: readonly string[], version: number, at: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('files')
    .set({ attached_at: at, attached_version: version })
    .where('id', 'in', [...ids])
    .where('attached_at', 'is', null)
    .execute();
}

/**
 * Uploads nothing took, uploaded before `cutoff` (ISO-8601). A campaign document's file counts as taken while a
 * version of its campaign names it (the definition holds its reference; nothing marks the row).
 */
export async function unattachedBefore(db: Db, cutoff: string, limit: number): Promise<FileRecord[]> {
  const rows = await db
    .selectFrom('files')
    .selectAll()
    .where('attached_at', 'is', null)
    .where('uploaded_at', '<', cutoff)
    .where(({ and, or, eb, exists, selectFrom }) =>
      or([
        eb('campaign_id', 'is', null),
        and([
          eb('campaign_id', 'is not', null),
          eb.not(
            exists(
              selectFrom('campaign_versions')
                .select('version')
                .whereRef('campaign_versions.campaign_id', '=', 'files.campaign_id')
                .where(sql<boolean>`campaign_versions.definition_json like '%' || files.id || '%'`),
            ),
          ),
        ]),
      ]),
    )
    .orderBy('uploaded_at')
    .limit(limit)
    .execute();
  return rows.map(fileRecordOf);
}

export async function deleteFileRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('files').where('id', '=', id).where('attached_at', 'is', null).execute();
}

/** SHA-256 values of these that some row still names (an object is deleted only when none does). */
export async function referencedHashes(db: Db, hashes: readonly string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await db.selectFrom('files').select('sha256').distinct().where('sha256', 'in', [...hashes]).execute();
  return new Set(rows.map((r) => r.sha256));
}
