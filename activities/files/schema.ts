// The files table (migration 0011): one row per upload; the bytes are in the file store under sha256.

export type FileOwnerKind = 'submission' | 'issuing-document';

export interface FilesTable {
  /** the upload's id (domain/file-ref.ts FILE_ID), what a submission's reference names */
  id: string;
  sha256: string;
  /** bytes (bigint column: PostgreSQL returns it as a string, repository.ts reads it as a number) */
  size: number | string;
  /** found in the bytes (inspect.ts), one of domain/file-ref.ts ATTACHMENT_TYPES */
  media_type: string;
  /** the name to download it under, NFC, checked by fileNameProblem */
  name: string;
  owner_kind: FileOwnerKind;
  cycle_id: string | null;
  unit_id: string | null;
  phase: 'plan' | 'report' | null;
  /** an issuing document of a campaign, once campaigns carry their own */
  campaign_id: string | null;
  /** a unit id or a staff email */
  uploaded_by: string;
  /** ISO-8601 instants */
  uploaded_at: string;
  /** the submittedAt (calendar instant) of the submission that first carried it; null: an orphan once a day old (orphans.ts) */
  attached_at: string | null;
  /** the version of the submission that first carried it */
  attached_version: number | null;
}

export interface FilesTables {
  files: FilesTable;
}
