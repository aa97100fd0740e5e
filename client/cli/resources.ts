// What CLI commands open and must close again, or the process would not exit (SQLite handle, pg pool, gRPC).
import type { Client } from '@temporalio/client';
import { openMigratedDatabase, type Db } from '../../activities/db/database';
import { loadConfig } from '../../common/config';
import { connectClient } from '../../common/temporal';
import { taskQueueOf } from '../../worker/worker';

export async function withDatabase<T>(run: (db: Db) => Promise<T>): Promise<T> {
  const db = await openMigratedDatabase(loadConfig().database);
  try {
    return await run(db);
  } finally {
    await db.destroy();
  }
}

export async function withTemporal<T>(run: (client: Client, taskQueue: string) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const client = await connectClient(config);
  try {
    return await run(client, taskQueueOf(config));
  } finally {
    await client.connection.close();
  }
}
