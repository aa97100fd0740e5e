// The unit's pages behind its emailed link /t/:token. GET only reads (mail scanners open links); saving a draft
// and submitting are POSTs with a CSRF token, each re-checking the link.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { endLinkSession, linkSessionCookieName, listLinkSessions, openLinkSession } from '../../../activities/access/sessions';
import { TASK_LINK_PATH } from '../../../activities/access/tokens';
import type { Phase } from '../../../workflows/report';
import { CycleRequestError } from '../../cycles';
import { WebNotFoundError, WebValidationError } from '../errors';
import { planFormFromBody, reportFormFromBody, type FieldErrors } from '../forms';
import { formBody, formValue, pageContext, sendHtml } from '../http';
import type { WebDeps } from '../ops/deps';
import { saveTaskDraft, submitTask, SUBMITTED_BY_FIELD, taskView, verifyTask, type TaskScope } from '../ops/task';
import { END_SESSION_SUFFIX } from '../views/link-sessions';
import { taskPage, type TaskFlash } from '../views/task';
import { isCampaignCycle } from '../../campaign-cycles';
import { campaignTaskGet, campaignTaskRoutes } from './campaign-task';
import { unitPageFiles } from './files-data';
import type { RouteLimits } from './limits';

const FLASHES: readonly TaskFlash[] = ['plan-draft', 'plan-submitted', 'report-draft', 'report-submitted', 'session-ended'];
/** The link session cookie lives as long as a cycle can (a year), the session itself until the link stops. */
const LINK_SESSION_COOKIE_MAX_AGE_S = 400 * 24 * 3600;

type TokenRequest = FastifyRequest<{ Params: { token: string }; Querystring: Record<string, string | undefined> }>;

/** The link's scope, and this browser's session with it (refused once the unit ended it). */
async function scopeOf(deps: WebDeps, request: TokenRequest, reply: FastifyReply): Promise<TaskScope & { session: string }> {
  const token = request.params.token;
  const scope = await verifyTask(deps, token);
  const cookie = linkSessionCookieName(token);
  const raw = request.cookies[cookie];
  const unsigned = raw ? request.unsignCookie(raw) : undefined;
  const session = await openLinkSession(
    deps.db,
    { token, ...scope, sessionId: unsigned?.valid && unsigned.value ? unsigned.value : undefined, userAgent: request.headers['user-agent'] ?? '' },
    deps.now(),
  );
  if (session.created) {
    reply.setCookie(cookie, session.sessionId, {
      path: TASK_LINK_PATH,
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.config.web.publicUrl.startsWith('https:'),
      signed: true,
      maxAge: LINK_SESSION_COOKIE_MAX_AGE_S,
    });
  }
  return { cycleId: scope.cycleId, unitId: scope.unitId, session: session.id };
}

async function render(
  deps: WebDeps,
  request: TokenRequest,
  reply: FastifyReply,
  scope: TaskScope & { session: string },
  extra: { flash?: TaskFlash; flashLate?: boolean; failed?: { phase: Phase; errors: FieldErrors; problem?: string; submittedBy?: string }; posted?: unknown },
  status = 200,
) {
  const [view, sessions, files] = await Promise.all([
    taskView(deps, { cycleId: scope.cycleId, unitId: scope.unitId }),
    listLinkSessions(deps.db, scope),
    unitPageFiles(deps, scope),
  ]);
  // The unit's own language, unless the reader picked one.
  if (!request.langChosen && view.unit) request.lang = view.unit.language;
  if (extra.failed && extra.posted) {
    if (extra.failed.phase === 'plan') view.plan.form = extra.posted as typeof view.plan.form;
    else view.report.form = extra.posted as typeof view.report.form;
  }
  const ctx = pageContext(request, reply);
  return sendHtml(reply, taskPage(ctx, view, { token: request.params.token, csrfToken: ctx.csrfToken, sessions, currentSession: scope.session, files, ...extra }), status);
}

export function taskRoutes(app: FastifyInstance, deps: WebDeps, limits: RouteLimits): void {
  const path = `${TASK_LINK_PATH}:token`;

  app.get(path, { config: { rateLimit: limits.token } }, async (request: TokenRequest, reply) => {
    const scope = await scopeOf(deps, request, reply);
    // a cycle of a campaign: its phases and forms come from the campaign (routes/campaign-task.ts)
    if (isCampaignCycle(scope.cycleId)) return campaignTaskGet(deps, request, reply, scope);
    const done = request.query.done;
    const flash = FLASHES.find((f) => f === done);
    return render(deps, request, reply, scope, { flash, flashLate: request.query.late === '1' });
  });

  for (const phase of ['plan', 'report'] as const) {
    app.post(`${path}/${phase}`, { preHandler: app.csrfProtection, config: { rateLimit: limits.token } }, async (request: TokenRequest, reply) => {
      const scope = await scopeOf(deps, request, reply);
      const body = formBody(request.body);
      let form;
      try {
        form = phase === 'plan' ? planFormFromBody(body, request.lang) : reportFormFromBody(body, request.lang);
      } catch (err) {
        // text far past a field's limit: the page comes back with the message beside that field
        if (err instanceof WebValidationError) return render(deps, request, reply, scope, { failed: { phase, errors: err.fields } }, 422);
        throw err;
      }
      const token = request.params.token;
      if (formValue(body, 'action') === 'draft') {
        await saveTaskDraft(deps, scope, phase, form);
        return reply.redirect(`${TASK_LINK_PATH}${token}?done=${phase}-draft#${phase}`, 303);
      }
      const base = Number.parseInt(formValue(body, 'base'), 10);
      const submittedBy = formValue(body, SUBMITTED_BY_FIELD);
      try {
        const receipt = await submitTask(deps, scope, phase, form, Number.isFinite(base) && base >= 0 ? base : 0, submittedBy, request.lang);
        return reply.redirect(`${TASK_LINK_PATH}${token}?done=${phase}-submitted${receipt.late ? '&late=1' : ''}#${phase}`, 303);
      } catch (err) {
        if (err instanceof WebValidationError) return render(deps, request, reply, scope, { failed: { phase, errors: err.fields, submittedBy }, posted: form }, 422);
        if (err instanceof CycleRequestError) return render(deps, request, reply, scope, { failed: { phase, errors: {}, problem: err.message, submittedBy }, posted: form }, 409);
        throw err;
      }
    });
  }

  campaignTaskRoutes(app, deps, limits, scopeOf);

  app.post(`${path}${END_SESSION_SUFFIX}`, { preHandler: app.csrfProtection, config: { rateLimit: limits.token } }, async (request: TokenRequest, reply) => {
    const scope = await scopeOf(deps, request, reply);
    const id = formValue(request.body, 'session');
    if (!(await endLinkSession(deps.db, scope, id, deps.now()))) throw new WebNotFoundError('no such session of this link');
    return reply.redirect(`${TASK_LINK_PATH}${request.params.token}?done=session-ended#sessions`, 303);
  });
}
