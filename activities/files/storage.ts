// One interface for where the bytes of uploaded files live: the filesystem under the data directory (embedded
// default, fs-storage.ts) or an S3-compatible object store (production, s3-storage.ts). Objects are
// content-addressed: the id is the SHA-256 of the bytes (hex), so a file is stored once however often it is
// uploaded, and a reference {id, sha256} can be checked against the store. Metadata (names, owners, when a
// file was attached) lives in the database (repository.ts); the store knows bytes, sizes and times only.
import type { Readable } from 'node:stream';

export interface StoredObject {
  /** the object's key in the store: the SHA-256 of its bytes, 64 lower-case hex digits */
  id: string;
  sha256: string;
  size: number;
  mediaType: string;
}

export interface ObjectHead {
  size: number;
  /** when the object was last written (ISO-8601): a re-upload of the same bytes renews it */
  storedAt: string;
}

export interface PutOptions {
  /** the type found by the content check (inspect.ts), kept as the object's Content-Type where the store has one */
  mediaType: string;
  /** refuse (FileRejectedError 'too-large') and store nothing past this many bytes */
  maxBytes: number;
}

export interface FileStorage {
  readonly kind: 'fs' | 's3';
  /**
   * Stores the stream's bytes. Nothing is visible under the id until every byte is written and synced: a stream
   * that errors or ends early (an upload cut off midway) or runs past maxBytes leaves nothing behind.
   */
  put(source: Readable, options: PutOptions): Promise<StoredObject>;
  /** The bytes, or undefined when there is no such object. */
  get(id: string): Promise<Readable | undefined>;
  head(id: string): Promise<ObjectHead | undefined>;
  /** Removes the object; removing one that is not there is not an error. */
  delete(id: string): Promise<void>;
  /** Ids of the objects last written before `cutoff` (ISO-8601): candidates for the orphan clean-up. */
  listOlderThan(cutoff: string): Promise<string[]>;
  /** Removes what interrupted puts left (a temp file, an unfinished multipart upload) older than `cutoff`; returns how many. */
  removeAbandonedUploads(cutoff: string): Promise<number>;
  close(): Promise<void>;
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isObjectId(id: string): boolean {
  return SHA256_HEX.test(id);
}
