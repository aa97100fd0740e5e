// The unit's task, behind its personal link: what its page shows, drafts, submissions. Workflow operations go
// through client/cycles.ts (validated with the workflows' zod schemas); pages and the JSON API both call these.
import { verifyUnitToken } from '../../../activities/access/tokens';
import { latestSubmission, type LatestSubmission } from '../../../activities/archive/store';
import { withPendingFiles } from '../routes/files-data';
import { getUnit } from '../../../activities/directory/repository';
import type { Unit } from '../../../activities/directory/types';
import type { PhaseView, SubmissionReceipt, UnitStatus } from '../../../workflows/messages';
import { planContentSchema, recordedPlanContentSchema, recordedReportContentSchema, reportContentSchema, type Phase, type PlanContent, type ReportContent } from '../../../workflows/report';
import { cyclePlan, submissionKey, submit, unitStatus } from '../../cycles';
import { WebValidationError } from '../errors';
import {
  EMPTY_PLAN_FORM,
  EMPTY_REPORT_FORM,
  fieldErrors,
  planCandidate,
  planFormFromContent,
  planFormSchema,
  reportCandidate,
  reportFormFromContent,
  reportFormSchema,
  type PlanForm,
  type ReportForm,
} from '../forms';
import { t, type Lang } from '../i18n';
import { deleteDraft, loadDraft, saveDraft } from '../stores';
import { calendarNow, namesOf, reading, withCommendations, type WebDeps } from './deps';

// ── the unit's task (personal link) ─────────────────────────────────────────────────────────────────────

export interface TaskScope {
  cycleId: string;
  unitId: string;
}

export interface TaskPhase {
  view: PhaseView;
  latest?: LatestSubmission;
  draftSavedAt?: string;
  /** what the form shows: the draft, else the latest submission, else empty */
  form: PlanForm | ReportForm;
  /** the form can be submitted now */
  editable: boolean;
}

export interface TaskView {
  scope: TaskScope;
  unit?: Unit;
  status: UnitStatus;
  plan: TaskPhase & { form: PlanForm };
  report: TaskPhase & { form: ReportForm };
  /** the report phase opens once the plan is in or its deadline has passed (the workflow's rule) */
  reportOpen: boolean;
  hasUnitsBelow: boolean;
  /** calendar time now (lateness is measured against it) */
  now: string;
  /** names of the units below that appear in the aggregate's proposals */
  names: Record<string, string>;
}

export async function verifyTask(deps: WebDeps, token: string): Promise<TaskScope> {
  return verifyUnitToken(deps.db, token, deps.now());
}

function editable(status: UnitStatus, view: PhaseView): boolean {
  return !status.closed && (view.progress.kind === 'open' || view.progress.kind === 'returned');
}

/** What a page shows (read-only, bounded by READ_DEADLINE_MS). */
export function taskView(deps: WebDeps, scope: TaskScope): Promise<TaskView> {
  return reading(deps, () => loadTaskView(deps, scope));
}

async function loadTaskView(deps: WebDeps, scope: TaskScope): Promise<TaskView> {
  const { cycleId, unitId } = scope;
  const [status, plan, unit, latestPlan, latestReport, draftPlan, draftReport] = await Promise.all([
    unitStatus(deps.client, cycleId, unitId).then(async (s) => ({ ...s, aggregate: await withCommendations(deps.db, s.aggregate) })),
    cyclePlan(deps.client, cycleId).catch(() => null),
    getUnit(deps.db, unitId),
    latestSubmission(deps.db, cycleId, unitId, 'plan'),
    latestSubmission(deps.db, cycleId, unitId, 'report'),
    loadDraft(deps.db, { cycleId, unitId, phase: 'plan' }),
    loadDraft(deps.db, { cycleId, unitId, phase: 'report' }),
  ]);
  const planFromDraft = draftPlan ? planFormSchema.safeParse(draftPlan.content) : undefined;
  const reportFromDraft = draftReport ? reportFormSchema.safeParse(draftReport.content) : undefined;
  // as stored, whatever the limits were then (a resubmission is checked against today's)
  const latestPlanContent = latestPlan ? recordedPlanContentSchema.safeParse(latestPlan.content) : undefined;
  const latestReportContent = latestReport ? recordedReportContentSchema.safeParse(latestReport.content) : undefined;
  const planForm: PlanForm = planFromDraft?.success
    ? planFromDraft.data
    : latestPlanContent?.success
      ? planFormFromContent(latestPlanContent.data)
      : EMPTY_PLAN_FORM;
  const reportForm: ReportForm = reportFromDraft?.success
    ? reportFromDraft.data
    : latestReportContent?.success
      ? reportFormFromContent(latestReportContent.data)
      : EMPTY_REPORT_FORM;
  const reportOpen = status.plan.progress.kind !== 'open' || status.plan.overdue;
  const names = await namesOf(
    deps.db,
    (status.aggregate.below.commendations.items ?? []).map((c) => c.unitId),
  );
  return {
    scope,
    unit,
    status,
    plan: { view: status.plan, latest: latestPlan, draftSavedAt: draftPlan?.updatedAt, form: planForm, editable: editable(status, status.plan) },
    report: {
      view: status.report,
      latest: latestReport,
      draftSavedAt: draftReport?.updatedAt,
      form: reportForm,
      editable: reportOpen && editable(status, status.report),
    },
    reportOpen,
    hasUnitsBelow: status.children.length > 0,
    now: calendarNow(deps, plan),
    names: Object.fromEntries([...names.values()].map((u) => [u.id, u.name])),
  };
}

export async function saveTaskDraft(deps: WebDeps, scope: TaskScope, phase: Phase, form: PlanForm | ReportForm): Promise<void> {
  const parsed = phase === 'plan' ? planFormSchema.parse(form) : reportFormSchema.parse(form);
  await saveDraft(deps.db, { ...scope, phase }, parsed, deps.now());
}

/** The form field (and API body property) naming the person who submits. */
export const SUBMITTED_BY_FIELD = 'submittedBy';
export const SUBMITTED_BY_MAX_CHARS = 100;

/** The submitter's name as typed (NFC, spaces collapsed), or a field error in the page's language. */
export function submitterName(raw: string, lang: Lang): string {
  const name = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (name.length === 0 || name.length > SUBMITTED_BY_MAX_CHARS) throw new WebValidationError({ [SUBMITTED_BY_FIELD]: t(lang, 'submittedByMissing') });
  return name;
}

/**
 * Submits a plan or report typed into the form, by the person named in it. `base` is the version the form was
 * opened on: a double click sends the same (base, content) twice, which is one submission; a resubmission after
 * a return has a new base.
 */
export async function submitTask(
  deps: WebDeps,
  scope: TaskScope,
  phase: Phase,
  form: PlanForm | ReportForm,
  base: number,
  submittedBy: string,
  lang: Lang,
  channel: 'web' | 'api' = 'web',
): Promise<SubmissionReceipt> {
  const candidate = phase === 'plan' ? planCandidate(form as PlanForm) : reportCandidate(form as ReportForm);
  const schema = phase === 'plan' ? planContentSchema : reportContentSchema;
  const parsed = schema.safeParse(candidate);
  let who: string | undefined;
  let whoError: WebValidationError | undefined;
  try {
    who = submitterName(submittedBy, lang);
  } catch (err) {
    whoError = err as WebValidationError;
  }
  if (!parsed.success || !who) throw new WebValidationError({ ...(parsed.success ? {} : fieldErrors(parsed.error, lang, candidate)), ...whoError?.fields });
  // the unit's uploads for this phase go with it, as references (client/web/routes/files-data.ts)
  return submitContent(deps, scope, phase, await withPendingFiles(deps.db, scope, phase, parsed.data, deps.now()), base, who, channel);
}

/**
 * Submits already structured content (the JSON API). `submittedBy`, the person's name, goes with the submission
 * into the archive and the audit (whose actor is the unit, its channel web or api).
 */
export async function submitContent(
  deps: WebDeps,
  scope: TaskScope,
  phase: Phase,
  content: PlanContent | ReportContent,
  base: number,
  submittedBy: string,
  channel: 'web' | 'api',
): Promise<SubmissionReceipt> {
  const receipt = await submit(deps.client, {
    cycleId: scope.cycleId,
    unitId: scope.unitId,
    phase,
    content,
    channel,
    submittedBy,
    idempotencyKey: submissionKey(scope.cycleId, scope.unitId, phase, { base, content }),
  }, { timeoutMs: deps.config.updateTimeoutMs });
  await deleteDraft(deps.db, { ...scope, phase });
  return receipt;
}
