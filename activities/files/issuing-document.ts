// The issuing document of a cycle (issue 16): its number, title and signer where known, and its files. The
// secretariat attaches files to a cycle's document (web cycle page, `baocao cycle document --attach`); they are
// uploads of the same file store as a submission's (same content check), owned by the cycle and attached at
// once, so the orphan clean-up never takes them. A cycle of a campaign (its id names the campaign after a `~`,
// docs/ARCHITECTURE.md "Campaigns") shows the campaign's document and its files until the secretariat attaches
// files of the cycle's own; today's cycles (the built-in campaign, no document) show what the secretariat gave
// and, for the number and title, the root's own plan.
import { DOCUMENT_LIMITS, documentNumber } from '../../domain/campaign-document';
import type { CampaignVersion } from '../../domain/campaign';
import { BUILTIN_CAMPAIGN } from '../../domain/campaign-builtin';
import { limitedText } from '../../domain/text';
import { parseCycleId } from '../../workflows/ids';
import { latestSubmission } from '../archive/store';
import { getCampaignVersion } from '../campaigns/repository';
import type { Db } from '../db/database';
import { FileRejectedError } from './errors';
import { filesByIds, type FileRecord } from './repository';
import { acceptUpload, type UploadDeps } from './uploads';
import type { FileRef } from '../../domain/file-ref';
import { z } from 'zod';

/** The campaign slug of a cycle id (`cycle-2027-LDLD-BN~bao-cao-quy`), undefined for today's cycles. */
export function campaignSlugOfCycle(cycleId: string): string | undefined {
  const at = cycleId.lastIndexOf('~');
  return at > 0 ? cycleId.slice(at + 1) : undefined;
}

export interface IssuingDocumentView {
  cycleId: string;
  /** "18/KH-LĐLĐ" */
  number: string | null;
  title: string | null;
  /** "TM. BAN THƯỜNG VỤ – CHỦ TỊCH Nguyễn Văn A" */
  signer: string | null;
  issuingBody: string | null;
  /** YYYY-MM-DD and place, from a campaign's document */
  date: string | null;
  place: string | null;
  files: FileRecord[];
  /** whose files these are: the cycle's own, its campaign's (the default), or none yet */
  filesFrom: 'cycle' | 'campaign' | 'none';
  campaign: { id: string; version: number; name: { vi: string; en: string } } | null;
  /** each phase's name as the cycle's campaign defines it (the built-in campaign's for today's cycles) */
  phaseNames: Record<string, { vi: string; en: string }>;
}

export const ISSUING_FACT_KEYS = ['number', 'title', 'signer'] as const;
export type IssuingFacts = Record<(typeof ISSUING_FACT_KEYS)[number], string>;

/** What the secretariat may say of the document: each optional, '' clears it (limits of domain/campaign-document.ts). */
export const issuingFactsSchema = z.strictObject({
  number: limitedText(DOCUMENT_LIMITS.short).optional(),
  title: limitedText(DOCUMENT_LIMITS.title).optional(),
  signer: limitedText(DOCUMENT_LIMITS.short).optional(),
});

/** The issuing document's own files of a cycle, oldest first. */
export async function cycleIssuingFiles(db: Db, cycleId: string): Promise<FileRecord[]> {
  const rows = await db
    .selectFrom('files')
    .select('id')
    .where('owner_kind', '=', 'issuing-document')
    .where('cycle_id', '=', cycleId)
    .orderBy('uploaded_at')
    .orderBy('id')
    .execute();
  const byId = new Map((await filesByIds(db, rows.map((r) => r.id))).map((f) => [f.id, f]));
  return rows.map((r) => byId.get(r.id)!).filter(Boolean);
}

/**
 * The campaign version a cycle runs: the one it recorded when it froze it (migration 0014); for a cycle started
 * before that, the version it froze first, else the campaign's latest frozen one (or latest).
 */
async function campaignOfCycle(db: Db, cycleId: string, slug: string): Promise<CampaignVersion | undefined> {
  const used = await db.selectFrom('campaign_version_uses').select('version').where('used_by', '=', cycleId).where('campaign_id', '=', slug).executeTakeFirst();
  if (used) return getCampaignVersion(db, slug, Number(used.version)).catch(() => undefined);
  const frozen = await db
    .selectFrom('campaign_versions')
    .select(['version', 'frozen_by'])
    .where('campaign_id', '=', slug)
    .where('frozen', '=', 1)
    .orderBy('version', 'desc')
    .execute();
  const version = frozen.find((r) => r.frozen_by === cycleId)?.version ?? frozen[0]?.version;
  try {
    return await getCampaignVersion(db, slug, version);
  } catch {
    return undefined;
  }
}

export async function issuingDocumentOfCycle(db: Db, cycleId: string): Promise<IssuingDocumentView> {
  const [own, facts] = await Promise.all([
    cycleIssuingFiles(db, cycleId),
    db.selectFrom('cycle_documents').selectAll().where('cycle_id', '=', cycleId).executeTakeFirst(),
  ]);
  const slug = campaignSlugOfCycle(cycleId);
  const campaign = slug ? await campaignOfCycle(db, cycleId, slug) : undefined;
  const doc = campaign?.definition.document ?? null;
  let campaignFiles: FileRecord[] = [];
  if (doc && doc.attachments.length > 0) {
    const rows = new Map((await filesByIds(db, doc.attachments.map((a) => a.id))).map((f) => [f.id, f]));
    // a reference whose row is gone or names other bytes is not offered: the page would fail on it
    campaignFiles = doc.attachments.map((a) => rows.get(a.id)).filter((f): f is FileRecord => f !== undefined && doc.attachments.some((a) => a.id === f.id && a.sha256 === f.sha256));
  }
  // today's cycles: the root's own plan is the document (domain/campaign-builtin.ts)
  const rootId = parseCycleId(cycleId.split('~')[0]!)?.rootId;
  const rootPlan = !doc && rootId ? await latestSubmission(db, cycleId, rootId, 'plan') : undefined;
  const plan = rootPlan?.content as { title?: unknown; number?: unknown } | undefined;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : null);
  const files = own.length > 0 ? own : campaignFiles;
  return {
    cycleId,
    number: text(facts?.number) ?? (doc ? documentNumber(doc) : text(plan?.number)),
    title: text(facts?.title) ?? (doc ? doc.title : text(plan?.title)),
    signer: text(facts?.signer) ?? (doc ? `${doc.signer.title.replace(/\n/g, ' – ')} ${doc.signer.name}` : null),
    issuingBody: doc?.issuingBody ?? null,
    date: doc?.date ?? null,
    place: doc?.place ?? null,
    files,
    filesFrom: own.length > 0 ? 'cycle' : campaignFiles.length > 0 ? 'campaign' : 'none',
    campaign: campaign ? { id: campaign.campaignId, version: campaign.version, name: campaign.definition.name } : null,
    phaseNames: Object.fromEntries((campaign?.definition ?? BUILTIN_CAMPAIGN).phases.map((p) => [p.key, p.name])),
  };
}

/** One file of the document a cycle shows, or undefined (another cycle's file, a submission's, no such id). */
export async function issuingFileOf(db: Db, cycleId: string, fileId: string): Promise<FileRecord | undefined> {
  return (await issuingDocumentOfCycle(db, cycleId)).files.find((f) => f.id === fileId);
}

export interface AttachIssuingInput {
  cycleId: string;
  source: import('node:stream').Readable;
  name: string;
  /** the staff email, or `cli` */
  uploadedBy: string;
  now: Date;
}

/**
 * Stores one file of a cycle's issuing document (the same content check as any upload) and attaches it at once.
 * FileRejectedError for a bad file or past DOCUMENT_LIMITS.attachments files.
 */
export async function attachIssuingFile(deps: UploadDeps, input: AttachIssuingInput): Promise<FileRef> {
  const count = (await cycleIssuingFiles(deps.db, input.cycleId)).length;
  if (count >= DOCUMENT_LIMITS.attachments) {
    input.source.resume();
    throw new FileRejectedError(
      'too-large',
      `"${input.name}": văn bản đã có ${count} tệp, tối đa ${DOCUMENT_LIMITS.attachments}; không lưu gì / the document already has ${count} files, at most ${DOCUMENT_LIMITS.attachments}: nothing was stored. Remove one first.`,
    );
  }
  const ref = await acceptUpload(deps, { source: input.source, name: input.name, owner: { kind: 'issuing-document', cycleId: input.cycleId, campaignId: null }, uploadedBy: input.uploadedBy, now: input.now });
  await deps.db.updateTable('files').set({ attached_at: input.now.toISOString() }).where('id', '=', ref.id).execute();
  return ref;
}

/** Takes a file off a cycle's document (its bytes go with the next clean-up unless another row names them). */
export async function removeIssuingFile(db: Db, cycleId: string, fileId: string): Promise<boolean> {
  const r = await db.deleteFrom('files').where('id', '=', fileId).where('owner_kind', '=', 'issuing-document').where('cycle_id', '=', cycleId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Sets what the secretariat says of the document (a key left out keeps its value; '' clears it). */
export async function setIssuingFacts(db: Db, cycleId: string, input: unknown, by: string, now: Date): Promise<IssuingFacts> {
  const given = issuingFactsSchema.parse(input);
  const before = await db.selectFrom('cycle_documents').selectAll().where('cycle_id', '=', cycleId).executeTakeFirst();
  const facts: IssuingFacts = { number: given.number ?? before?.number ?? '', title: given.title ?? before?.title ?? '', signer: given.signer ?? before?.signer ?? '' };
  const row = { ...facts, updated_by: by, updated_at: now.toISOString() };
  if (before) await db.updateTable('cycle_documents').set(row).where('cycle_id', '=', cycleId).execute();
  else await db.insertInto('cycle_documents').values({ cycle_id: cycleId, ...row }).execute();
  return facts;
}
