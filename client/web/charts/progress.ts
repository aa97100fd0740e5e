// Submission progress against time for one phase: the cumulative number of units that submitted on time
// (bottom band) and late (top band) as step areas, the number expected as a ceiling, the deadline of each
// level below the node as a dashed line, "now" as a solid one. d3-scale maps time and counts; d3-shape draws.
import { scaleLinear, scaleUtc } from 'd3-scale';
import { area, curveStepAfter } from 'd3-shape';
import { html, type SafeHtml } from '../html';
import { levelName, t, type Lang } from '../i18n';
import type { Arrival, LevelDeadline, PhaseCounts } from '../ops/insight';
import { chart, legend, px, STANDING_COLOURS, tickDate, tickNumber } from './svg';

const W = 640;
const H = 260;
const M = { top: 30, right: 16, bottom: 28, left: 44 };
const DAY_MS = 24 * 3600 * 1000;

interface Step {
  at: number;
  onTime: number;
  late: number;
}

/**
 * The cumulative counts after each arrival, from 0 at `start` to the totals at `end`, one step per `bucketMs`
 * at most (arrivals within a bucket merge into one step at its start): a chart is a few hundred pixels wide,
 * so 20,000 arrivals draw as at most that many steps.
 */
export function cumulative(arrivals: readonly Arrival[], start: number, end: number, bucketMs = 0): Step[] {
  const steps: Step[] = [{ at: start, onTime: 0, late: 0 }];
  let onTime = 0;
  let late = 0;
  for (const a of arrivals) {
    const ms = Date.parse(a.at);
    const at = bucketMs > 0 ? start + Math.floor((ms - start) / bucketMs) * bucketMs : ms;
    if (a.late) late += 1;
    else onTime += 1;
    const last = steps.at(-1)!;
    if (last.at === at) Object.assign(last, { onTime, late });
    else steps.push({ at, onTime, late });
  }
  steps.push({ at: Math.max(end, steps.at(-1)!.at), onTime, late });
  return steps;
}

export function progressChart(lang: Lang, o: { title: string; counts: PhaseCounts; arrivals: readonly Arrival[]; deadlines: readonly LevelDeadline[]; now: string }): SafeHtml {
  const times = [...o.arrivals.map((a) => Date.parse(a.at)), ...o.deadlines.map((d) => Date.parse(d.at))];
  const nowMs = Date.parse(o.now);
  const first = Math.min(...times, nowMs);
  const last = Math.max(...times, nowMs);
  // a little room either side so the first step and the last deadline are not on the frame
  const pad = Math.max(DAY_MS, (last - first) * 0.04);
  const x = scaleUtc()
    .domain([new Date(first - pad), new Date(last + pad)])
    .range([M.left, W - M.right]);
  const y = scaleLinear()
    .domain([0, Math.max(1, o.counts.expected)])
    .nice()
    .range([H - M.bottom, M.top]);
  const plotWidth = W - M.left - M.right;
  const steps = cumulative(o.arrivals, first - pad, Math.min(nowMs, last + pad), (last - first + 2 * pad) / plotWidth);
  const onTimeArea = area<Step>()
    .x((s) => Math.round(x(s.at) * 10) / 10)
    .y0(() => Math.round(y(0) * 10) / 10)
    .y1((s) => Math.round(y(s.onTime) * 10) / 10)
    .curve(curveStepAfter);
  const lateArea = area<Step>()
    .x((s) => Math.round(x(s.at) * 10) / 10)
    .y0((s) => Math.round(y(s.onTime) * 10) / 10)
    .y1((s) => Math.round(y(s.onTime + s.late) * 10) / 10)
    .curve(curveStepAfter);
  const xTicks = x.ticks(6);
  const yTicks = y.ticks(5).filter((v) => Number.isInteger(v));
  const body = html`
<g class="axis y">${yTicks.map((v) => html`<g><line x1="${M.left}" x2="${W - M.right}" y1="${px(y(v))}" y2="${px(y(v))}" stroke="#e3e5e8"/><text x="${M.left - 6}" y="${px(y(v) + 4)}" text-anchor="end">${tickNumber(v, lang)}</text></g>`)}</g>
<g class="axis x">${xTicks.map((d) => html`<text x="${px(x(d))}" y="${H - M.bottom + 16}" text-anchor="middle">${tickDate(d)}</text>`)}<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#5f6368"/></g>
<path class="on-time" d="${onTimeArea(steps) ?? ''}" fill="${STANDING_COLOURS['on-time']}" fill-opacity="0.85"/>
<path class="late" d="${lateArea(steps) ?? ''}" fill="${STANDING_COLOURS.late}" fill-opacity="0.85"/>
<line class="expected" x1="${M.left}" x2="${W - M.right}" y1="${px(y(o.counts.expected))}" y2="${px(y(o.counts.expected))}" stroke="#1f2328" stroke-dasharray="2 3"/>
<text x="${W - M.right}" y="${px(y(o.counts.expected) - 4)}" text-anchor="end">${t(lang, 'expected')}: ${tickNumber(o.counts.expected, lang)}</text>
${o.deadlines.map(
  (d) => html`<g class="deadline" data-depth="${d.depth}"><line x1="${px(x(Date.parse(d.at)))}" x2="${px(x(Date.parse(d.at)))}" y1="${M.top}" y2="${H - M.bottom}" stroke="#b3261e" stroke-dasharray="4 2"/><text x="${px(x(Date.parse(d.at)) - 3)}" y="${M.top + 10 + 12 * (d.depth % 2)}" text-anchor="end" fill="#b3261e">${levelName(lang, d.depth)}</text></g>`,
)}
<g class="now"><line x1="${px(x(nowMs))}" x2="${px(x(nowMs))}" y1="${M.top}" y2="${H - M.bottom}" stroke="#0b5cad"/><text x="${px(x(nowMs) - 3)}" y="${H - M.bottom - 4}" text-anchor="end" fill="#0b5cad">${t(lang, 'chartNow')}</text></g>
${legend(
  [
    { colour: STANDING_COLOURS['on-time'], label: `${t(lang, 'onTime')}: ${tickNumber(o.counts['on-time'], lang)}` },
    { colour: STANDING_COLOURS.late, label: `${t(lang, 'late')}: ${tickNumber(o.counts.late, lang)}` },
    { colour: '#b3261e', label: t(lang, 'deadline'), dash: true },
  ],
  M.left,
  6,
)}`;
  return chart({ kind: 'progress', title: o.title, desc: t(lang, 'chartProgressDesc'), width: W, height: H, body });
}
