// Several worker processes on one task queue (npm start, npm run start:cluster: BAOCAO_WORKERS or --workers).
// Temporal spreads the queue's tasks over every poller, so the processes need nothing from each other; each
// gets a name for its log lines and, when SDK metrics are on, a port of its own (one host, one port each).
export interface WorkerProcessSpec {
  /** `worker` alone, `worker 1`, `worker 2`… when there are several */
  name: string;
  env: NodeJS.ProcessEnv;
}

/** host:port + index: worker 1 keeps the configured port, worker 2 the next one… */
export function metricsAddressOf(address: string, index: number): string {
  const at = address.lastIndexOf(':');
  return `${address.slice(0, at)}:${Number(address.slice(at + 1)) + index}`;
}

export function workerProcesses(count: number, env: NodeJS.ProcessEnv): WorkerProcessSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    name: count === 1 ? 'worker' : `worker ${i + 1}`,
    env: env.BAOCAO_WORKER_METRICS_ADDRESS ? { ...env, BAOCAO_WORKER_METRICS_ADDRESS: metricsAddressOf(env.BAOCAO_WORKER_METRICS_ADDRESS, i) } : env,
  }));
}

/** `--workers N` of npm start and start:cluster over BAOCAO_WORKERS: written into the environment, so that
 * loadConfig() validates it (and says what is wrong) like any other setting, and the children see it too. */
export function withWorkerCount(flag: string | undefined, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return flag === undefined ? env : { ...env, BAOCAO_WORKERS: flag };
}
