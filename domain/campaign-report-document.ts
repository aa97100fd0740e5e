// What the report document of a campaign phase is made of — a unit's own report, or a level's report over the
// units below it — as one JSON-safe object validated at the edge: the renderer (activities/documents/
// campaign-docx.ts) is a pure function of it, and whoever gathers it (an activity reading the archive, the
// CLI's preview, a campaign workflow's aggregate) builds this one shape. Labels, units and titles come from
// the form itself, so the document follows the definition the cycle froze.
import { z } from 'zod';
import { labelSchema } from './bilingual';
import type { CampaignDefinition } from './campaign';
import { formSchema } from './campaign-form';
import { UNIT_KINDS } from './directory';
import { lazy } from './lazy';

/** How a unit stands in a phase, as a parent counts it (the same four as today's aggregate). */
export const REPORT_STANDINGS = ['on-time', 'late', 'pending', 'overdue'] as const;
export type ReportStanding = (typeof REPORT_STANDINGS)[number];

const localDate = lazy(() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'));
const name = lazy(() => z.string().trim().min(1).max(500));
const unitId = lazy(() => z.string().min(1).max(64));
const count = lazy(() => z.number().int().min(0));
const label = lazy(() => labelSchema(300));

/** `FiguresRollup` (domain/campaign-aggregation.ts) */
export const figuresRollupSchema = lazy(() => z.record(z.string(), z.strictObject({ value: z.number().nullable(), reporting: count })));
/** `FigureValues`: a unit's own values as it submitted them */
export const figureValuesSchema = lazy(() => z.record(z.string(), z.number()));

/** `UnitList` of an aggregate: at most a capped number of ids, and how many there are in all. */
const unitList = lazy(() => z.strictObject({ ids: z.array(unitId), total: count }));
const phaseRef = lazy(() => z.strictObject({ key: z.string().min(1), name: label }));

export const campaignReportDocumentSchema = lazy(() => z.strictObject({
  /** a unit's own report (its figures as typed), or a level's report over the units below it */
  scope: z.enum(['unit', 'level']),
  campaign: z.strictObject({ id: z.string().min(1), version: z.number().int().min(1), name: label }),
  phase: phaseRef,
  /** the form of the phase, as the cycle's frozen version defines it */
  form: formSchema,
  /**
   * The figures of this form a plan phase set targets for, and that phase; null when none did. The document
   * then shows target, achieved and % achieved for those figures, per unit and in the total.
   */
  targets: z.strictObject({ phase: phaseRef, figures: z.array(z.string()).min(1) }).nullable(),
  year: z.number().int().min(2000).max(2200),
  issuer: z.strictObject({
    unitId,
    /** full name with diacritics, "Liên đoàn Lao động Quận Long Biên" */
    name,
    kind: z.enum(UNIT_KINDS),
    /** the body directly above (first header line), null when there is none */
    superiorName: name.nullable(),
    /** of the document symbol "BC-<abbreviation>" */
    abbreviation: z.string().trim().min(1).max(20),
  }),
  /** registration number; '' leaves room for the clerk */
  number: z.string().trim().max(20).default(''),
  /** place of the date line; '' prints a placeholder */
  place: z.string().trim().max(100),
  date: localDate,
  /** second title line: "Kết quả thực hiện Kế hoạch số 27/KH-LĐLĐ — Báo cáo quý I năm 2027" */
  subject: z.string().trim().min(1).max(500),
  /** the opening paragraph */
  intro: z.string().trim().max(2_000),
  /** what the figures are as of, under the title ("17:00 ngày 10/12/2027"); '' for none */
  asOfText: z.string().trim().max(100),
  final: z.boolean(),
  /** the node's own narrative by section key, null when it has not reported */
  sections: z.record(z.string(), z.string()).nullable(),
  /** the phases whose standing each row shows (e.g. the plan and this report), in order */
  standingPhases: z.array(phaseRef).max(60).default([]),
  /** level: one row per unit directly below, in the tree's order, with the figures of its whole subtree */
  rows: z
    .array(
      z.strictObject({
        unitId,
        name,
        standings: z.record(z.string(), z.enum(REPORT_STANDINGS)),
        figures: figuresRollupSchema,
        /** the targets its subtree set, rolled up; null when none */
        targets: figuresRollupSchema.nullable(),
      }),
    )
    .default([]),
  /** the node's own report: its values as typed and its own plan's targets; null when it has not reported */
  own: z.strictObject({ name, values: figureValuesSchema, targets: figureValuesSchema.nullable() }).nullable(),
  /** level: who submitted each phase below (today's section 6), in the phases' order */
  submissions: z
    .array(
      z.strictObject({
        phase: phaseRef,
        expected: count,
        submittedOnTime: unitList,
        submittedLate: unitList,
        notSubmitted: unitList,
        overdue: unitList,
        /** percent 0–100, null when nothing is expected */
        completeness: z.number().nullable(),
        timeliness: z.number().nullable(),
      }),
    )
    .default([]),
  /** names of every unit the document lists by id */
  unitNames: z.record(z.string(), z.string()).default({}),
  /** each list of the form (commendation proposals) with the items to print: the node's own, then those below */
  lists: z
    .array(
      z.strictObject({
        key: z.string().min(1),
        items: z.array(z.strictObject({ kind: z.enum(['collective', 'individual']), name: z.string(), reason: z.string(), unitId })),
        /** how many exist in all (the printed items may be capped) */
        total: count,
      }),
    )
    .default([]),
  /** "Nơi nhận" without the archive copy line (the renderer adds it) */
  distribution: z.array(z.string().trim().min(1).max(300)).default([]),
  signer: z.strictObject({ onBehalfOf: z.string().min(1), position: z.string().min(1), name: z.string().trim().max(200) }),
  /** an italic note under the figures ('' for none) */
  figuresNote: z.string().max(1_000).default(''),
}));

export type CampaignReportDocumentInput = z.input<typeof campaignReportDocumentSchema>;
export type CampaignReportDocument = z.output<typeof campaignReportDocumentSchema>;

/**
 * The phases a report of `phaseKey` covers, whose standing it shows: those after the previous phase with the
 * same form, up to this one — the yearly plan and the report for the built-in campaign, the plan and Q1 for a
 * first quarter, Q2 alone for the second.
 */
export function coveredPhases(def: Pick<CampaignDefinition, 'phases'>, phaseKey: string): string[] {
  const at = def.phases.findIndex((p) => p.key === phaseKey);
  if (at < 0) return [];
  let from = at;
  while (from > 0 && def.phases[from - 1]!.form !== def.phases[at]!.form) from--;
  return def.phases.slice(from, at + 1).map((p) => p.key);
}
