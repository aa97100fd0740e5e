// The browser of the browser tests (test/web/e2e.test.ts), provisioned like the Temporal servers: from package
// registries only, cached per user, found again at once on later runs. Routes, first that works wins:
//
//   CHROMIUM_PATH       an executable the user names (a wrong path is reported, not ignored)
//   installed           Debian's /usr/bin/chromium, or chromium / google-chrome on PATH
//   npm-cache           the registry-package browser unpacked by an earlier run (below)
//   apt                 `apt-get install chromium` when apt-get exists and we are root or have password-less sudo
//   npm                 the x64 Chromium shipped inside the npm package @sparticuz/chromium, unpacked into the
//                       tools cache with its libraries and fonts (no root needed)
//
// When none works: one line saying what to do. Plain Node, no dependencies: it runs before `npm install` has.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { aptInstall, aptPrivilege, isExecutable, onPath } from './provision-privilege.mjs';

/** A registry package that ships a Chromium build inside it (x64 Linux only). */
export const NPM_BROWSER = { name: '@sparticuz/chromium', version: '153.0.0' };
const INSTALLED = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const ON_PATH = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

export const NO_BROWSER_HELP =
  'install Debian\'s chromium (sudo apt-get install chromium), or set CHROMIUM_PATH to a Chrome or Chromium executable, then run npm test again';

const log = (msg) => process.stderr.write(`[provision] ${msg}\n`);

/**
 * What was found on this machine, for chooseBrowserRoutes.
 * @typedef {{ chromiumPath?: string, installed?: string, cached?: string, apt?: 'root' | 'sudo', npm: boolean }} BrowserFacts
 */

/**
 * The routes to try, in order (pure: the tests check it for given machines).
 * @param {BrowserFacts} facts
 * @returns {({ route: 'CHROMIUM_PATH' | 'installed' | 'npm-cache', path: string } | { route: 'apt', privilege: 'root' | 'sudo' } | { route: 'npm' })[]}
 */
export function chooseBrowserRoutes(facts) {
  // an explicit path is the user's choice: nothing else is tried, so a typo is not papered over
  if (facts.chromiumPath !== undefined) return [{ route: 'CHROMIUM_PATH', path: facts.chromiumPath }];
  if (facts.installed) return [{ route: 'installed', path: facts.installed }];
  if (facts.cached) return [{ route: 'npm-cache', path: facts.cached }];
  const routes = [];
  if (facts.apt) routes.push({ route: 'apt', privilege: facts.apt });
  if (facts.npm) routes.push({ route: 'npm' });
  return routes;
}

function npmBrowserDir(tools) {
  return join(tools, `chromium-npm-${NPM_BROWSER.version}`);
}

export function findInstalledBrowser(path = process.env.PATH) {
  return INSTALLED.find(isExecutable) ?? ON_PATH.map((c) => onPath(c, path)).find(Boolean);
}

/** @param {string} tools the tools cache folder */
export function detectBrowserFacts(tools, env = process.env) {
  const wrapper = join(npmBrowserDir(tools), 'chromium');
  return {
    chromiumPath: env.CHROMIUM_PATH ? resolve(env.CHROMIUM_PATH) : undefined,
    installed: findInstalledBrowser(env.PATH),
    cached: isExecutable(wrapper) ? wrapper : undefined,
    // asked only when needed: `sudo -n true` is a process start
    get apt() {
      return aptPrivilege();
    },
    npm: process.platform === 'linux' && process.arch === 'x64' && !!onPath('npm') && !!onPath('tar'),
  };
}

// Chromium finds its libraries (NSS, SwiftShader) and fonts next to it; Debian's fonts are used as well.
const WRAPPER = `#!/bin/sh
here=$(cd "$(dirname "$0")" && pwd)
export LD_LIBRARY_PATH="$here/lib\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export FONTCONFIG_FILE="$here/fonts.conf"
exec "$here/bin/chromium" "$@"
`;
const FONTS_CONF = (dir) => `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${dir}/fonts</dir>
  <dir>/usr/share/fonts</dir>
  <dir>/usr/local/share/fonts</dir>
  <cachedir>${dir}/fonts-cache</cachedir>
</fontconfig>
`;

function run(command, args, options = {}) {
  const r = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${(r.stderr || r.stdout || r.error?.message || '').trim().split('\n').slice(-5).join('\n')}`);
}

/** Installs the registry package into a staging folder and unpacks its brotli-compressed browser into the cache. */
function unpackNpmBrowser(tools) {
  mkdirSync(tools, { recursive: true });
  const staging = mkdtempSync(join(tools, '.staging-chromium-'));
  try {
    log(`Fetching ${NPM_BROWSER.name}@${NPM_BROWSER.version} from the npm registry (a Chromium build, ~65 MB; first run only)…`);
    run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--prefix', staging, `${NPM_BROWSER.name}@${NPM_BROWSER.version}`]);
    const bin = join(staging, 'node_modules', ...NPM_BROWSER.name.split('/'), 'bin');
    const out = join(staging, 'browser');
    mkdirSync(join(out, 'bin'), { recursive: true });
    mkdirSync(join(out, 'lib'), { recursive: true });
    writeFileSync(join(out, 'bin', 'chromium'), brotliDecompressSync(readFileSync(join(bin, 'chromium.br'))));
    chmodSync(join(out, 'bin', 'chromium'), 0o755);
    // al2023: NSS and friends (lib/…); swiftshader: software GL; fonts: a font with Vietnamese glyphs
    for (const [pack, into] of [
      ['al2023', out],
      ['swiftshader', join(out, 'lib')],
      ['fonts', out],
    ]) {
      const tar = join(staging, `${pack}.tar`);
      writeFileSync(tar, brotliDecompressSync(readFileSync(join(bin, `${pack}.tar.br`))));
      run('tar', ['-xf', tar, '-C', into]);
    }
    const dir = npmBrowserDir(tools);
    writeFileSync(join(out, 'fonts.conf'), FONTS_CONF(dir));
    writeFileSync(join(out, 'chromium'), WRAPPER);
    chmodSync(join(out, 'chromium'), 0o755);
    rmSync(dir, { recursive: true, force: true });
    renameSync(out, dir); // atomic: a half-unpacked browser is never cached
    return join(dir, 'chromium');
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Whether the executable starts and says its version (a missing library shows here, not in the middle of a test). */
function browserVersion(path) {
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * @param {string} tools the tools cache folder
 * @returns {Promise<{ kind: 'path', path: string, source: string } | { kind: 'none', reason: string }>}
 */
export async function ensureBrowser(tools, facts = detectBrowserFacts(tools)) {
  const failures = [];
  for (const r of chooseBrowserRoutes(facts)) {
    try {
      if (r.route === 'CHROMIUM_PATH') {
        if (!isExecutable(r.path)) return { kind: 'none', reason: `CHROMIUM_PATH=${r.path} is not an executable file: fix the path or unset it` };
        return { kind: 'path', path: r.path, source: 'CHROMIUM_PATH' };
      }
      if (r.route === 'installed' || r.route === 'npm-cache') return { kind: 'path', path: r.path, source: r.route === 'installed' ? 'installed' : `${NPM_BROWSER.name} (cache)` };
      if (r.route === 'apt') {
        log(`Installing Debian's chromium with apt-get${r.privilege === 'sudo' ? ' (sudo)' : ''} (first run only)…`);
        const path = aptInstall(r.privilege, ['chromium']) ? findInstalledBrowser() : undefined;
        if (path) return { kind: 'path', path, source: "Debian's chromium (apt-get)" };
        failures.push('apt-get install chromium failed');
        continue;
      }
      const path = unpackNpmBrowser(tools);
      if (!browserVersion(path)) {
        rmSync(npmBrowserDir(tools), { recursive: true, force: true });
        throw new Error(`the Chromium of ${NPM_BROWSER.name} does not start on this machine`);
      }
      return { kind: 'path', path, source: `${NPM_BROWSER.name}@${NPM_BROWSER.version} (npm registry)` };
    } catch (err) {
      failures.push(err instanceof Error ? err.message : String(err));
    }
  }
  const tried = failures.length ? ` (tried: ${failures.join('; ')})` : '';
  return { kind: 'none', reason: `No browser for the browser tests${tried}: ${NO_BROWSER_HELP}.` };
}
