// `baocao programme create|status|delete`: multi-year programmes whose yearly cycles a Temporal Schedule starts.
import { type Command, InvalidArgumentError } from 'commander';
import { DateTime } from 'luxon';
import { TIME_ZONE } from '../../../activities/calendar/constants';
import { loadConfig } from '../../../common/config';
import type { ProgrammeSettingsInput, ProgrammeYear } from '../../../workflows/programme';
import { createProgramme, deleteProgramme, describeProgramme, ProgrammeRequestError, resolveProgrammeCampaign, type ProgrammeStatus } from '../../programmes';
import type { ProgrammeCampaign } from '../../../workflows/programme';
import { emit } from '../output';
import { withDatabase, withTemporal } from '../resources';

const local = (iso: string) => DateTime.fromISO(iso).setZone(TIME_ZONE).toFormat('dd/MM/yyyy HH:mm');

function year(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1000 || n > 9999) throw new InvalidArgumentError('not a year (YYYY)');
  return n;
}

/** `--start 2026=2026-09-05`, repeatable: the start date of one year. */
function startDate(value: string, previous: Record<string, string>): Record<string, string> {
  const m = /^(\d{4})=(\d{4}-\d{2}-\d{2})$/.exec(value);
  if (!m) throw new InvalidArgumentError('expected YEAR=YYYY-MM-DD, e.g. 2026=2026-09-05');
  return { ...previous, [m[1]!]: m[2]! };
}

function yearLine(y: ProgrammeYear, campaign: ProgrammeCampaign | null): string {
  // a campaign's deadlines are its phases' rules: `baocao campaign show` lists them
  if (campaign) return `  ${y.year}  starts ${local(y.startsAt)} · ${campaign.id} v${campaign.version}${y.firstYear ? ' (first year / năm đầu)' : ''} · ${y.reviewTitle}`;
  const plans = y.firstYear ? 'plans by end of Q3 / KH trong Quý III' : 'plans by end of Q1 / KH trong Quý I';
  return `  ${y.year}  starts ${local(y.startsAt)} · ${plans} · ${y.reviewTitle} · report due ${y.reportDue}`;
}

function statusText(s: ProgrammeStatus): string {
  const lines = [
    `${s.programmeId} — ${s.rootUnitId}, ${s.firstYear}–${s.lastYear}${s.campaign ? ` · campaign ${s.campaign.id} v${s.campaign.version}` : ''}${s.title ? ` · ${s.title}` : ''}${s.paused ? ' (PAUSED)' : ''}`,
    s.nextRunAt ? `  next: ${s.nextRunYear ?? '?'} on ${local(s.nextRunAt)}` : '  no further year to start / đã khởi động đủ các năm',
  ];
  for (const y of s.years) {
    const cycle = y.cycle ? `${y.cycleId} ${y.cycle.status.toLowerCase()}${y.cycle.byProgramme ? '' : ' (started by hand)'}` : `${y.cycleId} not started / chưa khởi động`;
    lines.push(yearLine(y, s.campaign), `        cycle: ${cycle}`);
  }
  return lines.join('\n');
}

export function registerProgrammeCommands(program: Command): void {
  const programme = program.command('programme').description('multi-year programmes: each year’s cycle started on its date / chương trình nhiều năm');

  programme
    .command('create')
    .description('create a programme: a schedule that starts each year’s cycle (first year: plans due end of Q3)')
    .requiredOption('--root <id>', 'root unit id')
    .requiredOption('--from <year>', 'first year', year)
    .requiredOption('--to <year>', 'last year (the programme’s review, e.g. the 5-year review)', year)
    .option('--title <text>', 'name of the programme, e.g. "Kế hoạch thực hiện Kết luận 01-KL/TW giai đoạn 2026–2030"')
    .option('--start <year=date>', 'start date of one year (default 2 January), e.g. 2026=2026-09-05; repeatable', startDate, {})
    .option('--start-time <HH:mm>', 'local time each year’s cycle starts (default 08:00)')
    .option('--first-report-due <when>', 'first year: annual | may-review (default annual: plans come in Q3)')
    .option('--report-due <when>', 'middle years, the interim review: may-review | annual (default may-review)')
    .option('--final-report-due <when>', 'last year, the programme review: annual | may-review | YYYY-MM-DD (default annual)')
    .option('--campaign <slug[@version]>', 'each year starts a cycle of this campaign (default: the built-in yearly cycle); its version is fixed now — the latest unless @VERSION')
    .option('--catch-up', 'if the current year’s start has passed already, start its cycle now', false)
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        root: string;
        from: number;
        to: number;
        title?: string;
        start: Record<string, string>;
        startTime?: string;
        firstReportDue?: string;
        reportDue?: string;
        finalReportDue?: string;
        campaign?: string;
        catchUp: boolean;
        json?: boolean;
      }) => {
        const config = loadConfig();
        if (opts.campaign !== undefined && (opts.firstReportDue ?? opts.reportDue ?? opts.finalReportDue) !== undefined)
          throw new ProgrammeRequestError(
            "--first-report-due, --report-due and --final-report-due apply to the built-in yearly cycle only: a campaign's deadlines are its phases' rules / các hạn nộp báo cáo này chỉ dùng cho chu kỳ năm mặc định.",
          );
        const created = await withDatabase(async (db) => {
          const campaign = opts.campaign !== undefined ? await resolveProgrammeCampaign(db, opts.campaign) : undefined;
          const settings = {
            rootUnitId: opts.root,
            firstYear: opts.from,
            lastYear: opts.to,
            title: opts.title,
            startTime: opts.startTime,
            reportDue: { firstYear: opts.firstReportDue, yearly: opts.reportDue, final: opts.finalReportDue },
            ...(campaign ? { campaign } : {}),
            years: Object.fromEntries(Object.entries(opts.start).map(([y, date]) => [y, { startDate: date }])),
          } as ProgrammeSettingsInput; // the strings are checked by the programme's zod schema
          return withTemporal((client, taskQueue) => createProgramme(client, taskQueue, settings, { db, holidaysFile: config.holidaysFile, catchUp: opts.catchUp }));
        });
        emit(opts, created, () => {
          const what = created.campaign ? `cycles of ${created.campaign.id} v${created.campaign.version}` : 'yearly cycles';
          const lines = [`Created ${created.programmeId}: ${created.years.length} ${what} at ${opts.root}, started on their dates by a Temporal Schedule.`];
          lines.push(...created.years.map((y) => yearLine(y, created.campaign)));
          if (created.caughtUp) lines.push(`The ${created.caughtUp} cycle starts now (catch-up).`);
          if (created.missed) {
            const y = created.years.find((x) => x.year === created.missed)!;
            lines.push(
              `The ${y.year} start (${local(y.startsAt)}) had passed: its cycle was not started. Start it by hand ` +
                `(baocao cycle start --year ${y.year} --root ${opts.root}${y.firstYear ? ' --first-year' : ''}${created.campaign ? ` --campaign ${created.campaign.id}@${created.campaign.version}` : ` --report-due ${y.reportDue}`}) or recreate with --catch-up.`,
            );
          }
          if (created.nextRunAt) lines.push(`Next start: ${local(created.nextRunAt)}.`);
          lines.push(`Follow it with: baocao programme status ${created.programmeId}`);
          return lines.join('\n');
        });
      },
    );

  programme
    .command('status <id>')
    .description('the years of a programme, their cycles, the next start')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { json?: boolean }) => {
      const status = await withTemporal((client) => describeProgramme(client, id));
      emit(opts, status, () => statusText(status));
    });

  programme
    .command('delete <id>')
    .description('delete a programme: no further year starts (cycles already started keep running)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { json?: boolean }) => {
      const deleted = await withTemporal((client) => deleteProgramme(client, id));
      emit(opts, deleted, () =>
        [
          `Deleted ${deleted.programmeId}: no further year will start.`,
          ...(deleted.runningCycles.length ? [`Still running (not affected): ${deleted.runningCycles.join(', ')}`] : []),
        ].join('\n'),
      );
    });
}
