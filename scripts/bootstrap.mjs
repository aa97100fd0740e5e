// First-run bootstrap shared by `npm start` and `npm test`: install npm dependencies when they are missing or
// stale, then provision the Temporal servers. Plain Node with no dependencies, since it runs before npm has.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

const log = (msg) => process.stderr.write(`[bootstrap] ${msg}\n`);

export function ensureDependencies() {
  const lock = join(projectRoot, 'package-lock.json');
  const installed = join(projectRoot, 'node_modules', '.package-lock.json');
  const fresh = existsSync(installed) && (!existsSync(lock) || statSync(installed).mtimeMs >= statSync(lock).mtimeMs);
  if (fresh) return;
  log('Installing npm dependencies (first run; compiles better-sqlite3, takes a few minutes)…');
  const started = Date.now();
  const args = existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
  const result = spawnSync('npm', args, { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    log('npm dependencies could not be installed (see above). Check that the npm registry is reachable, then run again.');
    process.exit(result.status ?? 1);
  }
  log(`npm dependencies installed in ${Math.round((Date.now() - started) / 1000)} s`);
}
