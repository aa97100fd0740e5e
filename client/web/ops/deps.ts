// What every operation of the web app works with (the deps buildWebApp assembles) and the helpers they share:
// reads bounded in time, a concurrency-limited map, calendar "now", unit names.
import type { Client } from '@temporalio/client';
import type { Transporter } from 'nodemailer';
import type { DeadlinePlan } from '../../../activities/calendar/types';
import { subtreeCommendations } from '../../../activities/archive/subtree';
import { listUndelivered, type UndeliveredMail } from '../../../activities/mail/outbox';
import type { Aggregate } from '../../../workflows/aggregate-types';
import type { Db } from '../../../activities/db/database';
import { getUnits } from '../../../activities/directory/repository';
import type { Unit } from '../../../activities/directory/types';
import type { Config } from '../../../common/config';
import { toCalendarIso } from '../../../workflows/timeline';
import type { BackgroundTasks } from '../background';
import type { CycleTree, CycleTrees } from '../tree';

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

/** Shown on a page: rollups count proposals only, so the list of those below is read from the archive. */
const PAGE_COMMENDATIONS = 200;

/** The aggregate with the proposals below listed (read from the archive when the rollup only counts them). */
export async function withCommendations(db: Db, aggregate: Aggregate): Promise<Aggregate> {
  const c = aggregate.below.commendations;
  if (c.items !== undefined || c.total === 0) return aggregate;
  const listed = await subtreeCommendations(db, { cycleId: aggregate.cycleId, unitId: aggregate.unitId, asOf: aggregate.asOf, limit: PAGE_COMMENDATIONS });
  return { ...aggregate, below: { ...aggregate.below, commendations: { total: c.total, items: listed.items } } };
}

/** The cycle's emails that will not arrive, for the units of the focus's subtree. */
export async function undeliveredBelow(db: Db, tree: CycleTree, cycleId: string, focusId: string): Promise<UndeliveredMail[]> {
  return (await listUndelivered(db, cycleId)).filter((u) => tree.node(u.unitId) && tree.pathToRoot(u.unitId).includes(focusId));
}
