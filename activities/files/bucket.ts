// Creates the S3 bucket of the file store when it is missing: the one-shot `objectstore-setup` service of
// docker-compose.yml runs it (scripts/objectstore-setup.ts) before the worker and the web app start.
import { CreateBucketCommand, HeadBucketCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { S3StoreConfig } from '../../common/config';

export async function ensureBucket(config: S3StoreConfig): Promise<'exists' | 'created'> {
  const client = new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
  });
  try {
    try {
      await client.send(new HeadBucketCommand({ Bucket: config.bucket }));
      return 'exists';
    } catch (err) {
      if (!(err instanceof S3ServiceException) || err.$metadata.httpStatusCode !== 404) throw err;
    }
    await client.send(new CreateBucketCommand({ Bucket: config.bucket }));
    return 'created';
  } finally {
    client.destroy();
  }
}
