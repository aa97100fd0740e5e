// What task and reminder emails say of the cycle's issuing document and its phases: read from the archive when
// the email is composed (once per key), so an email names the document's number and title and the phase as the
// cycle's campaign defines it, and points to the document's page — never attaching its files.
import { documentLink, DOCUMENT_LINK_FALLBACK_MS, newDocumentToken, storeDocumentToken, taskLinkExpiry } from '../access/document-links';
import { DOCUMENT_LINK_SUFFIX } from '../access/document-links';
import type { Db } from '../db/database';
import { issuingDocumentOfCycle } from '../files/issuing-document';
import type { DocumentPointer, PhaseName } from './templates/common';

export interface CycleMailFacts {
  /** the document's title, else the campaign's name; null for today's cycles without a title */
  title: { vi: string; en: string } | null;
  number: string | null;
  documentTitle: string | null;
  files: number;
  phaseName(phase: string): PhaseName | undefined;
}

export async function cycleMailFacts(db: Db, cycleId: string): Promise<CycleMailFacts> {
  const doc = await issuingDocumentOfCycle(db, cycleId);
  return {
    title: doc.title ? { vi: doc.title, en: doc.title } : (doc.campaign?.name ?? null),
    number: doc.number,
    documentTitle: doc.title,
    files: doc.files.length,
    phaseName: (phase) => doc.phaseNames[phase],
  };
}

/** The document's page under the unit's task link (the task email holds that link already). */
export function taskDocumentPointer(facts: CycleMailFacts, taskLink: string): DocumentPointer {
  return { number: facts.number, title: facts.documentTitle, files: facts.files, link: `${taskLink}${DOCUMENT_LINK_SUFFIX}` };
}

/**
 * A read-only document link for an email that cannot carry the task link: the token is minted here and stored
 * (hashed) by `withRow`, in the outbox row's transaction; it lives as long as the unit's task link.
 */
export function mintedDocumentPointer(facts: CycleMailFacts, publicUrl: string) {
  const { token, tokenHash } = newDocumentToken();
  return {
    pointer: { number: facts.number, title: facts.documentTitle, files: facts.files, link: documentLink(publicUrl, token) } satisfies DocumentPointer,
    token,
    store: async (trx: Db, scope: { cycleId: string; unitId: string }, now: Date) => {
      const expiresAt = (await taskLinkExpiry(trx, scope.cycleId, scope.unitId)) ?? new Date(now.getTime() + DOCUMENT_LINK_FALLBACK_MS).toISOString();
      await storeDocumentToken(trx, tokenHash, { ...scope, expiresAt }, now);
    },
  };
}
