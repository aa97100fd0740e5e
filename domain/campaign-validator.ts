// The schema of a form's submission, built from the form: what an update validator, the CLI and the web app
// check a unit's content with, in the one-line-per-field style of every refusal (domain/field-errors.ts).
// Built twice, as for the fixed forms (workflows/report.ts): with the limits, and as recorded (same shape and
// normalisation, no limit or rule) for update handlers replaying what an earlier definition accepted.
import { z } from 'zod';
import { bilingual } from './bilingual';
import { COMPARISON_SIGN, type Comparison, type CrossRule, type Figure, type Form, type ListField, type Section } from './campaign-form';
import { fieldProblems, type FieldProblem } from './field-errors';
import { fileRefsSchema, recordedFileRefsSchema } from './file-ref';
import { groupDigits, limitedText, recordedText } from './text';

const required = { message: bilingual('required', 'bắt buộc') };

const shown = (n: number, lang: 'en' | 'vi') => {
  const [whole, fraction] = String(Math.abs(n)).split('.');
  const grouped = groupDigits(Number(whole), lang === 'en' ? ',' : '.');
  return `${n < 0 ? '-' : ''}${grouped}${fraction ? (lang === 'en' ? '.' : ',') + fraction : ''}`;
};

function hasAtMostDecimals(v: number, decimals: number): boolean {
  const scaled = v * 10 ** decimals;
  return Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, Math.abs(scaled));
}

/** What a figure's value is checked against (a Figure, or its workflow view: domain/campaign-view.ts). */
export type FigureRules = Pick<Figure, 'key' | 'type' | 'decimals' | 'min' | 'max'>;

/**
 * What a submission is checked against: a Form, or the part of it a workflow carries (domain/campaign-view.ts:
 * no titles or guidance), so the update validator and the clients check with the same rules.
 */
export interface FormRules {
  sections: readonly Pick<Section, 'key' | 'required' | 'maxBytes'>[];
  figures: readonly FigureRules[];
  rules: readonly CrossRule[];
  lists: readonly Pick<ListField, 'key' | 'maxItems' | 'nameMaxBytes' | 'reasonMaxBytes'>[];
  targets?: Form['targets'];
}

/** One figure as a unit enters it: its type, bounds and fraction digits, the messages in both languages. */
export function figureValueSchema(f: FigureRules): z.ZodType<number> {
  let n = z.number({ message: bilingual('must be a number', 'phải là số') });
  if (f.type === 'integer') n = n.int({ message: bilingual('must be a whole number', 'phải là số nguyên') });
  n = n
    .min(f.min, { message: f.min === 0 ? bilingual('must not be negative', 'không được âm') : bilingual(`must be at least ${shown(f.min, 'en')}`, `không được nhỏ hơn ${shown(f.min, 'vi')}`) })
    .max(f.max, { message: bilingual(`must be at most ${shown(f.max, 'en')}`, `không được lớn hơn ${shown(f.max, 'vi')}`) });
  if (f.type === 'decimal') {
    const d = f.decimals;
    return n.refine((v) => hasAtMostDecimals(v, d), { message: bilingual(`at most ${d} decimal ${d === 1 ? 'place' : 'places'}`, `tối đa ${d} chữ số thập phân`) });
  }
  return n;
}

function holds(op: Comparison, a: number, b: number): boolean {
  switch (op) {
    case 'gte':
      return a >= b;
    case 'gt':
      return a > b;
    case 'lte':
      return a <= b;
    case 'lt':
      return a < b;
    case 'eq':
      return a === b;
  }
}

/** The cross-field rules that fail for these figures (rules over a figure that is not a number are skipped). */
export function failedRules(rules: readonly CrossRule[], figures: Readonly<Record<string, unknown>>): CrossRule[] {
  return rules.filter((r) => {
    const a = figures[r.left];
    const b = 'figure' in r.right ? figures[r.right.figure] : r.right.value;
    return typeof a === 'number' && typeof b === 'number' && !holds(r.op, a, b);
  });
}

/** "participants ≥ studyClasses" */
export function ruleText(r: CrossRule): string {
  return `${r.left} ${COMPARISON_SIGN[r.op]} ${'figure' in r.right ? r.right.figure : String(r.right.value)}`;
}

export interface ContentSchemaOptions {
  /** the figures the form's `targets` name (from the target form), when it has targets */
  targetFigures?: readonly FigureRules[];
}

function buildContentSchema(form: FormRules, recorded: boolean, { targetFigures = [] }: ContentSchemaOptions) {
  const text = (maxBytes: number) => (recorded ? recordedText() : limitedText(maxBytes));
  const number = (f: FigureRules) => (recorded ? z.number() : figureValueSchema(f));
  const shape: Record<string, z.ZodType> = {};
  for (const s of form.sections) shape[s.key] = s.required && !recorded ? text(s.maxBytes).min(1, required) : text(s.maxBytes).default('');
  if (form.figures.length > 0) {
    const figures = z.strictObject(Object.fromEntries(form.figures.map((f) => [f.key, number(f)])));
    shape.figures = recorded
      ? figures
      : figures.superRefine((values, ctx) => {
          for (const r of failedRules(form.rules, values)) ctx.addIssue({ code: 'custom', path: [r.left], message: bilingual(r.message.en, r.message.vi) });
        });
  }
  for (const list of form.lists) {
    const item = z.strictObject({
      kind: z.enum(['collective', 'individual']),
      name: text(list.nameMaxBytes).min(1, required),
      reason: text(list.reasonMaxBytes).default(''),
    });
    const items = z.array(item);
    shape[list.key] = (recorded ? items : items.max(list.maxItems, { message: bilingual(`at most ${list.maxItems} proposals`, `tối đa ${list.maxItems} đề nghị`) })).default([]);
  }
  if (form.targets && targetFigures.length > 0) shape.targets = z.strictObject(Object.fromEntries(targetFigures.map((f) => [f.key, number(f)])));
  // every form takes the signed, stamped document and its annexes, by reference (issue 16)
  shape.files = recorded ? recordedFileRefsSchema : fileRefsSchema;
  return z.strictObject(shape);
}

/** The content schema of a form, with its limits and rules: for validators and clients. */
export function formContentSchema(form: FormRules, options: ContentSchemaOptions = {}) {
  return buildContentSchema(form, false, options);
}

/** The same shape and normalisation without limits or rules: for update handlers and readers of the archive. */
export function recordedFormContentSchema(form: FormRules, options: ContentSchemaOptions = {}) {
  return buildContentSchema(form, true, options);
}

export type FormContent = Record<string, unknown>;

export type FormValidation = { ok: true; content: FormContent } | { ok: false; problems: FieldProblem[] };

/** Checks a unit's content against a form: the parsed content, or one problem per field (`figures.participants`…). */
export function validateFormContent(form: FormRules, content: unknown, options: ContentSchemaOptions = {}): FormValidation {
  const parsed = formContentSchema(form, options).safeParse(content);
  return parsed.success ? { ok: true, content: parsed.data } : { ok: false, problems: fieldProblems(parsed.error) };
}
