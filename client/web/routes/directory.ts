// The unit directory's XLSX template for signed-in staff (the same file as `baocao units template`): Vietnamese
// and English header rows, filled in and imported with `baocao units import`.
import type { FastifyInstance } from 'fastify';
import { XLSX_CONTENT_TYPE } from '../../../activities/documents/labels';
import { TEMPLATE_ASCII_FILENAME, TEMPLATE_FILENAME, buildUnitTemplate } from '../../../activities/directory/template';
import { sendDownload } from '../download';
import { requireStaff } from '../http';
import type { WebDeps } from '../ops/deps';
import { UNIT_TEMPLATE_PATH } from '../views/staff';

export function directoryRoutes(app: FastifyInstance, deps: WebDeps): void {
  app.get(UNIT_TEMPLATE_PATH, async (request, reply) => {
    await requireStaff(deps, request);
    return sendDownload(reply, { filename: TEMPLATE_FILENAME, asciiFilename: TEMPLATE_ASCII_FILENAME, contentType: XLSX_CONTENT_TYPE, bytes: await buildUnitTemplate() });
  });
}
