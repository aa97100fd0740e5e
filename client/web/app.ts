// The web app: server-rendered pages for the secretariat, supervisors and units, and the JSON API behind them.
// `buildWebApp` wires plugins, security headers, language, errors and routes; it does not listen, so tests can
// start it on port 0 and main.ts on the configured address.
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import { isGrpcServiceError, ServiceError, type Client } from '@temporalio/client';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { Transporter } from 'nodemailer';
import { LinkSessionEndedError } from '../../activities/access/sessions';
import { InvalidUnitTokenError } from '../../activities/access/tokens';
import type { Db } from '../../activities/db/database';
import { createMailer } from '../../activities/mail/transport';
import type { Config } from '../../common/config';
import { CycleRequestError, UpdateTimeoutError } from '../cycles';
import { SignInRequiredError, WebForbiddenError, WebNotFoundError, WebValidationError } from './errors';
import { BackgroundTasks } from './background';
import { pageUrlOf, sendHtml } from './http';
import { DEFAULT_LANG, isLang, LANG_COOKIE, LANG_QUERY, t, type Lang, type TextKey } from './i18n';
import { messagePage } from './layout';
import { redactingLogger, redactLinkSecrets } from './log';
import type { WebDeps } from './ops/deps';
import { API_PREFIX, apiRoutes } from './routes/api';
import { authRoutes } from './routes/auth';
import { campaignRoutes } from './routes/campaigns';
import { directoryRoutes } from './routes/directory';
import { fileRoutes } from './routes/files';
import { DEFAULT_ROUTE_LIMITS, type RouteLimits } from './routes/limits';
import { staffRoutes } from './routes/staff';
import { insightRoutes } from './routes/insight';
import { taskRoutes } from './routes/task';
import { webSecret } from './secret';
import { STYLESHEET, STYLESHEET_PATH } from './styles';
import { CycleTrees } from './tree';

export interface BuildWebAppOptions {
  config: Config;
  db: Db;
  client: Client;
  taskQueue: string;
  /** sends the staff sign-in emails; default: a mailer from config.mail, closed with the app */
  mailer?: Transporter<unknown>;
  logger?: FastifyServerOptions['logger'];
  rateLimits?: Partial<RouteLimits>;
  /** the clock for links and sessions (tests) */
  now?: () => Date;
}

/** Url-encoded forms of long reports (Vietnamese text percent-encodes to ~9 bytes a character). */
const BODY_LIMIT_BYTES = 4 * 1024 * 1024;
const LANG_COOKIE_MAX_AGE_S = 365 * 24 * 3600;
/** How long closing the app waits for work started after responses (an email being handed to SMTP). */
const CLOSE_GRACE_MS = 5_000;

const SECURITY_HEADERS: Record<string, string> = {
  // Task links carry a token in the path: never leak it to another site.
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

interface ErrorView {
  status: number;
  code: string;
  title: TextKey;
  /** a message key, or a text already written for people (the workflows' refusals are bilingual) */
  body: TextKey | { text: string };
}

function classify(err: unknown): ErrorView {
  if (err instanceof InvalidUnitTokenError) {
    if (err.reason === 'expired') return { status: 410, code: 'LinkExpired', title: 'tokenExpiredTitle', body: 'tokenExpiredBody' };
    if (err.reason === 'revoked') return { status: 410, code: 'LinkRevoked', title: 'tokenRevokedTitle', body: 'tokenRevokedBody' };
    return { status: 404, code: 'LinkUnknown', title: 'tokenUnknownTitle', body: 'tokenUnknownBody' };
  }
  if (err instanceof LinkSessionEndedError) return { status: 410, code: 'LinkSessionEnded', title: 'linkSessionEndedTitle', body: 'linkSessionEndedBody' };
  if (err instanceof WebNotFoundError) return { status: 404, code: 'NotFound', title: 'notFoundTitle', body: 'notFoundBody' };
  if (err instanceof WebForbiddenError) return { status: 403, code: 'Forbidden', title: 'forbiddenTitle', body: 'forbiddenBody' };
  if (err instanceof SignInRequiredError) return { status: 401, code: 'SignInRequired', title: 'signInTitle', body: 'signInIntro' };
  if (err instanceof WebValidationError) return { status: 400, code: 'InvalidInput', title: 'requestProblem', body: { text: err.message } };
  if (err instanceof UpdateTimeoutError) return { status: 504, code: 'UpdateTimeout', title: 'requestProblem', body: { text: err.message } };
  if (err instanceof CycleRequestError) return { status: 409, code: 'Refused', title: 'requestProblem', body: { text: err.message } };
  const fe = err as Partial<FastifyError>;
  if (fe.code === 'FST_CSRF_INVALID_TOKEN' || fe.code === 'FST_CSRF_MISSING_SECRET') return { status: 403, code: 'CsrfInvalid', title: 'csrfTitle', body: 'csrfBody' };
  if (fe.statusCode === 429) return { status: 429, code: 'RateLimited', title: 'rateLimitedTitle', body: 'rateLimitedBody' };
  if (err instanceof ServiceError || isGrpcServiceError(err)) return { status: 503, code: 'EngineUnavailable', title: 'errorTitle', body: 'serviceUnavailable' };
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500)
    return { status: fe.statusCode, code: fe.code ?? 'BadRequest', title: 'requestProblem', body: { text: fe.message ?? 'bad request' } };
  return { status: 500, code: 'InternalError', title: 'errorTitle', body: 'errorBody' };
}

function bodyText(lang: Lang, body: ErrorView['body']): string {
  return typeof body === 'string' ? t(lang, body) : body.text;
}

function isApi(request: FastifyRequest): boolean {
  return request.url === API_PREFIX || request.url.startsWith(`${API_PREFIX}/`);
}

function sendError(request: FastifyRequest, reply: FastifyReply, err: unknown) {
  const view = classify(err);
  if (view.status >= 500) request.log.error({ err }, 'request failed');
  const lang = request.lang ?? DEFAULT_LANG;
  if (isApi(request)) {
    const fields = err instanceof WebValidationError ? { fields: err.fields } : {};
    return reply.code(view.status).type('application/json; charset=utf-8').send({ error: view.code, message: bodyText(lang, view.body), ...fields });
  }
  if (err instanceof SignInRequiredError) return reply.redirect(`/signin?lang=${lang}`, 303);
  // The error page offers no forms, so it needs no CSRF token (and must not depend on a working plugin).
  const ctx = { lang, url: pageUrlOf(request.method, request.url) };
  // one paragraph per line: a validation error is one `field: message` line per field
  return sendHtml(reply, messagePage(ctx, t(lang, view.title), bodyText(lang, view.body).split('\n'), 'error'), view.status);
}

/**
 * Behind reverse proxies every request comes from a proxy: trust the X-Forwarded-For entries that the configured
 * proxies appended (the nearest N hops, or those from these addresses), never the ones the client wrote, so
 * request.ip — what the rate limits count — is the address the nearest trusted proxy saw.
 */
export function trustedProxies(setting: Config['web']['trustProxy']): FastifyServerOptions['trustProxy'] {
  if (setting === false) return false;
  if (typeof setting === 'number') return (_address: string, hop: number) => hop < setting;
  return setting;
}

export function buildWebApp(options: BuildWebAppOptions): FastifyInstance {
  const { config, db, client, taskQueue } = options;
  const ownMailer = options.mailer ? undefined : createMailer(config.mail);
  const deps: WebDeps = {
    config,
    db,
    client,
    taskQueue,
    mailer: options.mailer ?? ownMailer!,
    trees: new CycleTrees(db),
    now: options.now ?? (() => new Date()),
    background: new BackgroundTasks(() => app.log),
  };
  const limits: RouteLimits = { ...DEFAULT_ROUTE_LIMITS, ...options.rateLimits };
  const secure = config.web.publicUrl.startsWith('https:');

  const app = Fastify({ logger: redactingLogger(options.logger ?? false), bodyLimit: BODY_LIMIT_BYTES, trustProxy: trustedProxies(config.web.trustProxy) });
  app.decorateRequest('lang', DEFAULT_LANG);
  app.decorateRequest('langChosen', false);
  app.decorateRequest('staff', undefined);

  void app.register(fastifyCookie, { secret: webSecret(config) });
  void app.register(fastifyFormbody);
  void app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure, signed: true },
  });
  void app.register(fastifyRateLimit, { global: false });

  app.addHook('onRequest', async (request, reply) => {
    const asked = (request.query as Record<string, unknown> | undefined)?.[LANG_QUERY];
    if (isLang(asked)) {
      request.lang = asked;
      request.langChosen = true;
      if (request.cookies[LANG_COOKIE] !== asked)
        reply.setCookie(LANG_COOKIE, asked, { path: '/', maxAge: LANG_COOKIE_MAX_AGE_S, sameSite: 'lax', httpOnly: true, secure });
      return;
    }
    const remembered = request.cookies[LANG_COOKIE];
    if (isLang(remembered)) {
      request.lang = remembered;
      request.langChosen = true;
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    // Pages hold personal data and one-use forms: never cache them (the stylesheet may be cached).
    if (request.url !== STYLESHEET_PATH) reply.header('Cache-Control', 'no-store');
    return payload;
  });

  app.setErrorHandler((err, request, reply) => sendError(request, reply, err));
  app.setNotFoundHandler((request, reply) => sendError(request, reply, new WebNotFoundError(`no route ${request.method} ${redactLinkSecrets(request.url)}`)));

  // Routes in a child context: loaded after the plugins above, so the rate limiter sees them.
  void app.register(async (instance) => {
    instance.get('/healthz', async () => ({ status: 'ok' }));
    instance.get(STYLESHEET_PATH, async (_request, reply) => reply.type('text/css; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(STYLESHEET));
    authRoutes(instance, deps, limits);
    taskRoutes(instance, deps, limits);
    fileRoutes(instance, deps, limits);
    staffRoutes(instance, deps);
    directoryRoutes(instance, deps);
    insightRoutes(instance, deps);
    campaignRoutes(instance, deps);
    apiRoutes(instance, deps, limits);
  });

  // Emails being handed to SMTP get a moment to finish; whatever is still pending stays queued in the outbox.
  app.addHook('onClose', async () => deps.background.idle(CLOSE_GRACE_MS));
  if (ownMailer) app.addHook('onClose', async () => ownMailer.close());
  return app;
}
