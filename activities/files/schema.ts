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
  /** a built-in phase (plan, report) or a campaign cycle's phase key */
  phase: string | null;
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

/** What the secretariat says of a cycle's issuing document (migration 0013); '' where it said nothing. */
export interface CycleDocumentsTable {
  cycle_id: string;
  number: string;
  title: string;
  signer: string;
  updated_by: string;
  updated_at: string;
}

/** A read-only link to a cycle's issuing document, as a reminder carries it (migration 0013): the token's SHA-256. */
export interface DocumentLinksTable {
  token_hash: string;
  cycle_id: string;
  unit_id: string;
  created_at: string;
  expires_at: string;
}

export interface FilesTables {
  files: FilesTable;
  cycle_documents: CycleDocumentsTable;
  document_links: DocumentLinksTable;
}
