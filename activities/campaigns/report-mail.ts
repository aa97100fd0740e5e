// The email a campaign level sends upward at the close: its final aggregate, archived under a key by the workflow
// (activities/campaigns/aggregates.ts), read back here — the figures of each phase by their rule, with the plan's
// targets and % achieved where a plan set them, and who submitted — with the level's report of each phase as a
// DOCX (activities/documents/campaign-document.ts) built here from the archive: no document travels through a
// workflow's history. Addressed as today's aggregate email (activities/mail/activities.ts): the unit's
// distribution list ("Nơi nhận"), its officer in cc; without a distribution list, its supervisor's officer.
import type { CampaignDefinition } from '../../domain/campaign';
import { percentAchieved } from '../../domain/campaign-aggregation';
import type { Figure } from '../../domain/campaign-form';
import type { CampaignAggregate, CampaignPhaseAggregate } from '../../workflows/campaign-state';
import type { Db } from '../db/database';
import type { Language, Unit } from '../directory/types';
import { AGGREGATION_LABELS } from '../documents/campaign-docx';
import { buildCampaignReportDocument } from '../documents/campaign-document';
import { DocumentTooLargeError } from '../documents/errors';
import type { MailAttachment } from '../mail/compose';
import { MailInputError } from '../mail/errors';
import { contacts } from '../mail/queue';
import type { Block } from '../mail/templates';
import { formatDateTime, formatPercent } from '../mail/templates/format';
import { campaignAggregateByKey } from './aggregates';

/** At most this many phase reports are attached (the outbox's limit); a longer campaign attaches its last ones. */
export const REPORT_MAIL_MAX_ATTACHMENTS = 10;

const LOCALES: Record<Language, string> = { vi: 'vi-VN', en: 'en-GB' };

/** A rolled-up value as the reader expects it: a count of units is whole, a decimal keeps its digits. */
export function formatRolledFigure(f: Pick<Figure, 'type' | 'decimals' | 'aggregation'>, v: number | null, lang: Language): string {
  if (v === null) return '—';
  const digits = f.type === 'decimal' && f.aggregation !== 'countNonZero' ? f.decimals : 0;
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: digits }).format(v);
}

/** The archived aggregate a report email is built from; refused when it is not this unit's in this cycle. */
export async function archivedReportAggregate(db: Db, key: string, cycleId: string, unitId: string): Promise<CampaignAggregate> {
  const archived = await campaignAggregateByKey(db, key);
  if (!archived) throw new MailInputError(`campaign report email: no campaign aggregate is archived under ${key}; record it first (recordCampaignAggregate).`);
  const a = archived.aggregate;
  if (a.cycleId !== cycleId || a.unitId !== unitId) throw new MailInputError(`campaign report email: the aggregate under ${key} is of ${a.cycleId}/${a.unitId}, not ${cycleId}/${unitId}.`);
  return a;
}

/** The DOCX report of each phase (the last REPORT_MAIL_MAX_ATTACHMENTS); one too large to attach is left out. */
export async function phaseReports(db: Db, def: CampaignDefinition, a: CampaignAggregate, final: boolean): Promise<MailAttachment[]> {
  const out: MailAttachment[] = [];
  for (const p of def.phases.slice(-REPORT_MAIL_MAX_ATTACHMENTS)) {
    try {
      out.push(await buildCampaignReportDocument(db, { cycleId: a.cycleId, unitId: a.unitId, phase: p.key, campaign: { id: a.campaignId, version: a.version }, scope: 'level', asOf: a.asOf, final }, def));
    } catch (err) {
      // a report too large to attach: the figures are in the email, the document stays downloadable (CLI report-docx)
      if (!(err instanceof DocumentTooLargeError)) throw err;
    }
  }
  return out;
}

/** Who receives a level's report: its distribution list, else its supervisor's officer, else its own officer. */
export function reportRecipients(u: Unit, supervisor: Unit | undefined) {
  const distribution = contacts(u.distribution);
  const to = distribution.length > 0 ? distribution : [supervisor?.officer ?? u.officer];
  return { to, cc: contacts([u.officer], to) };
}

function phaseBlocks(lang: Language, name: string, figures: readonly Figure[], p: CampaignPhaseAggregate): Block[] {
  const vi = lang === 'vi';
  const n = (x: number) => new Intl.NumberFormat(LOCALES[lang]).format(x);
  const withTargets = figures.some((f) => p.figures[f.key]?.target !== null && p.figures[f.key]?.target !== undefined);
  return [
    { kind: 'heading', text: name },
    {
      kind: 'facts',
      rows: [
        { label: vi ? 'Phải nộp' : 'Expected', value: n(p.expected) },
        { label: vi ? 'Đúng hạn' : 'On time', value: n(p.submittedOnTime.total) },
        { label: vi ? 'Chậm hạn' : 'Late', value: n(p.submittedLate.total) },
        { label: vi ? 'Không nộp' : 'Missing', value: n(p.notSubmitted.total) },
        { label: vi ? 'Tỷ lệ nộp' : 'Completeness', value: formatPercent(p.rates.completeness, lang) },
      ],
    },
    ...(figures.length === 0
      ? []
      : [
          {
            kind: 'table' as const,
            head: vi
              ? ['Chỉ tiêu', 'Cách tổng hợp', 'Kết quả', 'Số đơn vị báo cáo', ...(withTargets ? ['Kế hoạch', 'Tỷ lệ thực hiện'] : [])]
              : ['Figure', 'Aggregation', 'Result', 'Units reporting', ...(withTargets ? ['Target', 'Achieved'] : [])],
            numeric: [false, false, true, true, ...(withTargets ? [true, true] : [])],
            rows: figures.map((f) => {
              const r = p.figures[f.key] ?? { value: null, reporting: 0, target: null };
              const unit = vi ? f.unit.vi : f.unit.en;
              const value = formatRolledFigure(f, r.value, lang);
              const target = r.target === null ? [] : [formatRolledFigure(f, r.target, lang), formatPercent(percentAchieved(r.target, r.value), lang)];
              return [
                `${vi ? f.label.vi : f.label.en}${unit ? ` (${unit})` : ''}`,
                vi ? AGGREGATION_LABELS[f.aggregation].vi : AGGREGATION_LABELS[f.aggregation].en,
                value,
                n(r.reporting),
                ...(withTargets ? (target.length > 0 ? target : ['—', '—']) : []),
              ];
            }),
          },
        ]),
  ];
}

/** The body of a level's report email: when it stands, then each phase's submissions and figures by rule. */
export function reportBlocks(lang: Language, def: CampaignDefinition, a: CampaignAggregate, unitName: string, attached: number): Block[] {
  const vi = lang === 'vi';
  const intro: Block = {
    kind: 'paragraph',
    content: vi
      ? `${unitName} gửi báo cáo tổng hợp kết quả đến ${formatDateTime(a.asOf, lang)} (kết thúc chu kỳ). Số liệu của đơn vị và các đơn vị trực thuộc được tổng hợp theo quy định của từng chỉ tiêu; báo cáo từng giai đoạn đính kèm (${attached} tệp DOCX).`
      : `${unitName} sends its aggregate report as of ${formatDateTime(a.asOf, lang)} (end of the cycle). The figures of the unit and the units below are aggregated by each figure's rule; the report of each phase is attached (${attached} DOCX files).`,
  };
  const blocks: Block[] = [intro];
  for (const phase of def.phases) {
    const p = a.phases[phase.key];
    if (!p) continue;
    const form = def.forms.find((f) => f.key === phase.form);
    blocks.push(...phaseBlocks(lang, vi ? phase.name.vi : phase.name.en, form?.figures ?? [], p));
  }
  return blocks;
}
