// Staff pages and actions of a cycle of a campaign. routes/staff.ts hands its cycle page, unit page, review and
// extension routes to these when the cycle's id names a campaign (isCampaignCycle); the downloads are routes
// of their own.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { fieldProblems } from '../../../domain/field-errors';
import { campaignExtendBodySchema, campaignReviewBodySchema } from '../api-schemas';
import { CycleRequestError } from '../../cycles';
import { isCampaignCycle } from '../../campaign-cycles';
import { sendDownload } from '../download';
import { WebNotFoundError } from '../errors';
import { formValue, pageContext, requireStaff, sendHtml } from '../http';
import { campaignCycleOverview, campaignReportDocx, campaignUnitDetail, campaignWorkbook, extendCampaignUnit, reviewCampaignUnit } from '../ops/campaign-cycle';
import { loadArchivedCampaignOverview, loadArchivedCampaignUnit } from '../ops/campaign-archive';
import type { WebDeps } from '../ops/deps';
import type { CycleAccess } from '../ops/scope';
import type { Staff } from '../staff';
import { archivedCampaignCyclePage, archivedCampaignUnitPage } from '../views/campaign-archive';
import { campaignCyclePage, campaignUnitPage, type CampaignUnitPageOptions } from '../views/campaign-cycle';
import { unitPath } from '../views/staff';

type Query = Record<string, string | undefined>;
type CycleRequest = FastifyRequest<{ Params: { cycleId: string; unitId?: string; phase?: string }; Querystring: Query }>;
/** The staff route's access check (a starting cycle answers its own page: then undefined). */
export type AccessOf = (request: CycleRequest, reply: FastifyReply, staff: Staff) => Promise<CycleAccess | undefined>;

const bodyOf = (body: unknown, keys: string[]) => Object.fromEntries(keys.map((k) => [k, formValue(body, k)]));
const errorsOf = (error: z.ZodError) => Object.fromEntries(fieldProblems(error).map((p) => [p.field, p.message]));

/** The node's page; with `problem`, a refused selection (nothing selected, no overdue unit) said at its top. */
export async function campaignCycleGet(deps: WebDeps, request: CycleRequest, reply: FastifyReply, staff: Staff, a: CycleAccess, problem?: string, status = 200) {
  // a closed cycle (its workflows closed, or deleted after Temporal's retention): from the archive
  if ((await a.source()) === 'archive') return sendHtml(reply, archivedCampaignCyclePage(pageContext(request, reply), await loadArchivedCampaignOverview(deps, staff, a, request.query.unit || undefined)), status);
  const page = Number.parseInt(request.query.page ?? '', 10);
  const overview = await campaignCycleOverview(deps, staff, a, request.query.unit || undefined, Number.isFinite(page) ? page : 0);
  const ctx = pageContext(request, reply);
  return sendHtml(reply, campaignCyclePage(ctx, overview, { csrfToken: ctx.csrfToken, problem }), status);
}

async function unitPageOf(deps: WebDeps, request: CycleRequest, reply: FastifyReply, staff: Staff, a: CycleAccess, o: Omit<CampaignUnitPageOptions, 'csrfToken'>, status = 200) {
  if ((await a.source()) === 'archive')
    return sendHtml(reply, archivedCampaignUnitPage(pageContext(request, reply), await loadArchivedCampaignUnit(deps, staff, a, request.params.unitId!), { problem: o.errors?.problem }), status);
  const detail = await campaignUnitDetail(deps, staff, a, request.params.unitId!);
  const ctx = pageContext(request, reply);
  return sendHtml(reply, campaignUnitPage(ctx, detail, { ...o, csrfToken: ctx.csrfToken }), status);
}

export function campaignUnitGet(deps: WebDeps, request: CycleRequest, reply: FastifyReply, staff: Staff, a: CycleAccess) {
  const done = request.query.done;
  return unitPageOf(deps, request, reply, staff, a, { flash: done === 'reviewed' || done === 'extended' || done === 'reissued' ? done : undefined });
}

export async function campaignReviewPost(deps: WebDeps, request: CycleRequest, reply: FastifyReply, staff: Staff, a: CycleAccess) {
  const raw = bodyOf(request.body, ['decision', 'phase', 'version', 'comment']);
  const phase = raw.phase ?? '';
  const parsed = campaignReviewBodySchema.safeParse(raw);
  if (!parsed.success) return unitPageOf(deps, request, reply, staff, a, { errors: { phase, form: 'review', fields: errorsOf(parsed.error) } }, 422);
  try {
    await reviewCampaignUnit(deps, staff, a, request.params.unitId!, parsed.data);
  } catch (err) {
    if (err instanceof CycleRequestError) return unitPageOf(deps, request, reply, staff, a, { errors: { phase, form: 'review', fields: {}, problem: err.message } }, 409);
    throw err;
  }
  return reply.redirect(`${unitPath(a.cycleId, request.params.unitId!)}?done=reviewed`, 303);
}

export async function campaignExtendPost(deps: WebDeps, request: CycleRequest, reply: FastifyReply, staff: Staff, a: CycleAccess) {
  const raw = bodyOf(request.body, ['phase', 'until', 'reason']);
  const phase = raw.phase ?? '';
  const parsed = campaignExtendBodySchema.safeParse(raw);
  if (!parsed.success) return unitPageOf(deps, request, reply, staff, a, { errors: { phase, form: 'extend', fields: errorsOf(parsed.error) } }, 422);
  try {
    await extendCampaignUnit(deps, staff, a, request.params.unitId!, parsed.data);
  } catch (err) {
    if (err instanceof CycleRequestError) return unitPageOf(deps, request, reply, staff, a, { errors: { phase, form: 'extend', fields: {}, problem: err.message } }, 409);
    throw err;
  }
  return reply.redirect(`${unitPath(a.cycleId, request.params.unitId!)}?done=extended`, 303);
}

export function campaignCycleRoutes(app: FastifyInstance, deps: WebDeps, accessOf: AccessOf): void {
  const campaignAccess = async (request: CycleRequest, reply: FastifyReply) => {
    if (!isCampaignCycle(request.params.cycleId)) throw new WebNotFoundError(`${request.params.cycleId} is not a cycle of a campaign / không phải chu kỳ của một đợt báo cáo`);
    const staff = await requireStaff(deps, request);
    const a = await accessOf(request, reply, staff);
    return a ? { staff, a } : undefined;
  };
  app.get('/cycles/:cycleId/campaign.xlsx', async (request: CycleRequest, reply) => {
    const got = await campaignAccess(request, reply);
    return got ? sendDownload(reply, await campaignWorkbook(deps, got.staff, got.a)) : reply;
  });
  app.get('/cycles/:cycleId/units/:unitId/phases/:phase/report.docx', async (request: CycleRequest, reply) => {
    const got = await campaignAccess(request, reply);
    return got ? sendDownload(reply, await campaignReportDocx(deps, got.staff, got.a, request.params.unitId!, request.params.phase!)) : reply;
  });
}
