// What CLI commands open and must close again, or the process would not exit (SQLite handle, pg pool, gRPC).
// Temporal is loaded by the commands that talk to it only (it costs the others half a second).
import type { Client } from '@temporalio/client';
import { openMigratedDatabase, type Db } from '../../activities/db/database';
import { loadConfig } from '../../common/config';
import { DEFAULT_TASK_QUEUE } from '../../workflows/ids';

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
  const { connectClient } = await import('../../common/temporal.js');
  const client = await connectClient(config);
  try {
    // the worker's rule (worker/worker.ts taskQueueOf), without loading the worker SDK to apply it
    return await run(client, config.temporal.taskQueue ?? DEFAULT_TASK_QUEUE);
  } finally {
    await client.connection.close();
  }
}
