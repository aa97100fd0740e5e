// Units × phases, one cell per unit and phase coloured by its standing; rows in tree order with the unit's
// name indented by level, each row a link to the unit's page. d3-scale's band scales lay out the grid.
import { scaleBand } from 'd3-scale';
import { PHASES, type Phase } from '../../../workflows/report';
import type { PhaseStanding } from '../../../workflows/aggregate';
import { html, type SafeHtml } from '../html';
import { phaseName, t, type Lang } from '../i18n';
import { chart, legend, px, STANDING_COLOURS } from './svg';
import { standingLabel } from './standing';

const LABEL = 360;
const CELL = 90;
const ROW = 16;
const TOP = 44;

export interface HeatCell {
  id: string;
  name: string;
  depth: number;
  href: string;
  standings: Record<Phase, PhaseStanding>;
}

export function heatMapChart(lang: Lang, o: { title: string; rows: readonly HeatCell[]; baseDepth: number }): SafeHtml {
  const width = LABEL + CELL * PHASES.length + 8;
  const height = TOP + ROW * Math.max(1, o.rows.length) + 6;
  const y = scaleBand<string>()
    .domain(o.rows.map((r) => r.id))
    .range([TOP, height - 6])
    .paddingInner(0.1);
  const x = scaleBand<Phase>()
    .domain([...PHASES])
    .range([LABEL, LABEL + CELL * PHASES.length])
    .paddingInner(0.06);
  const standings: PhaseStanding[] = ['on-time', 'late', 'overdue', 'pending'];
  const body = html`
${legend(
  standings.map((s) => ({ colour: STANDING_COLOURS[s], label: standingLabel(lang, s) })),
  8,
  6,
)}
${PHASES.map((p) => html`<text x="${px(x(p)! + x.bandwidth() / 2)}" y="${TOP - 6}" text-anchor="middle" font-weight="bold">${phaseName(lang, p)}</text>`)}
${o.rows.map((r) => {
  const top = y(r.id)!;
  const indent = 8 + 12 * Math.max(0, r.depth - o.baseDepth);
  const label = r.name.length > 46 - 2 * (r.depth - o.baseDepth) ? `${r.name.slice(0, 45 - 2 * (r.depth - o.baseDepth))}…` : r.name;
  return html`<a href="${r.href}" data-unit="${r.id}"><text x="${indent}" y="${px(top + y.bandwidth() - 3)}">${label}</text>${PHASES.map(
    (p) =>
      html`<rect data-phase="${p}" data-standing="${r.standings[p]}" x="${px(x(p)!)}" y="${px(top)}" width="${px(x.bandwidth())}" height="${px(y.bandwidth())}" fill="${STANDING_COLOURS[r.standings[p]]}"><title>${r.name} — ${phaseName(lang, p)}: ${standingLabel(lang, r.standings[p])}</title></rect>`,
  )}</a>`;
})}
${o.rows.length === 0 ? html`<text x="8" y="${TOP + 12}">${t(lang, 'none')}</text>` : ''}`;
  return chart({ kind: 'heatmap', title: o.title, width, height, body });
}
