// The campaign editor's form as flat fields, and back. A definition is nested (forms hold sections, figures,
// rules, lists); a page without scripts edits it as tables of rows, each row naming its form, with input names
// that follow the definition's paths (`phases.2.due.kind`, `figures.4.label.vi`). Problems the definition check
// reports (`forms.0.figures.2.key`) are mapped back to the row's input, so each message stands beside its field.
import type { CampaignDefinition } from '../../../domain/campaign';
import type { FieldProblem } from '../../../domain/field-errors';
import { formValue } from '../http';

export type Row = Record<string, string>;

export interface CampaignFormData {
  id: string;
  /** the version the editor started from ('' for a new campaign) */
  baseVersion: string;
  fields: Record<string, string>;
  phases: Row[];
  forms: Row[];
  sections: Row[];
  figures: Row[];
  rules: Row[];
  lists: Row[];
}

export const TABLE_COLUMNS = {
  phases: ['key', 'name.vi', 'name.en', 'form', 'due.kind', 'due.quarter', 'due.plusDays', 'due.date'],
  forms: ['key', 'title.vi', 'title.en', 'targets.form', 'targets.figures'],
  sections: ['form', 'key', 'title.vi', 'title.en', 'guidance.vi', 'guidance.en', 'required', 'maxBytes'],
  figures: ['form', 'key', 'label.vi', 'label.en', 'unit.vi', 'unit.en', 'type', 'decimals', 'min', 'max', 'aggregation'],
  rules: ['form', 'left', 'op', 'right', 'message.vi', 'message.en'],
  lists: ['form', 'key', 'title.vi', 'title.en', 'guidance.vi', 'guidance.en', 'maxItems', 'nameMaxBytes', 'reasonMaxBytes'],
} as const;
export type TableName = keyof typeof TABLE_COLUMNS;
export const TABLES = Object.keys(TABLE_COLUMNS) as TableName[];

export const SINGLE_FIELDS = [
  'name.vi',
  'name.en',
  'document.number',
  'document.symbol',
  'document.date',
  'document.place',
  'document.title',
  'document.issuingBody',
  'document.signer.title',
  'document.signer.name',
  'document.guidance',
  'document.distribution',
  'document.attachments',
  'schedule',
  'schedule.cascadeWorkingDays',
  'checkedLevels',
] as const;

/** Empty rows offered below the filled ones, to add a phase, a section… without a script. */
export const BLANK_ROWS = 2;
const MAX_ROWS = 200;

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** The editor's fields for a stored definition (or the starting point of a new campaign). */
export function formDataOf(id: string, baseVersion: number | undefined, def: CampaignDefinition): CampaignFormData {
  const d = def.document;
  const { cascadeWorkingDays, ...otherRules } = def.schedule;
  const fields: Record<string, string> = {
    'name.vi': def.name.vi,
    'name.en': def.name.en,
    'document.number': d?.number ?? '',
    'document.symbol': d?.symbol ?? '',
    'document.date': d?.date ?? '',
    'document.place': d?.place ?? '',
    'document.title': d?.title ?? '',
    'document.issuingBody': d?.issuingBody ?? '',
    'document.signer.title': d?.signer.title ?? '',
    'document.signer.name': d?.signer.name ?? '',
    'document.guidance': d?.guidance ?? '',
    'document.distribution': (d?.distribution ?? []).join('\n'),
    // the file store's references travel as they are (attaching files is the file store's page)
    'document.attachments': d && d.attachments.length > 0 ? JSON.stringify(d.attachments) : '',
    schedule: Object.keys(otherRules).length > 0 ? JSON.stringify(otherRules) : '',
    'schedule.cascadeWorkingDays': str(cascadeWorkingDays),
    checkedLevels: str(def.checkedLevels),
  };
  const phases = def.phases.map((p) => ({
    key: p.key,
    'name.vi': p.name.vi,
    'name.en': p.name.en,
    form: p.form,
    'due.kind': p.due.kind,
    'due.quarter': p.due.kind === 'quarter-end' ? String(p.due.quarter) : '',
    'due.plusDays': p.due.kind === 'quarter-end' ? String(p.due.plusDays) : '',
    'due.date': p.due.kind === 'date' ? p.due.date : '',
  }));
  const forms = def.forms.map((f) => ({ key: f.key, 'title.vi': f.title.vi, 'title.en': f.title.en, 'targets.form': f.targets?.form ?? '', 'targets.figures': f.targets?.figures.join(', ') ?? '' }));
  const sections = def.forms.flatMap((f) =>
    f.sections.map((s) => ({ form: f.key, key: s.key, 'title.vi': s.title.vi, 'title.en': s.title.en, 'guidance.vi': s.guidance.vi, 'guidance.en': s.guidance.en, required: s.required ? '1' : '', maxBytes: String(s.maxBytes) })),
  );
  const figures = def.forms.flatMap((f) =>
    f.figures.map((g) => ({ form: f.key, key: g.key, 'label.vi': g.label.vi, 'label.en': g.label.en, 'unit.vi': g.unit.vi, 'unit.en': g.unit.en, type: g.type, decimals: String(g.decimals), min: String(g.min), max: String(g.max), aggregation: g.aggregation })),
  );
  const rules = def.forms.flatMap((f) =>
    f.rules.map((r) => ({ form: f.key, left: r.left, op: r.op, right: 'figure' in r.right ? r.right.figure : String(r.right.value), 'message.vi': r.message.vi, 'message.en': r.message.en })),
  );
  const lists = def.forms.flatMap((f) =>
    f.lists.map((l) => ({ form: f.key, key: l.key, 'title.vi': l.title.vi, 'title.en': l.title.en, 'guidance.vi': l.guidance.vi, 'guidance.en': l.guidance.en, maxItems: String(l.maxItems), nameMaxBytes: String(l.nameMaxBytes), reasonMaxBytes: String(l.reasonMaxBytes) })),
  );
  return { id, baseVersion: baseVersion === undefined ? '' : String(baseVersion), fields, phases, forms, sections, figures, rules, lists };
}

/** The editor's fields as posted. */
export function formDataFromBody(body: unknown): CampaignFormData {
  const fields = Object.fromEntries(SINGLE_FIELDS.map((f) => [f, formValue(body, f)]));
  const keys = body && typeof body === 'object' ? Object.keys(body) : [];
  const rows = (table: TableName): Row[] => {
    const indexes = keys.map((k) => new RegExp(`^${table}\\.(\\d+)\\.`).exec(k)?.[1]).filter((i): i is string => i !== undefined).map(Number);
    const count = Math.min(MAX_ROWS, indexes.length > 0 ? Math.max(...indexes) + 1 : 0);
    const out: Row[] = [];
    for (let i = 0; i < count; i++) {
      const row = Object.fromEntries(TABLE_COLUMNS[table].map((c) => [c, formValue(body, `${table}.${i}.${c}`)]));
      // a blank row (one of those offered for adding) is no row; a row's `form` or `type` alone does not fill it
      const filled = Object.entries(row).some(([c, v]) => v.trim() !== '' && !['form', 'type', 'op', 'aggregation', 'due.kind'].includes(c));
      if (filled) out.push(row);
    }
    return out;
  };
  return {
    id: formValue(body, 'id').trim(),
    baseVersion: formValue(body, 'baseVersion'),
    fields,
    phases: rows('phases'),
    forms: rows('forms'),
    sections: rows('sections'),
    figures: rows('figures'),
    rules: rows('rules'),
    lists: rows('lists'),
  };
}

/** A number when the text is one (else the text itself, which the definition check then refuses as "a number"). */
function numberOr(text: string): number | string | undefined {
  const t = text.trim().replace(',', '.');
  if (t === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : text;
}

function jsonOr(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text; // refused by the schema, beside its field
  }
}

const label = (row: Row, key: string) => ({ vi: row[`${key}.vi`] ?? '', en: row[`${key}.en`] ?? '' });

export interface BuiltDefinition {
  /** what the definition check is given */
  input: unknown;
  /** definition path prefix → the input name prefix it was read from (`forms.0.figures.2` → `figures.5`) */
  paths: Map<string, string>;
}

/** The posted fields as a definition to check; `paths` takes the check's problems back to the inputs. */
export function definitionFromForm(data: CampaignFormData): BuiltDefinition {
  const f = data.fields;
  const paths = new Map<string, string>();
  const docGiven = ['document.number', 'document.symbol', 'document.title', 'document.issuingBody'].some((k) => (f[k] ?? '').trim() !== '');
  const document = docGiven
    ? {
        number: f['document.number'],
        symbol: f['document.symbol'],
        date: f['document.date'],
        place: f['document.place'],
        title: f['document.title'],
        issuingBody: f['document.issuingBody'],
        signer: { title: f['document.signer.title'], name: f['document.signer.name'] },
        guidance: f['document.guidance'],
        distribution: (f['document.distribution'] ?? '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== ''),
        attachments: jsonOr(f['document.attachments'] ?? '') ?? [],
      }
    : null;
  const otherRules = jsonOr(f.schedule ?? '');
  const cascade = numberOr(f['schedule.cascadeWorkingDays'] ?? '');
  const schedule = { ...(otherRules && typeof otherRules === 'object' ? otherRules : {}), ...(cascade === undefined ? {} : { cascadeWorkingDays: cascade }) };

  const phases = data.phases.map((row, i) => {
    paths.set(`phases.${i}`, `phases.${i}`);
    const kind = row['due.kind'] ?? '';
    const due =
      kind === 'quarter-end'
        ? { kind, quarter: numberOr(row['due.quarter'] ?? ''), plusDays: numberOr(row['due.plusDays'] ?? '') }
        : kind === 'date'
          ? { kind, date: (row['due.date'] ?? '').trim() }
          : { kind };
    return { key: (row.key ?? '').trim(), name: label(row, 'name'), form: (row.form ?? '').trim(), due };
  });

  const forms = data.forms.map((row, fi) => {
    paths.set(`forms.${fi}`, `forms.${fi}`);
    const key = (row.key ?? '').trim();
    const rowsOf = (table: TableName) =>
      data[table]
        .map((r, index) => ({ r, index }))
        .filter(({ r }) => (r.form ?? '').trim() === key)
        .map(({ r, index }, j) => {
          paths.set(`forms.${fi}.${table}.${j}`, `${table}.${index}`);
          return r;
        });
    const targetFigures = (row['targets.figures'] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    return {
      key,
      title: label(row, 'title'),
      sections: rowsOf('sections').map((r) => ({
        key: (r.key ?? '').trim(),
        title: label(r, 'title'),
        guidance: label(r, 'guidance'),
        required: r.required === '1' || r.required === 'on',
        maxBytes: numberOr(r.maxBytes ?? ''),
      })),
      figures: rowsOf('figures').map((r) => ({
        key: (r.key ?? '').trim(),
        label: label(r, 'label'),
        unit: label(r, 'unit'),
        type: r.type,
        decimals: numberOr(r.decimals ?? ''),
        min: numberOr(r.min ?? ''),
        max: numberOr(r.max ?? ''),
        aggregation: r.aggregation,
      })),
      rules: rowsOf('rules').map((r) => {
        const right = numberOr(r.right ?? '');
        return { left: (r.left ?? '').trim(), op: r.op, right: typeof right === 'number' ? { value: right } : { figure: (r.right ?? '').trim() }, message: label(r, 'message') };
      }),
      lists: rowsOf('lists').map((r) => ({
        kind: 'commendations',
        key: (r.key ?? '').trim(),
        title: label(r, 'title'),
        guidance: label(r, 'guidance'),
        maxItems: numberOr(r.maxItems ?? ''),
        nameMaxBytes: numberOr(r.nameMaxBytes ?? ''),
        reasonMaxBytes: numberOr(r.reasonMaxBytes ?? ''),
      })),
      ...(row['targets.form']?.trim() ? { targets: { form: row['targets.form'].trim(), figures: targetFigures } } : {}),
    };
  });

  const checked = numberOr(f.checkedLevels ?? '');
  const input = { name: { vi: f['name.vi'], en: f['name.en'] }, document, schedule, ...(checked === undefined ? {} : { checkedLevels: checked }), forms, phases };
  return { input, paths };
}

/** The input names of the editor (to take a problem's path to the nearest input). */
function inputNames(data: CampaignFormData): Set<string> {
  const names = new Set<string>(['id', ...SINGLE_FIELDS]);
  for (const table of TABLES) data[table].forEach((_, i) => TABLE_COLUMNS[table].forEach((c) => names.add(`${table}.${i}.${c}`)));
  return names;
}

/** Each problem at the input it is about: `forms.0.figures.2.key` → `figures.5.key`; the rest at the nearest input up. */
export function problemsByInput(data: CampaignFormData, built: BuiltDefinition, problems: readonly FieldProblem[]): Record<string, string> {
  const names = inputNames(data);
  const out: Record<string, string> = {};
  for (const p of problems) {
    const parts = p.field.replace(/^definition\.?/, '').split('.');
    let name = p.field;
    for (let n = parts.length; n > 0; n--) {
      const prefix = parts.slice(0, n).join('.');
      const mapped = built.paths.get(prefix);
      if (mapped !== undefined) {
        name = [mapped, ...parts.slice(n)].join('.');
        break;
      }
    }
    // `rules.3.right.figure` → `rules.3.right`; `forms.0.sections` → `forms.0.key`'s row, shown at its key
    let segments = name.split('.');
    while (segments.length > 1 && !names.has(segments.join('.'))) segments = segments.slice(0, -1);
    let target = segments.join('.');
    if (!names.has(target) && names.has(`${target}.key`)) target = `${target}.key`;
    if (!(target in out)) out[names.has(target) ? target : p.field] = p.message;
  }
  return out;
}

/**
 * The problems problemsByInput could take to no input — about a whole table or the whole definition (`phases`: its
 * deadline plan too heavy; `forms`: a unit's entry too heavy) — as `field: message` lines for the page's notice, so
 * that none is lost; undefined when every problem stands beside an input.
 */
export function unplacedProblems(data: CampaignFormData, errors: Readonly<Record<string, string>>): string | undefined {
  const names = inputNames(data);
  const lines = Object.entries(errors)
    .filter(([name]) => !names.has(name))
    .map(([name, message]) => `${name}: ${message}`);
  return lines.length > 0 ? lines.join('\n') : undefined;
}
