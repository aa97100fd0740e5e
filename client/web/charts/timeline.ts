// One unit's year on a time axis: a lane per phase with its deadline (and an extended one), the task email,
// reminders, overdue marks, submissions, reviews and extensions from the audit log as marks on the lane.
// d3-scale's time scale places them.
import { scaleUtc } from 'd3-scale';
import { PHASES, type Phase } from '../../../workflows/report';
import { html, type SafeHtml } from '../html';
import { eventName, phaseName, t, type Lang } from '../i18n';
import { dateTime } from '../format';
import { chart, legend, px, tickDate } from './svg';

const W = 640;
const LABEL = 90;
const LANE = 48;
const TOP = 46;
const BOTTOM = 24;

export interface TimelineEvent {
  at: string;
  kind: string;
  /** the lane: a phase, or both (task email, close) */
  phase: Phase | null;
}

const MARKS: Record<string, { colour: string; shape: 'circle' | 'diamond' | 'tick' | 'square' }> = {
  submitted: { colour: '#2e7d32', shape: 'circle' },
  accepted: { colour: '#0b5cad', shape: 'diamond' },
  returned: { colour: '#e8a33d', shape: 'diamond' },
  overdue: { colour: '#b3261e', shape: 'square' },
  extended: { colour: '#7b1fa2', shape: 'square' },
  reminder: { colour: '#5f6368', shape: 'tick' },
  other: { colour: '#1f2328', shape: 'tick' },
};

function markOf(kind: string): keyof typeof MARKS {
  if (kind.endsWith('-submitted')) return 'submitted';
  if (kind.endsWith('-accepted')) return 'accepted';
  if (kind.endsWith('-returned')) return 'returned';
  if (kind.endsWith('-overdue')) return 'overdue';
  if (kind.endsWith('-extended')) return 'extended';
  if (kind === 'reminder-sent' || kind === 'reminder-requested') return 'reminder';
  return 'other';
}

function shape(kind: keyof typeof MARKS, cx: number, cy: number, label: string): SafeHtml {
  const m = MARKS[kind]!;
  const title = html`<title>${label}</title>`;
  if (m.shape === 'circle') return html`<circle cx="${px(cx)}" cy="${px(cy)}" r="5" fill="${m.colour}">${title}</circle>`;
  if (m.shape === 'diamond') return html`<path d="M${px(cx)},${px(cy - 6)}l6,6l-6,6l-6,-6z" fill="${m.colour}">${title}</path>`;
  if (m.shape === 'square') return html`<rect x="${px(cx - 4)}" y="${px(cy - 4)}" width="8" height="8" fill="${m.colour}">${title}</rect>`;
  return html`<line x1="${px(cx)}" x2="${px(cx)}" y1="${px(cy - 8)}" y2="${px(cy + 8)}" stroke="${m.colour}" stroke-width="2">${title}</line>`;
}

export function timelineChart(lang: Lang, o: { title: string; events: readonly TimelineEvent[]; deadlines: Record<Phase, string>; now: string }): SafeHtml {
  const times = [...o.events.map((e) => Date.parse(e.at)), ...PHASES.map((p) => Date.parse(o.deadlines[p])), Date.parse(o.now)];
  const first = Math.min(...times);
  const last = Math.max(...times);
  const pad = Math.max(24 * 3600 * 1000, (last - first) * 0.03);
  const height = TOP + LANE * PHASES.length + BOTTOM;
  const x = scaleUtc()
    .domain([new Date(first - pad), new Date(last + pad)])
    .range([LABEL, W - 12]);
  const laneY = (p: Phase) => TOP + LANE * PHASES.indexOf(p) + LANE / 2;
  const body = html`
${legend(
  [
    { colour: MARKS.submitted!.colour, label: t(lang, 'stateSubmitted') },
    { colour: MARKS.accepted!.colour, label: t(lang, 'stateAccepted') },
    { colour: MARKS.returned!.colour, label: t(lang, 'stateReturned') },
  ],
  4,
  6,
)}
${legend(
  [
    { colour: MARKS.overdue!.colour, label: t(lang, 'stateOverdue') },
    { colour: MARKS.extended!.colour, label: t(lang, 'extendedBadge') },
    { colour: MARKS.reminder!.colour, label: t(lang, 'reminders') },
    { colour: '#b3261e', label: t(lang, 'deadline'), dash: true },
  ],
  4,
  24,
)}
${x.ticks(6).map((d) => html`<text x="${px(x(d))}" y="${height - 6}" text-anchor="middle">${tickDate(d)}</text>`)}
${PHASES.map(
  (p) => html`<g data-lane="${p}"><text x="4" y="${px(laneY(p) + 4)}" font-weight="bold">${phaseName(lang, p)}</text>
<line x1="${LABEL}" x2="${W - 12}" y1="${px(laneY(p))}" y2="${px(laneY(p))}" stroke="#c4c7cc"/>
<g class="deadline"><line x1="${px(x(Date.parse(o.deadlines[p])))}" x2="${px(x(Date.parse(o.deadlines[p])))}" y1="${px(laneY(p) - LANE / 2 + 4)}" y2="${px(laneY(p) + LANE / 2 - 4)}" stroke="#b3261e" stroke-dasharray="4 2"><title>${t(lang, 'deadline')}: ${dateTime(o.deadlines[p], lang)}</title></line></g>
${o.events
  .filter((e) => e.phase === p || e.phase === null)
  .map((e) => html`<g data-event="${e.kind}">${shape(markOf(e.kind), x(Date.parse(e.at)), laneY(p), `${eventName(lang, e.kind)} — ${dateTime(e.at, lang)}`)}</g>`)}</g>`,
)}
<line x1="${px(x(Date.parse(o.now)))}" x2="${px(x(Date.parse(o.now)))}" y1="${TOP}" y2="${height - BOTTOM}" stroke="#0b5cad"><title>${t(lang, 'chartNow')}</title></line>`;
  return chart({ kind: 'timeline', title: o.title, width: W, height, body });
}
