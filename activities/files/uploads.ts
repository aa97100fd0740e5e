// An upload, from the request's stream to a stored file: the name is checked, the bytes staged on local disk
// (hashed, counted, cut at the limit), their type read from the content (inspect.ts), then put in the store
// and recorded. Refused at any step, nothing is kept: the staged copy is removed, the store never saw it.
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileNameProblem, type FileRef } from '../../domain/file-ref';
import type { Db } from '../db/database';
import { HashingLimiter } from './counting';
import { FileRejectedError, fileTooLarge, uploadCutOff } from './errors';
import { inspectFile } from './inspect';
import { insertFile } from './repository';
import type { FileOwnerKind } from './schema';
import type { FileStorage } from './storage';

export interface UploadDeps {
  db: Db;
  storage: FileStorage;
  /** local folder for the staged copy (the content check needs the whole file: a ZIP's directory is at its end) */
  stagingDir: string;
  maxFileBytes: number;
}

export type UploadOwner =
  | { kind: Extract<FileOwnerKind, 'submission'>; cycleId: string; unitId: string; phase: string }
  | { kind: Extract<FileOwnerKind, 'issuing-document'>; cycleId: string | null; campaignId: string | null };

export interface UploadInput {
  source: Readable;
  /** the name as the browser sent it */
  name: string;
  owner: UploadOwner;
  uploadedBy: string;
  now: Date;
}

/** 128 random bits as 22 characters of base64url (domain/file-ref.ts FILE_ID) */
export function newFileId(): string {
  return randomBytes(16).toString('base64url');
}

function drain(source: Readable): void {
  source.on('error', () => {});
  source.resume();
}

export async function acceptUpload(deps: UploadDeps, input: UploadInput): Promise<FileRef> {
  const name = input.name.normalize('NFC').trim();
  const problem = fileNameProblem(name);
  if (problem) {
    drain(input.source);
    throw new FileRejectedError('name', `Tên tệp không dùng được; không lưu gì / The file name cannot be used: ${problem}. Nothing was stored; rename the file and upload it again.`);
  }
  await mkdir(deps.stagingDir, { recursive: true });
  const staged = join(deps.stagingDir, `${randomUUID()}.upload`);
  try {
    const counter = new HashingLimiter(deps.maxFileBytes);
    try {
      await pipeline(input.source, counter, createWriteStream(staged, { flags: 'wx' }));
    } catch (err) {
      drain(input.source);
      if (err instanceof FileRejectedError) throw withName(err, name);
      throw uploadCutOff(err);
    }
    // @fastify/multipart marks a file cut at its own limit as truncated instead of failing it
    if ((input.source as Readable & { truncated?: boolean }).truncated) throw withName(fileTooLarge(deps.maxFileBytes), name);
    const mediaType = await inspectFile(staged, name);
    const stored = await deps.storage.put(createReadStream(staged), { mediaType, maxBytes: deps.maxFileBytes });
    const id = newFileId();
    const owner = input.owner;
    await insertFile(deps.db, {
      id,
      sha256: stored.sha256,
      size: stored.size,
      mediaType,
      name,
      ownerKind: owner.kind,
      cycleId: owner.cycleId,
      unitId: owner.kind === 'submission' ? owner.unitId : null,
      phase: owner.kind === 'submission' ? owner.phase : null,
      campaignId: owner.kind === 'issuing-document' ? owner.campaignId : null,
      uploadedBy: input.uploadedBy,
      uploadedAt: input.now.toISOString(),
    });
    return { id, sha256: stored.sha256, size: stored.size, mediaType, name };
  } finally {
    await rm(staged, { force: true });
  }
}

/** the same refusal, naming the file (several may come in one submission) */
function withName(err: FileRejectedError, name: string): FileRejectedError {
  return new FileRejectedError(err.reason, `"${name}": ${err.message}`, { cause: err.cause });
}
