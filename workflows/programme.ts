// A multi-year programme (e.g. the 2021–2025 plan of seed 000): a Temporal Schedule (client/programmes.ts)
// starts `programmeYearWorkflow` once a year; the run works out which programme year its scheduled time
// belongs to and starts that year's cycle — plans due within Q3 in the first year, within Q1 later (seed 000,
// section III.2); an interim review ("sơ kết") around 19 May in the middle years and the programme's review
// ("tổng kết N năm") in the last year.
//
// A programme may name a campaign (`campaign: { id, version }`): each year then starts a cycle of that campaign
// on the campaign workflow types (id `cycle-<year>-<root>~<slug>`) instead of the built-in yearly cycle. The
// version is fixed when the programme is created (client/programmes.ts resolves "latest" then and freezes it in
// the store), not at each year's start: what the secretariat announced for the whole programme is what every
// year runs, every year's deadlines were checked against it at creation, and a year's start reads nothing but
// its own input (no store lookup that could fail or find a different form years later). A new version for the
// remaining years is a new programme.
//
// The year logic is plain functions of the programme's settings, shared by the workflow, the client (schedule
// spec, status) and the tests. They compare ISO instants only: no calendar maths runs in workflow code.
import { defineSearchAttributeKey, SearchAttributeType, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ApplicationFailure,
  log,
  ParentClosePolicy,
  patched,
  startChild,
  WorkflowIdReusePolicy,
  workflowInfo,
} from '@temporalio/workflow';
import { z } from 'zod';
import type { ReportDuePreset } from '../domain/calendar';
import { campaignIdSchema } from '../domain/campaign';
import { BUILTIN_CAMPAIGN_ID } from '../domain/campaign-builtin';
import { campaignCycleWorkflow, type CampaignCycleWorkflowInput } from './campaign-cycle';
import { cycleWorkflow, type CycleWorkflowInput } from './cycle';
import { campaignCycleId, cycleId, programmeId } from './ids';
// programme ids live with the other id formats
export { parseProgrammeId, programmeId } from './ids';
import { CAMPAIGN, CYCLE, UNIT } from './search-attributes';
import { childTaskTimeout } from './task-timeout';
import { lazy } from '../domain/lazy';

// ---- settings ----

/** The report-due presets of the calendar (test/programme checks they equal REPORT_DUE_PRESETS' keys). */
export const REPORT_DUE_PRESET_NAMES = ['may-review', 'annual'] as const satisfies readonly ReportDuePreset[];

/** A programme covers at most this many years (5-year plans, 10-year reviews). */
export const MAX_PROGRAMME_YEARS = 10;
/** Each year's cycle starts on this day (MM-DD, local) unless the programme says otherwise. */
export const DEFAULT_START_MONTH_DAY = '01-02';
/** …at this local time: the start of an office day, so the task emails arrive when people can read them. */
export const DEFAULT_START_LOCAL_TIME = '08:00';
/**
 * UTC offset of Asia/Ho_Chi_Minh, the zone of every date in baocao (no DST since 1975). Workflows cannot load
 * time-zone data; test/programme checks this offset against luxon's zone for every year of a programme.
 */
export const PROGRAMME_UTC_OFFSET = '+07:00';

/**
 * Temporal's own search attribute on every workflow a Schedule starts: the time it was scheduled for (before
 * jitter). It is part of the start event, so reading it is deterministic.
 */
export const SCHEDULED_START_TIME = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

const LOCAL_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const localDate = lazy(() => z.string().regex(LOCAL_DATE, { message: 'a date YYYY-MM-DD / ngày dạng YYYY-MM-DD' }));
const localTime = lazy(() => z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'a time of day HH:mm, e.g. 08:00' }));
const year = lazy(() => z.number().int().min(2000).max(2100));
const unitId = lazy(() => z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'a unit id: letters, digits, _ . - (at most 64)' }));
const reportDuePreset = lazy(() => z.enum(REPORT_DUE_PRESET_NAMES));
const reportDue = lazy(() => z.union([reportDuePreset, localDate]));
const yearKey = lazy(() => z.string().regex(/^\d{4}$/, { message: 'a year YYYY' }));

/**
 * Each year's cycle is a cycle of this campaign at this version (fixed at the programme's creation, see the top
 * of this file); the built-in campaign is the programme without one.
 */
export const programmeCampaignSchema = lazy(() => z.strictObject({
  id: campaignIdSchema.refine((id) => id !== BUILTIN_CAMPAIGN_ID, { message: 'the built-in campaign is a programme without a campaign / đợt mặc định: bỏ trống mục đợt báo cáo' }),
  version: z.number().int().min(1),
}));
export type ProgrammeCampaign = z.output<typeof programmeCampaignSchema>;

/** patched(): a programme year that starts a cycle of a campaign (runs recorded before it never took this path). */
export const PROGRAMME_CAMPAIGN_PATCH = 'programme-campaign';

export const programmeSettingsSchema = lazy(() => z
  .strictObject({
    rootUnitId: unitId,
    firstYear: year,
    lastYear: year,
    /** e.g. "Kế hoạch thực hiện Kết luận số 01-KL/TW giai đoạn 2021–2025" */
    title: z.string().trim().max(300).default(''),
    /** local time of day each year's cycle starts */
    startTime: localTime.default(DEFAULT_START_LOCAL_TIME),
    /** report due of each kind of year (presets: 'may-review' ≈ 10 May, before the 19 May review; 'annual' = 14 Dec) */
    reportDue: z
      .strictObject({
        /** plans come in at the end of Q3: too late for a May review */
        firstYear: reportDuePreset.default('annual'),
        /** the yearly interim review around 19 May */
        yearly: reportDuePreset.default('may-review'),
        /** the programme's own review in its last year: a preset or a date of that year */
        final: reportDue.default('annual'),
      })
      .prefault({}),
    /** a campaign of the store whose cycle each year starts (default: the built-in yearly cycle); its phases' rules set the deadlines, so reportDue does not apply */
    campaign: programmeCampaignSchema.optional(),
    /** per-year exceptions, keyed by year: another start date (default 2 January) or report due */
    years: z.record(yearKey, z.strictObject({ startDate: localDate.optional(), reportDue: reportDue.optional() })).default({}),
  })
  .superRefine((p, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (p.lastYear < p.firstYear) issue(['lastYear'], `the last year (${p.lastYear}) comes before the first (${p.firstYear}) / năm cuối trước năm đầu`);
    if (p.lastYear - p.firstYear + 1 > MAX_PROGRAMME_YEARS) issue(['lastYear'], `a programme covers at most ${MAX_PROGRAMME_YEARS} years`);
    const finalDue = p.reportDue.final;
    if (LOCAL_DATE.test(finalDue) && !finalDue.startsWith(`${p.lastYear}-`))
      issue(['reportDue', 'final'], `the final report date ${finalDue} is not in the last year ${p.lastYear}`);
    for (const [key, y] of Object.entries(p.years)) {
      const n = Number(key);
      if (n < p.firstYear || n > p.lastYear) {
        issue(['years', key], `${key} is not a year of the programme (${p.firstYear}–${p.lastYear})`);
        continue;
      }
      // a cycle may be issued late in the year before (e.g. in December for January)
      if (y.startDate && !y.startDate.startsWith(`${n}-`) && !y.startDate.startsWith(`${n - 1}-`))
        issue(['years', key, 'startDate'], `the cycle of ${n} must start in ${n - 1} or ${n}, not on ${y.startDate}`);
      if (y.reportDue && LOCAL_DATE.test(y.reportDue) && !y.reportDue.startsWith(`${n}-`))
        issue(['years', key, 'reportDue'], `the report due date of ${n} must be in ${n}, not ${y.reportDue}`);
    }
    if (ctx.issues.length > 0) return;
    const starts = programmeYears(p).map((y) => y.startsAt);
    for (let i = 1; i < starts.length; i++) {
      if (Date.parse(starts[i]!) <= Date.parse(starts[i - 1]!))
        issue(['years', String(p.firstYear + i)], `the cycle of ${p.firstYear + i} must start after the cycle of ${p.firstYear + i - 1}`);
    }
  }));

export type ProgrammeSettingsInput = z.input<typeof programmeSettingsSchema>;
export type ProgrammeSettings = z.output<typeof programmeSettingsSchema>;

// ---- the year logic ----

/**
 * - `first-year`: the programme's first year: plans due within Q3, results at year end.
 * - `interim`: a middle year, reviewed ("sơ kết N năm") around 19 May.
 * - `final`: the last year: the programme's review ("tổng kết N năm"), e.g. the 5-year review.
 */
export type ReviewKind = 'first-year' | 'interim' | 'final';

export interface ProgrammeYear {
  year: number;
  /** plans due within Q3 instead of Q1 */
  firstYear: boolean;
  review: ReviewKind;
  /** bilingual name of the year's review, e.g. "Sơ kết 2 năm / 2-year interim review (2026–2030)" */
  reviewTitle: string;
  reportDue: string;
  /** local date the year's cycle starts (its directory tree is read as of then, or later if it starts late) */
  startDate: string;
  /** the same, as an instant (start date and time in Asia/Ho_Chi_Minh) */
  startsAt: string;
}

function localInstant(date: string, time: string): string {
  return new Date(Date.parse(`${date}T${time}:00${PROGRAMME_UTC_OFFSET}`)).toISOString();
}

/** What the programme asks of one of its years. */
export function programmeYear(p: ProgrammeSettings, y: number): ProgrammeYear {
  if (!Number.isInteger(y) || y < p.firstYear || y > p.lastYear) throw new RangeError(`${y} is not a year of the programme ${p.firstYear}–${p.lastYear}`);
  const span = `${p.firstYear}–${p.lastYear}`;
  const override = p.years[String(y)] ?? {};
  const review: ReviewKind = y === p.lastYear ? 'final' : y === p.firstYear ? 'first-year' : 'interim';
  const n = y - p.firstYear + 1;
  const total = p.lastYear - p.firstYear + 1;
  const reviewTitle =
    review === 'final'
      ? `Tổng kết ${total} năm / ${total}-year review (${span})`
      : review === 'interim'
        ? `Sơ kết ${n} năm / ${n}-year interim review (${span})`
        : `Báo cáo kết quả năm đầu / first-year results report (${span})`;
  const defaultDue = review === 'final' ? p.reportDue.final : review === 'first-year' ? p.reportDue.firstYear : p.reportDue.yearly;
  const startDate = override.startDate ?? `${y}-${DEFAULT_START_MONTH_DAY}`;
  return {
    year: y,
    firstYear: y === p.firstYear,
    review,
    reviewTitle,
    reportDue: override.reportDue ?? defaultDue,
    startDate,
    startsAt: localInstant(startDate, p.startTime),
  };
}

/** Every year of the programme, in order. */
export function programmeYears(p: ProgrammeSettings): ProgrammeYear[] {
  return Array.from({ length: Math.max(0, p.lastYear - p.firstYear + 1) }, (_, i) => programmeYear(p, p.firstYear + i));
}

/** The programme's end: the first instant after its last year (local). */
export function programmeEndsAt(p: ProgrammeSettings): string {
  return localInstant(`${p.lastYear + 1}-01-01`, '00:00');
}

/**
 * The programme year a run scheduled at `scheduledAt` belongs to: the latest year whose cycle starts at or
 * before it. Undefined before the first start and from the programme's end on.
 */
export function programmeYearAt(p: ProgrammeSettings, scheduledAt: string | number): ProgrammeYear | undefined {
  const t = typeof scheduledAt === 'number' ? scheduledAt : Date.parse(scheduledAt);
  if (Number.isNaN(t) || t >= Date.parse(programmeEndsAt(p))) return undefined;
  let found: ProgrammeYear | undefined;
  for (const y of programmeYears(p)) if (Date.parse(y.startsAt) <= t) found = y;
  return found;
}

/** Local date (Asia/Ho_Chi_Minh) of an instant: plain arithmetic on a fixed offset. */
function localDateOf(ms: number): string {
  const [sign, hh, mm] = /^([+-])(\d\d):(\d\d)$/.exec(PROGRAMME_UTC_OFFSET)!.slice(1);
  const offsetMs = (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm)) * 60_000;
  return new Date(ms + offsetMs).toISOString().slice(0, 10);
}

/** The cycle a programme year starts; `startedAtMs`: when the run actually happens (later than planned on a catch-up). */
export function cycleInputFor(p: ProgrammeSettings, y: ProgrammeYear, startedAtMs: number): CycleWorkflowInput {
  const today = localDateOf(startedAtMs);
  return {
    cycleId: cycleId(y.year, p.rootUnitId),
    year: y.year,
    rootUnitId: p.rootUnitId,
    firstYear: y.firstYear,
    reportDue: y.reportDue,
    // the tree on the start date — or today, when the year's run happens late (units added since take part)
    treeAsOf: today > y.startDate ? today : y.startDate,
  };
}

/** The cycle of the programme's campaign that a year starts (same tree date as cycleInputFor). */
export function campaignCycleInputFor(p: ProgrammeSettings & { campaign: ProgrammeCampaign }, y: ProgrammeYear, startedAtMs: number): CampaignCycleWorkflowInput {
  const { treeAsOf } = cycleInputFor(p, y, startedAtMs);
  return {
    cycleId: campaignCycleId(y.year, p.rootUnitId, p.campaign.id),
    campaignId: p.campaign.id,
    version: p.campaign.version,
    year: y.year,
    rootUnitId: p.rootUnitId,
    firstYear: y.firstYear,
    treeAsOf,
  };
}

/** The id of the cycle a programme year starts: the campaign's when the programme names one. */
export function programmeCycleId(p: Pick<ProgrammeSettings, 'rootUnitId' | 'campaign'>, year: number): string {
  return p.campaign ? campaignCycleId(year, p.rootUnitId, p.campaign.id) : cycleId(year, p.rootUnitId);
}

// ---- the workflow ----

export const programmeYearInputSchema = lazy(() => z.strictObject({
  programme: programmeSettingsSchema,
  /** a run by hand for the year of this instant; schedule runs leave it out and use their scheduled time */
  scheduledAt: z.iso.datetime({ offset: true }).optional(),
}));
export type ProgrammeYearWorkflowInput = z.input<typeof programmeYearInputSchema>;

export type ProgrammeYearResult =
  | { outcome: 'started'; programmeId: string; scheduledAt: string; year: ProgrammeYear; cycleId: string; runId: string }
  /** the year's cycle already exists (started by hand, or by an earlier run): nothing was started */
  | { outcome: 'exists'; programmeId: string; scheduledAt: string; year: ProgrammeYear; cycleId: string }
  | { outcome: 'outside'; programmeId: string; scheduledAt: string; reason: string };

export async function programmeYearWorkflow(input: ProgrammeYearWorkflowInput): Promise<ProgrammeYearResult> {
  const parsed = programmeYearInputSchema.safeParse(input);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    throw ApplicationFailure.nonRetryable(`Invalid programme / Chương trình không hợp lệ: ${reasons}`, 'ProgrammeInputError');
  }
  const { programme } = parsed.data;
  const id = programmeId(programme);
  const info = workflowInfo();
  const scheduledMs = parsed.data.scheduledAt
    ? Date.parse(parsed.data.scheduledAt)
    : (info.typedSearchAttributes.get(SCHEDULED_START_TIME)?.getTime() ?? info.startTime.getTime());
  const scheduledAt = new Date(scheduledMs).toISOString();

  const y = programmeYearAt(programme, scheduledMs);
  if (!y) {
    const reason = `${scheduledAt} is outside the programme ${programme.firstYear}–${programme.lastYear} (first cycle starts ${programmeYear(programme, programme.firstYear).startsAt})`;
    log.warn('programme run outside the programme: nothing started', { programmeId: id, scheduledAt });
    return { outcome: 'outside', programmeId: id, scheduledAt, reason };
  }
  const campaign = programme.campaign;
  const child =
    campaign !== undefined && patched(PROGRAMME_CAMPAIGN_PATCH)
      ? startCampaignCycle(campaignCycleInputFor({ ...programme, campaign }, y, info.startTime.getTime()))
      : startYearlyCycle(cycleInputFor(programme, y, info.startTime.getTime()), programme.rootUnitId);
  const cycle = programmeCycleId(programme, y.year);
  try {
    const runId = await child;
    log.info('programme year started', { programmeId: id, year: y.year, cycleId: cycle });
    return { outcome: 'started', programmeId: id, scheduledAt, year: y, cycleId: cycle, runId };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    log.info('programme year: the cycle already exists, nothing started', { programmeId: id, year: y.year, cycleId: cycle });
    return { outcome: 'exists', programmeId: id, scheduledAt, year: y, cycleId: cycle };
  }
}

// the cycle runs for a year; the programme's run ends as soon as it has started (ABANDON); a cycle id is used
// once: a closed cycle of the year (e.g. run by hand) is not started again either (REJECT_DUPLICATE)
const CHILD_POLICIES = { parentClosePolicy: ParentClosePolicy.ABANDON, workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE } as const;

async function startYearlyCycle(input: CycleWorkflowInput, rootUnitId: string): Promise<string> {
  const child = await startChild(cycleWorkflow, {
    workflowId: input.cycleId,
    args: [input],
    ...CHILD_POLICIES,
    ...childTaskTimeout(),
    typedSearchAttributes: [
      { key: CYCLE, value: input.cycleId },
      { key: UNIT, value: rootUnitId },
    ],
  });
  return child.firstExecutionRunId;
}

async function startCampaignCycle(input: CampaignCycleWorkflowInput): Promise<string> {
  const child = await startChild(campaignCycleWorkflow, {
    workflowId: input.cycleId,
    args: [input],
    ...CHILD_POLICIES,
    ...childTaskTimeout(),
    typedSearchAttributes: [
      { key: CYCLE, value: input.cycleId },
      { key: CAMPAIGN, value: input.campaignId },
      { key: UNIT, value: input.rootUnitId },
    ],
  });
  return child.firstExecutionRunId;
}
