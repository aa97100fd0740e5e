// What one cached workflow costs a worker in memory (and the CPU to create it): `npm run bench:workflow-memory [-- --workflows 200]`.
//
// The SDK's reusable V8 context (on by default) runs one context per worker, but every workflow evaluates its own
// copy of every module the bundle's workflow code imports (each gets a module cache of its own: that is how
// workflows stay isolated). This creates N workflows of each type the way the worker does (the SDK's
// ReusableVMWorkflowCreator over our bundle, initRuntime included, no activation) and prints the V8 heap each one
// holds after a full GC. A deep import of SDK internals: a bench, not product code — check it after an SDK upgrade.
import { parseArgs } from 'node:util';
import { TypedSearchAttributes } from '@temporalio/common';
import { bundleWorkflowCode } from '@temporalio/worker';
import { parseWorkflowCode } from '@temporalio/worker/lib/worker';
import { ReusableVMWorkflowCreator } from '@temporalio/worker/lib/workflow/reusable-vm';
import type { WorkflowCreateOptions } from '@temporalio/worker/lib/workflow/interface';
import { WORKFLOWS_PATH } from '../worker/worker';

const { values } = parseArgs({ options: { workflows: { type: 'string', default: '200' } } });
const n = Number(values.workflows);
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const gc = (globalThis as { gc?: () => void }).gc;

function info(type: string, i: number): WorkflowCreateOptions['info'] {
  const runId = `bench-run-${type}-${i}`;
  const now = new Date();
  return {
    workflowId: `bench-${type}-${i}`,
    runId,
    workflowType: type,
    searchAttributes: {},
    typedSearchAttributes: new TypedSearchAttributes(),
    taskQueue: 'bench-workflow-memory',
    namespace: 'default',
    firstExecutionRunId: runId,
    originalExecutionRunId: runId,
    startTime: now,
    runStartTime: now,
    taskTimeoutMs: 10_000,
    attempt: 1,
    historyLength: 1,
    historySize: 0,
    continueAsNewSuggested: false,
    targetWorkerDeploymentVersionChanged: false,
    suggestedContinueAsNewReasons: [],
    currentBuildId: '',
    unsafe: { now: () => Date.now(), isReplaying: false, isReplayingHistoryEvents: false, random: Math.random },
  } as unknown as WorkflowCreateOptions['info'];
}

const heapMiB = () => Math.round(process.memoryUsage().heapUsed / 1048576);

async function main() {
  if (!gc) throw new Error('run with node --expose-gc (npm run bench:workflow-memory does)');
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet });
  process.stdout.write(`workflow bundle: ${Math.round(code.length / 1024)} KiB with its inline source map\n`);
  const creator = await ReusableVMWorkflowCreator.create(parseWorkflowCode(code), 5_000, new Set(), undefined);
  gc();
  const base = heapMiB();
  // two rounds: the second shows whether a worker that evicted its workflows gets their memory back
  for (const round of [1, 2]) {
    gc();
    const before = process.memoryUsage().heapUsed;
    const held = [];
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    for (let i = 0; i < n; i++)
      held.push(await creator.createWorkflow({ info: info('unitWorkflow', round * n + i), randomnessSeed: [1, 2, 3, 4], now: Date.now(), showStackTraceSources: false }));
    const cpu = process.cpuUsage(cpu0);
    const cpuMsEach = (cpu.user + cpu.system) / 1000 / n;
    const wallMsEach = (performance.now() - wall0) / n;
    gc();
    const each = (process.memoryUsage().heapUsed - before) / n;
    const live = heapMiB();
    for (const w of held) await w.dispose();
    gc();
    process.stdout.write(
      `round ${round}: ${n} unit workflows created, ${Math.round(each / 1024)} KiB of V8 heap and ${cpuMsEach.toFixed(1)} ms of CPU (${wallMsEach.toFixed(1)} ms wall) each; heap ${base} MiB before any, ${live} MiB with them, ${heapMiB()} MiB after disposing them\n`,
    );
  }
  await creator.destroy();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
