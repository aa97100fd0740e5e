// The secretariat's campaign pages: list, view a version, create a campaign, edit a version or save a new one.
// Only staff of a root unit (the secretariat) may; every write goes through the campaign store, which checks
// the definition and writes nothing when it is refused — the page then shows each problem beside its field.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  addCampaignVersion,
  campaignVersions,
  createCampaign,
  getCampaignVersion,
  listCampaigns,
  updateCampaignVersion,
} from '../../../activities/campaigns/repository';
import { BUILTIN_CAMPAIGN_ID } from '../../../domain/campaign-builtin';
import {
  CampaignDefinitionError,
  CampaignExistsError,
  CampaignNotFoundError,
  CampaignVersionConflictError,
  CampaignVersionFrozenError,
} from '../../../domain/campaign-errors';
import { WebNotFoundError } from '../errors';
import { formValue, pageContext, requireStaff, sendHtml } from '../http';
import { messagePage } from '../layout';
import { t } from '../i18n';
import type { WebDeps } from '../ops/deps';
import { secretariatRoots, type Staff } from '../staff';
import { ct } from '../views/campaign-text';
import { campaignEditorPage, campaignListPage, campaignPage, campaignPath, CAMPAIGNS_PATH, NEW_CAMPAIGN_PATH } from '../views/campaigns';
import { definitionFromForm, formDataFromBody, formDataOf, problemsByInput, unplacedProblems, type CampaignFormData } from './campaigns-form';

type Route = { Params: { id: string }; Querystring: Record<string, string | undefined> };

function versionParam(v: string | undefined): number | undefined {
  return v !== undefined && /^\d{1,6}$/.test(v) && Number(v) >= 1 ? Number(v) : undefined;
}

/** The secretariat only; anyone else signed in is told why. */
async function requireSecretariat(deps: WebDeps, request: FastifyRequest, reply: FastifyReply): Promise<Staff | undefined> {
  const staff = await requireStaff(deps, request);
  if (secretariatRoots(staff).length > 0) return staff;
  const ctx = pageContext(request, reply);
  sendHtml(reply, messagePage(ctx, t(ctx.lang, 'forbiddenTitle'), [ct(ctx.lang, 'onlySecretariat')], 'error'), 403);
  return undefined;
}

async function versionOr404<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof CampaignNotFoundError) throw new WebNotFoundError(err.message);
    throw err;
  }
}

export function campaignRoutes(app: FastifyInstance, deps: WebDeps): void {
  app.get(CAMPAIGNS_PATH, async (request, reply) => {
    if (!(await requireSecretariat(deps, request, reply))) return reply;
    return sendHtml(reply, campaignListPage(pageContext(request, reply), await listCampaigns(deps.db)));
  });

  app.get<Route>(NEW_CAMPAIGN_PATH, async (request, reply) => {
    if (!(await requireSecretariat(deps, request, reply))) return reply;
    // a new campaign starts as a copy: of the campaign asked for, else of the built-in one
    const from = request.query.from ?? BUILTIN_CAMPAIGN_ID;
    const source = await versionOr404(() => getCampaignVersion(deps.db, from, versionParam(request.query.version)));
    const ctx = pageContext(request, reply);
    const data = { ...formDataOf('', undefined, source.definition) };
    return sendHtml(reply, campaignEditorPage(ctx, { mode: 'new', data, errors: {}, frozen: false, csrfToken: ctx.csrfToken }));
  });

  app.get<Route>('/campaigns/:id', async (request, reply) => {
    if (!(await requireSecretariat(deps, request, reply))) return reply;
    const versions = await versionOr404(() => campaignVersions(deps.db, request.params.id));
    const asked = versionParam(request.query.version);
    const v = asked === undefined ? versions[versions.length - 1]! : versions.find((x) => x.version === asked);
    if (!v) throw new WebNotFoundError(`no version ${asked} of ${request.params.id}`);
    return sendHtml(reply, campaignPage(pageContext(request, reply), v, versions));
  });

  app.get<Route>('/campaigns/:id/edit', async (request, reply) => {
    if (!(await requireSecretariat(deps, request, reply))) return reply;
    const v = await versionOr404(() => getCampaignVersion(deps.db, request.params.id, versionParam(request.query.version)));
    const ctx = pageContext(request, reply);
    return sendHtml(reply, campaignEditorPage(ctx, { mode: 'edit', data: formDataOf(v.campaignId, v.version, v.definition), errors: {}, frozen: v.frozen, csrfToken: ctx.csrfToken }));
  });

  /** Saves what the editor posted; on a refusal the same page again, each problem beside its field (422). */
  const save = async (request: FastifyRequest, reply: FastifyReply, mode: 'new' | 'edit', staff: Staff, data: CampaignFormData) => {
    const built = definitionFromForm(data);
    const by = { by: staff.email };
    const base = versionParam(data.baseVersion);
    const again = async (status: number, errors: Record<string, string>, problem?: string) => {
      const ctx = pageContext(request, reply);
      const frozen = mode === 'edit' && base !== undefined ? (await getCampaignVersion(deps.db, data.id, base).catch(() => undefined))?.frozen ?? false : false;
      return sendHtml(reply, campaignEditorPage(ctx, { mode, data, errors, frozen, csrfToken: ctx.csrfToken, problem }), status);
    };
    try {
      const choice = formValue(request.body, 'save');
      const saved =
        mode === 'new'
          ? await createCampaign(deps.db, { id: data.id, definition: built.input }, by)
          : choice === 'update' && base !== undefined
            ? await updateCampaignVersion(deps.db, { id: data.id, version: base, definition: built.input }, by)
            : await addCampaignVersion(deps.db, { id: data.id, definition: built.input, after: base }, by);
      return reply.redirect(campaignPath(saved.campaignId, saved.version), 303);
    } catch (err) {
      if (err instanceof CampaignDefinitionError) {
        const errors = problemsByInput(data, built, err.problems);
        return again(422, errors, unplacedProblems(data, errors));
      }
      if (err instanceof CampaignExistsError) return again(409, { id: err.message.replace(/^id: /, '') });
      if (err instanceof CampaignVersionFrozenError || err instanceof CampaignVersionConflictError) return again(409, {}, err.message);
      if (err instanceof CampaignNotFoundError) throw new WebNotFoundError(err.message);
      throw err;
    }
  };

  app.post(NEW_CAMPAIGN_PATH, { preHandler: app.csrfProtection }, async (request, reply) => {
    const staff = await requireSecretariat(deps, request, reply);
    if (!staff) return reply;
    return save(request, reply, 'new', staff, formDataFromBody(request.body));
  });

  app.post<Route>('/campaigns/:id/edit', { preHandler: app.csrfProtection }, async (request, reply) => {
    const staff = await requireSecretariat(deps, request, reply);
    if (!staff) return reply;
    const data = { ...formDataFromBody(request.body), id: request.params.id };
    return save(request, reply, 'edit', staff, data);
  });
}
