import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFsStorage } from '../../activities/files/fs-storage';
import { storageContract } from './storage-contract';
import { cutOffStream } from './support';

describe('filesystem file store', () => {
  const root = mkdtempSync(join(tmpdir(), 'baocao-files-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  storageContract(() => createFsStorage(root));

  it('leaves no temp file behind a cut-off upload', async () => {
    const s = createFsStorage(root);
    await expect(s.put(cutOffStream(Buffer.alloc(10_000, 1), 5000), { mediaType: 'application/pdf', maxBytes: 1 << 20 })).rejects.toThrow(/cut off/);
    expect(readdirSync(join(root, '.incoming'))).toEqual([]);
  });
});
