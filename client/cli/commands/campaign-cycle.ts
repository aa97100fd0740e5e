// The CLI for cycles of a campaign: what `cycle start --campaign`, `cycle status`/`report`, `submit --phase`,
// `review` and `extend` do when the cycle id names a campaign (`cycle-<year>-<root>~<campaign>`). Texts name the
// phases by their keys and names in the frozen version; figures show the aggregate by each figure's rule and,
// where a plan set them, the target and the percentage achieved.
import type { Client } from '@temporalio/client';
import { DateTime } from 'luxon';
import { TIME_ZONE } from '../../../activities/calendar/constants';
import { getCampaignVersion } from '../../../activities/campaigns/repository';
import type { Db } from '../../../activities/db/database';
import type { CampaignDefinition } from '../../../domain/campaign';
import type { CampaignAggregate, CampaignUnitStatus } from '../../../workflows/campaign-messages';
import type { Timeline } from '../../../domain/calendar';
import { campaignAggregate, campaignCyclePlan, campaignCycleStatus, campaignUnitStatus, phasedDeadlineTimes } from '../../campaign-cycles';
import { wallAt } from '../../cycles';

const local = (iso: string) => DateTime.fromISO(iso).setZone(TIME_ZONE).toFormat('dd/MM/yyyy HH:mm');
const rate = (r: number | null) => (r === null ? '—' : `${r}%`);
const num = (n: number | null) => (n === null ? '—' : String(n));

/** target, achieved and % achieved (the views compute the percentage: workflows carry numbers only) */
function figureText(def: CampaignDefinition, formKey: string, key: string, f: CampaignAggregate['phases'][string]['figures'][string]): string {
  const figure = def.forms.find((x) => x.key === formKey)?.figures.find((x) => x.key === key);
  const label = figure ? `${figure.label.vi} (${figure.unit.vi})` : key;
  const target = f.target !== null ? ` · target ${num(f.target)}${f.value !== null && f.target !== 0 ? ` (${Math.round((1000 * f.value) / f.target) / 10}%)` : ''}` : '';
  return `      ${label}: ${num(f.value)} [${figure?.aggregation ?? '?'} of ${f.reporting}]${target}`;
}

export function campaignAggregateText(def: CampaignDefinition, a: CampaignAggregate): string {
  const lines = [`Aggregate of ${a.unitId} (${a.cycleId}, ${a.campaignId} v${a.version}) as of ${local(a.asOf)}`];
  for (const phase of def.phases) {
    const p = a.phases[phase.key];
    if (!p) continue;
    lines.push(
      `  ${phase.key} — ${phase.name.vi}: expected ${p.expected} · on time ${p.submittedOnTime.total} · late ${p.submittedLate.total} · not submitted ${p.notSubmitted.total} (overdue ${p.overdue.total}) · completeness ${rate(p.rates.completeness)} · timeliness ${rate(p.rates.timeliness)}`,
    );
    if (p.submittedLate.ids.length) lines.push(`      late: ${p.submittedLate.ids.join(', ')}`);
    if (p.notSubmitted.ids.length) lines.push(`      missing: ${p.notSubmitted.ids.join(', ')}`);
    for (const [key, f] of Object.entries(p.figures)) lines.push(figureText(def, phase.form, key, f));
    if (p.listItems) lines.push(`      list items (commendation proposals): ${p.listItems}`);
  }
  return lines.join('\n');
}

/** Real time in a rehearsal: to the second, since a whole calendar passes in minutes. */
export const wallClock = (iso: string) => DateTime.fromISO(iso).setZone(TIME_ZONE).toFormat('dd/MM/yyyy HH:mm:ss');
/** ` → real time …` after a calendar instant of a rehearsal; nothing for a real cycle, where both are the same. */
export const realTime = (instant: string, timeline: Timeline) => (timeline.kind === 'rehearsal' ? ` → ${wallClock(wallAt(instant, timeline))} real time / giờ thực` : '');

export function campaignUnitText(def: CampaignDefinition, s: CampaignUnitStatus, timeline: Timeline = { kind: 'real' }): string {
  const lines = [`${s.unitId} in ${s.cycleId} (${def.name.vi}, v${s.version})${s.closed ? ' (closed)' : ''} — as of ${local(s.asOf)} — working on: ${s.current}`];
  for (const p of s.phases) {
    const name = def.phases.find((x) => x.key === p.key)?.name.vi ?? p.key;
    const g = p.progress;
    const state =
      g.kind === 'open'
        ? p.overdue
          ? 'OVERDUE / quá hạn'
          : p.open
            ? 'not submitted / chưa nộp'
            : 'not open yet / chưa mở'
        : `${g.kind} v${g.version}${g.late ? ' (late / nộp muộn)' : ''}${g.kind === 'returned' ? ` — "${g.comment}"` : ''}`;
    lines.push(`  ${p.key.padEnd(8)} ${name}: due ${local(p.deadlines.dueAt)}${realTime(p.deadlines.dueAt, timeline)}${p.extended ? ' (extended)' : ''} · ${state} · reminders ${p.remindersSent}`);
  }
  if (s.children.length) {
    lines.push(`  units below (${s.children.length}):`);
    for (const c of s.children)
      lines.push(`    ${c.unitId.padEnd(16)} ${Object.entries(c.phases).map(([k, v]) => `${k} ${v.progress === 'open' ? (v.overdue ? 'OVERDUE' : 'open') : `${v.progress}${v.late ? ' late' : ''}`}`).join(' · ')}`);
  }
  lines.push(campaignAggregateText(def, s.aggregate));
  return lines.join('\n');
}

/** `cycle status` of a campaign cycle: the cycle, or one unit. */
export async function campaignStatusReport(client: Client, db: Db, cycleId: string, unitId?: string): Promise<{ json: unknown; text: string }> {
  // the plan's timeline says when each calendar deadline really falls (a rehearsal's within its minutes)
  const plan = await campaignCyclePlan(client, cycleId);
  const timeline = plan?.timeline ?? { kind: 'real' };
  if (unitId) {
    const s = await campaignUnitStatus(client, cycleId, unitId);
    const { definition } = await getCampaignVersion(db, s.campaignId, s.version);
    return { json: s, text: campaignUnitText(definition, s, timeline) };
  }
  const status = await campaignCycleStatus(client, cycleId);
  const { definition } = await getCampaignVersion(db, status.campaignId, status.version);
  const root = status.phase === 'starting' ? null : await campaignUnitStatus(client, cycleId, status.rootUnitId);
  const deadlines = plan ? phasedDeadlineTimes(plan) : null;
  const head = `${cycleId}: ${status.phase}${status.rehearsal ? ' (rehearsal / diễn tập)' : ''} — ${definition.name.vi} (${status.campaignId} v${status.version})`;
  const closes = deadlines && status.rehearsal ? [`  closes ${local(deadlines.closesAt.at)}${realTime(deadlines.closesAt.at, timeline)}`] : [];
  return { json: { ...status, deadlines, rootStatus: root }, text: [head, ...closes, root ? campaignUnitText(definition, root, timeline) : 'starting…'].join('\n') };
}

/** `cycle report` of a campaign cycle. */
export async function campaignReport(client: Client, db: Db, cycleId: string, unitId?: string): Promise<{ json: unknown; text: string }> {
  const a = await campaignAggregate(client, cycleId, unitId);
  const { definition } = await getCampaignVersion(db, a.campaignId, a.version);
  return { json: a, text: campaignAggregateText(definition, a) };
}
