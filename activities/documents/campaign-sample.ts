// A preview of what a form's report will look like, before any unit has filled it in: each section shows its
// guidance (or says where the unit's text goes), each figure an example value within its bounds, three
// example units below, targets where a plan phase sets them. What a secretariat checks a new campaign with
// (`baocao campaign sample-docx`); a pure function of the definition.
import { aggregateFigures, type FigureValues } from '../../domain/campaign-aggregation';
import type { CampaignDefinition } from '../../domain/campaign';
import { documentNumber } from '../../domain/campaign-document';
import type { Figure } from '../../domain/campaign-form';
import { coveredPhases, type CampaignReportDocumentInput } from '../../domain/campaign-report-document';
import { workbookPhases } from '../../domain/campaign-workbook';
import { DocumentInputError } from './errors';
import { SIGN_ON_BEHALF, SIGNER_POSITION } from './labels';

const SAMPLE_UNITS = [
  { unitId: 'MAU-1', name: 'Công đoàn cơ sở mẫu số 1 (ví dụ)' },
  { unitId: 'MAU-2', name: 'Công đoàn cơ sở mẫu số 2 (ví dụ)' },
  { unitId: 'MAU-3', name: 'Công đoàn cơ sở mẫu số 3 (ví dụ)' },
];

/** An example value: a fraction of the way from min to max, capped so counts stay plausible, at the figure's digits. */
function example(f: Figure, i: number): number {
  const span = Math.min(f.max - f.min, f.type === 'integer' ? 1_000 : 100);
  const v = f.min + span * [0.42, 0.17, 0.73][i % 3]!;
  return f.type === 'integer' ? Math.round(v) : Math.round(v * 10 ** f.decimals) / 10 ** f.decimals;
}

const valuesOf = (figures: readonly Figure[], i: number): FigureValues => Object.fromEntries(figures.map((f) => [f.key, example(f, i)]));

/** The report of `phaseKey` with example content (`scope`: a level over three example units, or a unit's own). */
export function sampleCampaignDocument(def: CampaignDefinition, input: { campaignId: string; version: number; phase?: string; scope?: 'unit' | 'level'; year?: number }): CampaignReportDocumentInput {
  const phases = workbookPhases(def);
  const phase = input.phase ? phases.find((p) => p.key === input.phase) : (phases.find((p) => p.form.figures.length > 0) ?? phases[0]);
  if (!phase) throw new DocumentInputError('sampleCampaignDocument', [`phase: the campaign has no phase "${input.phase}" (it has ${phases.map((p) => p.key).join(', ')})`]);
  const scope = input.scope ?? 'level';
  const year = input.year ?? Number(def.document?.date.slice(0, 4) ?? 2027);
  const figures = phase.form.figures;
  const targeted = figures.filter((f) => phase.targets?.figures.includes(f.key));
  const targetsOf = (i: number) => (targeted.length > 0 ? valuesOf(targeted, i + 1) : null);
  const doc = def.document;
  const subject = `Kết quả thực hiện ${doc ? `Kế hoạch số ${documentNumber(doc)}` : def.name.vi} (${phase.name.vi}) năm ${year}`;
  const covered = coveredPhases(def, phase.key).map((k) => phases.find((p) => p.key === k)!);
  const level = scope === 'level';
  return {
    scope,
    campaign: { id: input.campaignId, version: input.version, name: def.name },
    phase: { key: phase.key, name: phase.name },
    form: phase.form,
    targets: phase.targets ? { phase: { key: phase.targets.phase, name: phases.find((p) => p.key === phase.targets!.phase)!.name }, figures: phase.targets.figures } : null,
    year,
    issuer: { unitId: 'MAU', name: 'Liên đoàn Lao động Quận Mẫu', kind: level ? 'intermediate' : 'grassroots', superiorName: doc ? doc.issuingBody.replace(/^Ban (Thường vụ|Chấp hành)\s+/u, '') : null, abbreviation: 'LĐLĐ' },
    number: '',
    place: '',
    date: `${year}-12-01`,
    subject,
    intro: `(Bản xem trước với số liệu ví dụ / a preview with example figures.) ${doc ? `Thực hiện Kế hoạch số ${documentNumber(doc)} của ${doc.issuingBody}, ` : ''}Ban Thường vụ Liên đoàn Lao động Quận Mẫu báo cáo như sau:`,
    asOfText: '',
    final: false,
    sections: Object.fromEntries(phase.form.sections.map((s) => [s.key, s.guidance.vi || `(Nội dung đơn vị viết cho mục "${s.title.vi}".)`])),
    standingPhases: level ? covered.map((p) => ({ key: p.key, name: p.name })) : [],
    rows: level
      ? SAMPLE_UNITS.map((u, i) => ({
          ...u,
          standings: Object.fromEntries(covered.map((p) => [p.key, i === 2 ? 'overdue' : i === 1 ? 'late' : 'on-time'])),
          figures: aggregateFigures(figures, [i === 2 ? null : valuesOf(figures, i)]),
          targets: targetsOf(i) ? aggregateFigures(figures, [targetsOf(i)]) : null,
        }))
      : [],
    own: { name: level ? 'Liên đoàn Lao động Quận Mẫu (trực tiếp thực hiện)' : 'Liên đoàn Lao động Quận Mẫu', values: valuesOf(figures, 0), targets: targetsOf(0) },
    submissions: level
      ? covered.map((p) => ({
          phase: { key: p.key, name: p.name },
          expected: 3,
          submittedOnTime: { ids: ['MAU-1'], total: 1 },
          submittedLate: { ids: ['MAU-2'], total: 1 },
          notSubmitted: { ids: ['MAU-3'], total: 1 },
          overdue: { ids: ['MAU-3'], total: 1 },
          completeness: 66.7,
          timeliness: 33.3,
        }))
      : [],
    unitNames: Object.fromEntries(SAMPLE_UNITS.map((u) => [u.unitId, u.name])),
    lists: phase.form.lists.map((l) => ({
      key: l.key,
      items: [
        { kind: 'collective' as const, name: 'Tập thể mẫu (ví dụ)', reason: 'Thành tích tiêu biểu (ví dụ)', unitId: 'MAU-1' },
        { kind: 'individual' as const, name: 'Nguyễn Văn Mẫu (ví dụ)', reason: 'Gương điển hình (ví dụ)', unitId: 'MAU-2' },
      ],
      total: 2,
    })),
    distribution: ['Cấp trên trực tiếp (ví dụ)'],
    signer: { onBehalfOf: SIGN_ON_BEHALF[level ? 'intermediate' : 'grassroots'], position: SIGNER_POSITION, name: '' },
    figuresNote: '',
  };
}
