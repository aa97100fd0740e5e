// The JSON API of a cycle of a campaign: routes/api.ts hands the same endpoints to these when the cycle's id
// names a campaign (isCampaignCycle). A phase is one of the frozen version's keys; a unit's task shows each
// phase's form (sections, figures, targets, lists) and the JSON Schema of its content; the content is checked
// with the form's own schema (as the workflow checks it) and refused with one message per field in English and
// Vietnamese, in the error envelope every /api endpoint uses (`{ error, message, fields }`).
import { z } from 'zod';
import { archivedCampaignAggregate } from '../../../activities/archive/campaign-cycles';
import type { CampaignDefinition } from '../../../domain/campaign';
import { formContentSchema } from '../../../domain/campaign-validator';
import { realize } from '../../../domain/lazy';
import type { CampaignUnitStatus } from '../../../workflows/campaign-messages';
import { fieldProblems } from '../../../domain/field-errors';
import { campaignAggregate } from '../../campaign-cycles';
import {
  campaignExtendBodySchema,
  campaignExtendSelectionBodySchema,
  campaignReviewBodySchema,
  campaignSelectionBodySchema,
  campaignSubmitBodySchema,
  campaignUnitQuerySchema,
} from '../api-schemas';
import { WebNotFoundError, WebValidationError } from '../errors';
import { extendSelection, runSelection, type BulkKind } from '../ops/bulk';
import { loadArchivedCampaignOverview, loadArchivedCampaignUnit, type ArchivedCampaignInfo } from '../ops/campaign-archive';
import { campaignCycleOverview, campaignUnitDetail, extendCampaignUnit, reviewCampaignUnit } from '../ops/campaign-cycle';
import { campaignUnitsBelow } from '../ops/campaign-grouped-units';
import { campaignTaskView, checkCampaignContent, sendCampaignContent } from '../ops/campaign-task';
import { reading, type WebDeps } from '../ops/deps';
import { ARCHIVE_NOTE, refuseArchived, requireVisible, type CycleAccess } from '../ops/scope';
import { submitterName, SUBMITTED_BY_FIELD, type TaskScope } from '../ops/task';
import { pendingUploads, toRef } from './files-data';
import { t } from '../i18n';
import { reviewerFor, type Staff } from '../staff';

/** Parses a body or refuses it: one line per field, `field: English / tiếng Việt`. */
export function parseBilingual<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new WebValidationError(problemsOf(parsed.error));
  return parsed.data;
}

const problemsOf = (error: z.ZodError, root = 'body'): Record<string, string> => Object.fromEntries(fieldProblems(error, root).map((p) => [p.field, p.message]));

/** Parses a query string or refuses it, as parseBilingual does a body (its fields named as the parameters). */
function parseQuery<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new WebValidationError(problemsOf(parsed.error, 'query'));
  return parsed.data;
}

/** JSON Schema (2020-12) of a form's content: what a client sends as `content` (cross-field rules are checked on submit). */
function contentJsonSchema(schema: z.ZodType): Record<string, unknown> {
  // realize: the schema may hold lazy stand-ins (domain/lazy.ts), which the generator would not recognise
  const { $schema: _ignored, ...rest } = z.toJSONSchema(realize(schema), { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** GET /api/t/{token}: the unit's campaign task, phase by phase, each with its frozen form. */
export async function campaignTaskJson(deps: WebDeps, scope: TaskScope) {
  const view = await campaignTaskView(deps, scope);
  return {
    kind: 'campaign' as const,
    cycleId: scope.cycleId,
    campaign: { id: view.status.campaignId, version: view.status.version, name: view.definition.name },
    unit: { id: scope.unitId, name: view.unit?.name ?? scope.unitId, language: view.unit?.language },
    closed: view.status.closed,
    phases: view.phases.map((p) => ({
      key: p.view.key,
      name: p.name,
      open: p.view.open,
      editable: p.editable,
      progress: p.view.progress,
      deadlines: { dueDate: p.view.deadlines.dueDate, dueAt: p.view.deadlines.dueAt },
      extended: p.view.extended,
      overdue: p.view.overdue,
      form: { ...p.form, targetFigures: p.targetFigures },
      contentSchema: contentJsonSchema(formContentSchema(p.form, { targetFigures: p.targetFigures })),
      latest: p.latest,
      pendingFiles: p.files.pending.map(toRef),
    })),
  };
}

/** POST /api/t/{token}/{phase}: a phase's content, checked per field, then submitted through the unit's workflow. */
export async function campaignSubmitJson(deps: WebDeps, scope: TaskScope, key: string, body: unknown) {
  const view = await campaignTaskView(deps, scope);
  const phase = view.phases.find((p) => p.view.key === key);
  if (!phase) throw new WebNotFoundError(`the campaign has no phase "${key}": its phases are ${view.phases.map((p) => p.view.key).join(', ')} / đợt báo cáo không có giai đoạn này`);
  // the envelope and the content are checked together: every field's problem in one answer
  const input = campaignSubmitBodySchema.safeParse(body ?? {});
  const errors = input.success ? {} : problemsOf(input.error);
  const raw = input.success ? input.data.content : (body as { content?: unknown } | null)?.content;
  const given = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
  // content without `files`: the unit's pending uploads of the phase go with it, as from the page
  const content = given && given.files === undefined ? { ...given, files: (await pendingUploads(deps.db, scope, key, deps.now())).map(toRef) } : given;
  const checked = content ? checkCampaignContent(phase, content, 'content.') : { errors: {} };
  let who: string | undefined;
  if (input.success)
    try {
      who = submitterName(input.data.submittedBy, 'en');
    } catch {
      errors[SUBMITTED_BY_FIELD] = `${t('en', 'submittedByMissing')} / ${t('vi', 'submittedByMissing')}`;
    }
  Object.assign(errors, checked.errors);
  if (!input.success || !checked.data || !who) throw new WebValidationError(errors);
  return sendCampaignContent(deps, scope, key, checked.data, input.data.base, who, 'api');
}

/** The archive's record of the cycle without the whole definition: the campaign by name. */
const namedCycle = ({ definition, ...header }: ArchivedCampaignInfo) => ({ ...header, name: definition.name });
/** The campaign a live cycle runs, by name and version, and whether the node's task has closed. */
const liveCampaign = (status: CampaignUnitStatus, definition: CampaignDefinition) => ({
  source: 'live' as const,
  campaign: { id: status.campaignId, version: status.version, name: definition.name },
  closed: status.closed,
});

/** The overview without the whole definition: the campaign by name and version, each phase's figures per row; `page` of a grouped unit's units. */
export async function campaignOverviewJson(deps: WebDeps, staff: Staff, a: CycleAccess, unitId: string | undefined, page = 0) {
  if ((await a.source()) === 'archive') {
    const { cycle, ...o } = await loadArchivedCampaignOverview(deps, staff, a, unitId);
    return { ...o, cycle: namedCycle(cycle) };
  }
  const { definition, status, ...o } = await campaignCycleOverview(deps, staff, a, unitId, page);
  return { ...o, ...liveCampaign(status, definition), ownPhases: status.phases, groups: status.groups ?? [] };
}

/**
 * GET /api/cycles/{id}/units/{unit}: the unit and, live, a slice of the units directly below it (`?offset=&limit=`,
 * campaignUnitQuerySchema) with their total — from its status, or from its groups when groups hold them (`groups`).
 */
export async function campaignUnitJson(deps: WebDeps, staff: Staff, a: CycleAccess, unitId: string, query: unknown) {
  const slice = parseQuery(campaignUnitQuerySchema, query);
  if ((await a.source()) === 'archive') {
    const { cycle, ...u } = await loadArchivedCampaignUnit(deps, staff, a, unitId);
    return { ...u, cycle: namedCycle(cycle) };
  }
  const { definition, status, ...d } = await campaignUnitDetail(deps, staff, a, unitId);
  const below = await reading(deps, () => campaignUnitsBelow(deps, a, status, slice));
  return {
    ...d,
    ...liveCampaign(status, definition),
    children: below.rows,
    childrenPage: { offset: below.offset, limit: below.limit, total: below.total, complete: below.complete },
    groups: below.groups,
  };
}

/** A node's aggregate: live from its workflow (its result once it completed), else from the archive. */
export async function campaignAggregateJson(deps: WebDeps, staff: Staff, a: CycleAccess, unitId: string) {
  requireVisible(a, staff, unitId);
  if ((await a.source()) === 'live') return { ...(await reading(deps, () => campaignAggregate(deps.client, a.cycleId, unitId))), source: 'live' as const };
  const archived = await archivedCampaignAggregate(deps.db, a.cycleId, unitId);
  if (!archived) throw new WebNotFoundError(`the archive holds no aggregate of ${unitId} in ${a.cycleId} / kho lưu trữ không có số liệu tổng hợp của đơn vị này`);
  return { ...archived.aggregate, source: 'archive' as const, final: archived.final, note: ARCHIVE_NOTE };
}

/** GET /api/cycles/{id}/supervise: the overdue units of the focus's whole subtree (bounded) and its review queue. */
export async function campaignSupervisionJson(deps: WebDeps, staff: Staff, a: CycleAccess, unitId: string | undefined) {
  await refuseArchived(a);
  const o = await campaignCycleOverview(deps, staff, a, unitId);
  const queue = o.children.flatMap((c) =>
    o.definition.phases
      .filter((p) => c.phases[p.key]?.progress === 'submitted')
      .map((p) => ({ unitId: c.unitId, name: c.name, phase: p.key, phaseName: p.name, version: c.phases[p.key]!.version, late: c.phases[p.key]!.late, reviewerUnitId: reviewerFor(a.tree, staff, c.unitId) })),
  );
  return { cycleId: a.cycleId, focus: o.focus, overdue: o.overdue.rows, complete: o.overdue.complete, ...(o.overdue.cutShort ? { cutShort: o.overdue.cutShort } : {}), queue };
}

export function campaignReviewJson(deps: WebDeps, staff: Staff, a: CycleAccess, unitId: string, body: unknown) {
  return reviewCampaignUnit(deps, staff, a, unitId, parseBilingual(campaignReviewBodySchema, body), 'api');
}

export function campaignExtendJson(deps: WebDeps, staff: Staff, a: CycleAccess, unitId: string, body: unknown) {
  return extendCampaignUnit(deps, staff, a, unitId, parseBilingual(campaignExtendBodySchema, body), 'api');
}

export async function campaignExtendSelectionJson(deps: WebDeps, staff: Staff, a: CycleAccess, body: unknown) {
  const input = parseBilingual(campaignExtendSelectionBodySchema, body);
  return { results: await extendSelection(deps, staff, a, input.items, { until: input.until, reason: input.reason }, 'api') };
}

export async function campaignSelectionJson(deps: WebDeps, staff: Staff, a: CycleAccess, kind: Exclude<BulkKind, 'extend'>, body: unknown) {
  const input = parseBilingual(campaignSelectionBodySchema, body);
  return { results: await runSelection(deps, staff, a, { kind }, input.items, 'api') };
}
