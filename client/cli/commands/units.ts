// `baocao units import|tree|reparent`: the unit directory from the command line.
import { type Command, InvalidArgumentError } from 'commander';
import type { LocalDate } from '../../../activities/calendar/types';
import { parseLocalDate, todayLocal } from '../../../activities/directory/dates';
import { DirectoryImportError, formatRowError } from '../../../activities/directory/errors';
import { writeFile } from 'node:fs/promises';
import type { ImportProgress, ImportResult } from '../../../activities/directory/import';
import { loadConfig } from '../../../common/config';
import { reparent, rootsAsOf, treeAsOf } from '../../../activities/directory/repository';
import type { TreeNode } from '../../../activities/directory/types';
import { CliError, emit } from '../output';
import { withDatabase } from '../resources';
import { groupDigits } from '../../../workflows/text';

/** How often a running import says where it is (stderr); an import done sooner prints nothing. */
const PROGRESS_EVERY_MS = 2_000;

function dateOption(value: string): LocalDate {
  const d = parseLocalDate(value);
  if (!d) throw new InvalidArgumentError('must be a date YYYY-MM-DD (or DD/MM/YYYY) / phải là ngày YYYY-MM-DD');
  return d;
}

const STAGE_TEXT: Record<ImportProgress['stage'], { vi: string; en: string }> = {
  reading: { vi: '', en: '' },
  checking: { vi: '; đang kiểm tra toàn bộ danh bạ', en: '; checking across units' },
  done: { vi: '; xong', en: '; done' },
};

/** Cells of the progress bar: one per 5 % of the file. */
const BAR_CELLS = 20;

/** "[█████░░░░░░░░░░░░░░░]  25 %": the share of the file read, rounded down (100 % only once it all is). */
export function progressBar(fraction: number): string {
  const share = Math.min(1, Math.max(0, fraction));
  const filled = Math.floor(share * BAR_CELLS);
  return `[${'█'.repeat(filled)}${'░'.repeat(BAR_CELLS - filled)}] ${String(Math.floor(share * 100)).padStart(3)} %`;
}

/**
 * "[██████░░░░░░░░░░░░░░]  40 % · 52.000 dòng đã đọc, 51.000 đơn vị đã ghi, 2.600 dòng/giây / 52,000 rows read,
 * 51,000 units written, 2,600 rows/s"
 */
export function progressText(p: ImportProgress, elapsedMs: number): string {
  const rate = Math.round(p.read / Math.max(elapsedMs / 1000, 0.001));
  const vi = (n: number) => groupDigits(n, '.');
  const en = (n: number) => groupDigits(n, ',');
  const stage = STAGE_TEXT[p.stage];
  return (
    `${progressBar(p.fraction)} · ${vi(p.read)} dòng đã đọc, ${vi(p.written)} đơn vị đã ghi, ${vi(rate)} dòng/giây${stage.vi} / ` +
    `${en(p.read)} rows read, ${en(p.written)} units written, ${en(rate)} rows/s${stage.en}`
  );
}

/**
 * A progress line on stderr every few seconds while an import runs (rewritten in place on a terminal); an
 * import done within the first interval prints nothing.
 */
export function progressPrinter(write: (text: string) => void, tty: boolean, now: () => number = Date.now): (p: ImportProgress) => void {
  const started = now();
  let last = started;
  let printed = false;
  return (p) => {
    const t = now();
    const due = t - last >= PROGRESS_EVERY_MS;
    if (p.stage === 'reading' ? !due : p.stage === 'checking' ? !due && !printed : !printed) return;
    last = t;
    printed = true;
    const text = progressText(p, t - started);
    write(tty ? `\r${text}\x1b[K${p.stage === 'done' ? '\n' : ''}` : `${text}\n`);
  };
}

/** One line per default the import applied, or nothing. */
export function defaultsText(result: ImportResult): string[] {
  if (result.defaults.length === 0) return [];
  return [
    `Giá trị mặc định đã dùng: ${result.defaults.map((d) => d.vi).join('; ')}.`,
    `Defaults applied: ${result.defaults.map((d) => d.en).join('; ')}.`,
  ];
}

function treeLine(n: TreeNode, prefix: string): string {
  return `${prefix}${n.unit.id}  ${n.unit.name}  [${n.unit.kind}]  ${n.unit.officer.email}`;
}

/** Box-drawing tree from a depth-first list with depths. */
export function renderTree(nodes: readonly TreeNode[]): string {
  const lines: string[] = [];
  // open[d]: whether the ancestor at depth d still has siblings to come (draw a │ under it)
  const open: boolean[] = [];
  nodes.forEach((n, i) => {
    let last = true;
    for (let j = i + 1; j < nodes.length && nodes[j]!.depth >= n.depth; j++) {
      if (nodes[j]!.depth === n.depth) {
        last = false;
        break;
      }
    }
    const prefix = n.depth === 0 ? '' : open.slice(1, n.depth).map((o) => (o ? '│  ' : '   ')).join('') + (last ? '└─ ' : '├─ ');
    open[n.depth] = !last;
    lines.push(treeLine(n, prefix));
  });
  return lines.join('\n');
}

interface JsonTree {
  id: string;
  name: string;
  kind: string;
  officerEmail: string;
  children: JsonTree[];
}

function nest(nodes: readonly TreeNode[]): JsonTree[] {
  const roots: JsonTree[] = [];
  const path: JsonTree[] = [];
  for (const n of nodes) {
    const item: JsonTree = { id: n.unit.id, name: n.unit.name, kind: n.unit.kind, officerEmail: n.unit.officer.email, children: [] };
    path.length = n.depth;
    (n.depth === 0 ? roots : path[n.depth - 1]!.children).push(item);
    path[n.depth] = item;
  }
  return roots;
}

export function registerUnitsCommands(program: Command): void {
  const units = program.command('units').description('Unit directory — danh bạ đơn vị');

  units
    .command('import')
    .description('Import units from a .csv, .xlsx or .json file (all or nothing) — nhập danh bạ đơn vị')
    .argument('<file>', 'one row per unit: id, name, kind, parent_id, chair_name, chair_email, officer_name, officer_email, … (English or Vietnamese headers)')
    .option(
      '--active-from <date>',
      'active_from of new units whose row has none (default: BAOCAO_UNITS_ACTIVE_FROM, else today in Asia/Ho_Chi_Minh)',
      dateOption,
    )
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { activeFrom?: LocalDate; json?: boolean }) => {
      const activeFrom = opts.activeFrom ?? loadConfig().directory.defaultActiveFrom;
      // loaded here: the file readers (exceljs) cost `units tree` nearly a second
      const { importUnitsFromFile } = await import('../../../activities/directory/import.js');
      await withDatabase(async (db) => {
        try {
          const result = await importUnitsFromFile(db, file, { onProgress: progressPrinter((t) => process.stderr.write(t), process.stderr.isTTY === true), activeFrom });
          emit(opts, result, () =>
            [
              `Đã nhập ${result.total} đơn vị: ${result.created} mới, ${result.updated} cập nhật, ${result.unchanged} không đổi.`,
              `Imported ${result.total} units: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged.`,
              ...defaultsText(result),
            ].join('\n'),
          );
        } catch (err) {
          if (!(err instanceof DirectoryImportError)) throw err;
          if (opts.json) emit(opts, { ok: false, format: err.format, errors: err.errors }, () => '');
          else for (const e of err.errors) process.stderr.write(`${formatRowError(e, err.format)}\n`);
          throw new CliError(
            `${err.errors.length} lỗi, chưa ghi gì vào danh bạ / ${err.errors.length} error(s), nothing was written`,
            1,
            { cause: err },
          );
        }
      });
    });

  units
    .command('template')
    .description('Write the XLSX template of a unit directory (Vietnamese and English header rows) — mẫu danh bạ đơn vị')
    .argument('<file>', 'where to write it, e.g. danh-ba.xlsx')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      if (!/\.xlsx$/i.test(file)) throw new CliError(`"${file}": the template is an Excel file, give a name ending in .xlsx / tên tệp phải có đuôi .xlsx`);
      // exceljs is loaded only by this command (see the import above)
      const { buildUnitTemplate } = await import('../../../activities/directory/template.js');
      const bytes = await buildUnitTemplate();
      await writeFile(file, bytes).catch((cause: unknown) => {
        throw new CliError(`Cannot write ${file} / Không ghi được tệp: ${(cause as Error).message}`, 1, { cause });
      });
      emit(opts, { file, bytes: bytes.length }, () =>
        [
          `Đã ghi mẫu danh bạ vào ${file}: điền từ dòng 3, rồi chạy baocao units import ${file}`,
          `Template written to ${file}: fill it in from row 3, then run baocao units import ${file}`,
        ].join('\n'),
      );
    });

  units
    .command('tree')
    .description('Show the unit tree on a date — cây đơn vị')
    .option('--root <id>', 'the unit at the top (default: every root)')
    .option('--as-of <date>', 'the date the tree is read at (default: today, Asia/Ho_Chi_Minh)', dateOption)
    .option('--json', 'print the tree as JSON')
    .action(async (opts: { root?: string; asOf?: LocalDate; json?: boolean }) => {
      const asOf = opts.asOf ?? todayLocal();
      await withDatabase(async (db) => {
        const rootIds = opts.root ? [opts.root] : (await rootsAsOf(db, asOf)).map((u) => u.id);
        if (rootIds.length === 0) {
          throw new CliError(`Danh bạ chưa có đơn vị gốc nào vào ngày ${asOf} / No root unit on ${asOf}: run baocao units import FILE first.`);
        }
        const trees: TreeNode[][] = [];
        for (const id of rootIds) trees.push(await treeAsOf(db, id, asOf));
        emit(opts, { asOf, roots: trees.flatMap(nest) }, () =>
          [`Cây đơn vị ngày ${asOf} / Unit tree as of ${asOf}`, ...trees.map(renderTree)].join('\n'),
        );
      });
    });

  units
    .command('reparent')
    .description('Move a unit under another parent from a date — chuyển đơn vị sang đơn vị cha khác')
    .argument('<id>', 'the unit to move')
    .requiredOption('--parent <id>', 'its new parent')
    .requiredOption('--from <date>', 'the date the change takes effect (YYYY-MM-DD)', dateOption)
    .option('--json', 'print the result as JSON')
    .action(async (id: string, opts: { parent: string; from: LocalDate; json?: boolean }) => {
      await withDatabase(async (db) => {
        const result = await reparent(db, id, opts.parent, opts.from);
        emit(opts, result, () =>
          [
            `Từ ngày ${result.effectiveFrom}, ${result.unitId} trực thuộc ${result.parentId} (trước đó: ${result.previousParentId ?? '—'}).`,
            `From ${result.effectiveFrom}, ${result.unitId} is under ${result.parentId} (before: ${result.previousParentId ?? '—'}). Cycles already started keep their tree.`,
          ].join('\n'),
        );
      });
    });
}
