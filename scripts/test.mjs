#!/usr/bin/env node
// `npm test`: installs and provisions what the suite needs on first run (npm dependencies, the Temporal servers,
// the browser, PostgreSQL when it can be had), then runs the whole vitest suite.
// Extra arguments go to vitest (e.g. `npm test -- test/calendar`).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureDependencies, projectRoot } from './bootstrap.mjs';
import { provisionAll, ProvisionError, toolsDir } from './provision.mjs';
import { ensureBrowser } from './provision-browser.mjs';
import { ensureTestDatabase } from './provision-postgres.mjs';

const log = (msg) => process.stderr.write(`[provision] ${msg}\n`);

ensureDependencies();
let database;
try {
  await provisionAll();
  const browser = await ensureBrowser(toolsDir());
  log(browser.kind === 'path' ? `Browser for the browser tests: ${browser.path} (${browser.source})` : browser.reason);
  database = ensureTestDatabase();
} catch (err) {
  log(err instanceof ProvisionError ? err.message : err instanceof Error ? err.message : String(err));
  process.exit(1);
}
const env = { ...process.env };
if (database.kind === 'url') {
  env.TEST_DATABASE_URL = database.url;
  log(`PostgreSQL for the database tests: ${database.url} (${database.source})`);
} else log(database.reason);

const result = spawnSync(join(projectRoot, 'node_modules', '.bin', 'vitest'), ['run', ...process.argv.slice(2)], {
  cwd: projectRoot,
  stdio: 'inherit',
  env,
});
if (database.kind === 'url' && database.stop) database.stop();
process.exit(result.status ?? 1);
