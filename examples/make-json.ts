// Regenerates examples/province-units.json from examples/province-units.csv (the CSV is the source):
//   npx tsx examples/make-json.ts
// Same columns as keys; "Nơi nhận" as a list of { name, email }.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { todayLocal } from '../activities/directory/dates';
import { formatRowError } from '../activities/directory/errors';
import { validateRow } from '../activities/directory/import-rows';
import { readCsv } from '../activities/directory/import-sources';

const HERE = __dirname;

const { rows, errors } = readCsv(readFileSync(join(HERE, 'province-units.csv')));
const units = rows.map((row) => {
  const { unit, errors: rowErrors } = validateRow(row, todayLocal()); // every row of the sample has its active_from
  if (!unit) throw new Error(rowErrors.map((e) => formatRowError(e, 'csv')).join('\n'));
  return {
    id: unit.id,
    name: unit.name,
    kind: unit.kind,
    parent_id: unit.parentId,
    chair_name: unit.chair.name,
    chair_email: unit.chair.email,
    officer_name: unit.officer.name,
    officer_email: unit.officer.email,
    language: unit.language,
    active_from: unit.activeFrom,
    active_to: unit.activeTo,
    distribution: unit.distribution,
    ...(unit.parentEffectiveFrom ? { effective_from: unit.parentEffectiveFrom } : {}),
  };
});
if (errors.length > 0) throw new Error(errors.map((e) => formatRowError(e, 'csv')).join('\n'));
writeFileSync(join(HERE, 'province-units.json'), JSON.stringify(units, null, 2) + '\n');
process.stdout.write(`examples/province-units.json: ${units.length} units\n`);
