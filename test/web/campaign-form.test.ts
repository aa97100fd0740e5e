// The web form of a campaign phase, without a server: typed text → content (Vietnamese decimal commas, grouped
// thousands, lists), checked by the form's own schema; a stored content back into the form; the language links
// of a refused phase's page lead back to the unit's page.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignDefinitionSchema, formOf } from '../../domain/campaign';
import type { Form } from '../../domain/campaign-form';
import { formContentSchema } from '../../domain/campaign-validator';
import { pageUrlOf } from '../../client/web/http';
import { contentFromBody, FIELD_NAME, parseFigure, valuesOfContent } from '../../client/web/ops/campaign-task';

const EXAMPLE = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json'), 'utf8')) as { definition: unknown };
const quarter = formOf(campaignDefinitionSchema.parse(EXAMPLE.definition), 'quarter')!;
const withList: Form = { ...quarter, lists: [{ kind: 'commendations', key: 'awards', title: { vi: 'Khen thưởng', en: 'Awards' }, guidance: { vi: '', en: '' }, maxItems: 2, nameMaxBytes: 200, reasonMaxBytes: 500 }] };

describe('the campaign form on the web', () => {
  it('reads numbers as Vietnamese and English users type them; what is not a number stays text for the schema to refuse', () => {
    expect(parseFigure('87,5', 'decimal')).toBe(87.5);
    expect(parseFigure('87.5', 'decimal')).toBe(87.5);
    expect(parseFigure('12.000', 'integer')).toBe(12000);
    expect(parseFigure('1 200', 'integer')).toBe(1200);
    expect(parseFigure(' 7 ', 'integer')).toBe(7);
    expect(parseFigure('', 'integer')).toBeUndefined();
    expect(parseFigure('mười', 'integer')).toBe('mười');
    expect(parseFigure('1,2,3', 'decimal')).toBe('1,2,3');
  });

  it('builds the content the form schema checks: sections, figures, list rows with a name; a stored content comes back as the same fields', () => {
    const values = {
      [FIELD_NAME.section('results')]: 'Kết quả quý\r\ndòng hai',
      [FIELD_NAME.figure('trainingSessions')]: '3',
      [FIELD_NAME.figure('trainedWorkers')]: '30',
      [FIELD_NAME.figure('safetyNetworkRate')]: '66,6',
      [FIELD_NAME.figure('accidents')]: '0',
      [FIELD_NAME.listCell('awards', 0, 'name')]: 'Tổ may số 3',
      [FIELD_NAME.listCell('awards', 0, 'kind')]: 'collective',
      [FIELD_NAME.listCell('awards', 1, 'name')]: '',
      [FIELD_NAME.listCell('awards', 2, 'name')]: 'Nguyễn Văn Bình',
      [FIELD_NAME.listCell('awards', 2, 'kind')]: 'individual',
      [FIELD_NAME.listCell('awards', 2, 'reason')]: 'Sáng kiến an toàn',
    };
    const content = contentFromBody(withList, [], values);
    const parsed = formContentSchema(withList).parse(content);
    expect(parsed).toMatchObject({
      results: 'Kết quả quý\ndòng hai',
      figures: { trainingSessions: 3, trainedWorkers: 30, safetyNetworkRate: 66.6, accidents: 0 },
      awards: [
        { kind: 'collective', name: 'Tổ may số 3', reason: '' },
        { kind: 'individual', name: 'Nguyễn Văn Bình', reason: 'Sáng kiến an toàn' },
      ],
    });
    const back = valuesOfContent(withList, [], parsed as Record<string, unknown>);
    expect(back[FIELD_NAME.figure('safetyNetworkRate')]).toBe('66.6');
    expect(back[FIELD_NAME.listCell('awards', 1, 'name')]).toBe('Nguyễn Văn Bình');
    expect(back[FIELD_NAME.section('results')]).toBe('Kết quả quý\ndòng hai');
  });

  it('a blank figure, then a broken rule, are refused per field, the rule with its message in both languages', () => {
    const typed = { [FIELD_NAME.section('results')]: 'x', [FIELD_NAME.figure('trainingSessions')]: '9', [FIELD_NAME.figure('trainedWorkers')]: '3', [FIELD_NAME.figure('safetyNetworkRate')]: '1' };
    const messages = (values: Record<string, string>) => {
      const r = formContentSchema(quarter).safeParse(contentFromBody(quarter, [], values));
      return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join('.'), i.message]));
    };
    // the rules are checked once every figure is a number (as the workflow's validator does)
    expect(messages(typed)).toEqual({ 'figures.accidents': 'must be a number / phải là số' });
    expect(messages({ ...typed, [FIELD_NAME.figure('accidents')]: '0' })).toEqual({
      'figures.trainedWorkers': 'Workers trained cannot be fewer than training sessions / Số người được huấn luyện không thể ít hơn số buổi huấn luyện',
    });
  });

  it('the page answering a phase form links its languages to the unit page', () => {
    expect(pageUrlOf('POST', '/t/abc/phase/q1')).toBe('/t/abc');
    expect(pageUrlOf('POST', '/t/abc/phase/bao-cao-6-thang')).toBe('/t/abc');
  });
});
