// The documents and aggregate-archive activities, for `createActivities` (activities/index.ts) to spread in.
// One JSON-safe object in and out of each.
import { latestAggregate, recordAggregate, type ArchivedAggregate, type RecordAggregateInput } from '../archive/aggregates';
import type { Db } from '../db/database';
import { buildAggregateDocument, type BuildAggregateDocumentInput, type DocumentAttachment } from './aggregate-document';

export function createDocumentActivities({ db }: { db: Db }) {
  return {
    /** Archives an aggregate; keyed, so a retry writes once. */
    recordAggregate: (input: RecordAggregateInput): Promise<{ stored: boolean }> => recordAggregate(db, input),
    /** The newest archived aggregate of a unit, or null. */
    latestAggregate: async (input: { cycleId: string; unitId: string }): Promise<ArchivedAggregate | null> =>
      (await latestAggregate(db, input.cycleId, input.unitId)) ?? null,
    /** The DOCX aggregate report of a unit, ready for `sendAggregateUpward({ …, attachments: [it] })`. */
    buildAggregateDocument: (input: BuildAggregateDocumentInput): Promise<DocumentAttachment> => buildAggregateDocument(db, input),
  };
}

export type DocumentActivities = ReturnType<typeof createDocumentActivities>;
export { NON_RETRYABLE_DOCUMENT_ERRORS } from './errors';
