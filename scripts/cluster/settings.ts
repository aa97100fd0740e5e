// Where a production-like cluster of one machine lives and listens. Four profiles so that they never collide:
// `start` (npm run start:cluster: the ports docker-compose.yml publishes), `test` (the cluster test tier),
// `drill` (npm run drill) and `bench` (npm run bench:scale), each with its own folder, its own two PostgreSQL
// servers and its own Temporal ports.
import { join, resolve } from 'node:path';
import { z } from 'zod';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');
/** docker-compose.yml mounts this folder as the server's dynamic config (the same file here). */
export const DYNAMIC_CONFIG_FILE = join(PROJECT_ROOT, 'deploy', 'temporal', 'dynamicconfig', 'production.yaml');
export const SERVER_CONFIG_FILE = join(PROJECT_ROOT, 'deploy', 'temporal', 'config', 'temporal.yaml');
export const SETUP_SCHEMA_SCRIPT = join(PROJECT_ROOT, 'deploy', 'temporal', 'setup-schema.sh');
export const SETUP_NAMESPACE_SCRIPT = join(PROJECT_ROOT, 'deploy', 'temporal', 'setup-namespace.sh');
export const POSTGRES_SCRIPT = join(PROJECT_ROOT, 'scripts', 'postgres.sh');

export type ProfileName = 'start' | 'test' | 'drill' | 'bench';
export const PROFILE_NAMES: readonly ProfileName[] = ['start', 'test', 'drill', 'bench'];

export interface ClusterSettings {
  profile: ProfileName;
  /** the two PostgreSQL data folders, the logs, the app's data folder */
  dir: string;
  /** PostgreSQL of Temporal (databases temporal, temporal_visibility; role temporal) */
  temporalDbPort: number;
  /** PostgreSQL of baocao (database baocao): a server of its own, as in docker-compose.yml */
  appDbPort: number;
  /** Temporal frontend gRPC; every other port of the server is derived from it (temporalPorts) */
  frontendPort: number;
  /** Prometheus endpoint of the Temporal server */
  serverMetricsPort: number;
  /** Prometheus endpoint of the worker's SDK metrics (the first worker's; worker i serves on this port + i) */
  workerMetricsPort: number;
  namespace: string;
  retention: string;
  /** NUM_HISTORY_SHARDS: docker-compose.yml's TEMPORAL_HISTORY_SHARDS */
  historyShards: number;
  /** dynamic config values added to deploy/temporal/dynamicconfig/production.yaml (the test tier's needs) */
  dynamicConfig: Record<string, unknown>;
}

const DEFAULTS: Record<ProfileName, Omit<ClusterSettings, 'dir' | 'profile'>> = {
  start: {
    temporalDbPort: 55433,
    appDbPort: 55434,
    frontendPort: 7233,
    serverMetricsPort: 8000,
    workerMetricsPort: 9464,
    namespace: 'baocao',
    retention: '30d',
    historyShards: 128,
    dynamicConfig: {},
  },
  // The test tier runs the suite's files in namespace `default`, as on the dev server. The one dynamic
  // setting a test asks of its server (test/cycle/continue-as-new.test.ts) is set here; test/support/temporal.ts
  // refuses a test whose settings this server was not started with.
  test: {
    temporalDbPort: 55435,
    appDbPort: 55436,
    frontendPort: 17233,
    serverMetricsPort: 18000,
    workerMetricsPort: 19464,
    namespace: 'default',
    retention: '1d',
    historyShards: 128,
    dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 40 },
  },
  drill: {
    temporalDbPort: 55437,
    appDbPort: 55438,
    frontendPort: 27233,
    serverMetricsPort: 28000,
    workerMetricsPort: 29464,
    namespace: 'baocao',
    retention: '1d',
    historyShards: 128,
    dynamicConfig: {},
  },
  // bench:scale: production's settings (namespace, shards, dynamic config), started from empty for every row
  bench: {
    temporalDbPort: 55439,
    appDbPort: 55440,
    frontendPort: 32233, // membership ports (frontend − 300…) must stay ≤ 32767: Temporal stores them as smallint
    serverMetricsPort: 33000,
    workerMetricsPort: 33464,
    namespace: 'baocao',
    retention: '1d',
    historyShards: 128,
    dynamicConfig: {},
  },
};

const port = z.coerce.number().int().min(1024).max(65535);
const overrides = z.object({
  BAOCAO_CLUSTER_DIR: z.string().min(1).optional(),
  BAOCAO_CLUSTER_PG_PORT: port.optional(),
  BAOCAO_CLUSTER_TEMPORAL_PORT: port.optional(),
  TEMPORAL_HISTORY_SHARDS: z.coerce.number().int().min(1).max(16384).optional(),
  TEMPORAL_NAMESPACE_RETENTION: z.string().regex(/^\d+[dh]$/, 'a duration such as 30d or 24h').optional(),
});

/**
 * The settings of a profile. Environment (start profile only, so a test or drill run is never redirected by a
 * user's shell): BAOCAO_CLUSTER_DIR, BAOCAO_CLUSTER_PG_PORT (Temporal's PostgreSQL; the app's is the next
 * port), BAOCAO_CLUSTER_TEMPORAL_PORT, TEMPORAL_HISTORY_SHARDS, TEMPORAL_NAMESPACE, TEMPORAL_NAMESPACE_RETENTION.
 */
export function clusterSettings(profile: ProfileName, env: NodeJS.ProcessEnv = process.env): ClusterSettings {
  const base = DEFAULTS[profile];
  const dir = join(PROJECT_ROOT, '.tools', `cluster-${profile}`);
  if (profile !== 'start') return { profile, dir, ...base };
  const o = overrides.parse(env);
  const pg = o.BAOCAO_CLUSTER_PG_PORT;
  return {
    ...base,
    profile,
    dir: o.BAOCAO_CLUSTER_DIR ? resolve(o.BAOCAO_CLUSTER_DIR) : dir,
    temporalDbPort: pg ?? base.temporalDbPort,
    appDbPort: pg ? pg + 1 : base.appDbPort,
    frontendPort: o.BAOCAO_CLUSTER_TEMPORAL_PORT ?? base.frontendPort,
    historyShards: o.TEMPORAL_HISTORY_SHARDS ?? base.historyShards,
    namespace: env.TEMPORAL_NAMESPACE || base.namespace,
    retention: o.TEMPORAL_NAMESPACE_RETENTION ?? base.retention,
  };
}

/** Every port of the one-process server, Temporal's standard offsets from the frontend's 7233. */
export function temporalPorts(frontend: number) {
  return {
    frontendGrpc: frontend,
    frontendHttp: frontend + 10,
    frontendMembership: frontend - 300,
    historyGrpc: frontend + 1,
    historyMembership: frontend - 299,
    matchingGrpc: frontend + 2,
    matchingMembership: frontend - 298,
    workerGrpc: frontend + 6,
    workerMembership: frontend - 294,
  };
}
