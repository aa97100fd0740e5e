// The issuing document of a campaign (Decree 30/2020/NĐ-CP layout, as seeds 000 and 004 are laid out): the
// plan "Số: 18/KH-LĐLĐ", issued at "Long Biên, ngày 09 tháng 3 năm 2021", its title, the issuing body, the
// signer, the guidance, "Nơi nhận", and the signed files. Files are referenced, never carried: the file store
// (its own concern) keeps them by SHA-256; a definition holds only what identifies one.
import { z } from 'zod';
import { bilingual } from './bilingual';
import { limitedText } from './text';

const required = { message: bilingual('required', 'bắt buộc') };

/** A stored file as every other part of the system names it: enough to fetch it and to check what was fetched. */
export const fileRefSchema = z.strictObject({
  /** the file store's id */
  id: z
    .string()
    .min(1, required)
    .max(128, { message: bilingual('at most 128 characters', 'tối đa 128 ký tự') })
    .regex(/^[A-Za-z0-9_.:-]+$/, { message: bilingual('letters, digits, _ . : - only', 'chỉ chữ cái không dấu, chữ số và _ . : -') }),
  /** SHA-256 of the content, lower-case hex */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, { message: bilingual('64 lower-case hex digits (SHA-256)', '64 chữ số hệ 16 viết thường (SHA-256)') }),
  /** bytes */
  size: z.number().int({ message: bilingual('a whole number of bytes', 'số byte nguyên') }).min(0, { message: bilingual('must not be negative', 'không được âm') }),
  /** e.g. application/pdf */
  mediaType: z.string().regex(/^[a-z0-9][a-z0-9.+-]*\/[a-z0-9][a-z0-9.+-]*$/, { message: bilingual('a media type such as application/pdf', 'kiểu tệp dạng application/pdf') }),
  /** the name to download it under, diacritics kept */
  name: limitedText(600).min(1, required),
});
export type FileRef = z.infer<typeof fileRefSchema>;

export const DOCUMENT_LIMITS = Object.freeze({
  short: 300,
  title: 1_000,
  guidance: 20_000,
  distributionItems: 50,
  attachments: 20,
});

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: bilingual('a date YYYY-MM-DD', 'ngày dạng YYYY-MM-DD') });

export const issuingDocumentSchema = z.strictObject({
  /** "Số" and "ký hiệu": `18` and `KH-LĐLĐ`, shown as "Số: 18/KH-LĐLĐ" */
  number: limitedText(DOCUMENT_LIMITS.short).min(1, required),
  symbol: limitedText(DOCUMENT_LIMITS.short).min(1, required),
  /** the date it was signed, and where: "Long Biên, ngày 09 tháng 3 năm 2021" */
  date: localDate,
  place: limitedText(DOCUMENT_LIMITS.short).min(1, required),
  /** "Sơ kết 5 năm thực hiện Chỉ thị 05-CT/TW …" */
  title: limitedText(DOCUMENT_LIMITS.title).min(1, required),
  /** "Ban Thường vụ Liên đoàn Lao động Quận Long Biên" */
  issuingBody: limitedText(DOCUMENT_LIMITS.short).min(1, required),
  signer: z.strictObject({
    /** "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH" (a line break between the two lines of the signature block) */
    title: limitedText(DOCUMENT_LIMITS.short).min(1, required),
    name: limitedText(DOCUMENT_LIMITS.short).min(1, required),
  }),
  /** what units must do, shown on their task page and in the task email */
  guidance: limitedText(DOCUMENT_LIMITS.guidance).default(''),
  /** "Nơi nhận", one recipient a line as printed */
  distribution: z
    .array(limitedText(DOCUMENT_LIMITS.short).min(1, required))
    .max(DOCUMENT_LIMITS.distributionItems, { message: bilingual(`at most ${DOCUMENT_LIMITS.distributionItems} recipients`, `tối đa ${DOCUMENT_LIMITS.distributionItems} nơi nhận`) })
    .default([]),
  /** the signed PDF, a DOCX…: references to the file store */
  attachments: z
    .array(fileRefSchema)
    .max(DOCUMENT_LIMITS.attachments, { message: bilingual(`at most ${DOCUMENT_LIMITS.attachments} files`, `tối đa ${DOCUMENT_LIMITS.attachments} tệp`) })
    .default([]),
});
export type IssuingDocument = z.infer<typeof issuingDocumentSchema>;
export type IssuingDocumentInput = z.input<typeof issuingDocumentSchema>;

/** "18/KH-LĐLĐ" */
export function documentNumber(doc: Pick<IssuingDocument, 'number' | 'symbol'>): string {
  return `${doc.number}/${doc.symbol}`;
}
