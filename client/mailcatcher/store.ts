import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';

// What the catcher keeps of each message: the parsed view for the page and the API, the raw bytes on disk.

export interface CaughtMessage {
  /** catcher id: `<received compact ISO>-<random>`, sorts by arrival */
  id: string;
  receivedAt: string;
  envelope: { from: string; to: string[] };
  /** the Message-ID header, angle brackets included */
  messageId: string | null;
  /** the Date header, ISO */
  date: string | null;
  subject: string;
  from: string;
  to: string;
  cc: string;
  replyTo: string;
  text: string;
  /** the HTML part as sent (show it sandboxed) */
  html: string | null;
  attachments: { filename: string; contentType: string; size: number }[];
  size: number;
}

function addresses(a: AddressObject | AddressObject[] | undefined): string {
  if (!a) return '';
  return (Array.isArray(a) ? a : [a]).map((x) => x.text).join(', ');
}

export function newMessageId(received: Date): string {
  return `${received.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
}

export async function parseMessage(id: string, raw: Buffer, envelope: CaughtMessage['envelope'], receivedAt: string): Promise<CaughtMessage> {
  const p: ParsedMail = await simpleParser(raw, { skipImageLinks: true });
  return {
    id,
    receivedAt,
    envelope,
    messageId: p.messageId ?? null,
    date: p.date ? p.date.toISOString() : null,
    subject: p.subject ?? '',
    from: addresses(p.from),
    to: addresses(p.to),
    cc: addresses(p.cc),
    replyTo: addresses(p.replyTo),
    text: p.text ?? '',
    html: typeof p.html === 'string' ? p.html : null,
    attachments: p.attachments.map((a) => ({ filename: a.filename ?? '', contentType: a.contentType, size: a.size })),
    size: raw.length,
  };
}

/** `<id>.eml` holds the message as received; `<id>.json` the envelope and arrival time (not in the message). */
export async function saveMessage(dir: string, m: CaughtMessage, raw: Buffer): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${m.id}.eml`), raw);
  await writeFile(join(dir, `${m.id}.json`), JSON.stringify({ envelope: m.envelope, receivedAt: m.receivedAt }));
}

export async function readRaw(dir: string, id: string): Promise<Buffer> {
  return readFile(join(dir, `${id}.eml`));
}

/** Messages kept by earlier runs, oldest first, at most `limit` of the newest. */
export async function loadMessages(dir: string, limit: number): Promise<CaughtMessage[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const ids = names
    .filter((n) => n.endsWith('.eml'))
    .map((n) => n.slice(0, -4))
    .sort()
    .slice(-limit);
  const out: CaughtMessage[] = [];
  for (const id of ids) {
    const raw = await readFile(join(dir, `${id}.eml`));
    let meta: { envelope: CaughtMessage['envelope']; receivedAt: string } = { envelope: { from: '', to: [] }, receivedAt: '' };
    try {
      meta = JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')) as typeof meta;
    } catch {
      // a hand-copied .eml without its sidecar still shows, without envelope
    }
    out.push(await parseMessage(id, raw, meta.envelope, meta.receivedAt));
  }
  return out;
}
