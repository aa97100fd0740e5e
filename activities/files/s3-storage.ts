// The production store: an S3-compatible object store (MinIO, Ceph RGW, Garage, AWS S3 …). Objects are keyed
// <prefix>objects/<sha256>. A put streams the bytes (multipart past 5 MiB, so a 20 MB scan is never held in
// memory) to <prefix>incoming/<uuid> while hashing them, then copies that to its final key and deletes it: the
// final key holds complete objects only, and an upload cut off midway is aborted (lib-storage aborts the
// multipart upload) or, after a crash, swept by removeAbandonedUploads.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { HashingLimiter } from './counting';
import { FileRejectedError, FileStoreError, uploadCutOff } from './errors';
import type { S3StoreConfig } from '../../common/config';
import { isObjectId, type FileStorage, type ObjectHead, type PutOptions, type StoredObject } from './storage';

function notFound(err: unknown): boolean {
  return err instanceof S3ServiceException && (err.$metadata.httpStatusCode === 404 || err.name === 'NotFound' || err.name === 'NoSuchKey');
}

function storeError(what: string, config: S3StoreConfig, err: unknown): FileStoreError {
  const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new FileStoreError(
    `Kho tệp S3 không thực hiện được (${what}) / The S3 object store failed to ${what} (bucket ${config.bucket} at ${config.endpoint}): ${detail}. ` +
      'Check BAOCAO_S3_ENDPOINT, BAOCAO_S3_BUCKET and the credentials, and that the store is up.',
    { cause: err },
  );
}

export function createS3Storage(config: S3StoreConfig): FileStorage {
  const client = new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    // checksums only where the API demands them: not every S3-compatible store knows the newer CRC headers
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
  const Bucket = config.bucket;
  const objectKey = (id: string) => `${config.prefix}objects/${id}`;
  const incomingPrefix = `${config.prefix}incoming/`;

  async function* listKeys(Prefix: string) {
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix, ContinuationToken }));
      for (const o of page.Contents ?? []) if (o.Key && o.LastModified) yield { key: o.Key, lastModified: o.LastModified };
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  return {
    kind: 's3',

    async put(source: Readable, { mediaType, maxBytes }: PutOptions): Promise<StoredObject> {
      const counter = new HashingLimiter(maxBytes);
      const staging = `${incomingPrefix}${randomUUID()}`;
      // the source's error (cut off, too large) reaches the upload through the counter
      source.on('error', (err) => counter.destroy(err));
      const body = source.pipe(counter);
      const upload = new Upload({ client, params: { Bucket, Key: staging, Body: body, ContentType: mediaType }, leavePartsOnError: false });
      try {
        await upload.done();
      } catch (err) {
        await client.send(new DeleteObjectCommand({ Bucket, Key: staging })).catch(() => {});
        const cause = counter.errored ?? err;
        if (cause instanceof FileRejectedError) throw cause;
        if (source.readableAborted || counter.errored) throw uploadCutOff(cause);
        throw storeError('store the upload', config, err);
      }
      if (source.readableAborted || !source.readableEnded) {
        await client.send(new DeleteObjectCommand({ Bucket, Key: staging })).catch(() => {});
        throw uploadCutOff();
      }
      const sha256 = counter.digest();
      try {
        await client.send(
          new CopyObjectCommand({
            Bucket,
            Key: objectKey(sha256),
            CopySource: `${Bucket}/${staging.split('/').map(encodeURIComponent).join('/')}`,
            ContentType: mediaType,
            MetadataDirective: 'REPLACE',
          }),
        );
      } catch (err) {
        throw storeError('store the upload', config, err);
      } finally {
        await client.send(new DeleteObjectCommand({ Bucket, Key: staging })).catch(() => {});
      }
      return { id: sha256, sha256, size: counter.bytes, mediaType };
    },

    async get(id: string): Promise<Readable | undefined> {
      if (!isObjectId(id)) return undefined;
      try {
        const out = await client.send(new GetObjectCommand({ Bucket, Key: objectKey(id) }));
        return out.Body instanceof Readable ? out.Body : undefined;
      } catch (err) {
        if (notFound(err)) return undefined;
        throw storeError('read a file', config, err);
      }
    },

    async head(id: string): Promise<ObjectHead | undefined> {
      if (!isObjectId(id)) return undefined;
      try {
        const out = await client.send(new HeadObjectCommand({ Bucket, Key: objectKey(id) }));
        return { size: Number(out.ContentLength ?? 0), storedAt: (out.LastModified ?? new Date(0)).toISOString() };
      } catch (err) {
        if (notFound(err)) return undefined;
        throw storeError('look up a file', config, err);
      }
    },

    async delete(id: string): Promise<void> {
      if (!isObjectId(id)) return;
      try {
        await client.send(new DeleteObjectCommand({ Bucket, Key: objectKey(id) }));
      } catch (err) {
        if (!notFound(err)) throw storeError('delete a file', config, err);
      }
    },

    async listOlderThan(cutoff: string): Promise<string[]> {
      const limit = Date.parse(cutoff);
      const ids: string[] = [];
      const prefix = objectKey('');
      try {
        for await (const o of listKeys(prefix)) {
          const id = o.key.slice(prefix.length);
          if (isObjectId(id) && o.lastModified.getTime() < limit) ids.push(id);
        }
      } catch (err) {
        throw storeError('list files', config, err);
      }
      return ids.sort();
    },

    async removeAbandonedUploads(cutoff: string): Promise<number> {
      const limit = Date.parse(cutoff);
      let removed = 0;
      try {
        for await (const o of listKeys(incomingPrefix)) {
          if (o.lastModified.getTime() >= limit) continue;
          await client.send(new DeleteObjectCommand({ Bucket, Key: o.key }));
          removed++;
        }
        let KeyMarker: string | undefined;
        let UploadIdMarker: string | undefined;
        do {
          // no Prefix: MinIO lists a prefix's uploads only for a whole object name, so filter here
          const page = await client.send(new ListMultipartUploadsCommand({ Bucket, KeyMarker, UploadIdMarker }));
          for (const u of page.Uploads ?? []) {
            if (!u.Key?.startsWith(incomingPrefix) || !u.UploadId || !u.Initiated || u.Initiated.getTime() >= limit) continue;
            await client.send(new AbortMultipartUploadCommand({ Bucket, Key: u.Key, UploadId: u.UploadId }));
            removed++;
          }
          KeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
          UploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
        } while (KeyMarker);
      } catch (err) {
        throw storeError('remove abandoned uploads', config, err);
      }
      return removed;
    },

    async close(): Promise<void> {
      client.destroy();
    },
  };
}
