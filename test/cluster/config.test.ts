// The native stack (npm run start:cluster, the cluster test tier, the drills) and docker-compose.yml describe the
// same deployment: the same Temporal version, the same server settings under the same names and defaults.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPORAL_SERVER_VERSION } from '../../scripts/provision-server.mjs';
import { WORKER_DEFAULTS } from '../../common/config';
import { clusterSettings, PROFILE_NAMES, SERVER_CONFIG_FILE, temporalPorts } from '../../scripts/cluster/settings';
import { temporalServerEnv } from '../../scripts/cluster/temporal-server';

const ROOT = join(__dirname, '..', '..');
const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
const serverConfig = readFileSync(SERVER_CONFIG_FILE, 'utf8');

/** `KEY: value` lines of one service's `environment:` block (the compose file's own layout: 2-space indents). */
function serviceEnvironment(service: string): Record<string, string> {
  const lines = compose.split('\n');
  const start = lines.indexOf(`  ${service}:`);
  expect(start, `service ${service} in docker-compose.yml`).toBeGreaterThan(0);
  const env: Record<string, string> = {};
  let inEnv = false;
  for (const line of lines.slice(start + 1)) {
    if (/^ {0,2}\S/.test(line)) break; // the next service
    if (/^ {4}\S/.test(line)) inEnv = line.trim() === 'environment:';
    else if (inEnv) {
      const m = /^ {6}([A-Z0-9_]+):\s*"?(.*?)"?$/.exec(line);
      if (m) env[m[1]!] = m[2]!;
    }
  }
  return env;
}

/** The default of `${NAME:-default}` in a compose value. */
const composeDefault = (value: string) => /\$\{[A-Z_]+:-([^}]*)\}/.exec(value)?.[1];
/** The default of `{{ default "x" (env "NAME") }}` in our server config. */
const configDefault = (name: string) => new RegExp(`default "([^"]*)" \\(env "${name}"\\)`).exec(serverConfig)?.[1];

describe('one Temporal version for docker-compose.yml and the native stack', () => {
  it('the server and admin-tools images carry the version scripts/provision-server.mjs builds', () => {
    const images = [...compose.matchAll(/image: temporalio\/(server|admin-tools):\$\{TEMPORAL_VERSION:-([^}]+)\}/g)].map((m) => [m[1], m[2]]);
    expect(images.map(([name]) => name).sort()).toEqual(['admin-tools', 'server']);
    for (const [name, version] of images) expect(version, `temporalio/${name}`).toBe(TEMPORAL_SERVER_VERSION);
    expect(compose).not.toMatch(/temporalio\/(server|admin-tools):(?!\$\{TEMPORAL_VERSION)/);
  });
});

describe('deploy/temporal/config/temporal.yaml', () => {
  const temporal = serviceEnvironment('temporal');

  it('reads every setting docker-compose.yml gives the temporalio/server image, under the same name', () => {
    expect(Object.keys(temporal).length).toBeGreaterThan(5);
    // --allow-no-auth on the command line (scripts/cluster/temporal-server.ts) is the image's TEMPORAL_ALLOW_NO_AUTH
    for (const name of Object.keys(temporal).filter((n) => n !== 'TEMPORAL_ALLOW_NO_AUTH')) {
      expect(serverConfig, name).toContain(`(env "${name}")`);
    }
  });

  it('has the compose file\'s defaults: history shards, log level, SQL plugin, database names', () => {
    expect(configDefault('NUM_HISTORY_SHARDS')).toBe(composeDefault(temporal.NUM_HISTORY_SHARDS!));
    expect(clusterSettings('start', {}).historyShards).toBe(Number(composeDefault(temporal.NUM_HISTORY_SHARDS!)));
    expect(configDefault('LOG_LEVEL')).toBe(composeDefault(temporal.LOG_LEVEL!));
    expect(configDefault('DB')).toBe(temporal.DB);
    expect(serviceEnvironment('temporal-schema').SQL_PLUGIN).toBe(temporal.DB);
    // setup-schema.sh creates the two databases the server's config names
    const schemaScript = readFileSync(join(ROOT, 'deploy/temporal/setup-schema.sh'), 'utf8');
    expect(schemaScript).toContain(`TEMPORAL_DB_NAME:-${configDefault('DBNAME')}`);
    expect(schemaScript).toContain(`TEMPORAL_VISIBILITY_DB_NAME:-${configDefault('VISIBILITY_DBNAME')}`);
  });

  it('is given by the native stack what compose gives the image (and the same dynamic config file)', () => {
    const env = temporalServerEnv(clusterSettings('start', {}), '/x/production.yaml');
    for (const name of ['DB', 'NUM_HISTORY_SHARDS', 'LOG_LEVEL']) expect(env[name], name).toBe(composeDefault(temporal[name]!) ?? temporal[name]);
    expect(temporal.DYNAMIC_CONFIG_FILE_PATH).toMatch(/\/production\.yaml$/);
    expect(compose).toContain('./deploy/temporal/dynamicconfig:/etc/temporal/config/dynamicconfig:ro');
    expect(configDefault('DYNAMIC_CONFIG_FILE_PATH')).toBe('deploy/temporal/dynamicconfig/production.yaml');
  });
});

describe('the profiles of scripts/cluster/settings.ts', () => {
  it('never share a port, and every membership port fits the smallint Temporal stores it in', () => {
    const seen = new Map<number, string>();
    for (const profile of PROFILE_NAMES) {
      const s = clusterSettings(profile, {});
      const ports = { ...temporalPorts(s.frontendPort), temporalDb: s.temporalDbPort, appDb: s.appDbPort, serverMetrics: s.serverMetricsPort, workerMetrics: s.workerMetricsPort };
      for (const [name, port] of Object.entries(ports)) {
        expect(seen.get(port), `${profile} ${name} ${port}`).toBeUndefined();
        seen.set(port, `${profile} ${name}`);
        if (name.endsWith('Membership')) expect(port, `${profile} ${name}`).toBeLessThanOrEqual(32767);
      }
      expect(s.dir.endsWith(`cluster-${profile}`)).toBe(true);
    }
  });
});

describe('worker replicas', () => {
  it('docker-compose.yml runs BAOCAO_WORKERS worker containers, by default as many as npm start runs processes', () => {
    const worker = compose.slice(compose.indexOf('\n  worker:\n'), compose.indexOf('\n  web:\n'));
    expect(/replicas: \$\{BAOCAO_WORKERS:-(\d+)\}/.exec(worker)?.[1]).toBe(String(WORKER_DEFAULTS.processes));
    for (const name of ['BAOCAO_WORKER_MAX_CACHED_WORKFLOWS', 'BAOCAO_WORKER_WORKFLOW_SLOTS', 'BAOCAO_WORKER_ACTIVITY_SLOTS', 'BAOCAO_WORKER_STICKY_TIMEOUT', 'BAOCAO_WORKER_POLLERS', 'BAOCAO_WORKER_ACTIVATION_TIMEOUT']) {
      expect(compose, name).toMatch(new RegExp(`^  ${name}:$`, 'm'));
    }
  });
});
