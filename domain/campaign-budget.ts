// The heaviest submission a form can receive, in bytes of JSON as Temporal carries it, computed from the
// form's limits (every text at its byte limit, every list full, every figure at its longest) — so a definition
// whose forms could not fit one payload is refused before any unit meets the problem.
import { CHANNEL_MAX_CHARS } from './channels';
import type { Figure, Form } from './campaign-form';
import { ATTACHMENT_MEDIA_TYPES, FILE_NAME_MAX_BYTES, MAX_FILES_PER_SUBMISSION } from './file-ref';
import { IDEMPOTENCY_KEY_MAX_CHARS, SUBMISSION_MAX_JSON_BYTES, SUBMITTED_BY_MAX_BYTES } from './submission-limits';
import { jsonBytes } from './text';

/** The heaviest file reference as JSON: a name of quotes (each escaped to two bytes; control characters are refused). */
const MAX_FILE_REF_JSON_BYTES = jsonBytes({
  id: 'x'.repeat(22),
  sha256: 'f'.repeat(64),
  size: Number.MAX_SAFE_INTEGER,
  mediaType: ATTACHMENT_MEDIA_TYPES.reduce((a, b) => (b.length > a.length ? b : a)),
  name: '"'.repeat(FILE_NAME_MAX_BYTES),
});

/**
 * Room kept in every submission's payload for what every form's content carries besides its own fields (the
 * references to attached files, domain/file-ref.ts) and what the phase-driven update adds around it (the phase
 * key): a form may use the budget less this.
 */
export const SUBMISSION_ENVELOPE_RESERVE_BYTES = 2_048 + MAX_FILES_PER_SUBMISSION * MAX_FILE_REF_JSON_BYTES;
/** What a form's content may weigh at most. */
export const FORM_CONTENT_BUDGET_BYTES = SUBMISSION_MAX_JSON_BYTES - SUBMISSION_ENVELOPE_RESERVE_BYTES;

/** Characters of the longest JSON number a figure accepts (sign, digits, decimal point and fraction digits). */
export function figureJsonChars(f: Pick<Figure, 'type' | 'min' | 'max' | 'decimals'>): number {
  const whole = (n: number) => String(Math.trunc(Math.abs(n))).length + (n < 0 ? 1 : 0);
  const intChars = Math.max(whole(f.min), whole(f.max));
  return f.type === 'integer' ? intChars : intChars + 1 + f.decimals;
}

/** The largest content of a form as JSON bytes. `targetFigures`: the figures its `targets` name, if any. */
export function maxContentBytes(form: Form, targetFigures: readonly Figure[] = []): number {
  // a skeleton with empty texts and one-digit figures, then what filling each one adds
  const skeleton: Record<string, unknown> = {};
  let extra = 0;
  for (const s of form.sections) {
    skeleton[s.key] = '';
    extra += s.maxBytes;
  }
  if (form.figures.length > 0) {
    skeleton.figures = Object.fromEntries(form.figures.map((f) => [f.key, 0]));
    for (const f of form.figures) extra += figureJsonChars(f) - 1;
  }
  for (const list of form.lists) {
    const item = { kind: 'individual', name: '', reason: '' } as const;
    skeleton[list.key] = Array.from({ length: list.maxItems }, () => item);
    extra += list.maxItems * (list.nameMaxBytes + list.reasonMaxBytes);
  }
  if (targetFigures.length > 0) {
    skeleton.targets = Object.fromEntries(targetFigures.map((f) => [f.key, 0]));
    for (const f of targetFigures) extra += figureJsonChars(f) - 1;
  }
  return jsonBytes(skeleton) + extra;
}

/** The largest whole submission (update argument) of a form, reserve excluded. */
export function maxSubmissionBytes(form: Form, targetFigures: readonly Figure[] = []): number {
  const envelope = { idempotencyKey: 'k'.repeat(IDEMPOTENCY_KEY_MAX_CHARS), channel: 'c'.repeat(CHANNEL_MAX_CHARS), submittedBy: '', content: 0 };
  return jsonBytes(envelope) - 1 + SUBMITTED_BY_MAX_BYTES + maxContentBytes(form, targetFigures);
}
