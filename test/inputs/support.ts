// Texts of an exact size in bytes as stored (workflows/text.ts), in Vietnamese with diacritics, for limit tests.
import { storedBytes } from '../../workflows/text';

/** Vietnamese words, NFC, mixing 1-, 2- and 3-byte letters. */
const WORDS = 'Ban Thường vụ Công đoàn cơ sở đã tổ chức học tập chuyên đề, đăng ký làm theo tấm gương đạo đức, phong cách Hồ Chí Minh; ';
/** the same with what JSON escapes (each of these is two bytes as stored): the worst case for a payload */
const ESCAPED = 'Đoàn viên nói: "Học tập và làm theo Bác" \\ gương sáng\n\t';

/** A text of exactly `bytes` bytes as stored, made of `pattern` repeated, padded with ASCII to the exact size. */
export function textOf(bytes: number, pattern: 'vietnamese' | 'escapes' = 'vietnamese'): string {
  const unit = pattern === 'vietnamese' ? WORDS : ESCAPED;
  const parts: string[] = [];
  let size = 0;
  const unitBytes = storedBytes(unit);
  for (; size + unitBytes <= bytes; size += unitBytes) parts.push(unit);
  for (const ch of unit) {
    const b = storedBytes(ch);
    if (size + b > bytes) break;
    parts.push(ch);
    size += b;
  }
  let s = parts.join('') + 'a'.repeat(bytes - size);
  // trimmed by the schema: never end with whitespace (each escaped one is two bytes, so two letters)
  s = s.replace(/\s+$/, (w) => 'a'.repeat(storedBytes(w)));
  if (storedBytes(s) !== bytes) throw new Error(`textOf(${bytes}) made ${storedBytes(s)} bytes`);
  return s;
}
