// What every chart shares: the colours of the states (the same in the legend, the bars and the heat map), a
// number format for tick labels, and the <svg> wrapper that gives each chart its accessible name. Markup goes
// through the html tag, so unit names and labels are escaped like everywhere else; geometry comes from d3.
import type { PhaseStanding } from '../../../workflows/aggregate';
import { dateOf, num } from '../format';
import { html, type SafeHtml } from '../html';
import type { Lang } from '../i18n';

/** Fill colours per standing; chosen to stay distinct in greyscale print (dark → light: overdue … on time). */
export const STANDING_COLOURS: Record<PhaseStanding, string> = {
  overdue: '#b3261e',
  pending: '#9aa0a6',
  late: '#e8a33d',
  'on-time': '#2e7d32',
};

/** A number with the language's separators, rounded for a tick. */
export function tickNumber(n: number, lang: Lang): string {
  return num(Math.round(n * 100) / 100, lang);
}

/** `dd/MM` of an instant in Vietnam time, for time-axis ticks. */
export function tickDate(d: Date): string {
  return dateOf(d.toISOString()).slice(0, 5);
}

/** Coordinates rounded to a tenth of a pixel: smaller markup, same picture. */
export function px(n: number): string {
  return String(Math.round(n * 10) / 10);
}

let serial = 0;

/** A chart: an <svg> labelled by its <title> (and <desc>), scaled to its box's width, no script. */
export function chart(o: { id?: string; kind: string; title: string; desc?: string; width: number; height: number; body: SafeHtml }): SafeHtml {
  const id = o.id ?? `chart-${++serial}`;
  return html`<figure class="chart" data-chart="${o.kind}"><svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${o.width} ${o.height}" width="${o.width}" height="${o.height}" aria-labelledby="${id}-title${o.desc ? ` ${id}-desc` : ''}" font-family="Noto Sans, Segoe UI, Arial, sans-serif" font-size="12">
<title id="${id}-title">${o.title}</title>${o.desc ? html`<desc id="${id}-desc">${o.desc}</desc>` : ''}
${o.body}</svg></figure>`;
}

/** A small legend row: coloured squares with their labels, laid out left to right from (x, y). */
export function legend(items: { colour: string; label: string; dash?: boolean }[], x: number, y: number): SafeHtml {
  let at = x;
  return html`<g class="legend">${items.map((it) => {
    const g = html`<g transform="translate(${px(at)},${px(y)})">${
      it.dash ? html`<line x1="0" x2="14" y1="5" y2="5" stroke="${it.colour}" stroke-width="2" stroke-dasharray="4 2"/>` : html`<rect width="10" height="10" fill="${it.colour}"/>`
    }<text x="18" y="9">${it.label}</text></g>`;
    at += 30 + it.label.length * 6.5;
    return g;
  })}</g>`;
}
