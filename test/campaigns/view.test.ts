// The workflow view of a campaign version: what every running task of a cycle carries. It keeps what
// validation and aggregation need and nothing people read (titles, guidance, labels), it validates exactly as
// the whole form does, and it stays within WORKFLOW_VIEW_MAX_BYTES: a form at the FORM_LIMITS maxima fits, a
// definition whose view would not fit is refused with the field and the reason.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignFileSchema, checkCampaignDefinition, type CampaignDefinition } from '../../domain/campaign';
import { BUILTIN_CAMPAIGN, BUILTIN_CAMPAIGN_ID } from '../../domain/campaign-builtin';
import { FORM_LIMITS, formSchema, type Form } from '../../domain/campaign-form';
import { validateFormContent } from '../../domain/campaign-validator';
import { targetSourcePhases, viewPhaseForm, WORKFLOW_VIEW_MAX_BYTES, workflowViewBytes, workflowViewOf } from '../../domain/campaign-view';
import { formatFieldProblems } from '../../domain/field-errors';
import { jsonBytes } from '../../domain/text';

const file = campaignFileSchema.parse(JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json'), 'utf8')));
const quarterly = (): CampaignDefinition => {
  const check = checkCampaignDefinition(file.definition);
  if (!check.ok) throw new Error(formatFieldProblems(check.problems));
  return check.definition;
};

/** A label at its byte limit: "ệ" is 3 bytes of UTF-8. */
const fullLabel = () => ({ vi: 'ệ'.repeat(FORM_LIMITS.label / 3), en: 'x'.repeat(FORM_LIMITS.label) });
const key = (prefix: string, i: number) => `${prefix}${i}`.padEnd(48, 'x');

/** A form with every count and every text of what the view keeps at its largest. */
function formAtMaxima(formKey: string, targets?: Form['targets']): Form {
  return formSchema.parse({
    key: formKey,
    title: fullLabel(),
    sections: Array.from({ length: FORM_LIMITS.sections }, (_, i) => ({ key: key('s', i), title: fullLabel(), required: true, maxBytes: FORM_LIMITS.sectionMaxBytes })),
    figures: Array.from({ length: FORM_LIMITS.figures }, (_, i) => ({
      key: key('f', i),
      label: fullLabel(),
      unit: fullLabel(),
      type: 'decimal',
      decimals: FORM_LIMITS.maxDecimals,
      min: -Number.MAX_SAFE_INTEGER,
      max: Number.MAX_SAFE_INTEGER,
      aggregation: 'countNonZero',
    })),
    rules: Array.from({ length: FORM_LIMITS.rules }, (_, i) => ({ left: key('f', i), op: 'gte', right: { figure: key('f', (i + 1) % FORM_LIMITS.figures) }, message: fullLabel() })),
    lists: Array.from({ length: FORM_LIMITS.lists }, (_, i) => ({ kind: 'commendations', key: key('l', i), title: fullLabel(), maxItems: FORM_LIMITS.listMaxItems, nameMaxBytes: 2_000, reasonMaxBytes: 6_000 })),
    ...(targets ? { targets } : {}),
  });
}

describe('the workflow view of a campaign', () => {
  it('keeps no text people read, only what checks and aggregates a submission', () => {
    const def = quarterly();
    const view = workflowViewOf(file.id, 3, def);
    expect(view.phases).toEqual([
      { key: 'q1', form: 'quarter' },
      { key: 'q2', form: 'quarter' },
      { key: 'q3', form: 'quarter' },
      { key: 'q4', form: 'quarter' },
    ]);
    expect(view.forms).toHaveLength(1);
    const text = JSON.stringify(view);
    expect(text).not.toContain('Báo cáo quý'); // phase names and form titles
    expect(text).not.toContain('Hoạt động kiểm tra'); // guidance
    for (const field of ['"title"', '"guidance"', '"label"', '"unit"', '"name"', '"document"']) expect(text).not.toContain(field);
    expect(text).toContain('Số người được huấn luyện không thể ít hơn số buổi huấn luyện'); // a rule's message is shown by the validator
    expect(view.forms[0]!.figures.map((f) => f.aggregation)).toEqual(['sum', 'sum', 'max', 'countNonZero']);
  });

  it('validates exactly as the whole form does', () => {
    const def = quarterly();
    const form = def.forms[0]!;
    const viewForm = viewPhaseForm(workflowViewOf(file.id, 1, def), 'q2')!;
    for (const content of [
      { results: 'Đã tổ chức 3 buổi huấn luyện.', figures: { trainingSessions: 3, trainedWorkers: 120, safetyNetworkRate: 87.5, accidents: 0 } },
      { results: '', figures: { trainingSessions: 30, trainedWorkers: 12, safetyNetworkRate: 87.55, accidents: 1.5 } },
      { results: 'x', figures: { trainingSessions: 0, trainedWorkers: 0, safetyNetworkRate: 100.5, accidents: 0 }, extra: 1 },
    ])
      expect(validateFormContent(viewForm, content)).toEqual(validateFormContent(form, content));
  });

  it(`stays within ${WORKFLOW_VIEW_MAX_BYTES} bytes for a form at the FORM_LIMITS maxima, with ${60} phases`, () => {
    const def = { forms: [formAtMaxima('report')], phases: Array.from({ length: 60 }, (_, i) => ({ key: `p${i}`.padEnd(32, 'x'), form: 'report' })) };
    const bytes = workflowViewBytes(def);
    expect(bytes).toBeGreaterThan(40_000); // the maxima really are large: the rules' messages weigh most
    expect(bytes).toBeLessThanOrEqual(WORKFLOW_VIEW_MAX_BYTES);
    expect(jsonBytes(workflowViewOf('x'.repeat(48), 999_999, def))).toBe(bytes);
    // the built-in campaign and the example are far smaller
    expect(workflowViewBytes(BUILTIN_CAMPAIGN)).toBeLessThan(4_000);
    expect(workflowViewBytes(quarterly())).toBeLessThan(2_000);
    expect(workflowViewOf(BUILTIN_CAMPAIGN_ID, 1, BUILTIN_CAMPAIGN).forms.map((f) => f.key)).toEqual(BUILTIN_CAMPAIGN.forms.map((f) => f.key));
  });

  it('refuses a definition whose view would not fit, saying which field and why in both languages', () => {
    const def = quarterly() as unknown as Record<string, unknown> & CampaignDefinition;
    const heavy = (k: string) => {
      const f = formAtMaxima(k);
      // small enough content: the submission budget is not what is tested here
      return { ...f, sections: f.sections.slice(0, 1).map((s) => ({ ...s, maxBytes: 1_000 })), lists: [] };
    };
    const check = checkCampaignDefinition({ ...def, forms: [...def.forms, heavy('heavyA'), heavy('heavyB')], phases: [...def.phases.slice(0, 2), { ...def.phases[2]!, form: 'heavyA' }, { ...def.phases[3]!, form: 'heavyB' }] });
    expect(check.ok).toBe(false);
    const text = check.ok ? '' : formatFieldProblems(check.problems);
    expect(text).toMatch(/^forms: the forms' rules and fields would weigh [\d,]+ bytes in every running task, over 65,536/);
    expect(text).toContain('vượt 65.536 byte');
  });

  it('names, for a report phase, the plan phase that set its targets', () => {
    const def = quarterly();
    const plan: Form = formSchema.parse({ key: 'plan', title: { vi: 'Kế hoạch', en: 'Plan' }, targets: { form: 'quarter', figures: ['trainedWorkers'] } });
    const view = workflowViewOf('x', 1, { forms: [plan, ...def.forms], phases: [{ key: 'ke-hoach', form: 'plan' }, ...def.phases] });
    expect(targetSourcePhases(view)).toEqual({ q1: 'ke-hoach', q2: 'ke-hoach', q3: 'ke-hoach', q4: 'ke-hoach' });
  });
});
