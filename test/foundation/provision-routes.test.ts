// How `npm test` gets its browser and its PostgreSQL on a given machine (scripts/provision-browser.mjs,
// scripts/provision-postgres.mjs): the decision for machines we cannot be on, and the real route on this one.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { chooseBrowserRoutes, ensureBrowser, NO_BROWSER_HELP } from '../../scripts/provision-browser.mjs';
import { choosePostgresRoute, ensureTestDatabase, NO_POSTGRES_HELP, postgresInstalled } from '../../scripts/provision-postgres.mjs';

const tools = () => mkdtempSync(join(tmpdir(), 'baocao-tools-'));

describe('the browser route', () => {
  it('prefers what the user names, then an installed browser, then an unpacked registry browser', () => {
    const all = { chromiumPath: '/opt/chrome', installed: '/usr/bin/chromium', cached: '/c/chromium', apt: 'root' as const, npm: true };
    expect(chooseBrowserRoutes(all)).toEqual([{ route: 'CHROMIUM_PATH', path: '/opt/chrome' }]);
    expect(chooseBrowserRoutes({ ...all, chromiumPath: undefined })).toEqual([{ route: 'installed', path: '/usr/bin/chromium' }]);
    expect(chooseBrowserRoutes({ ...all, chromiumPath: undefined, installed: undefined })).toEqual([{ route: 'npm-cache', path: '/c/chromium' }]);
  });

  it('installs Debian’s chromium when apt-get runs as root or through sudo, with the npm package as the fallback', () => {
    expect(chooseBrowserRoutes({ apt: 'root', npm: true })).toEqual([{ route: 'apt', privilege: 'root' }, { route: 'npm' }]);
    expect(chooseBrowserRoutes({ apt: 'sudo', npm: false })).toEqual([{ route: 'apt', privilege: 'sudo' }]);
    // no root, no sudo (or no apt-get at all): the browser shipped inside a registry package
    expect(chooseBrowserRoutes({ npm: true })).toEqual([{ route: 'npm' }]);
    expect(chooseBrowserRoutes({ npm: false })).toEqual([]);
  });

  it('says in one line what to do when no route is left', async () => {
    const none = await ensureBrowser(tools(), { npm: false });
    expect(none).toEqual({ kind: 'none', reason: `No browser for the browser tests: ${NO_BROWSER_HELP}.` });
    expect(NO_BROWSER_HELP).toMatch(/apt-get install chromium.*CHROMIUM_PATH/);
  });

  it('reports a CHROMIUM_PATH that is not an executable instead of quietly using another browser', async () => {
    const dir = tools();
    const notExecutable = join(dir, 'chrome');
    writeFileSync(notExecutable, 'not a program');
    const r = await ensureBrowser(dir, { chromiumPath: notExecutable, installed: '/usr/bin/chromium', npm: true });
    expect(r).toEqual({ kind: 'none', reason: `CHROMIUM_PATH=${notExecutable} is not an executable file: fix the path or unset it` });
    chmodSync(notExecutable, 0o755);
    expect(await ensureBrowser(dir, { chromiumPath: notExecutable, npm: true })).toEqual({ kind: 'path', path: notExecutable, source: 'CHROMIUM_PATH' });
  });

  it('on this machine, the global setup found a browser that starts (the e2e test launches it)', () => {
    const found = inject('browser');
    expect(found.kind, found.kind === 'none' ? found.reason : '').toBe('path');
  });
});

describe('the PostgreSQL route', () => {
  it('reuses TEST_DATABASE_URL whatever else the machine has, and starts nothing', () => {
    expect(choosePostgresRoute({ testDatabaseUrl: 'postgres://x@127.0.0.1:5/db', disabled: true, installed: true, apt: 'root' })).toEqual({ route: 'TEST_DATABASE_URL' });
    const r = ensureTestDatabase({ testDatabaseUrl: 'postgres://x@127.0.0.1:5/db', disabled: false, installed: true });
    expect(r).toEqual({ kind: 'url', url: 'postgres://x@127.0.0.1:5/db', source: 'TEST_DATABASE_URL' });
  });

  it('starts an installed PostgreSQL, installs one where apt-get may, and otherwise says how to add it', () => {
    expect(choosePostgresRoute({ disabled: false, installed: true })).toEqual({ route: 'start' });
    expect(choosePostgresRoute({ disabled: false, installed: false, apt: 'sudo' })).toEqual({ route: 'install', privilege: 'sudo' });
    expect(choosePostgresRoute({ disabled: true, installed: true })).toEqual({ route: 'off' });
    expect(choosePostgresRoute({ disabled: false, installed: false })).toEqual({ route: 'none' });
    const none = ensureTestDatabase({ disabled: false, installed: false });
    expect(none.kind === 'none' && none.reason).toContain(NO_POSTGRES_HELP);
  });

  it('knows PostgreSQL is installed by Debian’s server binaries under /usr/lib/postgresql/<major>/bin', () => {
    const root = tools();
    expect(postgresInstalled(root)).toBe(false);
    mkdirSync(join(root, '16', 'bin'), { recursive: true });
    writeFileSync(join(root, '16', 'bin', 'pg_ctl'), '#!/bin/sh\n');
    expect(postgresInstalled(root)).toBe(false);
    chmodSync(join(root, '16', 'bin', 'pg_ctl'), 0o755);
    expect(postgresInstalled(root)).toBe(true);
    expect(postgresInstalled(join(root, 'absent'))).toBe(false);
  });
});
