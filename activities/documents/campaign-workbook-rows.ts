// The rows of a campaign cycle's workbook, read from the archive a chunk of units at a time (the frozen tree's
// depth-first order, 500 ids per query), so a national cycle is never in memory at once: the latest submission
// of each unit in the phase (its figures, version, instant, late flag), the review and overdue marks of the
// audit log, the targets of the plan phase that set them, and the files attached to the phase. Phase keys
// are read generically: the audit log's kinds are `<phase>-overdue|accepted|returned|extended`, as today's
// `plan-…` and `report-…` are.
import type { FigureValues } from '../../domain/campaign-aggregation';
import type { ReportStanding } from '../../domain/campaign-report-document';
import type { Writable } from 'node:stream';
import type { CampaignDefinition } from '../../domain/campaign';
import { workbookPhases, type CampaignWorkbookRow, type ReviewState, type WorkbookPhase } from '../../domain/campaign-workbook';
import type { UnitKind } from '../../domain/directory';
import { cycleHeader, instantMs } from '../archive/status';
import { getCampaignVersion } from '../campaigns/repository';
import type { Db } from '../db/database';
import { cycleSubtreeIds } from '../directory/repository';
import { writeCampaignWorkbook, type CampaignWorkbookInput } from './campaign-workbook';
import { nfc } from './vietnamese';

/** Ids per IN list: far below SQLite's 32,766 bound parameters and PostgreSQL's 65,535. */
export const WORKBOOK_CHUNK = 500;

interface Latest {
  version: number;
  submittedAt: string;
  late: boolean;
  content: Record<string, unknown>;
}

/** Only what happened at or before `asOf` (an instant) counts; undefined: everything. */
type Cutoff = (instant: string) => boolean;
const cutoffOf = (asOf: string | undefined): Cutoff => {
  if (asOf === undefined) return () => true;
  const limit = instantMs(asOf);
  // instants are compared as instants, not as text: an offset other than Z must not reorder them
  return (instant) => instantMs(instant) <= limit;
};

/** The latest version per unit of a phase among `ids`, the content parsed. */
async function latestOf(db: Db, cycleId: string, phase: string, ids: readonly string[], until: Cutoff): Promise<Map<string, Latest>> {
  const rows = await db
    .selectFrom('submissions')
    .select(['unit_id', 'version', 'submitted_at', 'late', 'content_json'])
    .where('cycle_id', '=', cycleId)
    // the column is typed for the fixed phases; campaign phases store their own keys in it
    .where('phase', '=', phase as 'plan')
    .where('unit_id', 'in', ids)
    .execute();
  const out = new Map<string, Latest>();
  for (const r of rows) {
    if (!until(r.submitted_at)) continue;
    const prev = out.get(r.unit_id);
    if (prev && prev.version >= Number(r.version)) continue;
    out.set(r.unit_id, { version: Number(r.version), submittedAt: r.submitted_at, late: Number(r.late) === 1, content: JSON.parse(r.content_json) as Record<string, unknown> });
  }
  return out;
}

const numbersOf = (v: unknown): FigureValues | null => {
  if (!v || typeof v !== 'object') return null;
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1])));
};

interface Marks {
  overdue: boolean;
  review: { version: number; state: ReviewState } | null;
}

async function marksOf(db: Db, cycleId: string, phase: string, ids: readonly string[], until: Cutoff): Promise<Map<string, Marks>> {
  const kinds = ['overdue', 'extended', 'accepted', 'returned'].map((k) => `${phase}-${k}`);
  const rows = await db.selectFrom('audit_log').select(['unit_id', 'kind', 'at', 'data_json']).where('cycle_id', '=', cycleId).where('kind', 'in', kinds).where('unit_id', 'in', ids).execute();
  rows.sort((a, b) => instantMs(a.at) - instantMs(b.at));
  const out = new Map<string, Marks>();
  for (const e of rows) {
    if (!until(e.at)) continue;
    const m = out.get(e.unit_id) ?? { overdue: false, review: null };
    const data = JSON.parse(e.data_json) as { to?: unknown; version?: unknown };
    if (e.kind === `${phase}-overdue`) m.overdue = true;
    // an extension into the future lifts the mark until the workflow marks the unit again
    if (e.kind === `${phase}-extended` && typeof data.to === 'string') m.overdue = instantMs(data.to) <= instantMs(e.at);
    if ((e.kind === `${phase}-accepted` || e.kind === `${phase}-returned`) && typeof data.version === 'number')
      m.review = { version: data.version, state: e.kind.endsWith('-accepted') ? 'accepted' : 'returned' };
    out.set(e.unit_id, m);
  }
  return out;
}

async function filesOf(db: Db, cycleId: string, phase: string, ids: readonly string[]): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('files')
    .select(['unit_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('owner_kind', '=', 'submission')
    .where('cycle_id', '=', cycleId)
    .where('phase', '=', phase as 'plan')
    .where('unit_id', 'in', ids)
    .where('attached_at', 'is not', null)
    .groupBy('unit_id')
    .execute();
  return new Map(rows.map((r) => [r.unit_id!, Number(r.n)]));
}

/** A unit in a phase as the archive has it: the workbook's row and the latest content (for the documents). */
export interface ArchivedPhaseRow extends CampaignWorkbookRow {
  content: Record<string, unknown> | null;
}

export interface ArchivedRowsInput {
  cycleId: string;
  /** the top of the subtree read (the cycle's root for a workbook, a node for its report) */
  unitId: string;
  phase: WorkbookPhase;
  /** only what happened at or before this instant (default: everything) */
  asOf?: string;
  /** `unitId` alone, not its subtree (a unit's own report) */
  selfOnly?: boolean;
  /** these units of the cycle, in this order, instead of `unitId`'s subtree (a node's units below, on a page) */
  unitIds?: readonly string[];
}

/**
 * The units of the cycle's frozen tree under `unitId` (itself first) in one phase, in depth-first order, read
 * a chunk at a time. Unit names are the directory's (NFC).
 */
export async function* archivedPhaseRows(db: Db, input: ArchivedRowsInput): AsyncGenerator<ArchivedPhaseRow> {
  const { cycleId, phase } = input;
  const until = cutoffOf(input.asOf);
  const order = input.unitIds ?? (input.selfOnly ? [input.unitId] : await cycleSubtreeIds(db, { cycleId, unitId: input.unitId }));
  for (let i = 0; i < order.length; i += WORKBOOK_CHUNK) {
    const ids = order.slice(i, i + WORKBOOK_CHUNK);
    const [tree, names, latest, marks, files, plans] = await Promise.all([
      db.selectFrom('cycle_units').select(['unit_id', 'parent_id', 'kind', 'depth']).where('cycle_id', '=', cycleId).where('unit_id', 'in', ids).execute(),
      db.selectFrom('units').select(['id', 'name']).where('id', 'in', ids).execute(),
      latestOf(db, cycleId, phase.key, ids, until),
      marksOf(db, cycleId, phase.key, ids, until),
      filesOf(db, cycleId, phase.key, ids),
      phase.targets ? latestOf(db, cycleId, phase.targets.phase, ids, until) : Promise.resolve(new Map<string, Latest>()),
    ]);
    const treeOf = new Map(tree.map((r) => [r.unit_id, r]));
    const nameOf = new Map(names.map((r) => [r.id, nfc(r.name)]));
    for (const id of ids) {
      const t = treeOf.get(id);
      if (!t) continue;
      const l = latest.get(id);
      const m = marks.get(id);
      const standing: ReportStanding = l ? (l.late ? 'late' : 'on-time') : m?.overdue ? 'overdue' : 'pending';
      const review: ReviewState | null = l ? (m?.review && m.review.version === l.version ? m.review.state : 'submitted') : null;
      const planTargets = numbersOf(plans.get(id)?.content.targets);
      yield {
        unitId: id,
        name: nameOf.get(id) ?? id,
        kind: t.kind as UnitKind,
        parentId: t.parent_id,
        depth: Number(t.depth),
        standing,
        review,
        submittedAt: l?.submittedAt ?? null,
        version: l?.version ?? null,
        values: l ? numbersOf(l.content.figures) : null,
        targets: planTargets && phase.targets ? Object.fromEntries(Object.entries(planTargets).filter(([k]) => phase.targets!.figures.includes(k))) : null,
        files: files.get(id) ?? 0,
        content: l?.content ?? null,
      };
    }
  }
}

/** The rows of `phase`'s sheet for the cycle's frozen tree under `unitId`. */
export async function* archivedWorkbookRows(db: Db, input: ArchivedRowsInput): AsyncGenerator<CampaignWorkbookRow> {
  for await (const { content: _content, ...row } of archivedPhaseRows(db, input)) yield row;
}

/** Resolves once `out` has drained its buffer, or has closed (a reader gone: the next write fails the workbook). */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.once('drain', done);
    out.once('close', done);
  });
}

/**
 * `rows`, pausing between chunks while `out` holds more than its buffer: ExcelJS's streaming writer does not wait
 * for a slow reader (a download over a slow line), so without the pause the rows read ahead would pile up in
 * memory as compressed output waiting to be sent.
 */
async function* pacedBy<T>(out: Writable, rows: AsyncIterable<T>): AsyncGenerator<T> {
  let n = 0;
  for await (const row of rows) {
    yield row;
    if (++n % WORKBOOK_CHUNK === 0 && out.writableNeedDrain) await drained(out);
  }
}

/**
 * The workbook of an archived cycle of a campaign, streamed to `out`: every phase of the version the cycle
 * froze (read from the campaign store by `campaign` when `definition` is not given), read from the archive.
 * Throws `UnknownCycleError` when the cycle never started in this database.
 */
export async function writeArchivedCampaignWorkbook(
  db: Db,
  out: Writable,
  input: { cycleId: string; campaign: { id: string; version: number }; definition?: CampaignDefinition; onProgress?: CampaignWorkbookInput['onProgress'] },
): Promise<{ sheets: { phase: string; name: string; rows: number }[] }> {
  const header = await cycleHeader(db, input.cycleId);
  const definition = input.definition ?? (await getCampaignVersion(db, input.campaign.id, input.campaign.version)).definition;
  return writeCampaignWorkbook(out, {
    cycleId: input.cycleId,
    campaign: { ...input.campaign, name: definition.name },
    phases: workbookPhases(definition),
    rows: (phase) => pacedBy(out, archivedWorkbookRows(db, { cycleId: input.cycleId, unitId: header.rootUnitId, phase })),
    onProgress: input.onProgress,
  });
}
