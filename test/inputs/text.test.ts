// What people type, as every schema takes it: NFC (so NFD Vietnamese is the same submission and gets the same
// room), line breaks normalised, control characters and broken characters refused with a bilingual line naming
// the field; aggregates above one unit's cap are valid; every error is one readable line per field.
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, RetryState } from '@temporalio/common';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { aggregateDocumentInputSchema } from '../../activities/documents/aggregate-input';
import { aggregateSchema } from '../../activities/mail/schemas';
import { errorText } from '../../client/cli/output';
import { submissionKey } from '../../client/cycles';
import { failureReason } from '../../client/failures';
import { aggregateFiguresSchema } from '../../workflows/aggregate-schema';
import { validationMessage } from '../../workflows/field-errors';
import { recordedSubmitReportInputSchema, submitPlanInputSchema, submitReportInputSchema } from '../../workflows/messages';
import { figuresSchema, planContentSchema, recordedReportContentSchema, reportContentSchema, SECTION_MAX_BYTES, type ReportContent } from '../../workflows/report';
import { reportFor } from '../support/cycle-fixtures';
import { textOf } from './support';

const report = (patch: Partial<ReportContent> = {}): ReportContent => ({ ...reportFor('G11', 1), ...patch });
const nfd = (s: string) => s.normalize('NFD');

describe('control and broken characters', () => {
  const refused = [
    ...Array.from({ length: 0x20 }, (_, i) => i).filter((c) => c !== 0x09 && c !== 0x0a && c !== 0x0d),
    0x7f,
    0x85,
    0x9f,
  ];

  it('refuses every control character but newline and tab, naming the field, the character and its line', () => {
    for (const code of refused) {
      const result = reportContentSchema.safeParse(report({ assessment: `Dòng một\nDòng hai có ${String.fromCharCode(code)} ở giữa` }));
      expect(result.success, `U+${code.toString(16)}`).toBe(false);
      const hex = code.toString(16).toUpperCase().padStart(4, '0');
      expect(validationMessage(result.error!)).toBe(
        `assessment: contains the control character U+${hex} on line 2: remove it (only line breaks and tabs are allowed) / có ký tự điều khiển U+${hex} ở dòng 2: hãy xoá ký tự này (chỉ được dùng xuống dòng và tab)`,
      );
    }
  });

  it('keeps newlines and tabs, and turns CRLF and CR into newlines', () => {
    const parsed = reportContentSchema.parse(report({ leadership: 'Một\r\nHai\rBa\n\tBốn' }));
    expect(parsed.leadership).toBe('Một\nHai\nBa\n\tBốn');
  });

  it('refuses a lone surrogate (a character broken in transit)', () => {
    const result = planContentSchema.safeParse({ title: 'Kế hoạch \ud83d', body: 'Nội dung' });
    expect(validationMessage(result.error!)).toMatch(/^title: contains a broken character \(lone surrogate U\+D83D\) on line 1: retype it \/ có ký tự hỏng/);
    expect(planContentSchema.safeParse({ title: 'Kế hoạch 😀', body: 'Nội dung' }).success).toBe(true); // a pair is a character
  });

  it('refuses them in the submitter, commendations, comments too', () => {
    const input = { idempotencyKey: 'key-12345678', channel: 'cli', content: report() } as const;
    expect(validationMessage(submitReportInputSchema.safeParse({ ...input, submittedBy: 'Chị Lan\u0007' }).error!)).toMatch(/^submittedBy: contains the control character U\+0007/);
    const bad = report({ commendations: [{ kind: 'collective', name: 'Tổ\u0000 công đoàn', reason: '' }] });
    expect(validationMessage(submitReportInputSchema.safeParse({ ...input, content: bad }).error!)).toMatch(/^content\.commendations\.0\.name: contains the control character U\+0000/);
  });
});

describe('NFC', () => {
  const nfc = report({
    leadership: 'Ban Thường vụ Công đoàn cơ sở ban hành Kế hoạch số 05/KH-CĐCS về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.',
    commendations: [{ kind: 'individual', name: 'Nguyễn Thị Hường', reason: 'Gương điển hình tiêu biểu' }],
  });
  const decomposed: ReportContent = {
    ...nfc,
    leadership: nfd(nfc.leadership),
    commendations: nfc.commendations.map((c) => ({ ...c, name: nfd(c.name), reason: nfd(c.reason) })),
  };

  it('makes NFD and NFC the same content, hence the same submission key', () => {
    expect(decomposed.leadership).not.toBe(nfc.leadership);
    const a = reportContentSchema.parse(nfc);
    const b = reportContentSchema.parse(decomposed);
    expect(b).toEqual(a);
    expect(submissionKey('cycle-2027-R', 'G11', 'report', b)).toBe(submissionKey('cycle-2027-R', 'G11', 'report', a));
    // what the workflow handler parses is normalised the same way
    const input = { idempotencyKey: 'key-12345678', channel: 'web', submittedBy: nfd('Chị Hường'), content: decomposed } as const;
    expect(recordedSubmitReportInputSchema.parse(input).content).toEqual(a);
    expect(submitReportInputSchema.parse(input).submittedBy).toBe('Chị Hường');
  });

  it('gives NFD Vietnamese the same room as NFC', () => {
    const full = textOf(SECTION_MAX_BYTES); // NFC, exactly at the limit
    const typedNfd = nfd(full);
    expect(Buffer.byteLength(typedNfd)).toBeGreaterThan(SECTION_MAX_BYTES); // as typed, it is larger…
    expect(reportContentSchema.parse(report({ implementation: typedNfd })).implementation).toBe(full); // …and it fits
  });
});

describe('aggregates', () => {
  const big = { studyClasses: 20_000_001, participants: 10_000_001, exemplaryModels: 130_000, exemplaryPeople: 10_000_000 };

  it('have no per-unit cap, only safe integers', () => {
    expect(figuresSchema.safeParse(big).success).toBe(false); // one unit's own figures keep their cap
    expect(aggregateFiguresSchema.parse(big)).toEqual(big);
    expect(aggregateFiguresSchema.safeParse({ ...big, participants: Number.MAX_SAFE_INTEGER + 2 }).success).toBe(false);
    expect(aggregateFiguresSchema.safeParse({ ...big, participants: -1 }).success).toBe(false);
    expect(aggregateFiguresSchema.safeParse({ ...big, participants: 1.5 }).success).toBe(false);
  });

  it('are valid above 10,000,000 where the archive, the document and the upward email check them', () => {
    const list = { ids: [], total: 0 };
    const phase = { expected: 2, submittedOnTime: { ids: ['A', 'B'], total: 2 }, submittedLate: list, notSubmitted: list, overdue: list };
    const aggregate = {
      cycleId: 'cycle-2027-R',
      unitId: 'R',
      asOf: '2027-12-10T10:00:00.000Z',
      below: { plan: phase, report: phase, figures: big, commendations: { items: [], total: 0 } },
      rates: { plan: { completeness: 100, timeliness: 100 }, report: { completeness: 100, timeliness: 100 } },
      totalFigures: big,
    };
    expect(aggregateSchema.parse(aggregate).totalFigures).toEqual(big);
    const row = (unitId: string) => ({ unitId, name: `Công đoàn ${unitId}`, plan: 'on-time', report: 'on-time', figures: big });
    const doc = aggregateDocumentInputSchema.safeParse({
      year: 2027,
      issuer: { unitId: 'R', name: 'Liên đoàn Lao động tỉnh', kind: 'root', superiorName: null, abbreviation: 'LĐLĐ' },
      place: 'Bắc Ninh',
      date: '2027-12-10',
      subject: 'Kết quả thực hiện Kế hoạch',
      intro: '',
      asOfText: '',
      final: true,
      narrative: null,
      rows: [row('A'), row('B')],
      own: null,
      aggregate,
      unitNames: {},
      commendations: [],
      commendationsTotal: 0,
      distribution: ['Như trên'],
      signer: { onBehalfOf: 'TM. BAN THƯỜNG VỤ', position: 'CHỦ TỊCH', name: '' },
    });
    expect(doc.success, doc.success ? '' : validationMessage(doc.error)).toBe(true);
  });
});

describe('what was accepted before stays readable', () => {
  it('parses a report stored under the old character limits (20,000 characters of Vietnamese in a section)', () => {
    const old = report({ leadership: 'ệ'.repeat(20_000), commendations: [{ kind: 'collective', name: 'ệ'.repeat(300), reason: 'ư'.repeat(2_000) }] });
    expect(reportContentSchema.safeParse(old).success).toBe(false);
    expect(recordedReportContentSchema.parse(old).leadership).toHaveLength(20_000);
  });
});

describe('every validation error is one readable line per field', () => {
  it('turns zod defaults into bilingual lines, and names unknown fields', () => {
    const result = submitPlanInputSchema.safeParse({ idempotencyKey: 'short', channel: 'fax', content: { title: 3, extra: true } });
    expect(validationMessage(result.error!, 'submission').split('\n')).toEqual([
      'idempotencyKey: at least 8 characters / ít nhất 8 ký tự',
      'channel: must be one of: cli, web, api, test / phải là một trong: cli, web, api, test',
      'content.title: must be a string / phải là văn bản',
      'content.body: required / bắt buộc',
      'content.extra: not a field of this form: remove it / không có trong mẫu: hãy bỏ đi',
    ]);
  });

  it('the CLI prints a stray zod error as lines, never its JSON dump', () => {
    const error = z.strictObject({ by: z.string().max(3) }).safeParse({ by: 'Nguyễn' }).error!;
    const text = errorText(error);
    expect(text).toBe('baocao: Invalid input / Dữ liệu không hợp lệ:\n  by: at most 3 characters / tối đa 3 ký tự\n');
    expect(text).not.toContain('{');
    expect(errorText(new Error('Invalid plan / Kế hoạch không hợp lệ:\nbody: required / bắt buộc'))).toBe('baocao: Invalid plan / Kế hoạch không hợp lệ:\n  body: required / bắt buộc\n');
  });
});

describe('an activity failure reaches the user with its cause', () => {
  const archiveRefusal = ApplicationFailure.create({ type: 'ArchiveInputError', message: 'recordAggregate: aggregate.totalFigures.participants: too large', nonRetryable: true });

  it('unwraps update → activity → application failure', () => {
    const err = new WorkflowUpdateFailedError(
      'Workflow Update failed',
      new ActivityFailure('Activity task failed', 'storeSubmission', '7', RetryState.NON_RETRYABLE_FAILURE, 'worker-1', archiveRefusal),
    );
    expect(failureReason(err)).toBe(
      'activity storeSubmission failed / lỗi ở activity storeSubmission — ArchiveInputError: recordAggregate: aggregate.totalFigures.participants: too large',
    );
  });

  it('unwraps workflow → child workflow → activity, naming where', () => {
    const child = new ChildWorkflowFailure(
      'default',
      { workflowId: 'cycle-2027-R:unit:R', runId: 'r1' },
      'unitWorkflow',
      RetryState.NON_RETRYABLE_FAILURE,
      new ActivityFailure('Activity task failed', 'recordAggregate', '3', RetryState.NON_RETRYABLE_FAILURE, 'worker-1', archiveRefusal),
    );
    const reason = failureReason(new WorkflowFailedError('Workflow execution failed', child, RetryState.NON_RETRYABLE_FAILURE));
    expect(reason).toMatch(/^workflow cycle-2027-R:unit:R → activity recordAggregate failed \/ lỗi ở .* — ArchiveInputError: recordAggregate: /);
    expect(reason).not.toContain('Activity task failed');
  });

  it('shows a validator refusal as it was written', () => {
    const refusal = ApplicationFailure.create({ type: 'SubmissionRejected', message: 'The cycle is closed / Chu kỳ đã đóng.', nonRetryable: true });
    expect(failureReason(new WorkflowUpdateFailedError('Workflow Update failed', refusal))).toBe('The cycle is closed / Chu kỳ đã đóng.');
  });
});
