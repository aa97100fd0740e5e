import escapeHtml from 'escape-html';
import { DateTime } from 'luxon';
import { DISPLAY_TIME_ZONE } from '../../activities/mail/templates/format';
import type { CaughtMessage } from './store';

// The catcher's two pages. Every value from a message is escaped; a message's HTML is shown only inside a
// sandboxed iframe (no scripts, no same-origin, no forms), and the page's CSP blocks any remote load.

export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; base-uri 'none'; form-action 'none'";

const e = (s: string | null | undefined) => escapeHtml(s ?? '');

function when(iso: string | null): string {
  if (!iso) return '';
  const dt = DateTime.fromISO(iso, { zone: 'utc' });
  return dt.isValid ? dt.setZone(DISPLAY_TIME_ZONE).toFormat('dd/MM/yyyy HH:mm:ss') : iso;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${e(title)}</title>
<style>
body{font-family:system-ui,Arial,sans-serif;margin:0;padding:16px 24px;color:#1f2328;background:#f6f8fa}
h1{font-size:20px} a{color:#0b57d0} table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #d0d7de;padding:6px 8px;text-align:left;vertical-align:top;font-size:14px}
th{background:#eef2f6} pre{white-space:pre-wrap;background:#fff;border:1px solid #d0d7de;padding:12px}
iframe{width:100%;height:70vh;border:1px solid #d0d7de;background:#fff} dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px}
dt{font-weight:bold} .muted{color:#57606a}
</style></head><body>${body}</body></html>`;
}

export function listPage(messages: readonly CaughtMessage[]): string {
  const rows = [...messages]
    .reverse()
    .map(
      (m) =>
        `<tr><td>${e(when(m.receivedAt))}</td><td><a href="/messages/${encodeURIComponent(m.id)}">${e(m.subject) || '<span class="muted">(không có tiêu đề / no subject)</span>'}</a></td><td>${e(m.to)}${m.cc ? `<br><span class="muted">cc: ${e(m.cc)}</span>` : ''}</td><td>${e(m.from)}</td></tr>`,
    )
    .join('\n');
  return page(
    'Hộp thư thử nghiệm / Mail catcher',
    `<h1>Hộp thư thử nghiệm / Mail catcher <span class="muted">(${messages.length})</span></h1>
<p class="muted">Thư do baocao gửi khi chưa cấu hình SMTP_URL: không thư nào rời khỏi máy này. / Mail sent while SMTP_URL is unset: nothing leaves this machine. JSON: <a href="/api/messages">/api/messages</a></p>
<table><thead><tr><th>Nhận lúc / Received</th><th>Tiêu đề / Subject</th><th>Đến / To</th><th>Từ / From</th></tr></thead>
<tbody>${rows || '<tr><td colspan="4" class="muted">Chưa có thư / No messages yet</td></tr>'}</tbody></table>`,
  );
}

export function messagePage(m: CaughtMessage): string {
  const attachments = m.attachments.length
    ? `<dt>Tệp đính kèm / Attachments</dt><dd>${m.attachments.map((a) => `${e(a.filename)} (${e(a.contentType)}, ${a.size} B)`).join('<br>')}</dd>`
    : '';
  const html = m.html
    ? `<h2>HTML</h2><iframe sandbox="" referrerpolicy="no-referrer" title="HTML" srcdoc="${e(m.html)}"></iframe>`
    : '<p class="muted">(không có phần HTML / no HTML part)</p>';
  return page(
    m.subject || m.id,
    `<p><a href="/">← Hộp thư / Inbox</a> · <a href="/messages/${encodeURIComponent(m.id)}/raw">.eml</a></p>
<h1>${e(m.subject)}</h1>
<dl><dt>Từ / From</dt><dd>${e(m.from)}</dd><dt>Đến / To</dt><dd>${e(m.to)}</dd>${m.cc ? `<dt>Cc</dt><dd>${e(m.cc)}</dd>` : ''}
${m.replyTo ? `<dt>Trả lời / Reply-To</dt><dd>${e(m.replyTo)}</dd>` : ''}<dt>Ngày / Date</dt><dd>${e(when(m.date))}</dd>
<dt>Message-ID</dt><dd>${e(m.messageId)}</dd><dt>Phong bì / Envelope</dt><dd>${e(m.envelope.from)} → ${e(m.envelope.to.join(', '))}</dd>${attachments}</dl>
${html}
<h2>Văn bản / Text</h2><pre>${e(m.text)}</pre>`,
  );
}
