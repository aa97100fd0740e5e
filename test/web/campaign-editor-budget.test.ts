// The campaign editor shows a refusal about a whole table — a definition whose cycles could not carry its deadline
// plan or its units' entries (domain/campaign-payloads.ts) — as one line per field in the page's notice, in both
// languages, while a problem of a row stays beside its input. Rendered without a browser: the route passes exactly
// problemsByInput and unplacedProblems to this page (client/web/routes/campaigns.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignFileSchema, checkCampaignDefinition, storedCampaignDefinitionSchema } from '../../domain/campaign';
import { definitionFromForm, formDataOf, problemsByInput, unplacedProblems } from '../../client/web/routes/campaigns-form';
import { campaignEditorPage } from '../../client/web/views/campaigns';

const EXAMPLE = campaignFileSchema.parse(JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json'), 'utf8')));

/** The quarterly example widened to 60 phases of forms with 50 figures (a plan setting targets for a report). */
function heavyDefinition() {
  const figures = Array.from({ length: 50 }, (_, i) => ({ key: `f${i}`.padEnd(48, 'x'), label: { vi: 'Chỉ tiêu', en: 'Figure' }, unit: { vi: 'đơn vị', en: 'units' }, type: 'decimal', decimals: 6, min: -9007199254740991, max: 9007199254740991, aggregation: 'sum' }));
  return storedCampaignDefinitionSchema.parse({
    ...(EXAMPLE.definition as object),
    checkedLevels: 5,
    forms: [
      { key: 'plan', title: { vi: 'Kế hoạch', en: 'Plan' }, figures, targets: { form: 'report', figures: figures.map((f) => f.key) } },
      { key: 'report', title: { vi: 'Báo cáo', en: 'Report' }, figures },
    ],
    phases: Array.from({ length: 60 }, (_, i) => ({ key: `p${i}`, name: { vi: `Giai đoạn ${i}`, en: `Phase ${i}` }, form: i < 59 ? 'plan' : 'report', due: { kind: 'date', date: new Date(Date.UTC(2027, 0, 60 + i * 5)).toISOString().slice(5, 10) } })),
  });
}

/** What the editor shows when the secretariat saves `def` as posted by the page. */
function savedPage(def: ReturnType<typeof heavyDefinition>) {
  const data = formDataOf('bao-cao-nang', undefined, def);
  const built = definitionFromForm(data);
  const check = checkCampaignDefinition(built.input);
  if (check.ok) throw new Error('expected the definition to be refused');
  const errors = problemsByInput(data, built, check.problems);
  const problem = unplacedProblems(data, errors);
  return { problem, errors, html: String(campaignEditorPage({ lang: 'en', url: '/campaigns/new?lang=en' }, { mode: 'new', data, errors, frozen: false, csrfToken: 'csrf', problem })) };
}

describe('the campaign editor on a definition too heavy for its cycles', () => {
  it('shows the plan and the entry refusals as one line per field, in both languages', () => {
    const { problem, html } = savedPage(heavyDefinition());
    const lines = problem!.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^phases: 60 phases × 5 levels, .* over the 98,304 allowed; use fewer phases, .* \/ 60 giai đoạn × 5 cấp, .* vượt mức cho phép 98\.304 byte/);
    expect(lines[1]).toMatch(/^forms: 60 phases × 50 figures \(and 50 targets\): a unit's entry in its parent's state .* at least 7 of them .* \/ 60 giai đoạn × 50 chỉ tiêu \(và 50 chỉ tiêu kế hoạch\): phần của mỗi đơn vị/);
    // in the page's notice, a line each
    const notice = /<[^>]*class="[^"]*notice error[^"]*"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
    expect(notice).toContain('Not saved: correct the fields marked.');
    expect(notice.split('<br>')).toHaveLength(3);
    expect(notice).toContain('phases: 60 phases × 5 levels');
    expect(notice).toContain('forms: 60 phases × 50 figures (and 50 targets)');
  });

  it('keeps a row’s problem beside its input, not in the notice', () => {
    const def = heavyDefinition();
    def.forms[1]!.figures[1]!.key = def.forms[1]!.figures[0]!.key;
    const { problem, errors } = savedPage(def);
    const duplicate = Object.entries(errors).find(([, m]) => m.startsWith('duplicate figure key'));
    expect(duplicate?.[0]).toMatch(/^figures\.\d+\.key$/);
    expect(problem).not.toContain('duplicate figure key');
  });
});
