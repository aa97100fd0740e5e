// What the aggregate report document is made of: one JSON-safe object, validated at the edge, so the renderer
// is a pure function of it (the gatherer in aggregate-document.ts reads the archive and the directory).
import { z } from 'zod';
import { aggregateFiguresSchema } from '../../workflows/aggregate-schema';
import { figuresSchema, recordedCommendationSchema } from '../../workflows/report';
import { UNIT_KINDS } from '../directory/types';
import { aggregateSchema, unitIdSchema } from '../mail/schemas';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const standing = z.enum(['on-time', 'late', 'pending', 'overdue']);
const name = z.string().trim().min(1).max(500);

export const aggregateDocumentInputSchema = z.strictObject({
  year: z.number().int().min(2000).max(2200),
  issuer: z.strictObject({
    unitId: unitIdSchema,
    /** full name with diacritics, e.g. "Liên đoàn Lao động Quận Long Biên" */
    name,
    kind: z.enum(UNIT_KINDS),
    /** the body directly above (first header line, capitals), null when there is none */
    superiorName: name.nullable(),
    /** of the document symbol: "BC-<abbreviation>" */
    abbreviation: z.string().trim().min(1).max(20),
  }),
  /** registration number ("12" of "Số: 12/BC-LĐLĐ"); '' leaves room for the clerk to write it when issuing */
  number: z.string().trim().max(20).default(''),
  /** place of the date line; '' prints a placeholder to be filled in by hand */
  place: z.string().trim().max(100),
  date: localDate,
  /** second title line, e.g. "Kết quả thực hiện Kế hoạch số 18/KH-LĐLĐ năm 2027" */
  subject: z.string().trim().min(1).max(500),
  /** the opening paragraph */
  intro: z.string().trim().max(2_000),
  /** what the figures are as of, shown under the title, e.g. "17:00 ngày 10/12/2027" */
  asOfText: z.string().trim().max(100),
  final: z.boolean(),
  /** the node's own narrative (sections 1–4) from its latest report, null when it has not reported */
  narrative: z
    .strictObject({ leadership: z.string(), implementation: z.string(), assessment: z.string(), recommendations: z.string() })
    .nullable(),
  /** one row per unit directly below, in the tree's order, with the figures of its whole subtree */
  rows: z.array(z.strictObject({ unitId: unitIdSchema, name, plan: standing, report: standing, figures: aggregateFiguresSchema })),
  /** the node's own activities (figures of its own report), null when it has not reported */
  own: z.strictObject({ name, figures: figuresSchema }).nullable(),
  aggregate: aggregateSchema,
  /** names of every unit the aggregate lists (late, missing, commendation proposers) */
  unitNames: z.record(z.string(), z.string()),
  /** commendation proposals to print: the node's own, then those from below */
  commendations: z.array(recordedCommendationSchema.extend({ unitId: unitIdSchema })),
  /** how many proposals exist in all (the list may be capped) */
  commendationsTotal: z.number().int().min(0),
  /** "Nơi nhận", without the archive copy line (added by the renderer) */
  distribution: z.array(z.string().trim().min(1).max(300)),
  signer: z.strictObject({ onBehalfOf: z.string().min(1), position: z.string().min(1), name: z.string().trim().max(200) }),
  /** an italic note under the figures table ('' for none) */
  figuresNote: z.string().max(1_000).default(''),
});

export type AggregateDocumentInput = z.input<typeof aggregateDocumentInputSchema>;
export type AggregateDocumentData = z.output<typeof aggregateDocumentInputSchema>;
