// The embedded store: files under <data dir>/files, named by their SHA-256 (two-level fan-out: ab/abcdef…).
// A put writes to a temp file in the same filesystem, fsyncs it, renames it onto its final name and fsyncs the
// directory: an object is either complete or absent, and a crash or a cut-off upload leaves at most a temp
// file, which removeAbandonedUploads sweeps.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HashingLimiter } from './counting';
import { FileRejectedError, uploadCutOff } from './errors';
import { isObjectId, type FileStorage, type ObjectHead, type PutOptions, type StoredObject } from './storage';

const TMP = '.incoming';

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT';
}

export function createFsStorage(root: string): FileStorage {
  const objectPath = (id: string) => join(root, id.slice(0, 2), id);
  const tmpDir = join(root, TMP);

  return {
    kind: 'fs',

    async put(source: Readable, { mediaType, maxBytes }: PutOptions): Promise<StoredObject> {
      await mkdir(tmpDir, { recursive: true });
      const tmp = join(tmpDir, `${randomUUID()}.part`);
      const counter = new HashingLimiter(maxBytes);
      try {
        // the write stream opens with 'wx': a temp name is never shared
        const out = createWriteStream(tmp, { flags: 'wx' });
        await pipeline(source, counter, out);
        if (source.readableAborted) throw uploadCutOff();
        await fsyncPath(tmp);
        const sha256 = counter.digest();
        const dir = join(root, sha256.slice(0, 2));
        await mkdir(dir, { recursive: true });
        // same bytes already stored: the rename replaces them with themselves and renews the time
        await rename(tmp, objectPath(sha256));
        await fsyncPath(dir);
        return { id: sha256, sha256, size: counter.bytes, mediaType };
      } catch (err) {
        await unlink(tmp).catch(() => {});
        if (err instanceof FileRejectedError) throw err;
        // the source failed (a dropped connection) or closed early: the upload is incomplete, not the disk broken
        if (source.errored || source.readableAborted || (err as NodeJS.ErrnoException)?.code === 'ERR_STREAM_PREMATURE_CLOSE') throw uploadCutOff(err);
        throw err;
      }
    },

    async get(id: string): Promise<Readable | undefined> {
      if (!isObjectId(id)) return undefined;
      const handle = await open(objectPath(id), 'r').catch((err: unknown) => {
        if (isMissing(err)) return undefined;
        throw err;
      });
      // the stream owns the handle and closes it at its end
      return handle ? handle.createReadStream() : undefined;
    },

    async head(id: string): Promise<ObjectHead | undefined> {
      if (!isObjectId(id)) return undefined;
      try {
        const s = await stat(objectPath(id));
        return { size: s.size, storedAt: s.mtime.toISOString() };
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw err;
      }
    },

    async delete(id: string): Promise<void> {
      if (!isObjectId(id)) return;
      await rm(objectPath(id), { force: true });
    },

    async listOlderThan(cutoff: string): Promise<string[]> {
      const limit = Date.parse(cutoff);
      const ids: string[] = [];
      for (const fan of await readdir(root).catch(() => [] as string[])) {
        if (!/^[0-9a-f]{2}$/.test(fan)) continue;
        for (const name of await readdir(join(root, fan))) {
          if (!isObjectId(name)) continue;
          const s = await stat(join(root, fan, name)).catch(() => undefined);
          if (s && s.mtimeMs < limit) ids.push(name);
        }
      }
      return ids.sort();
    },

    async removeAbandonedUploads(cutoff: string): Promise<number> {
      const limit = Date.parse(cutoff);
      let removed = 0;
      for (const name of await readdir(tmpDir).catch(() => [] as string[])) {
        const s = await stat(join(tmpDir, name)).catch(() => undefined);
        if (s && s.mtimeMs < limit) {
          await rm(join(tmpDir, name), { force: true });
          removed++;
        }
      }
      return removed;
    },

    async close(): Promise<void> {},
  };
}
