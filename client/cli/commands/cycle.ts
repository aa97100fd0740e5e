// `baocao cycle …`, `submit`, `review`, `extend`, `overdue`: the cycle commands of the CLI.
import { readFileSync } from 'node:fs';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { type Command, InvalidArgumentError } from 'commander';
import { DateTime } from 'luxon';
import { TIME_ZONE } from '../../../activities/calendar/constants';
import { cycleArchiveStatus } from '../../../activities/archive/status';
import { listBounces, listUndelivered } from '../../../activities/mail/outbox';
import { archiveStatusText } from './documents';
import type { Aggregate } from '../../../workflows/aggregate-types';
import { parseCycleId } from '../../../workflows/ids';
import type { PhaseView, UnitStatus } from '../../../workflows/messages';
import { PHASES, type Phase } from '../../../workflows/report';
import type { Timeline } from '../../../activities/calendar/types';
import {
  cycleAggregate,
  CycleRequestError,
  cyclePlan,
  cycleStatus,
  planDeadlineTimes,
  withWallTimes,
  type PlanDeadlineTimes,
  extend,
  listOverdue,
  remind,
  review,
  startCycle,
  submit,
  unitStatus,
  versionAwaitingReview,
} from '../../cycles';
import { cycleHealth, cycleHealthText } from '../../cycle-health';
import { CliError, emit } from '../output';
import { withDatabase, withTemporal } from '../resources';
import { loadConfig } from '../../../common/config';
import { CampaignStartError, campaignExtend, campaignPhaseOf, campaignRemind, campaignReview, campaignSubmit, campaignUnitStatus, isCampaignCycle, parseCampaignRef, startCampaignCycle, usesCampaignWorkflows, type CampaignStartField } from '../../campaign-cycles';
import { campaignReport, campaignStatusReport, realTime, wallClock } from './campaign-cycle';

async function workflowExists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** the time limit of the commands that run updates (BAOCAO_UPDATE_TIMEOUT) */
const updateOptions = () => ({ timeoutMs: loadConfig().updateTimeoutMs });

const local = (iso: string) => DateTime.fromISO(iso).setZone(TIME_ZONE).toFormat('dd/MM/yyyy HH:mm');
const REAL: Timeline = { kind: 'real' };

function deadlinesText(d: PlanDeadlineTimes): string[] {
  const lines = [
    d.rehearsal
      ? 'Deadlines: calendar date → the real time it falls at in this rehearsal (Asia/Ho_Chi_Minh) / Hạn nộp: ngày theo lịch → giờ thực trong diễn tập'
      : 'Deadlines / Hạn nộp:',
  ];
  const one = (t: { dueAt: string; wallAt: string }) => `${local(t.dueAt)}${d.rehearsal ? ` → ${wallClock(t.wallAt)}` : ''}`;
  for (const l of d.levels) lines.push(`  level ${l.depth}  plan ${one(l.plan)}  ·  report ${one(l.report)}`);
  lines.push(`  closes   ${one({ dueAt: d.closesAt.at, wallAt: d.closesAt.wallAt })}`);
  return lines;
}

/** The option of `cycle start` each field of a campaign start request comes from. */
const START_OPTION: Record<CampaignStartField, string> = { campaign: '--campaign', year: '--year', rootUnitId: '--root', rehearsalMinutes: '--rehearsal' };

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('not a whole number');
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError('must be a positive number of minutes / phải là số phút lớn hơn 0');
  return n;
}

function phaseLine(name: string, p: PhaseView, timeline: Timeline): string {
  const progress = p.progress;
  const state =
    progress.kind === 'open'
      ? p.overdue
        ? 'OVERDUE / quá hạn'
        : 'not submitted / chưa nộp'
      : `${progress.kind} v${progress.version}${progress.late ? ' (late / nộp muộn)' : ''}${progress.kind === 'returned' ? ` — "${progress.comment}"` : ''}`;
  return `  ${name.padEnd(7)} due ${local(p.deadlines.dueAt)}${realTime(p.deadlines.dueAt, timeline)}${p.extended ? ' (extended)' : ''} · ${state} · reminders ${p.remindersSent}`;
}

function rateText(rate: number | null) {
  return rate === null ? '—' : `${rate}%`;
}

export function aggregateText(a: Aggregate): string {
  const lines = [`Aggregate of ${a.unitId} (${a.cycleId}) as of ${local(a.asOf)}`];
  for (const phase of PHASES) {
    const r = a.below[phase];
    lines.push(
      `  ${phase.padEnd(7)} expected ${r.expected} · on time ${r.submittedOnTime.total} · late ${r.submittedLate.total} · not submitted ${r.notSubmitted.total} (overdue ${r.overdue.total}) · completeness ${rateText(a.rates[phase].completeness)} · timeliness ${rateText(a.rates[phase].timeliness)}`,
    );
    if (r.submittedLate.total) lines.push(`           late: ${r.submittedLate.ids.join(', ')}`);
    if (r.notSubmitted.total) lines.push(`           missing: ${r.notSubmitted.ids.join(', ')}`);
  }
  const f = a.totalFigures;
  lines.push(`  figures  study classes ${f.studyClasses} · participants ${f.participants} · exemplary models ${f.exemplaryModels} · exemplary people ${f.exemplaryPeople}`);
  lines.push(`  commendation proposals ${a.below.commendations.total}`);
  return lines.join('\n');
}

function unitText(s: UnitStatus, timeline: Timeline): string {
  const lines = [
    `${s.unitId} in ${s.cycleId}${s.closed ? ' (closed)' : ''} — as of ${local(s.asOf)}`,
    phaseLine('plan', s.plan, timeline),
    phaseLine('report', s.report, timeline),
  ];
  if (s.bounces) lines.push(`  email bounces: ${s.bounces}`);
  if (s.children.length) {
    lines.push(`  units below (${s.children.length}):`);
    for (const c of s.children) {
      const mark = (p: Phase) => {
        const v = c[p];
        return v.progress === 'open' ? (v.overdue ? 'OVERDUE' : 'open') : `${v.progress}${v.late ? ' late' : ''}`;
      };
      lines.push(`    ${c.unitId.padEnd(16)} plan ${mark('plan').padEnd(16)} report ${mark('report')}`);
    }
  }
  lines.push(aggregateText(s.aggregate));
  return lines.join('\n');
}

export function registerCycleCommands(program: Command): void {
  const cycle = program.command('cycle').description('start and follow reporting cycles / chu kỳ báo cáo');

  cycle
    .command('start')
    .description('start the yearly cycle at a root unit')
    .requiredOption('--year <year>', 'the cycle year', integer)
    .requiredOption('--root <id>', 'root unit id')
    .option('--first-year', 'first year of a multi-year programme (plans due end of Q3)', false)
    .option('--report-due <when>', 'may-review | annual | YYYY-MM-DD')
    .option('--rehearsal <minutes>', 'compress the whole calendar (every phase of a campaign) into this many minutes', positive)
    .option('--campaign <slug[@version]>', 'a campaign of the store (default: the built-in yearly plan and report, today\'s cycle); the latest version unless @VERSION')
    .option('--json', 'machine-readable output')
    .action(async (opts: { year: number; root: string; firstYear: boolean; reportDue?: string; rehearsal?: number; campaign?: string; json?: boolean }) => {
      if (opts.campaign !== undefined && usesCampaignWorkflows(parseCampaignRef(opts.campaign).campaignId)) {
        if (opts.reportDue !== undefined)
          throw new CliError('--report-due applies to the built-in yearly cycle only: a campaign\'s deadlines are its phases\' rules / --report-due chỉ dùng cho chu kỳ năm mặc định.');
        const request = { year: opts.year, rootUnitId: opts.root, firstYear: opts.firstYear, campaign: opts.campaign, ...(opts.rehearsal !== undefined ? { rehearsalMinutes: opts.rehearsal } : {}) };
        const begun = await withDatabase((db) => withTemporal((client, taskQueue) => startCampaignCycle(client, taskQueue, db, request, { holidaysFile: loadConfig().holidaysFile }))).catch((err: unknown) => {
          // a refusal names the option it is about
          if (err instanceof CampaignStartError) throw new CliError(`${START_OPTION[err.field]}: ${err.message}`, 1, { cause: err });
          throw err;
        });
        emit(opts, begun, () => `Started ${begun.cycleId} (${begun.campaignId} v${begun.version}${opts.rehearsal ? `, rehearsal in ${opts.rehearsal} min` : ''}). Follow it with: baocao cycle status ${begun.cycleId}`);
        return;
      }
      const started = await withDatabase((db) =>
        withTemporal((client, taskQueue) =>
          startCycle(
            client,
            taskQueue,
            { year: opts.year, rootUnitId: opts.root, firstYear: opts.firstYear, reportDue: opts.reportDue, rehearsalMinutes: opts.rehearsal },
            { db, holidaysFile: loadConfig().holidaysFile },
          ),
        ),
      );
      emit(opts, started, () => `Started ${started.cycleId}${opts.rehearsal ? ` (rehearsal in ${opts.rehearsal} min)` : ''}. Follow it with: baocao cycle status ${started.cycleId}`);
    });

  cycle
    .command('status <cycle>')
    .description('where a cycle stands, or one unit of it')
    .option('--unit <id>', 'one unit')
    .option('--json', 'machine-readable output')
    .action(async (cycleId: string, opts: { unit?: string; json?: boolean }) => {
      // A cycle whose histories Temporal has deleted (retention) is still known to the archive.
      const fromArchive = async () => {
        const archived = await withDatabase((db) => cycleArchiveStatus(db, cycleId, opts.unit));
        emit(opts, { source: 'archive', ...archived }, () => `(from the archive / theo dữ liệu lưu trữ)\n${archiveStatusText(archived)}`);
      };
      await withTemporal(async (client) => {
        if (!(await workflowExists(client, cycleId))) return fromArchive();
        if (isCampaignCycle(cycleId)) {
          const { json, text } = await withDatabase((db) => campaignStatusReport(client, db, cycleId, opts.unit));
          emit(opts, json, () => text);
          return;
        }
        // the plan's timeline says when each calendar deadline really falls (wallAt); null while the cycle starts
        const plan = await cyclePlan(client, cycleId);
        const timeline = plan?.timeline ?? REAL;
        if (opts.unit) {
          const [status, health] = await Promise.all([unitStatus(client, cycleId, opts.unit), cycleHealth(client, cycleId)]);
          emit(opts, { ...withWallTimes(status, timeline), health }, () => [...cycleHealthText(health), unitText(status, timeline)].join('\n'));
          return;
        }
        const status = await cycleStatus(client, cycleId);
        const root = status.phase === 'starting' ? null : await unitStatus(client, cycleId, status.rootUnitId);
        const deadlines = plan ? planDeadlineTimes(plan) : null;
        const [bounces, undelivered] = await withDatabase((db) => Promise.all([listBounces(db, cycleId), listUndelivered(db, cycleId)]));
        const undeliverable = undelivered.filter((u) => u.status === 'undeliverable');
        const dropped = undelivered.filter((u) => u.status === 'dropped');
        const health = await cycleHealth(client, cycleId);
        emit(opts, { ...status, deadlines, rootStatus: root && withWallTimes(root, timeline), bounces, undeliverable, dropped, health }, () =>
          [
            `${cycleId}: ${status.phase}${status.rehearsal ? ' (rehearsal)' : ''}`,
            ...cycleHealthText(health),
            ...(deadlines ? deadlinesText(deadlines) : []),
            root ? unitText(root, timeline) : 'starting…',
            ...(bounces.length ? ['Email refused for good (fix the address in the directory) / Email bị từ chối:'] : []),
            ...bounces.map((b) => `  ${b.unitId.padEnd(16)} ${b.email} — ${b.reason} (${local(b.at)})`),
            ...(undeliverable.length ? ['Email undeliverable: still deferred when the retry window ended / Thư không gửi được:'] : []),
            ...undeliverable.map((u) => `  ${u.unitId.padEnd(16)} ${u.recipients.join(', ')} — «${u.subject}» — ${u.reason} (${local(u.at)})`),
            ...(dropped.length ? ['Email not sent, out of date after a mail outage / Thư đã lỗi thời, không gửi:'] : []),
            ...dropped.map((u) => `  ${u.unitId.padEnd(16)} ${u.purpose} «${u.subject}» — ${u.reason} (${local(u.at)})`),
          ].join('\n'),
        );
      });
    });

  cycle
    .command('report <cycle>')
    .description('the aggregate of the root, or of one unit')
    .option('--unit <id>', 'one unit')
    .option('--json', 'machine-readable output')
    .action(async (cycleId: string, opts: { unit?: string; json?: boolean }) => {
      if (isCampaignCycle(cycleId)) {
        const { json, text } = await withDatabase((db) => withTemporal((client) => campaignReport(client, db, cycleId, opts.unit)));
        emit(opts, json, () => text);
        return;
      }
      // a dead workflow's last state reads like a live one: say which are dead before any figure
      const [aggregate, health] = await withTemporal((client) => Promise.all([cycleAggregate(client, cycleId, opts.unit), cycleHealth(client, cycleId)]));
      emit(opts, { ...aggregate, health }, () => [...cycleHealthText(health), aggregateText(aggregate)].join('\n'));
    });

  cycle
    .command('remind <cycle>')
    .description('remind now: each unit gets a reminder email (an overdue notice past its deadline), at most one an hour per unit and phase')
    .option('--units <ids>', 'comma-separated unit ids')
    .option('--overdue', 'every overdue unit of the cycle (or under --supervisor; needs a server with visibility: npm start)')
    .option('--supervisor <id>', 'with --overdue: only the overdue units directly below this unit')
    .option('--phase <phase>', 'plan | report, or a campaign cycle\'s phase key (default: the phase each unit is on)')
    .option('--by <id>', 'the supervising unit or the secretariat (default: the cycle root)')
    .option('--requested-by <name>', 'who asks (audit log)')
    .option('--json', 'machine-readable output')
    .action(async (cycleId: string, opts: { units?: string; overdue?: boolean; supervisor?: string; phase?: string; by?: string; requestedBy?: string; json?: boolean }) => {
      if (!!opts.overdue === (opts.units !== undefined)) throw new CliError('Give exactly one of --units A,B,… or --overdue / Chọn --units hoặc --overdue.');
      const campaign = isCampaignCycle(cycleId);
      if (!campaign && opts.phase !== undefined && opts.phase !== 'plan' && opts.phase !== 'report') throw new CliError('--phase must be plan or report (a phase key only for a cycle of a campaign) / --phase phải là plan hoặc report.');
      const root = parseCycleId(cycleId)?.rootId;
      if (!root) throw new CliError(`"${cycleId}" is not a cycle id (cycle-<year>-<root>).`);
      const results = await withTemporal(async (client) => {
        const units = opts.overdue
          ? [...new Set((await listOverdue(client, { cycleId, supervisorUnitId: opts.supervisor })).map((u) => u.unitId))].sort()
          : [...new Set(opts.units!.split(',').map((u) => u.trim()).filter(Boolean))];
        if (units.length === 0 && !opts.overdue) throw new CliError('--units lists no unit id.');
        const out: ({ unitId: string; ok: true; phase: string; reminderNumber: number; email: string } | { unitId: string; ok: false; problem: string })[] = [];
        // one at a time, each through its unit's workflow: a refusal is that unit's result, never the end of the run
        for (const unitId of units) {
          try {
            const request = { byUnitId: opts.by ?? root, channel: 'cli' as const, requestedBy: opts.requestedBy ?? '' };
            const r = campaign
              ? await campaignRemind(client, cycleId, unitId, { ...request, ...(opts.phase ? { phase: opts.phase } : {}) }, updateOptions())
              : await remind(client, cycleId, unitId, { ...request, ...(opts.phase ? { phase: opts.phase as Phase } : {}) }, updateOptions());
            out.push({ unitId, ok: true, phase: r.phase, reminderNumber: r.reminderNumber, email: r.email });
          } catch (err) {
            if (!(err instanceof CycleRequestError)) throw err;
            out.push({ unitId, ok: false, problem: err.message });
          }
          if (!opts.json && units.length > 1) process.stderr.write(`[${out.length}/${units.length}] ${unitId}\n`);
        }
        return out;
      });
      const refused = results.filter((r) => !r.ok).length;
      emit(opts, results, () =>
        results.length === 0
          ? 'No overdue units / Không có đơn vị quá hạn.'
          : [
              ...results.map((r) =>
                r.ok
                  ? `${r.unitId}: reminded (${r.phase}, ${r.email === 'reminder' ? `reminder no. ${r.reminderNumber}` : 'overdue notice'}) / đã nhắc`
                  : `${r.unitId}: refused / không nhắc — ${r.problem}`,
              ),
              `${results.length - refused} reminded, ${refused} refused / ${results.length - refused} đã nhắc, ${refused} không nhắc.`,
            ].join('\n'),
      );
      if (refused > 0) process.exitCode = 1;
    });

  program
    .command('submit')
    .description('submit a plan or a report (or a campaign phase: --phase KEY) from a JSON file')
    .argument('[phase]', 'plan | report (a cycle of a campaign: use --phase)')
    .option('--phase <key>', 'the phase of a campaign cycle, e.g. q1')
    .requiredOption('--cycle <id>', 'cycle id')
    .requiredOption('--unit <id>', 'unit id')
    .requiredOption('--file <file>', 'JSON file with the content')
    .option('--attach <files...>', 'attach these files (the signed PDF, DOCX, XLSX, JPEG, PNG: the checks and limits of the web’s uploads)')
    .option('--key <key>', 'idempotency key (default: derived from the content)')
    .option('--by <name>', 'who submits (audit log)')
    .option('--json', 'machine-readable output')
    .action(async (positional: string | undefined, opts: { cycle: string; unit: string; file: string; phase?: string; attach?: string[]; key?: string; by?: string; json?: boolean }) => {
      if (positional !== undefined && opts.phase !== undefined && positional !== opts.phase) throw new CliError(`Give the phase once: "${positional}" or --phase ${opts.phase}.`);
      const phase = opts.phase ?? positional;
      if (phase === undefined) throw new CliError('submit what? give the phase: "submit plan", "submit report", or --phase KEY for a campaign cycle.');
      let content: unknown;
      try {
        content = JSON.parse(readFileSync(opts.file, 'utf8'));
      } catch (err) {
        throw new CliError(`Cannot read ${opts.file} as JSON: ${(err as Error).message}`, 1, { cause: err });
      }
      if (isCampaignCycle(opts.cycle)) {
        const done = await withDatabase((db) =>
          withTemporal(async (client) => {
            if (opts.attach?.length) {
              // an unknown phase is refused before anything is uploaded
              await campaignPhaseOf(client, db, opts.cycle, opts.unit, phase);
              const { withLocalFiles } = await import('../attach.js');
              content = await withLocalFiles(db, loadConfig(), { cycleId: opts.cycle, unitId: opts.unit, phase }, content, opts.attach);
            }
            return campaignSubmit(client, db, { cycleId: opts.cycle, unitId: opts.unit, phase, content, channel: 'cli', submittedBy: opts.by, idempotencyKey: opts.key }, updateOptions());
          }),
        );
        emit(opts, done, () =>
          done.duplicate
            ? `Already submitted: ${phase} v${done.version} of ${done.unitId} (same content) — nothing new stored.`
            : `Submitted ${phase} v${done.version} of ${done.unitId} at ${local(done.submittedAt)}${done.late ? ' — LATE / nộp muộn' : ''}.`,
        );
        return;
      }
      if (phase !== 'plan' && phase !== 'report') throw new CliError(`submit what? "${phase}" — use "submit plan" or "submit report" (--phase KEY is for a cycle of a campaign).`);
      if (opts.attach?.length) {
        const attach = opts.attach;
        const before = content;
        const { withLocalFiles } = await import('../attach.js');
        content = await withDatabase((db) => withLocalFiles(db, loadConfig(), { cycleId: opts.cycle, unitId: opts.unit, phase }, before, attach));
      }
      const receipt = await withTemporal((client) =>
        submit(client, { cycleId: opts.cycle, unitId: opts.unit, phase, content, channel: 'cli', submittedBy: opts.by, idempotencyKey: opts.key }, updateOptions()),
      );
      emit(opts, receipt, () =>
        receipt.duplicate
          ? `Already submitted: ${phase} v${receipt.version} of ${receipt.unitId} (same content) — nothing new stored.`
          : `Submitted ${phase} v${receipt.version} of ${receipt.unitId} at ${local(receipt.submittedAt)}${receipt.late ? ' — LATE / nộp muộn' : ''}.`,
      );
    });

  program
    .command('review')
    .description('accept a submission, or return it for revision with a comment')
    .requiredOption('--cycle <id>', 'cycle id')
    .requiredOption('--unit <id>', 'the unit whose submission is reviewed')
    .requiredOption('--by <id>', 'the reviewing (supervising) unit id')
    .option('--phase <phase>', 'plan | report, or a campaign cycle\'s phase key', 'report')
    .option('--version <n>', 'the version you read (required: a newer one is not decided by mistake)')
    .option('--accept', 'accept it')
    .option('--return <comment>', 'return it for revision with this comment')
    .option('--json', 'machine-readable output')
    .action(async (opts: { cycle: string; unit: string; by: string; phase: string; version?: string; accept?: boolean; return?: string; json?: boolean }) => {
      if (!!opts.accept === (opts.return !== undefined)) throw new CliError('Give exactly one of --accept or --return "comment".');
      if (isCampaignCycle(opts.cycle)) {
        const key = opts.phase;
        const decided = await withTemporal(async (client) => {
          const awaiting = (await campaignUnitStatus(client, opts.cycle, opts.unit)).phases.find((p) => p.key === key)?.progress;
          if (opts.version === undefined)
            throw new CliError(
              awaiting?.kind === 'submitted'
                ? `Version ${awaiting.version} of the ${key} of ${opts.unit} awaits review: read it, then run again with --version ${awaiting.version} / Phiên bản ${awaiting.version} đang chờ xem xét.`
                : `No ${key} of ${opts.unit} awaits review (give the campaign phase with --phase KEY) / Không có bài nộp chờ xem xét.`,
            );
          return campaignReview(client, opts.cycle, opts.unit, { decision: opts.accept ? 'accept' : 'return', reviewerUnitId: opts.by, phase: key, version: Number(opts.version), channel: 'cli', comment: opts.return ?? '' }, updateOptions());
        });
        emit(opts, decided, () => `${decided.phase} v${decided.version} of ${decided.unitId}: ${decided.decision}.`);
        return;
      }
      if (opts.phase !== 'plan' && opts.phase !== 'report') throw new CliError('--phase must be plan or report.');
      const phase = opts.phase as Phase;
      if (opts.version !== undefined && !/^[1-9]\d*$/.test(opts.version)) throw new CliError(`--version must be a version number like 1 or 2, not "${opts.version}".`);
      const receipt = await withTemporal(async (client) => {
        if (opts.version === undefined) {
          const awaiting = await versionAwaitingReview(client, opts.cycle, opts.unit, phase);
          throw new CliError(
            awaiting === undefined
              ? `No ${phase} of ${opts.unit} awaits review / Không có ${phase === 'plan' ? 'kế hoạch' : 'báo cáo'} chờ xem xét.`
              : `Version ${awaiting} of the ${phase} of ${opts.unit} awaits review: read it, then run again with --version ${awaiting} / Phiên bản ${awaiting} đang chờ xem xét: hãy đọc rồi chạy lại với --version ${awaiting}.`,
          );
        }
        return review(client, opts.cycle, opts.unit, {
          decision: opts.accept ? 'accept' : 'return',
          reviewerUnitId: opts.by,
          phase,
          version: Number(opts.version),
          channel: 'cli',
          comment: opts.return ?? '',
        }, updateOptions());
      });
      emit(opts, receipt, () => `${receipt.phase} v${receipt.version} of ${receipt.unitId}: ${receipt.decision}.`);
    });

  program
    .command('extend')
    .description('move a unit’s deadline (its reminders and escalations move with it)')
    .requiredOption('--cycle <id>', 'cycle id')
    .requiredOption('--unit <id>', 'unit id')
    .requiredOption('--phase <phase>', 'plan | report, or a campaign cycle\'s phase key')
    .requiredOption('--until <date>', 'new deadline, YYYY-MM-DD (rolled to a working day)')
    .option('--by <id>', 'the supervising unit or the secretariat (default: the cycle root)')
    .option('--reason <text>', 'why (audit log)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { cycle: string; unit: string; phase: string; until: string; by?: string; reason?: string; json?: boolean }) => {
      const root = parseCycleId(opts.cycle)?.rootId;
      if (!root) throw new CliError(`"${opts.cycle}" is not a cycle id (cycle-<year>-<root>).`);
      if (isCampaignCycle(opts.cycle)) {
        const moved = await withTemporal((client) =>
          campaignExtend(client, opts.cycle, opts.unit, { byUnitId: opts.by ?? root, phase: opts.phase, until: opts.until, channel: 'cli', reason: opts.reason ?? '' }, updateOptions()),
        );
        emit(opts, moved, () => `${moved.phase} of ${moved.unitId} now due ${local(moved.deadlines.dueAt)}.`);
        return;
      }
      if (opts.phase !== 'plan' && opts.phase !== 'report') throw new CliError('--phase must be plan or report.');
      const receipt = await withTemporal((client) =>
        extend(client, opts.cycle, opts.unit, {
          byUnitId: opts.by ?? root,
          phase: opts.phase as Phase,
          until: opts.until,
          channel: 'cli',
          reason: opts.reason ?? '',
        }, updateOptions()),
      );
      emit(opts, receipt, () => `${receipt.phase} of ${receipt.unitId} now due ${local(receipt.deadlines.dueAt)}.`);
    });

  program
    .command('overdue')
    .description('overdue units, by cycle and/or supervisor (needs a server with visibility: npm start)')
    .option('--cycle <id>', 'cycle id')
    .option('--supervisor <id>', 'the supervising unit id')
    .option('--json', 'machine-readable output')
    .action(async (opts: { cycle?: string; supervisor?: string; json?: boolean }) => {
      const units = await withTemporal((client) => listOverdue(client, { cycleId: opts.cycle, supervisorUnitId: opts.supervisor }));
      emit(opts, units, () =>
        units.length === 0 ? 'No overdue units / Không có đơn vị quá hạn.' : units.map((u) => `${u.cycleId}  ${u.unitId}  (supervisor ${u.parentUnitId})`).join('\n'),
      );
    });
}
