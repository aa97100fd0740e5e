import { connect, type Socket } from 'node:net';
import nodemailer from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { Config } from '../../common/config';

/** The pooled SMTP transport every mail activity sends through. Close it with `mailer.close()`. */
export type Mailer = nodemailer.Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>;

/** Where the embedded mail catcher listens: loopback only, so nothing leaves the machine. */
export const MAIL_CATCHER_HOST = '127.0.0.1';

export interface MailerOptions {
  /**
   * Apply `config.ratePerSecond` (default true). Tests and benchmarks against an in-process server switch
   * it off: nodemailer's limiter waits on the wall clock.
   */
  rateLimit?: boolean;
}

/** nodemailer's limiter counts whole messages per window; a fractional rate becomes one message per window. */
export function rateWindow(ratePerSecond: number): { rateLimit: number; rateDelta: number } {
  if (ratePerSecond >= 1) return { rateLimit: Math.floor(ratePerSecond), rateDelta: 1000 };
  return { rateLimit: 1, rateDelta: Math.round(1000 / ratePerSecond) };
}

/** Connection options of the configured SMTP server, or of the embedded catcher when SMTP_URL is unset. */
export function smtpTarget(mail: Config['mail']): SMTPConnection.Options {
  if (mail.smtpUrl) return parseConnectionUrl(mail.smtpUrl);
  // The catcher has no certificate worth checking on loopback: plain SMTP, never STARTTLS.
  return { host: MAIL_CATCHER_HOST, port: mail.catcherSmtpPort, secure: false, ignoreTLS: true };
}

const DEFAULT_CONNECTION_TIMEOUT_MS = 120_000;

/**
 * Opens each pooled connection ourselves to switch Nagle's algorithm off: SMTP is small request/response
 * writes, and Nagle plus the server's delayed ACK costs ~40 ms per message per connection (the benchmark
 * shows 5x). nodemailer then speaks SMTP over the socket as usual, including implicit TLS and STARTTLS.
 */
export function noDelaySocket(options: SMTPPool.Options, callback: (err: Error | null, socketOptions?: { connection?: Socket }) => void): void {
  const socket = connect({ host: options.host ?? 'localhost', port: Number(options.port) || (options.secure ? 465 : 587), localAddress: options.localAddress });
  socket.setNoDelay(true);
  let settled = false;
  const settle = (err: Error | null) => {
    if (settled) return;
    settled = true;
    socket.setTimeout(0);
    socket.removeListener('error', settle);
    if (err) {
      socket.destroy();
      // Not callback(err): nodemailer's pool does not drop a resource whose getSocket failed, so after
      // maxConnections failures (a relay restarting) every later send would wait forever. Without a socket,
      // nodemailer connects by itself, fails the same way, and its pool cleans up as it should.
      callback(null, {});
    } else callback(null, { connection: socket });
  };
  socket.setTimeout(options.connectionTimeout ?? DEFAULT_CONNECTION_TIMEOUT_MS, () =>
    settle(Object.assign(new Error(`Connection timeout to ${options.host ?? 'localhost'}`), { code: 'ETIMEDOUT' })),
  );
  socket.once('error', settle);
  socket.once('connect', () => settle(null));
}

/**
 * A pooled, rate-limited SMTP transport: a reminder wave for thousands of units goes out over `poolSize`
 * connections at no more than `ratePerSecond` messages per second (pool-wide), so the relay does not block
 * the sender. DKIM-signs when configured.
 */
export function createMailer(mail: Config['mail'], options: MailerOptions = {}): Mailer {
  const rate = options.rateLimit === false ? {} : rateWindow(mail.ratePerSecond);
  const poolOptions: SMTPPool.Options & { maxRequeues: number } = {
    ...smtpTarget(mail),
    pool: true,
    maxConnections: mail.poolSize,
    // A pooled connection that closes mid-send is retried once inside the pool (an idle connection the server
    // dropped); beyond that the activity fails and Temporal retries it with backoff, visibly, instead of the
    // pool re-queueing without end inside one attempt. (Not in @types/nodemailer, read by smtp-pool.)
    maxRequeues: 1,
    getSocket: noDelaySocket,
    ...rate,
    ...(mail.dkim ? { dkim: mail.dkim } : {}),
  };
  return nodemailer.createTransport(poolOptions);
}

/** The envelope sender and the domain of Message-IDs, from MAIL_FROM (`"Name" <addr@domain>`). */
export function senderAddress(from: string): { name: string; address: string; domain: string } {
  const parsed = addressparser(from, { flatten: true })[0];
  const at = parsed?.address.lastIndexOf('@') ?? -1;
  if (!parsed || at < 1 || at === parsed.address.length - 1) {
    throw new Error(`MAIL_FROM ${JSON.stringify(from)} has no usable address: set it like "Ban Tuyên giáo" <baocao@example.org>`);
  }
  return { name: parsed.name, address: parsed.address, domain: parsed.address.slice(at + 1).toLowerCase() };
}
