// What every operation of the web app works with (the deps buildWebApp assembles) and the helpers they share:
// reads bounded in time, a concurrency-limited map, calendar "now", unit names.
import type { Client } from '@temporalio/client';
import type { Transporter } from 'nodemailer';
import type { DeadlinePlan } from '../../../activities/calendar/types';
import type { Db } from '../../../activities/db/database';
import { getUnits } from '../../../activities/directory/repository';
import type { Unit } from '../../../activities/directory/types';
import type { Config } from '../../../common/config';
import { toCalendarIso } from '../../../workflows/timeline';
import type { BackgroundTasks } from '../background';
import type { CycleTrees } from '../tree';

export interface WebDeps {
  config: Config;
  db: Db;
  client: Client;
  taskQueue: string;
  mailer: Transporter<unknown>;
  trees: CycleTrees;
  now: () => Date;
  /** work done after the response (sending the web app's emails) */
  background: BackgroundTasks;
}

/** Rows per page in unit tables. */
export const PAGE_SIZE = 50;
/** Workflow queries in flight at once for one page. */
export const QUERY_CONCURRENCY = 8;
/**
 * Pages read the workflows' state with queries; if the engine is unreachable the page says so (503) after this
 * long instead of hanging. Submissions and reviews (updates) get no such limit: they may wait on email.
 */
const READ_DEADLINE_MS = 10_000;

export function reading<T>(deps: WebDeps, read: () => Promise<T>): Promise<T> {
  return deps.client.withDeadline(Date.now() + READ_DEADLINE_MS, read);
}

/** The cycle list shows each cycle's phase only if the engine answers quickly: the list must not hang on it. */
export const LIST_STATUS_DEADLINE_MS = 2_000;

export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * "Now" in calendar time, what deadlines are compared with: the clock itself for a real cycle, the compressed
 * calendar for a rehearsal. (A query's `asOf` is the time of the workflow's last step, not now.)
 */
export function calendarNow(deps: WebDeps, plan: DeadlinePlan | null | undefined): string {
  return toCalendarIso(deps.now().getTime(), plan?.timeline ?? { kind: 'real' });
}

export async function namesOf(db: Db, ids: readonly string[]): Promise<Map<string, Unit>> {
  const units = await getUnits(db, ids);
  return new Map(units.map((u) => [u.id, u]));
}
