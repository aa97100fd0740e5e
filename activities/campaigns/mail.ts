// The emails of a campaign cycle's tasks: the task, reminders, overdue notices, escalation digests, late
// submissions, review results and a level's report at the close (report-mail.ts), each naming the campaign, its issuing document and the phase by their names
// in the frozen version (read here from the store by { campaignId, version }: workflows carry only keys). Like
// every mail activity they only write the outbox, once per key (activities/mail/queue.ts): the dispatcher
// delivers. Built from the templates' blocks and wording (activities/mail/templates/), without changing them.
import { z } from 'zod';
import type { CampaignDefinition } from '../../domain/campaign';
import { parseCycleId } from '../../workflows/ids';
import { newUnitToken, storeUnitToken, unitTaskLink } from '../access/tokens';
import type { Db } from '../db/database';
import type { Language } from '../directory/types';
import { MailInputError } from '../mail/errors';
import { createMailQueue, toOfficer, toOfficerAndChair, type Draft, type MailQueueDeps, type QueuedMail } from '../mail/queue';
import { cycleIdSchema, instant, mailKey, unitIdSchema } from '../mail/schemas';
import type { StaleCheck } from '../mail/staleness';
import { renderMail, type Block, type RenderedMail } from '../mail/templates';
import { closing, footer, salutation, subjectLine, useYourLink } from '../mail/templates/common';
import { formatDate, formatDateTime } from '../mail/templates/format';
import { archivedReportAggregate, phaseReports, reportBlocks, reportRecipients } from './report-mail';
import { getCampaignVersion } from './repository';

const phaseKey = z.string().min(1).max(32);
/** The dispatcher's staleness check compares the phase as text with the archive's `submissions.phase`: a campaign's keys work as the built-in's do. */
const stalePhase = (key: string) => key as StaleCheck['phase'];
const base = { key: mailKey, cycleId: cycleIdSchema, campaignId: z.string().min(1), version: z.number().int().min(1), asOf: instant };

export const campaignEmailInput = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('task'), unitId: unitIdSchema, phases: z.array(z.object({ key: phaseKey, dueAt: instant })).min(1), closesAt: instant }),
  z.object({ ...base, kind: z.literal('reminder'), unitId: unitIdSchema, phase: phaseKey, dueAt: instant, reminderNumber: z.number().int().min(1).max(100) }),
  z.object({ ...base, kind: z.literal('overdue'), unitId: unitIdSchema, phase: phaseKey, dueAt: instant }),
  z.object({
    ...base,
    kind: z.literal('escalation'),
    supervisorUnitId: unitIdSchema,
    recipientUnitId: unitIdSchema,
    climbed: z.boolean(),
    phase: phaseKey,
    round: z.number().int().min(1),
    units: z.array(z.object({ unitId: unitIdSchema, dueAt: instant, remindersSent: z.number().int().min(0) })).min(1),
  }),
  z.object({ ...base, kind: z.literal('late'), unitId: unitIdSchema, supervisorUnitId: unitIdSchema, phase: phaseKey, dueAt: instant, submittedAt: instant }),
  z.object({ ...base, kind: z.literal('review'), unitId: unitIdSchema, phase: phaseKey, decision: z.enum(['accepted', 'returned']), comment: z.string().max(20_000).default('') }),
  // a level's aggregate upward (report-mail.ts): by the key it was archived under, never the aggregate or a document
  z.object({ ...base, kind: z.literal('report'), unitId: unitIdSchema, supervisorUnitId: unitIdSchema.nullable(), aggregateKey: mailKey, final: z.boolean() }),
]);
export type CampaignEmailInput = z.input<typeof campaignEmailInput>;
type Parsed = z.output<typeof campaignEmailInput>;

interface Naming {
  lang: Language;
  def: CampaignDefinition;
  year: number;
  rehearsal: boolean;
}

const campaignName = (n: Naming) => (n.lang === 'vi' ? n.def.name.vi : n.def.name.en);
function phaseName(n: Naming, key: string): string {
  const p = n.def.phases.find((x) => x.key === key);
  if (!p) throw new MailInputError(`campaign email: the campaign has no phase "${key}"`);
  return n.lang === 'vi' ? p.name.vi : p.name.en;
}
/** "Kế hoạch số 27/KH-LĐLĐ ngày 08/01/2027 của Ban Thường vụ …", when the campaign has an issuing document. */
function documentLine(n: Naming): Block[] {
  const d = n.def.document;
  if (!d) return [];
  const ref = `${d.number}/${d.symbol}`;
  return [
    {
      kind: 'paragraph',
      content:
        n.lang === 'vi'
          ? [`Căn cứ văn bản số `, { strong: ref }, ` ngày ${formatDate(`${d.date}T05:00:00Z`)} của ${d.issuingBody} về ${d.title}.`]
          : [`Under document no. `, { strong: ref }, ` of ${formatDate(`${d.date}T05:00:00Z`)} by ${d.issuingBody}: ${d.title}.`],
    },
  ];
}

function mail(n: Naming, unitName: string, subject: string, blocks: Block[]): RenderedMail {
  const cycle = { cycleId: '', year: n.year, rehearsal: n.rehearsal };
  return renderMail({ lang: n.lang, subject: subjectLine(n.lang, cycle, `${subject} – ${campaignName(n)}`), salutation: salutation(n.lang, unitName), blocks, closing: closing(n.lang), footer: footer(n.lang) });
}

export function createCampaignMailActivities(deps: MailQueueDeps) {
  const { queue, unitsById, required } = createMailQueue(deps);
  const definitions = new Map<string, Promise<CampaignDefinition>>();
  // a frozen version never changes: read once per process
  const definitionOf = (db: Db, id: string, version: number) => {
    const k = `${id}@${version}`;
    let d = definitions.get(k);
    if (!d) {
      d = getCampaignVersion(db, id, version).then((v) => v.definition);
      d.catch(() => definitions.delete(k));
      definitions.set(k, d);
    }
    return d;
  };

  async function draft(i: Parsed): Promise<Draft> {
    const parsedId = parseCycleId(i.cycleId)!;
    if (parsedId.campaignId !== i.campaignId) throw new MailInputError(`campaign email: cycle ${i.cycleId} is not of campaign ${i.campaignId}`);
    const def = await definitionOf(deps.db, i.campaignId, i.version);
    const naming = (lang: Language): Naming => ({ lang, def, year: parsedId.year, rehearsal: parsedId.rehearsal });
    switch (i.kind) {
      case 'task': {
        const u = required(await unitsById([i.unitId]), i.unitId);
        const n = naming(u.language);
        const vi = n.lang === 'vi';
        const { token, tokenHash } = newUnitToken();
        return {
          purpose: 'task-assignment',
          cycleId: i.cycleId,
          ...toOfficerAndChair(u),
          rendered: mail(n, u.name, vi ? `Giao nhiệm vụ báo cáo – ${u.name}` : `Reporting task – ${u.name}`, [
            ...documentLine(n),
            {
              kind: 'paragraph',
              content: vi
                ? [`Đề nghị đồng chí `, { strong: u.officer.name }, ` tham mưu Ban Thường vụ thực hiện và nộp trực tuyến các báo cáo dưới đây qua đường liên kết riêng của đơn vị.`]
                : [{ strong: u.officer.name }, `, please prepare the reports below and submit them online through your unit's personal link.`],
            },
            {
              kind: 'facts',
              rows: [
                ...i.phases.map((p) => ({ label: phaseName(n, p.key), value: [{ strong: formatDateTime(p.dueAt, n.lang) }] })),
                { label: vi ? 'Đường liên kết có hiệu lực đến' : 'Link valid until', value: formatDateTime(i.closesAt, n.lang) },
              ],
            },
            { kind: 'button', label: vi ? 'Trang nộp báo cáo của đơn vị' : "Your unit's submission page", href: unitTaskLink(deps.config.web.publicUrl, token) },
            {
              kind: 'paragraph',
              content: vi
                ? `Đường liên kết này dành riêng cho ${u.name}: người có đường liên kết có thể nộp thay mặt đơn vị, đề nghị không chuyển tiếp thư này.`
                : `This link is personal to ${u.name}: anyone holding it can submit on the unit's behalf, so please do not forward this email.`,
            },
          ]),
          withRow: (trx) => storeUnitToken(trx, tokenHash, { cycleId: i.cycleId, unitId: u.id, expiresAt: i.closesAt }, deps.now()),
          secrets: [token],
        };
      }
      case 'reminder':
      case 'overdue': {
        const u = required(await unitsById([i.unitId]), i.unitId);
        const n = naming(u.language);
        const vi = n.lang === 'vi';
        const what = phaseName(n, i.phase);
        const reminder = i.kind === 'reminder';
        const subject = reminder
          ? vi
            ? `Đôn đốc nộp ${what} (lần ${i.reminderNumber}) – hạn ${formatDate(i.dueAt)}`
            : `Reminder ${i.reminderNumber}: ${what} due ${formatDate(i.dueAt)}`
          : vi
            ? `Quá hạn nộp ${what}`
            : `Overdue: ${what}`;
        return {
          purpose: reminder ? 'reminder' : 'overdue-notice',
          cycleId: i.cycleId,
          ...(reminder ? toOfficer(u) : toOfficerAndChair(u)),
          phase: i.phase,
          ...(reminder ? { staleCheck: { kind: 'reminder' as const, unitId: u.id, phase: stalePhase(i.phase), dueAt: i.dueAt } } : {}),
          rendered: mail(n, u.name, subject, [
            {
              kind: 'paragraph',
              content: reminder
                ? vi
                  ? `Đến ${formatDateTime(i.asOf, n.lang)}, ${u.name} chưa nộp ${what}. Đề nghị khẩn trương hoàn thành và nộp đúng hạn.`
                  : `As of ${formatDateTime(i.asOf, n.lang)}, ${u.name} has not submitted its ${what}. Please complete and submit it before the deadline.`
                : vi
                  ? `Đã hết hạn nộp ${what} mà ${u.name} chưa nộp. Đơn vị đã được báo cáo cấp trên trực tiếp; đề nghị nộp ngay.`
                  : `The deadline for the ${what} has passed and ${u.name} has not submitted it. Your supervising union has been told; please submit it now.`,
            },
            { kind: 'facts', rows: [{ label: vi ? 'Hạn nộp' : 'Deadline', value: [{ strong: formatDateTime(i.dueAt, n.lang) }] }] },
            { kind: 'paragraph', content: useYourLink(n.lang) },
          ]),
        };
      }
      case 'escalation': {
        const units = await unitsById([i.recipientUnitId, i.supervisorUnitId, ...i.units.map((u) => u.unitId)]);
        const r = required(units, i.recipientUnitId);
        const n = naming(r.language);
        const vi = n.lang === 'vi';
        const what = phaseName(n, i.phase);
        const supervisor = units.get(i.supervisorUnitId)?.name ?? i.supervisorUnitId;
        return {
          purpose: 'escalation-digest',
          cycleId: i.cycleId,
          ...(i.climbed ? toOfficerAndChair(r) : toOfficer(r)),
          phase: i.phase,
          staleCheck: { kind: 'digest', supervisorUnitId: i.supervisorUnitId, recipientUnitId: r.id, phase: stalePhase(i.phase), round: i.round, unitIds: i.units.map((u) => u.unitId), asOf: i.asOf },
          rendered: mail(n, r.name, vi ? `Danh sách đơn vị chưa nộp ${what} (lần ${i.round})` : `Units missing the ${what} (round ${i.round})`, [
            {
              kind: 'paragraph',
              content: vi
                ? `Đến ${formatDateTime(i.asOf, n.lang)}, ${i.units.length} đơn vị trực thuộc ${supervisor} chưa nộp ${what}:`
                : `As of ${formatDateTime(i.asOf, n.lang)}, ${i.units.length} units under ${supervisor} have not submitted the ${what}:`,
            },
            {
              kind: 'table',
              head: vi ? ['Đơn vị', 'Hạn nộp', 'Số lần đôn đốc'] : ['Unit', 'Deadline', 'Reminders'],
              rows: i.units.map((u) => [units.get(u.unitId)?.name ?? u.unitId, formatDateTime(u.dueAt, n.lang), String(u.remindersSent)]),
              numeric: [false, false, true],
            },
          ]),
        };
      }
      case 'late': {
        const units = await unitsById([i.supervisorUnitId, i.unitId]);
        const s = required(units, i.supervisorUnitId);
        const n = naming(s.language);
        const vi = n.lang === 'vi';
        const what = phaseName(n, i.phase);
        const unitName = units.get(i.unitId)?.name ?? i.unitId;
        return {
          purpose: 'late-submission',
          cycleId: i.cycleId,
          ...toOfficer(s),
          phase: i.phase,
          rendered: mail(n, s.name, vi ? `${unitName} nộp ${what} muộn` : `${unitName} submitted the ${what} late`, [
            {
              kind: 'facts',
              rows: [
                { label: vi ? 'Hạn nộp' : 'Deadline', value: formatDateTime(i.dueAt, n.lang) },
                { label: vi ? 'Đã nộp lúc' : 'Submitted at', value: [{ strong: formatDateTime(i.submittedAt, n.lang) }] },
              ],
            },
          ]),
        };
      }
      case 'review': {
        const u = required(await unitsById([i.unitId]), i.unitId);
        const n = naming(u.language);
        const vi = n.lang === 'vi';
        const what = phaseName(n, i.phase);
        const accepted = i.decision === 'accepted';
        return {
          purpose: 'review-result',
          cycleId: i.cycleId,
          ...toOfficer(u),
          phase: i.phase,
          rendered: mail(n, u.name, accepted ? (vi ? `${what} đã được chấp nhận` : `${what} accepted`) : vi ? `${what} được trả lại để hoàn thiện` : `${what} returned for revision`, [
            {
              kind: 'paragraph',
              content: accepted
                ? vi
                  ? `Cấp trên đã chấp nhận ${what} của ${u.name}.`
                  : `Your supervising union accepted the ${what} of ${u.name}.`
                : vi
                  ? `Cấp trên đã trả lại ${what} của ${u.name} kèm ý kiến dưới đây; đề nghị hoàn thiện và nộp lại.`
                  : `Your supervising union returned the ${what} of ${u.name} with the comment below; please revise it and submit it again.`,
            },
            ...(i.comment ? [{ kind: 'quote' as const, text: i.comment }] : []),
            { kind: 'paragraph', content: useYourLink(n.lang) },
          ]),
        };
      }
      case 'report': {
        const a = await archivedReportAggregate(deps.db, i.aggregateKey, i.cycleId, i.unitId);
        const units = await unitsById(i.supervisorUnitId ? [i.unitId, i.supervisorUnitId] : [i.unitId]);
        const u = required(units, i.unitId);
        const n = naming(u.language);
        const vi = n.lang === 'vi';
        const attachments = await phaseReports(deps.db, def, a, i.final);
        return {
          purpose: 'aggregate-upward',
          cycleId: i.cycleId,
          unitId: u.id,
          ...reportRecipients(u, i.supervisorUnitId ? units.get(i.supervisorUnitId) : undefined),
          rendered: mail(n, u.name, i.final ? (vi ? `Báo cáo tổng hợp kết thúc chu kỳ – ${u.name}` : `Final aggregate report – ${u.name}`) : vi ? `Báo cáo tổng hợp – ${u.name}` : `Aggregate report – ${u.name}`, [
            ...documentLine(n),
            ...reportBlocks(n.lang, def, a, u.name, attachments.length),
          ]),
          attachments,
        };
      }
    }
  }

  return {
    /** One email of a campaign task, written to the outbox once per key. */
    async sendCampaignEmail(input: CampaignEmailInput): Promise<QueuedMail> {
      const parsed = campaignEmailInput.safeParse(input);
      if (!parsed.success) throw new MailInputError(`sendCampaignEmail: invalid input:\n${z.prettifyError(parsed.error)}`, { cause: parsed.error });
      const i = parsed.data;
      return queue(i.key, () => draft(i));
    },

    /** The same email composed, not queued: the web's link reissue queues it in its own transaction (client/web/ops/reissue.ts). */
    async draftCampaignEmail(input: CampaignEmailInput): Promise<Draft> {
      const parsed = campaignEmailInput.safeParse(input);
      if (!parsed.success) throw new MailInputError(`draftCampaignEmail: invalid input:\n${z.prettifyError(parsed.error)}`, { cause: parsed.error });
      return draft(parsed.data);
    },
  };
}
