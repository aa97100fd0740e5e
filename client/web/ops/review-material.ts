// What a reviewer reads beside accept / return in the review queue: the version awaiting review as the archive
// keeps it (the submission's sections, figures, proposals), for a report the unit's plan it follows, and the
// unit's figures of last year's cycle when the archive has that report. Read in a few batched queries, however
// long the queue.
import type { Db } from '../../../activities/db/database';
import type { LatestSubmission } from '../../../activities/archive/store';
import { cycleId as makeCycleId, parseCycleId } from '../../../workflows/ids';
import { recordedPlanContentSchema, recordedReportContentSchema, type Figures, type Phase } from '../../../workflows/report';

export interface ReviewMaterial {
  /** the version awaiting review; undefined when the archive does not have it (yet) */
  submission?: LatestSubmission;
  /** a report's plan: its latest version's title and number (plans hold no figures) */
  plan?: { version: number; title: string; number: string };
  /** the same unit's report in the cycle of the year before (same root), latest version */
  lastYear?: { cycleId: string; version: number; figures: Figures };
}

export interface QueueEntry {
  unitId: string;
  phase: Phase;
  version?: number;
}

/** SQLite caps an expression's depth at 1,000: lists of units go in chunks. */
const CHUNK = 100;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export const materialKey = (unitId: string, phase: Phase) => `${unitId}:${phase}`;

/** The cycle of the year before with the same root (a rehearsal has none: it is a rehearsal of one year). */
export function previousCycleId(cycleId: string): string | undefined {
  const parsed = parseCycleId(cycleId);
  return parsed && !parsed.rehearsal ? makeCycleId(parsed.year - 1, parsed.rootId) : undefined;
}

export async function reviewMaterial(db: Db, cycleId: string, queue: readonly QueueEntry[]): Promise<Map<string, ReviewMaterial>> {
  const out = new Map<string, ReviewMaterial>(queue.map((q) => [materialKey(q.unitId, q.phase), {}]));
  const versioned = queue.filter((q): q is Required<QueueEntry> => q.version !== undefined);
  for (const part of chunks(versioned)) {
    const rows = await db
      .selectFrom('submissions')
      .selectAll()
      .where('cycle_id', '=', cycleId)
      .where((eb) => eb.or(part.map((q) => eb.and([eb('unit_id', '=', q.unitId), eb('phase', '=', q.phase), eb('version', '=', q.version)]))))
      .execute();
    for (const row of rows) {
      // the query names only the queue's phases
      const m = out.get(materialKey(row.unit_id, row.phase as Phase));
      if (m)
        m.submission = { version: Number(row.version), content: JSON.parse(row.content_json), contentHash: row.content_hash, submittedAt: row.submitted_at, late: Number(row.late) === 1, channel: row.channel, submittedBy: row.submitted_by };
    }
  }

  const reports = [...new Set(queue.filter((q) => q.phase === 'report').map((q) => q.unitId))];
  const latest = async (cycle: string, phase: Phase, unitIds: string[]) => {
    const found = new Map<string, { version: number; content: unknown }>();
    for (const part of chunks(unitIds)) {
      const rows = await db.selectFrom('submissions').select(['unit_id', 'version', 'content_json']).where('cycle_id', '=', cycle).where('phase', '=', phase).where('unit_id', 'in', part).execute();
      for (const r of rows) {
        const v = Number(r.version);
        if ((found.get(r.unit_id)?.version ?? 0) < v) found.set(r.unit_id, { version: v, content: JSON.parse(r.content_json) });
      }
    }
    return found;
  };
  if (reports.length === 0) return out;
  for (const [unitId, p] of await latest(cycleId, 'plan', reports)) {
    const plan = recordedPlanContentSchema.safeParse(p.content);
    if (plan.success) out.get(materialKey(unitId, 'report'))!.plan = { version: p.version, title: plan.data.title, number: plan.data.number };
  }
  const previous = previousCycleId(cycleId);
  if (previous) {
    for (const [unitId, r] of await latest(previous, 'report', reports)) {
      const report = recordedReportContentSchema.safeParse(r.content);
      if (report.success) out.get(materialKey(unitId, 'report'))!.lastYear = { cycleId: previous, version: r.version, figures: report.data.figures };
    }
  }
  return out;
}
