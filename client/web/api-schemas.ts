// Bodies of the JSON API, built from the workflows' own zod schemas: the API accepts exactly what the workflow
// update validators accept, minus what the server fills in from the caller's identity (reviewer, channel).
import { z } from 'zod';
import { PHASE_KEY } from '../../domain/campaign';
import { CAMPAIGN_MAX_FAN_OUT } from '../../workflows/campaign-fan-out';
import { extendInputSchema, reviewInputSchema } from '../../workflows/messages';
import { PHASES, planContentSchema, reportContentSchema } from '../../workflows/report';
import { planFormSchema, reportFormSchema } from './forms';
import { MAX_BULK_ITEMS } from './ops/bulk';
import { webStartSchema } from './ops/cycles';
import { SUBMITTED_BY_MAX_CHARS } from './ops/task';

const fromCaller = { reviewerUnitId: true, channel: true } as const;

export const reviewBodySchema = z.discriminatedUnion('decision', [
  reviewInputSchema.options[0].omit(fromCaller),
  reviewInputSchema.options[1].omit(fromCaller),
]);
export type ReviewBody = z.output<typeof reviewBodySchema>;

export const extendBodySchema = extendInputSchema.omit({ byUnitId: true, channel: true });

/** One reason and one new date for a selection of units and phases (each extended and audited on its own). */
export const extendSelectionBodySchema = extendBodySchema.omit({ phase: true }).extend({
  items: z
    .array(z.strictObject({ unitId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), phase: z.enum(PHASES) }))
    .min(1)
    .max(MAX_BULK_ITEMS),
});

/** A selection of units and phases to remind now, or (phase ignored: a link is per unit) to give new links. */
export const selectionBodySchema = z.strictObject({
  items: z
    .array(z.strictObject({ unitId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), phase: z.enum(PHASES) }))
    .min(1)
    .max(MAX_BULK_ITEMS),
});

/** `base`: the version the client last saw (0 before the first submission); makes retries idempotent. */
const base = z.number().int().min(0).default(0);
/** Who submits: recorded with the submission in the archive and the audit. */
const submittedBy = z.string().trim().min(1).max(SUBMITTED_BY_MAX_CHARS).describe('full name of the person submitting');
export const submitPlanBodySchema = z.strictObject({ content: planContentSchema, base, submittedBy });
export const submitReportBodySchema = z.strictObject({ content: reportContentSchema, base, submittedBy });

export const planDraftBodySchema = z.strictObject({ form: planFormSchema });
export const reportDraftBodySchema = z.strictObject({ form: reportFormSchema });

export const signinBodySchema = z.strictObject({ email: z.email().max(254) });

/** The yearly cycle's settings and, optionally, a campaign of the store (ops/cycles.ts). */
export const startBodySchema = webStartSchema;

export const overviewQuerySchema = z.strictObject({
  unit: z.string().min(1).max(64).optional(),
  level: z.coerce.number().int().min(0).max(50).optional(),
  overdue: z.enum(['0', '1', 'true', 'false']).optional(),
  page: z.coerce.number().int().min(0).max(100_000).optional(),
  lang: z.string().optional(),
});

export const previewQuerySchema = z.strictObject({
  year: z.coerce.number().int(),
  rootUnitId: z.string().min(1).max(64),
  firstYear: z.enum(['0', '1', 'true', 'false']).optional(),
  reportDue: z.string().optional(),
  campaign: z.string().max(120).optional(),
  lang: z.string().optional(),
});

// ── cycles of a campaign: the same endpoints, a phase being one of the frozen version's keys ──

const phaseKey = z.string().regex(PHASE_KEY, { message: 'a phase key of the campaign, e.g. q1 / mã giai đoạn của đợt báo cáo, ví dụ q1' });
const unitIdField = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'a unit id / mã đơn vị' });

export const campaignReviewBodySchema = z.discriminatedUnion(
  'decision',
  [
    z.strictObject({ decision: z.literal('accept'), phase: phaseKey, version: z.coerce.number().int().min(1), comment: z.string().max(4000).default('') }),
    z.strictObject({
      decision: z.literal('return'),
      phase: phaseKey,
      version: z.coerce.number().int().min(1),
      comment: z.string().trim().min(1, { message: 'a returned report needs a reason / trả lại cần nêu lý do' }).max(4000),
    }),
  ],
  { message: 'accept or return / chấp nhận hoặc trả lại' },
);

export const campaignExtendBodySchema = z.strictObject({
  phase: phaseKey,
  until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'a date / một ngày (YYYY-MM-DD)' }),
  reason: z.string().max(4000).default(''),
});

const campaignItems = z.array(z.strictObject({ unitId: unitIdField, phase: phaseKey })).min(1).max(MAX_BULK_ITEMS);
/** Remind now (or, phase ignored, new links) for a selection of a campaign cycle's units and phases. */
export const campaignSelectionBodySchema = z.strictObject({ items: campaignItems });
export const campaignExtendSelectionBodySchema = campaignExtendBodySchema.omit({ phase: true }).extend({ items: campaignItems });

/**
 * A phase of a campaign task: its content as the frozen form asks (GET /api/t/{token} gives each phase's
 * `contentSchema`): a text per section key, `figures` (and a plan's `targets`) by figure key, a list per list
 * key, `files` (left out: the unit's pending uploads of the phase go with it).
 */
export const campaignSubmitBodySchema = z.strictObject({
  content: z.record(z.string(), z.unknown()).describe("the phase's content: see the phase's contentSchema in the task view"),
  base,
  submittedBy,
});

/** The most units below one request of a campaign unit returns (`limit`): a grouped unit's slice costs its groups' queries. */
export const UNITS_BELOW_MAX_LIMIT = 200;
/** A whole number in a query string: digits only, so that `?offset=` or `?limit=1.5` is refused rather than read as 0 or 1. */
const queryInteger = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, { message: `${name}: a whole number from ${min} to ${max} / ${name}: một số nguyên từ ${min} đến ${max}` })
    .transform(Number)
    .pipe(z.number().int().min(min, { message: `${name}: at least ${min} / ${name}: ít nhất ${min}` }).max(max, { message: `${name}: at most ${max} / ${name}: tối đa ${max}` }));

/**
 * GET /api/cycles/{id}/units/{unit} of a campaign cycle: which of the units directly below to list (in the tree's
 * order). `limit` left out: every unit of a unit without groups (they are in its status), the first PAGE_SIZE of a
 * grouped unit (its groups hold them: each slice asks the groups it meets).
 */
export const campaignUnitQuerySchema = z.strictObject({
  offset: queryInteger('offset', 0, CAMPAIGN_MAX_FAN_OUT).optional(),
  limit: queryInteger('limit', 1, UNITS_BELOW_MAX_LIMIT).optional(),
  lang: z.string().optional(),
});
