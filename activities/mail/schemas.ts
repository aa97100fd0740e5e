import { z } from 'zod';
import { LEGACY_AGGREGATE_LIST_CAP, type Aggregate } from '../../workflows/aggregate-types';
import { parseCycleId } from '../../workflows/ids';
import { aggregateFiguresSchema } from '../../workflows/aggregate-schema';
import { PHASES, recordedCommendationSchema } from '../../workflows/report';

// Edge validation of every mail activity input: a workflow bug must fail loudly here, not send a wrong email.

export const mailKey = z.string().min(1).max(500);
export const cycleIdSchema = z.string().refine((id) => parseCycleId(id) !== undefined, 'must be a cycle id like cycle-2027-LDLD-HN');
export const unitIdSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be a unit id ([A-Za-z0-9_.-], at most 64 characters)');
export const instant = z.iso.datetime({ offset: true });
export const phaseSchema = z.enum(PHASES);
/**
 * "Now" as the email should say it (time left, days overdue, "as of"): a rehearsal passes its calendar time,
 * so its emails tell the rehearsal's truth. Absent: the wall clock at the time the email is queued.
 */
const asOf = instant.optional();

export const taskAssignmentInput = z.object({
  key: mailKey,
  cycleId: cycleIdSchema,
  year: z.number().int().min(2000).max(2200),
  unitId: unitIdSchema,
  planDueAt: instant,
  reportDueAt: instant,
  closesAt: instant,
  asOf,
});

export const reminderInput = z.object({
  key: mailKey,
  cycleId: cycleIdSchema,
  unitId: unitIdSchema,
  phase: phaseSchema,
  dueAt: instant,
  reminderNumber: z.number().int().min(1).max(100),
  asOf,
});

export const overdueNoticeInput = z.object({ key: mailKey, cycleId: cycleIdSchema, unitId: unitIdSchema, phase: phaseSchema, dueAt: instant, asOf });

export const escalationDigestInput = z.object({
  key: mailKey,
  cycleId: cycleIdSchema,
  supervisorUnitId: unitIdSchema,
  recipientUnitId: unitIdSchema,
  climbed: z.boolean(),
  phase: phaseSchema,
  round: z.number().int().min(1),
  units: z.array(z.object({ unitId: unitIdSchema, dueAt: instant, remindersSent: z.number().int().min(0) })).min(1),
  asOf: instant,
});

export const lateSubmissionInput = z.object({
  key: mailKey,
  cycleId: cycleIdSchema,
  unitId: unitIdSchema,
  supervisorUnitId: unitIdSchema,
  phase: phaseSchema,
  dueAt: instant,
  submittedAt: instant,
  asOf,
});

export const reviewResultInput = z.object({
  key: mailKey,
  cycleId: cycleIdSchema,
  unitId: unitIdSchema,
  phase: phaseSchema,
  decision: z.enum(['accepted', 'returned']),
  comment: z.string().max(20_000).default(''),
  asOf,
});

const count = z.number().int().min(0);
const unitList = z.object({ ids: z.array(unitIdSchema).max(LEGACY_AGGREGATE_LIST_CAP), total: count });
const phaseRollup = z.object({ expected: count, submittedOnTime: unitList, submittedLate: unitList, notSubmitted: unitList, overdue: unitList });
const rate = z.number().min(0).max(100).nullable();
const rates = z.object({ completeness: rate, timeliness: rate });

export const aggregateSchema = z.object({
  cycleId: cycleIdSchema,
  unitId: unitIdSchema,
  asOf: instant,
  below: z.object({
    plan: phaseRollup,
    report: phaseRollup,
    // sums over many units (no per-unit cap); `items` only in aggregates of workflows that ran before
    // content left the rollups (proposals as they were accepted)
    figures: aggregateFiguresSchema,
    commendations: z.object({ items: z.array(recordedCommendationSchema.extend({ unitId: unitIdSchema })).optional(), total: count }),
  }),
  rates: z.object({ plan: rates, report: rates }),
  totalFigures: aggregateFiguresSchema,
}) satisfies z.ZodType<Aggregate>;

/** Attachments travel through workflow history: keep them well under Temporal's 2 MB payload limit. */
export const MAX_ATTACHMENT_BASE64_CHARS = 1_500_000;

/**
 * Since the docx-by-reference workflow patch: `unitId` + `aggregateKey` (the key recordAggregate archived it
 * under); the activity reads the aggregate and builds the DOCX itself. Workflows that ran before send the
 * `aggregate` (and possibly `attachments`) instead.
 */
export const aggregateUpwardInput = z.object({
  key: mailKey,
  cycleId: cycleIdSchema,
  unitId: unitIdSchema.optional(),
  aggregateKey: mailKey.optional(),
  aggregate: aggregateSchema.optional(),
  final: z.boolean(),
  asOf,
  attachments: z
    .array(
      z.object({
        filename: z.string().min(1).max(255),
        contentBase64: z.base64().max(MAX_ATTACHMENT_BASE64_CHARS),
        contentType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type like application/pdf'),
      }),
    )
    .max(10)
    .optional(),
}).refine((i) => i.aggregate !== undefined || (i.unitId !== undefined && i.aggregateKey !== undefined), {
  message: 'give the aggregate, or its unitId and aggregateKey (the key it was recorded under)',
});

export type TaskAssignmentInput = z.input<typeof taskAssignmentInput>;
export type ReminderInput = z.input<typeof reminderInput>;
export type OverdueNoticeInput = z.input<typeof overdueNoticeInput>;
export type EscalationDigestInput = z.input<typeof escalationDigestInput>;
export type LateSubmissionInput = z.input<typeof lateSubmissionInput>;
export type ReviewResultInput = z.input<typeof reviewResultInput>;
export type AggregateUpwardInput = z.input<typeof aggregateUpwardInput>;
