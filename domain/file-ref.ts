// A reference to an attached file, as submissions carry it: never the bytes (they live in the file store,
// activities/files/), only what identifies and checks them — the upload's id, the SHA-256 and size of its
// bytes, the type found in its content, and the name to download it under. The archive activity that records
// a submission refuses a reference that is not stored or does not match (activities/files/references.ts).
// Deterministic, no Node APIs: workflow code parses submissions with these schemas.
import { z } from 'zod';
import { recordedText, textProblem, utf8Bytes } from './text';
import { lazy } from './lazy';

/** files one submission may carry: the signed scan and a few annexes (bounds the payload, test/inputs/limits.test.ts) */
export const MAX_FILES_PER_SUBMISSION = 10;
/** a file name's UTF-8 bytes at most: what every filesystem and ZIP tool takes */
export const FILE_NAME_MAX_BYTES = 255;

/** What may be attached, by the type found in the bytes (never by the name). */
export const ATTACHMENT_TYPES = {
  'application/pdf': { ext: 'pdf', label: 'PDF' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { ext: 'docx', label: 'Word (DOCX)' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { ext: 'xlsx', label: 'Excel (XLSX)' },
  'image/jpeg': { ext: 'jpg', label: 'JPEG' },
  'image/png': { ext: 'png', label: 'PNG' },
} as const;
export type AttachmentType = keyof typeof ATTACHMENT_TYPES;
export const ATTACHMENT_MEDIA_TYPES = Object.keys(ATTACHMENT_TYPES) as [AttachmentType, ...AttachmentType[]];

/** an upload's id: 22 characters of base64url (128 random bits) */
export const FILE_ID = /^[A-Za-z0-9_-]{22}$/;
const sha256 = lazy(() => z.string().regex(/^[0-9a-f]{64}$/, { message: 'sha256: 64 lower-case hex digits / 64 chữ số hex' }));

/**
 * Why a file name cannot be kept as given, in English and Vietnamese; null when it can. A name is a name, not a
 * path: no "/" or "\", no ".." of its own, no control characters, at most FILE_NAME_MAX_BYTES (NFC first).
 */
export function fileNameProblem(name: string): string | null {
  if (name.trim() === '') return 'the file has no name / tệp không có tên';
  if (/[/\\]/.test(name) || name === '.' || name === '..' || name.split('.').every((p) => p === ''))
    return `the file name "${name}" contains a path (/, \\ or ..): give the file's own name / tên tệp chứa đường dẫn (/, \\ hoặc ..): hãy dùng tên của chính tệp`;
  const text = textProblem(name);
  if (text || /[\n\t]/.test(name)) return `the file name: ${text ?? 'a line break or tab / có xuống dòng hoặc tab'}`;
  if (utf8Bytes(name) > FILE_NAME_MAX_BYTES)
    return `the file name is longer than ${FILE_NAME_MAX_BYTES} bytes: shorten it / tên tệp dài quá ${FILE_NAME_MAX_BYTES} byte: hãy đặt tên ngắn hơn`;
  return null;
}

export const fileNameSchema = lazy(() => z
  .string()
  .transform((s) => s.normalize('NFC').trim())
  .superRefine((s, ctx) => {
    const problem = fileNameProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }));

export const fileRefSchema = lazy(() => z.strictObject({
  id: z.string().regex(FILE_ID, { message: 'id: an upload id (22 characters) / mã tệp tải lên (22 ký tự)' }),
  sha256,
  size: z.number().int().positive(),
  mediaType: z.enum(ATTACHMENT_MEDIA_TYPES, { message: 'mediaType: PDF, DOCX, XLSX, JPEG or PNG / loại tệp không được nhận' }),
  name: fileNameSchema,
}));
export type FileRef = z.infer<typeof fileRefSchema>;

/** As recorded (update handlers replaying, the archive's readers): the same shape, no limit. */
export const recordedFileRefSchema = lazy(() => z.strictObject({
  id: z.string(),
  sha256: z.string(),
  size: z.number(),
  mediaType: z.string(),
  name: recordedText(),
}));

export const fileRefsSchema = lazy(() => z
  .array(fileRefSchema)
  .max(MAX_FILES_PER_SUBMISSION, { message: `at most ${MAX_FILES_PER_SUBMISSION} files / tối đa ${MAX_FILES_PER_SUBMISSION} tệp` })
  .refine((files) => new Set(files.map((f) => f.id)).size === files.length, { message: 'the same file twice / một tệp được đính kèm hai lần' })
  .optional());
export const recordedFileRefsSchema = lazy(() => z.array(recordedFileRefSchema).optional());
