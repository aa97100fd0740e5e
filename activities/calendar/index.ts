// The calendar concern as activities see it: load the holiday data once (reloaded when the file changes), and
// compute plans and phase deadlines with JSON in, JSON out.
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Config } from '../../common/config';
import { createWorkingCalendar, type WorkingCalendar } from './calendar';
import {
  computeDeadlinePlan,
  computePhaseDeadlines,
  deadlinePlanInputSchema,
  parseInput,
  planInstants,
  rehearsalInputSchema,
  rehearsalTimeline,
  type PhaseDeadlinesInput,
} from './deadlines';
import { toInstant } from './dates';
import { CalendarDataError } from './errors';
import { readHolidayFile } from './holiday-data';
import { loadLunarSource } from './lunar';
import type { DeadlinePlan, PhaseDeadlines } from './types';
import type { z } from 'zod';

export { createWorkingCalendar, defaultNationalDayAdjacent } from './calendar';
export type { DayKind, HolidayName, NamedDay, WorkingCalendar } from './calendar';
export * from './constants';
export { formatDateVi, formatInstantVi, instantAt, localParts } from './dates';
export {
  computeDeadlinePlan,
  computePhaseDeadlines,
  planDueBase,
  planInstants,
  rehearsalTimeline,
  reportDueBase,
  resolveRules,
} from './deadlines';
export type { DeadlinePlanInput, PhaseDeadlinesInput, RehearsalInput, ScheduleRulesInput } from './deadlines';
export { computeCampaignPlan } from './campaign-plan';
export type { CampaignPlanInput } from './campaign-plan';
export { CalendarDataError, CalendarInputError, DeadlineRuleError } from './errors';
export { parseHolidayData, readHolidayFile, STATUTORY_HOLIDAY_KEYS } from './holiday-data';
export type { HolidayData, StatutoryHolidayKey } from './holiday-data';
export { loadLunarSource } from './lunar';
export type { LunarSource } from './lunar';
export type * from './types';

/** The holiday data shipped with the code; BAOCAO_HOLIDAYS_FILE (config.holidaysFile) replaces it. */
export const DEFAULT_HOLIDAYS_FILE = join(__dirname, 'holidays-vn.json');

const cache = new Map<string, { mtimeMs: number; calendar: Promise<WorkingCalendar> }>();

/**
 * Reads, validates and builds the working calendar from a holiday data file (default: the shipped one).
 * Cached per file; a changed file (new modification time) is read again, so the secretariat's edits apply
 * without restarting the worker.
 */
export async function loadCalendar(file?: string): Promise<WorkingCalendar> {
  const path = resolve(file ?? DEFAULT_HOLIDAYS_FILE);
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(path)).mtimeMs;
  } catch (err) {
    throw new CalendarDataError(
      `Không tìm thấy tệp ngày nghỉ / holiday data file not found: ${path}. Check BAOCAO_HOLIDAYS_FILE or leave it unset.`,
      { cause: err },
    );
  }
  const hit = cache.get(path);
  if (hit && hit.mtimeMs === mtimeMs) return hit.calendar;
  const calendar = (async () => createWorkingCalendar(await readHolidayFile(path), await loadLunarSource()))();
  cache.set(path, { mtimeMs, calendar });
  calendar.catch(() => {
    if (cache.get(path)?.calendar === calendar) cache.delete(path);
  });
  return calendar;
}

export const cyclePlanInputSchema = deadlinePlanInputSchema.extend({
  /** compress the plan into a wall-clock rehearsal */
  rehearsal: rehearsalInputSchema.omit({ calendarStart: true }).optional(),
});
export type CyclePlanInput = z.input<typeof cyclePlanInputSchema>;

export interface CalendarActivities {
  /** The deadline plan of a cycle; with `rehearsal`, its timeline is the compressed one. */
  computeCyclePlan(input: CyclePlanInput): Promise<DeadlinePlan>;
  /** Deadlines of one phase for a new due date (deadline extensions). */
  computePhaseDeadlines(input: PhaseDeadlinesInput): Promise<PhaseDeadlines>;
}

export function createCalendarActivities({ config }: { config: Pick<Config, 'holidaysFile'> }): CalendarActivities {
  const calendar = (): Promise<WorkingCalendar> => loadCalendar(config.holidaysFile);
  return {
    async computeCyclePlan(input) {
      const { rehearsal, ...planInput } = parseInput(cyclePlanInputSchema, input, 'cycle plan input');
      const plan = computeDeadlinePlan(await calendar(), planInput);
      if (!rehearsal) return plan;
      // The rehearsal starts at the cycle's opening when it is given and precedes every event of the plan.
      const first = planInstants(plan)[0];
      const opensAt = planInput.opensAt === undefined ? undefined : toInstant(planInput.opensAt);
      const calendarStart = opensAt !== undefined && first !== undefined && opensAt <= first ? opensAt : undefined;
      return { ...plan, timeline: rehearsalTimeline(plan, { ...rehearsal, calendarStart }) };
    },
    async computePhaseDeadlines(input) {
      return computePhaseDeadlines(await calendar(), input);
    },
  };
}
