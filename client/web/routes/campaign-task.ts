// The unit's page of a campaign cycle behind its emailed link /t/:token (routes/task.ts hands a cycle whose id
// names a campaign to `campaignTaskGet`), and the POST of one phase's form, re-checking the link.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TASK_LINK_PATH } from '../../../activities/access/tokens';
import { CycleRequestError } from '../../cycles';
import { WebNotFoundError, WebValidationError } from '../errors';
import { formBody, pageContext, sendHtml } from '../http';
import { campaignTaskView, submitCampaignPhase, valuesOfBody } from '../ops/campaign-task';
import type { WebDeps } from '../ops/deps';
import type { TaskScope } from '../ops/task';
import { campaignTaskPage, type CampaignTaskPageOptions } from '../views/campaign-task';
import type { RouteLimits } from './limits';

type TokenRequest = FastifyRequest<{ Params: { token: string; phase?: string }; Querystring: Record<string, string | undefined> }>;
/** Verifies the link and opens this browser's session with it (routes/task.ts). */
export type ScopeOf = (deps: WebDeps, request: TokenRequest, reply: FastifyReply) => Promise<TaskScope>;

async function render(deps: WebDeps, request: TokenRequest, reply: FastifyReply, scope: TaskScope, extra: Omit<CampaignTaskPageOptions, 'token' | 'csrfToken'>, status = 200) {
  const view = await campaignTaskView(deps, scope);
  if (!request.langChosen && view.unit) request.lang = view.unit.language;
  const ctx = pageContext(request, reply);
  return sendHtml(reply, campaignTaskPage(ctx, view, { token: request.params.token, csrfToken: ctx.csrfToken, ...extra }), status);
}

/** GET /t/:token of a campaign cycle. */
export function campaignTaskGet(deps: WebDeps, request: TokenRequest, reply: FastifyReply, scope: TaskScope) {
  const done = request.query.done;
  return render(deps, request, reply, scope, done ? { flash: { phase: done, late: request.query.late === '1' } } : {});
}

export function campaignTaskRoutes(app: FastifyInstance, deps: WebDeps, limits: RouteLimits, scopeOf: ScopeOf): void {
  app.post(`${TASK_LINK_PATH}:token/phase/:phase`, { preHandler: app.csrfProtection, config: { rateLimit: limits.token } }, async (request: TokenRequest, reply) => {
    const scope = await scopeOf(deps, request, reply);
    const key = request.params.phase ?? '';
    const view = await campaignTaskView(deps, scope);
    const phase = view.phases.find((p) => p.view.key === key);
    if (!phase) throw new WebNotFoundError(`the campaign has no phase "${key}" / đợt báo cáo không có giai đoạn này`);
    if (!request.langChosen && view.unit) request.lang = view.unit.language;
    const values = valuesOfBody(formBody(request.body));
    try {
      const receipt = await submitCampaignPhase(deps, scope, phase, values, request.lang);
      return reply.redirect(`${TASK_LINK_PATH}${request.params.token}?done=${key}${receipt.late ? '&late=1' : ''}#phase-${key}`, 303);
    } catch (err) {
      if (err instanceof WebValidationError) return render(deps, request, reply, scope, { failed: { phase: key, values, errors: err.fields } }, 422);
      if (err instanceof CycleRequestError) return render(deps, request, reply, scope, { failed: { phase: key, values, errors: {}, problem: err.message } }, 409);
      throw err;
    }
  });
}
