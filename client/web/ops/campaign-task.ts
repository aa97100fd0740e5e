// A unit's task in a cycle of a campaign, behind its personal link: what the page shows (the unit workflow's
// status, the frozen definition's titles, guidance and labels read from the store by { campaignId, version }),
// the posted form turned into the phase's content, and its submission. The content is checked with the form's
// own schema (domain/campaign-validator.ts, as the workflow's validator checks it) so every refusal comes back
// per field, in both languages, with what was typed kept.
import { createHash } from 'node:crypto';
import { latestSubmission } from '../../../activities/archive/store';
import { getCampaignVersion } from '../../../activities/campaigns/repository';
import { getUnit } from '../../../activities/directory/repository';
import type { Unit } from '../../../activities/directory/types';
import { formOf, targetFiguresOf, type CampaignDefinition } from '../../../domain/campaign';
import type { Form } from '../../../domain/campaign-form';
import { formContentSchema } from '../../../domain/campaign-validator';
import { fieldProblems } from '../../../domain/field-errors';
import type { CampaignPhaseView, CampaignReceipt, CampaignUnitStatus } from '../../../workflows/campaign-messages';
import { campaignSubmit, campaignUnitStatus } from '../../campaign-cycles';
import { pendingUploads, phasePageFiles, toRef, type PhaseFiles } from '../routes/files-data';
import { WebValidationError } from '../errors';
import { t, type Lang } from '../i18n';
import { reading, type WebDeps } from './deps';
import { submitterName, SUBMITTED_BY_FIELD, type TaskScope } from './task';

/** What a phase's form shows, by field name (below): the typed text, or the latest submission's. */
export type CampaignFormValues = Record<string, string>;
/** One message per field, keyed as the content's path: `results`, `figures.trainedWorkers`, `awards.0.name`. */
export type CampaignFieldErrors = Record<string, string>;

/** Form field names: `s.<section>`, `f.<figure>`, `t.<target figure>`, `l.<list>.<row>.<kind|name|reason>`. */
export const FIELD_NAME = {
  section: (key: string) => `s.${key}`,
  figure: (key: string) => `f.${key}`,
  target: (key: string) => `t.${key}`,
  listCell: (list: string, row: number, cell: 'kind' | 'name' | 'reason') => `l.${list}.${row}.${cell}`,
};
/** The hidden field with the version the form was opened on (a resubmission after a return is a new one). */
export const BASE_FIELD = 'base';
/** Blank rows a list offers beyond the ones filled in. */
export const BLANK_LIST_ROWS = 3;

export interface CampaignTaskPhase {
  view: CampaignPhaseView;
  /** the definition's phase: its name in both languages */
  name: { vi: string; en: string };
  form: Form;
  /** the target form's figures, when this form sets targets */
  targetFigures: Form['figures'];
  /** the form can be submitted now */
  editable: boolean;
  values: CampaignFormValues;
  /** its pending uploads and every version's submitted files */
  files: PhaseFiles;
  /** the latest submission (what a returned report is corrected from), none before the first */
  latest: { version: number; content: unknown; submittedAt: string; late: boolean } | null;
}

export interface CampaignTaskView {
  scope: TaskScope;
  unit?: Unit;
  status: CampaignUnitStatus;
  definition: CampaignDefinition;
  phases: CampaignTaskPhase[];
  /** what the upload form states */
  fileLimits: { maxFileBytes: number; maxSubmissionBytes: number };
}

function editable(status: CampaignUnitStatus, v: CampaignPhaseView): boolean {
  return !status.closed && v.open && (v.progress.kind === 'open' || v.progress.kind === 'returned');
}

/** A stored content as the form's field values (what a returned report is corrected from). */
export function valuesOfContent(form: Form, targetFigures: Form['figures'], content: Record<string, unknown> | undefined): CampaignFormValues {
  const out: CampaignFormValues = {};
  if (!content) return out;
  for (const s of form.sections) if (typeof content[s.key] === 'string') out[FIELD_NAME.section(s.key)] = content[s.key] as string;
  const figures = (content.figures ?? {}) as Record<string, unknown>;
  for (const f of form.figures) if (typeof figures[f.key] === 'number') out[FIELD_NAME.figure(f.key)] = String(figures[f.key]);
  const targets = (content.targets ?? {}) as Record<string, unknown>;
  for (const f of targetFigures) if (typeof targets[f.key] === 'number') out[FIELD_NAME.target(f.key)] = String(targets[f.key]);
  for (const l of form.lists) {
    const items = Array.isArray(content[l.key]) ? (content[l.key] as Record<string, unknown>[]) : [];
    items.forEach((item, i) => {
      for (const cell of ['kind', 'name', 'reason'] as const) if (typeof item[cell] === 'string') out[FIELD_NAME.listCell(l.key, i, cell)] = item[cell] as string;
    });
  }
  return out;
}

export function campaignTaskView(deps: WebDeps, scope: TaskScope): Promise<CampaignTaskView> {
  return reading(deps, async () => {
    const [status, unit] = await Promise.all([campaignUnitStatus(deps.client, scope.cycleId, scope.unitId), getUnit(deps.db, scope.unitId)]);
    const { definition } = await getCampaignVersion(deps.db, status.campaignId, status.version);
    const phases = await Promise.all(
      status.phases.map(async (view) => {
        const p = definition.phases.find((x) => x.key === view.key)!;
        const form = formOf(definition, p.form)!;
        const targetFigures = targetFiguresOf(definition, form);
        const [latest, files] = await Promise.all([
          view.progress.kind === 'open' ? undefined : latestSubmission(deps.db, scope.cycleId, scope.unitId, view.key),
          phasePageFiles(deps.db, scope, view.key, deps.now()),
        ]);
        const values = valuesOfContent(form, targetFigures, latest?.content as Record<string, unknown> | undefined);
        const last = latest ? { version: latest.version, content: latest.content, submittedAt: latest.submittedAt, late: latest.late } : null;
        return { view, name: p.name, form, targetFigures, editable: editable(status, view), values, files, latest: last };
      }),
    );
    const fileLimits = { maxFileBytes: deps.config.files.maxFileBytes, maxSubmissionBytes: deps.config.files.maxSubmissionBytes };
    return { scope, unit, status, definition, phases, fileLimits };
  });
}

/** `87,5` (Vietnamese) or `87.5`; a whole number may group thousands with dots or spaces (`12.000`). */
export function parseFigure(raw: string, type: 'integer' | 'decimal'): number | string | undefined {
  const text = raw.trim().replace(/[\s\u00a0]/g, '');
  if (text === '') return undefined;
  let normal = text;
  if (type === 'integer' && /^-?\d{1,3}(\.\d{3})+$/.test(text)) normal = text.replace(/\./g, '');
  else if (!text.includes('.') && (text.match(/,/g) ?? []).length === 1) normal = text.replace(',', '.');
  // what is not a number stays text: the form's schema then says "must be a number" beside the field
  return /^-?\d+(\.\d+)?$/.test(normal) ? Number(normal) : text;
}

/** The posted fields of one phase's form as its content (not yet checked). */
export function contentFromBody(form: Form, targetFigures: Form['figures'], values: CampaignFormValues): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  for (const s of form.sections) content[s.key] = (values[FIELD_NAME.section(s.key)] ?? '').replace(/\r\n?/g, '\n');
  if (form.figures.length > 0) content.figures = Object.fromEntries(form.figures.map((f) => [f.key, parseFigure(values[FIELD_NAME.figure(f.key)] ?? '', f.type)]));
  if (form.targets && targetFigures.length > 0) content.targets = Object.fromEntries(targetFigures.map((f) => [f.key, parseFigure(values[FIELD_NAME.target(f.key)] ?? '', f.type)]));
  for (const l of form.lists) {
    const items: Record<string, string>[] = [];
    for (let i = 0; i < l.maxItems + BLANK_LIST_ROWS; i++) {
      const name = (values[FIELD_NAME.listCell(l.key, i, 'name')] ?? '').trim();
      if (name === '') continue;
      const kind = values[FIELD_NAME.listCell(l.key, i, 'kind')] === 'individual' ? 'individual' : 'collective';
      items.push({ kind, name, reason: (values[FIELD_NAME.listCell(l.key, i, 'reason')] ?? '').trim() });
    }
    content[l.key] = items;
  }
  content.files = [];
  return content;
}

/** An url-encoded body as field values (the first value of a repeated field). */
export function valuesOfBody(body: Record<string, unknown>): CampaignFormValues {
  const out: CampaignFormValues = {};
  for (const [k, v] of Object.entries(body)) {
    const one = Array.isArray(v) ? v[0] : v;
    if (typeof one === 'string') out[k] = one.normalize('NFC');
  }
  return out;
}

/** The idempotency key of a web (or API) submission: the same form (version opened on, content) sent twice is one. */
export function campaignSubmissionKey(scope: TaskScope, phase: string, base: number, content: unknown, channel: 'web' | 'api' = 'web'): string {
  return `${channel}:${createHash('sha256').update(JSON.stringify([scope.cycleId, scope.unitId, phase, base, content])).digest('hex').slice(0, 40)}`;
}

/**
 * Checks a phase's posted form and submits it with `campaignSubmit`. Throws WebValidationError with one message
 * per field (the form's bounds, its required sections, its cross-field rules: bilingual, as the form has them).
 */
export async function submitCampaignPhase(
  deps: WebDeps,
  scope: TaskScope,
  phase: CampaignTaskPhase,
  values: CampaignFormValues,
  lang: Lang,
): Promise<CampaignReceipt> {
  // the unit's uploads for this phase go with it, as references (the archive checks them): as for plan and report
  const pending = await pendingUploads(deps.db, scope, phase.view.key, deps.now());
  const content = { ...contentFromBody(phase.form, phase.targetFigures, values), files: pending.map(toRef) };
  const parsed = checkCampaignContent(phase, content);
  const errors: CampaignFieldErrors = { ...parsed.errors };
  let who: string | undefined;
  try {
    who = submitterName(values[SUBMITTED_BY_FIELD] ?? '', lang);
  } catch (err) {
    if (!(err instanceof WebValidationError)) throw err;
    // in both languages, as the form's own messages are
    errors[SUBMITTED_BY_FIELD] = `${t('en', 'submittedByMissing')} / ${t('vi', 'submittedByMissing')}`;
  }
  if (!parsed.data || !who) throw new WebValidationError(errors);
  const base = Number.parseInt(values[BASE_FIELD] ?? '', 10);
  return sendCampaignContent(deps, scope, phase.view.key, parsed.data, Number.isFinite(base) && base >= 0 ? base : 0, who, 'web');
}

/** A phase's content checked with the form's own schema: the content as it will be sent, or one message per field (`prefix` before each path). */
export function checkCampaignContent(phase: Pick<CampaignTaskPhase, 'form' | 'targetFigures'>, content: unknown, prefix = ''): { data?: Record<string, unknown>; errors: CampaignFieldErrors } {
  const parsed = formContentSchema(phase.form, { targetFigures: phase.targetFigures }).safeParse(content);
  if (parsed.success) return { data: parsed.data as Record<string, unknown>, errors: {} };
  const root = prefix ? prefix.replace(/\.$/, '') : 'input';
  return { errors: Object.fromEntries(fieldProblems(parsed.error, root).map((p) => [p.field === root ? root : `${prefix}${p.field}`, p.message])) };
}

/** Submits a checked content through the unit's workflow (the key makes a retry of the same content one submission). */
export function sendCampaignContent(deps: WebDeps, scope: TaskScope, phase: string, content: Record<string, unknown>, base: number, who: string, channel: 'web' | 'api'): Promise<CampaignReceipt> {
  return campaignSubmit(
    deps.client,
    deps.db,
    { cycleId: scope.cycleId, unitId: scope.unitId, phase, content, channel, submittedBy: who, idempotencyKey: campaignSubmissionKey(scope, phase, base, content, channel) },
    { timeoutMs: deps.config.updateTimeoutMs },
  );
}
