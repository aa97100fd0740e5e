// Validation of one import row with zod. Every zod message here is a key of MESSAGES, so each failure maps
// to one bilingual text; the row's line and the column travel with it.
import { z } from 'zod';
import type { LocalDate } from '../calendar/types';
import { kindOfCell } from './columns';
import { parseLocalDate } from './dates';
import type { RowError } from './errors';
import type { RawRow } from './import-sources';
import { isMessageKey, message, type MessageKey } from './messages';
import { DEFAULT_LANGUAGE, LANGUAGES, UNIT_KINDS, type Contact, type UnitInput } from './types';

/**
 * Unit ids: what types.ts promises (`[A-Za-z0-9_.-]`, ≤ 64 characters), except `__proto__`: workflows keep their
 * children in plain objects keyed by id, where assigning that key sets the prototype instead of an entry.
 */
export const UNIT_ID_PATTERN = /^(?!__proto__$)[A-Za-z0-9_.-]{1,64}$/;
const MAX_NAME = 300;
const MAX_PERSON = 200;

/** Trimmed NFC text, or undefined for an empty cell; JSON numbers become text, arrays stay. */
export function cleanCell(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return value;
  const t = value.normalize('NFC').trim();
  return t === '' ? undefined : t;
}

const lowerCell = (v: unknown) => {
  const c = cleanCell(v);
  return typeof c === 'string' ? c.toLowerCase() : c;
};

const kindCell = (v: unknown) => {
  const c = cleanCell(v);
  return typeof c === 'string' ? kindOfCell(c) : c;
};

/** An absent value is "required"; anything else wrong gets the field's own message. */
const keyed = (key: MessageKey) => ({ error: (iss: { input?: unknown }) => (iss.input === undefined ? 'required' : key) });

const id = z.string(keyed('bad_id')).regex(UNIT_ID_PATTERN, 'bad_id');
const text = (max: number) => z.string(keyed('required')).max(max, 'too_long');
const email = z.email(keyed('bad_email'));
const date = z.string(keyed('bad_date')).transform((s, ctx) => {
  const d = parseLocalDate(s);
  if (!d) {
    ctx.issues.push({ code: 'custom', message: 'bad_date', input: s });
    return z.NEVER;
  }
  return d;
});

const ANGLE = /^(.*?)\s*<\s*([^<>\s]+)\s*>$/;

/** `Tên <email>; Tên 2 <email2>` (also newlines, or a bare email) → contacts, plus the parts that are not. */
export function parseDistribution(text: string): { contacts: Contact[]; bad: string[] } {
  const contacts: Contact[] = [];
  const bad: string[] = [];
  for (const raw of text.normalize('NFC').split(/[;\n]/)) {
    const part = raw.trim();
    if (!part) continue;
    const m = ANGLE.exec(part);
    const name = m ? m[1]!.trim().replace(/^"(.*)"$/, '$1').trim() : '';
    const address = (m ? m[2]! : part).toLowerCase();
    if (z.email().safeParse(address).success) contacts.push({ name, email: address });
    else bad.push(part);
  }
  return { contacts, bad };
}

/** The inverse of parseDistribution. */
export function formatDistribution(contacts: readonly Contact[]): string {
  return contacts.map((c) => (c.name ? `${c.name} <${c.email}>` : c.email)).join('; ');
}

const jsonContact = z.object({ name: z.string().default(''), email: z.string() });

/** Text in files; in JSON also an array of `{ name, email }` objects or strings. */
const distribution = z.union([z.string(), z.array(z.union([z.string(), jsonContact]))], { error: 'bad_distribution' }).transform((value, ctx) => {
  const parts = typeof value === 'string' ? [value] : value.map((v) => (typeof v === 'string' ? v : `${v.name} <${v.email}>`));
  const { contacts, bad } = parseDistribution(parts.join(';'));
  for (const b of bad) ctx.issues.push({ code: 'custom', message: 'bad_distribution', input: b, params: { value: b } });
  return contacts;
});

const rowSchema = z.object({
    id: z.preprocess(cleanCell, id),
    name: z.preprocess(cleanCell, text(MAX_NAME)),
    kind: z.preprocess(kindCell, z.enum(UNIT_KINDS, keyed('bad_kind'))),
    parent_id: z.preprocess(cleanCell, id.optional()),
    chair_name: z.preprocess(cleanCell, text(MAX_PERSON)),
    chair_email: z.preprocess(lowerCell, email),
    officer_name: z.preprocess(cleanCell, text(MAX_PERSON)),
    officer_email: z.preprocess(lowerCell, email),
    language: z.preprocess(lowerCell, z.enum(LANGUAGES, { error: 'bad_language' }).optional()),
    active_from: z.preprocess(cleanCell, date.optional()),
    active_to: z.preprocess(cleanCell, date.optional()),
    distribution: z.preprocess(cleanCell, distribution.optional()),
  effective_from: z.preprocess(cleanCell, date.optional()),
});

function show(value: unknown): string {
  const c = cleanCell(value);
  return typeof c === 'string' ? c : c === undefined ? '' : JSON.stringify(c);
}

/** Checks between dates of one row, run even when other fields fail so that every problem shows at once. */
function dateOrder(raw: RawRow, defaultActiveFrom: LocalDate): RowError[] {
  const read = (field: string) => {
    const c = cleanCell(raw.values[field]);
    return typeof c === 'string' ? parseLocalDate(c) : undefined;
  };
  const from = cleanCell(raw.values.active_from) === undefined ? defaultActiveFrom : read('active_from');
  if (!from) return [];
  const errors: RowError[] = [];
  const to = read('active_to');
  if (to && to < from) errors.push({ line: raw.line, field: 'active_to', ...message('active_to_before_from', { value: to, other: from }) });
  const effective = read('effective_from');
  if (effective && effective < from) {
    errors.push({ line: raw.line, field: 'effective_from', ...message('effective_before_active', { value: effective, other: from }) });
  }
  return errors;
}

/** Optional columns that have a default value, reported when a row leaves them out. */
export type DefaultedColumn = 'active_from' | 'language';

/**
 * A valid row as a unit to upsert (with the optional columns it left to their defaults), or every problem of
 * the row. `defaultActiveFrom`: the date a row without active_from gets.
 */
export function validateRow(
  raw: RawRow,
  defaultActiveFrom: LocalDate,
): { unit: UnitInput; defaulted: DefaultedColumn[]; errors: [] } | { unit?: undefined; errors: RowError[] } {
  const parsed = rowSchema.safeParse(raw.values);
  const ordering = dateOrder(raw, defaultActiveFrom);
  if (!parsed.success || ordering.length > 0) {
    const errors = (parsed.error?.issues ?? []).map((issue): RowError => {
      const field = issue.path.map(String).join('.') || '*';
      const params = (issue as { params?: { value?: string; other?: string } }).params ?? {};
      const top = issue.path[0];
      const value = params.value ?? show(top === undefined ? undefined : raw.values[String(top)]);
      const other = params.other ?? ('maximum' in issue ? String(issue.maximum) : undefined);
      const text = isMessageKey(issue.message) ? message(issue.message, { value, other }) : { vi: issue.message, en: issue.message };
      return { line: raw.line, field, ...text };
    });
    return { errors: [...errors, ...ordering] };
  }
  const r = parsed.data;
  const defaulted: DefaultedColumn[] = [];
  if (r.active_from === undefined) defaulted.push('active_from');
  if (r.language === undefined) defaulted.push('language');
  return {
    defaulted,
    unit: {
      id: r.id,
      name: r.name,
      kind: r.kind,
      parentId: r.parent_id ?? null,
      chair: { name: r.chair_name, email: r.chair_email },
      officer: { name: r.officer_name, email: r.officer_email },
      language: r.language ?? DEFAULT_LANGUAGE,
      activeFrom: r.active_from ?? defaultActiveFrom,
      activeTo: r.active_to ?? null,
      distribution: r.distribution ?? [],
      ...(r.effective_from ? { parentEffectiveFrom: r.effective_from } : {}),
    },
    errors: [],
  };
}
