// The production stack of docker-compose.yml on one machine without Docker, in the compose file's own order:
//   temporal-db, baocao-db (PostgreSQL, scripts/postgres.sh) -> temporal-schema (deploy/temporal/setup-schema.sh)
//   -> temporal (temporal-server on deploy/temporal/config/temporal.yaml) -> temporal-setup
//   (deploy/temporal/setup-namespace.sh).
// The worker and the web app come on top (scripts/cluster.ts); the drills and the test tier use this alone.
import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { ensureTemporalCli } from '../provision.mjs';
import { ensureTemporalServer, type TemporalServerTools } from '../provision-server.mjs';
import { LocalPostgres } from './postgres';
import { DYNAMIC_CONFIG_FILE, SETUP_NAMESPACE_SCRIPT, SETUP_SCHEMA_SCRIPT, type ClusterSettings } from './settings';
import { TemporalServer, temporalServerEnv } from './temporal-server';

export const APP_DATABASE = 'baocao';

export interface Cluster {
  settings: ClusterSettings;
  tools: TemporalServerTools;
  /** the `temporal` CLI (for setup-namespace.sh and for operators) */
  cli: string;
  temporalDb: LocalPostgres;
  appDb: LocalPostgres;
  server: TemporalServer;
  /** DATABASE_URL of the worker and the web app */
  appDatabaseUrl: string;
  /** the dynamic config file the server reads */
  dynamicConfigFile: string;
  /** runs deploy/temporal/setup-namespace.sh for a namespace (the stack's own is set up already) */
  setupNamespace(namespace: string, retention?: string): Promise<void>;
  /** stops the server and both PostgreSQL servers; the data stays unless the cluster was started `fresh` */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** delete the profile's folder first: new databases, new schemas, a new namespace */
  fresh?: boolean;
  log?: (line: string) => void;
}

/** Runs a deploy script as its compose job does (`sh`, settings in the environment), its lines to `log`. */
function runScript(script: string, env: Record<string, string>, logFile: string, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('sh', [script], { env: { ...process.env, HOME: process.env.HOME ?? homedir(), ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      appendFileSync(logFile, `\n--- ${new Date().toISOString()} ${script}\n${stdout}${stderr}`);
      for (const line of stderr.split('\n')) if (/^\[temporal-(schema|setup)\]/.test(line)) log(line);
      if (error) reject(new Error(`${script} failed (exit ${String(error.code)}); its output is in ${logFile}:\n${stderr.trim().split('\n').slice(-10).join('\n')}`));
      else resolve();
    });
  });
}

/** production.yaml as it is, or with the profile's values appended (JSON is YAML). */
function dynamicConfigFor(settings: ClusterSettings): string {
  const extra = Object.entries(settings.dynamicConfig);
  if (!extra.length) return DYNAMIC_CONFIG_FILE;
  const file = join(settings.dir, 'dynamicconfig.yaml');
  const lines = extra.map(([key, value]) => `${key}:\n  - value: ${JSON.stringify(value)}\n`);
  writeFileSync(file, `${readFileSync(DYNAMIC_CONFIG_FILE, 'utf8')}\n# --- ${settings.profile} profile (scripts/cluster/settings.ts) ---\n${lines.join('')}`);
  return file;
}

export async function startCluster(settings: ClusterSettings, options: StartOptions = {}): Promise<Cluster> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[cluster] ${line}\n`));
  const temporalDb = new LocalPostgres('temporal-db', join(settings.dir, 'temporal-db'), settings.temporalDbPort, 'postgres');
  const appDb = new LocalPostgres('baocao-db', join(settings.dir, 'baocao-db'), settings.appDbPort, APP_DATABASE);

  if (options.fresh && existsSync(settings.dir)) {
    for (const db of [temporalDb, appDb]) if (existsSync(join(db.dir, 'data'))) await db.stop();
    rmSync(settings.dir, { recursive: true, force: true });
  }
  mkdirSync(settings.dir, { recursive: true });
  const logFile = join(settings.dir, 'setup.log');

  const [tools, cliRoute] = await Promise.all([ensureTemporalServer(), ensureTemporalCli()]);
  if (cliRoute.kind !== 'path') throw new Error('No Temporal CLI was provisioned (setup-namespace.sh needs it): run `npm run provision` to see why.');

  log(`PostgreSQL for Temporal on 127.0.0.1:${settings.temporalDbPort}, for baocao on 127.0.0.1:${settings.appDbPort} (${settings.dir})`);
  await Promise.all([temporalDb.start(), appDb.start()]);
  const started: { stop(): Promise<void> }[] = [appDb, temporalDb];
  let server: TemporalServer | undefined;
  const stop = async () => {
    await server?.stop();
    server?.close();
    for (const s of started) await s.stop().catch((err: unknown) => log(`could not stop PostgreSQL: ${String(err)}`));
  };
  try {
    // the role docker-compose.yml's temporal-db image creates (POSTGRES_USER=temporal)
    await temporalDb.ensureRole('temporal', { createdb: true });
    await runScript(
      SETUP_SCHEMA_SCRIPT,
      {
        PATH: `${tools.dir}${delimiter}${process.env.PATH ?? ''}`,
        SQL_PLUGIN: 'postgres12',
        SQL_HOST: '127.0.0.1',
        SQL_PORT: String(settings.temporalDbPort),
        SQL_USER: 'temporal',
        SQL_PASSWORD: '',
        TEMPORAL_SCHEMA_DIR: tools.schemaDir,
      },
      logFile,
      log,
    );

    const dynamicConfigFile = dynamicConfigFor(settings);
    server = new TemporalServer(tools.server, temporalServerEnv(settings, dynamicConfigFile), settings, join(settings.dir, 'temporal.log'));
    log(`Temporal server ${tools.version} on ${server.address} (${settings.historyShards} history shards; log ${server.logFile})…`);
    await server.start();
    const info = await server.clusterInfo();
    log(`Temporal server ${info.serverVersion} is up: persistence ${info.persistenceStore}, visibility ${info.visibilityStore}`);

    const address = server.address;
    const setupNamespace = (namespace: string, retention = settings.retention) =>
      runScript(
        SETUP_NAMESPACE_SCRIPT,
        {
          PATH: `${dirname(cliRoute.path)}${delimiter}${process.env.PATH ?? ''}`,
          TEMPORAL_ADDRESS: address,
          TEMPORAL_NAMESPACE: namespace,
          TEMPORAL_NAMESPACE_RETENTION: retention,
        },
        logFile,
        log,
      );
    await setupNamespace(settings.namespace);

    return {
      settings,
      tools,
      cli: cliRoute.path,
      temporalDb,
      appDb,
      server,
      appDatabaseUrl: appDb.url(APP_DATABASE),
      dynamicConfigFile,
      setupNamespace,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
