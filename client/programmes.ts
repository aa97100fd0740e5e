// Multi-year programmes: one Temporal Schedule per programme starts each year's cycle on its date
// (workflows/programme.ts decides what the year asks for). Create, look and delete, for the CLI and the web app.
import {
  MONTHS,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  WorkflowNotFoundError,
  type Client,
  type ScheduleDescription,
  type ScheduleSpec,
} from '@temporalio/client';
import { DateTime } from 'luxon';
import type { z } from 'zod';
import {
  CalendarInputError,
  computeCampaignPlan,
  computeDeadlinePlan,
  DeadlineRuleError,
  formatDateVi,
  loadCalendar,
  TIME_ZONE,
  type DeadlinePlan,
  type WorkingCalendar,
} from '../activities/calendar';
import type { Db } from '../activities/db/database';
import { getUnit, treeDepth } from '../activities/directory/repository';
import { freezeCampaignVersion, getCampaignVersion } from '../activities/campaigns/repository';
import type { CampaignVersion } from '../domain/campaign';
import { CampaignNotFoundError } from '../domain/campaign-errors';
import { parseCampaignRef } from './campaign-cycles';
import {
  parseProgrammeId,
  programmeEndsAt,
  programmeId as makeProgrammeId,
  programmeSettingsSchema,
  programmeYearAt,
  programmeYearInputSchema,
  programmeCycleId,
  programmeYears,
  type ProgrammeCampaign,
  type ProgrammeSettings,
  type ProgrammeSettingsInput,
  type ProgrammeYear,
  type ProgrammeYearWorkflowInput,
} from '../workflows/programme';
import { WORKFLOW_TASK_TIMEOUT } from '../workflows/task-timeout';

/** The workflow type the schedule starts (its name in workflows/index.ts). */
export const PROGRAMME_WORKFLOW_TYPE = 'programmeYearWorkflow';

/**
 * If the server is down when a year's start comes, the run still happens when it is back within this window;
 * after a longer outage the secretariat starts the year by hand (`baocao cycle start`).
 */
export const PROGRAMME_CATCHUP_WINDOW = '30 days';

/** A problem with what the user asked for (not a crash): one line, in both languages where it matters. */
export class ProgrammeRequestError extends Error {
  readonly code = 'ProgrammeRequestError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProgrammeRequestError';
  }
}

export interface CreateProgrammeOptions {
  /** checks the root unit against the directory and the deadlines against the depth of its tree */
  db?: Db;
  /** the holiday data file (config.holidaysFile); default the shipped one */
  holidaysFile?: string;
  /**
   * When the current programme year's start has already passed (the programme is created late), start that
   * year's cycle now as well. Off by default: its deadlines may be past already.
   */
  catchUp?: boolean;
  /** "now" for the catch-up decision (tests) */
  now?: Date;
}

export interface CreatedProgramme {
  programmeId: string;
  /** the campaign every year runs, when the programme names one */
  campaign: ProgrammeCampaign | null;
  years: ProgrammeYear[];
  nextRunAt: string | null;
  /** the year whose cycle was started at once (catch-up) */
  caughtUp: number | null;
  /** the current year, when its start had passed and no catch-up was asked for: start it by hand if needed */
  missed: number | null;
}

function reasons(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'programme'}: ${i.message}`).join('; ');
}

/** Validates a programme's settings; the error names every bad field. */
export function parseProgramme(input: ProgrammeSettingsInput): ProgrammeSettings {
  const parsed = programmeSettingsSchema.safeParse(input);
  if (!parsed.success) throw new ProgrammeRequestError(`Invalid programme / Chương trình không hợp lệ — ${reasons(parsed.error)}`);
  return parsed.data;
}

/**
 * Computes every year's deadline plan now, so an impossible setting (a May report in the first year, whose
 * plans come in at the end of Q3; a start after the plans are due) is refused at creation — not years later.
 */
export function checkProgrammeDeadlines(p: ProgrammeSettings, calendar: WorkingCalendar, depths: number): DeadlinePlan[] {
  return programmeYears(p).map((y) => {
    let plan: DeadlinePlan;
    try {
      plan = computeDeadlinePlan(calendar, { year: y.year, firstYear: y.firstYear, depths, reportDue: y.reportDue });
    } catch (err) {
      if (err instanceof DeadlineRuleError || err instanceof CalendarInputError)
        throw new ProgrammeRequestError(`Năm / year ${y.year} (${y.reviewTitle}): ${err.message}`, { cause: err });
      throw err;
    }
    const lowestPlanDue = plan.levels[plan.levels.length - 1]!.plan.dueDate;
    if (y.startDate >= lowestPlanDue) {
      throw new ProgrammeRequestError(
        `Năm / year ${y.year}: the cycle would start ${formatDateVi(y.startDate)}, but plans are due by ${formatDateVi(lowestPlanDue)} ` +
          `(lowest level). Start it earlier (years.${y.year}.startDate) / Ngày bắt đầu phải trước hạn nộp kế hoạch.`,
      );
    }
    return plan;
  });
}

/**
 * `SLUG` or `SLUG@VERSION` as the programme's campaign: the version is fixed now (the latest when none is
 * given), so every year of the programme runs the same form (workflows/programme.ts says why).
 */
export async function resolveProgrammeCampaign(db: Db, ref: string): Promise<ProgrammeCampaign> {
  let parsed;
  try {
    parsed = parseCampaignRef(ref);
  } catch (err) {
    throw new ProgrammeRequestError(err instanceof Error ? err.message : String(err), { cause: err });
  }
  try {
    const v = await getCampaignVersion(db, parsed.campaignId, parsed.version);
    return { id: v.campaignId, version: v.version };
  } catch (err) {
    if (err instanceof CampaignNotFoundError) throw new ProgrammeRequestError(err.message, { cause: err });
    throw err;
  }
}

/**
 * The campaign counterpart of checkProgrammeDeadlines: every year's phases computed now with the campaign's
 * rules, and each year's start before its lowest level's first deadline.
 */
export function checkProgrammeCampaignDeadlines(p: ProgrammeSettings, campaign: CampaignVersion, calendar: WorkingCalendar, depths: number): void {
  for (const y of programmeYears(p)) {
    let first;
    try {
      const plan = computeCampaignPlan(calendar, { year: y.year, firstYear: y.firstYear, depths, phases: campaign.definition.phases, rules: campaign.definition.schedule });
      first = { key: plan.phaseKeys[0]!, due: plan.levels[plan.levels.length - 1]!.phases[plan.phaseKeys[0]!]!.dueDate };
    } catch (err) {
      if (err instanceof DeadlineRuleError || err instanceof CalendarInputError)
        throw new ProgrammeRequestError(`Năm / year ${y.year} (${campaign.campaignId} v${campaign.version}): ${err.message}`, { cause: err });
      throw err;
    }
    if (y.startDate >= first.due)
      throw new ProgrammeRequestError(
        `Năm / year ${y.year}: the cycle would start ${formatDateVi(y.startDate)}, but the lowest level's "${first.key}" is due by ${formatDateVi(first.due)}. ` +
          `Start it earlier (years.${y.year}.startDate) / Ngày bắt đầu phải trước hạn nộp đầu tiên của cấp thấp nhất.`,
      );
  }
}

/** One calendar entry per year: a yearly Schedule whose date may differ from year to year. */
export function programmeScheduleSpec(p: ProgrammeSettings): ScheduleSpec {
  const [hour, minute] = p.startTime.split(':').map(Number) as [number, number];
  return {
    calendars: programmeYears(p).map((y) => {
      const [year, month, dayOfMonth] = y.startDate.split('-').map(Number) as [number, number, number];
      return { year, month: MONTHS[month - 1]!, dayOfMonth, hour, minute, comment: `${y.year}: ${y.reviewTitle}` };
    }),
    timezone: TIME_ZONE,
    // nothing after the programme's last year
    endAt: new Date(programmeEndsAt(p)),
  };
}

export async function createProgramme(
  client: Client,
  taskQueue: string,
  input: ProgrammeSettingsInput,
  options: CreateProgrammeOptions = {},
): Promise<CreatedProgramme> {
  const programme = parseProgramme(input);
  const id = makeProgrammeId(programme);
  let depths = 1;
  if (options.db) {
    const today = DateTime.now().setZone(TIME_ZONE).toISODate()!;
    if (!(await getUnit(options.db, programme.rootUnitId, today)))
      throw new ProgrammeRequestError(
        `Unknown unit ${programme.rootUnitId} / Không có đơn vị ${programme.rootUnitId}: import the directory first (baocao units import FILE) or check \`baocao units tree\`.`,
      );
    depths = Math.max(1, await treeDepth(options.db, programme.rootUnitId, today));
  }
  const calendar = await loadCalendar(options.holidaysFile);
  if (!programme.campaign) checkProgrammeDeadlines(programme, calendar, depths);
  else if (options.db) {
    const campaign = await getCampaignVersion(options.db, programme.campaign.id, programme.campaign.version).catch((err: unknown) => {
      throw err instanceof CampaignNotFoundError ? new ProgrammeRequestError(err.message, { cause: err }) : err;
    });
    checkProgrammeCampaignDeadlines(programme, campaign, calendar, depths);
  }

  const years = programmeYears(programme);
  const now = (options.now ?? new Date()).getTime();
  const current = programmeYearAt(programme, now);
  const caughtUp = options.catchUp && current ? current : undefined;
  const args: [ProgrammeYearWorkflowInput] = [{ programme }];
  const span = `${programme.firstYear}–${programme.lastYear}`;
  try {
    await client.schedule.create({
      scheduleId: id,
      spec: programmeScheduleSpec(programme),
      action: { type: 'startWorkflow', workflowType: PROGRAMME_WORKFLOW_TYPE, workflowId: id, taskQueue, args, workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT },
      policies: {
        // each run only starts a cycle (idempotently, by cycle id) and ends: never skip a year behind a stuck run
        overlap: ScheduleOverlapPolicy.ALLOW_ALL,
        catchupWindow: PROGRAMME_CATCHUP_WINDOW,
      },
      state: {
        note: `baocao programme ${span} at ${programme.rootUnitId}${programme.campaign ? ` (${programme.campaign.id} v${programme.campaign.version})` : ''}${programme.title ? `: ${programme.title}` : ''}`,
        // the run is scheduled at the year's start, so the workflow resolves the same year as on time
        backfill: caughtUp
          ? [{ start: new Date(Date.parse(caughtUp.startsAt) - 60_000), end: new Date(Date.parse(caughtUp.startsAt) + 60_000), overlap: ScheduleOverlapPolicy.ALLOW_ALL }]
          : undefined,
      },
    });
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning)
      throw new ProgrammeRequestError(`Programme ${id} already exists / Chương trình đã tồn tại: see \`baocao programme status ${id}\`.`, { cause: err });
    throw err;
  }
  // the version the programme announced never changes under it (as a cycle's own freeze does; idempotent)
  if (options.db && programme.campaign) await freezeCampaignVersion(options.db, { id: programme.campaign.id, version: programme.campaign.version, cycleId: id });
  const next = years.find((y) => Date.parse(y.startsAt) > now);
  return {
    programmeId: id,
    campaign: programme.campaign ?? null,
    years,
    nextRunAt: next?.startsAt ?? null,
    caughtUp: caughtUp?.year ?? null,
    missed: current && !caughtUp ? current.year : null,
  };
}

// ---- status ----

export interface ProgrammeCycle {
  runId: string;
  /** RUNNING, COMPLETED, FAILED, TERMINATED … */
  status: string;
  startedAt: string;
  /** started by a run of this programme (else by hand) */
  byProgramme: boolean;
}

export interface ProgrammeYearStatus extends ProgrammeYear {
  cycleId: string;
  /** null while the year's cycle does not exist */
  cycle: ProgrammeCycle | null;
}

export interface ProgrammeRun {
  scheduledAt: string;
  takenAt: string;
  workflowId: string;
  runId: string;
}

export interface ProgrammeStatus {
  programmeId: string;
  rootUnitId: string;
  firstYear: number;
  lastYear: number;
  title: string;
  campaign: ProgrammeCampaign | null;
  paused: boolean;
  note: string;
  /** the next year's start, null once the programme has run its last year */
  nextRunAt: string | null;
  nextRunYear: number | null;
  endsAt: string;
  years: ProgrammeYearStatus[];
  /** the schedule's latest runs */
  runs: ProgrammeRun[];
}

function requireProgrammeId(id: string): void {
  if (!parseProgrammeId(id))
    throw new ProgrammeRequestError(`"${id}" is not a programme id: expected programme-<first year>-<last year>-<root unit>[~<campaign>], e.g. programme-2026-2030-LDLD-BN.`);
}

async function describeSchedule(client: Client, id: string): Promise<{ description: ScheduleDescription; programme: ProgrammeSettings }> {
  requireProgrammeId(id);
  let description: ScheduleDescription;
  try {
    description = await client.schedule.getHandle(id).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) throw new ProgrammeRequestError(`Unknown programme / Không tìm thấy chương trình: ${id}`, { cause: err });
    throw err;
  }
  const action = description.action;
  const parsed = programmeYearInputSchema.safeParse(action.args?.[0]);
  if (action.workflowType !== PROGRAMME_WORKFLOW_TYPE || !parsed.success)
    throw new ProgrammeRequestError(`Schedule ${id} is not a baocao programme (it starts ${action.workflowType}).`);
  return { description, programme: parsed.data.programme };
}

async function cycleOf(client: Client, programmeId: string, cycleId: string): Promise<ProgrammeCycle | null> {
  try {
    const d = await client.workflow.getHandle(cycleId).describe();
    return {
      runId: d.runId,
      status: d.status.name,
      startedAt: d.startTime.toISOString(),
      byProgramme: d.parentExecution?.workflowId?.startsWith(`${programmeId}-`) ?? false,
    };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

/** The programme's years, which of their cycles exist, and when the next one starts. */
export async function describeProgramme(client: Client, id: string): Promise<ProgrammeStatus> {
  const { description, programme } = await describeSchedule(client, id);
  const years = await Promise.all(
    programmeYears(programme).map(async (y): Promise<ProgrammeYearStatus> => {
      // the same id as every other way of starting the year's cycle
      const cycleId = programmeCycleId(programme, y.year);
      return { ...y, cycleId, cycle: await cycleOf(client, id, cycleId) };
    }),
  );
  const next = description.info.nextActionTimes[0];
  return {
    programmeId: id,
    rootUnitId: programme.rootUnitId,
    firstYear: programme.firstYear,
    lastYear: programme.lastYear,
    title: programme.title,
    campaign: programme.campaign ?? null,
    paused: description.state.paused,
    note: description.state.note ?? '',
    nextRunAt: next ? next.toISOString() : null,
    nextRunYear: next ? (programmeYearAt(programme, next.getTime())?.year ?? null) : null,
    endsAt: programmeEndsAt(programme),
    years,
    runs: description.info.recentActions.map((a) => ({
      scheduledAt: a.scheduledAt.toISOString(),
      takenAt: a.takenAt.toISOString(),
      workflowId: a.action.workflow.workflowId,
      runId: a.action.workflow.firstExecutionRunId,
    })),
  };
}

/**
 * Deletes the programme's schedule: no further year starts. Cycles already started keep running (they are the
 * units' work of the year); they are listed in the answer.
 */
export async function deleteProgramme(client: Client, id: string): Promise<{ programmeId: string; runningCycles: string[] }> {
  const status = await describeProgramme(client, id);
  try {
    await client.schedule.getHandle(id).delete();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) throw new ProgrammeRequestError(`Unknown programme / Không tìm thấy chương trình: ${id}`, { cause: err });
    throw err;
  }
  return { programmeId: id, runningCycles: status.years.filter((y) => y.cycle?.status === 'RUNNING').map((y) => y.cycleId) };
}
