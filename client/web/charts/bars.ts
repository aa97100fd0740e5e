// One stacked bar per direct unit for a phase: on time, late, overdue, not yet due (missing = overdue + not
// yet due), as shares of what the unit's subtree owes, worst first as given. Each bar links to the unit's
// part of the tree. d3-scale's band scale places the rows, a linear one the shares.
import { scaleBand, scaleLinear } from 'd3-scale';
import type { PhaseStanding } from '../../../workflows/aggregate';
import { html, type SafeHtml } from '../html';
import { t, type Lang, type TextKey } from '../i18n';
import type { PhaseCounts } from '../ops/insight';
import { chart, legend, px, STANDING_COLOURS, tickNumber } from './svg';

const W = 640;
const LABEL = 220;
const ROW = 22;
const TOP = 28;
const BOTTOM = 22;

const SEGMENTS: { standing: PhaseStanding; label: TextKey; value: (c: PhaseCounts) => number }[] = [
  { standing: 'on-time', label: 'onTime', value: (c) => c['on-time'] },
  { standing: 'late', label: 'late', value: (c) => c.late },
  { standing: 'overdue', label: 'overdueCount', value: (c) => c.overdue },
  { standing: 'pending', label: 'notYetDue', value: (c) => c.missing - c.overdue },
];

export interface BarRow {
  id: string;
  name: string;
  href: string;
  counts: PhaseCounts;
}

function shorten(name: string, max = 30): string {
  return name.length > max ? `${name.slice(0, max - 1)}…` : name;
}

export function barsChart(lang: Lang, o: { title: string; rows: readonly BarRow[] }): SafeHtml {
  const height = TOP + BOTTOM + ROW * Math.max(1, o.rows.length);
  const y = scaleBand<string>()
    .domain(o.rows.map((r) => r.id))
    .range([TOP, height - BOTTOM])
    .padding(0.2);
  const x = scaleLinear().domain([0, 1]).range([LABEL, W - 12]);
  const body = html`
${legend(
  SEGMENTS.map((s) => ({ colour: STANDING_COLOURS[s.standing], label: t(lang, s.label) })),
  LABEL,
  6,
)}
${[0, 0.5, 1].map((v) => html`<text x="${px(x(v))}" y="${height - 6}" text-anchor="middle">${tickNumber(v * 100, lang)}%</text>`)}
${o.rows.map((r) => {
  const top = y(r.id)!;
  let at = 0;
  const total = Math.max(1, r.counts.expected);
  return html`<a href="${r.href}" data-unit="${r.id}"><text x="${LABEL - 6}" y="${px(top + y.bandwidth() / 2 + 4)}" text-anchor="end">${shorten(r.name)}</text>
${SEGMENTS.map((s) => {
    const v = s.value(r.counts);
    const from = at;
    at += v / total;
    return v > 0 ? html`<rect data-standing="${s.standing}" x="${px(x(from))}" y="${px(top)}" width="${px(x(at) - x(from))}" height="${px(y.bandwidth())}" fill="${STANDING_COLOURS[s.standing]}"><title>${r.name} — ${t(lang, s.label)}: ${tickNumber(v, lang)} / ${tickNumber(r.counts.expected, lang)}</title></rect>` : '';
  })}</a>`;
})}`;
  return chart({ kind: 'bars', title: o.title, width: W, height, body });
}
