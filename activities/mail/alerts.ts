import { parseCycleId } from '../../workflows/ids';
import type { Bounce, OutboxMessage } from './outbox';
import { toOfficer, type Draft, type MailQueue } from './queue';
import { renderBounceAlert, renderUndeliverableAlert } from './templates';

// The secretariat (the officer of the cycle's root unit) is told once about every email that will not arrive:
// refused for good (bounce) or given up after the retry window (undeliverable). Each alert has its own key,
// derived from the email's, so it is written once whatever happens.

/** Suffix of the key of the bounce alert sent for the email with key K: `K:bounce-alert`. */
export const BOUNCE_ALERT_KEY_SUFFIX = ':bounce-alert';
/** Suffix of the key of the alert sent when the email with key K became undeliverable. */
export const UNDELIVERABLE_ALERT_KEY_SUFFIX = ':undeliverable-alert';

async function secretariat(q: MailQueue, row: OutboxMessage) {
  const rootId = parseCycleId(row.cycleId)?.rootId ?? '';
  const units = await q.unitsById([rootId, row.unitId]);
  return { root: q.required(units, rootId), unitName: units.get(row.unitId)?.name ?? row.unitId };
}

export async function bounceAlertDraft(q: MailQueue, row: OutboxMessage, bounces: Bounce[], at: string): Promise<Draft> {
  const { root, unitName } = await secretariat(q, row);
  return {
    purpose: 'bounce-alert',
    cycleId: row.cycleId,
    ...toOfficer(root),
    rendered: renderBounceAlert({ lang: root.language, cycleId: row.cycleId, rootName: root.name, unitName, unitId: row.unitId, originalSubject: row.subject, bounces, at }),
  };
}

export async function undeliverableAlertDraft(
  q: MailQueue,
  row: OutboxMessage,
  deferrals: Bounce[],
  window: { since: string; at: string; hours: number },
): Promise<Draft> {
  const { root, unitName } = await secretariat(q, row);
  return {
    purpose: 'undeliverable-alert',
    cycleId: row.cycleId,
    ...toOfficer(root),
    rendered: renderUndeliverableAlert({
      lang: root.language,
      cycleId: row.cycleId,
      rootName: root.name,
      unitName,
      unitId: row.unitId,
      originalSubject: row.subject,
      deferrals,
      since: window.since,
      at: window.at,
      windowHours: window.hours,
    }),
  };
}
