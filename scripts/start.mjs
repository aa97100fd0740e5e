#!/usr/bin/env node
// `npm start`: the whole system on embedded defaults. Installs and provisions on first run, then hands over to
// scripts/stack.ts (TypeScript, so it shares constants with the rest of the code).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureDependencies, projectRoot } from './bootstrap.mjs';
import { ensureTemporalCli, ProvisionError } from './provision.mjs';

ensureDependencies();
let cli;
try {
  cli = await ensureTemporalCli();
} catch (err) {
  process.stderr.write(`[provision] ${err instanceof ProvisionError ? err.message : err.stack}\n`);
  process.exit(1);
}
const child = spawn(join(projectRoot, 'node_modules', '.bin', 'tsx'), [join(projectRoot, 'scripts', 'stack.ts'), ...process.argv.slice(2)], {
  cwd: projectRoot,
  stdio: 'inherit',
  env: { ...process.env, BAOCAO_TEMPORAL_CLI_ROUTE: JSON.stringify(cli) },
});
// The stack handles Ctrl-C itself (it receives the same SIGINT from the terminal); we only wait for it.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
