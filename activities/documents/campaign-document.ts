// The activity side of a campaign phase's report: reads from the archive (the node's subtree, a chunk of units
// at a time) and the unit directory everything the document shows — the node's own narrative, the figures of
// each unit directly below rolled up by each figure's rule, targets from the plan phase that set them, who
// submitted the phases the report covers, the form's lists — and hands back a `CampaignReportDocumentInput`
// for `renderCampaignReportDocx`, or the rendered attachment.
import { z } from 'zod';
import type { CampaignDefinition } from '../../domain/campaign';
import { documentNumber } from '../../domain/campaign-document';
import { emptyRollup, mergeRollups, unitRollup, type FigureValues, type FiguresRollup } from '../../domain/campaign-aggregation';
import { coveredPhases, type CampaignReportDocument, type CampaignReportDocumentInput, type ReportStanding } from '../../domain/campaign-report-document';
import { workbookPhases, type WorkbookPhase } from '../../domain/campaign-workbook';
import { AGGREGATE_LIST_CAP } from '../../workflows/aggregate-types';
import { COMMENDATION_LIST_CAP } from '../archive/subtree';
import { cycleHeader } from '../archive/status';
import { getCampaignVersion } from '../campaigns/repository';
import type { Db } from '../db/database';
import { cycleUnit, getUnits } from '../directory/repository';
import { MAX_ATTACHMENT_BASE64_CHARS } from '../mail/schemas';
import { NATIONAL_CONFEDERATION, type DocumentAttachment } from './aggregate-document';
import { renderCampaignReportDocx } from './campaign-docx';
import { archivedPhaseRows } from './campaign-workbook-rows';
import { DocumentInputError, DocumentTooLargeError } from './errors';
import { DOCX_CONTENT_TYPE, SIGN_ON_BEHALF, SIGNER_POSITION } from './labels';
import { issuerAbbreviation, localDateOf, localDateTime, nfc, placeFromName } from './vietnamese';

export const buildCampaignDocumentInput = z.object({
  cycleId: z.string().min(1).max(200),
  unitId: z.string().min(1).max(64),
  /** the phase's key in the definition */
  phase: z.string().min(1).max(32),
  /** the campaign version the cycle froze */
  campaign: z.strictObject({ id: z.string().min(1), version: z.number().int().min(1) }),
  /** a level's report (the units below, default) or the unit's own */
  scope: z.enum(['unit', 'level']).default('level'),
  /** what the document is as of (an instant); omitted: now */
  asOf: z.iso.datetime({ offset: true }).optional(),
  number: z.string().trim().max(20).optional(),
  place: z.string().trim().max(100).optional(),
  subject: z.string().trim().min(1).max(500).optional(),
  final: z.boolean().default(false),
});
export type BuildCampaignDocumentInput = z.input<typeof buildCampaignDocumentInput>;

/** The year of a cycle id: `cycle-2027-…` and `rehearsal-2027-…`, with or without a campaign after `~`. */
export function cycleYearOf(cycleId: string): number {
  const m = /^(?:cycle|rehearsal)-(\d{4})-/.exec(cycleId);
  if (!m) throw new DocumentInputError('buildCampaignDocument', [`cycleId: not a cycle id: ${cycleId}`]);
  return Number(m[1]);
}

const percent = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);

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

interface Tally {
  expected: number;
  submittedOnTime: { ids: string[]; total: number };
  submittedLate: { ids: string[]; total: number };
  notSubmitted: { ids: string[]; total: number };
  overdue: { ids: string[]; total: number };
}
const list = () => ({ ids: [] as string[], total: 0 });
const add = (l: { ids: string[]; total: number }, id: string) => {
  l.total += 1;
  if (l.ids.length < AGGREGATE_LIST_CAP) l.ids.push(id);
};

/**
 * Everything the report of `unitId` in `phase` shows, from the archive as of `asOf` and the directory as of
 * its local date. Pure data: pass it to `renderCampaignReportDocx`.
 */
export async function gatherCampaignReportDocument(db: Db, raw: BuildCampaignDocumentInput, definition: CampaignDefinition): Promise<CampaignReportDocumentInput> {
  const parsed = buildCampaignDocumentInput.safeParse(raw);
  if (!parsed.success) throw new DocumentInputError('buildCampaignDocument', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const input = parsed.data;
  const { cycleId, unitId } = input;
  const phases = workbookPhases(definition);
  const phase = phases.find((p) => p.key === input.phase);
  if (!phase) throw new DocumentInputError('buildCampaignDocument', [`phase: the campaign has no phase "${input.phase}" (it has ${phases.map((p) => p.key).join(', ')})`]);
  const year = cycleYearOf(cycleId);
  const asOf = input.asOf ?? new Date().toISOString();
  const date = localDateOf(asOf);
  const level = input.scope === 'level';
  const header = await cycleHeader(db, cycleId);

  // the phases whose standing the rows show: those since the previous report on the same form, this one last
  const covered = coveredPhases(definition, phase.key).map((k) => phases.find((p) => p.key === k)!);
  const figures = phase.form.figures;
  const childRollups = new Map<string, { figures: FiguresRollup; targets: FiguresRollup | null }>();
  const standings = new Map<string, Record<string, ReportStanding>>();
  const childOf = new Map<string, string>();
  const tallies: Tally[] = [];
  let own: { content: Record<string, unknown> | null; values: FigureValues | null; targets: FigureValues | null } = { content: null, values: null, targets: null };
  const lists = phase.form.lists.map((l) => ({ key: l.key, items: [] as CampaignReportDocument['lists'][number]['items'], total: 0 }));
  const listedIds = new Set<string>();

  const read = async (p: WorkbookPhase, main: boolean) => {
    const tally: Tally = { expected: 0, submittedOnTime: list(), submittedLate: list(), notSubmitted: list(), overdue: list() };
    for await (const r of archivedPhaseRows(db, { cycleId, unitId, phase: p, asOf, selfOnly: !level })) {
      const isSelf = r.unitId === unitId;
      if (main) {
        if (isSelf) own = { content: r.content, values: r.values, targets: r.targets };
        for (const [i, l] of phase.form.lists.entries()) {
          const items = Array.isArray(r.content?.[l.key]) ? (r.content![l.key] as { kind: 'collective' | 'individual'; name: string; reason?: string }[]) : [];
          if (!level && !isSelf) continue;
          for (const it of items) {
            lists[i]!.total += 1;
            if (lists[i]!.items.length < COMMENDATION_LIST_CAP) {
              lists[i]!.items.push({ kind: it.kind, name: nfc(it.name), reason: nfc(it.reason ?? ''), unitId: r.unitId });
              listedIds.add(r.unitId);
            }
          }
        }
      }
      if (!level || isSelf) continue;
      const child = r.parentId === unitId ? r.unitId : childOf.get(r.parentId ?? '');
      if (child === undefined) continue;
      childOf.set(r.unitId, child);
      if (r.parentId === unitId) standings.set(r.unitId, { ...(standings.get(r.unitId) ?? {}), [p.key]: r.standing });
      tally.expected += 1;
      if (r.standing === 'on-time') add(tally.submittedOnTime, r.unitId);
      else if (r.standing === 'late') add(tally.submittedLate, r.unitId);
      else {
        add(tally.notSubmitted, r.unitId);
        if (r.standing === 'overdue') add(tally.overdue, r.unitId);
      }
      if (main) {
        const acc = childRollups.get(child) ?? { figures: emptyRollup(figures), targets: null };
        acc.figures = mergeRollups(figures, acc.figures, unitRollup(figures, r.values));
        if (r.targets) acc.targets = mergeRollups(figures, acc.targets ?? emptyRollup(figures), unitRollup(figures, r.targets));
        childRollups.set(child, acc);
      }
    }
    return tally;
  };
  for (const p of covered) tallies.push(await read(p, p.key === phase.key));

  const childIds = [...standings.keys()];
  const ancestors = await ancestorsOf(db, cycleId, unitId);
  const listed = tallies.flatMap((t) => [...t.submittedLate.ids, ...t.notSubmitted.ids]);
  const units = new Map((await getUnits(db, [unitId, ...ancestors, ...childIds, ...listed, ...listedIds], date)).map((u) => [u.id, u]));
  const nameOf = (id: string) => nfc(units.get(id)?.name ?? id);
  const unitName = nameOf(unitId);
  const self = await cycleUnit(db, cycleId, unitId);
  const superiorName = ancestors[0] !== undefined ? nameOf(ancestors[0]) : issuerAbbreviation(unitName) === 'LĐLĐ' ? NATIONAL_CONFEDERATION : null;
  const place = input.place ?? [unitId, ...ancestors].map((id) => placeFromName(nameOf(id))).find((x) => x !== '') ?? '';

  const doc = definition.document;
  const reference = doc ? `Kế hoạch số ${nfc(documentNumber(doc))}` : nfc(definition.name.vi);
  const subject = input.subject ?? withYear(`Kết quả thực hiện ${reference} (${nfc(phase.name.vi)})`, year);
  const bodyName = `${self.kind === 'grassroots' ? 'Ban Chấp hành' : 'Ban Thường vụ'} ${unitName}`;
  const subjectLower = subject.charAt(0).toLocaleLowerCase('vi') + subject.slice(1);
  const issued = doc ? ` ngày ${doc.date.slice(8, 10)}/${doc.date.slice(5, 7)}/${doc.date.slice(0, 4)} của ${nfc(doc.issuingBody)}` : '';
  const preamble = doc && header.rootUnitId !== unitId ? `Thực hiện ${reference}${issued}, ` : '';
  const intro = `${preamble}${bodyName} báo cáo ${subjectLower} như sau:`;
  const unit = units.get(unitId);
  const sections = own.content ? Object.fromEntries(phase.form.sections.map((s) => [s.key, typeof own.content![s.key] === 'string' ? (own.content![s.key] as string) : ''])) : null;

  const unitNames: Record<string, string> = {};
  for (const id of [unitId, ...childIds, ...listed, ...listedIds]) unitNames[id] = nameOf(id);
  return {
    scope: input.scope,
    campaign: { id: input.campaign.id, version: input.campaign.version, name: definition.name },
    phase: { key: phase.key, name: phase.name },
    form: phase.form,
    targets: phase.targets ? { phase: { key: phase.targets.phase, name: phases.find((p) => p.key === phase.targets!.phase)!.name }, figures: phase.targets.figures } : null,
    year,
    issuer: { unitId, name: unitName, kind: self.kind, superiorName, abbreviation: issuerAbbreviation(unitName) },
    number: input.number ?? '',
    place,
    date,
    subject,
    intro: intro.charAt(0).toLocaleUpperCase('vi') + intro.slice(1),
    asOfText: localDateTime(asOf).replace(/^(\S+) (\S+)$/, '$2 ngày $1'),
    final: input.final,
    sections,
    standingPhases: level ? covered.map((p) => ({ key: p.key, name: p.name })) : [],
    rows: level
      ? childIds.map((id) => ({ unitId: id, name: nameOf(id), standings: standings.get(id)!, figures: childRollups.get(id)?.figures ?? emptyRollup(figures), targets: childRollups.get(id)?.targets ?? null }))
      : [],
    own: own.content ? { name: level ? `${unitName} (trực tiếp thực hiện)` : unitName, values: own.values ?? {}, targets: own.targets } : null,
    submissions: level ? covered.map((p, i) => ({ phase: { key: p.key, name: p.name }, ...tallies[i]!, completeness: percent(tallies[i]!.submittedOnTime.total + tallies[i]!.submittedLate.total, tallies[i]!.expected), timeliness: percent(tallies[i]!.submittedOnTime.total, tallies[i]!.expected) })) : [],
    unitNames,
    lists,
    distribution: (unit?.distribution ?? []).map((c) => nfc(c.name)).filter((n) => n !== ''),
    signer: { onBehalfOf: SIGN_ON_BEHALF[self.kind], position: SIGNER_POSITION, name: nfc(unit?.chair.name ?? '') },
    figuresNote: '',
  };
}

export function campaignDocumentFilename(cycleId: string, phase: string, unitId: string): string {
  return `bao-cao-${cycleId.replace(/~/g, '-')}-${phase}-${unitId}.docx`;
}

/**
 * The report of `unitId` in a phase as a DOCX attachment; the definition is read from the campaign store by
 * `input.campaign` when not given. Throws `DocumentTooLargeError` past the attachment limit.
 */
export async function buildCampaignReportDocument(db: Db, input: BuildCampaignDocumentInput, definition?: CampaignDefinition): Promise<DocumentAttachment> {
  const def = definition ?? (await getCampaignVersion(db, input.campaign.id, input.campaign.version)).definition;
  const bytes = await renderCampaignReportDocx(await gatherCampaignReportDocument(db, input, def));
  const filename = campaignDocumentFilename(input.cycleId, input.phase, input.unitId);
  const contentBase64 = bytes.toString('base64');
  if (contentBase64.length > MAX_ATTACHMENT_BASE64_CHARS) throw new DocumentTooLargeError(filename, contentBase64.length, MAX_ATTACHMENT_BASE64_CHARS);
  return { filename, contentBase64, contentType: DOCX_CONTENT_TYPE };
}
