// One-shot set-up of the S3 file store (docker-compose.yml's objectstore-setup service): creates the bucket
// BAOCAO_S3_BUCKET when missing. Exit 0 when the bucket is there, 1 with one line saying why not.
//
//   node dist/scripts/objectstore-setup.js      (tsx scripts/objectstore-setup.ts from the sources)
import { ensureBucket } from '../activities/files/bucket';
import { loadConfig } from '../common/config';

async function main(): Promise<void> {
  const store = loadConfig().files.store;
  if (store.kind !== 's3') {
    process.stderr.write('[objectstore-setup] BAOCAO_FILES_STORE is not s3: nothing to set up\n');
    return;
  }
  // the store may still be starting (its container healthcheck only proves the binary is there): retry 60 s
  let result: Awaited<ReturnType<typeof ensureBucket>> | undefined;
  for (let attempt = 1; !result; attempt++) {
    try {
      result = await ensureBucket(store);
    } catch (err) {
      if (attempt >= 30) throw err;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  process.stderr.write(`[objectstore-setup] bucket ${store.bucket} at ${store.endpoint}: ${result}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`[objectstore-setup] ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`);
  process.exit(1);
});
