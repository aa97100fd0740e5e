// The OpenAPI 3.1 description of /api, served at /api/openapi.json. Request bodies are generated from the
// same zod schemas the handlers (and the workflows) validate with, so the document cannot drift from them.
import { z } from 'zod';
import { realize } from '../../domain/lazy';
import {
  campaignExtendBodySchema,
  campaignExtendSelectionBodySchema,
  campaignReviewBodySchema,
  campaignSelectionBodySchema,
  campaignSubmitBodySchema,
  extendBodySchema,
  extendSelectionBodySchema,
  selectionBodySchema,
  planDraftBodySchema,
  reportDraftBodySchema,
  reviewBodySchema,
  signinBodySchema,
  startBodySchema,
  submitPlanBodySchema,
  submitReportBodySchema,
  UNITS_BELOW_MAX_LIMIT,
} from './api-schemas';
import { MAX_OVERDUE_QUERIES } from './ops/campaign-overdue';
import { PAGE_SIZE } from './ops/deps';
import { CAMPAIGN_MAX_FAN_OUT } from '../../workflows/campaign-fan-out';

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType): JsonSchema {
  // OpenAPI 3.1 uses JSON Schema 2020-12; `io: 'input'` documents what a client sends (defaults optional).
  // realize: the schema may hold lazy stand-ins (domain/lazy.ts), which the generator would not recognise
  const { $schema: _ignored, ...rest } = z.toJSONSchema(realize(schema), { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const json = (ref: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
/** A body of a built-in cycle or, for a cycle of a campaign (an id with `~`), its campaign counterpart. */
const either = (builtin: string, ofCampaign: string) => ({
  content: { 'application/json': { schema: { oneOf: [{ $ref: `#/components/schemas/${builtin}` }, { $ref: `#/components/schemas/${ofCampaign}` }] } } },
});
const anyJson = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const errors = {
  '400': anyJson('Invalid input: `{ error, message, fields? }` with one message per field (a campaign cycle: `message` is one `field: English / tiếng Việt` line per field)'),
  '401': anyJson('Not signed in (staff endpoints)'),
  '403': anyJson('Missing/invalid CSRF token, or the unit is outside your units'),
  '404': anyJson('Unknown cycle, unit or link'),
  '409': anyJson('Refused by the workflow (e.g. already submitted, cycle closed); `message` says why'),
  '410': anyJson('Link expired or revoked'),
  '429': anyJson('Rate limited'),
};
const csrfHeader = { name: 'x-csrf-token', in: 'header', required: true, schema: { type: 'string' }, description: 'from GET /api/csrf (with its cookie)' };
const tokenParam = { name: 'token', in: 'path', required: true, schema: { type: 'string' }, description: "the unit's link token (from the task email)" };
const cycleParam = { name: 'cycleId', in: 'path', required: true, schema: { type: 'string' } };
const unitParam = { name: 'unitId', in: 'path', required: true, schema: { type: 'string' } };
const phaseParam = { name: 'phase', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,31}$' }, description: '`plan` or `report`; in a cycle of a campaign, one of its phase keys (e.g. `q1`)' };
const draftPhaseParam = { ...phaseParam, schema: { type: 'string', enum: ['plan', 'report'] }, description: 'a built-in cycle only: a campaign task keeps no drafts' };
const query = (name: string, schema: JsonSchema, description?: string) => ({ name, in: 'query', required: false, schema, ...(description ? { description } : {}) });

export function openApiDocument(publicUrl: string): JsonSchema {
  return {
    openapi: '3.1.0',
    info: {
      title: 'baocao web API',
      version: '1',
      description:
        'Units act with the token of their emailed link; staff (secretariat, supervisors) with the session cookie set by the one-time sign-in link. Every POST needs the CSRF token of GET /api/csrf in `x-csrf-token` and the cookie that came with it.',
    },
    servers: [{ url: publicUrl }],
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'baocao_session' } },
      schemas: {
        SubmitPlan: schemaOf(submitPlanBodySchema),
        SubmitReport: schemaOf(submitReportBodySchema),
        PlanDraft: schemaOf(planDraftBodySchema),
        ReportDraft: schemaOf(reportDraftBodySchema),
        Review: schemaOf(reviewBodySchema),
        Extend: schemaOf(extendBodySchema),
        ExtendSelection: schemaOf(extendSelectionBodySchema),
        Selection: schemaOf(selectionBodySchema),
        StartCycle: schemaOf(startBodySchema),
        SignIn: schemaOf(signinBodySchema),
        CampaignSubmit: schemaOf(campaignSubmitBodySchema),
        CampaignReview: schemaOf(campaignReviewBodySchema),
        CampaignExtend: schemaOf(campaignExtendBodySchema),
        CampaignExtendSelection: schemaOf(campaignExtendSelectionBodySchema),
        CampaignSelection: schemaOf(campaignSelectionBodySchema),
      },
    },
    paths: {
      '/api/csrf': { get: { summary: 'A CSRF token (and its cookie) for the next POSTs', responses: { '200': anyJson('`{ token }`') } } },
      '/api/t/{token}': {
        get: {
          summary: "The unit's task: status, deadlines, latest submissions, drafts",
          parameters: [tokenParam],
          responses: {
            '200': anyJson('task view; a cycle of a campaign: `{ kind: "campaign", campaign, unit, closed, phases: [{ key, name, open, editable, progress, deadlines, extended, overdue, form, contentSchema, latest, pendingFiles }] }`, `contentSchema` being the JSON Schema of the phase\'s content'),
            ...errors,
          },
        },
      },
      '/api/t/{token}/{phase}': {
        post: {
          summary: 'Submit the plan or the report; in a cycle of a campaign, a phase (its content as the phase\'s contentSchema says)',
          parameters: [tokenParam, phaseParam, csrfHeader],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/SubmitPlan' }, { $ref: '#/components/schemas/SubmitReport' }, { $ref: '#/components/schemas/CampaignSubmit' }] } } },
          },
          responses: { '200': anyJson('SubmissionReceipt `{ unitId, phase, version, submittedAt, late, duplicate }`'), ...errors },
        },
      },
      '/api/t/{token}/drafts/{phase}': {
        post: {
          summary: 'Save a draft (the form as typed, not validated)',
          parameters: [tokenParam, draftPhaseParam, csrfHeader],
          requestBody: { required: true, content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/PlanDraft' }, { $ref: '#/components/schemas/ReportDraft' }] } } } },
          responses: { '204': { description: 'saved' }, ...errors },
        },
      },
      '/api/signin': {
        post: { summary: 'Email a one-time sign-in link to a staff address', parameters: [csrfHeader], requestBody: { required: true, ...json('SignIn') }, responses: { '202': anyJson('accepted (same answer whether or not the address is known)'), ...errors } },
      },
      '/api/cycles': {
        get: { summary: 'Cycles involving your units', security: [{ session: [] }], responses: { '200': anyJson('list'), ...errors } },
        post: {
          summary: 'Start a cycle (secretariat of the root): the built-in yearly cycle, or a cycle of a campaign (`campaign`); either rehearsed with `rehearsalMinutes`',
          security: [{ session: [] }],
          parameters: [csrfHeader],
          requestBody: { required: true, ...json('StartCycle') },
          responses: { '201': anyJson('`{ cycleId }`, with `campaignId` and `version` for a campaign'), ...errors },
        },
      },
      '/api/cycles/preview': {
        get: {
          summary: 'Deadline plan per level, before starting (changes nothing)',
          security: [{ session: [] }],
          parameters: [
            query('year', { type: 'integer' }),
            query('rootUnitId', { type: 'string' }),
            query('firstYear', { type: 'string', enum: ['0', '1', 'true', 'false'] }),
            query('reportDue', { type: 'string' }, 'may-review, annual or YYYY-MM-DD (the built-in yearly cycle)'),
            query('campaign', { type: 'string' }, 'a campaign of the store: SLUG (latest version) or SLUG@VERSION; left out: the built-in yearly cycle'),
          ],
          responses: { '200': anyJson('`{ kind: "yearly", depths, plan }` or `{ kind: "campaign", cycleId, campaign: { id, version, name, phases }, depths, plan }`'), ...errors },
        },
      },
      '/api/cycles/{cycleId}': {
        get: {
          summary: 'A node of the cycle tree with its aggregate and the units below it (paged, filterable); a cycle of a campaign: its phases with counts and figures (target, achieved, %), the units below per phase',
          security: [{ session: [] }],
          parameters: [
            cycleParam,
            query('unit', { type: 'string' }, 'node to look at (default: your top unit)'),
            query('level', { type: 'integer' }, 'absolute depth of the units to list'),
            query('overdue', { type: 'string', enum: ['0', '1'] }, 'only overdue units'),
            query('page', { type: 'integer', minimum: 0 }, `page of the units below (0-based); a cycle of a campaign: of a grouped unit's units, ${PAGE_SIZE} a page`),
          ],
          responses: {
            '200': anyJson(
              'overview; `source`: `live` (the workflows) or `archive` (a closed cycle, read from the archive, with `note`); a live cycle of a campaign: `children` (a grouped unit: the page of its units, `grouped: { total, page, pages, complete }`), `groups` (the ranges `{ offset, count }` its groups hold, empty for a unit holding its units itself), `overdue: { rows, complete, cutShort? }`',
            ),
            ...errors,
          },
        },
      },
      '/api/cycles/{cycleId}/units/{unitId}': {
        get: {
          summary: 'One unit: status, submissions, aggregate, history; a live cycle of a campaign: a slice of the units directly below it, in the tree\'s order',
          security: [{ session: [] }],
          parameters: [
            cycleParam,
            unitParam,
            query('offset', { type: 'integer', minimum: 0, maximum: CAMPAIGN_MAX_FAN_OUT, default: 0 }, 'a cycle of a campaign: the first unit below to list (0-based)'),
            query(
              'limit',
              { type: 'integer', minimum: 1, maximum: UNITS_BELOW_MAX_LIMIT },
              `a cycle of a campaign: how many units below to list; left out, all of them for a unit holding its units itself, the first ${PAGE_SIZE} for a grouped unit (groups hold its units: each slice asks the groups whose range it meets)`,
            ),
          ],
          responses: {
            '200': anyJson(
              'unit detail (`source` and `note` as for the overview); a live cycle of a campaign adds `children: [{ unitId, name, phases }]` (the slice), `childrenPage: { offset, limit, total, complete }` (`total`: the units directly below in all; `complete: false`: a group did not answer, its units are missing) and `groups: [{ offset, count }]` (the ranges its groups hold; empty when it holds its units itself)',
            ),
            ...errors,
          },
        },
      },
      '/api/cycles/{cycleId}/units/{unitId}/aggregate': {
        get: { summary: 'The aggregate of a node (live; archived or rebuilt from the archive once closed: `source`, `final`)', security: [{ session: [] }], parameters: [cycleParam, unitParam], responses: { '200': anyJson('Aggregate'), ...errors } },
      },
      '/api/cycles/{cycleId}/supervise': {
        get: {
          summary: 'Overdue units below a unit (how late, reminders sent) and its review queue',
          security: [{ session: [] }],
          parameters: [cycleParam, query('unit', { type: 'string' })],
          responses: {
            '200': anyJson(
              `supervision; a cycle of a campaign: \`{ overdue, complete, cutShort?, queue }\`, the overdue units of every level below (those its groups hold for a grouped unit), at most ${MAX_OVERDUE_QUERIES} status or group queries per request: \`complete: false\` with \`cutShort\` \`bound\` (the limit) or \`unanswered\` (a workflow did not answer)`,
            ),
            ...errors,
          },
        },
      },
      '/api/cycles/{cycleId}/units/{unitId}/review': {
        post: { summary: 'Accept or return a submission (its direct supervisor)', security: [{ session: [] }], parameters: [cycleParam, unitParam, csrfHeader], requestBody: { required: true, ...either('Review', 'CampaignReview') }, responses: { '200': anyJson('ReviewReceipt'), ...errors } },
      },
      '/api/cycles/{cycleId}/units/{unitId}/reissue-link': {
        post: {
          summary: "Revoke the unit's links and email it a new one (supervisor or secretariat)",
          security: [{ session: [] }],
          parameters: [cycleParam, unitParam, csrfHeader],
          responses: { '200': anyJson('`{ revoked }`: how many links stopped working'), ...errors },
        },
      },
      '/api/cycles/{cycleId}/extend-selection': {
        post: {
          summary: 'Extend the deadline of a selection of units, one reason (each unit extended and audited on its own; a result per unit)',
          security: [{ session: [] }],
          parameters: [cycleParam, csrfHeader],
          requestBody: { required: true, ...either('ExtendSelection', 'CampaignExtendSelection') },
          responses: { '200': anyJson('`{ results: [{ unitId, phase, name, ok, dueAt?, problem? }] }`'), ...errors },
        },
      },
      '/api/cycles/{cycleId}/remind-selection': {
        post: {
          summary: 'Remind now: each selected unit gets a reminder (an overdue notice past its deadline) through its workflow, audited; at most one an hour per unit and phase',
          security: [{ session: [] }],
          parameters: [cycleParam, csrfHeader],
          requestBody: { required: true, ...either('Selection', 'CampaignSelection') },
          responses: { '200': anyJson('`{ results: [{ unitId, phase, name, ok, reminderNumber?, email?, problem? }] }`'), ...errors },
        },
      },
      '/api/cycles/{cycleId}/reissue-selection': {
        post: {
          summary: "New links for a selection of units: each unit's old links revoked and a new task email queued, durably (a result per unit)",
          security: [{ session: [] }],
          parameters: [cycleParam, csrfHeader],
          requestBody: { required: true, ...either('Selection', 'CampaignSelection') },
          responses: { '200': anyJson('`{ results: [{ unitId, phase, name, ok, revoked?, problem? }] }`'), ...errors },
        },
      },
      '/api/cycles/{cycleId}/units/{unitId}/extend': {
        post: { summary: 'Extend a deadline (supervisor or secretariat)', security: [{ session: [] }], parameters: [cycleParam, unitParam, csrfHeader], requestBody: { required: true, ...either('Extend', 'CampaignExtend') }, responses: { '200': anyJson('ExtensionReceipt'), ...errors } },
      },
    },
  };
}
