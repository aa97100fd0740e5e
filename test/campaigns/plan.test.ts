// A campaign's deadline plan from its phases' rules, on the shipped holiday calendar: the built-in campaign gives
// exactly today's plan (plan and report, every level, reminders, escalations, close); the quarterly example gives
// four deadlines per level, each cascading in working days; rules that cannot be met are refused.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeCampaignPlan } from '../../activities/calendar/campaign-plan';
import { computeDeadlinePlan } from '../../activities/calendar/deadlines';
import { campaignFileSchema, checkCampaignDefinition } from '../../domain/campaign';
import { BUILTIN_CAMPAIGN } from '../../domain/campaign-builtin';
import { shippedCalendar, workingDaysBetween } from '../calendar/helpers';

const example = (() => {
  const file = campaignFileSchema.parse(JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json'), 'utf8')));
  const check = checkCampaignDefinition(file.definition);
  if (!check.ok) throw new Error('the example is invalid');
  return check.definition;
})();

describe('the deadline plan of a campaign', () => {
  it('is today’s plan for the built-in campaign, first year or not, whatever the report date', async () => {
    const cal = await shippedCalendar();
    for (const [firstYear, reportDue] of [
      [false, undefined],
      [true, undefined],
      [false, 'may-review'],
      [false, '2027-11-20'],
    ] as const) {
      const today = computeDeadlinePlan(cal, { year: 2027, firstYear, depths: 4, reportDue, opensAt: '2027-01-04T01:00:00.000Z' });
      const dueOverrides: Record<string, string> = reportDue === 'may-review' ? {} : reportDue ? { report: reportDue } : {};
      const phases = reportDue === 'may-review' ? BUILTIN_CAMPAIGN.phases.map((p) => (p.key === 'report' ? { ...p, due: { kind: 'may-review' as const } } : p)) : BUILTIN_CAMPAIGN.phases;
      const byCampaign = computeCampaignPlan(cal, { year: 2027, firstYear, depths: 4, phases, dueOverrides, opensAt: '2027-01-04T01:00:00.000Z' });
      expect(byCampaign.phaseKeys).toEqual(['plan', 'report']);
      expect(byCampaign.levels.map((l) => ({ depth: l.depth, plan: l.phases.plan, report: l.phases.report }))).toEqual(today.levels);
      expect(byCampaign.closesAt).toBe(today.closesAt);
      expect(byCampaign.rules).toEqual(today.rules);
    }
  });

  it('gives the quarterly example four deadlines per level, each level 3 working days before the one above', async () => {
    const cal = await shippedCalendar();
    const plan = computeCampaignPlan(cal, { year: 2027, depths: 4, phases: example.phases, rules: example.schedule });
    expect(plan.phaseKeys).toEqual(['q1', 'q2', 'q3', 'q4']);
    // 15/4/2027 is a Thursday; 15/10/2027 a Friday; 15/7/2027 a Thursday; 15/1/2028 a Saturday → Monday 17/1
    expect(plan.phaseKeys.map((k) => plan.levels[0]!.phases[k]!.dueDate)).toEqual(['2027-04-15', '2027-07-15', '2027-10-15', '2028-01-17']);
    for (const k of plan.phaseKeys) {
      for (let d = 1; d < 4; d++) {
        const above = plan.levels[d - 1]!.phases[k]!.dueDate;
        const below = plan.levels[d]!.phases[k]!.dueDate;
        expect(workingDaysBetween(cal, below, above), `${k} level ${d}`).toBe(3);
        expect(cal.isWorkingDay(below)).toBe(true);
      }
      expect(plan.levels[3]!.phases[k]!.reminders.length).toBeGreaterThan(0);
    }
    expect(plan.closesAt > plan.levels[0]!.phases.q4!.dueAt).toBe(true);
  });

  it('refuses phases that fall out of order at some level, and a cascade that starts before the year', async () => {
    const cal = await shippedCalendar();
    const twoSameDay = [
      { key: 'a', due: { kind: 'date' as const, date: '2027-05-08' } }, // a Saturday: rolls to Monday 10/5
      { key: 'b', due: { kind: 'date' as const, date: '2027-05-10' } },
    ];
    expect(() => computeCampaignPlan(cal, { year: 2027, depths: 2, phases: twoSameDay })).toThrow(/phase "b" must be due after phase "a": at level 0 it would be due 10\/05\/2027 \(Thứ Hai\) but "a" 10\/05\/2027 \(Thứ Hai\)\. Choose a later date for "b"\.$/);
    expect(() => computeCampaignPlan(cal, { year: 2027, depths: 6, phases: [{ key: 'early', due: { kind: 'date', date: '01-20' } }] })).toThrow(
      /^Cấp thấp nhất phải nộp trước khi năm 2027 bắt đầu \/ too many levels for the cascade: with 6 levels and 5 working days between levels, the lowest level would be due \d\d\/12\/2026/,
    );
  });
});
