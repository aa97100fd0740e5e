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
import { MailInputError } from './errors';
import { cycleMailFacts, mintedDocumentPointer, taskDocumentPointer } from './issuing';
import { contacts, createMailQueue, toOfficer, toOfficerAndChair, type QueuedMail } from './queue';
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
  renderAggregateUpward,
  renderEscalationDigest,
  renderLateSubmissionNotice,
  renderOverdueNotice,
  renderReminder,
  renderReviewResult,
  renderTaskAssignment,
} from './templates';

export { MAIL_PURPOSES, type MailPurpose, type QueuedMail } from './queue';

export interface MailActivityDeps {
  /** unused by the activities since they only queue (kept so every caller wires mail the same way) */
  mailer?: Transporter<unknown>;
  db: Db;
  config: Pick<Config, 'mail' | 'web'>;
  /** the wall clock (Date header, "time left" when the input has no asOf); tests pass a fixed one */
  now?: () => Date;
  /** called when a new email is queued: the worker's dispatcher delivers it at once */
  onQueued?: () => void;
}

function parse<S extends z.ZodType>(schema: S, input: unknown, activity: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new MailInputError(`${activity}: invalid input:\n${z.prettifyError(result.error)}`, { cause: result.error });
  return result.data;
}

/**
 * The mail activities. Each takes one JSON-safe object with a caller-chosen `key` (one key per email:
 * workflow id + purpose + round), composes that email once per key, writes it to the outbox and returns at
 * once: no SMTP on the workflow's path. The dispatcher (dispatcher.ts) delivers it (docs/EMAIL.md).
 */
export function createMailActivities(deps: MailActivityDeps) {
  const { db, config } = deps;
  const now = deps.now ?? (() => new Date());
  const { queue, unitsById, required } = createMailQueue({ db, config, now, onQueued: deps.onQueued });
  const asOfOr = (asOf: string | undefined) => asOf ?? now().toISOString();

  async function unit(id: string) {
    return required(await unitsById([id]), id);
  }

  return {
    /** The task email to a unit's officer (chair in cc) with the unit's personal link, minted with the outbox row. */
    async sendTaskAssignment(input: TaskAssignmentInput): Promise<QueuedMail> {
      const i = parse(taskAssignmentInput, input, 'sendTaskAssignment');
      if (parseCycleId(i.cycleId)?.year !== i.year) throw new MailInputError(`sendTaskAssignment: year ${i.year} is not the year of cycle ${i.cycleId}.`);
      return queue(i.key, async () => {
        const u = await unit(i.unitId);
        const { token, tokenHash } = newUnitToken();
        const facts = await cycleMailFacts(db, i.cycleId);
        const link = unitTaskLink(config.web.publicUrl, token);
        return {
          purpose: 'task-assignment',
          cycleId: i.cycleId,
          ...toOfficerAndChair(u),
          rendered: renderTaskAssignment({
            lang: u.language,
            cycleId: i.cycleId,
            unitName: u.name,
            officerName: u.officer.name,
            planDueAt: i.planDueAt,
            reportDueAt: i.reportDueAt,
            closesAt: i.closesAt,
            link,
            title: facts.title,
            document: taskDocumentPointer(facts, link),
          }),
          withRow: (trx) => storeUnitToken(trx, tokenHash, { cycleId: i.cycleId, unitId: u.id, expiresAt: i.closesAt }, now()),
          secrets: [token],
        };
      });
    },

    /** A reminder before a deadline, to the unit's officer. */
    async sendReminder(input: ReminderInput): Promise<QueuedMail> {
      const i = parse(reminderInput, input, 'sendReminder');
      return queue(i.key, async () => {
        const u = await unit(i.unitId);
        const facts = await cycleMailFacts(db, i.cycleId);
        const doc = mintedDocumentPointer(facts, config.web.publicUrl);
        return {
          purpose: 'reminder',
          cycleId: i.cycleId,
          ...toOfficer(u),
          phase: i.phase,
          staleCheck: { kind: 'reminder', unitId: u.id, phase: i.phase, dueAt: i.dueAt },
          rendered: renderReminder({
            lang: u.language,
            cycleId: i.cycleId,
            unitName: u.name,
            officerName: u.officer.name,
            phase: i.phase,
            dueAt: i.dueAt,
            reminderNumber: i.reminderNumber,
            asOf: asOfOr(i.asOf),
            phaseName: facts.phaseName(i.phase),
            document: doc.pointer,
          }),
          withRow: (trx) => doc.store(trx, { cycleId: i.cycleId, unitId: u.id }, now()),
          secrets: [doc.token],
        };
      });
    },

    /** The deadline passed without a submission: tell the unit (officer, chair in cc). */
    async sendOverdueNotice(input: OverdueNoticeInput): Promise<QueuedMail> {
      const i = parse(overdueNoticeInput, input, 'sendOverdueNotice');
      return queue(i.key, async () => {
        const u = await unit(i.unitId);
        const facts = await cycleMailFacts(db, i.cycleId);
        const doc = mintedDocumentPointer(facts, config.web.publicUrl);
        return {
          purpose: 'overdue-notice',
          cycleId: i.cycleId,
          ...toOfficerAndChair(u),
          phase: i.phase,
          rendered: renderOverdueNotice({
            lang: u.language,
            cycleId: i.cycleId,
            unitName: u.name,
            officerName: u.officer.name,
            phase: i.phase,
            dueAt: i.dueAt,
            asOf: asOfOr(i.asOf),
            phaseName: facts.phaseName(i.phase),
            document: doc.pointer,
          }),
          withRow: (trx) => doc.store(trx, { cycleId: i.cycleId, unitId: u.id }, now()),
          secrets: [doc.token],
        };
      });
    },

    /** One email per supervisor per escalation round listing all its overdue units; chair in cc once it climbed. */
    async sendEscalationDigest(input: EscalationDigestInput): Promise<QueuedMail> {
      const i = parse(escalationDigestInput, input, 'sendEscalationDigest');
      return queue(i.key, async () => {
        const units = await unitsById([i.recipientUnitId, i.supervisorUnitId, ...i.units.map((u) => u.unitId)]);
        const recipient = required(units, i.recipientUnitId);
        const facts = await cycleMailFacts(db, i.cycleId);
        return {
          purpose: 'escalation-digest',
          cycleId: i.cycleId,
          ...(i.climbed ? toOfficerAndChair(recipient) : toOfficer(recipient)),
          phase: i.phase,
          staleCheck: {
            kind: 'digest',
            supervisorUnitId: i.supervisorUnitId,
            recipientUnitId: recipient.id,
            phase: i.phase,
            round: i.round,
            unitIds: i.units.map((u) => u.unitId),
            asOf: i.asOf,
          },
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
            phaseName: facts.phaseName(i.phase),
            units: i.units.map((u) => ({ name: units.get(u.unitId)?.name ?? u.unitId, dueAt: u.dueAt, remindersSent: u.remindersSent })),
          }),
        };
      });
    },

    /** A unit submitted after its deadline: tell its supervisor's officer. */
    async sendLateSubmissionNotice(input: LateSubmissionInput): Promise<QueuedMail> {
      const i = parse(lateSubmissionInput, input, 'sendLateSubmissionNotice');
      return queue(i.key, async () => {
        const units = await unitsById([i.supervisorUnitId, i.unitId]);
        const supervisor = required(units, i.supervisorUnitId);
        return {
          purpose: 'late-submission',
          cycleId: i.cycleId,
          ...toOfficer(supervisor),
          phase: i.phase,
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
    async sendReviewResult(input: ReviewResultInput): Promise<QueuedMail> {
      const i = parse(reviewResultInput, input, 'sendReviewResult');
      return queue(i.key, async () => {
        const u = await unit(i.unitId);
        return {
          purpose: 'review-result',
          cycleId: i.cycleId,
          ...toOfficer(u),
          phase: i.phase,
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
    async sendAggregateUpward(input: AggregateUpwardInput): Promise<QueuedMail> {
      const i = parse(aggregateUpwardInput, input, 'sendAggregateUpward');
      // by reference (today's workflows): the archived aggregate, its proposals and its DOCX are read here
      const recorded = i.aggregate ? undefined : await aggregateByKey(db, i.aggregateKey!);
      const a = i.aggregate ?? recorded?.aggregate;
      if (!a) throw new MailInputError(`sendAggregateUpward: no aggregate is archived under ${i.aggregateKey}; record it first (recordAggregate).`);
      if (a.cycleId !== i.cycleId || (i.unitId !== undefined && a.unitId !== i.unitId))
        throw new MailInputError(`sendAggregateUpward: the aggregate is of ${a.cycleId}/${a.unitId}, not ${i.cycleId}/${i.unitId ?? a.unitId}.`);
      return queue(i.key, async () => {
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
export { listBounces, listUndelivered, type BounceRecord, type UndeliveredMail } from './outbox';
export { MailInputError, NON_RETRYABLE_MAIL_ERRORS } from './errors';
