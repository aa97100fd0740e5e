// The one test SMTP server: a real smtp-server on 127.0.0.1 in the test process. It keeps every message it
// accepts (raw bytes, envelope, parsed with mailparser) for assertions, every RCPT TO it is asked, and injects
// faults on demand: recipients refused for good (5xx) or deferred (4xx), a seeded share of commands failed with
// 421/451, and every connection refused (the relay down) until told otherwise.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { seededRandom } from './seeded-random';

export interface ReceivedMail {
  messageId: string;
  /** envelope recipients of this SMTP transaction (RCPT TO) */
  envelopeTo: string[];
  /** To and Cc headers */
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string;
  headers: ParsedMail['headers'];
  parsed: ParsedMail;
  raw: Buffer;
}

/** An SMTP reply: e.g. `{ code: 452, text: '4.2.2 Mailbox full' }`. */
export interface SmtpReply {
  code: number;
  text: string;
}

export interface SinkOptions {
  /** fail this fraction of SMTP commands (connect, MAIL FROM, RCPT TO, DATA) with 421/451, seeded */
  faults?: { seed: number; rate: number };
  /** a 5xx reply (550 + this text) for recipients this returns a text for */
  refuse?: (address: string) => string | undefined;
  /** a temporary refusal for recipients this returns true (451) or a reply for; asked on every attempt */
  defer?: (address: string) => boolean | SmtpReply;
  /** parse each message (default true; the benchmark switches it off) */
  parse?: boolean;
  /** default 0: any free port */
  port?: number;
}

export interface SmtpSink {
  port: number;
  url: string;
  /** every message accepted, in order of arrival */
  messages: ReceivedMail[];
  /** every RCPT TO the server was asked, in order */
  rcptAttempts: string[];
  /** faults injected so far by `faults` */
  faultsInjected: number;
  /**
   * Resolves when `predicate` holds for the received messages (checked on every arrival). Rejects after
   * `options.withinMs` (default 120 s of real time: mail goes out through the real outbox and SMTP, so this is a
   * bound on a stuck run, not a timing assertion) with `options.what` and the last messages received, so a cycle
   * that stopped sending shows as that, not as the test's own timeout with no cause.
   */
  waitFor(predicate: (messages: ReceivedMail[]) => boolean, options?: { what?: string; withinMs?: number }): Promise<void>;
  /** the relay is down: every new connection is refused (ECONNREFUSED) and open ones are dropped */
  refuseConnections(): Promise<void>;
  /** the relay is back, on the same port */
  acceptConnections(): Promise<void>;
  close(): Promise<void>;
}


function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  if (!field) return [];
  return (Array.isArray(field) ? field : [field]).flatMap((a) => a.value.map((v) => v.address ?? '')).filter(Boolean);
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function startSmtpSink(options: SinkOptions = {}): Promise<SmtpSink> {
  const random = options.faults ? seededRandom(options.faults.seed) : undefined;
  const messages: ReceivedMail[] = [];
  const waiters: { predicate: (m: ReceivedMail[]) => boolean; resolve: () => void }[] = [];
  const lastReceived = () =>
    messages
      .slice(-5)
      .map((m) => `${m.to.join(', ')}: ${m.subject}`)
      .join('; ') || 'none';
  const check = () => {
    for (const w of [...waiters]) {
      if (w.predicate(messages)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  let faultsInjected = 0;
  const fault = (): Error | undefined => {
    if (!random || random() >= options.faults!.rate) return undefined;
    faultsInjected += 1;
    return random() < 0.5 ? smtpError(421, 'Service not available, closing channel') : smtpError(451, 'Requested action aborted: local error');
  };
  const rcptAttempts: string[] = [];
  const keep = (raw: Buffer, envelopeTo: string[], parsed: ParsedMail | undefined) => {
    messages.push({
      messageId: parsed?.messageId ?? '',
      envelopeTo,
      to: addresses(parsed?.to),
      cc: addresses(parsed?.cc),
      subject: parsed?.subject ?? '',
      text: parsed?.text ?? '',
      html: typeof parsed?.html === 'string' ? parsed.html : '',
      headers: parsed?.headers ?? new Map(),
      parsed: parsed as ParsedMail,
      raw,
    });
    check();
  };

  const smtp = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    closeTimeout: 100,
    onConnect: (_session, cb) => cb(fault() ?? null),
    onMailFrom: (_address, _session, cb) => cb(fault() ?? null),
    onRcptTo(address, _session, cb) {
      rcptAttempts.push(address.address);
      const refused = options.refuse?.(address.address);
      if (refused) return cb(smtpError(550, refused));
      const deferred = options.defer?.(address.address);
      if (deferred === true) return cb(smtpError(451, '4.2.1 Mailbox busy, try again later'));
      if (deferred) return cb(smtpError(deferred.code, deferred.text));
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
          keep(raw, envelopeTo, undefined);
          return cb(null);
        }
        simpleParser(raw).then(
          (parsed) => {
            keep(raw, envelopeTo, parsed);
            cb(null);
          },
          (e: Error) => cb(e),
        );
      });
    },
  });
  smtp.on('error', () => undefined);

  // Our own listener hands each connection to the SMTP server, so the relay can go down and come back on
  // the same port (a closed listener: connections refused by the kernel, as when a real relay is down).
  const sockets = new Set<Socket>();
  const listener = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    smtp.server.emit('connection', socket);
  });
  await listen(listener, options.port ?? 0);
  const port = (listener.address() as AddressInfo).port;
  let up = true;

  const dropAll = () => {
    for (const s of sockets) s.destroy();
  };
  const sink: SmtpSink = {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    rcptAttempts,
    get faultsInjected() {
      return faultsInjected;
    },
    waitFor(predicate, { what = 'matching email', withinMs = 120_000 } = {}) {
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) waiters.splice(i, 1);
          reject(new Error(`the SMTP sink received no ${what} within ${withinMs / 1000} s (${messages.length} messages in all; last: ${lastReceived()})`));
        }, withinMs);
        timer.unref();
        waiters.push(waiter);
        check();
      });
    },
    async refuseConnections() {
      if (!up) return;
      up = false;
      const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
      dropAll();
      await closed;
    },
    async acceptConnections() {
      if (up) return;
      await listen(listener, port);
      up = true;
    },
    async close() {
      dropAll();
      if (up) await new Promise<void>((resolve) => listener.close(() => resolve()));
      up = false;
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
  return sink;
}
