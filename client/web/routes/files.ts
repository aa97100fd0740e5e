// Attached files on the web (issue 16). A unit uploads on its page (multipart, each file streamed through the
// content check into the file store before anything is submitted), removes a pending upload, downloads its own
// files; a supervisor downloads the files of a unit it may see. Downloads carry the stored type, nosniff and a
// sandboxing CSP; PDF and images open inline, Office files download; names keep their diacritics (RFC 5987).
import fastifyMultipart from '@fastify/multipart';
import { create as contentDisposition } from 'content-disposition';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TASK_LINK_PATH } from '../../../activities/access/tokens';
import { createFileStorage, stagingDir, type FileStorage } from '../../../activities/files';
import { FileRejectedError } from '../../../activities/files/errors';
import { formatMegabytes } from '../../../activities/files/limits';
import { deleteFileRow, fileById, type FileRecord } from '../../../activities/files/repository';
import { acceptUpload } from '../../../activities/files/uploads';
import { FILE_ID, MAX_FILES_PER_SUBMISSION } from '../../../domain/file-ref';
import { PHASE_KEY } from '../../../domain/campaign';
import { campaignPhaseOf, isCampaignCycle } from '../../campaign-cycles';
import { CycleRequestError } from '../../cycles';
import { WebNotFoundError, WebValidationError } from '../errors';
import { pageContext, requireStaff, sendHtml } from '../http';
import { messagePage } from '../layout';
import type { WebDeps } from '../ops/deps';
import { cycleAccess, requireVisible } from '../ops/scope';
import { verifyTask, type TaskScope } from '../ops/task';
import { html } from '../html';
import { documentRoutes } from './document';
import { pendingUploads } from './files-data';
import { FILE_INPUT_NAME } from './files-paths';
import { opensInline } from './files-view';
import type { RouteLimits } from './limits';

/** A downloaded file is a document, never a page of this site: no scripts, no plugins, no same-origin access. */
const DOWNLOAD_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; plugin-types application/pdf";

type TokenRequest = FastifyRequest<{ Params: { token: string; phase?: string; id?: string }; Querystring: Record<string, string | undefined> }>;
type StaffFileRequest = FastifyRequest<{ Params: { cycleId: string; unitId: string; id: string } }>;

/** The phase an upload is for: plan or report, or in a cycle of a campaign one of the phases of the version it froze. */
async function phaseOf(deps: WebDeps, scope: TaskScope, value: string | undefined): Promise<string> {
  if (!isCampaignCycle(scope.cycleId)) {
    if (value === 'plan' || value === 'report') return value;
    throw new WebNotFoundError(`no phase ${value}`);
  }
  if (value === undefined || !PHASE_KEY.test(value)) throw new WebNotFoundError(`no phase ${value}`);
  try {
    await campaignPhaseOf(deps.client, deps.db, scope.cycleId, scope.unitId, value);
  } catch (err) {
    if (err instanceof CycleRequestError) throw new WebNotFoundError(err.message);
    throw err;
  }
  return value;
}

/** For clients without RFC 5987: "Báo cáo quý I.pdf" → "Bao cao quy I.pdf" (filename* keeps the real name). */
export function asciiFallback(name: string): string {
  return name
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\]/g, '_');
}

export async function sendFile(storage: FileStorage, reply: FastifyReply, file: FileRecord): Promise<FastifyReply> {
  const body = await storage.get(file.sha256);
  if (!body) throw new WebNotFoundError(`the bytes of file ${file.id} are not in the store`);
  return reply
    .type(file.mediaType)
    .header('Content-Length', String(file.size))
    .header('Content-Disposition', contentDisposition(file.name, { type: opensInline(file.mediaType) ? 'inline' : 'attachment', fallback: asciiFallback(file.name) }))
    .header('X-File-SHA256', file.sha256)
    .send(body);
}

export function fileRoutes(app: FastifyInstance, deps: WebDeps, limits: RouteLimits): void {
  const storage = createFileStorage(deps.config.files.store);
  const uploadDeps = { db: deps.db, storage, stagingDir: stagingDir(deps.config), maxFileBytes: deps.config.files.maxFileBytes };
  app.addHook('onClose', async () => storage.close());
  // the cycle's issuing document: the unit's page of it, staff downloads, the secretariat's attachments (document.ts)
  documentRoutes(app, deps, limits, uploadDeps, (reply, file) => sendFile(storage, reply, file));

  // Multipart only in this context: every other form stays url-encoded.
  void app.register(async (scoped) => {
    await scoped.register(fastifyMultipart, {
      // one byte over the limit is enough to know: the content check's own counter refuses it with a message
      // the name as sent, paths included, so that "../x.pdf" is refused rather than silently cut to "x.pdf"
      preservePath: true,
      // past the limit busboy only cuts the file (marked truncated): the content check's counter refuses it first
      throwFileSizeLimit: false,
      limits: { fileSize: deps.config.files.maxFileBytes + 1, files: MAX_FILES_PER_SUBMISSION, fields: 4, fieldSize: 1024, parts: MAX_FILES_PER_SUBMISSION + 4 },
    });

    // the multipart body is read only after this check, so the token comes in the query (files-paths.ts)
    const csrfFromQuery = async (request: FastifyRequest) => {
      const token = (request.query as Record<string, string | undefined>)._csrf;
      if (token && !request.headers['x-csrf-token']) request.headers['x-csrf-token'] = token;
    };

    scoped.post(`${TASK_LINK_PATH}:token/files/:phase`, { preHandler: [csrfFromQuery, scoped.csrfProtection], config: { rateLimit: limits.token } }, async (request: TokenRequest, reply) => {
      const scope = await verifyTask(deps, request.params.token);
      const phase = await phaseOf(deps, scope, request.params.phase);
      const lang = request.lang;
      const now = deps.now();
      const pending = await pendingUploads(deps.db, scope, phase, now);
      let count = pending.length;
      let total = pending.reduce((sum, f) => sum + f.size, 0);
      const refused: string[] = [];
      let stored = 0;
      for await (const part of request.files()) {
        if (part.fieldname !== FILE_INPUT_NAME) {
          part.file.resume();
          continue;
        }
        if (!part.filename) {
          part.file.resume();
          continue;
        }
        if (count >= MAX_FILES_PER_SUBMISSION) {
          part.file.resume();
          refused.push(`"${part.filename}": tối đa ${MAX_FILES_PER_SUBMISSION} tệp cho một bài nộp / at most ${MAX_FILES_PER_SUBMISSION} files per submission: nothing was stored.`);
          continue;
        }
        try {
          const ref = await acceptUpload(uploadDeps, { source: part.file, name: part.filename, owner: { kind: 'submission', ...scope, phase }, uploadedBy: scope.unitId, now });
          if (total + ref.size > deps.config.files.maxSubmissionBytes) {
            await deleteFileRow(deps.db, ref.id); // its bytes go with the next clean-up, unless another upload names them
            refused.push(
              `"${ref.name}": các tệp cộng lại vượt quá ${formatMegabytes(deps.config.files.maxSubmissionBytes)} / the files together would exceed ${formatMegabytes(deps.config.files.maxSubmissionBytes)} per submission: not kept.`,
            );
            continue;
          }
          count++;
          total += ref.size;
          stored++;
        } catch (err) {
          if (err instanceof FileRejectedError) refused.push(err.message);
          else throw err;
        }
      }
      const back = `${TASK_LINK_PATH}${request.params.token}#${phase}-files`;
      if (refused.length === 0) return reply.redirect(back, 303);
      const ctx = pageContext(request, reply);
      const kept = stored > 0 ? [lang === 'vi' ? `Đã lưu ${stored} tệp khác.` : `${stored} other file(s) were stored.`] : [];
      return sendHtml(
        reply,
        messagePage(ctx, lang === 'vi' ? 'Tệp không được nhận' : 'File refused', [...refused, ...kept, html`<a href="${back}">${lang === 'vi' ? 'Quay lại trang đơn vị' : 'Back to your unit’s page'}</a>`], 'error'),
        422,
      );
    });
  });

  const ownFile = async (request: TokenRequest) => {
    const scope = await verifyTask(deps, request.params.token);
    const id = request.params.id ?? '';
    const file = FILE_ID.test(id) ? await fileById(deps.db, id) : undefined;
    if (!file || file.ownerKind !== 'submission' || file.cycleId !== scope.cycleId || file.unitId !== scope.unitId) throw new WebNotFoundError(`no file ${id} of this unit`);
    return file;
  };

  app.get(`${TASK_LINK_PATH}:token/files/:id`, { config: { rateLimit: limits.token } }, async (request: TokenRequest, reply) => sendFile(storage, reply, await ownFile(request)));

  app.post(`${TASK_LINK_PATH}:token/files/:id/remove`, { preHandler: app.csrfProtection, config: { rateLimit: limits.token } }, async (request: TokenRequest, reply) => {
    const file = await ownFile(request);
    if (file.attachedAt) throw new WebValidationError({ file: 'a submitted file stays with its submission / tệp đã nộp không thể bỏ' });
    await deleteFileRow(deps.db, file.id);
    return reply.redirect(`${TASK_LINK_PATH}${request.params.token}#${file.phase}-files`, 303);
  });

  app.get('/cycles/:cycleId/units/:unitId/files/:id', async (request: StaffFileRequest, reply) => {
    const staff = await requireStaff(deps, request);
    const { cycleId, unitId, id } = request.params;
    const access = await cycleAccess(deps, staff, cycleId);
    if ('starting' in access) throw new WebNotFoundError(`cycle ${cycleId} has no units yet`);
    requireVisible(access, staff, unitId);
    const file = FILE_ID.test(id) ? await fileById(deps.db, id) : undefined;
    if (!file || file.cycleId !== cycleId || file.unitId !== unitId) throw new WebNotFoundError(`no file ${id} of ${unitId}`);
    return sendFile(storage, reply, file);
  });

  // after the app's own headers (a child context's onSend runs after its parent's): documents get their sandbox
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.hasHeader('X-File-SHA256')) reply.header('Content-Security-Policy', DOWNLOAD_CSP);
    return payload;
  });
}
