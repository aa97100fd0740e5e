// Documents staff download: a node's aggregate report (DOCX) and a cycle's figures (XLSX).
import type { Readable } from 'node:stream';
import { buildAggregateDocument } from '../../../activities/documents/aggregate-document';
import { buildCycleWorkbook } from '../../../activities/documents/cycle-workbook';
import { XLSX_CONTENT_TYPE } from '../../../activities/documents/labels';
import { getUnit } from '../../../activities/directory/repository';
import { WebForbiddenError } from '../errors';
import { canSee, type Staff } from '../staff';
import { nodeAggregate } from './archive';
import type { WebDeps } from './deps';
import type { CycleAccess } from './scope';

// ── documents to download ───────────────────────────────────────────────────────────────────────────────

export interface Download {
  /** what the browser saves it as (Vietnamese, with diacritics) */
  filename: string;
  /** the same for clients that cannot read an RFC 5987 name */
  asciiFilename: string;
  contentType: string;
  /** the whole file, or a stream of it written as it is read (a national workbook is never in memory at once) */
  bytes: Buffer | Readable;
}

/** The node's aggregate report (DOCX, Decree 30 layout) as of its current (or archived) aggregate. */
export async function aggregateReport(deps: WebDeps, staff: Staff, access: CycleAccess, unitId: string): Promise<Download> {
  const { aggregate, final } = await nodeAggregate(deps, staff, access, unitId);
  const doc = await buildAggregateDocument(deps.db, { cycleId: access.cycleId, unitId, aggregate, final });
  const unit = await getUnit(deps.db, unitId);
  return {
    filename: `Báo cáo tổng hợp – ${unit?.name ?? unitId} – ${access.cycleId}.docx`,
    asciiFilename: doc.filename,
    contentType: doc.contentType,
    bytes: Buffer.from(doc.contentBase64, 'base64'),
  };
}

/** Every unit's figures (XLSX): the whole cycle, so only for those who see all of it (its secretariat). */
export async function cycleFigures(deps: WebDeps, staff: Staff, access: CycleAccess): Promise<Download> {
  const { tree, cycleId } = access;
  if (!canSee(tree, staff, tree.rootId)) throw new WebForbiddenError('the figures of every unit of a cycle are for its secretariat / số liệu của mọi đơn vị chỉ dành cho văn phòng cấp phát động');
  const root = await getUnit(deps.db, tree.rootId);
  return {
    filename: `Số liệu – ${root?.name ?? tree.rootId} – ${cycleId}.xlsx`,
    asciiFilename: `so-lieu-${cycleId}.xlsx`,
    contentType: XLSX_CONTENT_TYPE,
    bytes: await buildCycleWorkbook(deps.db, cycleId),
  };
}
