// Builds the baocao worker: the one task queue, every workflow, activities from createActivities().
// Shared by the worker process (worker/main.ts) and the tests, so both run exactly the same wiring.
import { join } from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { createMailDispatcher, type MailDispatcher } from '../activities/mail/dispatcher';
import type { Config } from '../common/config';
import { DEFAULT_TASK_QUEUE } from '../workflows/ids';

/** The bundle entry: every workflow type (a path, so the bundler can read it whatever runs this file). */
export const WORKFLOWS_PATH = join(__dirname, '..', 'workflows', 'index.ts');

export function taskQueueOf(config: Config): string {
  return config.temporal.taskQueue ?? DEFAULT_TASK_QUEUE;
}

export interface CreateWorkerOptions extends ActivityDeps {
  connection: NativeConnection;
  /** a prebuilt bundle (production image, tests) — else workflows are bundled at start */
  workflowBundle?: WorkerOptions['workflowBundle'];
  taskQueue?: string;
  /** overrides config.worker.maxCachedWorkflows; 0 disables the cache (tests of replay and of replacing a worker) */
  maxCachedWorkflows?: number;
}

/**
 * The worker's mail dispatcher: delivers what the mail activities queue. Pass its `kick` as `onMailQueued` to
 * createWorker so an email queued here goes out at once; `start()` it beside the worker, `stop()` it after.
 */
export function createWorkerMailDispatcher(deps: Pick<ActivityDeps, 'db' | 'mailer' | 'config'>): MailDispatcher {
  return createMailDispatcher({ db: deps.db, mailer: deps.mailer, config: deps.config });
}

/**
 * The SDK options of config.worker (BAOCAO_WORKER_*: common/config.ts, docs/PRODUCTION.md "Sizing").
 * `isolateExecutionTimeout` is an option the SDK reads (worker-options.js spreads the caller's options over its
 * defaults) but leaves out of its WorkerOptions type ("not exposed at the moment"), hence the type of its own.
 */
export type WorkerTuning = Pick<
  WorkerOptions,
  | 'maxCachedWorkflows'
  | 'maxConcurrentWorkflowTaskExecutions'
  | 'maxConcurrentActivityTaskExecutions'
  | 'stickyQueueScheduleToStartTimeout'
  | 'workflowTaskPollerBehavior'
  | 'activityTaskPollerBehavior'
> & { isolateExecutionTimeout: number };

export function workerTuning(worker: Config['worker'], maxCachedWorkflows = worker.maxCachedWorkflows): WorkerTuning {
  const polls: NonNullable<WorkerOptions['workflowTaskPollerBehavior']> =
    worker.pollers === 'auto' ? { type: 'autoscaling', minimum: 1, maximum: 100, initial: 5 } : { type: 'simple-maximum', maximum: worker.pollers };
  return {
    maxCachedWorkflows,
    // the SDK refuses more workflow slots than cached workflows (it would lower them with a warning)
    maxConcurrentWorkflowTaskExecutions: maxCachedWorkflows > 0 ? Math.max(2, Math.min(worker.workflowTaskSlots, maxCachedWorkflows)) : worker.workflowTaskSlots,
    maxConcurrentActivityTaskExecutions: worker.activityTaskSlots,
    stickyQueueScheduleToStartTimeout: worker.stickyQueueTimeoutMs,
    workflowTaskPollerBehavior: polls,
    activityTaskPollerBehavior: polls,
    isolateExecutionTimeout: worker.activationTimeoutMs,
  };
}

export function createWorker({ connection, workflowBundle, taskQueue, maxCachedWorkflows, ...deps }: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: deps.config.temporal.namespace,
    taskQueue: taskQueue ?? taskQueueOf(deps.config),
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(deps),
    ...workerTuning(deps.config.worker, maxCachedWorkflows),
  });
}
