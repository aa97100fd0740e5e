// Between HTML forms and the workflow schemas: form fields (strings as typed) ⇄ plan/report content, and zod
// issues → one message per field in the page's language. The content itself is always validated by the same
// zod schemas the workflows use (workflows/report.ts); this module only shapes what goes in and what comes out.
import type { z } from 'zod';
import { z as zod } from 'zod';
import {
  COMMENDATION_NAME_MAX_BYTES,
  COMMENDATION_REASON_MAX_BYTES,
  FIGURE_KEYS,
  MAX_COMMENDATIONS,
  PLAN_BODY_MAX_BYTES,
  PLAN_NUMBER_MAX_BYTES,
  SECTION_MAX_BYTES,
  TITLE_MAX_BYTES,
  type Figures,
  type PlanContent,
  type ReportContent,
} from '../../workflows/report';
import { byteLimitText } from '../../workflows/text';
import { WebValidationError } from './errors';
import type { Lang } from './i18n';

export type FieldErrors = Record<string, string>;

export const REPORT_SECTIONS = ['leadership', 'implementation', 'assessment', 'recommendations'] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];
/** empty commendation rows offered below the filled ones */
export const BLANK_COMMENDATION_ROWS = 2;
const MIN_COMMENDATION_ROWS = 3;

// ── form states: what the user typed, kept as strings (drafts store exactly this) ─────────────────────

/**
 * A form field holds what was typed, even past the content's limit, so the page comes back with the text and
 * the limit's message beside it; only text far past the limit (every character is at least one byte) is refused
 * here, which keeps drafts bounded.
 */
const FORM_SLACK = 2;
const field = (maxBytes: number) => {
  const limit = byteLimitText(maxBytes);
  return zod.string().max(maxBytes * FORM_SLACK, { message: `${limit.en} / ${limit.vi}` }).default('');
};

export const planFormSchema = zod.object({
  title: field(TITLE_MAX_BYTES),
  number: field(PLAN_NUMBER_MAX_BYTES),
  body: field(PLAN_BODY_MAX_BYTES),
});
export type PlanForm = z.infer<typeof planFormSchema>;

export const commendationRowSchema = zod.object({ kind: field(20), name: field(COMMENDATION_NAME_MAX_BYTES), reason: field(COMMENDATION_REASON_MAX_BYTES) });
export type CommendationRow = z.infer<typeof commendationRowSchema>;

export const reportFormSchema = zod.object({
  leadership: field(SECTION_MAX_BYTES),
  implementation: field(SECTION_MAX_BYTES),
  assessment: field(SECTION_MAX_BYTES),
  recommendations: field(SECTION_MAX_BYTES),
  figures: zod.object(Object.fromEntries(FIGURE_KEYS.map((k) => [k, field(40)])) as Record<keyof Figures, ReturnType<typeof field>>).default(
    Object.fromEntries(FIGURE_KEYS.map((k) => [k, ''])) as Record<keyof Figures, string>,
  ),
  commendations: zod.array(commendationRowSchema).max(MAX_COMMENDATIONS + MIN_COMMENDATION_ROWS).default([]),
});
export type ReportForm = z.infer<typeof reportFormSchema>;

export const EMPTY_PLAN_FORM: PlanForm = planFormSchema.parse({});
export const EMPTY_REPORT_FORM: ReportForm = reportFormSchema.parse({});

type Body = Record<string, unknown>;

function one(body: Body, key: string): string {
  const v = body[key];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : '';
  return typeof v === 'string' ? v : '';
}

function many(body: Body, key: string): string[] {
  const v = body[key];
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : ''));
  return typeof v === 'string' ? [v] : [];
}

/** Field names of the report form (flat: url-encoded forms carry no nesting). */
export const FIELD = {
  figure: (key: keyof Figures) => `figures.${key}`,
  commendationKind: 'commendation_kind',
  commendationName: 'commendation_name',
  commendationReason: 'commendation_reason',
} as const;

/** A form state, or a WebValidationError naming each field typed far past its limit (never a bare ZodError). */
function formState<S extends z.ZodType>(schema: S, input: unknown, lang: Lang): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new WebValidationError(fieldErrors(parsed.error, lang, input));
  return parsed.data;
}

export function planFormFromBody(body: Body, lang: Lang = 'vi'): PlanForm {
  return formState(planFormSchema, { title: one(body, 'title'), number: one(body, 'number'), body: one(body, 'body') }, lang);
}

export function reportFormFromBody(body: Body, lang: Lang = 'vi'): ReportForm {
  const kinds = many(body, FIELD.commendationKind);
  const names = many(body, FIELD.commendationName);
  const reasons = many(body, FIELD.commendationReason);
  const rows = names.map((name, i) => ({ kind: kinds[i] ?? 'collective', name, reason: reasons[i] ?? '' }));
  const input = {
    ...Object.fromEntries(REPORT_SECTIONS.map((s) => [s, one(body, s)])),
    figures: Object.fromEntries(FIGURE_KEYS.map((k) => [k, one(body, FIELD.figure(k))])),
    // a row without a name is an unused row, whatever its other fields say
    commendations: rows.filter((r) => r.name.trim() !== '' || r.reason.trim() !== ''),
  };
  return formState(reportFormSchema, input, lang);
}

export function planFormFromContent(c: PlanContent): PlanForm {
  return { title: c.title, number: c.number, body: c.body };
}

export function reportFormFromContent(c: ReportContent): ReportForm {
  return {
    leadership: c.leadership,
    implementation: c.implementation,
    assessment: c.assessment,
    recommendations: c.recommendations,
    figures: Object.fromEntries(FIGURE_KEYS.map((k) => [k, String(c.figures[k])])) as Record<keyof Figures, string>,
    commendations: c.commendations.map((x) => ({ kind: x.kind, name: x.name, reason: x.reason })),
  };
}

/**
 * A count as typed: digits, optionally grouped the Vietnamese way (`1.200`) or the English way (`1,200`).
 * Anything else is passed on as text so the schema reports it ("must be a number").
 */
export function parseCount(text: string): number | string | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (/^\d+$/.test(s)) return Number(s);
  if (/^\d{1,3}([.,\s]\d{3})+$/.test(s)) return Number(s.replace(/[.,\s]/g, ''));
  return s;
}

/** The raw content the schema validates (not yet valid). */
export function planCandidate(form: PlanForm): Record<string, unknown> {
  return { title: form.title, number: form.number, body: form.body };
}

export function reportCandidate(form: ReportForm): Record<string, unknown> {
  return {
    leadership: form.leadership,
    implementation: form.implementation,
    assessment: form.assessment,
    recommendations: form.recommendations,
    figures: Object.fromEntries(FIGURE_KEYS.map((k) => [k, parseCount(form.figures[k])])),
    commendations: form.commendations.map((r) => ({ kind: r.kind, name: r.name, reason: r.reason })),
  };
}

/** Rows to show: the filled ones plus a few empty ones to type into. */
export function commendationRows(rows: CommendationRow[]): CommendationRow[] {
  const blanks = Math.max(BLANK_COMMENDATION_ROWS, MIN_COMMENDATION_ROWS - rows.length);
  return [...rows, ...Array.from({ length: blanks }, () => ({ kind: 'collective', name: '', reason: '' }))];
}

// ── messages ────────────────────────────────────────────────────────────────────────────────────────────

type Issue = z.core.$ZodIssue;

/** The value at a zod issue's path in the input that was validated. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** The schemas write "English / tiếng Việt": the half in the page's language, as a sentence. */
function sentence(message: string, lang: Lang): string {
  const [en, vi] = message.split(' / ');
  const text = ((lang === 'vi' ? vi : en) ?? message).trim();
  return `${text.charAt(0).toLocaleUpperCase(lang)}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
}

/**
 * One message for a zod issue, in the page's language (the schemas' own messages are bilingual one-liners).
 * `input` is what was validated: zod 4 issues do not carry the offending value, and "missing" and "not a
 * number" deserve different words.
 */
export function issueMessage(issue: Issue, lang: Lang, input?: unknown): string {
  const vi = lang === 'vi';
  switch (issue.code) {
    case 'invalid_type':
      if (valueAt(input, issue.path) === undefined) return vi ? 'Bắt buộc nhập.' : 'Required.';
      if (issue.expected === 'int') return vi ? 'Phải là số nguyên.' : 'Must be a whole number.';
      if (issue.expected === 'number') return vi ? 'Phải là số (ví dụ 12 hoặc 1.200).' : 'Must be a number (e.g. 12 or 1,200).';
      return vi ? 'Giá trị không hợp lệ.' : 'Invalid value.';
    case 'too_small':
      if (issue.origin === 'string') return vi ? 'Bắt buộc nhập.' : 'Required.';
      if (issue.origin === 'number') return vi ? `Không được nhỏ hơn ${String(issue.minimum)}.` : `Must be at least ${String(issue.minimum)}.`;
      return vi ? 'Chưa đủ.' : 'Too few.';
    case 'too_big':
      if (issue.message.includes(' / ')) return sentence(issue.message, lang); // a limit the schema words itself (bytes)
      if (issue.origin === 'string') return vi ? `Tối đa ${String(issue.maximum)} ký tự.` : `At most ${String(issue.maximum)} characters.`;
      if (issue.origin === 'number') return vi ? 'Số quá lớn.' : 'Number too large.';
      return vi ? `Tối đa ${String(issue.maximum)} dòng.` : `At most ${String(issue.maximum)} rows.`;
    case 'invalid_value':
      return vi ? 'Lựa chọn không hợp lệ.' : 'Invalid choice.';
    case 'invalid_format':
      return vi ? 'Sai định dạng.' : 'Wrong format.';
    default:
      return sentence(issue.message, lang);
  }
}

/** One message per field path (`title`, `figures.participants`, `commendations.0.name`); `input`: what was validated. */
export function fieldErrors(error: z.ZodError, lang: Lang, input: unknown): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '_form';
    out[path] ??= issueMessage(issue, lang, input);
  }
  return out;
}
