import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { SMTPServer } from 'smtp-server';
import { MAIL_CATCHER_HOST } from '../../activities/mail/transport';
import { listPage, messagePage, PAGE_CSP } from './pages';
import { loadMessages, newMessageId, parseMessage, readRaw, saveMessage, type CaughtMessage } from './store';

// The embedded mail catcher: a real SMTP server that keeps every message it receives (in memory and as .eml
// files) and shows them on a small web page. It is the default mail target, so a fresh install sends nothing
// to the outside world.

export interface MailCatcherOptions {
  /** 0 picks a free port */
  smtpPort: number;
  httpPort: number;
  /** loopback by default: the catcher holds real personal links */
  host?: string;
  /** where .eml files go (e.g. data/mail); messages of earlier runs are loaded from it at start */
  storeDir?: string;
  /** messages kept in memory (the newest; all stay on disk) */
  maxMessages?: number;
  /** largest message accepted, bytes */
  maxMessageBytes?: number;
}

export interface MailCatcher {
  smtpPort: number;
  httpPort: number;
  /** `smtp://host:port`, usable as SMTP_URL */
  smtpUrl: string;
  webUrl: string;
  /** oldest first */
  messages(): CaughtMessage[];
  clear(): void;
  close(): Promise<void>;
}

export const DEFAULT_MAX_MESSAGES = 5_000;
const DEFAULT_MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

async function readStream(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

export async function startMailCatcher(options: MailCatcherOptions): Promise<MailCatcher> {
  const host = options.host ?? MAIL_CATCHER_HOST;
  const max = options.maxMessages ?? DEFAULT_MAX_MESSAGES;
  const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const messages: CaughtMessage[] = options.storeDir ? await loadMessages(options.storeDir, max) : [];
  const byId = () => new Map(messages.map((m) => [m.id, m]));

  const smtp = new SMTPServer({
    secure: false,
    // Plain SMTP on loopback: no certificate to trust; any login is accepted so an SMTP_URL with
    // credentials pointed at the catcher works too.
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'catcher' }),
    size: maxBytes,
    banner: 'baocao mail catcher',
    logger: false,
    closeTimeout: 1_000,
    onData(stream, session, callback) {
      readStream(stream)
        .then(async (raw) => {
          if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
            return callback(Object.assign(new Error(`Message exceeds ${maxBytes} bytes`), { responseCode: 552 }));
          }
          const received = new Date();
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          const m = await parseMessage(newMessageId(received), raw, envelope, received.toISOString());
          if (options.storeDir) await saveMessage(options.storeDir, m, raw);
          messages.push(m);
          if (messages.length > max) messages.splice(0, messages.length - max);
          callback(null, `Queued as ${m.id}`);
        })
        .catch((err: unknown) => callback(Object.assign(new Error(`Could not store the message: ${String(err)}`), { responseCode: 451 })));
    },
  });

  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(options.smtpPort, host, () => {
      smtp.off('error', reject);
      resolve();
    });
  });
  // later socket errors (a client vanishing mid-session) must not crash the process
  smtp.on('error', () => undefined);
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const web = Fastify({ logger: false });
  web.addHook('onSend', async (_req, reply) => {
    reply.header('Content-Security-Policy', PAGE_CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
  });
  const html = 'text/html; charset=utf-8';
  web.get('/', async (_req, reply) => reply.type(html).send(listPage(messages)));
  web.get<{ Params: { id: string } }>('/messages/:id', async (req, reply) => {
    const m = byId().get(req.params.id);
    return m ? reply.type(html).send(messagePage(m)) : reply.code(404).type(html).send('Không tìm thấy thư / Message not found');
  });
  web.get<{ Params: { id: string } }>('/messages/:id/raw', async (req, reply) => {
    const m = byId().get(req.params.id);
    if (!m || !options.storeDir) return reply.code(404).send('Not found');
    return reply
      .type('message/rfc822')
      .header('Content-Disposition', `attachment; filename="${m.id}.eml"`)
      .send(await readRaw(options.storeDir, m.id));
  });
  web.get<{ Querystring: { to?: string } }>('/api/messages', async (req) => {
    const to = req.query.to?.toLowerCase();
    return to ? messages.filter((m) => m.envelope.to.some((a) => a.toLowerCase() === to)) : messages;
  });
  web.get<{ Params: { id: string } }>('/api/messages/:id', async (req, reply) => {
    const m = byId().get(req.params.id);
    return m ?? reply.code(404).send({ error: 'not found' });
  });
  web.delete('/api/messages', async () => {
    messages.length = 0;
    return { cleared: true };
  });
  try {
    await web.listen({ port: options.httpPort, host });
  } catch (err) {
    await new Promise<void>((resolve) => smtp.close(resolve));
    throw err;
  }
  const httpPort = (web.server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    smtpPort,
    httpPort,
    smtpUrl: `smtp://${urlHost}:${smtpPort}`,
    webUrl: `http://${urlHost}:${httpPort}`,
    messages: () => [...messages],
    clear: () => {
      messages.length = 0;
    },
    async close() {
      const closed = new Promise<void>((resolve) => smtp.close(resolve));
      // idle pooled clients would otherwise hold the server open until closeTimeout
      for (const connection of smtp.connections) connection.close();
      await Promise.all([closed, web.close()]);
    },
  };
}
