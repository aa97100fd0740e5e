import { type Kysely, sql } from 'kysely';

// The unit directory: units, their parent links over time, and the per-cycle frozen trees.
// `Kysely<any>`: a migration must keep working after later schema changes, so it does not use the live types.
// Its value lists are written out here on purpose: a landed migration must not change when code constants do.
/* eslint-disable @typescript-eslint/no-explicit-any */

function oneOf(column: string, values: readonly string[]) {
  return sql<boolean>`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('units')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(oneOf('kind', ['root', 'intermediate', 'grassroots'])))
    .addColumn('chair_name', 'text', (c) => c.notNull())
    .addColumn('chair_email', 'text', (c) => c.notNull())
    .addColumn('officer_name', 'text', (c) => c.notNull())
    .addColumn('officer_email', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('vi').check(oneOf('language', ['vi', 'en'])))
    .addColumn('active_from', 'text', (c) => c.notNull())
    .addColumn('active_to', 'text')
    .addColumn('distribution', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('unit_parents')
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('parent_id', 'text', (c) => c.references('units.id'))
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addPrimaryKeyConstraint('unit_parents_pk', ['unit_id', 'valid_from'])
    .execute();
  // children of a unit at a date
  await db.schema.createIndex('unit_parents_parent_idx').on('unit_parents').columns(['parent_id', 'valid_from']).execute();

  await db.schema
    .createTable('cycle_snapshots')
    .addColumn('cycle_id', 'text', (c) => c.primaryKey())
    .addColumn('root_id', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('unit_count', 'integer', (c) => c.notNull())
    .addColumn('depth_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('cycle_units')
    .addColumn('cycle_id', 'text', (c) => c.notNull().references('cycle_snapshots.cycle_id'))
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('child_count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('cycle_units_pk', ['cycle_id', 'unit_id'])
    .execute();
  // paging through the children of one unit, in order
  await db.schema
    .createIndex('cycle_units_children_idx')
    .on('cycle_units')
    .columns(['cycle_id', 'parent_id', 'position'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('cycle_units').execute();
  await db.schema.dropTable('cycle_snapshots').execute();
  await db.schema.dropTable('unit_parents').execute();
  await db.schema.dropTable('units').execute();
}
