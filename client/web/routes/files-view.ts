// Markup of attached files: the unit page's attachments block (its submitted files, its pending uploads, the
// upload form) and the list the supervisor's review page shows. Labels in both languages live here, beside the
// only markup that uses them.
import { ATTACHMENT_TYPES, MAX_FILES_PER_SUBMISSION, type FileRef } from '../../../domain/file-ref';
import type { FileRecord } from '../../../activities/files/repository';
import { formatMegabytes } from '../../../activities/files/limits';
import type { Phase } from '../../../workflows/report';
import { html, type SafeHtml } from '../html';
import type { Lang } from '../i18n';
import { csrfField } from '../views/common';
import type { TaskPhase } from '../ops/task';
import { submittedFiles, toRef, type UnitFiles, type UnitSubmittedFiles } from './files-data';
import { FILE_INPUT_NAME, reviewFilePath, unitFilePath, unitRemovePath, unitUploadPath } from './files-paths';

const LABELS = {
  vi: {
    attachments: 'Tệp đính kèm (bản có chữ ký, đóng dấu)',
    submitted: 'Đã gửi kèm phiên bản',
    pending: 'Đã tải lên, sẽ gửi kèm khi nộp',
    choose: 'Chọn tệp (PDF, DOCX, XLSX, JPEG, PNG)',
    upload: 'Tải tệp lên',
    remove: 'Bỏ tệp này',
    limits: (file: string, all: string) =>
      `Tải tệp lên trước khi điền nội dung bên dưới (trang sẽ tải lại; nội dung chưa lưu nháp sẽ mất). Mỗi tệp tối đa ${file}, cả bài nộp tối đa ${all}, không quá ${MAX_FILES_PER_SUBMISSION} tệp. Loại tệp được xét theo nội dung.`,
    none: 'Chưa có tệp đính kèm.',
    open: 'Mở',
    download: 'Tải về',
  },
  en: {
    attachments: 'Attachments (the signed, stamped copy)',
    submitted: 'Sent with version',
    pending: 'Uploaded, will go with your submission',
    choose: 'Choose files (PDF, DOCX, XLSX, JPEG, PNG)',
    upload: 'Upload',
    remove: 'Remove this file',
    limits: (file: string, all: string) =>
      `Upload files before filling in the form below (the page reloads; text not saved as a draft is lost). Up to ${file} per file, ${all} per submission, at most ${MAX_FILES_PER_SUBMISSION} files. The type is read from the content.`,
    none: 'No attachments yet.',
    open: 'Open',
    download: 'Download',
  },
} as const;

/** PDF and images open in the browser; Office files download. */
export function opensInline(mediaType: string): boolean {
  return mediaType === 'application/pdf' || mediaType.startsWith('image/');
}

function typeLabel(mediaType: string): string {
  return (ATTACHMENT_TYPES as Record<string, { label: string }>)[mediaType]?.label ?? mediaType;
}

function fileItem(lang: Lang, f: FileRef, href: string, extra: SafeHtml | '' = ''): SafeHtml {
  const l = LABELS[lang];
  return html`<li data-file="${f.id}"><a href="${href}" ${opensInline(f.mediaType) ? html`target="_blank" rel="noopener"` : html`download`} data-field="file-name">${f.name}</a>
<span class="muted">${typeLabel(f.mediaType)} · ${formatMegabytes(f.size)} · ${opensInline(f.mediaType) ? l.open : l.download}</span>${extra}</li>`;
}

export interface UnitAttachmentsOptions {
  token: string;
  csrfToken: string;
  /** a built-in phase or a campaign cycle's phase key */
  phase: string;
  /** the phase can be submitted now: offer the upload form */
  editable: boolean;
  /** every submitted version that carried files, oldest first (a returned report's files stay beside the resubmission's) */
  submitted: { version: number; files: FileRef[] }[];
  pending: readonly FileRecord[];
  maxFileBytes: number;
  maxSubmissionBytes: number;
}

/** The unit page's attachments block of one phase (view helper for client/web/views/task.ts). */
export function unitAttachments(lang: Lang, o: UnitAttachmentsOptions): SafeHtml {
  const l = LABELS[lang];
  const submitted = o.submitted.filter((v) => v.files.length > 0);
  return html`<div class="attachments" id="${o.phase}-files">
<h3>${l.attachments}</h3>
${submitted.map(
  (v) =>
    html`<p class="muted">${l.submitted} ${v.version}</p><ul class="files" data-files="submitted" data-version="${String(v.version)}">${v.files.map((f) => fileItem(lang, f, unitFilePath(o.token, f.id)))}</ul>`,
)}
${
  o.pending.length > 0
    ? html`<p class="muted">${l.pending}</p><ul class="files" data-files="pending">${o.pending.map((f) =>
        fileItem(
          lang,
          f as FileRef,
          unitFilePath(o.token, f.id),
          html` <form method="post" action="${unitRemovePath(o.token, f.id)}" class="inline">${csrfField(o.csrfToken)}<button type="submit" class="link">${l.remove}</button></form>`,
        ),
      )}</ul>`
    : ''
}
${submitted.length === 0 && o.pending.length === 0 ? html`<p class="muted">${l.none}</p>` : ''}
${
  o.editable
    ? html`<form method="post" action="${unitUploadPath(o.token, o.phase, o.csrfToken)}" enctype="multipart/form-data" id="${o.phase}-upload">
<label for="${o.phase}-file-input">${l.choose}</label>
<input type="file" name="${FILE_INPUT_NAME}" id="${o.phase}-file-input" multiple accept=".pdf,.docx,.xlsx,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png">
<p class="hint">${l.limits(formatMegabytes(o.maxFileBytes), formatMegabytes(o.maxSubmissionBytes))}</p>
<button type="submit">${l.upload}</button>
</form>`
    : ''
}
</div>`;
}

/** The files of a submission on the supervisor's review page (view helper for desk's review page). */
export function reviewFiles(lang: Lang, o: { cycleId: string; unitId: string; files: readonly FileRef[] }): SafeHtml {
  const l = LABELS[lang];
  if (o.files.length === 0) return html`<p class="muted">${l.none}</p>`;
  return html`<div class="attachments"><h3>${l.attachments}</h3><ul class="files" data-files="review">${o.files.map((f) =>
    fileItem(lang, f, reviewFilePath(o.cycleId, o.unitId, f.id)),
  )}</ul></div>`;
}

/** What the unit page needs to show its attachments (loaded by the task route: unitPageFiles). */
export interface TaskFilesOptions {
  token: string;
  csrfToken: string;
  files?: { pending: UnitFiles; submitted?: UnitSubmittedFiles; maxFileBytes: number; maxSubmissionBytes: number };
}

/** One line in the unit page per phase: `${taskAttachments(lang, o, 'plan', view.plan)}`. */
export function taskAttachments(lang: Lang, o: TaskFilesOptions, phase: Phase, p: TaskPhase): SafeHtml | '' {
  if (!o.files) return '';
  return unitAttachments(lang, {
    token: o.token,
    csrfToken: o.csrfToken,
    phase,
    editable: p.editable,
    // the files table knows which version carried each file; a submission stored before it (none) falls back to its content
    submitted: o.files.submitted?.[phase].length ? o.files.submitted[phase].map((v) => ({ version: v.version, files: v.files.map(toRef) })) : p.latest ? [{ version: p.latest.version, files: submittedFiles(p.latest.content) }] : [],
    pending: o.files.pending[phase],
    maxFileBytes: o.files.maxFileBytes,
    maxSubmissionBytes: o.files.maxSubmissionBytes,
  });
}
