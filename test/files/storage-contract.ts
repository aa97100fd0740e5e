// The behaviour every driver of activities/files/storage.ts must have, run against the filesystem store and
// against the S3 driver on a real S3-compatible server (storage-s3.test.ts).
import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { FileRejectedError } from '../../activities/files/errors';
import type { FileStorage } from '../../activities/files/storage';
import { samplePdf } from './samples';
import { bytesStream, cutOffStream, readAll } from './support';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export function storageContract(open: () => FileStorage): void {
  it('puts a stream under its SHA-256 and gives the same bytes back', async () => {
    const s = open();
    const pdf = await samplePdf();
    const stored = await s.put(bytesStream(pdf, 1000), { mediaType: 'application/pdf', maxBytes: 1024 * 1024 });
    expect(stored).toEqual({ id: sha(pdf), sha256: sha(pdf), size: pdf.length, mediaType: 'application/pdf' });
    expect(await s.head(stored.id)).toMatchObject({ size: pdf.length });
    expect((await readAll((await s.get(stored.id))!)).equals(pdf)).toBe(true);
  });

  it('streams a file larger than one multipart part (6 MiB) intact', async () => {
    const s = open();
    const big = Buffer.alloc(6 * 1024 * 1024 + 123);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i);
    const stored = await s.put(bytesStream(big), { mediaType: 'application/pdf', maxBytes: 20 * 1024 * 1024 });
    expect(stored.size).toBe(big.length);
    expect(sha(await readAll((await s.get(stored.id))!))).toBe(sha(big));
  });

  it('stores nothing when the stream is cut off midway or runs past the limit', async () => {
    const s = open();
    const pdf = Buffer.concat([await samplePdf('cut off'), Buffer.alloc(200_000, 7)]);
    const before = await s.listOlderThan('9999-01-01T00:00:00.000Z');
    await expect(s.put(cutOffStream(pdf, 100_000), { mediaType: 'application/pdf', maxBytes: 1024 * 1024 })).rejects.toMatchObject({ reason: 'incomplete' });
    await expect(s.put(bytesStream(pdf), { mediaType: 'application/pdf', maxBytes: 150_000 })).rejects.toBeInstanceOf(FileRejectedError);
    expect(await s.listOlderThan('9999-01-01T00:00:00.000Z')).toEqual(before);
    expect(await s.head(sha(pdf))).toBeUndefined();
    // nothing half-written is left for the clean-up either
    expect(await s.removeAbandonedUploads('9999-01-01T00:00:00.000Z')).toBe(0);
  });

  it('lists objects by age, deletes one, and a missing id is undefined, not an error', async () => {
    const s = open();
    const a = await s.put(bytesStream(await samplePdf('a')), { mediaType: 'application/pdf', maxBytes: 1 << 20 });
    expect(await s.listOlderThan('2000-01-01T00:00:00.000Z')).not.toContain(a.id);
    expect(await s.listOlderThan(new Date(Date.now() + 60_000).toISOString())).toContain(a.id);
    await s.delete(a.id);
    expect(await s.head(a.id)).toBeUndefined();
    expect(await s.get(a.id)).toBeUndefined();
    await s.delete(a.id); // twice is fine
    expect(await s.get('not-an-id')).toBeUndefined();
  });
}
