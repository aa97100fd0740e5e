// What the workbook of a cycle of a campaign is made of: one sheet per phase, one row per unit of the frozen
// tree, one column per figure of the phase's form (with target and % achieved where a plan set targets).
// Rows arrive as a stream (an async iterable), so a national cycle of 130,000 units is written without holding
// them all; whoever reads them (the archive, a test, a bench) yields this one shape.
import { targetFiguresOf, type CampaignDefinition } from './campaign';
import type { Form } from './campaign-form';
import type { FigureValues } from './campaign-aggregation';
import type { ReportStanding } from './campaign-report-document';
import type { UnitKind } from './directory';

export type ReviewState = 'submitted' | 'accepted' | 'returned';

/** One unit in one phase. */
export interface CampaignWorkbookRow {
  unitId: string;
  name: string;
  kind: UnitKind;
  parentId: string | null;
  /** 0 = the cycle's root */
  depth: number;
  standing: ReportStanding;
  /** the latest version's review, null when the unit has not submitted */
  review: ReviewState | null;
  /** instant of the latest version, null when none */
  submittedAt: string | null;
  version: number | null;
  /** the unit's own figures in its latest version, null when it has not submitted */
  values: FigureValues | null;
  /** the targets its plan set for this phase's figures, null when none */
  targets: FigureValues | null;
  /** files attached to its submissions of this phase */
  files: number;
}

/** A phase as its sheet needs it: the form, and the figures a plan phase set targets for. */
export interface WorkbookPhase {
  key: string;
  name: { vi: string; en: string };
  form: Form;
  /** the plan phase whose submissions carry this phase's targets, and the figures it sets; null when none */
  targets: { phase: string; figures: string[] } | null;
}

/**
 * The phase whose form sets targets for `phaseKey`'s form: the latest phase before it whose form's `targets`
 * name that form (a yearly plan before four quarterly reports serves all four).
 */
export function targetPhaseOf(def: CampaignDefinition, phaseKey: string): { phase: string; figures: string[] } | null {
  const at = def.phases.findIndex((p) => p.key === phaseKey);
  if (at < 0) return null;
  const formKey = def.phases[at]!.form;
  for (let i = at - 1; i >= 0; i--) {
    const form = def.forms.find((f) => f.key === def.phases[i]!.form);
    if (form?.targets?.form === formKey) return { phase: def.phases[i]!.key, figures: targetFiguresOf(def, form).map((f) => f.key) };
  }
  return null;
}

/** Every phase of a definition as the workbook lays it out, in the definition's order. */
export function workbookPhases(def: CampaignDefinition): WorkbookPhase[] {
  return def.phases.map((p) => ({ key: p.key, name: p.name, form: def.forms.find((f) => f.key === p.form)!, targets: targetPhaseOf(def, p.key) }));
}
