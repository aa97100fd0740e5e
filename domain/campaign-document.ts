// The issuing document of a campaign (Decree 30/2020/NĐ-CP layout, as seeds 000 and 004 are laid out): the
// plan "Số: 18/KH-LĐLĐ", issued at "Long Biên, ngày 09 tháng 3 năm 2021", its title, the issuing body, the
// signer, the guidance, "Nơi nhận", and the signed files. Files are referenced, never carried: the file store
// (its own concern) keeps them by SHA-256; a definition holds only what identifies one.
import { z } from 'zod';
import { bilingual } from './bilingual';
import { limitedText } from './text';

const required = { message: bilingual('required', 'bắt buộc') };

// A stored file as every other part of the system names it (domain/file-ref.ts): the issuing document's files
// are uploads of the same file store as a submission's.
export { fileRefSchema, type FileRef } from './file-ref';
import { fileRefSchema } from './file-ref';
import { lazy } from './lazy';

export const DOCUMENT_LIMITS = Object.freeze({
  short: 300,
  title: 1_000,
  guidance: 20_000,
  distributionItems: 50,
  attachments: 20,
});

const localDate = lazy(() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: bilingual('a date YYYY-MM-DD', 'ngày dạng YYYY-MM-DD') }));

export const issuingDocumentSchema = lazy(() => z.strictObject({
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
}));
export type IssuingDocument = z.infer<typeof issuingDocumentSchema>;
export type IssuingDocumentInput = z.input<typeof issuingDocumentSchema>;

/** "18/KH-LĐLĐ" */
export function documentNumber(doc: Pick<IssuingDocument, 'number' | 'symbol'>): string {
  return `${doc.number}/${doc.symbol}`;
}
