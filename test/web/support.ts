// Shared by the web tests: a small directory with Vietnamese names, a running web app on a free port, and a
// tiny cookie-keeping HTTP client for tests that do not need a browser.
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Transporter } from 'nodemailer';
import type { Db } from '../../activities/db/database';
import type { UnitInput } from '../../activities/directory/types';
import type { Config } from '../../common/config';
import type { SmtpSink } from '../support/smtp-sink';
import { buildWebApp, type BuildWebAppOptions } from '../../client/web/app';

const contact = (name: string, email: string) => ({ name, email });

function unit(id: string, name: string, kind: UnitInput['kind'], parentId: string | null, language: 'vi' | 'en' = 'vi'): UnitInput {
  const slug = id.toLowerCase();
  return {
    id,
    name,
    kind,
    parentId,
    chair: contact(`Chủ tịch ${name}`, `chutich.${slug}@example.vn`),
    officer: contact(`Cán bộ ${name}`, `canbo.${slug}@example.vn`),
    language,
    activeFrom: '2020-01-01',
    activeTo: null,
    distribution: [],
  };
}

/**
 * LDLD-TN (root, the secretariat)
 *  ├─ LDLD-DONG  (intermediate)  ├─ CDCS-MAY (grassroots)  └─ CDCS-THPT (grassroots)
 *  └─ CDN-GD     (intermediate)  └─ CDCS-KD (grassroots)
 */
export function webTree(): UnitInput[] {
  return [
    unit('LDLD-TN', 'Liên đoàn Lao động tỉnh Thái Nguyên', 'root', null),
    unit('LDLD-DONG', 'Liên đoàn Lao động huyện Đồng Hỷ', 'intermediate', 'LDLD-TN'),
    unit('CDN-GD', 'Công đoàn ngành Giáo dục', 'intermediate', 'LDLD-TN'),
    unit('CDCS-MAY', 'Công đoàn cơ sở Công ty May Đức Giang', 'grassroots', 'LDLD-DONG'),
    unit('CDCS-THPT', 'Công đoàn cơ sở Trường THPT Lý Thái Tổ', 'grassroots', 'LDLD-DONG'),
    unit('CDCS-KD', 'Công đoàn cơ sở Trường Tiểu học Kim Đồng', 'grassroots', 'CDN-GD'),
  ];
}

export const officerEmail = (unitId: string) => `canbo.${unitId.toLowerCase()}@example.vn`;

export interface RunningWebApp {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** Builds the app with `config`, listens on a free loopback port and makes `config.web.publicUrl` point at it. */
export async function startWebApp(options: {
  config: Config;
  db: Db;
  client: Client;
  taskQueue: string;
  mailer: Transporter<unknown>;
  rateLimits?: BuildWebAppOptions['rateLimits'];
  now?: () => Date;
  logger?: BuildWebAppOptions['logger'];
}): Promise<RunningWebApp> {
  const app = buildWebApp(options);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  options.config.web.publicUrl = url;
  return { app, url, close: () => app.close() };
}

/** A fetch that keeps cookies like a browser (enough for forms with CSRF tokens and a session). */
export class CookieClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  async request(path: string, init: { method?: string; form?: Record<string, string | string[]>; json?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(init.form)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
      body = params.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${this.base}${path}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  /** A GET whose body is a file (a download): the bytes as they came. */
  async download(path: string) {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${this.base}${path}`, { headers, redirect: 'manual' });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  /** The CSRF token the page's first form carries. */
  static csrfOf(html: string): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!m) throw new Error('no CSRF token on the page');
    return m[1]!;
  }
}

/** Signs `email` in through the emailed one-time link, as a person would; returns the cookie-keeping client. */
export async function signInByEmail(baseUrl: string, sink: SmtpSink, email: string): Promise<CookieClient> {
  const http = new CookieClient(baseUrl);
  const form = await http.request('/signin');
  const before = sink.messages.length;
  const sent = await http.request('/signin', { form: { _csrf: CookieClient.csrfOf(form.text), email } });
  if (sent.status !== 200) throw new Error(`asking a sign-in link for ${email}: HTTP ${sent.status}`);
  await sink.waitFor((m) => m.length > before && m.some((x) => x.to.includes(email)), { what: `sign-in email to ${email}` });
  const mail = sink.messages.filter((m) => m.to.includes(email)).at(-1)!;
  const link = /(http:\/\/127\.0\.0\.1:\d+\/signin\/[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
  if (!link) throw new Error(`no sign-in link in the email to ${email}`);
  const confirm = await http.request(new URL(link).pathname);
  if (confirm.status !== 200) throw new Error(`opening the sign-in link: HTTP ${confirm.status}`);
  const done = await http.request(new URL(link).pathname, { form: { _csrf: CookieClient.csrfOf(confirm.text) } });
  if (done.status !== 303) throw new Error(`confirming the sign-in: HTTP ${done.status}`);
  return http;
}
