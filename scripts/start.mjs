#!/usr/bin/env node
// `npm start`: the whole system on embedded defaults. Installs and provisions on first run, builds dist/ when a
// source is newer than the last build, then hands over to the compiled scripts/stack.ts (plain node: tsx is a
// development tool).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureDependencies, projectRoot } from './bootstrap.mjs';
import { ProvisionError, ensureTemporalCli } from './provision.mjs';

ensureDependencies();
let cli;
try {
  cli = await ensureTemporalCli();
} catch (err) {
  process.stderr.write(`[provision] ${err instanceof ProvisionError ? err.message : err.stack}\n`);
  process.exit(1);
}
// imported after the install: the build needs esbuild from node_modules
const { BuildError, DIST_DIR, ensureBuilt } = await import('./build.mjs');
try {
  await ensureBuilt({ bundle: true });
} catch (err) {
  process.stderr.write(`[build] ${err instanceof BuildError ? err.message : err.stack}\n`);
  process.exit(1);
}
const child = spawn(process.execPath, [join(DIST_DIR, 'scripts', 'stack.js'), ...process.argv.slice(2)], {
  cwd: projectRoot,
  stdio: 'inherit',
  env: { ...process.env, BAOCAO_TEMPORAL_CLI_ROUTE: JSON.stringify(cli) },
});
// The stack handles Ctrl-C itself (it receives the same SIGINT from the terminal); we only wait for it.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
