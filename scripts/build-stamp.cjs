// Is dist/ as new as the sources? Shared by scripts/build.mjs and bin/baocao, which asks it before every CLI
// call: CommonJS with no dependencies, so that asking costs a few stat calls and no module loader.
'use strict';
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const projectRoot = join(__dirname, '..');
const DIST_DIR = join(projectRoot, 'dist');
/** The folders whose code runs in production (tests, benchmarks and examples run under tsx/vitest). */
const SOURCE_FOLDERS = ['activities', 'client', 'common', 'domain', 'scripts', 'worker', 'workflows'];
const STAMP_FILE = join(DIST_DIR, '.build-stamp');

/** Newest mtime of the source folders (files and folders: a deleted or renamed file changes its folder's). */
function newestSourceMtime() {
  let newest = 0;
  const visit = (dir) => {
    const st = statSync(dir, { throwIfNoEntry: false });
    if (!st) return;
    newest = Math.max(newest, st.mtimeMs);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const folder of SOURCE_FOLDERS) visit(join(projectRoot, folder));
  return newest;
}

/** True when dist/ was compiled from the sources as they are now (the build recipe, scripts/build.mjs, included). */
function isCompiledFresh() {
  const stamp = statSync(STAMP_FILE, { throwIfNoEntry: false });
  if (!stamp) return false;
  // An image or a tarball may ship dist/ without the sources: then dist/ is all there is.
  if (!SOURCE_FOLDERS.some((f) => existsSync(join(projectRoot, f)))) return true;
  return newestSourceMtime() <= stamp.mtimeMs;
}

module.exports = { projectRoot, DIST_DIR, SOURCE_FOLDERS, STAMP_FILE, isCompiledFresh };
