// The activity side of the aggregate report: gathers from the archive and the unit directory everything the
// document shows, renders it, and hands it back ready to attach to `sendAggregateUpward`.
import { z } from 'zod';
import type { Aggregate } from '../../workflows/aggregate-types';
import { parseCycleId } from '../../workflows/ids';
import { FIGURE_KEYS, ZERO_FIGURES, type Figures, type PlanContent } from '../../workflows/report';
import { addFigures } from '../../workflows/aggregate';
import { latestSubmission } from '../archive/store';
import { commendationsBelow, figuresByChild, loadSubtree } from '../archive/subtree';
import type { Db } from '../db/database';
import { cycleUnit, getUnits } from '../directory/repository';
import type { Unit } from '../directory/types';
import { aggregateSchema, cycleIdSchema, MAX_ATTACHMENT_BASE64_CHARS, unitIdSchema } from '../mail/schemas';
import type { AggregateDocumentInput } from './aggregate-input';
import { renderAggregateDocx } from './aggregate-docx';
import { DocumentInputError, DocumentTooLargeError } from './errors';
import { DOCX_CONTENT_TYPE, FIGURE_LABELS, SIGN_ON_BEHALF, SIGNER_POSITION } from './labels';
import { formatCount, issuerAbbreviation, localDateOf, localDateTime, nfc, placeFromName } from './vietnamese';

/** The body above a provincial federation that roots an installation (its header's first line). */
export const NATIONAL_CONFEDERATION = 'Tổng Liên đoàn Lao động Việt Nam';
/** A generic subject when the cycle's root published no plan to refer to. */
const GENERIC_PLAN = 'kế hoạch công tác';

export const buildAggregateDocumentInput = z.object({
  cycleId: cycleIdSchema,
  unitId: unitIdSchema,
  aggregate: aggregateSchema,
  /** registration number of the report; omitted: left blank for the clerk */
  number: z.string().trim().max(20).optional(),
  /** place of the date line; omitted: read from the unit's or an ancestor's name */
  place: z.string().trim().max(100).optional(),
  /** second title line; omitted: "Kết quả thực hiện <the root's plan> năm <year>" */
  subject: z.string().trim().min(1).max(500).optional(),
  /** true for the aggregate at the cycle's close */
  final: z.boolean().default(false),
});
export type BuildAggregateDocumentInput = z.input<typeof buildAggregateDocumentInput>;

/** One attachment of `sendAggregateUpward`. */
export interface DocumentAttachment {
  filename: string;
  contentBase64: string;
  contentType: string;
}

export function aggregateDocumentFilename(cycleId: string, unitId: string): string {
  return `bao-cao-${cycleId}-${unitId}.docx`;
}

/** "Kế hoạch số 18/KH-LĐLĐ", else the plan's title, else undefined. */
function planReference(plan: PlanContent | undefined): string | undefined {
  if (!plan) return undefined;
  if (plan.number) return `Kế hoạch số ${nfc(plan.number)}`;
  return plan.title ? nfc(plan.title) : undefined;
}

function withYear(text: string, year: number): string {
  return text.includes(String(year)) ? text : `${text} năm ${year}`;
}

async function ancestorsOf(db: Db, cycleId: string, unitId: string): Promise<string[]> {
  const chain: string[] = [];
  let current = (await cycleUnit(db, cycleId, unitId)).parentId;
  while (current && !chain.includes(current)) {
    chain.push(current);
    current = (await cycleUnit(db, cycleId, current)).parentId;
  }
  return chain;
}

const sameFigures = (a: Figures, b: Figures) => FIGURE_KEYS.every((k) => a[k] === b[k]);

/**
 * Everything the aggregate report of `unitId` shows, read from the archive as of the aggregate's instant and
 * from the unit directory as of its local date. Pure data: pass it to `renderAggregateDocx`.
 */
export async function gatherAggregateDocument(db: Db, raw: BuildAggregateDocumentInput): Promise<AggregateDocumentInput> {
  const parsed = buildAggregateDocumentInput.safeParse(raw);
  if (!parsed.success) throw new DocumentInputError('buildAggregateDocument', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const input = parsed.data;
  const aggregate: Aggregate = input.aggregate;
  if (aggregate.cycleId !== input.cycleId || aggregate.unitId !== input.unitId) {
    throw new DocumentInputError('buildAggregateDocument', [`the aggregate is of ${aggregate.cycleId}/${aggregate.unitId}, not ${input.cycleId}/${input.unitId}`]);
  }
  const { cycleId, unitId } = input;
  const year = parseCycleId(cycleId)!.year;

  const sub = await loadSubtree(db, { cycleId, unitId, asOf: aggregate.asOf });
  const self = sub.units.get(unitId)!;
  const rootId = sub.header.rootUnitId;
  const ancestors = await ancestorsOf(db, cycleId, unitId);
  const childIds = sub.order.filter((id) => sub.units.get(id)?.parentId === unitId);
  // rollups count proposals only: the list is read from the archive as of the aggregate's instant
  const below = commendationsBelow(sub);
  const listed = [
    ...[aggregate.below.plan, aggregate.below.report].flatMap((r) => [...r.submittedLate.ids, ...r.notSubmitted.ids]),
    ...below.items.map((c) => c.unitId),
  ];
  const date = localDateOf(aggregate.asOf);
  const units = new Map<string, Unit>((await getUnits(db, [unitId, ...ancestors, ...childIds, ...listed], date)).map((u) => [u.id, u]));
  const nameOf = (id: string) => nfc(units.get(id)?.name ?? id);
  const unit = units.get(unitId);
  const unitName = nameOf(unitId);

  const parentId = ancestors[0];
  const superiorName =
    parentId !== undefined
      ? nameOf(parentId)
      : issuerAbbreviation(unitName) === 'LĐLĐ'
        ? NATIONAL_CONFEDERATION
        : null;
  const place = input.place ?? [unitId, ...ancestors].map((id) => placeFromName(nameOf(id))).find((p) => p !== '') ?? '';

  const rootPlan = unitId === rootId ? sub.plans.get(rootId) : ((await latestSubmission(db, cycleId, rootId, 'plan'))?.content as PlanContent | undefined);
  const reference = planReference(rootPlan);
  const subject = input.subject ?? `Kết quả thực hiện ${withYear(reference ?? GENERIC_PLAN, year)}`;
  const bodyName = `${self.kind === 'grassroots' ? 'Ban Chấp hành' : 'Ban Thường vụ'} ${unitName}`;
  const subjectLower = subject.charAt(0).toLocaleLowerCase('vi') + subject.slice(1);
  const preamble = unitId !== rootId && reference ? `Thực hiện ${reference} của Ban Thường vụ ${nameOf(rootId)}, ` : '';
  const intro = `${preamble}${bodyName} báo cáo ${subjectLower} như sau:`;
  const capitalised = intro.charAt(0).toLocaleUpperCase('vi') + intro.slice(1);

  const ownReport = sub.reports.get(unitId);
  const byChild = figuresByChild(sub);
  const rows = childIds.map((id) => {
    const child = sub.units.get(id)!;
    return { unitId: id, name: nameOf(id), plan: child.plan.standing, report: child.report.standing, figures: byChild.get(id) ?? { ...ZERO_FIGURES } };
  });
  const tableTotal = [...rows.map((r) => r.figures), ownReport?.figures ?? ZERO_FIGURES].reduce((a, b) => addFigures(a, b), { ...ZERO_FIGURES });
  const asOfText = localDateTime(aggregate.asOf).replace(/^(\S+) (\S+)$/, '$2 ngày $1');
  const figuresNote = sameFigures(tableTotal, aggregate.totalFigures)
    ? ''
    : `Ghi chú: bản tổng hợp gửi lên lúc ${asOfText} ghi nhận ${FIGURE_KEYS.map((k) => `${FIGURE_LABELS[k].vi.toLocaleLowerCase('vi')}: ${formatCount(aggregate.totalFigures[k])}`).join('; ')}; bảng trên tính theo các báo cáo lưu trữ đến cùng thời điểm.`;

  const ownCommendations = (ownReport?.commendations ?? []).map((c) => ({ ...c, unitId }));
  const unitNames: Record<string, string> = {};
  for (const id of [unitId, ...childIds, ...listed]) unitNames[id] = nameOf(id);

  return {
    year,
    issuer: { unitId, name: unitName, kind: self.kind, superiorName, abbreviation: issuerAbbreviation(unitName) },
    number: input.number ?? '',
    place,
    date,
    subject,
    intro: capitalised,
    asOfText,
    final: input.final,
    narrative: ownReport
      ? { leadership: ownReport.leadership, implementation: ownReport.implementation, assessment: ownReport.assessment, recommendations: ownReport.recommendations }
      : null,
    rows,
    own: ownReport ? { name: `${unitName} (trực tiếp thực hiện)`, figures: ownReport.figures } : null,
    aggregate,
    unitNames,
    commendations: [...ownCommendations, ...below.items],
    commendationsTotal: ownCommendations.length + below.total,
    distribution: (unit?.distribution ?? []).map((c) => nfc(c.name)).filter((n) => n !== ''),
    signer: { onBehalfOf: SIGN_ON_BEHALF[self.kind], position: SIGNER_POSITION, name: nfc(unit?.chair.name ?? '') },
    figuresNote,
  };
}

/**
 * The aggregate report of `unitId` as a DOCX attachment for `sendAggregateUpward`. Throws
 * `DocumentTooLargeError` when it would not fit in an attachment, `DocumentInputError` for a bad input.
 */
export async function buildAggregateDocument(db: Db, input: BuildAggregateDocumentInput): Promise<DocumentAttachment> {
  const data = await gatherAggregateDocument(db, input);
  const bytes = await renderAggregateDocx(data);
  const filename = aggregateDocumentFilename(input.cycleId, input.unitId);
  const contentBase64 = bytes.toString('base64');
  if (contentBase64.length > MAX_ATTACHMENT_BASE64_CHARS) throw new DocumentTooLargeError(filename, contentBase64.length, MAX_ATTACHMENT_BASE64_CHARS);
  return { filename, contentBase64, contentType: DOCX_CONTENT_TYPE };
}
