// The deadline plan of a campaign's cycle: each phase's deadline rule (domain/campaign-deadline.ts) evaluated to
// the root's base date, rolled forward to a working day (Civil Code Art. 148) and cascaded down the levels in
// working days — the same steps computeDeadlinePlan takes for today's plan and report, for any list of phases.
import { z } from 'zod';
import type { PhasedDeadlinePlan, PhaseDeadlines } from '../../domain/calendar';
import { deadlineRuleSchema, ruleBaseDate } from '../../domain/campaign-deadline';
import type { WorkingCalendar } from './calendar';
import { CYCLE_YEAR_RANGE, END_OF_DAY_LOCAL_TIME, MAX_DEPTHS, TIME_ZONE } from './constants';
import { formatDateVi, instantAt, instantSchema, localDateSchema, toInstant } from './dates';
import { parseInput, phaseDeadlinesOn, resolveRules, scheduleRulesSchema } from './deadlines';
import { DeadlineRuleError } from './errors';

export const campaignPlanInputSchema = z.strictObject({
  year: z.number().int().min(CYCLE_YEAR_RANGE.min).max(CYCLE_YEAR_RANGE.max),
  firstYear: z.boolean().default(false),
  depths: z.number().int().min(1).max(MAX_DEPTHS),
  /** the campaign version's phases, in order */
  phases: z.array(z.object({ key: z.string().min(1), due: deadlineRuleSchema })).min(1), // a campaign's phases as they are (name and form ignored)
  /** one cycle's own root due date for a phase (`cycle start --report-due DATE` on the built-in campaign) */
  dueOverrides: z.record(z.string(), localDateSchema).default({}),
  rules: scheduleRulesSchema.optional(),
  opensAt: instantSchema.optional(),
});
export type CampaignPlanInput = z.input<typeof campaignPlanInputSchema>;

export function computeCampaignPlan(calendar: WorkingCalendar, input: CampaignPlanInput): PhasedDeadlinePlan {
  const { year, firstYear, depths, phases, dueOverrides, rules: rulesInput, opensAt: opensAtInput } = parseInput(campaignPlanInputSchema, input, 'campaign plan input');
  const rules = resolveRules(rulesInput);
  const opensAt = opensAtInput === undefined ? undefined : toInstant(opensAtInput);
  const roots = phases.map((p) => calendar.rollForward(dueOverrides[p.key] ?? ruleBaseDate(p.due, { year, firstYear })));
  const levels: PhasedDeadlinePlan['levels'] = [];
  for (let depth = 0; depth < depths; depth++) {
    const offset = -rules.cascadeWorkingDays * depth;
    const phasesAt: Record<string, PhaseDeadlines> = {};
    let previous: { key: string; due: string } | undefined;
    phases.forEach((p, i) => {
      const due = calendar.addWorkingDays(roots[i]!, offset);
      if (previous && due <= previous.due) {
        throw new DeadlineRuleError(
          `Hạn giai đoạn "${p.key}" phải sau hạn giai đoạn "${previous.key}" / phase "${p.key}" must be due after phase "${previous.key}": at level ${depth} ` +
            `it would be due ${formatDateVi(due)} but "${previous.key}" ${formatDateVi(previous.due)}${firstYear ? ' (first year of the programme: the yearly plan is due at the end of Q3)' : ''}. Choose a later date for "${p.key}".`,
        );
      }
      previous = { key: p.key, due };
      phasesAt[p.key] = phaseDeadlinesOn(calendar, due, rules, opensAt);
    });
    levels.push({ depth, phases: phasesAt });
  }
  const first = levels[levels.length - 1]!.phases[phases[0]!.key]!;
  if (first.dueDate < `${year}-01-01`) {
    throw new DeadlineRuleError(
      `Cấp thấp nhất phải nộp trước khi năm ${year} bắt đầu / too many levels for the cascade: with ${depths} levels and ${rules.cascadeWorkingDays} working days between levels, ` +
        `the lowest level would be due ${formatDateVi(first.dueDate)}, before year ${year} starts. Reduce cascadeWorkingDays or choose a later date for "${phases[0]!.key}".`,
    );
  }
  const lastRoot = roots[roots.length - 1]!;
  return {
    year,
    firstYear,
    timeZone: TIME_ZONE,
    calendarVersion: calendar.version,
    rules,
    phaseKeys: phases.map((p) => p.key),
    levels,
    closesAt: instantAt(calendar.addWorkingDays(lastRoot, rules.escalationHorizonWorkingDays), END_OF_DAY_LOCAL_TIME),
    timeline: { kind: 'real' },
  };
}
