// Request-level helpers shared by the route modules: the page context, sending HTML, the signed-in staff member.
// The plugins' type augmentations (request.cookies, reply.generateCsrf, app.csrfProtection, route rateLimit config).
import type {} from '@fastify/cookie';
import type {} from '@fastify/csrf-protection';
import type {} from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SignInRequiredError } from './errors';
import type { SafeHtml } from './html';
import type { Lang } from './i18n';
import type { PageContext } from './layout';
import type { WebDeps } from './ops/deps';
import { staffUnits, type Staff } from './staff';
import { sessionEmail } from './stores';

export const SESSION_COOKIE = 'baocao_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** the page language: ?lang=, else the lang cookie, else Vietnamese */
    lang: Lang;
    /** true when the user chose the language (query or cookie), so a unit's own default must not override it */
    langChosen: boolean;
    /** the signed-in staff member, resolved once per request (undefined: not resolved yet, null: nobody) */
    staff: Staff | null | undefined;
  }
}

export function sendHtml(reply: FastifyReply, body: SafeHtml, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(body.value);
}

/** The signed-in staff member, or null. A session whose address left the directory counts as nobody. */
export async function currentStaff(deps: WebDeps, request: FastifyRequest): Promise<Staff | null> {
  if (request.staff !== undefined) return request.staff;
  request.staff = null;
  const raw = request.cookies[SESSION_COOKIE];
  if (raw) {
    const unsigned = request.unsignCookie(raw);
    const email = unsigned.valid && unsigned.value ? await sessionEmail(deps.db, unsigned.value, deps.now()) : undefined;
    if (email) {
      const units = await staffUnits(deps.db, email);
      if (units.length > 0) request.staff = { email, units };
    }
  }
  return request.staff;
}

export async function requireStaff(deps: WebDeps, request: FastifyRequest): Promise<Staff> {
  const staff = await currentStaff(deps, request);
  if (!staff) throw new SignInRequiredError();
  return staff;
}

/** POST routes that answer with a page, and the GET page they belong to. */
const ACTION_SUFFIX = /\/(plan|report|review|extend|reissue-link|sessions\/end|phase\/[a-z][a-z0-9-]*)$/;

/**
 * The address of the page being shown, for its language links: the request itself for a GET; for a form
 * POST answered with a page (errors), the GET page the form belongs to — a link to the POST URL would 404.
 */
export function pageUrlOf(method: string, url: string): string {
  if (method === 'GET' || method === 'HEAD') return url;
  const path = url.split('?')[0]!;
  if (path === '/cycles') return '/cycles/new';
  if (path === '/signout' || path.startsWith('/signin')) return '/signin';
  return path.replace(ACTION_SUFFIX, '');
}

/** Everything the page shell needs; also issues the CSRF token the page's forms carry. */
export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContext & { csrfToken: string } {
  return {
    lang: request.lang,
    url: pageUrlOf(request.method, request.url),
    staffEmail: request.staff?.email,
    csrfToken: reply.generateCsrf(),
  };
}

/** A form field of an url-encoded body as one string ('' when absent). */
export function formValue(body: unknown, key: string): string {
  if (!body || typeof body !== 'object') return '';
  const v = (body as Record<string, unknown>)[key];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : '';
  return typeof v === 'string' ? v : '';
}

export function formBody(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}
