// Markup of a cycle's issuing document: the page a unit opens from its emails (number, title, signer, issuing
// body, its files to open or download), and the block of the cycle page where the secretariat attaches files
// and states the number, title and signer (others see the document only). Labels in both languages live here.
import type { IssuingDocumentView } from '../../../activities/files/issuing-document';
import { ISSUING_FACT_KEYS } from '../../../activities/files/issuing-document';
import { formatMegabytes } from '../../../activities/files/limits';
import { DOCUMENT_LIMITS } from '../../../domain/campaign-document';
import { ATTACHMENT_TYPES } from '../../../domain/file-ref';
import { html, type SafeHtml } from '../html';
import type { Lang } from '../i18n';
import { page, type PageContext } from '../layout';
import { csrfField } from '../views/common';
import { FILE_INPUT_NAME } from './files-paths';
import { opensInline } from './files-view';

export const documentPagePath = (token: string) => `/t/${token}/document`;
export const documentFilePath = (token: string, id: string) => `/t/${token}/document/files/${id}`;
export const staffDocumentFilePath = (cycleId: string, id: string) => `/cycles/${encodeURIComponent(cycleId)}/document/files/${id}`;
export const documentUploadPath = (cycleId: string, csrfToken: string) => `/cycles/${encodeURIComponent(cycleId)}/document/files?_csrf=${encodeURIComponent(csrfToken)}`;
export const documentRemovePath = (cycleId: string, id: string) => `/cycles/${encodeURIComponent(cycleId)}/document/files/${id}/remove`;
export const documentFactsPath = (cycleId: string) => `/cycles/${encodeURIComponent(cycleId)}/document`;

const LABELS = {
  vi: {
    heading: 'Văn bản chỉ đạo',
    number: 'Số, ký hiệu',
    title: 'Trích yếu',
    signer: 'Người ký',
    issuingBody: 'Cơ quan ban hành',
    issued: 'Ban hành',
    files: 'Tệp đính kèm',
    none: 'Văn bản chưa có tệp đính kèm.',
    fromCampaign: 'Tệp của văn bản chiến dịch (mặc định, cho đến khi Ban Thường vụ đính kèm tệp riêng cho kỳ này).',
    notGiven: 'chưa ghi',
    open: 'Mở',
    download: 'Tải về',
    back: 'Về trang nộp của đơn vị',
    choose: 'Chọn tệp (PDF có chữ ký, đóng dấu; DOCX…)',
    upload: 'Đính kèm vào văn bản',
    remove: 'Bỏ tệp này',
    save: 'Lưu thông tin văn bản',
    limits: (n: number, size: string) => `Tối đa ${n} tệp, mỗi tệp ${size}. Loại tệp được xét theo nội dung. Các đơn vị xem văn bản qua đường liên kết trong thư giao nhiệm vụ và thư đôn đốc.`,
  },
  en: {
    heading: 'Issuing document',
    number: 'Number',
    title: 'Title',
    signer: 'Signed by',
    issuingBody: 'Issued by',
    issued: 'Issued',
    files: 'Attached files',
    none: 'The document has no attached files yet.',
    fromCampaign: 'The campaign document’s files (the default, until the secretariat attaches files of this cycle’s own).',
    notGiven: 'not given',
    open: 'Open',
    download: 'Download',
    back: 'Your unit’s submission page',
    choose: 'Choose files (the signed, stamped PDF; DOCX…)',
    upload: 'Attach to the document',
    remove: 'Remove this file',
    save: 'Save the document’s details',
    limits: (n: number, size: string) => `At most ${n} files, ${size} each. The type is read from the content. Units open the document through the link in their task and reminder emails.`,
  },
} as const;

function typeLabel(mediaType: string): string {
  return (ATTACHMENT_TYPES as Record<string, { label: string }>)[mediaType]?.label ?? mediaType;
}

function fileList(lang: Lang, doc: IssuingDocumentView, href: (id: string) => string, extra?: (id: string) => SafeHtml): SafeHtml {
  const l = LABELS[lang];
  if (doc.files.length === 0) return html`<p class="muted" data-field="no-document-files">${l.none}</p>`;
  return html`${doc.filesFrom === 'campaign' ? html`<p class="muted">${l.fromCampaign}</p>` : ''}<ul class="files" data-files="document">${doc.files.map(
    (f) => html`<li data-file="${f.id}"><a href="${href(f.id)}" ${opensInline(f.mediaType) ? html`target="_blank" rel="noopener"` : html`download`} data-field="file-name">${f.name}</a>
<span class="muted">${typeLabel(f.mediaType)} · ${formatMegabytes(f.size)} · ${opensInline(f.mediaType) ? l.open : l.download}</span>${extra ? extra(f.id) : ''}</li>`,
  )}</ul>`;
}

function facts(lang: Lang, doc: IssuingDocumentView): SafeHtml {
  const l = LABELS[lang];
  const row = (label: string, value: string | null, field: string) => html`<dt>${label}</dt><dd data-field="${field}">${value ?? html`<span class="muted">${l.notGiven}</span>`}</dd>`;
  return html`<dl class="facts">
${row(l.number, doc.number, 'document-number')}
${row(l.title, doc.title, 'document-title')}
${row(l.signer, doc.signer, 'document-signer')}
${doc.issuingBody ? row(l.issuingBody, doc.issuingBody, 'document-issuing-body') : ''}
${doc.date ? row(l.issued, [doc.place, doc.date].filter(Boolean).join(', '), 'document-date') : ''}
</dl>`;
}

/** The unit's page of the issuing document (no sign-in: its emailed link). */
export function documentPage(ctx: PageContext, doc: IssuingDocumentView, o: { token: string; unitName: string; via: 'task' | 'document' }): SafeHtml {
  const l = LABELS[ctx.lang];
  const body = html`<section class="card" id="document">
<p><strong data-field="unit-name">${o.unitName}</strong> · <span data-field="cycle">${doc.cycleId}</span></p>
${facts(ctx.lang, doc)}
<h3>${l.files}</h3>
${fileList(ctx.lang, doc, (id) => documentFilePath(o.token, id))}
${o.via === 'task' ? html`<p><a href="/t/${o.token}">${l.back}</a></p>` : ''}
</section>`;
  return page(ctx, `${l.heading}${doc.title ? `: ${doc.title}` : ''}`, body);
}

/** The cycle page's block: the document for every staff member, the forms for the secretariat. */
export function documentSection(lang: Lang, doc: IssuingDocumentView, o: { secretariat: boolean; csrfToken: string; maxFileBytes: number }): SafeHtml {
  const l = LABELS[lang];
  const remove = (id: string) =>
    html` <form method="post" action="${documentRemovePath(doc.cycleId, id)}" class="inline">${csrfField(o.csrfToken)}<button type="submit" class="link">${l.remove}</button></form>`;
  return html`<section class="card" id="issuing-document">
<h2>${l.heading}</h2>
${facts(lang, doc)}
<h3>${l.files}</h3>
${fileList(lang, doc, (id) => staffDocumentFilePath(doc.cycleId, id), o.secretariat && doc.filesFrom === 'cycle' ? remove : undefined)}
${
  o.secretariat
    ? html`<form method="post" action="${documentUploadPath(doc.cycleId, o.csrfToken)}" enctype="multipart/form-data" id="document-upload">
<label for="document-file-input">${l.choose}</label>
<input type="file" name="${FILE_INPUT_NAME}" id="document-file-input" multiple accept=".pdf,.docx,.xlsx,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png">
<p class="hint">${l.limits(DOCUMENT_LIMITS.attachments, formatMegabytes(o.maxFileBytes))}</p>
<button type="submit">${l.upload}</button>
</form>
<form method="post" action="${documentFactsPath(doc.cycleId)}" id="document-facts">${csrfField(o.csrfToken)}
${ISSUING_FACT_KEYS.map((k) => html`<p><label for="document-${k}">${l[k]}</label> <input type="text" name="${k}" id="document-${k}" value="${doc[k] ?? ''}"></p>`)}
<button type="submit">${l.save}</button>
</form>`
    : ''
}
</section>`;
}
