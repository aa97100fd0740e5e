// The issuing document of a cycle on the web (issue 16). A unit opens it with the link of its emails — the task
// link or a reminder's read-only document link — with no sign-in, and opens or downloads its files; staff who
// see the cycle download them from the cycle page; the secretariat (staff of the cycle's root) attaches files
// (multipart, through the same content check as any upload), removes them and states the number, title and
// signer. Downloads go through files.ts sendFile: stored type, nosniff, sandbox CSP, RFC 5987 name.
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { verifyDocumentAccess } from '../../../activities/access/document-links';
import { TASK_LINK_PATH } from '../../../activities/access/tokens';
import { getUnit } from '../../../activities/directory/repository';
import { FileRejectedError } from '../../../activities/files/errors';
import { attachIssuingFile, issuingDocumentOfCycle, issuingFileOf, ISSUING_FACT_KEYS, removeIssuingFile, setIssuingFacts } from '../../../activities/files/issuing-document';
import type { UploadDeps } from '../../../activities/files/uploads';
import { DOCUMENT_LIMITS } from '../../../domain/campaign-document';
import { FILE_ID } from '../../../domain/file-ref';
import { parseCycleId } from '../../../workflows/ids';
import { WebForbiddenError, WebNotFoundError, WebValidationError } from '../errors';
import { formValue, pageContext, requireStaff, sendHtml } from '../http';
import { html } from '../html';
import { messagePage } from '../layout';
import type { WebDeps } from '../ops/deps';
import { cycleAccess, refuseArchived } from '../ops/scope';
import type { Staff } from '../staff';
import type { FileStorage } from '../../../activities/files';
import { documentPage, documentSection } from './document-view';
import { FILE_INPUT_NAME } from './files-paths';
import type { RouteLimits } from './limits';
import type { Lang } from '../i18n';

type TokenRequest = FastifyRequest<{ Params: { token: string; id?: string } }>;
type CycleRoute = { Params: { cycleId: string; id?: string }; Querystring: Record<string, string | undefined> };
type CycleRequest = FastifyRequest<CycleRoute>;

export type SendFile = (reply: import('fastify').FastifyReply, file: import('../../../activities/files/repository').FileRecord) => Promise<import('fastify').FastifyReply>;

/** Staff of the cycle's root unit: the secretariat that issued it. */
export function isSecretariatOf(staff: Staff, cycleId: string): boolean {
  const rootId = parseCycleId(cycleId)?.rootId;
  return rootId !== undefined && staff.units.some((u) => u.id === rootId);
}

/** The secretariat of a running cycle: a closed one is read-only, its document too (its links have expired). */
async function requireSecretariat(deps: WebDeps, request: CycleRequest): Promise<Staff> {
  const staff = await requireStaff(deps, request);
  const access = await cycleAccess(deps, staff, request.params.cycleId);
  if ('starting' in access) throw new WebNotFoundError(`cycle ${access.cycleId} has no units yet`);
  if (!isSecretariatOf(staff, access.cycleId)) throw new WebForbiddenError();
  await refuseArchived(access);
  return staff;
}

/** The cycle page's document block (the staff routes render it beside the overview); forms only while the cycle runs. */
export async function cycleDocumentSection(deps: WebDeps, staff: Staff, cycleId: string, o: { lang: Lang; csrfToken: string; live: boolean }) {
  const doc = await issuingDocumentOfCycle(deps.db, cycleId);
  return documentSection(o.lang, doc, { secretariat: o.live && isSecretariatOf(staff, cycleId), csrfToken: o.csrfToken, maxFileBytes: deps.config.files.maxFileBytes });
}

const cyclePageAnchor = (cycleId: string) => `/cycles/${encodeURIComponent(cycleId)}#issuing-document`;

export function documentRoutes(app: FastifyInstance, deps: WebDeps, limits: RouteLimits, uploadDeps: UploadDeps & { storage: FileStorage }, sendFile: SendFile): void {
  app.get(`${TASK_LINK_PATH}:token/document`, { config: { rateLimit: limits.token } }, async (request: TokenRequest, reply) => {
    const scope = await verifyDocumentAccess(deps.db, request.params.token, deps.now());
    const [doc, unit] = await Promise.all([issuingDocumentOfCycle(deps.db, scope.cycleId), getUnit(deps.db, scope.unitId)]);
    if (!request.langChosen && unit) request.lang = unit.language;
    return sendHtml(reply, documentPage(pageContext(request, reply), doc, { token: request.params.token, unitName: unit?.name ?? scope.unitId, via: scope.via }));
  });

  app.get(`${TASK_LINK_PATH}:token/document/files/:id`, { config: { rateLimit: limits.token } }, async (request: TokenRequest, reply) => {
    const scope = await verifyDocumentAccess(deps.db, request.params.token, deps.now());
    const id = request.params.id ?? '';
    const file = FILE_ID.test(id) ? await issuingFileOf(deps.db, scope.cycleId, id) : undefined;
    if (!file) throw new WebNotFoundError(`no file ${id} of the issuing document of ${scope.cycleId}`);
    return sendFile(reply, file);
  });

  app.get<CycleRoute>('/cycles/:cycleId/document/files/:id', async (request, reply) => {
    const staff = await requireStaff(deps, request);
    const access = await cycleAccess(deps, staff, request.params.cycleId);
    const id = request.params.id ?? '';
    const file = FILE_ID.test(id) ? await issuingFileOf(deps.db, access.cycleId, id) : undefined;
    if (!file) throw new WebNotFoundError(`no file ${id} of the issuing document of ${access.cycleId}`);
    return sendFile(reply, file);
  });

  app.post<CycleRoute>('/cycles/:cycleId/document/files/:id/remove', { preHandler: app.csrfProtection }, async (request, reply) => {
    await requireSecretariat(deps, request);
    const removed = await removeIssuingFile(deps.db, request.params.cycleId, request.params.id ?? '');
    if (!removed) throw new WebNotFoundError(`no file ${request.params.id} of the issuing document of ${request.params.cycleId}`);
    return reply.redirect(cyclePageAnchor(request.params.cycleId), 303);
  });

  app.post<CycleRoute>('/cycles/:cycleId/document', { preHandler: app.csrfProtection }, async (request, reply) => {
    const staff = await requireSecretariat(deps, request);
    const input = Object.fromEntries(ISSUING_FACT_KEYS.map((k) => [k, formValue(request.body, k)]));
    try {
      await setIssuingFacts(deps.db, request.params.cycleId, input, staff.email, deps.now());
    } catch (err) {
      if (err instanceof z.ZodError) throw new WebValidationError(Object.fromEntries(err.issues.map((i) => [String(i.path[0] ?? 'document'), i.message])));
      throw err;
    }
    return reply.redirect(cyclePageAnchor(request.params.cycleId), 303);
  });

  // multipart only in this context, as for the unit's uploads (files.ts)
  void app.register(async (scoped) => {
    await scoped.register(fastifyMultipart, {
      preservePath: true,
      throwFileSizeLimit: false,
      limits: { fileSize: deps.config.files.maxFileBytes + 1, files: DOCUMENT_LIMITS.attachments, fields: 4, fieldSize: 1024, parts: DOCUMENT_LIMITS.attachments + 4 },
    });
    const csrfFromQuery = async (request: FastifyRequest) => {
      const token = (request.query as Record<string, string | undefined>)._csrf;
      if (token && !request.headers['x-csrf-token']) request.headers['x-csrf-token'] = token;
    };
    scoped.post<CycleRoute>('/cycles/:cycleId/document/files', { preHandler: [csrfFromQuery, scoped.csrfProtection] }, async (request, reply) => {
      const staff = await requireSecretariat(deps, request);
      const { cycleId } = request.params;
      const refused: string[] = [];
      let stored = 0;
      for await (const part of request.files()) {
        if (part.fieldname !== FILE_INPUT_NAME || !part.filename) {
          part.file.resume();
          continue;
        }
        try {
          await attachIssuingFile(uploadDeps, { cycleId, source: part.file, name: part.filename, uploadedBy: staff.email, now: deps.now() });
          stored++;
        } catch (err) {
          if (err instanceof FileRejectedError) refused.push(err.message);
          else throw err;
        }
      }
      if (refused.length === 0) return reply.redirect(cyclePageAnchor(cycleId), 303);
      const lang = request.lang;
      const kept = stored > 0 ? [lang === 'vi' ? `Đã đính kèm ${stored} tệp khác.` : `${stored} other file(s) were attached.`] : [];
      const back = html`<a href="${cyclePageAnchor(cycleId)}">${lang === 'vi' ? 'Quay lại trang chu kỳ' : 'Back to the cycle page'}</a>`;
      return sendHtml(reply, messagePage(pageContext(request, reply), lang === 'vi' ? 'Tệp không được nhận' : 'File refused', [...refused, ...kept, back], 'error'), 422);
    });
  });
}
