// `baocao cycle document CYCLE`: the cycle's issuing document — attach files (`--attach FILE…`, the same content
// check and limits as the web's uploads), list them (`--list`), take one off (`--remove ID`), state the number,
// title and signer. Units open it from the link in their task and reminder emails. Works on the database and the
// file store alone (no Temporal), like `cycle export`.
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { attachIssuingFile, issuingDocumentOfCycle, removeIssuingFile, setIssuingFacts, type IssuingDocumentView } from '../../../activities/files/issuing-document';
import { FileRejectedError } from '../../../activities/files/errors';
import { formatMegabytes } from '../../../activities/files/limits';
import { loadConfig } from '../../../common/config';
import { parseCycleId } from '../../../workflows/ids';
import { CliError, emit } from '../output';
import { withDatabase } from '../resources';

function cycleArgument(value: string): string {
  if (!parseCycleId(value)) throw new InvalidArgumentError('must be a cycle id like cycle-2027-LDLD-HN / phải là mã chu kỳ, ví dụ cycle-2027-LDLD-HN');
  return value;
}

function cycleCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === 'cycle') ?? program.command('cycle').description('start and follow reporting cycles / chu kỳ báo cáo');
}

interface DocumentOptions {
  attach?: string[];
  list?: boolean;
  remove?: string;
  number?: string;
  title?: string;
  signer?: string;
  by: string;
  json?: boolean;
}

export function documentText(doc: IssuingDocumentView): string {
  const lines = [
    `${doc.cycleId}: văn bản chỉ đạo / issuing document`,
    `  number / số:      ${doc.number ?? '—'}`,
    `  title / trích yếu: ${doc.title ?? '—'}`,
    `  signer / người ký: ${doc.signer ?? '—'}`,
  ];
  if (doc.files.length === 0) lines.push('  no files / chưa có tệp đính kèm');
  else {
    lines.push(`  files / tệp${doc.filesFrom === 'campaign' ? ' (of the campaign document / của văn bản chiến dịch)' : ''}:`);
    for (const f of doc.files) lines.push(`    ${f.id}  ${f.name}  (${f.mediaType}, ${formatMegabytes(f.size)}, sha256 ${f.sha256.slice(0, 12)}…)`);
  }
  return lines.join('\n');
}

export function registerIssuingCommands(program: Command): void {
  cycleCommand(program)
    .command('document')
    .description('the cycle’s issuing document: attach its signed files, list them, state its number, title, signer / văn bản chỉ đạo của chu kỳ và tệp đính kèm')
    .argument('<cycle>', 'cycle id', cycleArgument)
    .option('--attach <files...>', 'attach these files (PDF, DOCX, XLSX, JPEG, PNG; type read from the content)')
    .option('--list', 'list the document and its files (the default)')
    .option('--remove <id>', 'take this file off the document')
    .option('--number <text>', 'number and symbol as printed, e.g. 18/KH-LĐLĐ ("" clears it)')
    .option('--title <text>', 'the title (trích yếu)')
    .option('--signer <text>', 'who signed, e.g. "TM. BAN THƯỜNG VỤ – CHỦ TỊCH Nguyễn Văn A"')
    .option('--by <who>', 'who attaches (kept with each file)', 'cli')
    .option('--json', 'machine-readable output')
    .action(async (cycleId: string, opts: DocumentOptions) => {
      const config = loadConfig();
      // the store's drivers (the AWS SDK among them) load only for this command, not for every `cycle` one
      const { createFileStorage, stagingDir } = await import('../../../activities/files/index.js');
      const storage = createFileStorage(config.files.store);
      const refused: string[] = [];
      try {
        const doc = await withDatabase(async (db) => {
          if (opts.number !== undefined || opts.title !== undefined || opts.signer !== undefined)
            await setIssuingFacts(db, cycleId, { number: opts.number, title: opts.title, signer: opts.signer }, opts.by, new Date());
          for (const file of opts.attach ?? []) {
            try {
              await attachIssuingFile(
                { db, storage, stagingDir: stagingDir(config), maxFileBytes: config.files.maxFileBytes },
                { cycleId, source: createReadStream(file), name: basename(file), uploadedBy: opts.by, now: new Date() },
              );
            } catch (err) {
              if (err instanceof FileRejectedError) refused.push(err.message);
              else if ((err as NodeJS.ErrnoException).code === 'ENOENT') refused.push(`${file}: không có tệp này / no such file`);
              else throw err;
            }
          }
          if (opts.remove && !(await removeIssuingFile(db, cycleId, opts.remove)))
            throw new CliError(`${cycleId} has no document file ${opts.remove} (see --list) / văn bản không có tệp ${opts.remove}`);
          return issuingDocumentOfCycle(db, cycleId);
        });
        emit(opts, { ...doc, refused }, () => [documentText(doc), ...refused.map((r) => `refused / không nhận: ${r}`)].join('\n'));
      } finally {
        await storage.close();
      }
      if (refused.length > 0) process.exitCode = 1;
    });
}
