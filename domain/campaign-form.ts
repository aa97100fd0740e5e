// A campaign's forms: what a unit fills in for a phase. Narrative sections (byte-limited text, the outline of
// seed 004), figure fields (how each one aggregates up the tree), cross-field rules with the message to show,
// optional lists (commendation proposals), and — for a plan — the targets it asks for another form's figures.
// The submission of a form is one JSON object: each section under its key, `figures`, each list under its key,
// `targets` (domain/campaign-validator.ts builds its schema).
import { z } from 'zod';
import { bilingual, guidanceSchema, labelSchema } from './bilingual';
import { lazy } from './lazy';

/** Keys become JSON keys, form field names and XLSX headers: plain identifiers. */
export const FIELD_KEY = /^[a-z][A-Za-z0-9]{0,47}$/;
/** Keys the submission object itself uses: no section or list may take them. */
export const RESERVED_CONTENT_KEYS = ['figures', 'targets'] as const;

export const FORM_LIMITS = Object.freeze({
  label: 300,
  guidance: 6_000,
  sections: 30,
  figures: 50,
  rules: 50,
  lists: 5,
  /** the smallest and largest byte limit a section may have */
  sectionMinBytes: 100,
  sectionMaxBytes: 200_000,
  listMaxItems: 500,
  /** fraction digits of a decimal figure */
  maxDecimals: 6,
});

const fieldKey = lazy(() => z
  .string()
  .regex(FIELD_KEY, { message: bilingual('a key: a lower-case letter, then letters and digits (e.g. studyClasses)', 'mã: chữ thường đầu tiên, rồi chữ cái và chữ số (ví dụ studyClasses)') }));
const label = lazy(() => labelSchema(FORM_LIMITS.label));
const guidance = lazy(() => guidanceSchema(FORM_LIMITS.guidance).default({ vi: '', en: '' }));
const wholeNumber = (what: string, vi: string) => z.number({ message: bilingual(`${what}: a number`, `${vi}: phải là số`) }).int({ message: bilingual(`${what}: a whole number`, `${vi}: số nguyên`) });

export const sectionSchema = lazy(() => z.strictObject({
  key: fieldKey,
  title: label,
  /** what the unit is asked to write, shown under the title */
  guidance,
  /** a required section may not be left empty */
  required: z.boolean().default(false),
  /** bytes as stored (domain/text.ts) */
  maxBytes: wholeNumber('maxBytes', 'số byte tối đa')
    .min(FORM_LIMITS.sectionMinBytes, { message: bilingual(`at least ${FORM_LIMITS.sectionMinBytes} bytes`, `ít nhất ${FORM_LIMITS.sectionMinBytes} byte`) })
    .max(FORM_LIMITS.sectionMaxBytes, { message: bilingual(`at most ${FORM_LIMITS.sectionMaxBytes} bytes`, `tối đa ${FORM_LIMITS.sectionMaxBytes} byte`) }),
}));
export type Section = z.infer<typeof sectionSchema>;

export const AGGREGATIONS = ['sum', 'min', 'max', 'countNonZero'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

const bound = lazy(() => z.number({ message: bilingual('a number', 'phải là số') }).refine(Number.isFinite, { message: bilingual('a finite number', 'phải là số hữu hạn') }));

export const figureSchema = lazy(() => z
  .strictObject({
    key: fieldKey,
    label,
    /** unit of measure: "lớp" / "classes" */
    unit: label,
    type: z.enum(['integer', 'decimal'], { message: bilingual('integer or decimal', 'integer (số nguyên) hoặc decimal (số thập phân)') }),
    /** fraction digits a decimal may have (ignored for an integer) */
    decimals: wholeNumber('decimals', 'số chữ số thập phân')
      .min(1, { message: bilingual('at least 1', 'ít nhất 1') })
      .max(FORM_LIMITS.maxDecimals, { message: bilingual(`at most ${FORM_LIMITS.maxDecimals}`, `tối đa ${FORM_LIMITS.maxDecimals}`) })
      .default(2),
    min: bound.default(0),
    max: bound,
    /** how a parent's figure follows from its units' (its own included) */
    aggregation: z.enum(AGGREGATIONS, { message: bilingual('sum, min, max or countNonZero', 'sum (tổng), min (nhỏ nhất), max (lớn nhất) hoặc countNonZero (số đơn vị khác 0)') }),
  })
  .superRefine((f, ctx) => {
    if (f.min > f.max) ctx.addIssue({ code: 'custom', path: ['max'], message: bilingual(`must not be below min (${f.min})`, `không được nhỏ hơn min (${f.min})`) });
    if (f.type === 'integer' && (!Number.isInteger(f.min) || !Number.isInteger(f.max)))
      ctx.addIssue({ code: 'custom', path: ['max'], message: bilingual('an integer figure needs whole-number bounds', 'chỉ tiêu số nguyên cần giới hạn là số nguyên') });
    if (Math.abs(f.min) > Number.MAX_SAFE_INTEGER || Math.abs(f.max) > Number.MAX_SAFE_INTEGER)
      ctx.addIssue({ code: 'custom', path: ['max'], message: bilingual('beyond the safe integer range', 'vượt quá phạm vi số nguyên an toàn') });
  }));
export type Figure = z.infer<typeof figureSchema>;

export const COMPARISONS = ['gte', 'gt', 'lte', 'lt', 'eq'] as const;
export type Comparison = (typeof COMPARISONS)[number];
export const COMPARISON_SIGN: Readonly<Record<Comparison, string>> = Object.freeze({ gte: '≥', gt: '>', lte: '≤', lt: '<', eq: '=' });

/** `left op right`, e.g. participants ≥ studyClasses; when it fails, `message` is shown at figures.<left>. */
export const crossRuleSchema = lazy(() => z.strictObject({
  left: fieldKey,
  op: z.enum(COMPARISONS, { message: bilingual('gte, gt, lte, lt or eq', 'gte (≥), gt (>), lte (≤), lt (<) hoặc eq (=)') }),
  right: z.union([z.strictObject({ figure: fieldKey }), z.strictObject({ value: bound })], {
    message: bilingual('{ "figure": key } or { "value": number }', '{ "figure": mã } hoặc { "value": số }'),
  }),
  message: label,
}));
export type CrossRule = z.infer<typeof crossRuleSchema>;

/** Commendation proposals (seed 004: "biểu dương, khen thưởng tập thể, cá nhân tiêu biểu"). */
export const commendationListSchema = lazy(() => z.strictObject({
  kind: z.literal('commendations'),
  key: fieldKey,
  title: label,
  guidance,
  maxItems: wholeNumber('maxItems', 'số mục tối đa')
    .min(1, { message: bilingual('at least 1', 'ít nhất 1') })
    .max(FORM_LIMITS.listMaxItems, { message: bilingual(`at most ${FORM_LIMITS.listMaxItems}`, `tối đa ${FORM_LIMITS.listMaxItems}`) }),
  nameMaxBytes: wholeNumber('nameMaxBytes', 'số byte tối đa của tên').min(10).max(2_000),
  reasonMaxBytes: wholeNumber('reasonMaxBytes', 'số byte tối đa của lý do').min(10).max(6_000),
}));
export const listSchema = lazy(() => z.discriminatedUnion('kind', [commendationListSchema], { message: bilingual('commendations', 'commendations (đề nghị khen thưởng)') }));
export type ListField = z.infer<typeof listSchema>;

export const formSchema = lazy(() => z.strictObject({
  key: fieldKey,
  title: label,
  sections: z.array(sectionSchema).max(FORM_LIMITS.sections, { message: bilingual(`at most ${FORM_LIMITS.sections} sections`, `tối đa ${FORM_LIMITS.sections} mục`) }).default([]),
  figures: z.array(figureSchema).max(FORM_LIMITS.figures, { message: bilingual(`at most ${FORM_LIMITS.figures} figures`, `tối đa ${FORM_LIMITS.figures} chỉ tiêu`) }).default([]),
  rules: z.array(crossRuleSchema).max(FORM_LIMITS.rules, { message: bilingual(`at most ${FORM_LIMITS.rules} rules`, `tối đa ${FORM_LIMITS.rules} quy tắc`) }).default([]),
  lists: z.array(listSchema).max(FORM_LIMITS.lists, { message: bilingual(`at most ${FORM_LIMITS.lists} lists`, `tối đa ${FORM_LIMITS.lists} danh sách`) }).default([]),
  /** a plan form: the unit sets a target for each of these figures of another form (its report) */
  targets: z.strictObject({ form: fieldKey, figures: z.array(fieldKey).min(1, { message: bilingual('at least one figure', 'ít nhất một chỉ tiêu') }) }).optional(),
}));
export type Form = z.infer<typeof formSchema>;
export type FormInput = z.input<typeof formSchema>;
