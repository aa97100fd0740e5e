// The built-in campaign's report document from what today's aggregate report is made of: the same archive
// read (gatherAggregateDocument), recast as a campaign report of phase `report` of `builtin-yearly` v1, so a
// cycle of the built-in campaign prints through the form-driven renderer with the same content as before
// (test/documents/campaign-docx.test.ts compares the two documents' text).
import { unitRollup } from '../../domain/campaign-aggregation';
import { formOf } from '../../domain/campaign';
import { BUILTIN_CAMPAIGN, BUILTIN_CAMPAIGN_ID, BUILTIN_CAMPAIGN_VERSION } from '../../domain/campaign-builtin';
import type { CampaignReportDocumentInput } from '../../domain/campaign-report-document';
import { PHASES } from '../../workflows/report';
import type { Db } from '../db/database';
import { gatherAggregateDocument, type BuildAggregateDocumentInput } from './aggregate-document';
import type { AggregateDocumentData } from './aggregate-input';
import { aggregateDocumentInputSchema } from './aggregate-input';

const REPORT_PHASE = 'report';

/** A level's report of the built-in campaign, from the data of today's aggregate report. */
export function builtinCampaignDocument(data: AggregateDocumentData): CampaignReportDocumentInput {
  const def = BUILTIN_CAMPAIGN;
  const form = formOf(def, def.phases.find((p) => p.key === REPORT_PHASE)!.form)!;
  const phase = (key: string) => {
    const p = def.phases.find((x) => x.key === key)!;
    return { key: p.key, name: p.name };
  };
  return {
    scope: 'level',
    campaign: { id: BUILTIN_CAMPAIGN_ID, version: BUILTIN_CAMPAIGN_VERSION, name: def.name },
    phase: phase(REPORT_PHASE),
    form,
    targets: null,
    year: data.year,
    issuer: data.issuer,
    number: data.number,
    place: data.place,
    date: data.date,
    subject: data.subject,
    intro: data.intro,
    asOfText: data.asOfText,
    final: data.final,
    sections: data.narrative ? { ...data.narrative } : null,
    standingPhases: PHASES.map(phase),
    rows: data.rows.map((r) => ({
      unitId: r.unitId,
      name: r.name,
      standings: { plan: r.plan, report: r.report },
      // today's rows carry their subtrees' sums (every built-in figure is summed)
      figures: unitRollup(form.figures, r.figures),
      targets: null,
    })),
    own: data.own ? { name: data.own.name, values: data.own.figures, targets: null } : null,
    submissions: PHASES.map((p) => ({ phase: phase(p), ...data.aggregate.below[p], ...data.aggregate.rates[p] })),
    unitNames: data.unitNames,
    lists: form.lists.map((l) => ({ key: l.key, items: data.commendations, total: data.commendationsTotal })),
    distribution: data.distribution,
    signer: data.signer,
    figuresNote: data.figuresNote,
  };
}

/** Everything the built-in campaign's report of `unitId` shows, read from the archive as today's report is. */
export async function gatherBuiltinCampaignDocument(db: Db, input: BuildAggregateDocumentInput): Promise<CampaignReportDocumentInput> {
  return builtinCampaignDocument(aggregateDocumentInputSchema.parse(await gatherAggregateDocument(db, input)));
}
