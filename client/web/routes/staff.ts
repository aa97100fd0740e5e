// Pages of the secretariat and the supervisors (signed-in staff).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { TIME_ZONE } from '../../../activities/calendar/constants';
import { PHASES, type Phase } from '../../../workflows/report';
import { CycleRequestError } from '../../cycles';
import { WebValidationError } from '../errors';
import { fieldErrors } from '../forms';
import { sendDownload } from '../download';
import { formBody, formValue, pageContext, requireStaff, sendHtml } from '../http';
import { cycleAccess, type CycleAccess } from '../ops/scope';
import { campaignOfStart, cycleOverview, listCycles, previewCycle, startNewCycle, unitDetail } from '../ops/cycles';
import { calendarNow, type WebDeps } from '../ops/deps';
import { cycleInsight } from '../ops/insight';
import { aggregateReport, cycleFigures } from '../ops/downloads';
import { MAX_JOB_ITEMS, parseBulkItem, type BulkAction, type BulkItem } from '../ops/bulk';
import { bulkJobPath, JOB_INLINE_WAIT_MS, readBulkJob, startBulkJob } from '../ops/jobs';
import { reviewMaterial } from '../ops/review-material';
import { overdueWorkbook } from '../ops/overdue-export';
import { extendUnit, reissueLink, reviewUnit, supervision } from '../ops/supervision';
import { bulkJobPage } from '../views/bulk';
import { overduePrintPage } from '../views/overdue';
import { secretariatRoots, type Staff } from '../staff';
import { cyclePage, cyclePath, cycleStartingPage, dashboardPage, supervisePage, supervisePath, unitPage, unitPath } from '../views/staff';
import { startPage, type StartForm } from '../views/cycle-start';
import { listCampaigns } from '../../../activities/campaigns/repository';
import { signinPage } from '../views/auth';
import { cycleDocumentSection } from './document';
import { archivedCyclePage, archivedUnitPage } from '../views/archive';
import { extendBodySchema, reviewBodySchema } from '../api-schemas';
import { messagePage } from '../layout';
import { campaignCycleOverview, campaignOverdueItems } from '../ops/campaign-cycle';
import { isCampaignCycle } from '../../campaign-cycles';
import { campaignCycleGet, campaignCycleRoutes, campaignExtendPost, campaignReviewPost, campaignUnitGet } from './campaign-cycle';
import { t } from '../i18n';

type Query = Record<string, string | undefined>;
type CycleRoute = { Params: { cycleId: string; unitId?: string }; Querystring: Query };
type CycleRequest = FastifyRequest<CycleRoute>;

function startFormFrom(source: Query, staff: Staff): StartForm {
  const reportDue = source.reportDue === 'may-review' || source.reportDue === 'date' ? source.reportDue : 'annual';
  return {
    // next year in Vietnam: the cycle being prepared is normally the coming one
    year: source.year ?? String(DateTime.now().setZone(TIME_ZONE).year + 1),
    root: source.root ?? secretariatRoots(staff)[0]?.id ?? '',
    firstYear: source.firstYear === '1' || source.firstYear === 'on',
    reportDue,
    reportDueDate: source.reportDueDate ?? '',
    rehearsalMinutes: source.rehearsalMinutes ?? '',
    campaign: (source.campaign ?? '').trim(),
  };
}

/**
 * The start form as the request of ops/cycles.ts (validated there with webStartSchema). A campaign's deadlines
 * are its phases' rules: the yearly report due the form always carries is left out for one.
 */
function startRequest(f: StartForm): Record<string, unknown> {
  const minutes = f.rehearsalMinutes.trim();
  return {
    year: /^\d+$/.test(f.year.trim()) ? Number(f.year.trim()) : f.year,
    rootUnitId: f.root,
    firstYear: f.firstYear,
    ...(campaignOfStart(f) ? { campaign: f.campaign } : { reportDue: f.reportDue === 'date' ? f.reportDueDate : f.reportDue }),
    ...(minutes ? { rehearsalMinutes: Number(minutes.replace(',', '.')) } : {}),
  };
}

function asQuery(body: unknown): Query {
  const out: Query = {};
  if (body && typeof body === 'object') for (const k of Object.keys(body)) out[k] = formValue(body, k);
  return out;
}

function intParam(v: string | undefined): number | undefined {
  return v !== undefined && /^\d{1,4}$/.test(v) ? Number(v) : undefined;
}

export function staffRoutes(app: FastifyInstance, deps: WebDeps): void {
  const access = async (request: CycleRequest, reply: FastifyReply, staff: Staff): Promise<CycleAccess | undefined> => {
    const a = await cycleAccess(deps, staff, request.params.cycleId);
    if ('starting' in a) {
      sendHtml(reply, cycleStartingPage(pageContext(request, reply), a.cycleId, deps.config));
      return undefined;
    }
    return a;
  };

  campaignCycleRoutes(app, deps, access);

  app.get('/', async (request, reply) => {
    const staff = await requireStaff(deps, request).catch(() => null);
    const ctx = pageContext(request, reply);
    if (!staff) return sendHtml(reply, signinPage(ctx, ctx.csrfToken));
    const cycles = await listCycles(deps, staff);
    return sendHtml(reply, dashboardPage(ctx, { units: staff.units, cycles, canStart: secretariatRoots(staff).length > 0 }));
  });

  app.get<{ Querystring: Query }>('/cycles/new', async (request, reply) => {
    const staff = await requireStaff(deps, request);
    const ctx = pageContext(request, reply);
    const roots = secretariatRoots(staff);
    if (roots.length === 0) return sendHtml(reply, messagePage(ctx, t(ctx.lang, 'forbiddenTitle'), [t(ctx.lang, 'onlyRootStarts')], 'error'), 403);
    const form = startFormFrom(request.query, staff);
    const campaigns = await listCampaigns(deps.db);
    if (request.query.preview !== '1') return sendHtml(reply, startPage(ctx, { roots, campaigns, form, errors: {}, csrfToken: ctx.csrfToken }));
    try {
      const preview = await previewCycle(deps, staff, startRequest(form), ctx.lang);
      return sendHtml(reply, startPage(ctx, { roots, campaigns, form, errors: {}, preview, csrfToken: ctx.csrfToken }));
    } catch (err) {
      if (err instanceof WebValidationError) return sendHtml(reply, startPage(ctx, { roots, campaigns, form, errors: err.fields, csrfToken: ctx.csrfToken }), 422);
      throw err;
    }
  });

  app.post('/cycles', { preHandler: app.csrfProtection }, async (request, reply) => {
    const staff = await requireStaff(deps, request);
    const form = startFormFrom(asQuery(request.body), staff);
    try {
      const { cycleId } = await startNewCycle(deps, staff, startRequest(form), request.lang);
      return reply.redirect(cyclePath(cycleId), 303);
    } catch (err) {
      const ctx = pageContext(request, reply);
      const roots = secretariatRoots(staff);
      const campaigns = await listCampaigns(deps.db);
      if (err instanceof WebValidationError) return sendHtml(reply, startPage(ctx, { roots, campaigns, form, errors: err.fields, csrfToken: ctx.csrfToken }), 422);
      if (err instanceof CycleRequestError) return sendHtml(reply, startPage(ctx, { roots, campaigns, form, errors: {}, csrfToken: ctx.csrfToken, problem: err.message }), 409);
      throw err;
    }
  });

  app.get<CycleRoute>('/cycles/:cycleId', async (request, reply) => {
    const staff = await requireStaff(deps, request);
    const a = await access(request, reply, staff);
    if (!a) return reply;
    if (isCampaignCycle(a.cycleId)) return campaignCycleGet(deps, request, reply, staff, a);
    const q = request.query;
    const overview = await cycleOverview(deps, staff, a, { unit: q.unit || undefined, level: intParam(q.level), overdue: q.overdue === '1', page: intParam(q.page) });
    const ctx = pageContext(request, reply);
    // the pictures and the numbers behind them, from the archive (views/insight.ts)
    const now = overview.source === 'live' ? calendarNow(deps, overview.plan) : (overview.cycle.closedAt ?? deps.now().toISOString());
    const insight = a.tree.children(overview.focus.id).length > 0 ? await cycleInsight(deps, staff, a, overview.focus.id, overview.source === 'live' ? overview.plan : null, now) : undefined;
    const document = await cycleDocumentSection(deps, staff, a.cycleId, { lang: ctx.lang, csrfToken: ctx.csrfToken, live: overview.source === 'live' });
    return sendHtml(reply, overview.source === 'archive' ? archivedCyclePage(ctx, overview, insight, document) : cyclePage(ctx, overview, deps.config, insight, document));
  });

  app.get<CycleRoute>('/cycles/:cycleId/units/:unitId/report.docx', async (request, reply) => {
    const staff = await requireStaff(deps, request);
    const a = await access(request, reply, staff);
    if (!a) return reply;
    return sendDownload(reply, await aggregateReport(deps, staff, a, request.params.unitId!));
  });

  app.get<CycleRoute>('/cycles/:cycleId/figures.xlsx', async (request, reply) => {
    const staff = await requireStaff(deps, request);
    const a = await access(request, reply, staff);
    if (!a) return reply;
    return sendDownload(reply, await cycleFigures(deps, staff, a));
  });

  app.get<CycleRoute>('/cycles/:cycleId/units/:unitId', async (request, reply) => {
    const staff = await requireStaff(deps, request);
    const a = await access(request, reply, staff);
    if (!a) return reply;
    if (isCampaignCycle(a.cycleId)) return campaignUnitGet(deps, request, reply, staff, a);
    const detail = await unitDetail(deps, staff, a, request.params.unitId!);
    const ctx = pageContext(request, reply);
    const done = request.query.done;
    const flash = done === 'reviewed' || done === 'extended' || done === 'reissued' ? done : undefined;
    if (detail.source === 'archive') return sendHtml(reply, archivedUnitPage(ctx, detail));
    return sendHtml(reply, unitPage(ctx, detail, { csrfToken: ctx.csrfToken, flash }, deps.config));
  });

  app.get<CycleRoute>('/cycles/:cycleId/supervise', async (request, reply) => {
    const staff = await requireStaff(deps, request);
    const a = await access(request, reply, staff);
    if (!a) return reply;
    // a campaign cycle's page lists its units per phase and links their review pages
    if (isCampaignCycle(a.cycleId)) return reply.redirect(cyclePath(a.cycleId, { unit: request.query.unit || undefined }), 303);
    // nothing left to chase or review in a closed cycle: its (archived) progress instead
    if ((await a.source()) === 'archive') return reply.redirect(cyclePath(a.cycleId, { unit: request.query.unit || undefined }), 303);
    const s = await supervision(deps, staff, a, request.query.unit || undefined);
    const ctx = pageContext(request, reply);
    return sendHtml(reply, supervisePage(ctx, s, ctx.csrfToken, request.query.done === 'reviewed' ? 'reviewed' : undefined, undefined, await reviewMaterial(deps.db, a.cycleId, s.queue)));
  });

  // The overdue list to take away: an Excel workbook, and a page to print.
  const overdueOf = async (request: CycleRequest, reply: FastifyReply) => {
    const staff = await requireStaff(deps, request);
    const a = await access(request, reply, staff);
    if (!a) return undefined;
    return supervision(deps, staff, a, request.query.unit || undefined);
  };
  app.get<CycleRoute>('/cycles/:cycleId/supervise/overdue.xlsx', async (request, reply) => {
    const s = await overdueOf(request, reply);
    return s ? sendDownload(reply, await overdueWorkbook(s)) : reply;
  });
  app.get<CycleRoute>('/cycles/:cycleId/supervise/overdue', async (request, reply) => {
    const s = await overdueOf(request, reply);
    return s ? sendHtml(reply, overduePrintPage(pageContext(request, reply), s)) : reply;
  });

  /** Starts a bulk job and sends the browser to its page (after a short wait, so a small one shows finished). */
  const runBulkJob = async (request: CycleRequest, reply: FastifyReply, staff: Staff, a: CycleAccess, action: BulkAction, items: BulkItem[], max?: number) => {
    const back = supervisePath(a.cycleId, request.query.unit || undefined);
    const { jobId, settled } = await startBulkJob(deps, staff, a, action, items, back, max);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([settled, new Promise<void>((resolve) => (timer = setTimeout(resolve, JOB_INLINE_WAIT_MS)))]);
    clearTimeout(timer);
    return reply.redirect(bulkJobPath(a.cycleId, jobId), 303);
  };

  // The selection form of the overdue table: extend (with a date and a reason), remind now, or new links.
  // `/supervise/extend` is where pages before remind and reissue sent the same form.
  for (const path of ['/cycles/:cycleId/supervise/bulk', '/cycles/:cycleId/supervise/extend']) {
    app.post<CycleRoute>(path, { preHandler: app.csrfProtection }, async (request, reply) => {
      const staff = await requireStaff(deps, request);
      const a = await access(request, reply, staff);
      if (!a) return reply;
      const focus = request.query.unit || undefined;
      const body = formBody(request.body);
      const raw = body.item;
      const campaign = isCampaignCycle(a.cycleId);
      const items = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string').map((v) => parseBulkItem(v, campaign)).filter((i) => i !== undefined);
      const kind = formValue(body, 'action') || 'extend';
      const refuse = async (problem: string) => {
        // a cycle of a campaign: its page lists the units with a box per phase (routes/campaign-cycle.ts)
        if (campaign) return campaignCycleGet(deps, request, reply, staff, a, problem, 422);
        const s = await supervision(deps, staff, a, focus);
        const ctx = pageContext(request, reply);
        return sendHtml(reply, supervisePage(ctx, s, ctx.csrfToken, undefined, problem, await reviewMaterial(deps.db, a.cycleId, s.queue)), 422);
      };
      if (items.length === 0) return refuse(t(request.lang, 'bulkNothingSelected'));
      if (kind === 'remind' || kind === 'reissue') return runBulkJob(request, reply, staff, a, { kind }, items);
      if (kind !== 'extend') return refuse(`action "${kind}"?`);
      const input = { phase: 'plan' as const, until: formValue(body, 'until'), reason: formValue(body, 'reason') };
      const parsed = extendBodySchema.safeParse(input);
      if (!parsed.success) return refuse(Object.values(fieldErrors(parsed.error, request.lang, input)).join(' '));
      return runBulkJob(request, reply, staff, a, { kind: 'extend', until: parsed.data.until, reason: parsed.data.reason }, items);
    });
  }

  // "Remind now" for every overdue unit the supervisor's page lists.
  app.post<CycleRoute>('/cycles/:cycleId/supervise/remind-overdue', { preHandler: app.csrfProtection }, async (request, reply) => {
    const staff = await requireStaff(deps, request);
    const a = await access(request, reply, staff);
    if (!a) return reply;
    if (isCampaignCycle(a.cycleId)) {
      const items = campaignOverdueItems(await campaignCycleOverview(deps, staff, a, request.query.unit || undefined));
      if (items.length === 0) return campaignCycleGet(deps, request, reply, staff, a, t(request.lang, 'noOverdue'), 422);
      return runBulkJob(request, reply, staff, a, { kind: 'remind' }, items, MAX_JOB_ITEMS);
    }
    const s = await supervision(deps, staff, a, request.query.unit || undefined);
    if (s.overdue.length === 0) {
      const ctx = pageContext(request, reply);
      return sendHtml(reply, supervisePage(ctx, s, ctx.csrfToken, undefined, t(request.lang, 'noOverdue'), await reviewMaterial(deps.db, a.cycleId, s.queue)), 422);
    }
    return runBulkJob(request, reply, staff, a, { kind: 'remind' }, s.overdue.map((o) => ({ unitId: o.unitId, phase: o.phase })), MAX_JOB_ITEMS);
  });

  app.get<{ Params: { cycleId: string; jobId: string }; Querystring: Query }>('/cycles/:cycleId/jobs/:jobId', async (request, reply) => {
    const staff = await requireStaff(deps, request);
    const job = await readBulkJob(deps, staff, request.params.cycleId, request.params.jobId);
    return sendHtml(reply, bulkJobPage(pageContext(request, reply), job));
  });

  /** Re-renders the unit page with a form's errors (or the workflow's refusal) shown where they belong. */
  const unitPageWithErrors = async (request: CycleRequest, reply: FastifyReply, staff: Staff, a: CycleAccess, errors: NonNullable<Parameters<typeof unitPage>[2]['errors']>) => {
    const detail = await unitDetail(deps, staff, a, request.params.unitId!);
    const ctx = pageContext(request, reply);
    const status = errors.problem ? 409 : 422;
    if (detail.source === 'archive') return sendHtml(reply, archivedUnitPage(ctx, detail, { problem: errors.problem }), status);
    return sendHtml(reply, unitPage(ctx, detail, { csrfToken: ctx.csrfToken, errors }, deps.config), status);
  };

  app.post<CycleRoute>('/cycles/:cycleId/units/:unitId/review', { preHandler: app.csrfProtection }, async (request, reply) => {
    const staff = await requireStaff(deps, request);
    const a = await access(request, reply, staff);
    if (!a) return reply;
    if (isCampaignCycle(a.cycleId)) return campaignReviewPost(deps, request, reply, staff, a);
    const unitId = request.params.unitId!;
    const body = asQuery(request.body);
    const phase: Phase = PHASES.find((p) => p === body.phase) ?? 'plan';
    const version = body.version !== undefined && /^[1-9]\d*$/.test(body.version) ? Number(body.version) : body.version;
    const input = { phase, version, decision: body.decision, comment: body.comment ?? '' };
    const parsed = reviewBodySchema.safeParse(input);
    if (!parsed.success) return unitPageWithErrors(request, reply, staff, a, { phase, form: 'review', fields: fieldErrors(parsed.error, request.lang, input) });
    try {
      await reviewUnit(deps, staff, a, unitId, parsed.data, 'web');
    } catch (err) {
      if (err instanceof CycleRequestError) return unitPageWithErrors(request, reply, staff, a, { phase, form: 'review', fields: {}, problem: err.message });
      throw err;
    }
    const next = body.next === 'supervise' ? `${supervisePath(a.cycleId, a.tree.node(unitId)?.parentId ?? undefined)}` : unitPath(a.cycleId, unitId);
    return reply.redirect(`${next}${next.includes('?') ? '&' : '?'}done=reviewed`, 303);
  });

  app.post<CycleRoute>('/cycles/:cycleId/units/:unitId/reissue-link', { preHandler: app.csrfProtection }, async (request, reply) => {
    const staff = await requireStaff(deps, request);
    const a = await access(request, reply, staff);
    if (!a) return reply;
    const unitId = request.params.unitId!;
    await reissueLink(deps, staff, a, unitId, 'web');
    return reply.redirect(`${unitPath(a.cycleId, unitId)}?done=reissued`, 303);
  });

  app.post<CycleRoute>('/cycles/:cycleId/units/:unitId/extend', { preHandler: app.csrfProtection }, async (request, reply) => {
    const staff = await requireStaff(deps, request);
    const a = await access(request, reply, staff);
    if (!a) return reply;
    if (isCampaignCycle(a.cycleId)) return campaignExtendPost(deps, request, reply, staff, a);
    const unitId = request.params.unitId!;
    const body = asQuery(request.body);
    const phase: Phase = PHASES.find((p) => p === body.phase) ?? 'plan';
    const input = { phase, until: body.until ?? '', reason: body.reason ?? '' };
    const parsed = extendBodySchema.safeParse(input);
    if (!parsed.success) return unitPageWithErrors(request, reply, staff, a, { phase, form: 'extend', fields: fieldErrors(parsed.error, request.lang, input) });
    try {
      await extendUnit(deps, staff, a, unitId, parsed.data, 'web');
    } catch (err) {
      if (err instanceof CycleRequestError) return unitPageWithErrors(request, reply, staff, a, { phase, form: 'extend', fields: {}, problem: err.message });
      throw err;
    }
    return reply.redirect(`${unitPath(a.cycleId, unitId)}?done=extended`, 303);
  });
}
