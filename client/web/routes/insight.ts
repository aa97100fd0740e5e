// The pages behind a cycle page's numbers: the units behind a count, the reports behind a figure's total, the
// heat map of a subtree. Read from the archive; the viewer's scope is checked on the unit asked for.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PHASES, type Phase } from '../../../workflows/report';
import { WebNotFoundError } from '../errors';
import { pageContext, requireStaff, sendHtml } from '../http';
import type { WebDeps } from '../ops/deps';
import { figureBehind, heatMap, isCategory, isFigureKey, unitsBehind } from '../ops/insight';
import { cycleAccess, type CycleAccess } from '../ops/scope';
import type { Staff } from '../staff';
import { figureBehindPage, heatMapPage, unitsBehindPage } from '../views/insight';

type Route = { Params: { cycleId: string; unitId: string; phase?: string; category?: string; figure?: string }; Querystring: { page?: string; self?: string } };

function pageParam(v: string | undefined): number | undefined {
  return v !== undefined && /^\d{1,5}$/.test(v) ? Number(v) : undefined;
}

export function insightRoutes(app: FastifyInstance, deps: WebDeps): void {
  /** The cycle's access for a signed-in staff member; a cycle still starting has nothing behind its numbers yet. */
  const access = async (request: FastifyRequest<Route>): Promise<{ staff: Staff; a: CycleAccess }> => {
    const staff = await requireStaff(deps, request);
    const a = await cycleAccess(deps, staff, request.params.cycleId);
    if ('starting' in a) throw new WebNotFoundError(`cycle ${a.cycleId} is still starting`);
    return { staff, a };
  };

  app.get<Route>('/cycles/:cycleId/units/:unitId/behind/:phase/:category', async (request, reply) => {
    const { phase, category } = request.params;
    if (!PHASES.includes(phase as Phase) || !isCategory(category)) throw new WebNotFoundError(`no count ${String(phase)}/${String(category)}`);
    const { staff, a } = await access(request);
    const drill = await unitsBehind(deps, staff, a, request.params.unitId, phase as Phase, category, { page: pageParam(request.query.page), withSelf: request.query.self === '1' });
    return sendHtml(reply, unitsBehindPage(pageContext(request, reply), drill));
  });

  app.get<Route>('/cycles/:cycleId/units/:unitId/figures/:figure', async (request, reply) => {
    const { figure } = request.params;
    if (!isFigureKey(figure)) throw new WebNotFoundError(`no figure ${String(figure)}`);
    const { staff, a } = await access(request);
    const drill = await figureBehind(deps, staff, a, request.params.unitId, figure, pageParam(request.query.page));
    return sendHtml(reply, figureBehindPage(pageContext(request, reply), drill));
  });

  app.get<Route>('/cycles/:cycleId/units/:unitId/heatmap', async (request, reply) => {
    const { staff, a } = await access(request);
    const map = await heatMap(deps, staff, a, request.params.unitId, pageParam(request.query.page));
    return sendHtml(reply, heatMapPage(pageContext(request, reply), map));
  });
}
