// A campaign of one phase whose form has many figures (FORM_LIMITS.figures, keys of the longest legal length,
// every aggregation rule): its units' entries are large, so a parent can keep few of them in one workflow — the
// campaign the fan-out tests widen a parent past that number with.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { campaignFileSchema, checkCampaignDefinition, type CampaignDefinition } from '../../domain/campaign';
import { FORM_LIMITS, type Aggregation } from '../../domain/campaign-form';
import { formatFieldProblems } from '../../domain/field-errors';

const QUARTERLY = campaignFileSchema.parse(JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json'), 'utf8')));
const RULES: Aggregation[] = ['sum', 'min', 'max', 'countNonZero'];

export const WIDE_CAMPAIGN_ID = 'bao-cao-nhieu-chi-tieu';
/** `f<i>` padded to the longest key a figure may have (48 characters) */
export const wideFigureKey = (i: number): string => `f${i}`.padEnd(48, 'x');
export const WIDE_FIGURES = Array.from({ length: FORM_LIMITS.figures }, (_, i) => ({ key: wideFigureKey(i), aggregation: RULES[i % RULES.length]! }));

export function wideCampaign(): CampaignDefinition {
  const q = QUARTERLY.definition as CampaignDefinition;
  const check = checkCampaignDefinition({
    ...q,
    name: { vi: 'Báo cáo nhiều chỉ tiêu', en: 'A report of many figures' },
    forms: [
      {
        key: 'wide',
        title: { vi: 'Báo cáo quý', en: 'Quarterly report' },
        sections: [{ key: 'results', title: { vi: 'Kết quả', en: 'Results' }, maxBytes: 2_000 }],
        figures: WIDE_FIGURES.map((f, i) => ({ key: f.key, label: { vi: `Chỉ tiêu ${i}`, en: `Figure ${i}` }, unit: { vi: 'đơn vị', en: 'units' }, type: 'integer', min: 0, max: 1_000_000, aggregation: f.aggregation })),
      },
    ],
    phases: [{ ...q.phases[0]!, form: 'wide' }],
  });
  if (!check.ok) throw new Error(formatFieldProblems(check.problems));
  return check.definition;
}
