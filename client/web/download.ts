// Files sent for download (reports, workbooks): a UTF-8 file name that survives in every browser. RFC 6266
// `Content-Disposition` with the name twice: `filename*` in RFC 5987 encoding (UTF-8, percent-encoded), which
// browsers prefer, and a plain ASCII `filename` for the rest.
import type { FastifyReply } from 'fastify';
import type { Download } from './ops/downloads';

/** Characters no file system or header should receive in a name: path separators, controls, quotes. */
const UNSAFE_IN_NAME = /[\\/:*?"<>|\p{Cc}]+/gu;
/** A long unit name must not make an unwieldy file name (bytes of UTF-8 are 1-3 per character). */
const MAX_NAME_CHARS = 150;

/** The name as people wrote it (NFC), with what file systems refuse replaced and runs of spaces collapsed. */
export function safeFilename(name: string): string {
  const clean = name.normalize('NFC').replace(UNSAFE_IN_NAME, '-').replace(/\s+/g, ' ').trim();
  if (clean.length <= MAX_NAME_CHARS) return clean;
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 && clean.length - dot <= 6 ? clean.slice(dot) : '';
  return `${[...clean.slice(0, clean.length - ext.length)].slice(0, MAX_NAME_CHARS - ext.length).join('').trimEnd()}${ext}`;
}

/** RFC 5987 `ext-value` characters: encodeURIComponent leaves `'()*` alone, which attr-char does not allow. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `attachment; filename="<fallback, ASCII>"; filename*=UTF-8''<name, percent-encoded>`. */
export function contentDisposition(name: string, fallback: string): string {
  const utf8 = safeFilename(name);
  const ascii = safeFilename(fallback).replace(/[^\x20-\x7e]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${rfc5987(utf8)}`;
}

export function sendDownload(reply: FastifyReply, d: Download): FastifyReply {
  return reply.code(200).type(d.contentType).header('Content-Disposition', contentDisposition(d.filename, d.asciiFilename)).send(d.bytes);
}
