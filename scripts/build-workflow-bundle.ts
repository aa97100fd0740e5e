// Bundles the workflow code ahead of time, so a production worker starts in seconds without webpack and runs
// exactly the code that was built (and replay-tested) into the image. The worker loads it when
// BAOCAO_WORKFLOW_BUNDLE points at the file.
//
//   npx tsx scripts/build-workflow-bundle.ts [output file]     (default: dist/workflow-bundle.js)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bundleWorkflowCode, type BundleOptions } from '@temporalio/worker';

export const DEFAULT_WORKFLOW_BUNDLE_FILE = resolve(__dirname, '..', 'dist', 'workflow-bundle.js');

/** The workflows entry point: resolved like the worker does under tsx; the folder itself where no TypeScript
 * resolver is hooked into `require` (vitest) — webpack finds its index.ts either way. */
function workflowsPath(): string {
  try {
    return require.resolve('../workflows');
  } catch {
    return resolve(__dirname, '..', 'workflows');
  }
}

export async function buildWorkflowBundle(
  outFile: string = DEFAULT_WORKFLOW_BUNDLE_FILE,
  logger?: BundleOptions['logger'],
): Promise<{ file: string; bytes: number }> {
  const { code } = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger });
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, code);
  return { file: outFile, bytes: Buffer.byteLength(code) };
}

if (require.main === module) {
  const outFile = process.argv[2] ? resolve(process.argv[2]) : DEFAULT_WORKFLOW_BUNDLE_FILE;
  buildWorkflowBundle(outFile).then(
    ({ file, bytes }) => process.stderr.write(`[bundle] wrote ${file} (${Math.round(bytes / 1024)} KiB)\n`),
    (err: unknown) => {
      process.stderr.write(`[bundle] could not bundle the workflows: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
