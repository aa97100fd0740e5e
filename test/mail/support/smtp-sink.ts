import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

// An in-process SMTP server on 127.0.0.1:0 for the mail tests: it records every message it accepts (parsed
// with mailparser, with its envelope), every RCPT TO it is asked, and can refuse recipients for good or fail
// commands temporarily with a seeded pseudo-random sequence.

export interface Received {
  envelopeTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
  messageId: string;
}

export interface SinkOptions {
  /** fail this fraction of SMTP commands (connect, MAIL FROM, RCPT TO, DATA) with 421/451 */
  faults?: { seed: number; rate: number };
  /** a 5xx reply for recipients this returns a text for */
  refuse?: (address: string) => string | undefined;
  /** a 451 reply for recipients this returns true for (asked again on every attempt) */
  defer?: (address: string) => boolean;
  /** parse each message (default true; the benchmark switches it off) */
  parse?: boolean;
  /** default 0: any free port */
  port?: number;
}

export interface Sink {
  port: number;
  url: string;
  received: Received[];
  /** every RCPT TO the server was asked, in order */
  rcptAttempts: string[];
  /** faults injected so far */
  faultsInjected: number;
  close(): Promise<void>;
}

/** mulberry32: tiny, seeded, good enough to spread faults evenly and identically on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

export async function startSmtpSink(options: SinkOptions = {}): Promise<Sink> {
  const random = options.faults ? seededRandom(options.faults.seed) : undefined;
  const sink: Omit<Sink, 'port' | 'url' | 'close'> = { received: [], rcptAttempts: [], faultsInjected: 0 };
  const fault = (): Error | undefined => {
    if (!random || random() >= options.faults!.rate) return undefined;
    sink.faultsInjected += 1;
    return random() < 0.5 ? smtpError(421, 'Service not available, closing channel') : smtpError(451, 'Requested action aborted: local error');
  };

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    closeTimeout: 100,
    onConnect: (_session, cb) => cb(fault() ?? null),
    onMailFrom: (_address, _session, cb) => cb(fault() ?? null),
    onRcptTo(address, _session, cb) {
      sink.rcptAttempts.push(address.address);
      const refused = options.refuse?.(address.address);
      if (refused) return cb(smtpError(550, refused));
      if (options.defer?.(address.address)) return cb(smtpError(451, '4.2.1 Mailbox busy, try again later'));
      cb(fault() ?? null);
    },
    onData(stream, session: SMTPServerSession, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const err = fault();
        if (err) return cb(err);
        const raw = Buffer.concat(chunks);
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
        if (options.parse === false) {
          sink.received.push({ envelopeTo, raw, parsed: undefined as unknown as ParsedMail, messageId: '' });
          return cb(null);
        }
        simpleParser(raw).then(
          (parsed) => {
            sink.received.push({ envelopeTo, raw, parsed, messageId: parsed.messageId ?? '' });
            cb(null);
          },
          (e: Error) => cb(e),
        );
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(sink, {
    port,
    url: `smtp://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(resolve);
        for (const c of server.connections) c.close();
      }),
  });
}
