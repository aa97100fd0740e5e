// The campaign store: campaigns and their numbered versions in the project database (SQLite or PostgreSQL).
// Every write parses the definition first (domain/campaign.ts) and writes nothing when it is refused; a frozen
// version (one a cycle uses) is never written again. The built-in campaign is stored like any other, frozen,
// the first time the store is used.
import { CAMPAIGN_FILE_FORMAT, campaignFileSchema, campaignIdSchema, checkCampaignDefinition, storedCampaignDefinitionSchema } from '../../domain/campaign';
import type { CampaignDefinition, CampaignFile, CampaignSummary, CampaignVersion } from '../../domain/campaign';
import { BUILTIN_CAMPAIGN, BUILTIN_CAMPAIGN_ID, BUILTIN_CAMPAIGN_VERSION, BUILTIN_CREATED_BY } from '../../domain/campaign-builtin';
import {
  CampaignDefinitionError,
  CampaignExistsError,
  CampaignNotFoundError,
  CampaignVersionConflictError,
  CampaignVersionFrozenError,
} from '../../domain/campaign-errors';
import { fieldProblems } from '../../domain/field-errors';
import type { Db } from '../db/database';
import type { CampaignVersionsTable } from './schema';

export interface WriteOptions {
  /** who saves: a staff email, `cli:<user>` */
  by: string;
  /** the clock (tests) */
  now?: Date;
}

const nowIso = (o: WriteOptions) => (o.now ?? new Date()).toISOString();

/** The definition as stored: parsed, defaults applied, in the schema's key order (so equal definitions are equal text). */
function definitionJson(definition: CampaignDefinition): string {
  return JSON.stringify(definition);
}

function parseDefinition(input: unknown): CampaignDefinition {
  const check = checkCampaignDefinition(input);
  if (!check.ok) throw new CampaignDefinitionError(check.problems);
  return check.definition;
}

function parseId(id: unknown): string {
  const parsed = campaignIdSchema.safeParse(id);
  if (!parsed.success) throw new CampaignDefinitionError(fieldProblems(parsed.error, 'id').map((p) => ({ ...p, field: 'id' })));
  return parsed.data;
}

function versionOf(row: CampaignVersionsTable): CampaignVersion {
  return {
    campaignId: row.campaign_id,
    version: Number(row.version),
    // stored definitions were checked when written; read with the shape only, so later, stricter checks never
    // make an old version unreadable
    definition: storedCampaignDefinitionSchema.parse(JSON.parse(row.definition_json)) as CampaignDefinition,
    createdBy: row.created_by,
    createdAt: row.created_at,
    frozen: Number(row.frozen) === 1,
    frozenBy: row.frozen_by,
  };
}

/** Stores the built-in campaign (frozen: cycles from before campaigns run it) unless it is there. Idempotent. */
export async function ensureBuiltinCampaign(db: Db): Promise<void> {
  const at = new Date().toISOString();
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('campaigns').values({ id: BUILTIN_CAMPAIGN_ID, created_by: BUILTIN_CREATED_BY, created_at: at }).onConflict((oc) => oc.column('id').doNothing()).execute();
    await tx
      .insertInto('campaign_versions')
      .values({
        campaign_id: BUILTIN_CAMPAIGN_ID,
        version: BUILTIN_CAMPAIGN_VERSION,
        definition_json: definitionJson(BUILTIN_CAMPAIGN),
        created_by: BUILTIN_CREATED_BY,
        created_at: at,
        updated_by: BUILTIN_CREATED_BY,
        updated_at: at,
        frozen: 1,
        frozen_by: null,
        frozen_at: at,
      })
      .onConflict((oc) => oc.columns(['campaign_id', 'version']).doNothing())
      .execute();
  });
}

export async function listCampaigns(db: Db): Promise<CampaignSummary[]> {
  await ensureBuiltinCampaign(db);
  const rows = await db.selectFrom('campaign_versions').selectAll().orderBy('campaign_id').orderBy('version').execute();
  const byId = new Map<string, CampaignVersionsTable[]>();
  for (const row of rows) byId.set(row.campaign_id, [...(byId.get(row.campaign_id) ?? []), row]);
  return [...byId.entries()].map(([id, versions]) => {
    const latest = versionOf(versions[versions.length - 1]!);
    return { id, name: latest.definition.name, latestVersion: latest.version, versions: versions.length, latestFrozen: latest.frozen, builtin: id === BUILTIN_CAMPAIGN_ID };
  });
}

/** Every version of a campaign, oldest first. */
export async function campaignVersions(db: Db, campaignId: string): Promise<CampaignVersion[]> {
  await ensureBuiltinCampaign(db);
  const rows = await db.selectFrom('campaign_versions').selectAll().where('campaign_id', '=', campaignId).orderBy('version').execute();
  if (rows.length === 0) throw new CampaignNotFoundError(campaignId);
  return rows.map(versionOf);
}

/** One version (the latest when `version` is left out). */
export async function getCampaignVersion(db: Db, campaignId: string, version?: number): Promise<CampaignVersion> {
  await ensureBuiltinCampaign(db);
  let query = db.selectFrom('campaign_versions').selectAll().where('campaign_id', '=', campaignId);
  query = version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version);
  const row = await query.executeTakeFirst();
  if (!row) throw new CampaignNotFoundError(campaignId, version);
  return versionOf(row);
}

/** A new campaign, version 1. */
export async function createCampaign(db: Db, input: { id: unknown; definition: unknown }, o: WriteOptions): Promise<CampaignVersion> {
  const id = parseId(input.id);
  const definition = parseDefinition(input.definition);
  const at = nowIso(o);
  await db.transaction().execute(async (tx) => {
    const created = await tx.insertInto('campaigns').values({ id, created_by: o.by, created_at: at }).onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst();
    if (Number(created.numInsertedOrUpdatedRows ?? 0) === 0) throw new CampaignExistsError(id);
    await tx
      .insertInto('campaign_versions')
      .values({ campaign_id: id, version: 1, definition_json: definitionJson(definition), created_by: o.by, created_at: at, updated_by: o.by, updated_at: at, frozen: 0, frozen_by: null, frozen_at: null })
      .execute();
  });
  return getCampaignVersion(db, id, 1);
}

/**
 * Saves a definition as the next version of a campaign. `after`: the version the editor started from; when
 * another version was saved meanwhile, nothing is written (CampaignVersionConflictError).
 */
export async function addCampaignVersion(db: Db, input: { id: string; definition: unknown; after?: number }, o: WriteOptions): Promise<CampaignVersion> {
  const definition = parseDefinition(input.definition);
  const latest = await getCampaignVersion(db, input.id);
  if (input.after !== undefined && input.after !== latest.version) throw new CampaignVersionConflictError(input.id, latest.version);
  const version = latest.version + 1;
  const at = nowIso(o);
  const inserted = await db
    .insertInto('campaign_versions')
    .values({ campaign_id: input.id, version, definition_json: definitionJson(definition), created_by: o.by, created_at: at, updated_by: o.by, updated_at: at, frozen: 0, frozen_by: null, frozen_at: null })
    .onConflict((oc) => oc.columns(['campaign_id', 'version']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) throw new CampaignVersionConflictError(input.id, version);
  return getCampaignVersion(db, input.id, version);
}

/** Edits a version in place, as long as no cycle uses it (CampaignVersionFrozenError otherwise; nothing written). */
export async function updateCampaignVersion(db: Db, input: { id: string; version: number; definition: unknown }, o: WriteOptions): Promise<CampaignVersion> {
  const definition = parseDefinition(input.definition);
  const current = await getCampaignVersion(db, input.id, input.version);
  if (current.frozen) throw new CampaignVersionFrozenError(input.id, input.version, current.frozenBy);
  const updated = await db
    .updateTable('campaign_versions')
    .set({ definition_json: definitionJson(definition), updated_by: o.by, updated_at: nowIso(o) })
    .where('campaign_id', '=', input.id)
    .where('version', '=', input.version)
    .where('frozen', '=', 0) // a cycle that froze it since the read above wins
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    const now = await getCampaignVersion(db, input.id, input.version);
    throw new CampaignVersionFrozenError(input.id, input.version, now.frozenBy);
  }
  return getCampaignVersion(db, input.id, input.version);
}

/**
 * Marks a version as used by a cycle: from now on it never changes (a cycle starting calls this before its
 * workflows run). Idempotent; the first cycle is remembered as `frozen_by`, and every user in
 * `campaign_version_uses`.
 */
export async function freezeCampaignVersion(db: Db, input: { id: string; version: number; cycleId: string }, o: { now?: Date } = {}): Promise<CampaignVersion> {
  await getCampaignVersion(db, input.id, input.version);
  const at = (o.now ?? new Date()).toISOString();
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('campaign_versions')
      .set({ frozen: 1, frozen_by: input.cycleId, frozen_at: at })
      .where('campaign_id', '=', input.id)
      .where('version', '=', input.version)
      .where('frozen', '=', 0)
      .execute();
    // every user of the version, not only the first (issuingDocumentOfCycle reads it); a retry keeps the first row
    await tx
      .insertInto('campaign_version_uses')
      .values({ used_by: input.cycleId, campaign_id: input.id, version: input.version, used_at: at })
      .onConflict((oc) => oc.column('used_by').doNothing())
      .execute();
  });
  return getCampaignVersion(db, input.id, input.version);
}

export interface ImportResult {
  campaignId: string;
  version: number;
  /** created: a new campaign; new-version: its next version; unchanged: the latest version is this definition already */
  outcome: 'created' | 'new-version' | 'unchanged';
}

/** A campaign file (`{ id, definition }`): a new campaign, its next version, or nothing when it is the latest already. */
export async function importCampaign(db: Db, file: unknown, o: WriteOptions): Promise<ImportResult> {
  const parsed = campaignFileSchema.safeParse(file);
  if (!parsed.success) throw new CampaignDefinitionError(fieldProblems(parsed.error, 'file'));
  const id = parsed.data.id;
  const definition = parseDefinition(parsed.data.definition);
  const existing = await db.selectFrom('campaigns').select('id').where('id', '=', id).executeTakeFirst();
  if (!existing) return { campaignId: id, version: (await createCampaign(db, { id, definition }, o)).version, outcome: 'created' };
  const latest = await getCampaignVersion(db, id);
  if (definitionJson(latest.definition) === definitionJson(definition)) return { campaignId: id, version: latest.version, outcome: 'unchanged' };
  return { campaignId: id, version: (await addCampaignVersion(db, { id, definition, after: latest.version }, o)).version, outcome: 'new-version' };
}

/** A version as a campaign file, importable again. */
export async function exportCampaign(db: Db, campaignId: string, version?: number): Promise<CampaignFile> {
  const v = await getCampaignVersion(db, campaignId, version);
  return { format: CAMPAIGN_FILE_FORMAT, id: v.campaignId, version: v.version, definition: v.definition };
}
