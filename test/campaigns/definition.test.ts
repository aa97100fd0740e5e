// Campaign definitions: the quarterly example is valid, and every kind of bad input is refused with the field and
// the reason in English and Vietnamese (one line per field). The form-driven validator applies a decimal
// figure's digits and a cross-field rule.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignFileSchema, checkCampaignDefinition, formOf, type CampaignDefinition } from '../../domain/campaign';
import { maxContentBytes } from '../../domain/campaign-budget';
import { addCalendarDays, ruleBaseDate, weekdayCascade } from '../../domain/campaign-deadline';
import { validateFormContent } from '../../domain/campaign-validator';
import { formatFieldProblems } from '../../domain/field-errors';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json');
const file = campaignFileSchema.parse(JSON.parse(readFileSync(EXAMPLE, 'utf8')));
const parsedExample = checkCampaignDefinition(file.definition);
/** A fresh copy of the example, defaults applied, to spoil in a test. */
const quarterly = (): CampaignDefinition => {
  if (!parsedExample.ok) throw new Error(formatFieldProblems(parsedExample.problems));
  return structuredClone(parsedExample.definition);
};

function problemsOf(def: unknown): string {
  const check = checkCampaignDefinition(def);
  if (check.ok) throw new Error('expected the definition to be refused');
  return formatFieldProblems(check.problems);
}

describe('the quarterly example', () => {
  it('is a valid campaign: four report phases following each quarter', () => {
    const check = checkCampaignDefinition(file.definition);
    if (!check.ok) throw new Error(formatFieldProblems(check.problems));
    const def = check.definition;
    expect(def.phases.map((p) => ruleBaseDate(p.due, { year: 2027, firstYear: false }))).toEqual(['2027-04-15', '2027-07-15', '2027-10-15', '2028-01-15']);
    expect(def.document?.signer.title).toBe('TM. BAN THƯỜNG VỤ\nPHÓ CHỦ TỊCH');
    expect(formOf(def, 'quarter')!.figures.find((f) => f.key === 'safetyNetworkRate')).toMatchObject({ type: 'decimal', aggregation: 'max', decimals: 1 });
  });

  it('validates a submission with its decimal figure and its cross-field rule', () => {
    const form = formOf(quarterly(), 'quarter')!;
    const good = { results: 'Đã tổ chức 3 buổi huấn luyện.', figures: { trainingSessions: 3, trainedWorkers: 120, safetyNetworkRate: 87.5, accidents: 0 } };
    expect(validateFormContent(form, good)).toEqual({ ok: true, content: { ...good, issues: '' } });

    const bad = validateFormContent(form, { results: '', figures: { trainingSessions: 30, trainedWorkers: 12, safetyNetworkRate: 87.55, accidents: 1.5 } });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(formatFieldProblems(bad.problems).split('\n')).toEqual([
      'results: required / bắt buộc',
      'figures.safetyNetworkRate: at most 1 decimal place / tối đa 1 chữ số thập phân',
      'figures.accidents: must be a whole number / phải là số nguyên',
    ]);
    // the rule speaks once the figures themselves are right
    const rule = validateFormContent(form, { results: 'x', figures: { trainingSessions: 30, trainedWorkers: 12, safetyNetworkRate: 100, accidents: 0 } });
    expect(rule.ok ? [] : formatFieldProblems(rule.problems)).toBe(
      'figures.trainedWorkers: Workers trained cannot be fewer than training sessions / Số người được huấn luyện không thể ít hơn số buổi huấn luyện',
    );
    const over = validateFormContent(form, { results: 'x', figures: { trainingSessions: 0, trainedWorkers: 0, safetyNetworkRate: 100.5, accidents: 0 } });
    expect(over.ok ? [] : formatFieldProblems(over.problems)).toBe('figures.safetyNetworkRate: must be at most 100 / không được lớn hơn 100');
  });
});

describe('bad definitions are refused, naming the field, in both languages', () => {
  it('a campaign without phases', () => {
    expect(problemsOf({ ...quarterly(), phases: [] })).toBe('phases: a campaign needs at least one phase / đợt báo cáo cần ít nhất một giai đoạn');
  });

  it('duplicate figure keys', () => {
    const def = quarterly();
    def.forms[0]!.figures[2]!.key = 'trainingSessions';
    expect(problemsOf(def)).toBe('forms.0.figures.2.key: duplicate figure key "trainingSessions" (also figures.0) / mã chỉ tiêu "trainingSessions" bị trùng (đã có ở figures.0)');
  });

  it('a rule over an unknown figure, a phase with an unknown form, a reserved key, a duplicate phase', () => {
    const def = quarterly();
    def.forms[0]!.rules[0]!.left = 'trained';
    def.forms[0]!.sections[1]!.key = 'figures';
    def.phases[1]!.form = 'quarterly';
    def.phases[3]!.key = 'q1';
    expect(problemsOf(def).split('\n')).toEqual([
      'phases.3.key: duplicate phase key "q1" / mã giai đoạn "q1" bị trùng',
      'phases.1.form: no form "quarterly" in this campaign / đợt này không có mẫu "quarterly"',
      'forms.0.sections.1.key: "figures" is reserved: choose another key / "figures" là mã dành riêng: hãy chọn mã khác',
      'forms.0.rules.0.left: no figure "trained" in this form / mẫu này không có chỉ tiêu "trained"',
    ]);
  });

  it('a deadline the lowest level cannot meet: due before the cycle’s year starts', () => {
    const def = quarterly();
    def.phases[0]!.due = { kind: 'date', date: '01-10' };
    const lines = problemsOf(def).split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^phases\.0\.due: cannot be met: with 4 levels and 3 working days between levels, the lowest level would be due \d\d\/12\/\d{4}, before the cycle's year \d{4} starts; .* \/ không thể đáp ứng: với 4 cấp và 3 ngày làm việc giữa các cấp, cấp thấp nhất phải nộp ngày/,
    );
    // the same date is fine for a campaign of the root alone
    expect(checkCampaignDefinition({ ...def, checkedLevels: 1 }).ok).toBe(true);
  });

  it('phases out of order', () => {
    const def = quarterly();
    def.phases[2]!.due = { kind: 'quarter-end', quarter: 1, plusDays: 20 };
    expect(problemsOf(def)).toMatch(/^phases\.2\.due: must come after the previous phase "q2": due 20\/04\/2001, but "q2" is due 15\/07\/2001 \(in 2001\) \/ phải sau giai đoạn trước "q2"/);
  });

  it('a form whose maximal submission exceeds the 256 KiB budget', () => {
    const def = quarterly();
    def.forms[0]!.sections = Array.from({ length: 3 }, (_, i) => ({ key: `part${i}`, title: { vi: `Phần ${i}`, en: `Part ${i}` }, guidance: { vi: '', en: '' }, required: false, maxBytes: 90_000 }));
    expect(maxContentBytes(def.forms[0]!)).toBeGreaterThan(256 * 1024);
    expect(problemsOf(def)).toMatch(
      /^forms\.0\.sections: a submission with every field at its limit would be 270,\d{3} bytes, over the budget of 252,726: lower the sections' byte limits or the list sizes \/ một bài nộp điền tối đa mọi trường sẽ nặng 270\.\d{3} byte, vượt ngân sách 252\.726 byte/,
    );
  });

  it('shape errors: a bad deadline kind, a quarter 5, an empty label, bounds the wrong way round', () => {
    const def = quarterly() as unknown as { phases: { due: unknown }[]; forms: { figures: { min: number; max: number }[]; title: { vi: string } }[] };
    def.phases[0]!.due = { kind: 'weekly' };
    def.phases[1]!.due = { kind: 'quarter-end', quarter: 5 };
    def.forms[0]!.title.vi = '';
    def.forms[0]!.figures[0]!.min = 10;
    def.forms[0]!.figures[0]!.max = 5;
    expect(problemsOf(def).split('\n')).toEqual([
      'forms.0.title.vi: required / bắt buộc',
      'forms.0.figures.0.max: must not be below min (10) / không được nhỏ hơn min (10)',
      'phases.0.due.kind: one of yearly-plan, may-review, year-end, quarter-end, date / một trong yearly-plan, may-review, year-end, quarter-end, date',
      'phases.1.due.quarter: a quarter 1, 2, 3 or 4 / quý 1, 2, 3 hoặc 4',
    ]);
  });

  it('plan targets must name figures of a form reported on later', () => {
    const def = quarterly();
    def.forms.unshift({ key: 'plan', title: { vi: 'Kế hoạch', en: 'Plan' }, sections: [], figures: [], rules: [], lists: [], targets: { form: 'quarter', figures: ['trainedWorkers', 'nope'] } });
    def.phases.unshift({ key: 'plan', name: { vi: 'Kế hoạch', en: 'Plan' }, form: 'plan', due: { kind: 'date', date: '02-28' } });
    expect(problemsOf(def)).toBe('forms.0.targets.figures.1: form "quarter" has no figure "nope" / mẫu "quarter" không có chỉ tiêu "nope"');
    def.forms[0]!.targets!.figures = ['trainedWorkers'];
    const check = checkCampaignDefinition(def);
    expect(check.ok).toBe(true);
    const plan = formOf(def, 'plan')!;
    const target = formOf(def, 'quarter')!.figures.filter((f) => f.key === 'trainedWorkers');
    expect(validateFormContent(plan, { targets: { trainedWorkers: 500 } }, { targetFigures: target })).toEqual({ ok: true, content: { targets: { trainedWorkers: 500 } } });
    expect(validateFormContent(plan, { targets: { trainedWorkers: -1 } }, { targetFigures: target })).toMatchObject({ ok: false, problems: [{ field: 'targets.trainedWorkers' }] });
  });
});

describe('deadline arithmetic', () => {
  it('adds calendar days across months and years, and cascades over weekends', () => {
    expect(addCalendarDays('2027-12-31', 15)).toBe('2028-01-15');
    expect(addCalendarDays('2028-02-28', 1)).toBe('2028-02-29');
    // Saturday 15/01/2028 rolls to Monday 17/01, then 3 weekdays back: Wednesday 12/01
    expect(weekdayCascade('2028-01-15', 3)).toBe('2028-01-12');
    expect(weekdayCascade('2027-04-15', 0)).toBe('2027-04-15');
  });
});
