// The part of a frozen campaign version that a running cycle's workflows carry: phase keys and forms reduced to
// what validation and aggregation need (section keys, limits and `required`; figures with type, bounds and
// aggregation; cross-field rules with their message; lists; a plan form's targets). Titles, guidance, labels and
// the issuing document stay out: emails, pages and documents read them from the store by { campaignId, version }.
// Bounded: WORKFLOW_VIEW_MAX_BYTES whatever the definition (campaignDefinitionSchema refuses a larger one), and a
// single form at the FORM_LIMITS maxima fits (test/campaigns/view.test.ts).
import type { Aggregation, CrossRule, Form } from './campaign-form';
import type { FigureRules, FormRules } from './campaign-validator';
import { jsonBytes } from './text';

export interface FigureView extends FigureRules {
  aggregation: Aggregation;
}

export interface FormView extends FormRules {
  key: string;
  sections: { key: string; required: boolean; maxBytes: number }[];
  figures: FigureView[];
  rules: CrossRule[];
  lists: { kind: 'commendations'; key: string; maxItems: number; nameMaxBytes: number; reasonMaxBytes: number }[];
  targets?: { form: string; figures: string[] };
}

export interface PhaseView {
  key: string;
  /** the key of the phase's form in `forms` */
  form: string;
}

/** What a view is made of: a definition's phases (key and form) and forms. */
export interface ViewSource {
  phases: readonly { key: string; form: string }[];
  forms: readonly Form[];
}

export interface CampaignWorkflowView {
  campaignId: string;
  version: number;
  /** in the definition's order */
  phases: PhaseView[];
  /** the forms the phases use (and those their targets name), each once */
  forms: FormView[];
}

/** The most a workflow view may weigh as JSON: a quarter of the payload budget, the rest is state and plan. */
export const WORKFLOW_VIEW_MAX_BYTES = 64 * 1024;

function formView(f: Form): FormView {
  return {
    key: f.key,
    sections: f.sections.map((s) => ({ key: s.key, required: s.required, maxBytes: s.maxBytes })),
    figures: f.figures.map((x) => ({ key: x.key, type: x.type, decimals: x.decimals, min: x.min, max: x.max, aggregation: x.aggregation })),
    rules: f.rules.map((r) => ({ left: r.left, op: r.op, right: r.right, message: r.message })),
    lists: f.lists.map((l) => ({ kind: l.kind, key: l.key, maxItems: l.maxItems, nameMaxBytes: l.nameMaxBytes, reasonMaxBytes: l.reasonMaxBytes })),
    ...(f.targets ? { targets: { form: f.targets.form, figures: [...f.targets.figures] } } : {}),
  };
}

/** The workflow view of a (checked) definition. */
export function workflowViewOf(campaignId: string, version: number, def: ViewSource): CampaignWorkflowView {
  const used = new Set(def.phases.map((p) => p.form));
  for (const f of def.forms) if (used.has(f.key) && f.targets) used.add(f.targets.form);
  return {
    campaignId,
    version,
    phases: def.phases.map((p) => ({ key: p.key, form: p.form })),
    forms: def.forms.filter((f) => used.has(f.key)).map(formView),
  };
}

/** Bytes of the view as Temporal carries it, with the longest campaign id and a large version number. */
export function workflowViewBytes(def: ViewSource): number {
  return jsonBytes(workflowViewOf('x'.repeat(48), 999_999, def));
}

export function viewForm(view: CampaignWorkflowView, formKey: string): FormView {
  const f = view.forms.find((x) => x.key === formKey);
  if (!f) throw new RangeError(`campaign ${view.campaignId} v${view.version} has no form "${formKey}"`);
  return f;
}

export function viewPhaseForm(view: CampaignWorkflowView, phaseKey: string): FormView | undefined {
  const p = view.phases.find((x) => x.key === phaseKey);
  return p ? viewForm(view, p.form) : undefined;
}

/** The figures a plan form's targets name, as the target form defines them. */
export function viewTargetFigures(view: CampaignWorkflowView, form: FormView): FigureView[] {
  if (!form.targets) return [];
  const target = view.forms.find((f) => f.key === form.targets!.form);
  return form.targets.figures.map((k) => target?.figures.find((f) => f.key === k)).filter((f): f is FigureView => f !== undefined);
}

/**
 * For each phase, the earlier phase whose plan form sets targets for this phase's form (the latest such one):
 * a report rollup shows that phase's aggregated targets beside its achieved figures.
 */
export function targetSourcePhases(view: CampaignWorkflowView): Record<string, string> {
  const out: Record<string, string> = {};
  let latest: Record<string, string> = {};
  for (const p of view.phases) {
    if (latest[p.form]) out[p.key] = latest[p.form]!;
    const f = viewForm(view, p.form);
    if (f.targets) latest = { ...latest, [f.targets.form]: p.key };
  }
  return out;
}
