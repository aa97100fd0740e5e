// The CLI's command groups. A group's modules load only when one of its commands runs: `baocao --help` must not
// pay for Temporal, Kysely, exceljs or docx, nor `baocao units tree` for the cycle commands.
//
// The build (scripts/build.mjs) writes commands.json next to the compiled main.js: every top-level command, its
// summary and its group, read from the groups themselves, so `--help` lists them without loading any.
//
// Dynamic imports carry `.js`: TypeScript's nodenext resolution asks it of `import()`, tsx and vitest map it to
// the .ts file, the compiled tree has that very file, and the one-file CLI inlines it (still run only when asked).
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';

type Register = (program: Command) => void;

export interface CommandGroup {
  name: string;
  load(): Promise<Register[]>;
}

export const COMMAND_GROUPS: readonly CommandGroup[] = [
  { name: 'units', load: async () => [(await import('./commands/units.js')).registerUnitsCommands] },
  { name: 'calendar', load: async () => [(await import('./commands/calendar.js')).registerCalendarCommands] },
  {
    // `cycle export|archive` (documents.ts) and `cycle document` (issuing.ts) join the `cycle` command of cycle.ts; submit, review, extend and
    // overdue are cycle commands too
    name: 'cycle',
    load: async () => {
      const [cycle, documents, issuing] = await Promise.all([import('./commands/cycle.js'), import('./commands/documents.js'), import('./commands/issuing.js')]);
      return [cycle.registerCycleCommands, documents.registerDocumentCommands, issuing.registerIssuingCommands];
    },
  },
  { name: 'programme', load: async () => [(await import('./commands/programme.js')).registerProgrammeCommands] },
  {
    // `campaign sample-docx|report-docx|export-xlsx` (campaign-documents.ts) join the `campaign` command
    name: 'campaign',
    load: async () => {
      const [campaign, documents] = await Promise.all([import('./commands/campaign.js'), import('./commands/campaign-documents.js')]);
      return [campaign.registerCampaignCommands, documents.registerCampaignDocumentCommands];
    },
  },
];

export const COMMAND_MANIFEST_FILE = join(__dirname, 'commands.json');

export interface ManifestEntry {
  name: string;
  aliases: string[];
  description: string;
  group: string;
}

export interface CommandManifest {
  commands: ManifestEntry[];
}

/** Registers every group on a scratch program and lists the top-level commands each one adds. */
export async function describeCommandGroups(): Promise<CommandManifest> {
  const commands: ManifestEntry[] = [];
  for (const group of COMMAND_GROUPS) {
    const scratch = new Command();
    for (const register of await group.load()) register(scratch);
    for (const c of scratch.commands) {
      const taken = commands.find((e) => e.name === c.name());
      if (taken) throw new Error(`CLI command "${c.name()}" is registered by both groups ${taken.group} and ${group.name}`);
      commands.push({ name: c.name(), aliases: c.aliases(), description: c.description(), group: group.name });
    }
  }
  return { commands };
}

export async function writeCommandManifest(file: string = COMMAND_MANIFEST_FILE): Promise<void> {
  // renamed into place: a CLI call running meanwhile reads the old manifest or the new one, never half of one
  const staged = `${file}.${process.pid}.tmp`;
  writeFileSync(staged, JSON.stringify(await describeCommandGroups(), null, 2) + '\n');
  renameSync(staged, file);
}
