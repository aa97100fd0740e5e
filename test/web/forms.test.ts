// Forms ⇄ workflow content: what a person types becomes exactly what the workflow schema accepts, and every
// refusal is one message next to the right field, in the page's language.
import { describe, expect, it } from 'vitest';
import { planContentSchema, reportContentSchema, TITLE_MAX_BYTES } from '../../workflows/report';
import { WebValidationError } from '../../client/web/errors';
import {
  commendationRows,
  fieldErrors,
  parseCount,
  planCandidate,
  planFormFromBody,
  reportCandidate,
  reportFormFromBody,
  reportFormFromContent,
} from '../../client/web/forms';
import { html, multiline } from '../../client/web/html';
import { pageUrlOf } from '../../client/web/http';

describe('counts as typed', () => {
  it('reads plain and grouped numbers, and leaves anything else for the schema to refuse', () => {
    expect(parseCount('12')).toBe(12);
    expect(parseCount(' 1.200 ')).toBe(1200);
    expect(parseCount('1,200,000')).toBe(1_200_000);
    expect(parseCount('12 345')).toBe(12_345);
    expect(parseCount('')).toBeUndefined();
    expect(parseCount('1.2')).toBe('1.2');
    expect(parseCount('mười')).toBe('mười');
  });
});

describe('the report form', () => {
  const body = {
    leadership: 'Ban Thường vụ ban hành Kế hoạch số 05/KH-CĐCS.',
    implementation: 'Tổ chức 3 lớp học tập chuyên đề.',
    assessment: '',
    recommendations: '',
    'figures.studyClasses': '3',
    'figures.participants': '1.200',
    'figures.exemplaryModels': '0',
    'figures.exemplaryPeople': '2',
    commendation_kind: ['individual', 'collective', 'collective'],
    commendation_name: ['Nguyễn Thị Hương', '', ''],
    commendation_reason: ['Gương điển hình', '', ''],
  };

  it('becomes report content the workflow schema accepts, empty commendation rows dropped', () => {
    const form = reportFormFromBody(body);
    expect(form.commendations).toEqual([{ kind: 'individual', name: 'Nguyễn Thị Hương', reason: 'Gương điển hình' }]);
    const content = reportContentSchema.parse(reportCandidate(form));
    expect(content.figures).toEqual({ studyClasses: 3, participants: 1200, exemplaryModels: 0, exemplaryPeople: 2 });
    expect(content.commendations).toHaveLength(1);
    // …and back: a returned report reopens with what was sent.
    expect(reportFormFromContent(content).figures.participants).toBe('1200');
  });

  it('names every failing field with a message in the page language', () => {
    const form = reportFormFromBody({
      ...body,
      'figures.participants': 'nhiều',
      'figures.studyClasses': '',
      commendation_kind: 'collective',
      commendation_name: '',
      commendation_reason: 'lý do mà không có tên',
    });
    const candidate = reportCandidate(form);
    const result = reportContentSchema.safeParse(candidate);
    expect(result.success).toBe(false);
    const vi = fieldErrors(result.error!, 'vi', candidate);
    expect(vi['figures.participants']).toBe('Phải là số (ví dụ 12 hoặc 1.200).');
    expect(vi['figures.studyClasses']).toBe('Bắt buộc nhập.');
    expect(vi['commendations.0.name']).toBe('Bắt buộc nhập.');
    const en = fieldErrors(result.error!, 'en', candidate);
    expect(en['figures.participants']).toBe('Must be a number (e.g. 12 or 1,200).');
  });

  it('always offers empty rows to type new commendations into', () => {
    expect(commendationRows([])).toHaveLength(3);
    expect(commendationRows([{ kind: 'collective', name: 'A', reason: '' }])).toHaveLength(3);
    expect(commendationRows(Array.from({ length: 5 }, () => ({ kind: 'collective', name: 'A', reason: '' })))).toHaveLength(7);
  });
});

describe('the plan form', () => {
  it('requires a title and a body, in both languages', () => {
    const candidate = planCandidate(planFormFromBody({ title: '  ', number: '05/KH', body: '' }));
    const result = planContentSchema.safeParse(candidate);
    expect(fieldErrors(result.error!, 'vi', candidate)).toEqual({ title: 'Bắt buộc nhập.', body: 'Bắt buộc nhập.' });
    expect(fieldErrors(result.error!, 'en', candidate)).toEqual({ title: 'Required.', body: 'Required.' });
  });

  it('reports an over-long title with its limit in bytes and in characters of Vietnamese', () => {
    const candidate = planCandidate(planFormFromBody({ title: 'ệ'.repeat(201), body: 'b' }));
    const result = planContentSchema.safeParse(candidate);
    expect(fieldErrors(result.error!, 'vi', candidate).title).toBe('Tối đa 600 byte (khoảng 200 ký tự tiếng Việt có dấu); văn bản này có 603 byte.');
    expect(fieldErrors(result.error!, 'en', candidate).title).toBe('At most 600 bytes (about 200 characters of Vietnamese); this text has 603.');
  });

  it('refuses text far past a field’s limit with that field’s message, never a bare schema error', () => {
    const err = (() => {
      try {
        planFormFromBody({ title: 'x'.repeat(2 * TITLE_MAX_BYTES + 1), body: 'b' }, 'en');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(WebValidationError);
    expect((err as WebValidationError).fields).toEqual({ title: 'At most 600 bytes (about 200 characters of Vietnamese).' });
    expect((err as WebValidationError).message).toBe('title: At most 600 bytes (about 200 characters of Vietnamese).');
  });
});

describe('HTML', () => {
  it('escapes interpolated text and keeps nested markup', () => {
    const name = '<img src=x onerror=alert(1)> "Đức Giang" & co';
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;img src=x onerror=alert(1)&gt; &quot;Đức Giang&quot; &amp; co">&lt;img src=x onerror=alert(1)&gt; &quot;Đức Giang&quot; &amp; co</p>',
    );
    expect(html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.value).toBe('<ul><li>a&lt;</li><li>b</li></ul>');
    expect(multiline('dòng 1\n<b>dòng 2</b>').value).toBe('dòng 1<br>&lt;b&gt;dòng 2&lt;/b&gt;');
  });
});

describe('language links of a page answering a form', () => {
  it('point to the GET page the form belongs to, never to the POST address', () => {
    expect(pageUrlOf('GET', '/t/abc?done=plan-draft')).toBe('/t/abc?done=plan-draft');
    expect(pageUrlOf('POST', '/t/abc/plan')).toBe('/t/abc');
    expect(pageUrlOf('POST', '/cycles/cycle-2027-X/units/U1/review')).toBe('/cycles/cycle-2027-X/units/U1');
    expect(pageUrlOf('POST', '/cycles')).toBe('/cycles/new');
    expect(pageUrlOf('POST', '/signin/tok')).toBe('/signin');
  });
});
