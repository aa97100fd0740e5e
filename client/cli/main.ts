import { Command, CommanderError } from 'commander';
import { CliError, errorText } from './output';
import { registerCalendarCommands } from './commands/calendar';
import { registerCycleCommands } from './commands/cycle';
import { registerDocumentCommands } from './commands/documents';
import { registerProgrammeCommands } from './commands/programme';
import { registerUnitsCommands } from './commands/units';

const program = new Command()
  .name('baocao')
  .description('Hierarchical reporting cycles on Temporal — chu kỳ báo cáo nhiều cấp')
  .showHelpAfterError()
  .exitOverride();

registerUnitsCommands(program);
registerCalendarCommands(program);
registerCycleCommands(program);
registerDocumentCommands(program);
registerProgrammeCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) {
    process.exit(err.exitCode); // commander already printed its message
  }
  process.stderr.write(errorText(err));
  if (process.env.BAOCAO_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exit(err instanceof CliError ? err.exitCode : 1);
});
