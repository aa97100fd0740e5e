import { DateTime } from 'luxon';
import type { Transporter } from 'nodemailer';
import { z } from 'zod';
import type { Config } from '../../common/config';
import { parseCycleId } from '../../workflows/ids';
import { newUnitToken, storeUnitToken, unitTaskLink } from '../access/tokens';
import type { Db } from '../db/database';
import { aggregateByKey } from '../archive/aggregates';
import { subtreeCommendations } from '../archive/subtree';
import { buildAggregateDocument } from '../documents/aggregate-document';
import { DocumentTooLargeError } from '../documents/errors';
import { getUnits } from '../directory/repository';
import type { Contact, Unit } from '../directory/types';
import { composeMessage, envelopeRecipients, type MailAttachment } from './compose';
import { MailInputError } from './errors';
import { createOutboxMessage, deliverOutboxMessage, findOutboxMessage, outboxMessageId, type OutboxMessage } from './outbox';
import { redactTaskLinks, TASK_LINK_PURPOSES, unfoldSoftBreaks } from './redact';
import {
  aggregateUpwardInput,
  escalationDigestInput,
  lateSubmissionInput,
  overdueNoticeInput,
  reminderInput,
  reviewResultInput,
  taskAssignmentInput,
  type AggregateUpwardInput,
  type EscalationDigestInput,
  type LateSubmissionInput,
  type OverdueNoticeInput,
  type ReminderInput,
  type ReviewResultInput,
  type TaskAssignmentInput,
} from './schemas';
import {
  DISPLAY_TIME_ZONE,
  renderAggregateUpward,
  renderBounceAlert,
  renderEscalationDigest,
  renderLateSubmissionNotice,
  renderOverdueNotice,
  renderReminder,
  renderReviewResult,
  renderTaskAssignment,
  type RenderedMail,
} from './templates';
import { senderAddress } from './transport';

export const MAIL_PURPOSES = [
  'task-assignment',
  'reminder',
  'overdue-notice',
  'escalation-digest',
  'late-submission',
  'review-result',
  'aggregate-upward',
  'bounce-alert',
] as const;
export type MailPurpose = (typeof MAIL_PURPOSES)[number];

/** Suffix of the key of the bounce alert sent for the email with key K: `K:bounce-alert`. */
export const BOUNCE_ALERT_KEY_SUFFIX = ':bounce-alert';

/** What every mail activity returns (JSON-safe). */
export interface SendResult {
  /** `already-sent`: the key was delivered by an earlier attempt or replay, nothing was sent now */
  status: 'sent' | 'already-sent' | 'bounced';
  /** the Message-ID header, angle brackets included; the same for every attempt with the same key */
  messageId: string;
  /** addresses whose server accepted the email */
  recipients: string[];
  /** addresses refused for good (5xx): recorded in mail_bounces and reported to the secretariat */
  bounced: string[];
}

export interface MailActivityDeps {
  mailer: Transporter<unknown>;
  db: Db;
  config: Pick<Config, 'mail' | 'web'>;
  /** the wall clock (Date header, "time left" in reminders); tests pass a fixed one */
  now?: () => Date;
}

interface Draft {
  purpose: MailPurpose;
  cycleId: string;
  /** the unit whose directory entry holds the addresses: bounces are recorded on it */
  unitId: string;
  to: Contact[];
  cc: Contact[];
  rendered: RenderedMail;
  attachments?: MailAttachment[];
  /** runs in the transaction that creates the outbox row, only then */
  withRow?: (trx: Db) => Promise<void>;
  /** task-link tokens in the message: its stored copy must lose them once settled */
  secrets?: string[];
}

function parse<S extends z.ZodType>(schema: S, input: unknown, activity: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new MailInputError(`${activity}: invalid input:\n${z.prettifyError(result.error)}`, { cause: result.error });
  return result.data;
}

/** Contacts without an address are skipped; the same address twice is kept once. */
function contacts(list: Contact[], exclude: Contact[] = []): Contact[] {
  const seen = new Set(exclude.map((c) => c.email.toLowerCase()));
  return list.filter((c) => {
    const email = c.email.trim().toLowerCase();
    if (!email || seen.has(email)) return false;
    seen.add(email);
    return true;
  });
}

/**
 * The mail activities. Each takes one JSON-safe object with a caller-chosen `key` (one key per email:
 * workflow id + purpose + round) and sends that email at most once per key, whatever the retries and replays
 * (docs/EMAIL.md).
 */
export function createMailActivities(deps: MailActivityDeps) {
  const { db, mailer, config } = deps;
  const now = deps.now ?? (() => new Date());
  const sender = senderAddress(config.mail.from);

  async function unitsById(ids: readonly string[]): Promise<Map<string, Unit>> {
    const asOf = DateTime.fromJSDate(now()).setZone(DISPLAY_TIME_ZONE).toISODate() ?? undefined;
    return new Map((await getUnits(db, ids, asOf)).map((u) => [u.id, u]));
  }

  function required(units: Map<string, Unit>, id: string): Unit {
    const u = units.get(id);
    if (!u) throw new MailInputError(`Unit ${id} is not in the unit directory: import it (baocao units import) or correct the id.`);
    if (!u.officer.email.trim()) throw new MailInputError(`Unit ${id} (${u.name}) has no officer email in the directory: add one and retry.`);
    return u;
  }

  async function unit(id: string): Promise<Unit> {
    return required(await unitsById([id]), id);
  }

  async function store(key: string, draft: Draft): Promise<OutboxMessage> {
    const messageId = outboxMessageId(key, sender.domain);
    const to = contacts(draft.to);
    const cc = contacts(draft.cc, to);
    if (to.length === 0) throw new MailInputError(`Email ${key} has no recipient with an address: complete the unit directory.`);
    const raw = await composeMessage({
      from: config.mail.from,
      replyTo: config.mail.replyTo,
      to,
      cc,
      rendered: draft.rendered,
      messageId,
      date: now(),
      attachments: draft.attachments,
    });
    // Before the row (and the token with it) exists: a link the settled-row redaction could not find would
    // stay in the database for good.
    if (draft.secrets?.length) {
      const redacted = unfoldSoftBreaks(redactTaskLinks(raw));
      if (!TASK_LINK_PURPOSES.has(draft.purpose) || draft.secrets.some((secret) => redacted.includes(secret))) {
        throw new Error(`Email ${key}: its task link cannot be redacted once sent (purpose ${draft.purpose}); nothing was stored or sent.`);
      }
    }
    return createOutboxMessage(
      db,
      {
        key,
        messageId,
        purpose: draft.purpose,
        cycleId: draft.cycleId,
        unitId: draft.unitId,
        envelopeFrom: sender.address,
        recipients: envelopeRecipients(to, cc),
        subject: draft.rendered.subject,
        raw,
      },
      now(),
      draft.withRow,
    );
  }

  /** Renders only on the first attempt: later attempts find the stored row and re-send its bytes. */
  async function sendOnce(key: string, draft: () => Promise<Draft>): Promise<SendResult> {
    const row = (await findOutboxMessage(db, key)) ?? (await store(key, await draft()));
    const delivery = await deliverOutboxMessage({ db, mailer, now }, row);
    // Checked on every attempt (the alert has its own key): a crash right after the bounce was recorded
    // still gets the secretariat told on the retry.
    if (delivery.bounced.length > 0 && row.purpose !== 'bounce-alert') await alertBounces(key);
    return { status: delivery.status, messageId: delivery.messageId, recipients: delivery.recipients, bounced: delivery.bounced };
  }

  /** Tells the cycle root's officer (the secretariat) which addresses of which unit were refused. */
  async function alertBounces(key: string): Promise<void> {
    const row = await findOutboxMessage(db, key);
    if (!row || row.rejected.length === 0) return;
    const rootId = parseCycleId(row.cycleId)?.rootId ?? '';
    await sendOnce(`${key}${BOUNCE_ALERT_KEY_SUFFIX}`, async () => {
      const units = await unitsById([rootId, row.unitId]);
      const root = required(units, rootId);
      return {
        purpose: 'bounce-alert',
        cycleId: row.cycleId,
        unitId: root.id,
        to: [root.officer],
        cc: [],
        rendered: renderBounceAlert({
          lang: root.language,
          cycleId: row.cycleId,
          rootName: root.name,
          unitName: units.get(row.unitId)?.name ?? row.unitId,
          unitId: row.unitId,
          originalSubject: row.subject,
          bounces: row.rejected,
          at: now().toISOString(),
        }),
      };
    });
  }

  return {
    /** The task email to a unit's officer (chair in cc) with the unit's personal link, minted with the outbox row. */
    async sendTaskAssignment(input: TaskAssignmentInput): Promise<SendResult> {
      const i = parse(taskAssignmentInput, input, 'sendTaskAssignment');
      if (parseCycleId(i.cycleId)?.year !== i.year) throw new MailInputError(`sendTaskAssignment: year ${i.year} is not the year of cycle ${i.cycleId}.`);
      return sendOnce(i.key, async () => {
        const u = await unit(i.unitId);
        const { token, tokenHash } = newUnitToken();
        return {
          purpose: 'task-assignment',
          cycleId: i.cycleId,
          unitId: u.id,
          to: [u.officer],
          cc: [u.chair],
          rendered: renderTaskAssignment({
            lang: u.language,
            cycleId: i.cycleId,
            unitName: u.name,
            officerName: u.officer.name,
            planDueAt: i.planDueAt,
            reportDueAt: i.reportDueAt,
            closesAt: i.closesAt,
            link: unitTaskLink(config.web.publicUrl, token),
          }),
          withRow: (trx) => storeUnitToken(trx, tokenHash, { cycleId: i.cycleId, unitId: u.id, expiresAt: i.closesAt }, now()),
          secrets: [token],
        };
      });
    },

    /** A reminder before a deadline, to the unit's officer. */
    async sendReminder(input: ReminderInput): Promise<SendResult> {
      const i = parse(reminderInput, input, 'sendReminder');
      return sendOnce(i.key, async () => {
        const u = await unit(i.unitId);
        return {
          purpose: 'reminder',
          cycleId: i.cycleId,
          unitId: u.id,
          to: [u.officer],
          cc: [],
          rendered: renderReminder({
            lang: u.language,
            cycleId: i.cycleId,
            unitName: u.name,
            officerName: u.officer.name,
            phase: i.phase,
            dueAt: i.dueAt,
            reminderNumber: i.reminderNumber,
            asOf: now().toISOString(),
          }),
        };
      });
    },

    /** The deadline passed without a submission: tell the unit (officer, chair in cc). */
    async sendOverdueNotice(input: OverdueNoticeInput): Promise<SendResult> {
      const i = parse(overdueNoticeInput, input, 'sendOverdueNotice');
      return sendOnce(i.key, async () => {
        const u = await unit(i.unitId);
        return {
          purpose: 'overdue-notice',
          cycleId: i.cycleId,
          unitId: u.id,
          to: [u.officer],
          cc: [u.chair],
          rendered: renderOverdueNotice({
            lang: u.language,
            cycleId: i.cycleId,
            unitName: u.name,
            officerName: u.officer.name,
            phase: i.phase,
            dueAt: i.dueAt,
            asOf: now().toISOString(),
          }),
        };
      });
    },

    /** One email per supervisor per escalation round listing all its overdue units; chair in cc once it climbed. */
    async sendEscalationDigest(input: EscalationDigestInput): Promise<SendResult> {
      const i = parse(escalationDigestInput, input, 'sendEscalationDigest');
      return sendOnce(i.key, async () => {
        const units = await unitsById([i.recipientUnitId, i.supervisorUnitId, ...i.units.map((u) => u.unitId)]);
        const recipient = required(units, i.recipientUnitId);
        return {
          purpose: 'escalation-digest',
          cycleId: i.cycleId,
          unitId: recipient.id,
          to: [recipient.officer],
          cc: i.climbed ? [recipient.chair] : [],
          rendered: renderEscalationDigest({
            lang: recipient.language,
            cycleId: i.cycleId,
            recipientName: recipient.name,
            recipientOfficerName: recipient.officer.name,
            supervisorName: units.get(i.supervisorUnitId)?.name ?? i.supervisorUnitId,
            climbed: i.climbed,
            phase: i.phase,
            round: i.round,
            asOf: i.asOf,
            units: i.units.map((u) => ({ name: units.get(u.unitId)?.name ?? u.unitId, dueAt: u.dueAt, remindersSent: u.remindersSent })),
          }),
        };
      });
    },

    /** A unit submitted after its deadline: tell its supervisor's officer. */
    async sendLateSubmissionNotice(input: LateSubmissionInput): Promise<SendResult> {
      const i = parse(lateSubmissionInput, input, 'sendLateSubmissionNotice');
      return sendOnce(i.key, async () => {
        const units = await unitsById([i.supervisorUnitId, i.unitId]);
        const supervisor = required(units, i.supervisorUnitId);
        return {
          purpose: 'late-submission',
          cycleId: i.cycleId,
          unitId: supervisor.id,
          to: [supervisor.officer],
          cc: [],
          rendered: renderLateSubmissionNotice({
            lang: supervisor.language,
            cycleId: i.cycleId,
            supervisorName: supervisor.name,
            unitName: units.get(i.unitId)?.name ?? i.unitId,
            phase: i.phase,
            dueAt: i.dueAt,
            submittedAt: i.submittedAt,
          }),
        };
      });
    },

    /** The supervisor accepted the plan/report or returned it with a comment. */
    async sendReviewResult(input: ReviewResultInput): Promise<SendResult> {
      const i = parse(reviewResultInput, input, 'sendReviewResult');
      return sendOnce(i.key, async () => {
        const u = await unit(i.unitId);
        return {
          purpose: 'review-result',
          cycleId: i.cycleId,
          unitId: u.id,
          to: [u.officer],
          cc: [],
          rendered: renderReviewResult({
            lang: u.language,
            cycleId: i.cycleId,
            unitName: u.name,
            officerName: u.officer.name,
            phase: i.phase,
            decision: i.decision,
            comment: i.comment,
          }),
        };
      });
    },

    /**
     * A unit's aggregate to its distribution list ("Nơi nhận"), its officer in cc. A unit without a
     * distribution list gets it at its officer only.
     */
    async sendAggregateUpward(input: AggregateUpwardInput): Promise<SendResult> {
      const i = parse(aggregateUpwardInput, input, 'sendAggregateUpward');
      // by reference (today's workflows): the archived aggregate, its proposals and its DOCX are read here
      const recorded = i.aggregate ? undefined : await aggregateByKey(db, i.aggregateKey!);
      const a = i.aggregate ?? recorded?.aggregate;
      if (!a) throw new MailInputError(`sendAggregateUpward: no aggregate is archived under ${i.aggregateKey}; record it first (recordAggregate).`);
      if (a.cycleId !== i.cycleId || (i.unitId !== undefined && a.unitId !== i.unitId))
        throw new MailInputError(`sendAggregateUpward: the aggregate is of ${a.cycleId}/${a.unitId}, not ${i.cycleId}/${i.unitId ?? a.unitId}.`);
      return sendOnce(i.key, async () => {
        let attachments = i.attachments;
        let commendations = a.below.commendations;
        if (recorded) {
          commendations = await subtreeCommendations(db, { cycleId: a.cycleId, unitId: a.unitId, asOf: a.asOf });
          try {
            attachments = [await buildAggregateDocument(db, { cycleId: a.cycleId, unitId: a.unitId, aggregate: a, final: i.final })];
          } catch (err) {
            // a report too large to attach still goes out as figures; the document stays downloadable
            if (!(err instanceof DocumentTooLargeError)) throw err;
          }
        }
        const listed = [a.below.plan, a.below.report].flatMap((r) => [...r.submittedOnTime.ids, ...r.submittedLate.ids, ...r.notSubmitted.ids]);
        const units = await unitsById([a.unitId, ...listed, ...(commendations.items ?? []).map((c) => c.unitId)]);
        const u = required(units, a.unitId);
        const distribution = contacts(u.distribution);
        return {
          purpose: 'aggregate-upward',
          cycleId: i.cycleId,
          unitId: u.id,
          to: distribution.length > 0 ? distribution : [u.officer],
          cc: distribution.length > 0 ? [u.officer] : [],
          rendered: renderAggregateUpward({
            lang: u.language,
            unitName: u.name,
            recipientNames: distribution.map((c) => c.name),
            final: i.final,
            aggregate: { ...a, below: { ...a.below, commendations } },
            unitNames: Object.fromEntries([...units.values()].map((x) => [x.id, x.name])),
          }),
          attachments,
        };
      });
    },
  };
}

export type MailActivities = ReturnType<typeof createMailActivities>;
export { listBounces, type BounceRecord } from './outbox';
export { MailInputError, MailTransientError, NON_RETRYABLE_MAIL_ERRORS } from './errors';
