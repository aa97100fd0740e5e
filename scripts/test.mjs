#!/usr/bin/env node
// `npm test`: installs and provisions what the suite needs on first run (npm dependencies, the Temporal servers,
// the browser, MinIO for the S3 file store, PostgreSQL when it can be had), then runs the whole vitest suite.
// Extra arguments go to vitest (e.g. `npm test -- test/calendar`).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureDependencies, projectRoot } from './bootstrap.mjs';
import { provisionAll, ProvisionError, toolsDir } from './provision.mjs';
import { ensureBrowser } from './provision-browser.mjs';
import { ensureObjectStore } from './provision-objectstore.mjs';
import { ensureTestDatabase } from './provision-postgres.mjs';

const log = (msg) => process.stderr.write(`[provision] ${msg}\n`);

ensureDependencies();
let database;
try {
  await provisionAll();
  const browser = await ensureBrowser(toolsDir());
  log(browser.kind === 'path' ? `Browser for the browser tests: ${browser.path} (${browser.source})` : browser.reason);
  // MinIO for the S3 file-store tests: built once from the Go module proxy (the vitest global setup starts nothing
  // itself: test/support/objectstore.ts starts a server per test file that needs one)
  const objectStore = await ensureObjectStore();
  log(objectStore.kind === 'binary' ? `S3-compatible server for the file-store tests: ${objectStore.path} (${objectStore.source})` : objectStore.kind === 'endpoint' ? `S3-compatible server: ${objectStore.endpoint} (TEST_S3_ENDPOINT)` : objectStore.reason);
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
