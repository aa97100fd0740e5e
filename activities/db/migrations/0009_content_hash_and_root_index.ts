import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

// The content hash of every submission (issue 10): SHA-256 of the JSON of its normalised content, the same value
// the unit workflow keeps in its receipts (workflows/content-hash.ts), so the archive can tell a repeated write
// from other content under the same version. Rows stored before are backfilled here from their stored content.
//
// Frozen history: nothing is imported from the runtime code. What the hash needs is inlined as it is on the
// day this migration landed: every string normalised as a text field is (line breaks as "\n", Unicode NFC,
// trimmed; idempotent on content already normalised), keys kept in their stored order, JSON.stringify, SHA-256
// as lower-case hex. The column stays nullable in SQL (SQLite cannot add a NOT NULL column without a default);
// every row has a value once this has run, and every write gives one.
//
// Also an index on units(kind) (issue 14): the roots of the directory (`units tree`, the web app's tree) are
// found by kind, which scanned all 130,000 units of a national directory.

const BATCH = 500;

function normalised(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\r\n?/g, '\n').normalize('NFC').trim();
  if (Array.isArray(value)) return value.map(normalised);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalised(v)]));
  return value;
}

function hashOf(contentJson: string): string {
  return createHash('sha256').update(JSON.stringify(normalised(JSON.parse(contentJson))), 'utf8').digest('hex');
}

/** The submissions table as this migration knows it (frozen here, not the runtime schema). */
interface Row {
  cycle_id: string;
  unit_id: string;
  phase: string;
  version: number;
  content_json: string;
  content_hash: string | null;
}
type Tables = { submissions: Row };

async function backfill(db: Kysely<Tables>): Promise<void> {
  let after: Omit<Row, 'content_hash'> | undefined;
  for (;;) {
    // keyset pagination on the primary key: each batch is one index range, whatever the size of the archive
    let q = db.selectFrom('submissions').select(['cycle_id', 'unit_id', 'phase', 'version', 'content_json']);
    if (after) q = q.where(sql<boolean>`(cycle_id, unit_id, phase, version) > (${after.cycle_id}, ${after.unit_id}, ${after.phase}, ${after.version})`);
    const rows = await q.orderBy('cycle_id').orderBy('unit_id').orderBy('phase').orderBy('version').limit(BATCH).execute();
    if (rows.length === 0) return;
    for (const r of rows) {
      await db
        .updateTable('submissions')
        .set({ content_hash: hashOf(r.content_json) })
        .where('cycle_id', '=', r.cycle_id)
        .where('unit_id', '=', r.unit_id)
        .where('phase', '=', r.phase)
        .where('version', '=', r.version)
        .execute();
    }
    after = rows[rows.length - 1];
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('submissions').addColumn('content_hash', 'text').execute();
  await db.schema.createIndex('units_kind_idx').on('units').column('kind').execute();
  const tables = db as unknown as Kysely<Tables>;
  // one transaction for the backfill where the migrator has not opened one (SQLite): one commit, not one per row
  if (tables.isTransaction) await backfill(tables);
  else await tables.transaction().execute((trx) => backfill(trx));
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('units_kind_idx').execute();
  await db.schema.alterTable('submissions').dropColumn('content_hash').execute();
}
