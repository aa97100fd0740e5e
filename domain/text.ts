// Text that people type, as every schema takes it: NFC, line breaks as "\n", no control characters, and a size
// counted in bytes as it is stored and sent (UTF-8 inside JSON), never in characters. Deterministic and free of
// Node APIs: workflow code parses its inputs with these schemas.
import { z } from 'zod';

/** The most one payload of ours may weigh (signal, update argument, activity input/output), far below Temporal's 2 MB. */
export const PAYLOAD_BUDGET_BYTES = 256 * 1024;

/** Bytes of `s` in UTF-8. A lone surrogate counts 3 (it is sent as U+FFFD). */
export function utf8Bytes(s: string): number {
  let bytes = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** Bytes of a JSON-safe value as Temporal sends it (JSON text in UTF-8). */
export function jsonBytes(value: unknown): number {
  return utf8Bytes(JSON.stringify(value) ?? '');
}

/**
 * Bytes a string takes inside a JSON document, quotes excluded: UTF-8, plus one for every character JSON escapes
 * (a line break, tab, quote or backslash is two bytes). Limits count these, so a field at its limit is exactly
 * that many bytes of payload whatever it contains.
 */
export function storedBytes(s: string): number {
  return jsonBytes(s) - 2;
}

/**
 * The same text however it was typed: Unicode NFC (Vietnamese typed with combining marks — NFD, as some
 * keyboards and macOS produce — becomes the precomposed letters), Windows and old Mac line breaks as "\n".
 */
export function normaliseText(s: string): string {
  return s.replace(/\r\n?/g, '\n').normalize('NFC');
}

// C0 controls but tab and line feed (a carriage return is a line break, normalised above), DEL, C1 controls.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/u; // eslint-disable-line no-control-regex
const LONE_SURROGATE = /\p{Cs}/u;

/** Groups digits: 20,000 in English, 20.000 in Vietnamese. */
export function groupDigits(n: number, separator: ',' | '.'): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/**
 * How many characters of Vietnamese with diacritics surely fit in `bytes`: a precomposed letter such as "ệ" is 3
 * bytes in UTF-8, so a third, rounded down to two significant digits (20,000 bytes → 6,600 characters).
 */
export function vietnameseCharsIn(bytes: number): number {
  const chars = Math.floor(bytes / 3);
  if (chars < 100) return chars;
  const unit = 10 ** (String(chars).length - 2);
  return Math.floor(chars / unit) * unit;
}

/** "at most 20,000 bytes (about 6,600 characters of Vietnamese) / tối đa 20.000 byte (khoảng 6.600 ký tự tiếng Việt có dấu)" */
export function byteLimitText(maxBytes: number): { en: string; vi: string } {
  const chars = vietnameseCharsIn(maxBytes);
  return {
    en: `at most ${groupDigits(maxBytes, ',')} bytes (about ${groupDigits(chars, ',')} characters of Vietnamese)`,
    vi: `tối đa ${groupDigits(maxBytes, '.')} byte (khoảng ${groupDigits(chars, '.')} ký tự tiếng Việt có dấu)`,
  };
}

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

function lineOf(s: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (s.charCodeAt(i) === 10) line++;
  return line;
}

/** Why a (normalised) text is not acceptable apart from its size, in English and Vietnamese; null when it is. */
export function textProblem(s: string): string | null {
  const control = CONTROL.exec(s);
  if (control) {
    const code = hex(control[0].codePointAt(0)!);
    const line = lineOf(s, control.index);
    return `contains the control character ${code} on line ${line}: remove it (only line breaks and tabs are allowed) / có ký tự điều khiển ${code} ở dòng ${line}: hãy xoá ký tự này (chỉ được dùng xuống dòng và tab)`;
  }
  const lone = LONE_SURROGATE.exec(s);
  if (lone) {
    const code = hex(lone[0].charCodeAt(0));
    const line = lineOf(s, lone.index);
    return `contains a broken character (lone surrogate ${code}) on line ${line}: retype it / có ký tự hỏng (${code}) ở dòng ${line}: hãy gõ lại`;
  }
  return null;
}

function sizeProblem(s: string, maxBytes: number): string | null {
  const bytes = storedBytes(s);
  if (bytes <= maxBytes) return null;
  const limit = byteLimitText(maxBytes);
  return `${limit.en}; this text has ${groupDigits(bytes, ',')} / ${limit.vi}; văn bản này có ${groupDigits(bytes, '.')} byte`;
}

/** Text as recorded: normalised the same way, but no limit and nothing refused (for what was accepted before). */
export function recordedText() {
  return z.string().overwrite(normaliseText).trim();
}

/**
 * A text field of at most `maxBytes` bytes as stored (see storedBytes), NFC, trimmed, without control characters.
 * The character cap beside the byte check is implied by it (every character is at least one byte) and lets the
 * JSON Schema of the API state an upper bound.
 */
export function limitedText(maxBytes: number) {
  const limit = byteLimitText(maxBytes);
  return recordedText()
    .superRefine((s, ctx) => {
      const problem = textProblem(s) ?? sizeProblem(s, maxBytes);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, abort: true });
    })
    .max(maxBytes, { message: `${limit.en} / ${limit.vi}` });
}
