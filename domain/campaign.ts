// A campaign: what a secretariat asks of the units below it — the issuing document, the phases in order (each
// with its form and its deadline rule) and the forms. A campaign has an id (a slug) and numbered versions; a
// version a cycle uses is frozen, so a running cycle never changes under its units (a later edit is a new
// version). Everything a definition could get wrong is refused here, with the field and the reason in both
// languages, before anything is stored.
import { z } from 'zod';
import { bilingual, labelSchema } from './bilingual';
import { CYCLE_YEAR_RANGE, DEFAULT_SCHEDULE_RULES, MAX_DEPTHS } from './calendar';
import { FORM_CONTENT_BUDGET_BYTES, maxContentBytes } from './campaign-budget';
import { deadlineRuleSchema, formatDateVi, ruleBaseDate, ruleFixedYear, weekdayCascade, type DeadlineRule } from './campaign-deadline';
import { issuingDocumentSchema } from './campaign-document';
import { checkPayloadBudgets } from './campaign-payloads';
import { formSchema, RESERVED_CONTENT_KEYS, type Figure, type Form } from './campaign-form';
import { WORKFLOW_VIEW_MAX_BYTES, workflowViewBytes } from './campaign-view';
import { fieldProblems, type FieldProblem } from './field-errors';
import { groupDigits } from './text';
import { lazy } from './lazy';

/** `bao-cao-quy`: lower-case letters, digits and inner hyphens; it will be part of cycle ids. */
export const CAMPAIGN_ID = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;
export const campaignIdSchema = lazy(() => z
  .string()
  .regex(CAMPAIGN_ID, {
    message: bilingual('a short id: lower-case letters, digits and hyphens (e.g. bao-cao-quy)', 'mã ngắn: chữ thường không dấu, chữ số và dấu gạch nối (ví dụ bao-cao-quy)'),
  })
  // the web app's page for a new campaign is /campaigns/new
  .refine((id) => id !== 'new', { message: bilingual('"new" is reserved: choose another id', '"new" là mã dành riêng: hãy chọn mã khác') }));

/** `plan`, `q1`, `so-ket`: the phase's key in ids, search attributes and URLs. */
export const PHASE_KEY = /^[a-z][a-z0-9-]{0,31}$/;

export const phaseSchema = lazy(() => z.strictObject({
  key: z.string().regex(PHASE_KEY, { message: bilingual('a key: lower-case letters, digits and hyphens (e.g. q1)', 'mã: chữ thường không dấu, chữ số và dấu gạch nối (ví dụ q1)') }),
  /** "Kế hoạch năm", "Báo cáo quý I", "Báo cáo sơ kết" */
  name: labelSchema(300),
  /** the key of one of the campaign's forms */
  form: z.string().min(1, { message: bilingual('required', 'bắt buộc') }),
  /** when the root is due; each level below is due `cascadeWorkingDays` working days earlier */
  due: deadlineRuleSchema,
}));
export type CampaignPhase = z.infer<typeof phaseSchema>;

const days = (max: number) =>
  z
    .number({ message: bilingual('a number of working days', 'số ngày làm việc') })
    .int({ message: bilingual('a whole number', 'số nguyên') })
    .min(0, { message: bilingual('must not be negative', 'không được âm') })
    .max(max, { message: bilingual(`at most ${max}`, `tối đa ${max}`) });

/** The calendar's schedule rules a campaign may set (any left out: DEFAULT_SCHEDULE_RULES). */
export const campaignScheduleSchema = lazy(() => z
  .strictObject({
    cascadeWorkingDays: days(60),
    reminderWorkingDaysBefore: z.array(days(60).min(1, { message: bilingual('at least 1', 'ít nhất 1') })).max(10),
    reminderLocalTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: bilingual('a time of day HH:mm, e.g. 08:00', 'giờ dạng HH:mm, ví dụ 08:00') }),
    escalationEveryWorkingDays: days(60).min(1, { message: bilingual('at least 1', 'ít nhất 1') }),
    climbAfterWorkingDays: days(250).min(1, { message: bilingual('at least 1', 'ít nhất 1') }),
    escalationHorizonWorkingDays: days(250),
  })
  .partial());
export type CampaignSchedule = z.infer<typeof campaignScheduleSchema>;

/** Monthly reporting has 12 phases; weekly, 52: a unit workflow loops over at most this many. */
export const MAX_PHASES = 60;

/** The levels a definition's deadlines are checked for unless it says (the national tree has 4–5). */
export const DEFAULT_CHECKED_LEVELS = 5;
/**
 * Rules relative to the cycle's year are checked in every year of one 28-year cycle of the Gregorian weekdays
 * (every weekday pattern of a year, leap or not, occurs in it).
 */
export const CHECKED_YEARS = Object.freeze({ from: 2001, to: 2028 });

const definitionShape = lazy(() => z.strictObject({
  /** the campaign's short name: "Báo cáo quý 2027" */
  name: labelSchema(300),
  /** null: the root's own plan is the issuing document (today's fixed yearly cycle) */
  document: issuingDocumentSchema.nullable().default(null),
  schedule: campaignScheduleSchema.default({}),
  /** the deepest unit tree the deadlines must work for (root = 1 level) */
  checkedLevels: z.number().int().min(1).max(MAX_DEPTHS).default(DEFAULT_CHECKED_LEVELS),
  forms: z
    .array(formSchema)
    .min(1, { message: bilingual('at least one form', 'cần ít nhất một mẫu biểu') })
    .max(MAX_PHASES, { message: bilingual(`at most ${MAX_PHASES} forms`, `tối đa ${MAX_PHASES} mẫu biểu`) }),
  phases: z
    .array(phaseSchema)
    .min(1, { message: bilingual('a campaign needs at least one phase', 'đợt báo cáo cần ít nhất một giai đoạn') })
    .max(MAX_PHASES, { message: bilingual(`at most ${MAX_PHASES} phases`, `tối đa ${MAX_PHASES} giai đoạn`) }),
}));

type Shape = z.infer<typeof definitionShape>;
type AddIssue = (path: (string | number)[], en: string, vi: string) => void;

function duplicates<T>(items: readonly T[], keyOf: (t: T) => string, report: (index: number, key: string, first: number) => void): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const key = keyOf(item);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else report(i, key, first);
  });
}

/** The figures a form's targets name, as that form defines them. */
export function targetFiguresOf(def: Pick<Shape, 'forms'>, form: Form): Figure[] {
  if (!form.targets) return [];
  const target = def.forms.find((f) => f.key === form.targets!.form);
  return form.targets.figures.map((k) => target?.figures.find((f) => f.key === k)).filter((f): f is Figure => f !== undefined);
}

function checkForm(def: Shape, form: Form, fi: number, add: AddIssue): void {
  const at = (...rest: (string | number)[]) => ['forms', fi, ...rest];
  duplicates(form.figures, (f) => f.key, (i, key, first) =>
    add(at('figures', i, 'key'), `duplicate figure key "${key}" (also figures.${first})`, `mã chỉ tiêu "${key}" bị trùng (đã có ở figures.${first})`),
  );
  // sections and lists are keys of the same content object
  const contentKeys = [...form.sections.map((s, i) => ({ key: s.key, path: at('sections', i, 'key') })), ...form.lists.map((l, i) => ({ key: l.key, path: at('lists', i, 'key') }))];
  duplicates(contentKeys, (c) => c.key, (i, key) => add(contentKeys[i]!.path, `duplicate field key "${key}" in this form`, `mã "${key}" bị trùng trong mẫu này`));
  for (const c of contentKeys) {
    if ((RESERVED_CONTENT_KEYS as readonly string[]).includes(c.key)) add(c.path, `"${c.key}" is reserved: choose another key`, `"${c.key}" là mã dành riêng: hãy chọn mã khác`);
  }
  const figureKeys = new Set(form.figures.map((f) => f.key));
  form.rules.forEach((r, ri) => {
    if (!figureKeys.has(r.left)) add(at('rules', ri, 'left'), `no figure "${r.left}" in this form`, `mẫu này không có chỉ tiêu "${r.left}"`);
    if ('figure' in r.right) {
      if (!figureKeys.has(r.right.figure)) add(at('rules', ri, 'right', 'figure'), `no figure "${r.right.figure}" in this form`, `mẫu này không có chỉ tiêu "${r.right.figure}"`);
      else if (r.right.figure === r.left) add(at('rules', ri, 'right', 'figure'), 'compares a figure with itself', 'so sánh một chỉ tiêu với chính nó');
    }
  });
  if (form.targets) {
    const target = def.forms.find((f) => f.key === form.targets!.form);
    if (!target || target === form) add(at('targets', 'form'), `no other form "${form.targets.form}" in this campaign`, `đợt này không có mẫu khác tên "${form.targets.form}"`);
    else {
      form.targets.figures.forEach((k, i) => {
        if (!target.figures.some((f) => f.key === k)) add(at('targets', 'figures', i), `form "${target.key}" has no figure "${k}"`, `mẫu "${target.key}" không có chỉ tiêu "${k}"`);
      });
      const firstUse = (key: string) => def.phases.findIndex((p) => p.form === key);
      const lastUse = (key: string) => def.phases.map((p) => p.form).lastIndexOf(key);
      if (firstUse(form.key) < 0 || lastUse(target.key) <= firstUse(form.key))
        add(at('targets', 'form'), `a phase with form "${target.key}" must come after one with form "${form.key}", whose targets it reports on`, `phải có giai đoạn dùng mẫu "${target.key}" sau giai đoạn dùng mẫu "${form.key}" đặt chỉ tiêu`);
    }
  }
  const bytes = maxContentBytes(form, targetFiguresOf(def, form));
  if (bytes > FORM_CONTENT_BUDGET_BYTES) {
    add(
      at('sections'),
      `a submission with every field at its limit would be ${groupDigits(bytes, ',')} bytes, over the budget of ${groupDigits(FORM_CONTENT_BUDGET_BYTES, ',')}: lower the sections' byte limits or the list sizes`,
      `một bài nộp điền tối đa mọi trường sẽ nặng ${groupDigits(bytes, '.')} byte, vượt ngân sách ${groupDigits(FORM_CONTENT_BUDGET_BYTES, '.')} byte: hãy giảm giới hạn byte của các mục hoặc số mục danh sách`,
    );
  }
}

function checkedYears(phases: readonly { due: DeadlineRule }[]): number[] {
  const fixed = phases.map((p) => ruleFixedYear(p.due)).filter((y): y is number => y !== undefined);
  if (fixed.length > 0) return [Math.min(...fixed)];
  const years: number[] = [];
  for (let y = CHECKED_YEARS.from; y <= CHECKED_YEARS.to; y++) years.push(y);
  return years;
}

function checkDeadlines(def: Shape, add: AddIssue): void {
  const cascade = def.schedule.cascadeWorkingDays ?? DEFAULT_SCHEDULE_RULES.cascadeWorkingDays;
  const lowest = (def.checkedLevels - 1) * cascade;
  const reported = new Set<number>();
  for (const year of checkedYears(def.phases)) {
    if (year < CYCLE_YEAR_RANGE.min || year > CYCLE_YEAR_RANGE.max) continue;
    const starts = `${year}-01-01`;
    def.phases.forEach((p, i) => {
      if (reported.has(i)) return;
      const base = ruleBaseDate(p.due, { year, firstYear: false });
      const low = weekdayCascade(base, lowest);
      if (low < starts) {
        reported.add(i);
        add(
          ['phases', i, 'due'],
          `cannot be met: with ${def.checkedLevels} levels and ${cascade} working days between levels, the lowest level would be due ${formatDateVi(low)}, before the cycle's year ${year} starts; choose a later date, fewer cascade days or fewer checked levels`,
          `không thể đáp ứng: với ${def.checkedLevels} cấp và ${cascade} ngày làm việc giữa các cấp, cấp thấp nhất phải nộp ngày ${formatDateVi(low)}, trước khi năm ${year} của chu kỳ bắt đầu; hãy chọn ngày muộn hơn, ít ngày lùi hơn hoặc ít cấp hơn`,
        );
        return;
      }
      const previous = def.phases[i - 1];
      if (!previous) return;
      const before = ruleBaseDate(previous.due, { year, firstYear: false });
      if (base <= before) {
        reported.add(i);
        add(
          ['phases', i, 'due'],
          `must come after the previous phase "${previous.key}": due ${formatDateVi(base)}, but "${previous.key}" is due ${formatDateVi(before)} (in ${year})`,
          `phải sau giai đoạn trước "${previous.key}": hạn ${formatDateVi(base)}, nhưng "${previous.key}" có hạn ${formatDateVi(before)} (năm ${year})`,
        );
      }
    });
  }
}

/** Everything wrong with a definition that its shape alone does not say. */
function checkDefinition(def: Shape, ctx: z.RefinementCtx): void {
  const add: AddIssue = (path, en, vi) => ctx.addIssue({ code: 'custom', path, message: bilingual(en, vi) });
  duplicates(def.forms, (f) => f.key, (i, key) => add(['forms', i, 'key'], `duplicate form key "${key}"`, `mã mẫu "${key}" bị trùng`));
  duplicates(def.phases, (p) => p.key, (i, key) => add(['phases', i, 'key'], `duplicate phase key "${key}"`, `mã giai đoạn "${key}" bị trùng`));
  def.phases.forEach((p, i) => {
    if (!def.forms.some((f) => f.key === p.form)) add(['phases', i, 'form'], `no form "${p.form}" in this campaign`, `đợt này không có mẫu "${p.form}"`);
  });
  def.forms.forEach((f, i) => checkForm(def, f, i, add));
  // what a running cycle's workflows carry of the definition (domain/campaign-view.ts) must stay small
  const viewBytes = workflowViewBytes(def);
  if (viewBytes > WORKFLOW_VIEW_MAX_BYTES)
    add(
      ['forms'],
      `the forms' rules and fields would weigh ${groupDigits(viewBytes, ',')} bytes in every running task, over ${groupDigits(WORKFLOW_VIEW_MAX_BYTES, ',')}: use fewer forms, figures or cross-field rules, or shorter rule messages`,
      `quy tắc và trường của các mẫu sẽ nặng ${groupDigits(viewBytes, '.')} byte trong mỗi nhiệm vụ đang chạy, vượt ${groupDigits(WORKFLOW_VIEW_MAX_BYTES, '.')} byte: hãy dùng ít mẫu, chỉ tiêu hoặc quy tắc hơn, hoặc rút gọn thông báo của quy tắc`,
    );
  // what its cycles' workflows carry for it at the largest legal values: plan, entries, a unit's own state
  checkPayloadBudgets(def, add);
  checkDeadlines(def, add);
}

export const campaignDefinitionSchema = lazy(() => definitionShape.superRefine(checkDefinition));
export type CampaignDefinition = z.infer<typeof campaignDefinitionSchema>;
export type CampaignDefinitionInput = z.input<typeof campaignDefinitionSchema>;

/** A definition as stored: the same shape, not checked again (an older version stays readable under newer rules). */
export const storedCampaignDefinitionSchema = definitionShape;

export type DefinitionCheck = { ok: true; definition: CampaignDefinition } | { ok: false; problems: FieldProblem[] };

/** Parses a definition, or says everything wrong with it, one problem per field. */
export function checkCampaignDefinition(input: unknown): DefinitionCheck {
  const parsed = campaignDefinitionSchema.safeParse(input);
  return parsed.success ? { ok: true, definition: parsed.data } : { ok: false, problems: fieldProblems(parsed.error, 'definition') };
}

/** One stored version of a campaign. */
export interface CampaignVersion {
  campaignId: string;
  version: number;
  definition: CampaignDefinition;
  createdBy: string;
  /** ISO instant */
  createdAt: string;
  /** a cycle uses it: never edited again */
  frozen: boolean;
  /** the first cycle that froze it, when one did */
  frozenBy: string | null;
}

export interface CampaignSummary {
  id: string;
  /** the latest version's name */
  name: { vi: string; en: string };
  latestVersion: number;
  versions: number;
  /** whether the latest version is frozen (an edit then makes a new version) */
  latestFrozen: boolean;
  builtin: boolean;
}

/** A campaign as a file: what `baocao campaign export` writes and `import` reads. */
export const CAMPAIGN_FILE_FORMAT = 'baocao-campaign/1';
export const campaignFileSchema = lazy(() => z.strictObject({
  format: z.literal(CAMPAIGN_FILE_FORMAT, { message: bilingual(`format: "${CAMPAIGN_FILE_FORMAT}"`, `format: "${CAMPAIGN_FILE_FORMAT}"`) }).optional(),
  id: campaignIdSchema,
  /** informative in an exported file; an import makes the next version */
  version: z.number().int().min(1).optional(),
  definition: z.unknown(),
}));
export type CampaignFile = z.infer<typeof campaignFileSchema>;

/** A form of a definition by key; the phases name forms by key, so an unknown key is a definition error caught above. */
export function formOf(def: Pick<CampaignDefinition, 'forms'>, key: string): Form | undefined {
  return def.forms.find((f) => f.key === key);
}
