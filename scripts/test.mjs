#!/usr/bin/env node
// `npm test`: installs and provisions what the suite needs on first run, then runs the whole vitest suite.
// Extra arguments go to vitest (e.g. `npm test -- test/calendar`).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureDependencies, projectRoot } from './bootstrap.mjs';
import { provisionAll, ProvisionError } from './provision.mjs';

ensureDependencies();
try {
  await provisionAll();
} catch (err) {
  process.stderr.write(`[provision] ${err instanceof ProvisionError ? err.message : err.stack}\n`);
  process.exit(1);
}
const result = spawnSync(join(projectRoot, 'node_modules', '.bin', 'vitest'), ['run', ...process.argv.slice(2)], {
  cwd: projectRoot,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
