// Container health checks (Dockerfile HEALTHCHECK, docker-compose.yml), run inside the container they judge:
//
//   tsx scripts/healthcheck.ts web      GET /healthz of the web app on this machine answers 2xx
//   tsx scripts/healthcheck.ts worker   a worker of this machine polls the baocao task queue right now
//
// The worker has no port of its own, so "healthy" means what matters: Temporal lists a poller on our task
// queue whose identity is this host's (the SDK's default identity is `<pid>@<hostname>`, and a container's
// hostname is its own). Exit 0 healthy, 1 not, with one line saying why.
import { hostname } from 'node:os';
import { loadConfig, type Config } from '../common/config';
import { connectClient } from '../common/temporal';
import { DEFAULT_TASK_QUEUE } from '../workflows/ids';

export const HEALTH_PATH = '/healthz';
const TIMEOUT_MS = 5_000;

/** Where to reach the web app from inside its own container: a wildcard bind answers on loopback. */
export function localWebUrl(config: Config): string {
  const wildcard = ['0.0.0.0', '::', ''].includes(config.web.host);
  const host = wildcard ? '127.0.0.1' : config.web.host.includes(':') ? `[${config.web.host}]` : config.web.host;
  return `http://${host}:${config.web.port}${HEALTH_PATH}`;
}

export async function checkWeb(config: Config): Promise<string> {
  const url = localWebUrl(config);
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) }).catch((err: unknown) => {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
    throw new Error(`${url} does not answer (${cause})`, { cause: err });
  });
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
  return `${url} answered HTTP ${res.status}`;
}

/** True when one of the pollers is a worker process of this host. */
export function pollsFromHost(pollers: ReadonlyArray<{ identity?: string | null }>, host: string): boolean {
  return pollers.some((p) => typeof p.identity === 'string' && p.identity.endsWith(`@${host}`));
}

export async function checkWorker(config: Config): Promise<string> {
  const taskQueue = config.temporal.taskQueue ?? DEFAULT_TASK_QUEUE;
  const client = await connectClient(config);
  try {
    const { pollers } = await client.connection.withDeadline(Date.now() + TIMEOUT_MS, () =>
      client.workflowService.describeTaskQueue({ namespace: config.temporal.namespace, taskQueue: { name: taskQueue } }),
    );
    const host = hostname();
    if (!pollsFromHost(pollers, host)) {
      const seen = pollers.map((p) => p.identity).join(', ') || 'none';
      throw new Error(`no worker of host ${host} polls task queue "${taskQueue}" (pollers: ${seen})`);
    }
    return `a worker of host ${host} polls task queue "${taskQueue}"`;
  } finally {
    await client.connection.close();
  }
}

const checks: Record<string, (config: Config) => Promise<string>> = { web: checkWeb, worker: checkWorker };

if (require.main === module) {
  const role = process.argv[2] ?? '';
  const check = checks[role];
  if (!check) {
    process.stderr.write(`usage: tsx scripts/healthcheck.ts ${Object.keys(checks).join('|')}\n`);
    process.exit(2);
  }
  check(loadConfig()).then(
    (ok) => {
      process.stdout.write(`healthy: ${ok}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      process.stdout.write(`unhealthy: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
