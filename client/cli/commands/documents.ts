// `baocao cycle export` and `baocao cycle archive`: a cycle's documents and state read from the archive alone,
// so they work for a closed cycle after Temporal's retention has deleted its histories (no Temporal needed).
import { writeFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { latestAggregate } from '../../../activities/archive/aggregates';
import { cycleArchiveStatus, type ArchivedPhase, type CycleArchiveStatus } from '../../../activities/archive/status';
import { loadSubtree, aggregateOfSubtree } from '../../../activities/archive/subtree';
import { buildAggregateDocument } from '../../../activities/documents/aggregate-document';
import { buildCycleWorkbook } from '../../../activities/documents/cycle-workbook';
import { REVIEW_LABELS, STANDING_LABELS } from '../../../activities/documents/labels';
import { localDateTime } from '../../../activities/documents/vietnamese';
import { parseCycleId } from '../../../workflows/ids';
import { PHASES } from '../../../workflows/report';
import { groupDigits } from '../../../workflows/text';
import { exportCycleFiles, FilesExportError, type FilesExportProgress } from '../../../activities/files/export';
import { loadConfig } from '../../../common/config';
import { CliError, emit } from '../output';
import { withDatabase } from '../resources';

function cycleArgument(value: string): string {
  if (!parseCycleId(value)) throw new InvalidArgumentError('must be a cycle id like cycle-2027-LDLD-HN / phải là mã chu kỳ, ví dụ cycle-2027-LDLD-HN');
  return value;
}

/** The `cycle` command of the program (registered by commands/cycle.ts), created when absent. */
function cycleCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === 'cycle') ?? program.command('cycle').description('start and follow reporting cycles / chu kỳ báo cáo');
}

interface ExportOptions {
  unit?: string;
  docx?: string;
  xlsx?: string;
  files?: string;
  number?: string;
  place?: string;
  subject?: string;
  rebuild?: boolean;
  json?: boolean;
}

interface Written {
  file: string;
  bytes: number;
  kind: 'docx' | 'xlsx' | 'files';
  /** --files: how many files of how many units */
  files?: { files: number; units: number };
  unitId?: string;
  /** where the aggregate of the DOCX came from */
  aggregate?: { source: 'recorded' | 'rebuilt'; asOf: string; final: boolean };
}

const PROGRESS_EVERY_MS = 2_000;

/** "120/5.000 tệp, 3/200 đơn vị / 120/5,000 files, 3/200 units" on stderr every 2 s while files are written. */
export function filesProgressPrinter(write: (text: string) => void, tty: boolean, now: () => number = Date.now): (p: FilesExportProgress) => void {
  let last = now();
  return (p) => {
    const t = now();
    const done = p.units === p.unitsTotal;
    if (!done && t - last < PROGRESS_EVERY_MS) return;
    last = t;
    const text = `${groupDigits(p.files, '.')}/${groupDigits(p.filesTotal, '.')} tệp, ${p.units}/${p.unitsTotal} đơn vị / ${groupDigits(p.files, ',')}/${groupDigits(p.filesTotal, ',')} files, ${p.units}/${p.unitsTotal} units`;
    write(tty ? `\r${text}\x1b[K${done ? '\n' : ''}` : `${text}\n`);
  };
}

function phaseText(p: ArchivedPhase): string {
  if (!p.submission) return STANDING_LABELS[p.standing].vi;
  const s = p.submission;
  return `v${s.version} ${localDateTime(s.submittedAt)}${s.late ? ' muộn/late' : ''} · ${REVIEW_LABELS[s.review].vi}${s.comment ? ` "${s.comment}"` : ''}`;
}

export function archiveStatusText(s: CycleArchiveStatus): string {
  const lines = [
    `${s.cycleId} (archive / kho lưu trữ): root ${s.rootUnitId}, ${s.unitCount} units, tree as of ${s.treeAsOf}${s.closed ? `, closed ${localDateTime(s.closedAt!)}` : ', not closed'}`,
  ];
  for (const u of [s.unit, ...s.children]) {
    const indent = u === s.unit ? '' : '  ';
    lines.push(`${indent}${u.unitId}`);
    for (const phase of PHASES) lines.push(`${indent}  ${phase.padEnd(7)} ${phaseText(u[phase])}`);
    if (u.aggregate) lines.push(`${indent}  aggregate ${localDateTime(u.aggregate.asOf)}${u.aggregate.final ? ' (final)' : ''}`);
  }
  return lines.join('\n');
}

export function registerDocumentCommands(program: Command): void {
  const cycle = cycleCommand(program);

  cycle
    .command('export')
    .description('write a cycle’s documents from the archive: the aggregate report (DOCX) of a unit, the figures of every unit (XLSX) / xuất báo cáo tổng hợp và bảng số liệu')
    .argument('<cycle>', 'cycle id', cycleArgument)
    .option('--unit <id>', 'the unit whose aggregate report to write (default: the cycle root)')
    .option('--docx <file>', 'write the aggregate report (Word) to this file')
    .option('--xlsx <file>', 'write the figures of every unit (Excel) to this file')
    .option('--files <dir>', 'write every unit’s final attached files into this new or empty folder, a folder per unit')
    .option('--number <n>', 'registration number of the report (default: blank, written in when issued)')
    .option('--place <name>', 'place of the date line (default: read from the unit’s name)')
    .option('--subject <text>', 'second title line (default: "Kết quả thực hiện <the root’s plan> năm <year>")')
    .option('--rebuild', 'rebuild the aggregate from the archive even when one was recorded', false)
    .option('--json', 'machine-readable output')
    .action(async (cycleId: string, opts: ExportOptions) => {
      if (!opts.docx && !opts.xlsx && !opts.files) throw new CliError('Nothing to export: give --docx FILE, --xlsx FILE and/or --files DIR / Chưa chọn nội dung xuất: dùng --docx, --xlsx hoặc --files.');
      const written = await withDatabase(async (db) => {
        const out: Written[] = [];
        if (opts.docx) {
          const status = await cycleArchiveStatus(db, cycleId, opts.unit);
          const unitId = status.unit.unitId;
          const recorded = opts.rebuild ? undefined : await latestAggregate(db, cycleId, unitId);
          const aggregate = recorded?.aggregate ?? aggregateOfSubtree(await loadSubtree(db, { cycleId, unitId }));
          const final = recorded ? recorded.final : status.unit.closed;
          const doc = await buildAggregateDocument(db, { cycleId, unitId, aggregate, final, number: opts.number, place: opts.place, subject: opts.subject });
          const bytes = Buffer.from(doc.contentBase64, 'base64');
          writeFileSync(opts.docx, bytes);
          out.push({ file: opts.docx, bytes: bytes.length, kind: 'docx', unitId, aggregate: { source: recorded ? 'recorded' : 'rebuilt', asOf: aggregate.asOf, final } });
        }
        if (opts.xlsx) {
          const bytes = await buildCycleWorkbook(db, cycleId);
          writeFileSync(opts.xlsx, bytes);
          out.push({ file: opts.xlsx, bytes: bytes.length, kind: 'xlsx' });
        }
        if (opts.files) {
          const { createFileStorage } = await import('../../../activities/files/index.js');
          const storage = createFileStorage(loadConfig().files.store);
          try {
            const result = await exportCycleFiles({ db, storage }, cycleId, opts.files, filesProgressPrinter((t) => process.stderr.write(t), process.stderr.isTTY === true));
            out.push({ file: opts.files, bytes: result.bytes, kind: 'files', files: { files: result.files, units: result.units } });
          } catch (err) {
            if (err instanceof FilesExportError) throw new CliError(err.message, 1, { cause: err });
            throw err;
          } finally {
            await storage.close();
          }
        }
        return out;
      });
      emit(opts, written, () =>
        written
          .map((w) =>
            w.files
              ? `Wrote ${w.files.files} files (${w.bytes} bytes) of ${w.files.units} units into ${w.file}, a folder per unit / đã ghi ${w.files.files} tệp của ${w.files.units} đơn vị`
              : w.aggregate
              ? `Wrote ${w.file} (${w.bytes} bytes): aggregate report of ${w.unitId}, ${w.aggregate.source === 'recorded' ? 'recorded' : 'rebuilt from the archive'} as of ${localDateTime(w.aggregate.asOf)}${w.aggregate.final ? ' (final)' : ''}`
              : `Wrote ${w.file} (${w.bytes} bytes): figures of every unit of ${cycleId}`,
          )
          .join('\n'),
      );
    });

  cycle
    .command('archive')
    .description('a cycle as the archive remembers it (works after Temporal’s retention) / trạng thái chu kỳ theo kho lưu trữ')
    .argument('<cycle>', 'cycle id', cycleArgument)
    .option('--unit <id>', 'one unit and the units directly under it (default: the cycle root)')
    .option('--json', 'machine-readable output')
    .action(async (cycleId: string, opts: { unit?: string; json?: boolean }) => {
      const status = await withDatabase((db) => cycleArchiveStatus(db, cycleId, opts.unit));
      emit(opts, status, () => archiveStatusText(status));
    });
}
