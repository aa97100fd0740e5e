// Sending an aggregate upward: archived first (so it outlives Temporal's retention), then emailed to the
// unit's distribution list with the official DOCX report attached.
import { ActivityFailure, ApplicationFailure, patched } from '@temporalio/workflow';
import { mail, store } from './activities-proxy';
import type { Aggregate } from './aggregate-types';

/** Patch id of the archive + DOCX step: histories recorded before it replay without it. */
export const ARCHIVE_AND_DOCX_PATCH = 'archive-and-docx-upward';

function isDocumentTooLarge(err: unknown): boolean {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'DocumentTooLargeError';
}

/** `key` identifies this sending (workflow id + round): the archive row and the email are written once each. */
export async function sendAggregateUpward(key: string, aggregate: Aggregate, final: boolean): Promise<{ bounced: boolean }> {
  let attachments: { filename: string; contentBase64: string; contentType: string }[] = [];
  if (patched(ARCHIVE_AND_DOCX_PATCH)) {
    await store.recordAggregate({ key, aggregate, final });
    try {
      attachments = [await store.buildAggregateDocument({ cycleId: aggregate.cycleId, unitId: aggregate.unitId, aggregate })];
    } catch (err) {
      // a report too large to attach still goes out as figures; the document stays downloadable
      if (!isDocumentTooLarge(err)) throw err;
    }
  }
  const result = await mail.sendAggregateUpward({ key, cycleId: aggregate.cycleId, aggregate, final, ...(attachments.length ? { attachments } : {}) });
  return { bounced: result.status === 'bounced' };
}
