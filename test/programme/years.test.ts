// The year logic of a multi-year programme (seed 000: plans of the first year within Q3, later years within Q1;
// an interim review around 19 May every year; the programme's own review in its last year). Pure functions:
// no server. Instants are compared in UTC, so the machine's time zone cannot matter.
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCalendar, REPORT_DUE_PRESETS, TIME_ZONE, type WorkingCalendar } from '../../activities/calendar';
import { checkProgrammeDeadlines, parseProgramme, programmeScheduleSpec, ProgrammeRequestError } from '../../client/programmes';
import {
  cycleInputFor,
  parseProgrammeId,
  programmeEndsAt,
  programmeId,
  programmeYear,
  programmeYearAt,
  programmeYears,
  REPORT_DUE_PRESET_NAMES,
  type ProgrammeSettingsInput,
} from '../../workflows/programme';

let calendar: WorkingCalendar;
beforeAll(async () => {
  calendar = await loadCalendar();
});

/** The Lào Cai plan of seed 000: issued in September 2021, so the first year's cycle starts then. */
const SEED: ProgrammeSettingsInput = {
  rootUnitId: 'LDLD-LC',
  firstYear: 2021,
  lastYear: 2025,
  title: 'Kế hoạch thực hiện Kết luận số 01-KL/TW, giai đoạn 2021–2025',
  years: { '2021': { startDate: '2021-09-06' } },
};

describe('what each year of a programme asks for', () => {
  it('first year: plans within Q3 and a year-end report; middle years: Q1 plans and the 19 May interim review; last year: the 5-year review', () => {
    const p = parseProgramme(SEED);
    const years = programmeYears(p);
    expect(years.map((y) => [y.year, y.firstYear, y.review, y.reportDue])).toEqual([
      [2021, true, 'first-year', 'annual'],
      [2022, false, 'interim', 'may-review'],
      [2023, false, 'interim', 'may-review'],
      [2024, false, 'interim', 'may-review'],
      [2025, false, 'final', 'annual'],
    ]);
    expect(years[1]!.reviewTitle).toContain('Sơ kết 2 năm');
    expect(years[3]!.reviewTitle).toContain('Sơ kết 4 năm');
    expect(years[4]!.reviewTitle).toMatch(/^Tổng kết 5 năm \/ 5-year review \(2021–2025\)$/);

    const plans = checkProgrammeDeadlines(p, calendar, 3);
    expect(plans.map((plan) => [plan.year, plan.firstYear, plan.levels[0]!.plan.dueDate])).toEqual([
      [2021, true, '2021-09-30'], // Q3
      [2022, false, '2022-03-31'], // Q1
      [2023, false, '2023-03-31'],
      [2024, false, '2024-04-01'], // 31/3/2024 is a Sunday: rolled forward
      [2025, false, '2025-03-31'],
    ]);
    // before the 19 May review in the middle years; at year end (14/12) in the first and the last
    expect(plans.map((plan) => plan.levels[0]!.report.dueDate)).toEqual(['2021-12-14', '2022-05-10', '2023-05-10', '2024-05-10', '2025-12-15']);
  });

  it('starts each year on 2 January, 08:00 in Asia/Ho_Chi_Minh unless the programme says otherwise — the same instants the schedule uses', () => {
    const p = parseProgramme(SEED);
    const years = programmeYears(p);
    expect(years.map((y) => y.startsAt)).toEqual([
      '2021-09-06T01:00:00.000Z',
      '2022-01-02T01:00:00.000Z',
      '2023-01-02T01:00:00.000Z',
      '2024-01-02T01:00:00.000Z',
      '2025-01-02T01:00:00.000Z',
    ]);
    // the workflow's fixed offset agrees with the zone database for every year
    for (const y of years) {
      expect(DateTime.fromISO(`${y.startDate}T${p.startTime}`, { zone: TIME_ZONE }).toUTC().toISO()).toBe(y.startsAt);
    }
    const spec = programmeScheduleSpec(p);
    expect(spec.timezone).toBe('Asia/Ho_Chi_Minh');
    expect(spec.calendars!.map((c) => [c.year, c.month, c.dayOfMonth, c.hour, c.minute])).toEqual([
      [2021, 'SEPTEMBER', 6, 8, 0],
      [2022, 'JANUARY', 2, 8, 0],
      [2023, 'JANUARY', 2, 8, 0],
      [2024, 'JANUARY', 2, 8, 0],
      [2025, 'JANUARY', 2, 8, 0],
    ]);
    expect(spec.endAt!.toISOString()).toBe(programmeEndsAt(p));
    expect(programmeEndsAt(p)).toBe('2025-12-31T17:00:00.000Z'); // 1/1/2026 00:00 local
  });

  it('takes the final report due as a date, and per-year exceptions', () => {
    const p = parseProgramme({
      rootUnitId: 'LDLD-BN',
      firstYear: 2026,
      lastYear: 2030,
      reportDue: { final: '2030-05-12' },
      years: { '2028': { reportDue: 'annual' }, '2029': { startDate: '2028-12-26' } },
    });
    expect(programmeYear(p, 2030)).toMatchObject({ review: 'final', reportDue: '2030-05-12' });
    expect(programmeYear(p, 2028)).toMatchObject({ review: 'interim', reportDue: 'annual' });
    expect(programmeYear(p, 2029)).toMatchObject({ startDate: '2028-12-26', startsAt: '2028-12-26T01:00:00.000Z' });
    const plans = checkProgrammeDeadlines(p, calendar, 3);
    expect(plans[4]!.levels[0]!.report.dueDate).toBe('2030-05-13'); // 12/5/2030 is a Sunday
    expect(() => programmeYear(p, 2031)).toThrow(RangeError);
  });

  it('has the calendar’s report-due presets, and ids that parse back', () => {
    expect([...REPORT_DUE_PRESET_NAMES].sort()).toEqual(Object.keys(REPORT_DUE_PRESETS).sort());
    const p = parseProgramme({ rootUnitId: 'LDLD-BN', firstYear: 2026, lastYear: 2030 });
    expect(programmeId(p)).toBe('programme-2026-2030-LDLD-BN');
    expect(parseProgrammeId('programme-2026-2030-LDLD-BN')).toEqual({ firstYear: 2026, lastYear: 2030, rootUnitId: 'LDLD-BN' });
    expect(parseProgrammeId('cycle-2026-LDLD-BN')).toBeUndefined();
    // a programme of a campaign: one per campaign at a root
    expect(parseProgrammeId('programme-2026-2030-LDLD-BN~bao-cao-quy')).toEqual({ firstYear: 2026, lastYear: 2030, rootUnitId: 'LDLD-BN', campaignId: 'bao-cao-quy' });
    expect(programmeId({ firstYear: 2026, lastYear: 2030, rootUnitId: 'LDLD-BN', campaign: { id: 'bao-cao-quy' } })).toBe('programme-2026-2030-LDLD-BN~bao-cao-quy');
    expect(parseProgrammeId('programme-2026-2030-LDLD-BN~builtin-yearly')).toBeUndefined();
    expect(parseProgrammeId('programme-2026-2030-LDLD-BN~Bao Cao')).toBeUndefined();
  });
});

describe('the year a scheduled run belongs to', () => {
  const p = parseProgramme({ rootUnitId: 'R', firstYear: 2026, lastYear: 2028, years: { '2028': { startDate: '2027-12-28' } } });

  it('is the latest year whose start is at or before the scheduled time', () => {
    expect(programmeYearAt(p, '2026-01-02T01:00:00.000Z')?.year).toBe(2026);
    expect(programmeYearAt(p, '2027-01-02T00:59:59.999Z')?.year).toBe(2026);
    expect(programmeYearAt(p, '2027-01-02T01:00:00.000Z')?.year).toBe(2027);
    expect(programmeYearAt(p, '2027-12-28T01:00:00.000Z')?.year).toBe(2028); // issued in December for the next year
    expect(programmeYearAt(p, Date.parse('2028-12-31T16:59:59.999Z'))?.year).toBe(2028);
  });

  it('is none before the first start or after the programme', () => {
    expect(programmeYearAt(p, '2026-01-02T00:59:59.999Z')).toBeUndefined();
    expect(programmeYearAt(p, '2028-12-31T17:00:00.000Z')).toBeUndefined(); // 1/1/2029 00:00 local
    expect(programmeYearAt(p, 'not a time')).toBeUndefined();
  });

  it('freezes the tree on the start date, or on the local date of a late run', () => {
    const y = programmeYear(p, 2027);
    expect(cycleInputFor(p, y, Date.parse(y.startsAt))).toEqual({
      cycleId: 'cycle-2027-R',
      year: 2027,
      rootUnitId: 'R',
      firstYear: false,
      reportDue: 'may-review',
      treeAsOf: '2027-01-02',
    });
    expect(cycleInputFor(p, y, Date.parse('2027-03-01T18:00:00Z')).treeAsOf).toBe('2027-03-02'); // 01:00 on 2/3 local
    expect(cycleInputFor(p, programmeYear(p, 2026), Date.parse('2026-01-02T01:00:00Z')).firstYear).toBe(true);
  });
});

describe('settings that cannot work are refused at creation, with the reason', () => {
  const refused = (input: ProgrammeSettingsInput, reason: RegExp) => {
    let error: unknown;
    try {
      checkProgrammeDeadlines(parseProgramme(input), calendar, 3);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ProgrammeRequestError);
    expect((error as Error).message).toMatch(reason);
  };

  it('refuses impossible years and exceptions', () => {
    refused({ rootUnitId: 'R', firstYear: 2030, lastYear: 2026 }, /lastYear: the last year \(2026\) comes before the first/);
    refused({ rootUnitId: 'R', firstYear: 2026, lastYear: 2036 }, /at most 10 years/);
    refused({ rootUnitId: 'R', firstYear: 2026, lastYear: 2030, years: { '2031': { reportDue: 'annual' } } }, /years\.2031: 2031 is not a year of the programme/);
    refused({ rootUnitId: 'R', firstYear: 2026, lastYear: 2030, years: { '2027': { startDate: '2025-12-30' } } }, /must start in 2026 or 2027/);
    refused({ rootUnitId: 'R', firstYear: 2026, lastYear: 2030, years: { '2028': { startDate: '2027-01-01' } } }, /2028 must start after the cycle of 2027/);
    refused({ rootUnitId: 'R', firstYear: 2026, lastYear: 2030, reportDue: { final: '2029-12-01' } }, /not in the last year 2030/);
    refused({ rootUnitId: 'bad id!', firstYear: 2026, lastYear: 2030 }, /rootUnitId: a unit id/);
  });

  it('refuses a May report in the first year (its plans come in at the end of Q3) and a start after plans are due', () => {
    refused({ rootUnitId: 'R', firstYear: 2026, lastYear: 2030, reportDue: { firstYear: 'may-review' } }, /year 2026 .*end of Q3/);
    refused({ rootUnitId: 'R', firstYear: 2026, lastYear: 2030, years: { '2027': { startDate: '2027-03-20' } } }, /year 2027: .*plans are due by .*Start it earlier/);
  });
});
