import type { Transporter } from 'nodemailer';
import type { Bounce, OutboxMessage } from './outbox';

// One SMTP transaction for a stored message, and what its outcome means. No database here: the dispatcher
// records the outcome.

/** A recipient the server deferred (4xx): asked again later, until the retry window ends. */
export interface Deferral {
  email: string;
  /** the server's reply, e.g. `452 4.2.2 Mailbox full` */
  reply: string;
  responseCode?: number;
}

export type AttemptOutcome =
  /** the server answered about the recipients: some accepted, some refused for good, some deferred */
  | { kind: 'answered'; accepted: string[]; bounced: Bounce[]; deferred: Deferral[] }
  /**
   * the message or every recipient was deferred after the server took the envelope (4xx to DATA): counts
   * towards the retry window like a recipient's 4xx
   */
  | { kind: 'message-deferred'; reply: string; responseCode?: number }
  /**
   * no SMTP conversation about this message: connection refused or dropped, timeout, greeting refused, our
   * sender or credentials refused (AUTH, MAIL FROM). Not the recipients' fault: retried for as long as it takes.
   */
  | { kind: 'transport-failed'; reason: string; code?: string; responseCode?: number };

interface SmtpError extends Error {
  code?: string;
  command?: string;
  response?: string;
  responseCode?: number;
  recipient?: string;
  rejectedErrors?: SmtpError[];
}

interface SmtpInfo {
  accepted?: (string | { address: string })[];
  rejectedErrors?: SmtpError[];
}

const isPermanent = (e: SmtpError) => (e.responseCode ?? 0) >= 500;
const replyOf = (e: SmtpError) => e.response ?? e.message;
const emailOf = (a: string | { address: string }) => (typeof a === 'string' ? a : a.address);

function answered(accepted: string[], refused: SmtpError[]): AttemptOutcome {
  return {
    kind: 'answered',
    accepted,
    bounced: refused.filter(isPermanent).map((e) => ({ email: e.recipient ?? '', reason: replyOf(e) })),
    deferred: refused.filter((e) => !isPermanent(e)).map((e) => ({ email: e.recipient ?? '', reply: replyOf(e), responseCode: e.responseCode })),
  };
}

/** Sends the stored bytes to `to` and classifies the outcome; never throws for an SMTP reason. */
export async function attemptDelivery(mailer: Transporter<unknown>, m: Pick<OutboxMessage, 'envelopeFrom' | 'raw'>, to: string[]): Promise<AttemptOutcome> {
  try {
    const info = (await mailer.sendMail({ envelope: { from: m.envelopeFrom, to }, raw: Buffer.from(m.raw, 'utf8') })) as SmtpInfo;
    return answered((info.accepted ?? []).map(emailOf), info.rejectedErrors ?? []);
  } catch (raw) {
    const err = raw as SmtpError;
    // Every recipient refused at RCPT TO: nodemailer throws, with each recipient's reply attached.
    if (err.code === 'EENVELOPE' && err.command === 'RCPT TO' && err.rejectedErrors?.length) return answered([], err.rejectedErrors);
    if (err.command === 'RCPT TO' && err.recipient) return answered([], [err]);
    if (err.command === 'DATA' || err.code === 'EMESSAGE') {
      // The message itself refused for good after DATA (size, content policy): the same bytes will never pass.
      // (EMESSAGE without a reply: larger than the size the server announced; it will never fit either)
      if (isPermanent(err) || (err.code === 'EMESSAGE' && !err.responseCode)) {
        const refusal = { ...err, responseCode: err.responseCode ?? 552, response: err.response ?? `552 ${err.message}` };
        return answered([], to.map((recipient) => Object.assign(new Error(err.message), { ...refusal, recipient })));
      }
      if (err.responseCode) return { kind: 'message-deferred', reply: replyOf(err), responseCode: err.responseCode };
    }
    const reply = err.responseCode ? ` (${replyOf(err)})` : '';
    return { kind: 'transport-failed', reason: `${err.code ?? err.name}${reply}: ${err.message}`, code: err.code, responseCode: err.responseCode };
  }
}
