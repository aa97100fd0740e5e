// PostgreSQL for the database tests, when `npm test` can have one: the tests run on SQLite always, and on
// PostgreSQL too whenever TEST_DATABASE_URL names a server. Routes:
//
//   TEST_DATABASE_URL      given: used as it is (nothing started)
//   off                    BAOCAO_TEST_POSTGRES=0: SQLite only
//   start                  PostgreSQL is installed (Debian's /usr/lib/postgresql/*): scripts/postgres.sh starts a
//                          private cluster on 127.0.0.1 (BAOCAO_PG_PORT, default 55432)
//   install                not installed, but apt-get runs as root or with password-less sudo: scripts/postgres.sh
//                          installs Debian's postgresql first
//   none                   SQLite only, and one line says how to add PostgreSQL
//
// A server that npm test started is stopped again when the tests end. Plain Node, no dependencies.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aptPrivilege, isExecutable } from './provision-privilege.mjs';

const SCRIPT = fileURLToPath(new URL('./postgres.sh', import.meta.url));

export const NO_POSTGRES_HELP =
  'install PostgreSQL (sudo apt-get install postgresql) so npm test starts one, or set TEST_DATABASE_URL=postgres://…';

/**
 * @typedef {{ testDatabaseUrl?: string, disabled: boolean, installed: boolean, apt?: 'root' | 'sudo' }} PostgresFacts
 * @param {PostgresFacts} facts
 * @returns {{ route: 'TEST_DATABASE_URL' | 'off' | 'start' | 'none' } | { route: 'install', privilege: 'root' | 'sudo' }}
 */
export function choosePostgresRoute(facts) {
  if (facts.testDatabaseUrl) return { route: 'TEST_DATABASE_URL' };
  if (facts.disabled) return { route: 'off' };
  if (facts.installed) return { route: 'start' };
  if (facts.apt) return { route: 'install', privilege: facts.apt };
  return { route: 'none' };
}

/** Debian installs the server binaries under /usr/lib/postgresql/<major>/bin, off PATH (what postgres.sh looks for). */
export function postgresInstalled(root = '/usr/lib/postgresql') {
  try {
    return readdirSync(root).some((major) => isExecutable(join(root, major, 'bin', 'pg_ctl')));
  } catch {
    return false;
  }
}

export function detectPostgresFacts(env = process.env) {
  return {
    testDatabaseUrl: env.TEST_DATABASE_URL || undefined,
    disabled: env.BAOCAO_TEST_POSTGRES === '0',
    installed: postgresInstalled(),
    get apt() {
      return aptPrivilege();
    },
  };
}

function postgresSh(command, { quiet = false } = {}) {
  return spawnSync('bash', [SCRIPT, command], { stdio: ['ignore', 'pipe', quiet ? 'ignore' : 'inherit'], encoding: 'utf8' });
}

/**
 * @returns {{ kind: 'url', url: string, source: string, stop?: () => void } | { kind: 'none', reason: string }}
 */
export function ensureTestDatabase(facts = detectPostgresFacts()) {
  const r = choosePostgresRoute(facts);
  if (r.route === 'TEST_DATABASE_URL') return { kind: 'url', url: facts.testDatabaseUrl, source: 'TEST_DATABASE_URL' };
  if (r.route === 'off') return { kind: 'none', reason: 'BAOCAO_TEST_POSTGRES=0: the database tests run on SQLite only' };
  if (r.route === 'none') return { kind: 'none', reason: `PostgreSQL is not installed and cannot be installed here (no apt-get as root or sudo): the database tests run on SQLite only; ${NO_POSTGRES_HELP}` };
  const wasRunning = r.route === 'start' && postgresSh('status', { quiet: true }).status === 0;
  const started = postgresSh('start');
  const url = started.stdout.trim().split('\n').pop();
  if (started.status !== 0 || !url) {
    throw new Error(
      'PostgreSQL could not be started for the tests (see the [postgres] lines above). Fix that, or set TEST_DATABASE_URL to a server, ' +
        'or BAOCAO_TEST_POSTGRES=0 to test on SQLite only.',
    );
  }
  return {
    kind: 'url',
    url,
    source: r.route === 'install' ? "Debian's postgresql, installed and started by scripts/postgres.sh" : 'started by scripts/postgres.sh',
    // a server that was already running (someone's development database) is left running
    stop: wasRunning ? undefined : () => void postgresSh('stop'),
  };
}
