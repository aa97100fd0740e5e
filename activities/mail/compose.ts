import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import type { Contact } from '../directory/types';
import type { RenderedMail } from './templates';

export interface MailAttachment {
  filename: string;
  contentBase64: string;
  contentType: string;
}

export interface ComposeInput {
  /** MAIL_FROM as configured, e.g. `"Ban Tuyên giáo" <baocao@example.org>` */
  from: string;
  replyTo?: string;
  to: Contact[];
  cc: Contact[];
  rendered: RenderedMail;
  messageId: string;
  date: Date;
  attachments?: MailAttachment[];
}

// RFC 3834: tell auto-responders (out-of-office) not to answer, so a reminder wave does not come back.
const AUTOMATED_HEADERS = { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' };

/**
 * The complete RFC 5322 message, composed once and stored in the outbox so every retry sends the same bytes.
 * nodemailer encodes non-ASCII headers (RFC 2047) and text bodies (quoted-printable; attachments base64): the
 * result is 7-bit.
 */
export async function composeMessage(m: ComposeInput): Promise<string> {
  const address = (c: Contact) => ({ name: c.name, address: c.email });
  const options: Mail.Options & { newline: 'windows' } = {
    from: m.from,
    replyTo: m.replyTo,
    to: m.to.map(address),
    cc: m.cc.map(address),
    subject: m.rendered.subject,
    text: m.rendered.text,
    html: m.rendered.html,
    messageId: m.messageId,
    date: m.date,
    headers: AUTOMATED_HEADERS,
    // always quoted-printable text (never base64): a task link stays findable in the stored bytes, so the
    // outbox can redact it once the email is settled (redact.ts)
    textEncoding: 'quoted-printable',
    attachments: m.attachments?.map((a) => ({ filename: a.filename, content: a.contentBase64, encoding: 'base64', contentType: a.contentType })),
    // attachments come as data only: never let a field make the composer read a file or fetch a URL
    disableFileAccess: true,
    disableUrlAccess: true,
    // CRLF throughout: the stored bytes are exactly the bytes on the wire (and what DKIM signs)
    // (read by MailComposer, missing from @types/nodemailer)
    newline: 'windows',
  };
  const raw = await new MailComposer(options).compile().build();
  return raw.toString('utf8');
}

/** Envelope recipients: every address once, in order, case-insensitively. */
export function envelopeRecipients(...lists: Contact[][]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const c of lists.flat()) {
    const key = c.email.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c.email);
  }
  return out;
}
