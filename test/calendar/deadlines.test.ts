import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CalendarInputError,
  DEFAULT_HOLIDAYS_FILE,
  DeadlineRuleError,
  computeDeadlinePlan,
  computePhaseDeadlines,
  createCalendarActivities,
  rehearsalTimeline,
} from '../../activities/calendar';
import { loadConfig } from '../../common/config';
import { shippedCalendar } from './helpers';

describe('plan deadlines', () => {
  it('rolls a Q1 deadline on a Sunday to Monday (31 March 2024)', async () => {
    const plan = computeDeadlinePlan(await shippedCalendar(), { year: 2024, depths: 1 });
    expect(plan.levels[0]!.plan.dueDate).toBe('2024-04-01');
    expect(plan.levels[0]!.plan.dueAt).toBe('2024-04-01T16:59:59.000Z');
  });

  it('puts the plan deadline at the end of Q3 in the first year of a programme', async () => {
    const cal = await shippedCalendar();
    const first2021 = computeDeadlinePlan(cal, { year: 2021, firstYear: true, depths: 1 });
    expect(first2021.firstYear).toBe(true);
    expect(first2021.levels[0]!.plan.dueAt).toBe('2021-09-30T16:59:59.000Z');
    const later2021 = computeDeadlinePlan(cal, { year: 2021, depths: 1 });
    expect(later2021.levels[0]!.plan.dueAt).toBe('2021-03-31T16:59:59.000Z');
    // 30 September 2023 is a Saturday
    expect(computeDeadlinePlan(cal, { year: 2023, firstYear: true, depths: 1 }).levels[0]!.plan.dueDate).toBe('2023-10-02');
  });

  it('cascades 5 working days per level, through Tết and the swapped Saturday of 10 Jan 2026', async () => {
    const plan = computeDeadlinePlan(await shippedCalendar(), { year: 2026, depths: 12 });
    expect(plan.levels.map((l) => l.plan.dueDate)).toEqual([
      '2026-03-31',
      '2026-03-24',
      '2026-03-17',
      '2026-03-10',
      '2026-03-03',
      '2026-02-24',
      '2026-02-10', // Tết 14–22 Feb is skipped
      '2026-02-03',
      '2026-01-27',
      '2026-01-20',
      '2026-01-13',
      '2026-01-07', // Saturday 10 Jan counts, 1–4 Jan do not
    ]);
    expect(plan.levels[6]!.plan.reminders[0]).toBe('2026-01-30T01:00:00.000Z');
  });

  it('computes the root plan reminders and escalations of 2026', async () => {
    const root = computeDeadlinePlan(await shippedCalendar(), { year: 2026, depths: 3 }).levels[0]!.plan;
    expect(root.reminders).toEqual(['2026-03-20T01:00:00.000Z', '2026-03-26T01:00:00.000Z', '2026-03-30T01:00:00.000Z']);
    expect(root.escalations).toEqual([
      { at: '2026-03-31T16:59:59.000Z', round: 1, target: 'parent' },
      { at: '2026-04-03T01:00:00.000Z', round: 2, target: 'parent' },
      { at: '2026-04-08T01:00:00.000Z', round: 3, target: 'parent' },
      { at: '2026-04-13T01:00:00.000Z', round: 4, target: 'parent' },
      { at: '2026-04-16T01:00:00.000Z', round: 5, target: 'grandparent' },
      { at: '2026-04-21T01:00:00.000Z', round: 6, target: 'grandparent' },
      { at: '2026-04-24T01:00:00.000Z', round: 7, target: 'grandparent' },
    ]);
  });

  it('puts the May-review report before the 30/4–1/5 2025 bridge, counting the working Saturday', async () => {
    const plan = computeDeadlinePlan(await shippedCalendar(), { year: 2025, depths: 3, reportDue: 'may-review' });
    // 10 May 2025 is a Saturday
    expect(plan.levels.map((l) => l.report.dueDate)).toEqual(['2025-05-12', '2025-05-05', '2025-04-24']);
    expect(plan.levels.map((l) => l.plan.dueDate)).toEqual(['2025-03-31', '2025-03-24', '2025-03-17']);
  });

  it('defaults the report to the annual cut-off (14 Dec) and closes 20 working days after it', async () => {
    const plan = computeDeadlinePlan(await shippedCalendar(), { year: 2026, depths: 3 });
    expect(plan.levels[0]!.report.dueAt).toBe('2026-12-14T16:59:59.000Z');
    expect(plan.closesAt).toBe('2027-01-12T16:59:59.000Z'); // 1 Jan 2027 is skipped
    expect(plan.timeline).toEqual({ kind: 'real' });
    expect(plan.timeZone).toBe('Asia/Ho_Chi_Minh');
    expect(plan.calendarVersion).toBe(JSON.parse(readFileSync(DEFAULT_HOLIDAYS_FILE, 'utf8')).version);
    expect(plan.rules).toEqual({
      cascadeWorkingDays: 5,
      reminderWorkingDaysBefore: [7, 3, 1],
      reminderLocalTime: '08:00',
      escalationEveryWorkingDays: 3,
      climbAfterWorkingDays: 10,
      escalationHorizonWorkingDays: 20,
    });
  });

  it('accepts an explicit report date and custom rules', async () => {
    const plan = computeDeadlinePlan(await shippedCalendar(), {
      year: 2026,
      depths: 2,
      reportDue: '2026-11-01', // a Sunday
      rules: { cascadeWorkingDays: 2, reminderWorkingDaysBefore: [1, 2, 2], reminderLocalTime: '14:30', escalationHorizonWorkingDays: 4 },
    });
    expect(plan.rules.reminderWorkingDaysBefore).toEqual([2, 1]);
    expect(plan.levels[0]!.report.dueDate).toBe('2026-11-02');
    expect(plan.levels[1]!.report.dueDate).toBe('2026-10-29');
    expect(plan.levels[0]!.report.reminders).toEqual(['2026-10-29T07:30:00.000Z', '2026-10-30T07:30:00.000Z']);
    expect(plan.levels[0]!.report.escalations.map((e) => e.at)).toEqual(['2026-11-02T16:59:59.000Z', '2026-11-05T07:30:00.000Z']);
  });

  it('leaves out reminders before the cycle opens', async () => {
    const plan = computeDeadlinePlan(await shippedCalendar(), { year: 2026, depths: 1, opensAt: '2026-03-26T08:00:00+07:00' });
    expect(plan.levels[0]!.plan.reminders).toEqual(['2026-03-30T01:00:00.000Z']);
  });

  it('refuses a report due before the plan, with a clear reason', async () => {
    const cal = await shippedCalendar();
    expect(() => computeDeadlinePlan(cal, { year: 2026, firstYear: true, depths: 3, reportDue: 'may-review' })).toThrow(DeadlineRuleError);
    expect(() => computeDeadlinePlan(cal, { year: 2026, firstYear: true, depths: 3, reportDue: 'may-review' })).toThrow(
      /report deadline must come after the plan deadline.*first year/,
    );
    expect(() => computeDeadlinePlan(cal, { year: 2026, depths: 1, reportDue: '2026-03-31' })).toThrow(DeadlineRuleError);
  });

  it('refuses a cascade that would start before the year', async () => {
    const cal = await shippedCalendar();
    expect(() => computeDeadlinePlan(cal, { year: 2026, depths: 20, rules: { cascadeWorkingDays: 10 } })).toThrow(/before year 2026 starts/);
  });

  it('rejects malformed input with the field named', async () => {
    const cal = await shippedCalendar();
    expect(() => computeDeadlinePlan(cal, { year: 2026, depths: 0 })).toThrow(CalendarInputError);
    expect(() => computeDeadlinePlan(cal, { year: 2026, depths: 2, reportDue: '14/12/2026' })).toThrow(/reportDue/);
    expect(() => computeDeadlinePlan(cal, { year: 2026, depths: 2, rules: { reminderLocalTime: '8h' } })).toThrow(/rules\.reminderLocalTime/);
  });
});

describe('phase deadlines for an extension', () => {
  it('rolls the new date forward and lists every reminder, past ones included', async () => {
    const p = computePhaseDeadlines(await shippedCalendar(), { dueDate: '2026-02-15' });
    expect(p.dueDate).toBe('2026-02-23');
    expect(p.dueAt).toBe('2026-02-23T16:59:59.000Z');
    expect(p.reminders).toEqual(['2026-02-05T01:00:00.000Z', '2026-02-11T01:00:00.000Z', '2026-02-13T01:00:00.000Z']);
    expect(p.escalations[0]).toEqual({ at: p.dueAt, round: 1, target: 'parent' });
  });

  it('can continue the escalation numbering of the deadline it extends', async () => {
    const p = computePhaseDeadlines(await shippedCalendar(), { dueDate: '2026-05-15', firstRound: 4 });
    expect(p.escalations.map((e) => e.round)).toEqual([4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('rehearsal timeline', () => {
  it('spans 1 January 00:00 local to closesAt by default', async () => {
    const plan = computeDeadlinePlan(await shippedCalendar(), { year: 2026, depths: 3 });
    expect(rehearsalTimeline(plan, { wallStart: '2026-05-01T10:00:00+07:00', minutes: 30 })).toEqual({
      kind: 'rehearsal',
      calendarStart: '2025-12-31T17:00:00.000Z',
      calendarEnd: plan.closesAt,
      wallStart: '2026-05-01T03:00:00.000Z',
      minutes: 30,
    });
  });

  it('starts earlier when the first reminder is before 1 January', async () => {
    const plan = computeDeadlinePlan(await shippedCalendar(), { year: 2026, depths: 12 });
    // the lowest level is due 7 Jan 2026; its first reminder, 7 working days earlier, is 25 Dec 2025
    expect(plan.levels[11]!.plan.reminders[0]).toBe('2025-12-25T01:00:00.000Z');
    expect(rehearsalTimeline(plan, { wallStart: '2026-05-01T03:00:00Z', minutes: 10 }).calendarStart).toBe('2025-12-24T17:00:00.000Z');
  });

  it('refuses an explicit start after the first event', async () => {
    const plan = computeDeadlinePlan(await shippedCalendar(), { year: 2026, depths: 1 });
    expect(() => rehearsalTimeline(plan, { wallStart: '2026-05-01T03:00:00Z', minutes: 10, calendarStart: '2026-03-25T00:00:00Z' })).toThrow(
      DeadlineRuleError,
    );
    expect(() => rehearsalTimeline(plan, { wallStart: '2026-05-01T03:00:00Z', minutes: 0 })).toThrow(CalendarInputError);
  });
});

describe('calendar activities', () => {
  it('compute plans and phase deadlines as JSON, with the configured holiday file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baocao-cal-'));
    const file = join(dir, 'holidays.json');
    const data = JSON.parse(readFileSync(DEFAULT_HOLIDAYS_FILE, 'utf8'));
    data.version = 'with-culture-day';
    data.years['2026'].closures.push({
      from: '2026-11-24',
      to: '2026-11-24',
      name: { vi: 'Ngày Văn hóa Việt Nam', en: 'Vietnamese Culture Day' },
      source: 'test',
    });
    writeFileSync(file, JSON.stringify(data));
    const activities = createCalendarActivities({ config: loadConfig({ BAOCAO_HOLIDAYS_FILE: file }) });

    const plan = await activities.computeCyclePlan({ year: 2026, firstYear: false, depths: 2, rehearsal: { wallStart: '2026-05-01T03:00:00Z', minutes: 20 } });
    expect(plan.calendarVersion).toBe('with-culture-day');
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
    expect(plan.timeline).toMatchObject({ kind: 'rehearsal', calendarStart: '2025-12-31T17:00:00.000Z', calendarEnd: plan.closesAt, minutes: 20 });

    const ext = await activities.computePhaseDeadlines({ dueDate: '2026-11-24', rules: plan.rules });
    expect(ext.dueDate).toBe('2026-11-25');
  });

  it('start a rehearsal at the cycle opening when it is given', async () => {
    const activities = createCalendarActivities({ config: loadConfig({}) });
    const plan = await activities.computeCyclePlan({
      year: 2026,
      depths: 1,
      opensAt: '2026-03-02T09:00:00+07:00',
      rehearsal: { wallStart: '2026-05-01T03:00:00Z', minutes: 5 },
    });
    expect(plan.timeline).toMatchObject({ calendarStart: '2026-03-02T02:00:00.000Z' });
  });

  it('throw typed errors whose code is the class name', async () => {
    const activities = createCalendarActivities({ config: loadConfig({}) });
    const err = await activities.computeCyclePlan({ year: 2026, depths: 3, firstYear: true, reportDue: 'may-review' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlineRuleError);
    expect((err as DeadlineRuleError).code).toBe('DeadlineRuleError');
    expect((err as Error).name).toBe('DeadlineRuleError');
    const bad = await activities.computeCyclePlan({ year: 2026, depths: 3, extra: 1 } as never).catch((e: unknown) => e);
    expect((bad as CalendarInputError).code).toBe('CalendarInputError');
  });
});
