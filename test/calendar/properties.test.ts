// Invariants of the calendar and of every deadline plan, over random years, depths, report dates and rules.
// The oracles count working days one date at a time and read local times with luxon directly.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  computeDeadlinePlan,
  computePhaseDeadlines,
  instantAt,
  type DeadlinePlanInput,
  type PhaseDeadlines,
  type ScheduleRules,
  type WorkingCalendar,
} from '../../activities/calendar';
import { isoWeekday, local, plusDays, shippedCalendar, workingDaysBetween } from './helpers';

let cal: WorkingCalendar;
let workingWeekends: Set<string>;
beforeAll(async () => {
  cal = await shippedCalendar();
  workingWeekends = new Set(
    [2021, 2022, 2023, 2024, 2025, 2026, 2027].flatMap((y) => cal.namedDays(y).filter((d) => d.kind === 'working-weekend').map((d) => d.date)),
  );
});

const FIRST_DAY = DateTime.fromISO('2021-01-01', { zone: 'utc' });
/** any date 2021-01-01 … 2027-12-31 */
const dateArb = fc.integer({ min: 0, max: 2555 }).map((n) => FIRST_DAY.plus({ days: n }).toISODate()!);

const rulesArb: fc.Arbitrary<Partial<ScheduleRules>> = fc.record(
  {
    cascadeWorkingDays: fc.integer({ min: 0, max: 8 }),
    reminderWorkingDaysBefore: fc.uniqueArray(fc.integer({ min: 1, max: 15 }), { maxLength: 4 }),
    reminderLocalTime: fc
      .tuple(fc.integer({ min: 6, max: 17 }), fc.constantFrom(0, 15, 30, 45))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
    escalationEveryWorkingDays: fc.integer({ min: 1, max: 5 }),
    climbAfterWorkingDays: fc.integer({ min: 1, max: 25 }),
    escalationHorizonWorkingDays: fc.integer({ min: 0, max: 30 }),
  },
  { requiredKeys: [] },
);

const planInputArb: fc.Arbitrary<DeadlinePlanInput> = fc
  .record({
    year: fc.integer({ min: 2021, max: 2027 }),
    firstYear: fc.boolean(),
    depths: fc.integer({ min: 1, max: 6 }),
    rules: rulesArb,
    reportChoice: fc.oneof(fc.constant('annual' as const), fc.constant('may-review' as const), fc.integer({ min: 0, max: 60 })),
  })
  .map(({ year, firstYear, depths, rules, reportChoice }) => ({
    year,
    firstYear: firstYear && reportChoice !== 'may-review', // a May report cannot follow a Q3 plan
    depths,
    rules,
    // explicit dates: some day in the last quarter, always after any plan deadline of the year
    reportDue: typeof reportChoice === 'number' ? plusDays(`${year}-10-15`, reportChoice) : reportChoice,
  }));

function checkPhase(p: PhaseDeadlines, rules: ScheduleRules): void {
  // due: 23:59:59 local of a working day
  expect(cal.isWorkingDay(p.dueDate)).toBe(true);
  expect(local(p.dueAt)).toEqual({ date: p.dueDate, time: '23:59:59' });

  // reminders: ascending, before due, at the reminder time of working days, one per configured offset
  const time = `${rules.reminderLocalTime}:00`;
  expect(p.reminders).toEqual([...new Set(p.reminders)].sort());
  expect(p.reminders).toHaveLength(rules.reminderWorkingDaysBefore.length);
  const offsets = p.reminders.map((r) => {
    expect(r < p.dueAt).toBe(true);
    const l = local(r);
    expect(l.time).toBe(time);
    expect(cal.isWorkingDay(l.date)).toBe(true);
    return workingDaysBetween(cal, l.date, p.dueDate);
  });
  expect(offsets).toEqual(rules.reminderWorkingDaysBefore);

  // escalations: from the deadline, every N working days up to the horizon, climbing after the threshold
  const [first, ...rest] = p.escalations;
  expect(first).toEqual({ at: p.dueAt, round: 1, target: 'parent' });
  expect(p.escalations).toHaveLength(Math.floor(rules.escalationHorizonWorkingDays / rules.escalationEveryWorkingDays) + 1);
  p.escalations.forEach((e, i) => {
    expect(e.round).toBe(i + 1);
    if (i > 0) expect(e.at > p.escalations[i - 1]!.at).toBe(true);
  });
  for (const e of rest) {
    const l = local(e.at);
    expect(l.time).toBe(time);
    expect(cal.isWorkingDay(l.date)).toBe(true);
    const overdue = workingDaysBetween(cal, p.dueDate, l.date);
    expect(overdue).toBe((e.round - 1) * rules.escalationEveryWorkingDays);
    expect(overdue).toBeLessThanOrEqual(rules.escalationHorizonWorkingDays);
    expect(e.target).toBe(overdue >= rules.climbAfterWorkingDays ? 'grandparent' : 'parent');
  }
}

/** The first working day on or after `date`, found by walking. */
function firstWorkingOnOrAfter(date: string): string {
  let d = date;
  while (!cal.isWorkingDay(d)) d = plusDays(d, 1);
  return d;
}

describe('working calendar properties', () => {
  it('every weekday off has a name; weekends work only when announced', () => {
    fc.assert(
      fc.property(dateArb, (d) => {
        const weekend = isoWeekday(d) >= 6;
        if (weekend) expect(cal.isWorkingDay(d)).toBe(workingWeekends.has(d));
        else expect(cal.holidayName(d) !== null).toBe(!cal.isWorkingDay(d));
      }),
      { numRuns: 500 },
    );
  });

  it('rollForward and nextWorkingDay find the first working day, skipping none', () => {
    fc.assert(
      fc.property(dateArb, (d) => {
        const rolled = cal.rollForward(d);
        expect(rolled >= d).toBe(true);
        expect(cal.isWorkingDay(rolled)).toBe(true);
        for (let x = d; x < rolled; x = plusDays(x, 1)) expect(cal.isWorkingDay(x)).toBe(false);
        const next = cal.nextWorkingDay(d);
        expect(next > d).toBe(true);
        expect(workingDaysBetween(cal, d, next)).toBe(1);
        expect(cal.isWorkingDay(next)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('addWorkingDays moves exactly n working days and back', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -40, max: 40 }), (d, n) => {
        const start = cal.rollForward(d);
        const moved = cal.addWorkingDays(start, n);
        expect(cal.isWorkingDay(moved)).toBe(true);
        if (n >= 0) expect(workingDaysBetween(cal, start, moved)).toBe(n);
        else expect(workingDaysBetween(cal, moved, start)).toBe(-n);
        expect(cal.addWorkingDays(moved, -n)).toBe(start);
      }),
      { numRuns: 300 },
    );
  });
});

describe('deadline plan properties', () => {
  it('holds every invariant for any year, depth, report date and rules', () => {
    fc.assert(
      fc.property(planInputArb, (input) => {
        const plan = computeDeadlinePlan(cal, input);
        const rules = plan.rules;
        expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
        expect(plan.levels).toHaveLength(input.depths);

        const base = input.firstYear ? `${input.year}-09-30` : `${input.year}-03-31`;
        expect(plan.levels[0]!.plan.dueDate).toBe(firstWorkingOnOrAfter(base));

        plan.levels.forEach((level, depth) => {
          expect(level.depth).toBe(depth);
          checkPhase(level.plan, rules);
          checkPhase(level.report, rules);
          expect(level.report.dueDate > level.plan.dueDate).toBe(true);
          if (depth > 0) {
            const parent = plan.levels[depth - 1]!;
            for (const phase of ['plan', 'report'] as const) {
              const child = level[phase].dueDate;
              const up = parent[phase].dueDate;
              // no later than the parent minus the offset: exactly `cascade` working days lie in (child, parent]
              expect(child <= up).toBe(true);
              expect(workingDaysBetween(cal, child, up)).toBe(rules.cascadeWorkingDays);
            }
          }
        });

        const rootReport = plan.levels[0]!.report.dueDate;
        expect(plan.closesAt).toBe(instantAt(cal.addWorkingDays(rootReport, rules.escalationHorizonWorkingDays), '23:59:59'));
        const everything = plan.levels.flatMap((l) => [l.plan, l.report]).flatMap((p) => [p.dueAt, ...p.reminders, ...p.escalations.map((e) => e.at)]);
        for (const instant of everything) expect(instant <= plan.closesAt).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('only drops the reminders at or before the opening of the cycle', () => {
    fc.assert(
      fc.property(planInputArb, fc.integer({ min: 0, max: 365 * 24 }), (input, hours) => {
        const opensAt = DateTime.fromISO(`${input.year}-01-01T00:00:00`, { zone: 'Asia/Ho_Chi_Minh' }).plus({ hours }).toUTC().toISO()!;
        const all = computeDeadlinePlan(cal, input);
        const opened = computeDeadlinePlan(cal, { ...input, opensAt });
        opened.levels.forEach((level, i) => {
          for (const phase of ['plan', 'report'] as const) {
            expect(level[phase].reminders).toEqual(all.levels[i]![phase].reminders.filter((r) => r > opensAt));
            expect(level[phase].escalations).toEqual(all.levels[i]![phase].escalations);
          }
        });
      }),
      { numRuns: 60 },
    );
  });

  it('an extended deadline is rolled forward and keeps the same invariants', () => {
    fc.assert(
      fc.property(dateArb, rulesArb, (dueDate, rulesInput) => {
        const rules = computeDeadlinePlan(cal, { year: 2026, depths: 1, rules: rulesInput }).rules;
        const p = computePhaseDeadlines(cal, { dueDate, rules });
        expect(p.dueDate).toBe(firstWorkingOnOrAfter(dueDate));
        checkPhase(p, rules);
      }),
      { numRuns: 150 },
    );
  });
});
