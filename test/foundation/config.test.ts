// The port variables that let two `npm start` stacks run side by side, and the worker processes and their
// settings (common/config.ts, worker/processes.ts).
import { noopMetricMeter } from '@temporalio/common';
import { DefaultLogger, type WorkerOptions } from '@temporalio/worker';
import { compileWorkerOptions } from '@temporalio/worker/lib/worker-options';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, WORKER_DEFAULTS } from '../../common/config';
import { withWorkerCount, workerProcesses } from '../../worker/processes';
import { workerTuning } from '../../worker/worker';

describe('ports of the embedded stack', () => {
  it('defaults to the usual ports, with a dev server of our own', () => {
    const c = loadConfig({});
    expect(c.temporal.address).toBe('127.0.0.1:7233');
    expect(c.temporal.uiUrl).toBe('http://127.0.0.1:8233');
    expect(c.temporal.devServer).toEqual({ port: 7233, uiPort: 8233 });
    expect(c.web.publicUrl).toBe('http://127.0.0.1:3000');
  });

  it('moves the dev server, its UI and the web app (and the links in emails) to the ports given', () => {
    const c = loadConfig({ BAOCAO_TEMPORAL_PORT: '17233', BAOCAO_TEMPORAL_UI_PORT: '18233', BAOCAO_WEB_PORT: '13000' });
    expect(c.temporal.address).toBe('127.0.0.1:17233');
    expect(c.temporal.uiUrl).toBe('http://127.0.0.1:18233');
    expect(c.temporal.devServer).toEqual({ port: 17233, uiPort: 18233 });
    expect(c.web.publicUrl).toBe('http://127.0.0.1:13000');
    expect(loadConfig({ BAOCAO_WEB_HOST: '0.0.0.0', BAOCAO_WEB_PORT: '8080' }).web.publicUrl).toBe('http://127.0.0.1:8080');
  });

  it('starts no dev server when TEMPORAL_ADDRESS names one; explicit URLs win', () => {
    const c = loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233', BAOCAO_TEMPORAL_PORT: '17233', TEMPORAL_UI_URL: 'https://ui.example.vn', BAOCAO_PUBLIC_URL: 'https://baocao.example.vn/' });
    expect(c.temporal.address).toBe('temporal:7233');
    expect(c.temporal.devServer).toBeUndefined();
    expect(c.temporal.uiUrl).toBe('https://ui.example.vn');
    expect(c.web.publicUrl).toBe('https://baocao.example.vn');
  });

  it('names the variable of a bad port', () => {
    expect(() => loadConfig({ BAOCAO_TEMPORAL_PORT: 'seven' })).toThrow(ConfigError);
    expect(() => loadConfig({ BAOCAO_TEMPORAL_UI_PORT: '70000' })).toThrow(/BAOCAO_TEMPORAL_UI_PORT/);
  });
});

describe('worker processes and their settings', () => {
  it('defaults to one worker with the documented cache and slots', () => {
    expect(loadConfig({}).worker).toEqual({
      processes: WORKER_DEFAULTS.processes,
      maxCachedWorkflows: WORKER_DEFAULTS.maxCachedWorkflows,
      workflowTaskSlots: WORKER_DEFAULTS.workflowTaskSlots,
      activityTaskSlots: WORKER_DEFAULTS.activityTaskSlots,
      stickyQueueTimeoutMs: WORKER_DEFAULTS.stickyQueueTimeoutMs,
      pollers: 'auto',
      activationTimeoutMs: WORKER_DEFAULTS.activationTimeoutMs,
    });
    expect(workerTuning(loadConfig({}).worker)).toMatchObject({
      workflowTaskPollerBehavior: { type: 'autoscaling', minimum: 1, maximum: 100, initial: 5 },
      activityTaskPollerBehavior: { type: 'autoscaling', minimum: 1, maximum: 100, initial: 5 },
    });
    // not the SDK's 5 s, which aborts a loaded worker (common/config.ts WORKER_DEFAULTS.activationTimeoutMs)
    expect(WORKER_DEFAULTS.activationTimeoutMs).toBe(60_000);
  });

  it('reads every setting, and the worker options follow them', () => {
    const c = loadConfig({ BAOCAO_WORKERS: '3', BAOCAO_WORKER_MAX_CACHED_WORKFLOWS: '500', BAOCAO_WORKER_WORKFLOW_SLOTS: '20', BAOCAO_WORKER_ACTIVITY_SLOTS: '50', BAOCAO_WORKER_STICKY_TIMEOUT: '30s', BAOCAO_WORKER_POLLERS: '12', BAOCAO_WORKER_ACTIVATION_TIMEOUT: '10m' });
    expect(c.worker).toEqual({ processes: 3, maxCachedWorkflows: 500, workflowTaskSlots: 20, activityTaskSlots: 50, stickyQueueTimeoutMs: 30_000, pollers: 12, activationTimeoutMs: 600_000 });
    expect(workerTuning(c.worker)).toEqual({
      maxCachedWorkflows: 500,
      maxConcurrentWorkflowTaskExecutions: 20,
      maxConcurrentActivityTaskExecutions: 50,
      stickyQueueScheduleToStartTimeout: 30_000,
      workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: 12 },
      activityTaskPollerBehavior: { type: 'simple-maximum', maximum: 12 },
      isolateExecutionTimeout: 600_000,
    });
    // more workflow slots than cached workflows: the SDK would lower them with a warning; we do it quietly
    expect(workerTuning(loadConfig({ BAOCAO_WORKER_MAX_CACHED_WORKFLOWS: '8' }).worker).maxConcurrentWorkflowTaskExecutions).toBe(8);
    // a test's override (no cache) keeps the configured slots
    expect(workerTuning(c.worker, 0)).toMatchObject({ maxCachedWorkflows: 0, maxConcurrentWorkflowTaskExecutions: 20 });
  });

  it('names the variable of a bad worker setting', () => {
    expect(() => loadConfig({ BAOCAO_WORKERS: '0' })).toThrow(/BAOCAO_WORKERS/);
    expect(() => loadConfig({ BAOCAO_WORKERS: 'two' })).toThrow(/BAOCAO_WORKERS/);
    expect(() => loadConfig({ BAOCAO_WORKER_WORKFLOW_SLOTS: '1' })).toThrow(/BAOCAO_WORKER_WORKFLOW_SLOTS/);
    expect(() => loadConfig({ BAOCAO_WORKER_STICKY_TIMEOUT: '10' })).toThrow(/BAOCAO_WORKER_STICKY_TIMEOUT/);
    expect(() => loadConfig({ BAOCAO_WORKER_POLLERS: 'many' })).toThrow(/BAOCAO_WORKER_POLLERS.*auto or a whole number/);
    expect(() => loadConfig({ BAOCAO_WORKER_POLLERS: '1' })).toThrow(/BAOCAO_WORKER_POLLERS/);
    expect(() => loadConfig({ BAOCAO_WORKER_ACTIVATION_TIMEOUT: '5000' })).toThrow(/BAOCAO_WORKER_ACTIVATION_TIMEOUT/);
    expect(() => loadConfig({ BAOCAO_WORKER_ACTIVATION_TIMEOUT: '0s' })).toThrow(/BAOCAO_WORKER_ACTIVATION_TIMEOUT/);
  });

  it('the SDK applies the activation timeout, an option its WorkerOptions type does not list', () => {
    // the SDK reads isolateExecutionTimeout from the options as given; if a release stops doing so, this fails
    const tuning = workerTuning(loadConfig({ BAOCAO_WORKER_ACTIVATION_TIMEOUT: '90s' }).worker);
    const compiled = compileWorkerOptions({ taskQueue: 'config-test', workflowBundle: { code: '' }, ...tuning } as WorkerOptions, new DefaultLogger('ERROR'), noopMetricMeter);
    expect(compiled.isolateExecutionTimeoutMs).toBe(90_000);
  });

  it('npm start --workers N wins over BAOCAO_WORKERS, and is validated like it', () => {
    expect(loadConfig(withWorkerCount('4', { BAOCAO_WORKERS: '2' })).worker.processes).toBe(4);
    expect(loadConfig(withWorkerCount(undefined, { BAOCAO_WORKERS: '2' })).worker.processes).toBe(2);
    expect(() => loadConfig(withWorkerCount('many', {}))).toThrow(/BAOCAO_WORKERS/);
  });

  it('names each process and gives each its own metrics port', () => {
    expect(workerProcesses(1, { BAOCAO_WORKER_METRICS_ADDRESS: '127.0.0.1:9464' })).toEqual([{ name: 'worker', env: { BAOCAO_WORKER_METRICS_ADDRESS: '127.0.0.1:9464' } }]);
    const three = workerProcesses(3, { BAOCAO_WORKER_METRICS_ADDRESS: '0.0.0.0:9464', X: 'y' });
    expect(three.map((w) => w.name)).toEqual(['worker 1', 'worker 2', 'worker 3']);
    expect(three.map((w) => w.env.BAOCAO_WORKER_METRICS_ADDRESS)).toEqual(['0.0.0.0:9464', '0.0.0.0:9465', '0.0.0.0:9466']);
    expect(three.every((w) => w.env.X === 'y')).toBe(true);
    expect(workerProcesses(2, {}).map((w) => w.env.BAOCAO_WORKER_METRICS_ADDRESS)).toEqual([undefined, undefined]);
  });
});
