// Staff sign-in and sign-out pages.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { formValue, pageContext, SESSION_COOKIE, sendHtml } from '../http';
import type { WebDeps } from '../ops/deps';
import { requestSignin, SIGNIN_PATH } from '../signin';
import { consumeSigninToken, createSession, peekSigninToken, revokeSession } from '../stores';
import { checkMailPage, signinConfirmPage, signinInvalidPage, signinPage } from '../views/auth';
import type { RouteLimits } from './limits';

export const emailSchema = z.email().max(254);

export function sessionCookieOptions(deps: WebDeps, expires?: Date) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: deps.config.web.publicUrl.startsWith('https:'),
    signed: true,
    ...(expires ? { expires } : {}),
  };
}

export function authRoutes(app: FastifyInstance, deps: WebDeps, limits: RouteLimits): void {
  app.get(SIGNIN_PATH, async (request, reply) => sendHtml(reply, signinPage(pageContext(request, reply), reply.generateCsrf())));

  app.post(SIGNIN_PATH, { preHandler: app.csrfProtection, config: { rateLimit: limits.signinRequest } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    const raw = formValue(request.body, 'email');
    const parsed = emailSchema.safeParse(raw.trim());
    if (!parsed.success) {
      const error = ctx.lang === 'vi' ? 'Địa chỉ thư điện tử không hợp lệ.' : 'Not a valid email address.';
      return sendHtml(reply, signinPage(ctx, ctx.csrfToken, { email: raw, error }), 422);
    }
    // Looked up and sent after this answer, which is the same for every address (signin.ts).
    requestSignin(deps, parsed.data, request.lang);
    return sendHtml(reply, checkMailPage(ctx));
  });

  app.get<{ Params: { token: string } }>(`${SIGNIN_PATH}/:token`, { config: { rateLimit: limits.token } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    const email = await peekSigninToken(deps.db, request.params.token, deps.now());
    if (!email) return sendHtml(reply, signinInvalidPage(ctx), 410);
    return sendHtml(reply, signinConfirmPage(ctx, ctx.csrfToken, request.params.token, email));
  });

  app.post<{ Params: { token: string } }>(
    `${SIGNIN_PATH}/:token`,
    { preHandler: app.csrfProtection, config: { rateLimit: limits.token } },
    async (request, reply) => {
      const email = await consumeSigninToken(deps.db, request.params.token, deps.now());
      if (!email) return sendHtml(reply, signinInvalidPage(pageContext(request, reply)), 410);
      const { sessionId, expiresAt } = await createSession(deps.db, email, deps.now());
      reply.setCookie(SESSION_COOKIE, sessionId, sessionCookieOptions(deps, expiresAt));
      return reply.redirect('/', 303);
    },
  );

  app.post('/signout', { preHandler: app.csrfProtection }, async (request, reply) => {
    const raw = request.cookies[SESSION_COOKIE];
    const unsigned = raw ? request.unsignCookie(raw) : undefined;
    if (unsigned?.valid && unsigned.value) await revokeSession(deps.db, unsigned.value, deps.now());
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect(`${SIGNIN_PATH}?lang=${request.lang}`, 303);
  });
}
