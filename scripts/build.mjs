#!/usr/bin/env node
// The compiled build: `npm run build` (also run by `npm start` and by `bin/baocao` when the sources are newer).
//
//   dist/<folder>/…/*.js       every TypeScript file of the runtime folders, transpiled one to one by esbuild
//                              (CommonJS, Node 20), other files (JSON tables…) copied: __dirname-relative
//                              paths keep working, and whatever file a helper adds is built without listing it
//   dist/client/cli/commands.json   the CLI's top-level commands and which group registers them, so
//                              `baocao --help` and `baocao units …` load only what they need
//   dist/cli.js                the CLI in one file (bin/baocao runs it): with its small packages inlined it
//                              starts with ~40% less CPU than hundreds of separate requires; command groups stay
//                              lazy (wrapped, not run, until asked for) and the big or native packages stay outside
//   dist/workflow-bundle.js    the workflows bundled ahead of time (the worker reads BAOCAO_WORKFLOW_BUNDLE);
//                              rebuilt only when the code it is built from changed
//   dist/.build-stamp          written last; its mtime is the time the build started
//
// Type checking stays `npm run typecheck`: esbuild only strips types, which makes a build take seconds (the
// workflow bundle, webpack, some more, and only when workflow code changed).
//
//   node scripts/build.mjs             build now
//   node scripts/build.mjs --if-stale  build only when a source is newer than dist/.build-stamp
//   node scripts/build.mjs --no-bundle skip the workflow bundle (the CLI does not need it)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import stamp from './build-stamp.cjs';

const { projectRoot, DIST_DIR, SOURCE_FOLDERS, STAMP_FILE, isCompiledFresh } = stamp;
export { DIST_DIR, SOURCE_FOLDERS, projectRoot };
export const WORKFLOW_BUNDLE_FILE = join(DIST_DIR, 'workflow-bundle.js');
export const CLI_MANIFEST_FILE = join(DIST_DIR, 'client', 'cli', 'commands.json');
export const CLI_BUNDLE_FILE = join(DIST_DIR, 'cli.js');
/** Left to require() at run time: native code, or big and needed by a few commands only. */
const CLI_EXTERNAL_PACKAGES = ['better-sqlite3', 'pg-native', '@temporalio/*', 'exceljs', 'docx'];
const LOCK_DIR = join(DIST_DIR, '.build-lock');
/** Written here first, then renamed into place file by file: processes running from dist/ (`npm start`) never
 * see a file missing or half written while bin/baocao rebuilds after an edit. */
const STAGING_DIR = join(DIST_DIR, '.staging');
const BUNDLE_HASH_FILE = `${WORKFLOW_BUNDLE_FILE}.sha256`;
/** Development-only files of the source folders: nothing in dist/ needs them. */
const NOT_COPIED = /\.(md|mjs|cjs|sh|d\.mts|d\.ts)$/;
const LOCK_WAIT_MS = 10 * 60_000;

const log = (msg) => process.stderr.write(`[build] ${msg}\n`);

export class BuildError extends Error {
  code = 'BuildError';
}

/** True when dist/ was built from the sources as they are now. Costs a few milliseconds (stat calls only;
 * with `bundle`, also a hash of the compiled workflow code). */
export function isBuildFresh({ bundle = false } = {}) {
  return isCompiledFresh() && (!bundle || workflowBundleIsFresh());
}

/** The bundle was made from the workflow code now in dist/ (a `--no-bundle` build may have changed it). */
function workflowBundleIsFresh() {
  return existsSync(WORKFLOW_BUNDLE_FILE) && existsSync(BUNDLE_HASH_FILE) && readFileSync(BUNDLE_HASH_FILE, 'utf8') === workflowBundleInputsHash();
}

function listFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else out.push(path);
  }
  return out;
}

function loadEsbuild() {
  try {
    return createRequire(import.meta.url)('esbuild');
  } catch (err) {
    throw new BuildError(`esbuild is not installed (${err.message}). Run \`npm ci\` (it is a devDependency), then build again.`);
  }
}

async function transpile() {
  const esbuild = loadEsbuild();
  const sources = [];
  rmSync(STAGING_DIR, { recursive: true, force: true });
  for (const folder of SOURCE_FOLDERS) {
    const dir = join(projectRoot, folder);
    if (!existsSync(dir)) continue;
    for (const file of listFiles(dir)) {
      if (file.endsWith('.ts') && !file.endsWith('.d.ts')) sources.push(file);
      else if (!NOT_COPIED.test(file)) {
        const target = join(STAGING_DIR, relative(projectRoot, file));
        mkdirSync(dirname(target), { recursive: true });
        copyFileSync(file, target);
      }
    }
  }
  await esbuild.build({
    entryPoints: sources,
    outdir: STAGING_DIR,
    outbase: projectRoot,
    bundle: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: true, // `NODE_OPTIONS=--enable-source-maps` shows TypeScript lines; free otherwise
    // import() stays import(): relative ones name the .js file, and ESM-only packages (@dqcai/vn-lunar) need it
    logLevel: 'warning',
  });
  return sources.length;
}

/** Moves the staged build into dist/ (one atomic rename per file), then removes what no source produces any more. */
function publishStaging() {
  const produced = new Set();
  for (const file of listFiles(STAGING_DIR)) {
    const target = join(DIST_DIR, relative(STAGING_DIR, file));
    mkdirSync(dirname(target), { recursive: true });
    renameSync(file, target);
    produced.add(target);
  }
  rmSync(STAGING_DIR, { recursive: true, force: true });
  for (const folder of SOURCE_FOLDERS) {
    const dir = join(DIST_DIR, folder);
    if (!existsSync(dir)) continue;
    for (const file of listFiles(dir)) if (!produced.has(file) && file !== CLI_MANIFEST_FILE) rmSync(file, { force: true });
  }
}

/** Inlined modules keep their own __dirname/__filename: those of their compiled twin in dist/ (data files such
 * as the holiday table are copied there), not the bundle's. */
function ownDirnamePlugin() {
  return {
    name: 'own-dirname',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        let contents = readFileSync(args.path, 'utf8');
        if (/\b__(dirname|filename)\b/.test(contents) && !args.path.includes('node_modules')) {
          const twin = join(DIST_DIR, relative(projectRoot, args.path)).replace(/\.ts$/, '.js');
          const dir = JSON.stringify(relative(DIST_DIR, dirname(twin)));
          const file = JSON.stringify(relative(DIST_DIR, twin));
          contents = contents.replace(/\b__dirname\b/g, '__ownDirname').replace(/\b__filename\b/g, '__ownFilename');
          // first, so that the module's own top-level code finds them set
          contents = `const __ownDirname = require('node:path').join(__dirname, ${dir}); const __ownFilename = require('node:path').join(__dirname, ${file});${contents}`;
        }
        return { contents, loader: 'ts' };
      });
    },
  };
}

async function bundleCli() {
  await loadEsbuild().build({
    entryPoints: [join(projectRoot, 'client', 'cli', 'main.ts')],
    outfile: join(STAGING_DIR, relative(DIST_DIR, CLI_BUNDLE_FILE)),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    external: CLI_EXTERNAL_PACKAGES,
    plugins: [ownDirnamePlugin()],
    logLevel: 'warning',
  });
}

/** The CLI's command manifest, written by the built CLI itself in a separate process (it loads every group). */
function writeCliManifest() {
  const groups = join(DIST_DIR, 'client', 'cli', 'command-groups.js');
  if (!existsSync(groups)) return;
  const script = `require(${JSON.stringify(groups)}).writeCommandManifest(${JSON.stringify(CLI_MANIFEST_FILE)}).catch((e) => { console.error(e); process.exit(1); })`;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new BuildError('could not list the CLI commands (see above)');
}

/** Hash of what the workflow bundle is made of: the compiled workflow code it reaches and the SDK version. */
function workflowBundleInputsHash() {
  const hash = createHash('sha256');
  hash.update(createRequire(import.meta.url)('@temporalio/workflow/package.json').version);
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    hash.update(relative(DIST_DIR, file)).update(code);
    for (const [, spec] of code.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
      const base = resolve(dirname(file), spec);
      const found = [base, `${base}.js`, join(base, 'index.js')].find((p) => existsSync(p) && statSync(p).isFile());
      if (found) visit(found);
    }
  };
  visit(join(DIST_DIR, 'workflows', 'index.js'));
  return hash.digest('hex');
}

function buildWorkflowBundle() {
  if (workflowBundleIsFresh()) return false;
  const inputs = workflowBundleInputsHash();
  log('bundling the workflows (webpack; only when workflow code changed)…');
  const script = join(DIST_DIR, 'scripts', 'build-workflow-bundle.js');
  // webpack lists every module it bundled: worth reading only when it failed
  // written aside and renamed into place: a worker restarted meanwhile reads a whole bundle, old or new
  const staged = `${WORKFLOW_BUNDLE_FILE}.${process.pid}.tmp`;
  const result = spawnSync(process.execPath, [script, staged], { cwd: projectRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    rmSync(staged, { force: true });
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new BuildError('the workflow bundle could not be built (see above)');
  }
  renameSync(staged, WORKFLOW_BUNDLE_FILE);
  writeFileSync(BUNDLE_HASH_FILE, inputs);
  return true;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** One builder at a time (two CLI calls after an edit must not write dist/ together); a dead holder's lock is taken over. */
async function withBuildLock(run) {
  mkdirSync(DIST_DIR, { recursive: true });
  const waitUntil = Date.now() + LOCK_WAIT_MS;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let holder = 0; // 0: the holder has not written its pid yet, or has just finished
      try {
        holder = Number(readFileSync(join(LOCK_DIR, 'pid'), 'utf8')) || 0;
      } catch {
        /* not written yet, or the lock is gone: try again */
      }
      if (holder && !processAlive(holder)) {
        rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > waitUntil) throw new BuildError(`another build (pid ${holder || '?'}) holds ${LOCK_DIR}; remove it if no build is running`);
      if (!announced) log(`waiting for the build of process ${holder || '?'}…`);
      announced = true;
      await sleep(100);
    }
  }
  try {
    return await run();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

/** Builds dist/ now. `bundle: false` leaves the workflow bundle as it is. */
export async function build({ bundle = true } = {}) {
  return withBuildLock(async () => {
    const started = Date.now();
    let files;
    try {
      files = await transpile();
      await bundleCli();
      publishStaging();
      writeCliManifest();
    } finally {
      await loadEsbuild().stop(); // its service process would outlive the build under `npm start`
    }
    const bundled = bundle && buildWorkflowBundle();
    // The stamp carries the start time: a source saved during the build makes the next check rebuild.
    writeFileSync(STAMP_FILE, `${new Date(started).toISOString()}\n`);
    utimesSync(STAMP_FILE, new Date(started), new Date(started));
    log(`compiled ${files} files into ${relative(projectRoot, DIST_DIR)}/${bundled ? ' and bundled the workflows' : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
}

/** Builds when the sources are newer than the last build (or another process is building them right now). */
export async function ensureBuilt({ bundle = false } = {}) {
  if (isBuildFresh({ bundle })) return false;
  log(existsSync(STAMP_FILE) ? 'sources changed since the last build: compiling…' : 'first run: compiling the sources into dist/…');
  await withBuildLock(async () => {}); // a build that was under way may have just made dist/ fresh
  if (isBuildFresh({ bundle })) return false;
  await build({ bundle });
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const bundle = !args.includes('--no-bundle');
  const run = args.includes('--if-stale') ? ensureBuilt({ bundle }) : build({ bundle });
  run.catch((err) => {
    log(err instanceof BuildError ? err.message : err.stack);
    process.exit(1);
  });
}
