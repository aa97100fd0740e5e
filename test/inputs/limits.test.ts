// Sizes in bytes as stored: every field at its limit is accepted, one byte more is refused naming the field, and
// a submission with EVERY field at its limit — 200 maximal commendations, worst-case JSON escaping — still fits
// in one payload (PAYLOAD_BUDGET_BYTES) as Temporal encodes it.
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { validationMessage } from '../../workflows/field-errors';
import {
  COMMENT_MAX_BYTES,
  extendInputSchema,
  reviewInputSchema,
  SUBMITTED_BY_MAX_BYTES,
  submitPlanInputSchema,
  submitReportInputSchema,
  type SubmitReportInput,
} from '../../workflows/messages';
import {
  COMMENDATION_NAME_MAX_BYTES,
  COMMENDATION_REASON_MAX_BYTES,
  MAX_COMMENDATIONS,
  PLAN_BODY_MAX_BYTES,
  PLAN_NUMBER_MAX_BYTES,
  planContentSchema,
  reportContentSchema,
  SECTION_MAX_BYTES,
  SUBMISSION_MAX_JSON_BYTES,
  TITLE_MAX_BYTES,
  type ReportContent,
} from '../../workflows/report';
import { byteLimitText, jsonBytes, PAYLOAD_BUDGET_BYTES, storedBytes, utf8Bytes, vietnameseCharsIn } from '../../workflows/text';
import { FILE_NAME_MAX_BYTES, MAX_FILES_PER_SUBMISSION } from '../../domain/file-ref';
import { textOf } from './support';

const KEY = 'k'.repeat(128); // the longest idempotency key

function fullReport(pattern: 'vietnamese' | 'escapes', over?: string): ReportContent {
  const t = (field: string, bytes: number) => textOf(field === over ? bytes + 1 : bytes, pattern);
  return {
    leadership: t('leadership', SECTION_MAX_BYTES),
    implementation: t('implementation', SECTION_MAX_BYTES),
    assessment: t('assessment', SECTION_MAX_BYTES),
    recommendations: t('recommendations', SECTION_MAX_BYTES),
    figures: { studyClasses: 10_000_000, participants: 10_000_000, exemplaryModels: 10_000_000, exemplaryPeople: 10_000_000 },
    commendations: Array.from({ length: MAX_COMMENDATIONS }, (_, i) => ({
      kind: 'individual' as const,
      name: t(`commendations.${i}.name`, COMMENDATION_NAME_MAX_BYTES),
      reason: t(`commendations.${i}.reason`, COMMENDATION_REASON_MAX_BYTES),
    })),
    // as many file references as allowed, each name at its byte limit of quotes (two bytes each in JSON)
    files: Array.from({ length: MAX_FILES_PER_SUBMISSION }, (_, i) => ({
      id: `${'A'.repeat(20)}${String(i).padStart(2, '0')}`,
      sha256: 'a'.repeat(64),
      size: 20 * 1024 * 1024,
      mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' as const,
      name: `${'"'.repeat(FILE_NAME_MAX_BYTES - 5)}.xlsx`,
    })),
  };
}

const fullSubmission = (pattern: 'vietnamese' | 'escapes'): SubmitReportInput => ({
  idempotencyKey: KEY,
  channel: 'test',
  submittedBy: textOf(SUBMITTED_BY_MAX_BYTES, pattern),
  content: fullReport(pattern),
});

/** What Temporal puts in the update's payload: the JSON of the argument, in UTF-8. */
const payloadBytes = (value: unknown) => defaultPayloadConverter.toPayload(value).data!.length;

describe('bytes as stored', () => {
  it('counts UTF-8, plus one for each character JSON escapes', () => {
    expect(utf8Bytes('a')).toBe(1);
    expect(utf8Bytes('đ')).toBe(2);
    expect(utf8Bytes('ệ')).toBe(3);
    expect(utf8Bytes('😀')).toBe(4);
    expect(storedBytes('Kế hoạch')).toBe(utf8Bytes('Kế hoạch'));
    expect(storedBytes('a"b\\c\nd\te')).toBe(9 + 4);
    expect(storedBytes('x'.repeat(10))).toBe(jsonBytes('x'.repeat(10)) - 2);
  });

  it('shows a limit as bytes and as characters of Vietnamese, in both languages', () => {
    expect(byteLimitText(20_000)).toEqual({
      en: 'at most 20,000 bytes (about 6,600 characters of Vietnamese)',
      vi: 'tối đa 20.000 byte (khoảng 6.600 ký tự tiếng Việt có dấu)',
    });
    // the promise holds: that many 3-byte letters fit
    for (const bytes of [SECTION_MAX_BYTES, PLAN_BODY_MAX_BYTES, TITLE_MAX_BYTES, COMMENDATION_NAME_MAX_BYTES, COMMENDATION_REASON_MAX_BYTES, COMMENT_MAX_BYTES]) {
      expect(storedBytes('ệ'.repeat(vietnameseCharsIn(bytes)))).toBeLessThanOrEqual(bytes);
    }
  });
});

describe('a submission with every field at its limit', () => {
  for (const pattern of ['vietnamese', 'escapes'] as const) {
    it(`is accepted and fits one payload (${pattern})`, () => {
      const submission = fullSubmission(pattern);
      const parsed = submitReportInputSchema.parse(submission);
      expect(parsed.content.commendations).toHaveLength(MAX_COMMENDATIONS);
      expect(parsed.content).toEqual(submission.content); // nothing trimmed or cut
      const json = jsonBytes(parsed);
      const payload = payloadBytes(parsed);
      expect(payload).toBe(json);
      expect(payload).toBeLessThanOrEqual(SUBMISSION_MAX_JSON_BYTES);
      expect(SUBMISSION_MAX_JSON_BYTES).toBe(PAYLOAD_BUDGET_BYTES);
      // the budget is used, not wasted: the limits leave less than 6% of it unused
      expect(payload).toBeGreaterThan(PAYLOAD_BUDGET_BYTES * 0.94);
    });
  }

  it('for a plan too', () => {
    const plan = { title: textOf(TITLE_MAX_BYTES, 'escapes'), number: textOf(PLAN_NUMBER_MAX_BYTES, 'escapes'), body: textOf(PLAN_BODY_MAX_BYTES, 'escapes') };
    const parsed = submitPlanInputSchema.parse({ idempotencyKey: KEY, channel: 'test', submittedBy: textOf(SUBMITTED_BY_MAX_BYTES, 'escapes'), content: plan });
    expect(parsed.content).toEqual(plan);
    expect(payloadBytes(parsed)).toBeLessThanOrEqual(SUBMISSION_MAX_JSON_BYTES);
  });
});

describe('one byte over a limit', () => {
  it('is refused, naming the field, for every text field of a report', () => {
    for (const field of ['leadership', 'implementation', 'assessment', 'recommendations', 'commendations.0.name', 'commendations.199.reason']) {
      const result = reportContentSchema.safeParse(fullReport('vietnamese', field));
      expect(result.success, field).toBe(false);
      const lines = validationMessage(result.error!).split('\n');
      expect(lines, field).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^${field.replace(/\./g, '\\.')}: at most [\\d,]+ bytes \\(about [\\d,]+ characters of Vietnamese\\); this text has [\\d,]+ / tối đa`));
    }
  });

  it('is refused for the plan, the submitter, a comment and an extension reason', () => {
    const plan = { title: textOf(TITLE_MAX_BYTES), number: textOf(PLAN_NUMBER_MAX_BYTES), body: textOf(PLAN_BODY_MAX_BYTES) };
    expect(planContentSchema.safeParse(plan).success).toBe(true);
    for (const [field, bytes] of [
      ['title', TITLE_MAX_BYTES],
      ['number', PLAN_NUMBER_MAX_BYTES],
      ['body', PLAN_BODY_MAX_BYTES],
    ] as const) {
      const result = planContentSchema.safeParse({ ...plan, [field]: textOf(bytes + 1) });
      expect(validationMessage(result.error!)).toMatch(new RegExp(`^${field}: at most`));
    }
    const by = submitPlanInputSchema.safeParse({ idempotencyKey: KEY, channel: 'cli', submittedBy: textOf(SUBMITTED_BY_MAX_BYTES + 1), content: plan });
    expect(validationMessage(by.error!)).toMatch(/^submittedBy: at most 200 bytes \(about 66 characters of Vietnamese\)/);

    const review = { decision: 'return', reviewerUnitId: 'I1', phase: 'report', version: 1, channel: 'web' } as const;
    expect(reviewInputSchema.safeParse({ ...review, comment: textOf(COMMENT_MAX_BYTES) }).success).toBe(true);
    expect(validationMessage(reviewInputSchema.safeParse({ ...review, comment: textOf(COMMENT_MAX_BYTES + 1) }).error!)).toMatch(/^comment: at most 6,000 bytes/);
    const ext = { byUnitId: 'R', phase: 'plan', until: '2027-05-01', channel: 'cli' } as const;
    expect(extendInputSchema.safeParse({ ...ext, reason: textOf(COMMENT_MAX_BYTES) }).success).toBe(true);
    expect(validationMessage(extendInputSchema.safeParse({ ...ext, reason: textOf(COMMENT_MAX_BYTES + 1) }).error!)).toMatch(/^reason: at most 6,000 bytes/);
  });

  it('counts escapes: a section of quotes has half the characters', () => {
    const section = (s: string) => reportContentSchema.safeParse({ ...fullReport('vietnamese'), commendations: [], leadership: s }).success;
    expect(section('"'.repeat(SECTION_MAX_BYTES / 2))).toBe(true);
    expect(section('"'.repeat(SECTION_MAX_BYTES / 2 + 1))).toBe(false);
  });
});
