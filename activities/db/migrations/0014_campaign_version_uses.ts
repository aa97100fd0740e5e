import type { Kysely } from 'kysely';

// Which campaign version each cycle (and each programme) runs. `campaign_versions.frozen_by` names only the first
// user of a version, so the issuing document of a later cycle of the same version — the second year of a
// programme, a second root — was looked up as "the latest frozen version", which may be another one. One row per
// user, written when it freezes the version; a cycle started before this migration has none (readers fall back).
// Frozen: never imports runtime code.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('campaign_version_uses')
    // a cycle id (`cycle-2027-LDLD-BN~bao-cao-quy`) or a programme id
    .addColumn('used_by', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('used_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('campaign_version_uses').execute();
}
