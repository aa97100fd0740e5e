// The unit's pages behind its emailed link /t/:token. GET only reads (mail scanners open links); saving a draft
// and submitting are POSTs with a CSRF token, each re-checking the link.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TASK_LINK_PATH } from '../../../activities/access/tokens';
import type { Phase } from '../../../workflows/report';
import { CycleRequestError } from '../../cycles';
import { WebValidationError } from '../errors';
import { planFormFromBody, reportFormFromBody, type FieldErrors } from '../forms';
import { formBody, formValue, pageContext, sendHtml } from '../http';
import type { WebDeps } from '../ops/deps';
import { saveTaskDraft, submitTask, taskView, verifyTask, type TaskScope } from '../ops/task';
import { taskPage, type TaskFlash } from '../views/task';
import type { RouteLimits } from './limits';

const FLASHES: readonly TaskFlash[] = ['plan-draft', 'plan-submitted', 'report-draft', 'report-submitted'];

type TokenRequest = FastifyRequest<{ Params: { token: string }; Querystring: Record<string, string | undefined> }>;

async function scopeOf(deps: WebDeps, request: TokenRequest): Promise<TaskScope> {
  return verifyTask(deps, request.params.token);
}

async function render(
  deps: WebDeps,
  request: TokenRequest,
  reply: FastifyReply,
  scope: TaskScope,
  extra: { flash?: TaskFlash; flashLate?: boolean; failed?: { phase: Phase; errors: FieldErrors; problem?: string }; posted?: unknown },
  status = 200,
) {
  const view = await taskView(deps, scope);
  // The unit's own language, unless the reader picked one.
  if (!request.langChosen && view.unit) request.lang = view.unit.language;
  if (extra.failed && extra.posted) {
    if (extra.failed.phase === 'plan') view.plan.form = extra.posted as typeof view.plan.form;
    else view.report.form = extra.posted as typeof view.report.form;
  }
  const ctx = pageContext(request, reply);
  return sendHtml(reply, taskPage(ctx, view, { token: request.params.token, csrfToken: ctx.csrfToken, ...extra }), status);
}

export function taskRoutes(app: FastifyInstance, deps: WebDeps, limits: RouteLimits): void {
  const path = `${TASK_LINK_PATH}:token`;

  app.get(path, { config: { rateLimit: limits.token } }, async (request: TokenRequest, reply) => {
    const scope = await scopeOf(deps, request);
    const done = request.query.done;
    const flash = FLASHES.find((f) => f === done);
    return render(deps, request, reply, scope, { flash, flashLate: request.query.late === '1' });
  });

  for (const phase of ['plan', 'report'] as const) {
    app.post(`${path}/${phase}`, { preHandler: app.csrfProtection, config: { rateLimit: limits.token } }, async (request: TokenRequest, reply) => {
      const scope = await scopeOf(deps, request);
      const body = formBody(request.body);
      const form = phase === 'plan' ? planFormFromBody(body) : reportFormFromBody(body);
      const token = request.params.token;
      if (formValue(body, 'action') === 'draft') {
        await saveTaskDraft(deps, scope, phase, form);
        return reply.redirect(`${TASK_LINK_PATH}${token}?done=${phase}-draft#${phase}`, 303);
      }
      const base = Number.parseInt(formValue(body, 'base'), 10);
      try {
        const receipt = await submitTask(deps, scope, phase, form, Number.isFinite(base) && base >= 0 ? base : 0, request.lang);
        return reply.redirect(`${TASK_LINK_PATH}${token}?done=${phase}-submitted${receipt.late ? '&late=1' : ''}#${phase}`, 303);
      } catch (err) {
        if (err instanceof WebValidationError) return render(deps, request, reply, scope, { failed: { phase, errors: err.fields }, posted: form }, 422);
        if (err instanceof CycleRequestError) return render(deps, request, reply, scope, { failed: { phase, errors: {}, problem: err.message }, posted: form }, 409);
        throw err;
      }
    });
  }
}
