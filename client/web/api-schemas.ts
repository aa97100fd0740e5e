// Bodies of the JSON API, built from the workflows' own zod schemas: the API accepts exactly what the workflow
// update validators accept, minus what the server fills in from the caller's identity (reviewer, channel).
import { z } from 'zod';
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
