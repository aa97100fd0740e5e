// Texts people read in both languages. Messages of refusals read "English / tiếng Việt", as every field error
// does (domain/field-errors.ts).
import { z } from 'zod';
import { limitedText } from './text';

/** "English / tiếng Việt": the one shape of every refusal message. */
export function bilingual(en: string, vi: string): string {
  return `${en} / ${vi}`;
}

/** A label or title in Vietnamese, with its English (pages and emails in English show it). */
export function labelSchema(maxBytes: number) {
  return z.strictObject({
    vi: limitedText(maxBytes).min(1, { message: bilingual('required', 'bắt buộc') }),
    en: limitedText(maxBytes).min(1, { message: bilingual('required', 'bắt buộc') }),
  });
}

/** Longer guidance in Vietnamese, optionally in English (empty: the Vietnamese is shown to everyone). */
export function guidanceSchema(maxBytes: number) {
  return z.strictObject({ vi: limitedText(maxBytes).default(''), en: limitedText(maxBytes).default('') });
}

export type Label = { vi: string; en: string };
