// A new personal link for a unit whose link leaked, durably: revoking every earlier link, storing the new
// token and writing the task email that carries it happen in ONE transaction, so the unit is never left without
// a working link, and the email is a queued outbox row that is delivered (and retried) like every other.
import { revokeUnitTokens, newUnitToken, storeUnitToken, unitTaskLink } from '../../../activities/access/tokens';
import { recordEvent } from '../../../activities/archive/store';
import { getUnit } from '../../../activities/directory/repository';
import type { Contact } from '../../../activities/directory/types';
import { renderTaskAssignment } from '../../../activities/mail/templates';
import { unitWorkflowId } from '../../../workflows/ids';
import { WebNotFoundError } from '../errors';
import { deliverAfterResponse, enqueueWebMail } from '../outbox';
import type { WebDeps } from './deps';

export interface ReissueInput {
  cycleId: string;
  unitId: string;
  planDueAt: string;
  reportDueAt: string;
  /** the new link works until then (the cycle's close) */
  closesAt: string;
  /** the unit on whose behalf it is done (its supervisor, the secretariat, or the unit itself) */
  by: string;
  channel: 'web' | 'api';
  /** calendar time, for the audit */
  at: string;
}

/** The officer, the chair in cc unless the same address; contacts without an address are left out. */
function recipients(officer: Contact, chair: Contact): { to: Contact[]; cc: Contact[] } {
  const to = officer.email.trim() ? [officer] : [];
  const cc = chair.email.trim() && chair.email.trim().toLowerCase() !== officer.email.trim().toLowerCase() ? [chair] : [];
  return { to, cc };
}

/** Revokes, mints and queues the task email in one transaction; delivers it after the response. */
export async function reissueUnitLink(deps: WebDeps, input: ReissueInput): Promise<{ revoked: number; messageKey: string }> {
  const { cycleId, unitId } = input;
  const unit = await getUnit(deps.db, unitId);
  if (!unit) throw new WebNotFoundError(`unit ${unitId} is not in the directory / đơn vị không có trong danh bạ`);
  const { to, cc } = recipients(unit.officer, unit.chair);
  if (to.length === 0) throw new WebNotFoundError(`unit ${unitId} has no officer email in the directory: add one first / đơn vị chưa có địa chỉ thư điện tử của cán bộ`);
  const now = deps.now();
  const key = `${unitWorkflowId(cycleId, unitId)}:task:reissued:${now.toISOString()}`;
  const { token, tokenHash } = newUnitToken();
  let revoked = 0;
  await enqueueWebMail(deps, {
    key,
    purpose: 'task-assignment',
    cycleId,
    unitId,
    to,
    cc,
    rendered: renderTaskAssignment({
      lang: unit.language,
      cycleId,
      unitName: unit.name,
      officerName: unit.officer.name,
      planDueAt: input.planDueAt,
      reportDueAt: input.reportDueAt,
      closesAt: input.closesAt,
      link: unitTaskLink(deps.config.web.publicUrl, token),
    }),
    secrets: [token],
    withRow: async (trx) => {
      revoked = (await revokeUnitTokens(trx, { cycleId, unitId }, now)).revoked;
      await storeUnitToken(trx, tokenHash, { cycleId, unitId, expiresAt: input.closesAt }, now);
    },
  });
  await recordEvent(deps.db, {
    key: `${unitWorkflowId(cycleId, unitId)}:link-reissued:${now.toISOString()}`,
    cycleId,
    unitId,
    kind: 'link-reissued',
    actor: input.by,
    channel: input.channel,
    at: input.at,
    data: { revoked },
  });
  deliverAfterResponse(deps, key);
  return { revoked, messageKey: key };
}
