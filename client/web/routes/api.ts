// The JSON API behind the pages: the same operations (ops/), the same zod schemas, the same access rules.
// Units authenticate with their link token in the path; staff with the session cookie. Every POST needs the
// CSRF token (GET /api/csrf) in the `x-csrf-token` header.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { TASK_LINK_PATH } from '../../../activities/access/tokens';
import {
  extendBodySchema,
  extendSelectionBodySchema,
  selectionBodySchema,
  overviewQuerySchema,
  planDraftBodySchema,
  previewQuerySchema,
  reportDraftBodySchema,
  reviewBodySchema,
  signinBodySchema,
  startBodySchema,
  submitPlanBodySchema,
  submitReportBodySchema,
} from '../api-schemas';
import { WebValidationError } from '../errors';
import { fieldErrors } from '../forms';
import { requireStaff } from '../http';
import { nodeAggregate } from '../ops/archive';
import { extendSelection, runSelection } from '../ops/bulk';
import { cycleOverview, listCycles, previewCycle, startNewCycle, unitDetail } from '../ops/cycles';
import type { WebDeps } from '../ops/deps';
import { ARCHIVE_NOTE, cycleAccess, type CycleAccess } from '../ops/scope';
import { extendUnit, reissueLink, reviewUnit, supervision } from '../ops/supervision';
import { saveTaskDraft, submitContent, submitterName, taskView, verifyTask } from '../ops/task';
import { withPendingFiles } from './files-data';
import { requestSignin } from '../signin';
import type { Staff } from '../staff';
import { openApiDocument } from '../openapi';
import { isCampaignCycle } from '../../campaign-cycles';
import * as campaign from './campaign-api';
import type { RouteLimits } from './limits';

export const API_PREFIX = '/api';

function parse<S extends z.ZodType>(schema: S, value: unknown, request: FastifyRequest): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new WebValidationError(fieldErrors(parsed.error, request.lang, value));
  return parsed.data;
}

type CycleRoute = { Params: { cycleId: string; unitId: string }; Querystring: Record<string, string | undefined> };

export function apiRoutes(app: FastifyInstance, deps: WebDeps, limits: RouteLimits): void {
  const p = (path: string) => `${API_PREFIX}${path}`;
  const csrf = { preHandler: app.csrfProtection };

  const access = async (staff: Staff, cycleId: string): Promise<CycleAccess> => {
    const a = await cycleAccess(deps, staff, cycleId);
    if ('starting' in a) throw new WebValidationError({ cycleId: 'the cycle is still starting: try again in a few seconds / chu kỳ đang khởi tạo' });
    return a;
  };

  app.get(p('/openapi.json'), async () => openApiDocument(deps.config.web.publicUrl));

  app.get(p('/csrf'), async (_request, reply) => ({ token: reply.generateCsrf() }));

  // ── units (link token) ──

  const taskPath = p(`${TASK_LINK_PATH}:token`);
  type TaskRoute = { Params: { token: string; phase: string } };

  app.get<TaskRoute>(taskPath, { config: { rateLimit: limits.token } }, async (request) => {
    const scope = await verifyTask(deps, request.params.token);
    if (isCampaignCycle(scope.cycleId)) return campaign.campaignTaskJson(deps, scope);
    const view = await taskView(deps, scope);
    return {
      cycleId: scope.cycleId,
      unit: { id: scope.unitId, name: view.unit?.name ?? scope.unitId, language: view.unit?.language },
      status: view.status,
      reportOpen: view.reportOpen,
      plan: { editable: view.plan.editable, latest: view.plan.latest ?? null, draft: view.plan.draftSavedAt ? { form: view.plan.form, savedAt: view.plan.draftSavedAt } : null },
      report: { editable: view.report.editable, latest: view.report.latest ?? null, draft: view.report.draftSavedAt ? { form: view.report.form, savedAt: view.report.draftSavedAt } : null },
    };
  });

  app.post<TaskRoute>(`${taskPath}/drafts/:phase`, { ...csrf, config: { rateLimit: limits.token } }, async (request, reply) => {
    const scope = await verifyTask(deps, request.params.token);
    const phase = request.params.phase;
    // a campaign task keeps no drafts: its page posts the phase's form as it is
    if (isCampaignCycle(scope.cycleId)) return reply.callNotFound();
    if (phase === 'plan') await saveTaskDraft(deps, scope, 'plan', parse(planDraftBodySchema, request.body, request).form);
    else if (phase === 'report') await saveTaskDraft(deps, scope, 'report', parse(reportDraftBodySchema, request.body, request).form);
    else return reply.callNotFound();
    return reply.code(204).send();
  });

  // content without `files`: the unit's pending uploads of the phase go with it, as from the page (upload first with
  // a multipart POST to /t/{token}/files/{phase}, the same checks); content naming its own `files` is sent as it is
  const withUploads = <C extends { files?: unknown }>(scope: { cycleId: string; unitId: string }, phase: 'plan' | 'report', content: C): Promise<C> =>
    content.files === undefined ? withPendingFiles(deps.db, scope, phase, content as never, deps.now()) : Promise.resolve(content);

  app.post<TaskRoute>(`${taskPath}/:phase`, { ...csrf, config: { rateLimit: limits.token } }, async (request, reply) => {
    const scope = await verifyTask(deps, request.params.token);
    const phase = request.params.phase;
    if (isCampaignCycle(scope.cycleId)) return campaign.campaignSubmitJson(deps, scope, phase, request.body);
    if (phase === 'plan') {
      const body = parse(submitPlanBodySchema, request.body, request);
      return submitContent(deps, scope, 'plan', await withUploads(scope, 'plan', body.content), body.base, submitterName(body.submittedBy, request.lang), 'api');
    }
    if (phase === 'report') {
      const body = parse(submitReportBodySchema, request.body, request);
      return submitContent(deps, scope, 'report', await withUploads(scope, 'report', body.content), body.base, submitterName(body.submittedBy, request.lang), 'api');
    }
    return reply.callNotFound();
  });

  // ── staff (session cookie) ──

  app.post(p('/signin'), { ...csrf, config: { rateLimit: limits.signinRequest } }, async (request, reply) => {
    const { email } = parse(signinBodySchema, request.body, request);
    requestSignin(deps, email, request.lang);
    return reply.code(202).send({ status: 'if the address is in the directory, a sign-in link was emailed' });
  });

  app.get(p('/cycles'), async (request) => listCycles(deps, await requireStaff(deps, request)));

  app.get(p('/cycles/preview'), async (request) => {
    const staff = await requireStaff(deps, request);
    const q = parse(previewQuerySchema, request.query, request);
    const preview = await previewCycle(
      deps,
      staff,
      { year: q.year, rootUnitId: q.rootUnitId, firstYear: q.firstYear === '1' || q.firstYear === 'true', ...(q.reportDue ? { reportDue: q.reportDue } : {}), ...(q.campaign ? { campaign: q.campaign } : {}) },
      request.lang,
    );
    if (preview.kind === 'yearly') return { kind: preview.kind, depths: preview.depths, plan: preview.plan };
    const c = preview.campaign;
    return {
      kind: preview.kind,
      cycleId: preview.cycleId,
      campaign: { id: c.campaignId, version: c.version, name: c.definition.name, phases: c.definition.phases.map((p) => ({ key: p.key, name: p.name })) },
      depths: preview.depths,
      plan: preview.plan,
    };
  });

  app.post(p('/cycles'), csrf, async (request, reply) => {
    const staff = await requireStaff(deps, request);
    const body = parse(startBodySchema, request.body, request);
    return reply.code(201).send(await startNewCycle(deps, staff, body, request.lang));
  });

  app.get<CycleRoute>(p('/cycles/:cycleId'), async (request) => {
    const staff = await requireStaff(deps, request);
    const q = parse(overviewQuerySchema, request.query, request);
    const a = await access(staff, request.params.cycleId);
    if (isCampaignCycle(a.cycleId)) return campaign.campaignOverviewJson(deps, staff, a, q.unit, q.page);
    const o = await cycleOverview(deps, staff, a, { unit: q.unit, level: q.level, overdue: q.overdue === '1' || q.overdue === 'true', page: q.page });
    if (o.source === 'archive') {
      const { tree: _tree, ...archived } = o;
      return archived;
    }
    return {
      source: o.source,
      cycleId: o.cycleId,
      cycle: o.cycle ?? null,
      plan: o.plan,
      focus: o.focus,
      breadcrumb: o.breadcrumb,
      rows: o.rows,
      total: o.total,
      page: o.page,
      filters: o.filters,
    };
  });

  app.get<CycleRoute>(p('/cycles/:cycleId/units/:unitId'), async (request) => {
    const staff = await requireStaff(deps, request);
    const a = await access(staff, request.params.cycleId);
    if (isCampaignCycle(a.cycleId)) return campaign.campaignUnitJson(deps, staff, a, request.params.unitId, request.query);
    return unitDetail(deps, staff, a, request.params.unitId);
  });

  app.get<CycleRoute>(p('/cycles/:cycleId/units/:unitId/aggregate'), async (request) => {
    const staff = await requireStaff(deps, request);
    const a = await access(staff, request.params.cycleId);
    if (isCampaignCycle(a.cycleId)) return campaign.campaignAggregateJson(deps, staff, a, request.params.unitId);
    const { aggregate, source, final } = await nodeAggregate(deps, staff, a, request.params.unitId);
    return { ...aggregate, source, final, ...(source === 'live' ? {} : { note: ARCHIVE_NOTE }) };
  });

  app.get<CycleRoute>(p('/cycles/:cycleId/supervise'), async (request) => {
    const staff = await requireStaff(deps, request);
    const a = await access(staff, request.params.cycleId);
    if (isCampaignCycle(a.cycleId)) return campaign.campaignSupervisionJson(deps, staff, a, request.query.unit || undefined);
    return supervision(deps, staff, a, request.query.unit || undefined);
  });

  app.post<CycleRoute>(p('/cycles/:cycleId/units/:unitId/review'), csrf, async (request) => {
    const staff = await requireStaff(deps, request);
    if (isCampaignCycle(request.params.cycleId)) return campaign.campaignReviewJson(deps, staff, await access(staff, request.params.cycleId), request.params.unitId, request.body);
    const body = parse(reviewBodySchema, request.body, request);
    const a = await access(staff, request.params.cycleId);
    return reviewUnit(deps, staff, a, request.params.unitId, body, 'api');
  });

  app.post<CycleRoute>(p('/cycles/:cycleId/units/:unitId/reissue-link'), csrf, async (request) => {
    const staff = await requireStaff(deps, request);
    const a = await access(staff, request.params.cycleId);
    return reissueLink(deps, staff, a, request.params.unitId, 'api');
  });

  app.post<CycleRoute>(p('/cycles/:cycleId/units/:unitId/extend'), csrf, async (request) => {
    const staff = await requireStaff(deps, request);
    if (isCampaignCycle(request.params.cycleId)) return campaign.campaignExtendJson(deps, staff, await access(staff, request.params.cycleId), request.params.unitId, request.body);
    const body = parse(extendBodySchema, request.body, request);
    const a = await access(staff, request.params.cycleId);
    return extendUnit(deps, staff, a, request.params.unitId, body, 'api');
  });

  app.post<CycleRoute>(p('/cycles/:cycleId/extend-selection'), csrf, async (request) => {
    const staff = await requireStaff(deps, request);
    if (isCampaignCycle(request.params.cycleId)) return campaign.campaignExtendSelectionJson(deps, staff, await access(staff, request.params.cycleId), request.body);
    const body = parse(extendSelectionBodySchema, request.body, request);
    const a = await access(staff, request.params.cycleId);
    return { results: await extendSelection(deps, staff, a, body.items, { until: body.until, reason: body.reason }, 'api') };
  });

  for (const kind of ['remind', 'reissue'] as const) {
    app.post<CycleRoute>(p(`/cycles/:cycleId/${kind}-selection`), csrf, async (request) => {
      const staff = await requireStaff(deps, request);
      if (isCampaignCycle(request.params.cycleId)) return campaign.campaignSelectionJson(deps, staff, await access(staff, request.params.cycleId), kind, request.body);
      const body = parse(selectionBodySchema, request.body, request);
      const a = await access(staff, request.params.cycleId);
      return { results: await runSelection(deps, staff, a, { kind }, body.items, 'api') };
    });
  }
}
