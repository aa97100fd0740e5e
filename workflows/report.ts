// What units submit: the yearly plan and the results report (outline of
// shared/seeds/004_30a9c88bf8f353e1.txt). Validated with the same zod schemas by workflow update validators,
// the CLI and the web app.
import { z } from 'zod';

export const SECTION_MAX_CHARS = 20_000;
export const TITLE_MAX_CHARS = 300;
export const MAX_COMMENDATIONS = 200;

const text = (max: number) => z.string().trim().max(max, { message: `at most ${max} characters / tối đa ${max} ký tự` });
const count = z
  .number({ message: 'must be a number / phải là số' })
  .int({ message: 'must be a whole number / phải là số nguyên' })
  .min(0, { message: 'must not be negative / không được âm' })
  .max(10_000_000, { message: 'implausibly large / quá lớn' });

/** The figures the outline asks for (section 2.1 and 2.4). */
export const figuresSchema = z.strictObject({
  studyClasses: count,
  participants: count,
  exemplaryModels: count,
  exemplaryPeople: count,
});
export type Figures = z.infer<typeof figuresSchema>;
export const FIGURE_KEYS = ['studyClasses', 'participants', 'exemplaryModels', 'exemplaryPeople'] as const satisfies readonly (keyof Figures)[];
export const ZERO_FIGURES: Figures = { studyClasses: 0, participants: 0, exemplaryModels: 0, exemplaryPeople: 0 };

export const commendationSchema = z.strictObject({
  kind: z.enum(['collective', 'individual']),
  name: text(TITLE_MAX_CHARS).min(1, { message: 'required / bắt buộc' }),
  reason: text(2_000).default(''),
});
export type Commendation = z.infer<typeof commendationSchema>;

export const planContentSchema = z.strictObject({
  title: text(TITLE_MAX_CHARS).min(1, { message: 'required / bắt buộc' }),
  /** the plan's number/symbol, e.g. "05/KH-CĐCS" */
  number: text(50).default(''),
  body: text(SECTION_MAX_CHARS).min(1, { message: 'required / bắt buộc' }),
});
export type PlanContent = z.infer<typeof planContentSchema>;

export const reportContentSchema = z.strictObject({
  /** 1. Leadership and direction */
  leadership: text(SECTION_MAX_CHARS),
  /** 2. Implementation (2.1 study sessions … 2.5 review and supervision) */
  implementation: text(SECTION_MAX_CHARS),
  /** 3. Overall assessment */
  assessment: text(SECTION_MAX_CHARS),
  /** 4. Directions and recommendations */
  recommendations: text(SECTION_MAX_CHARS),
  /** this unit's own figures; an intermediate unit's aggregate adds its units' figures to these */
  figures: figuresSchema,
  commendations: z.array(commendationSchema).max(MAX_COMMENDATIONS).default([]),
});
export type ReportContent = z.infer<typeof reportContentSchema>;

export type Phase = 'plan' | 'report';
export const PHASES = ['plan', 'report'] as const satisfies readonly Phase[];
