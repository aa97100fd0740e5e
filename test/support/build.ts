// The compiled build (scripts/build.mjs) for tests that run dist/ as production does: built when stale, by
// the same command `npm start` and bin/baocao use (one builder at a time: it takes a lock).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const ROOT = join(__dirname, '..', '..');
export const DIST = join(ROOT, 'dist');

export async function ensureBuild(options: { bundle: boolean }): Promise<void> {
  const args = [join(ROOT, 'scripts', 'build.mjs'), '--if-stale', ...(options.bundle ? [] : ['--no-bundle'])];
  await promisify(execFile)(process.execPath, args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
}
