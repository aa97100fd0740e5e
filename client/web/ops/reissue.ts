// A new personal link for a unit whose link leaked, durably: revoking every earlier link, storing the new
// token and writing the task email that carries it happen in ONE transaction, so the unit is never left without
// a working link, and the email is a queued outbox row that is delivered (and retried) like every other.
import { revokeUnitTokens, newUnitToken, storeUnitToken, unitTaskLink } from '../../../activities/access/tokens';
import { recordEvent } from '../../../activities/archive/store';
import { getUnit } from '../../../activities/directory/repository';
import type { Contact } from '../../../activities/directory/types';
import { createCampaignMailActivities } from '../../../activities/campaigns/mail';
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

/** Audits a reissue (who, how many links stopped working) and delivers its email after the response. */
async function audited(deps: WebDeps, input: Pick<ReissueInput, 'cycleId' | 'unitId' | 'by' | 'channel' | 'at'>, now: Date, key: string, revoked: number) {
  const { cycleId, unitId } = input;
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
  return audited(deps, input, now, key, revoked);
}

export interface CampaignReissueInput extends Omit<ReissueInput, 'planDueAt' | 'reportDueAt'> {
  campaignId: string;
  version: number;
  /** each phase's deadline for the unit, in the version's order (the task email lists them) */
  phases: { key: string; dueAt: string }[];
}

/**
 * A new link of a cycle of a campaign: the campaign's own task email (activities/campaigns/mail.ts, naming the
 * campaign, its document and every phase's deadline), queued with the revocation of every earlier link and the
 * new token in one transaction, as for the built-in cycles.
 */
export async function reissueCampaignUnitLink(deps: WebDeps, input: CampaignReissueInput): Promise<{ revoked: number; messageKey: string }> {
  const { cycleId, unitId } = input;
  const unit = await getUnit(deps.db, unitId);
  if (!unit) throw new WebNotFoundError(`unit ${unitId} is not in the directory / đơn vị không có trong danh bạ`);
  if (!unit.officer.email.trim()) throw new WebNotFoundError(`unit ${unitId} has no officer email in the directory: add one first / đơn vị chưa có địa chỉ thư điện tử của cán bộ`);
  const now = deps.now();
  const key = `${unitWorkflowId(cycleId, unitId)}:task:reissued:${now.toISOString()}`;
  const mail = createCampaignMailActivities({ db: deps.db, config: deps.config, now: deps.now });
  const draft = await mail.draftCampaignEmail({ kind: 'task', key, cycleId, campaignId: input.campaignId, version: input.version, asOf: input.at, unitId, phases: input.phases, closesAt: input.closesAt });
  let revoked = 0;
  await enqueueWebMail(deps, {
    ...draft,
    key,
    withRow: async (trx) => {
      revoked = (await revokeUnitTokens(trx, { cycleId, unitId }, now)).revoked;
      await draft.withRow?.(trx);
    },
  });
  return audited(deps, input, now, key, revoked);
}
