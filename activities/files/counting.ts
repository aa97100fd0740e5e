// A pass-through stream that hashes and counts what flows through it and stops past a byte limit: every driver
// of storage.ts puts through one, so the SHA-256, the size and the limit are computed the same way everywhere.
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { fileTooLarge } from './errors';

export class HashingLimiter extends Transform {
  private readonly hash = createHash('sha256');
  /** not `size`: lib-storage reads a body's `size` as its length */
  bytes = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(fileTooLarge(this.maxBytes));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  /** the hex SHA-256 of everything that passed (call once, after the stream ended) */
  digest(): string {
    return this.hash.digest('hex');
  }
}
