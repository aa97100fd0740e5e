// A fixed set of calendar outputs, computed in-process by the tests and by print-samples.ts in child processes
// running under other time zones.
import { computeDeadlinePlan, computePhaseDeadlines, loadCalendar, rehearsalTimeline } from '../../activities/calendar';

export async function calendarSamples(): Promise<unknown> {
  const cal = await loadCalendar();
  const plans = [
    computeDeadlinePlan(cal, { year: 2024, depths: 4 }),
    computeDeadlinePlan(cal, { year: 2025, depths: 3, reportDue: 'may-review', opensAt: '2025-03-01T00:00:00Z' }),
    computeDeadlinePlan(cal, { year: 2026, depths: 12, firstYear: false, rules: { reminderLocalTime: '23:30' } }),
    computeDeadlinePlan(cal, { year: 2027, depths: 3, firstYear: true, reportDue: '2027-12-31' }),
  ];
  return {
    plans,
    rehearsal: rehearsalTimeline(plans[2]!, { wallStart: '2026-06-01T12:00:00+07:00', minutes: 15 }),
    extension: computePhaseDeadlines(cal, { dueDate: '2026-02-14', rules: { reminderLocalTime: '00:30' } }),
    days: [2021, 2022, 2023, 2024, 2025, 2026, 2027].map((y) => cal.namedDays(y)),
    working: ['2026-01-10', '2026-02-16', '2025-04-26', '2025-05-02', '2027-02-10'].map((d) => [d, cal.isWorkingDay(d)]),
  };
}
