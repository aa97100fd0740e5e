// The built-in campaign is today's fixed forms: same sections, limits and figures as workflows/report.ts, and its
// form-driven validator accepts and refuses what today's schemas do, field for field (property-tested).
import { defaultPayloadConverter } from '@temporalio/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { checkCampaignDefinition, formOf } from '../../domain/campaign';
import { maxSubmissionBytes, SUBMISSION_ENVELOPE_RESERVE_BYTES } from '../../domain/campaign-budget';
import { BUILTIN_CAMPAIGN } from '../../domain/campaign-builtin';
import { formContentSchema, validateFormContent } from '../../domain/campaign-validator';
import { fieldProblems } from '../../domain/field-errors';
import {
  COMMENDATION_NAME_MAX_BYTES,
  COMMENDATION_REASON_MAX_BYTES,
  FIGURE_KEYS,
  MAX_COMMENDATIONS,
  PLAN_BODY_MAX_BYTES,
  PLAN_NUMBER_MAX_BYTES,
  planContentSchema,
  reportContentSchema,
  SECTION_MAX_BYTES,
  SUBMISSION_MAX_JSON_BYTES,
  TITLE_MAX_BYTES,
  UNIT_FIGURE_MAX,
} from '../../workflows/report';
import { submitReportInputSchema, SUBMITTED_BY_MAX_BYTES } from '../../workflows/messages';
import { textOf } from '../inputs/support';

const plan = formOf(BUILTIN_CAMPAIGN, 'plan')!;
const report = formOf(BUILTIN_CAMPAIGN, 'report')!;

describe('the built-in campaign', () => {
  it('is a valid definition: two phases, plan then report, each with its form', () => {
    const check = checkCampaignDefinition(BUILTIN_CAMPAIGN);
    expect(check).toEqual({ ok: true, definition: BUILTIN_CAMPAIGN });
    expect(BUILTIN_CAMPAIGN.phases.map((p) => [p.key, p.form, p.due.kind])).toEqual([
      ['plan', 'plan', 'yearly-plan'],
      ['report', 'report', 'year-end'],
    ]);
  });

  it('has the fixed plan form: title, number, body with their limits', () => {
    expect(Object.keys(planContentSchema.shape)).toEqual([...plan.sections.map((s) => s.key), 'files']);
    expect(plan.sections.map((s) => [s.key, s.maxBytes, s.required])).toEqual([
      ['title', TITLE_MAX_BYTES, true],
      ['number', PLAN_NUMBER_MAX_BYTES, false],
      ['body', PLAN_BODY_MAX_BYTES, true],
    ]);
    expect(plan.figures).toEqual([]);
  });

  it('has the fixed report form: the four outline sections, the four figures, the commendations', () => {
    const fixedKeys = Object.keys(reportContentSchema.shape);
    expect(fixedKeys).toEqual([...report.sections.map((s) => s.key), 'figures', ...report.lists.map((l) => l.key), 'files']);
    expect(report.sections.every((s) => s.maxBytes === SECTION_MAX_BYTES && !s.required)).toBe(true);
    expect(report.figures.map((f) => f.key)).toEqual([...FIGURE_KEYS]);
    expect(report.figures.every((f) => f.type === 'integer' && f.min === 0 && f.max === UNIT_FIGURE_MAX && f.aggregation === 'sum')).toBe(true);
    expect(report.lists).toEqual([expect.objectContaining({ kind: 'commendations', maxItems: MAX_COMMENDATIONS, nameMaxBytes: COMMENDATION_NAME_MAX_BYTES, reasonMaxBytes: COMMENDATION_REASON_MAX_BYTES })]);
    expect(report.rules).toEqual([]);
  });

  it('computes a budget bound no lower than the real maximal payload, and within the payload budget', () => {
    const content = {
      leadership: textOf(SECTION_MAX_BYTES, 'escapes'),
      implementation: textOf(SECTION_MAX_BYTES, 'escapes'),
      assessment: textOf(SECTION_MAX_BYTES, 'escapes'),
      recommendations: textOf(SECTION_MAX_BYTES, 'escapes'),
      figures: Object.fromEntries(FIGURE_KEYS.map((k) => [k, UNIT_FIGURE_MAX])),
      commendations: Array.from({ length: MAX_COMMENDATIONS }, () => ({
        kind: 'individual' as const,
        name: textOf(COMMENDATION_NAME_MAX_BYTES, 'escapes'),
        reason: textOf(COMMENDATION_REASON_MAX_BYTES, 'escapes'),
      })),
    };
    const submission = submitReportInputSchema.parse({ idempotencyKey: 'k'.repeat(128), channel: 'test', submittedBy: textOf(SUBMITTED_BY_MAX_BYTES, 'escapes'), content });
    const payload = defaultPayloadConverter.toPayload(submission).data!.length;
    const bound = maxSubmissionBytes(report);
    expect(bound).toBeGreaterThanOrEqual(payload);
    expect(bound - payload).toBeLessThan(20); // the bound is tight ("channel" is 4 letters at most, "test" is 4)
    expect(bound + SUBMISSION_ENVELOPE_RESERVE_BYTES).toBeLessThanOrEqual(SUBMISSION_MAX_JSON_BYTES);
    expect(validateFormContent(report, content)).toEqual({ ok: true, content });
  });
});

// ---- property: the form-driven validator decides as today's schemas do ----

/** Texts around the limits: short, exactly at, just over; Vietnamese, escapes, control characters, NFD. */
const textArb = (maxBytes: number) =>
  fc.oneof(
    fc.constantFrom('', '  ', 'Kế hoạch', 'Ke\u0302\u0301 hoa\u0323ch', 'a\u0007b', 'dòng 1\r\ndòng 2', '\uD800'),
    fc.constantFrom(maxBytes, maxBytes + 1, maxBytes - 1).map((n) => textOf(Math.max(n, 1))),
    fc.constantFrom(maxBytes, maxBytes + 1).map((n) => textOf(n, 'escapes')),
    fc.string({ maxLength: 40 }),
    fc.integer(),
  );
const figureArb = fc.oneof(
  fc.integer({ min: 0, max: UNIT_FIGURE_MAX }),
  fc.constantFrom(-1, UNIT_FIGURE_MAX + 1, 1.5, 0.1, '7', null, Number.MAX_SAFE_INTEGER),
);
const figuresArb = fc.oneof(
  fc.record(Object.fromEntries(FIGURE_KEYS.map((k) => [k, figureArb]))),
  fc.record(Object.fromEntries(FIGURE_KEYS.map((k) => [k, figureArb])), { requiredKeys: [] }),
  fc.constant({ studyClasses: 1, participants: 2, exemplaryModels: 3, exemplaryPeople: 4, extra: 5 }),
  fc.constant('none'),
);
const commendationArb = fc.record(
  {
    kind: fc.constantFrom('collective', 'individual', 'team'),
    name: textArb(COMMENDATION_NAME_MAX_BYTES),
    reason: textArb(COMMENDATION_REASON_MAX_BYTES),
  },
  { requiredKeys: ['kind', 'name'] },
);
const commendationsArb = fc.oneof(
  fc.array(commendationArb, { maxLength: 3 }),
  fc.constantFrom(MAX_COMMENDATIONS, MAX_COMMENDATIONS + 1).map((n) => Array.from({ length: n }, () => ({ kind: 'collective', name: 'Công đoàn cơ sở', reason: '' }))),
);
const reportArb = fc.record(
  {
    leadership: textArb(SECTION_MAX_BYTES),
    implementation: textArb(SECTION_MAX_BYTES),
    assessment: textArb(SECTION_MAX_BYTES),
    recommendations: textArb(SECTION_MAX_BYTES),
    figures: figuresArb,
    commendations: commendationsArb,
  },
  // today's report asks every section's key (an absent one is refused); the form takes an absent optional section
  // as empty — the one difference, asserted on its own below
  { requiredKeys: ['leadership', 'implementation', 'assessment', 'recommendations'] },
);
const planArb = fc.record(
  { title: textArb(TITLE_MAX_BYTES), number: textArb(PLAN_NUMBER_MAX_BYTES), body: textArb(PLAN_BODY_MAX_BYTES), extra: fc.constant('x') },
  { requiredKeys: [] },
);

function sameDecision(fixed: typeof reportContentSchema | typeof planContentSchema, form: typeof report, input: unknown) {
  const today = fixed.safeParse(input);
  const byForm = formContentSchema(form).safeParse(input);
  expect(byForm.success).toBe(today.success);
  if (today.success && byForm.success) expect(byForm.data).toEqual(today.data);
  else {
    const fields = (e: { issues: readonly z.core.$ZodIssue[] }) => fieldProblems(e).map((p) => p.field);
    expect(fields(byForm.error!)).toEqual(fields(today.error!));
    // text fields share one schema (domain/text.ts): their messages are the same words
    const texts = (e: { issues: readonly z.core.$ZodIssue[] }) => fieldProblems(e).filter((p) => !p.field.startsWith('figures'));
    expect(texts(byForm.error!)).toEqual(texts(today.error!));
  }
}

describe('the form-driven validator against today’s schemas (built-in forms)', () => {
  it('decides every report as reportContentSchema does: same acceptance, same content, same fields', () => {
    fc.assert(fc.property(reportArb, (input) => sameDecision(reportContentSchema, report, input)), { numRuns: 200, seed: 15 });
  });

  it('decides every plan as planContentSchema does', () => {
    fc.assert(fc.property(planArb, (input) => sameDecision(planContentSchema, plan, input)), { numRuns: 300, seed: 16 });
  });

  it('takes an absent optional section as empty, where today’s report asks for its key', () => {
    const content = { implementation: '', assessment: '', recommendations: '', figures: { studyClasses: 0, participants: 0, exemplaryModels: 0, exemplaryPeople: 0 } };
    expect(reportContentSchema.safeParse(content).success).toBe(false);
    expect(validateFormContent(report, content)).toEqual({ ok: true, content: { leadership: '', ...content, commendations: [] } });
  });
});
