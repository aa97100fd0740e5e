// Sending an aggregate upward: archived first (so it outlives Temporal's retention), then emailed to the
// unit's distribution list with the official DOCX report attached. Since DOCX_BY_REFERENCE_PATCH the document
// no longer travels through history: the mail activity reads the recorded aggregate by its key and builds the
// DOCX itself; histories recorded before replay the old path (build here, attach base64).
import { ActivityFailure, ApplicationFailure, patched } from '@temporalio/workflow';
import { mail, store } from './activities-proxy';
import type { Aggregate } from './aggregate-types';

/** Patch id of the archive + DOCX step: histories recorded before it replay without it. */
export const ARCHIVE_AND_DOCX_PATCH = 'archive-and-docx-upward';
/** Patch id of the aggregate email carrying a reference to the archived aggregate instead of the DOCX. */
export const DOCX_BY_REFERENCE_PATCH = 'docx-by-reference';

function isDocumentTooLarge(err: unknown): boolean {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'DocumentTooLargeError';
}

/**
 * `key` identifies this sending (workflow id + round): the archive row and the email are written once each.
 * `asOf`: the calendar instant of the sending (the rehearsal's calendar in a rehearsal).
 */
export async function sendAggregateUpward(key: string, aggregate: Aggregate, final: boolean, asOf: string): Promise<void> {
  if (!patched(ARCHIVE_AND_DOCX_PATCH)) {
    await mail.sendAggregateUpward({ key, cycleId: aggregate.cycleId, aggregate, final });
    return;
  }
  await store.recordAggregate({ key, aggregate, final });
  if (patched(DOCX_BY_REFERENCE_PATCH)) {
    await mail.sendAggregateUpward({ key, cycleId: aggregate.cycleId, unitId: aggregate.unitId, aggregateKey: key, final, asOf });
    return;
  }
  let attachments: { filename: string; contentBase64: string; contentType: string }[] = [];
  try {
    attachments = [await store.buildAggregateDocument({ cycleId: aggregate.cycleId, unitId: aggregate.unitId, aggregate })];
  } catch (err) {
    // a report too large to attach still goes out as figures; the document stays downloadable
    if (!isDocumentTooLarge(err)) throw err;
  }
  await mail.sendAggregateUpward({ key, cycleId: aggregate.cycleId, aggregate, final, ...(attachments.length ? { attachments } : {}) });
}
