import escapeHtml from 'escape-html';
import type { Language } from '../../directory/types';

// Templates describe an email as plain-text blocks; this module is the only place that writes HTML.
// Every string is escaped here, so no template can put user-supplied text (unit names, reviewer comments,
// commendation reasons) into the HTML unescaped.

export type Inline = string | { strong: string } | { link: string; href: string };

export type Block =
  | { kind: 'paragraph'; content: string | Inline[] }
  | { kind: 'heading'; text: string }
  /** label/value pairs: deadlines, rates */
  | { kind: 'facts'; rows: { label: string; value: string | Inline[] }[] }
  /** `numeric[i]` right-aligns column i */
  | { kind: 'table'; head: string[]; rows: string[][]; numeric?: boolean[] }
  | { kind: 'list'; items: string[] }
  /** someone else's words, line breaks kept (a reviewer's comment) */
  | { kind: 'quote'; text: string }
  /** the one call to action of the email */
  | { kind: 'button'; label: string; href: string };

export interface MailDocument {
  lang: Language;
  subject: string;
  salutation: string;
  blocks: Block[];
  /** lines after the body, e.g. `Trân trọng./` */
  closing: string[];
  footer: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** Links must be http(s): a `javascript:` URL in a directory field must never become clickable. */
function safeHref(href: string): string {
  const url = new URL(href);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RangeError(`refusing a non-http link: ${href}`);
  return url.href;
}

const e = (s: string): string => escapeHtml(s);

const STYLE = {
  body: 'margin:0;padding:24px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1f2328',
  card: 'max-width:720px;margin:0 auto;background:#ffffff;border:1px solid #d8dde3;border-radius:6px;padding:24px',
  table: 'border-collapse:collapse;width:100%;margin:8px 0 16px',
  th: 'border:1px solid #c9d1d9;background:#eef2f6;padding:6px 8px;text-align:left',
  td: 'border:1px solid #c9d1d9;padding:6px 8px;vertical-align:top',
  quote: 'margin:8px 0 16px;padding:8px 12px;border-left:4px solid #b42318;background:#fdf3f2;white-space:pre-wrap',
  button: 'display:inline-block;padding:10px 18px;background:#b42318;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold',
  footer: 'max-width:720px;margin:12px auto 0;font-size:12px;color:#57606a',
};

function inlineHtml(content: string | Inline[]): string {
  const parts = typeof content === 'string' ? [content] : content;
  return parts
    .map((p) => {
      if (typeof p === 'string') return e(p);
      if ('strong' in p) return `<strong>${e(p.strong)}</strong>`;
      return `<a href="${e(safeHref(p.href))}">${e(p.link)}</a>`;
    })
    .join('');
}

function inlineText(content: string | Inline[]): string {
  const parts = typeof content === 'string' ? [content] : content;
  return parts.map((p) => (typeof p === 'string' ? p : 'strong' in p ? p.strong : `${p.link} <${safeHref(p.href)}>`)).join('');
}

function blockHtml(b: Block): string {
  switch (b.kind) {
    case 'paragraph':
      return `<p>${inlineHtml(b.content)}</p>`;
    case 'heading':
      return `<h3 style="margin:20px 0 8px;font-size:16px">${e(b.text)}</h3>`;
    case 'facts':
      return `<table role="presentation" style="${STYLE.table}">${b.rows
        .map((r) => `<tr><th scope="row" style="${STYLE.th};width:40%">${e(r.label)}</th><td style="${STYLE.td}">${inlineHtml(r.value)}</td></tr>`)
        .join('')}</table>`;
    case 'table': {
      const align = (i: number) => (b.numeric?.[i] ? ';text-align:right' : '');
      const head = b.head.map((h, i) => `<th style="${STYLE.th}${align(i)}">${e(h)}</th>`).join('');
      const rows = b.rows.map((r) => `<tr>${r.map((c, i) => `<td style="${STYLE.td}${align(i)}">${e(c)}</td>`).join('')}</tr>`).join('');
      return `<table style="${STYLE.table}"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
    }
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`;
    case 'quote':
      return `<blockquote style="${STYLE.quote}">${e(b.text)}</blockquote>`;
    case 'button':
      return `<p style="margin:20px 0"><a href="${e(safeHref(b.href))}" style="${STYLE.button}">${e(b.label)}</a></p>`;
  }
}

function blockText(b: Block): string {
  switch (b.kind) {
    case 'paragraph':
      return inlineText(b.content);
    case 'heading':
      return b.text.toUpperCase();
    case 'facts':
      return b.rows.map((r) => `- ${r.label}: ${inlineText(r.value)}`).join('\n');
    case 'table':
      return [b.head.join(' | '), ...b.rows.map((r) => r.join(' | '))].join('\n');
    case 'list':
      return b.items.map((i) => `- ${i}`).join('\n');
    case 'quote':
      return b.text
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n');
    case 'button':
      return `${b.label}:\n${safeHref(b.href)}`;
  }
}

export function renderMail(doc: MailDocument): RenderedMail {
  const html = [
    '<!doctype html>',
    `<html lang="${e(doc.lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">`,
    `<title>${e(doc.subject)}</title></head>`,
    `<body style="${STYLE.body}"><div style="${STYLE.card}">`,
    `<p><strong>${e(doc.salutation)}</strong></p>`,
    ...doc.blocks.map(blockHtml),
    `<p>${doc.closing.map(e).join('<br>')}</p>`,
    `</div><p style="${STYLE.footer}">${e(doc.footer)}</p></body></html>`,
  ].join('\n');
  const text = [doc.salutation, ...doc.blocks.map(blockText), doc.closing.join('\n'), '--', doc.footer].join('\n\n') + '\n';
  return { subject: doc.subject, text, html };
}
