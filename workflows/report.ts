// What units submit: the yearly plan and the results report (outline of
// shared/seeds/004_30a9c88bf8f353e1.txt). Validated with the same zod schemas by workflow update validators,
// the CLI and the web app. Sizes are bytes as stored (workflows/text.ts), chosen so that a submission with
// every field at its limit stays within one payload (PAYLOAD_BUDGET_BYTES; proved in test/inputs/).
import { z } from 'zod';
import { fileRefsSchema, recordedFileRefsSchema } from '../domain/file-ref';
import { limitedText, recordedText } from './text';
import {
  COMMENDATION_NAME_MAX_BYTES,
  COMMENDATION_REASON_MAX_BYTES,
  MAX_COMMENDATIONS,
  PLAN_BODY_MAX_BYTES,
  PLAN_NUMBER_MAX_BYTES,
  SECTION_MAX_BYTES,
  TITLE_MAX_BYTES,
  UNIT_FIGURE_MAX,
} from '../domain/submission-limits';
import { lazy } from '../domain/lazy';
// the limits live in the domain model, shared with the campaign forms (domain/campaign-builtin.ts)
export * from '../domain/submission-limits';

const required = { message: 'required / bắt buộc' };
const count = lazy(() => z
  .number({ message: 'must be a number / phải là số' })
  .int({ message: 'must be a whole number / phải là số nguyên' })
  .min(0, { message: 'must not be negative / không được âm' })
  .max(UNIT_FIGURE_MAX, { message: `implausibly large for one unit (at most 10,000,000) / quá lớn đối với một đơn vị (tối đa 10.000.000)` }));

/** The figures the outline asks for (section 2.1 and 2.4), as one unit enters them. */
export const figuresSchema = lazy(() => z.strictObject({
  studyClasses: count,
  participants: count,
  exemplaryModels: count,
  exemplaryPeople: count,
}));
export type Figures = z.infer<typeof figuresSchema>;
export const FIGURE_KEYS = ['studyClasses', 'participants', 'exemplaryModels', 'exemplaryPeople'] as const satisfies readonly (keyof Figures)[];
export const ZERO_FIGURES: Figures = { studyClasses: 0, participants: 0, exemplaryModels: 0, exemplaryPeople: 0 };

/**
 * The content schemas, built twice: with the limits (what is accepted now, at every edge) and as recorded
 * (the same shape and normalisation, no size or character limit: what update handlers replaying an old
 * history and readers of the archive parse, since earlier versions accepted up to 20,000 characters per field).
 */
function contentSchemas(text: (maxBytes: number) => z.ZodString, files: typeof fileRefsSchema | typeof recordedFileRefsSchema) {
  const commendation = z.strictObject({
    kind: z.enum(['collective', 'individual']),
    name: text(COMMENDATION_NAME_MAX_BYTES).min(1, required),
    reason: text(COMMENDATION_REASON_MAX_BYTES).default(''),
  });
  const plan = z.strictObject({
    title: text(TITLE_MAX_BYTES).min(1, required),
    /** the plan's number/symbol, e.g. "05/KH-CĐCS" */
    number: text(PLAN_NUMBER_MAX_BYTES).default(''),
    body: text(PLAN_BODY_MAX_BYTES).min(1, required),
    /** the signed, stamped document and its annexes: references only (domain/file-ref.ts); absent before issue 16 */
    files,
  });
  const report = z.strictObject({
    /** 1. Leadership and direction */
    leadership: text(SECTION_MAX_BYTES),
    /** 2. Implementation (2.1 study sessions … 2.5 review and supervision) */
    implementation: text(SECTION_MAX_BYTES),
    /** 3. Overall assessment */
    assessment: text(SECTION_MAX_BYTES),
    /** 4. Directions and recommendations */
    recommendations: text(SECTION_MAX_BYTES),
    /** this unit's own figures; an intermediate unit's aggregate adds its units' figures to these */
    figures: figuresSchema,
    commendations: z
      .array(commendation)
      .max(MAX_COMMENDATIONS, { message: `at most ${MAX_COMMENDATIONS} proposals / tối đa ${MAX_COMMENDATIONS} đề nghị` })
      .default([]),
    /** the signed, stamped report and its annexes: references only (domain/file-ref.ts); absent before issue 16 */
    files,
  });
  return { commendation, plan, report };
}

const limited = lazy(() => contentSchemas(limitedText, fileRefsSchema));
const recorded = lazy(() => contentSchemas(() => recordedText(), recordedFileRefsSchema));

export const commendationSchema = lazy(() => limited.commendation);
export const planContentSchema = lazy(() => limited.plan);
export const reportContentSchema = lazy(() => limited.report);
/** As recorded: for update handlers (histories replay), the archive and aggregates built from what was accepted. */
export const recordedCommendationSchema = lazy(() => recorded.commendation);
export const recordedPlanContentSchema = lazy(() => recorded.plan);
export const recordedReportContentSchema = lazy(() => recorded.report);

export type Commendation = z.infer<typeof commendationSchema>;
export type PlanContent = z.infer<typeof planContentSchema>;
export type ReportContent = z.infer<typeof reportContentSchema>;

export type Phase = 'plan' | 'report';
export const PHASES = ['plan', 'report'] as const satisfies readonly Phase[];
