// `baocao calendar plan|holidays`: the working-day calendar and the deadline plan of a cycle, in local time.
import { type Command, InvalidArgumentError } from 'commander';
import {
  CYCLE_YEAR_RANGE,
  DEFAULT_REPORT_DUE,
  MAX_DEPTHS,
  REPORT_DUE_PRESETS,
  WEEKDAY_NAMES,
  computeDeadlinePlan,
  formatDateVi,
  formatInstantVi,
  loadCalendar,
  localParts,
  type DeadlinePlan,
  type Escalation,
  type LocalDate,
  type NamedDay,
  type PhaseDeadlines,
  type ReportDuePreset,
} from '../../../activities/calendar';
import { isLocalDate, weekdayOf } from '../../../activities/calendar/dates';
import { openMigratedDatabase } from '../../../activities/db/database';
import { treeDepth } from '../../../activities/directory/repository';
import { loadConfig } from '../../../common/config';
import { CliError, emit } from '../output';

/** Levels assumed without --root: root, intermediate unions, grassroots unions. */
const DEFAULT_CLI_DEPTHS = 3;

function year(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < CYCLE_YEAR_RANGE.min || n > CYCLE_YEAR_RANGE.max) {
    throw new InvalidArgumentError(`must be a year between ${CYCLE_YEAR_RANGE.min} and ${CYCLE_YEAR_RANGE.max}`);
  }
  return n;
}

function depths(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_DEPTHS) throw new InvalidArgumentError(`must be a whole number from 1 to ${MAX_DEPTHS}`);
  return n;
}

function reportDue(value: string): ReportDuePreset | LocalDate {
  if (Object.hasOwn(REPORT_DUE_PRESETS, value) || isLocalDate(value)) return value;
  throw new InvalidArgumentError(`must be ${Object.keys(REPORT_DUE_PRESETS).join(', ')} or a date YYYY-MM-DD`);
}

function localDate(value: string): LocalDate {
  if (!isLocalDate(value)) throw new InvalidArgumentError('must be a date YYYY-MM-DD');
  return value;
}

const todayLocal = (): LocalDate => localParts(new Date().toISOString()).date;

async function depthsOfTree(rootId: string, asOf: LocalDate): Promise<number> {
  const db = await openMigratedDatabase(loadConfig().database);
  try {
    const n = await treeDepth(db, rootId, asOf);
    if (n < 1) throw new CliError(`Unit ${rootId} has no tree on ${asOf} / đơn vị ${rootId} không có cây đơn vị vào ngày ${asOf}.`);
    return n;
  } finally {
    await db.destroy();
  }
}

const TARGET_LABEL: Record<Escalation['target'], string> = {
  parent: 'cấp trên trực tiếp / parent',
  grandparent: 'cấp trên hai cấp / grandparent',
};

function phaseBlock(title: string, p: PhaseDeadlines): string[] {
  const lines = [`  ${title}: hạn / due ${formatInstantVi(p.dueAt)}`];
  lines.push(`    Nhắc hạn / reminders: ${p.reminders.length ? p.reminders.map(formatInstantVi).join('; ') : '—'}`);
  lines.push('    Đôn đốc khi quá hạn / escalations:');
  for (const e of p.escalations) lines.push(`      #${e.round} ${formatInstantVi(e.at)} → ${TARGET_LABEL[e.target]}`);
  return lines;
}

function levelTitle(depth: number, count: number): string {
  if (depth === 0) return 'Cấp 0 — đơn vị gốc / root';
  if (depth === count - 1) return `Cấp ${depth} — cấp thấp nhất (cơ sở) / lowest level`;
  return `Cấp ${depth} / level ${depth}`;
}

export function formatPlan(plan: DeadlinePlan, rootId?: string): string {
  const lines = [
    `Kế hoạch hạn nộp năm ${plan.year}${rootId ? ` — ${rootId}` : ''} / deadline plan ${plan.year}` +
      `${plan.firstYear ? ' (năm đầu chương trình: kế hoạch hạn Quý III / first programme year)' : ''}`,
    `Giờ Việt Nam (${plan.timeZone}); lịch ngày nghỉ / holiday data ${plan.calendarVersion}; ` +
      `mỗi cấp nộp trước cấp trên ${plan.rules.cascadeWorkingDays} ngày làm việc / each level ${plan.rules.cascadeWorkingDays} working days before its parent`,
  ];
  for (const level of plan.levels) {
    lines.push('', levelTitle(level.depth, plan.levels.length));
    lines.push(...phaseBlock('Kế hoạch / plan', level.plan), ...phaseBlock('Báo cáo / report', level.report));
  }
  lines.push('', `Đóng chu kỳ / cycle closes: ${formatInstantVi(plan.closesAt)}`);
  return lines.join('\n');
}

export function formatHolidays(yearValue: number, days: NamedDay[]): string {
  const off = days.filter((d) => d.kind !== 'working-weekend');
  const working = days.filter((d) => d.kind === 'working-weekend');
  const lines = [`Ngày nghỉ năm ${yearValue} (ngoài Thứ Bảy, Chủ nhật thường) / days off in ${yearValue} (besides ordinary weekends)`];
  for (const d of off) lines.push(`  ${formatDateVi(d.date)}  ${d.name.vi} / ${d.name.en}`);
  if (working.length) {
    lines.push('', 'Ngày làm việc bù (cuối tuần đi làm) / working weekend days');
    for (const d of working) lines.push(`  ${formatDateVi(d.date)}  ${d.name.vi} / ${d.name.en}`);
  }
  return lines.join('\n');
}

export function registerCalendarCommands(program: Command): void {
  const calendar = program.command('calendar').description('Lịch làm việc và hạn nộp — working-day calendar and deadline plans (Asia/Ho_Chi_Minh)');

  calendar
    .command('plan')
    .description('Hạn nộp kế hoạch, báo cáo, nhắc hạn và đôn đốc của từng cấp — deadlines, reminders and escalations per level')
    .requiredOption('--year <year>', 'year of the cycle', year)
    .option('--root <id>', 'root unit: the number of levels comes from the unit directory')
    .option('--as-of <date>', 'date of the unit tree used with --root (default: today)', localDate)
    .option('--depths <n>', `number of levels without --root (default ${DEFAULT_CLI_DEPTHS})`, depths)
    .option('--first-year', 'first year of a multi-year programme: plans due at the end of Q3')
    .option('--report-due <when>', `${Object.keys(REPORT_DUE_PRESETS).join(' | ')} | YYYY-MM-DD (default ${DEFAULT_REPORT_DUE})`, reportDue)
    .option('--json', 'print the DeadlinePlan as JSON')
    .action(
      async (opts: { year: number; root?: string; asOf?: LocalDate; depths?: number; firstYear?: boolean; reportDue?: string; json?: boolean }) => {
        if (opts.root !== undefined && opts.depths !== undefined) throw new CliError('Use either --root or --depths, not both.', 2);
        const levels = opts.root !== undefined ? await depthsOfTree(opts.root, opts.asOf ?? todayLocal()) : (opts.depths ?? DEFAULT_CLI_DEPTHS);
        const cal = await loadCalendar(loadConfig().holidaysFile);
        const plan = computeDeadlinePlan(cal, { year: opts.year, firstYear: opts.firstYear ?? false, depths: levels, reportDue: opts.reportDue });
        emit(opts, plan, () => formatPlan(plan, opts.root));
      },
    );

  calendar
    .command('holidays')
    .description('Các ngày nghỉ lễ, Tết, nghỉ bù và ngày làm bù trong năm — holidays, closures and swapped working days')
    .requiredOption('--year <year>', 'calendar year', year)
    .option('--json', 'print the days as JSON')
    .action(async (opts: { year: number; json?: boolean }) => {
      const cal = await loadCalendar(loadConfig().holidaysFile);
      const days = cal.namedDays(opts.year);
      const data = {
        year: opts.year,
        calendarVersion: cal.version,
        announced: cal.announcedYears.includes(opts.year),
        days: days.map((d) => ({ ...d, weekday: WEEKDAY_NAMES.vi[weekdayOf(d.date) - 1] })),
      };
      emit(opts, data, () =>
        [
          formatHolidays(opts.year, days),
          data.announced ? '' : `\n(Năm ${opts.year} chưa có thông báo trong tệp dữ liệu: chỉ áp dụng luật / no announcement on file: statutory rules only)`,
        ].join(''),
      );
    });
}
