// The baocao CLI (bin/baocao runs the compiled file). Only the command group asked for is loaded: see
// command-groups.ts.
import { existsSync, readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { COMMAND_GROUPS, COMMAND_MANIFEST_FILE, type CommandManifest } from './command-groups';
import { CliError, errorText } from './output';

function readManifest(): CommandManifest | undefined {
  // Under tsx (sources, no build) there is none: every group is loaded, as before the build existed.
  return existsSync(COMMAND_MANIFEST_FILE) ? (JSON.parse(readFileSync(COMMAND_MANIFEST_FILE, 'utf8')) as CommandManifest) : undefined;
}

/** The top-level command asked for: the first argument that is not an option (`help X` asks for X). */
function requestedCommand(args: readonly string[]): string | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

async function buildProgram(args: readonly string[]): Promise<Command> {
  const program = new Command()
    .name('baocao')
    .description('Hierarchical reporting cycles on Temporal — chu kỳ báo cáo nhiều cấp')
    .showHelpAfterError()
    .exitOverride();
  const manifest = readManifest();
  const wanted = requestedCommand(args);
  const entry = manifest?.commands.find((c) => c.name === wanted || c.aliases.includes(wanted ?? ''));
  const groups = !manifest ? COMMAND_GROUPS : entry ? COMMAND_GROUPS.filter((g) => g.name === entry.group) : [];
  for (const group of groups) for (const register of await group.load()) register(program);
  if (manifest && !entry) {
    // --help, nothing or an unknown command: the summaries suffice (commander lists them, suggests a near name)
    for (const c of manifest.commands) program.command(c.name).aliases(c.aliases).description(c.description);
  }
  return program;
}

buildProgram(process.argv.slice(2))
  .then((program) => program.parseAsync(process.argv))
  .catch((err: unknown) => {
    if (err instanceof CommanderError) {
      process.exit(err.exitCode); // commander already printed its message
    }
    process.stderr.write(errorText(err));
    if (process.env.BAOCAO_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exit(err instanceof CliError ? err.exitCode : 1);
  });
