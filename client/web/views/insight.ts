// The pictures of a cycle and the pages behind its numbers: the cycle page's progress curves and bars per
// direct unit (each chart with its numbers as a table beside it, each number a link to its units), the heat
// map of a subtree, the drill-down lists (the units behind a count, the reports behind a figure's total) and
// a unit's timeline.
import { FIGURE_LABELS } from '../../../activities/mail/templates/aggregate';
import { PHASES, type Phase } from '../../../workflows/report';
import { barsChart } from '../charts/bars';
import { heatMapChart } from '../charts/heatmap';
import { progressChart } from '../charts/progress';
import { standingLabel } from '../charts/standing';
import { timelineChart, type TimelineEvent } from '../charts/timeline';
import { dateTime, num } from '../format';
import { html, type SafeHtml } from '../html';
import { eventName, levelName, phaseName, t, type Lang, type TextKey } from '../i18n';
import { page, type PageContext } from '../layout';
import { BAR_LIMIT, CATEGORIES, INSIGHT_PAGE_SIZE, type Category, type CycleInsight, type FigureDrill, type FigureKey, type HeatMap, type PhaseCounts, type UnitsDrill } from '../ops/insight';
import type { UnitDetail } from '../ops/cycles';

const CATEGORY_LABELS: Record<Category, TextKey> = {
  expected: 'expected',
  submitted: 'submitted',
  'on-time': 'onTime',
  late: 'late',
  missing: 'missing',
  overdue: 'overdueCount',
};

export function categoryLabel(lang: Lang, c: Category): string {
  return t(lang, CATEGORY_LABELS[c]);
}

const base = (cycleId: string) => `/cycles/${encodeURIComponent(cycleId)}`;

/** The units below `unitId` (with itself: `withSelf`) counted in `category` of `phase`. */
export function unitsBehindPath(cycleId: string, unitId: string, phase: Phase, category: Category, page = 0, withSelf = false): string {
  const q = new URLSearchParams();
  if (withSelf) q.set('self', '1');
  if (page) q.set('page', String(page));
  const qs = q.toString();
  return `${base(cycleId)}/units/${encodeURIComponent(unitId)}/behind/${phase}/${category}${qs ? `?${qs}` : ''}`;
}

/** The reports of the subtree of `unitId` whose `figure` makes its total. */
export function figureBehindPath(cycleId: string, unitId: string, figure: FigureKey, page = 0): string {
  return `${base(cycleId)}/units/${encodeURIComponent(unitId)}/figures/${figure}${page ? `?page=${page}` : ''}`;
}

export function heatMapPath(cycleId: string, unitId: string, page = 0): string {
  return `${base(cycleId)}/units/${encodeURIComponent(unitId)}/heatmap${page ? `?page=${page}` : ''}`;
}

const unitHref = (cycleId: string, unitId: string, hash = '') => `${base(cycleId)}/units/${encodeURIComponent(unitId)}${hash}`;

/** A count as a link to the units behind it (a zero is plain text: there is nothing behind it). */
export function countLink(lang: Lang, cycleId: string, unitId: string, phase: Phase, category: Category, n: number): SafeHtml {
  return n > 0 ? html`<a href="${unitsBehindPath(cycleId, unitId, phase, category)}" data-count="${category}">${num(n, lang)}</a>` : html`${num(n, lang)}`;
}

function countsTable(lang: Lang, cycleId: string, unitId: string, phase: Phase, counts: PhaseCounts): SafeHtml {
  return html`<table class="chart-numbers" data-phase="${phase}"><tbody>${CATEGORIES.map(
    (c) => html`<tr data-col="${c}"><th scope="row">${categoryLabel(lang, c)}</th><td class="num">${countLink(lang, cycleId, unitId, phase, c, counts[c])}</td></tr>`,
  )}</tbody></table>`;
}

function deadlinesList(lang: Lang, deadlines: CycleInsight['phases'][Phase]['deadlines']): SafeHtml {
  if (deadlines.length === 0) return html``;
  return html`<p class="muted">${t(lang, 'deadline')}: ${deadlines.map((d, i) => html`${i ? ' · ' : ''}${levelName(lang, d.depth)} ${dateTime(d.at, lang)}`)}</p>`;
}

function barsTable(lang: Lang, cycleId: string, phase: Phase, rows: CycleInsight['children']): SafeHtml {
  const cols: Category[] = ['expected', 'on-time', 'late', 'missing', 'overdue'];
  return html`<div class="table-wrap"><table class="chart-numbers" data-phase="${phase}"><thead><tr><th scope="col">${t(lang, 'unit')}</th>${cols.map((c) => html`<th scope="col" class="num">${categoryLabel(lang, c)}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr data-bar-unit="${r.id}"><th scope="row"><a href="${unitHref(cycleId, r.id)}">${r.name}</a></th>${cols.map((c) => {
    // a direct unit's bar counts its own task too: its lists include it
    const n = r.counts[phase][c];
    return html`<td class="num" data-col="${c}">${n > 0 ? html`<a href="${unitsBehindPath(cycleId, r.id, phase, c, 0, true)}">${num(n, lang)}</a>` : num(n, lang)}</td>`;
  })}</tr>`)}</tbody></table></div>`;
}

/** The cycle page's charts for the focus: progress over time and bars per direct unit, per phase. */
export function insightSection(lang: Lang, o: CycleInsight): SafeHtml {
  return html`<section class="card" id="progress" data-unit="${o.focusId}">
<h2>${t(lang, 'chartsTitle')}</h2>
<p class="muted">${t(lang, 'countsFromArchive')} <a href="${heatMapPath(o.cycleId, o.focusId)}" id="heatmap-link">${t(lang, 'heatMapLink')}</a></p>
${PHASES.map((p) => {
  const ph = o.phases[p];
  const shown = o.children.slice(0, BAR_LIMIT);
  return html`<div class="chart-pair" data-phase="${p}">
${progressChart(lang, { title: t(lang, 'progressTitle', { phase: phaseName(lang, p) }), counts: ph.counts, arrivals: ph.arrivals, deadlines: ph.deadlines, now: o.now })}
<div>${countsTable(lang, o.cycleId, o.focusId, p, ph.counts)}${deadlinesList(lang, ph.deadlines)}</div>
</div>
${
  o.children.length > 0
    ? html`<div class="chart-pair bars" data-phase="${p}">
${barsChart(lang, { title: t(lang, 'barsTitle', { phase: phaseName(lang, p) }), rows: shown.map((c) => ({ id: c.id, name: c.name, href: heatMapPath(o.cycleId, c.id), counts: c.counts[p] })) })}
${o.children.length > shown.length ? html`<p class="muted">${t(lang, 'barsMore', { shown: shown.length, total: o.children.length })}</p>` : ''}
${barsTable(lang, o.cycleId, p, shown)}
</div>`
    : ''
}`;
})}
</section>`;
}

function pagerLinks(lang: Lang, pageNo: number, pages: number, href: (p: number) => string): SafeHtml {
  if (pages <= 1) return html``;
  return html`<p class="pager">${pageNo > 0 ? html`<a href="${href(pageNo - 1)}" rel="prev">${t(lang, 'previousPage')}</a>` : ''} ${pageNo + 1}/${pages} ${pageNo + 1 < pages ? html`<a href="${href(pageNo + 1)}" rel="next">${t(lang, 'nextPage')}</a>` : ''}</p>`;
}

function backToCycle(lang: Lang, cycleId: string, unit: { id: string; name: string }): SafeHtml {
  return html`<p class="breadcrumb"><a href="${base(cycleId)}?unit=${encodeURIComponent(unit.id)}">← ${unit.name}</a></p>`;
}

export function unitsBehindPage(ctx: PageContext, d: UnitsDrill): SafeHtml {
  const { lang } = ctx;
  const title = t(lang, d.withSelf ? 'unitsOfTitle' : 'unitsBehindTitle', { phase: phaseName(lang, d.phase), category: categoryLabel(lang, d.category), unit: d.unit.name });
  const body = html`${backToCycle(lang, d.cycleId, d.unit)}
<section class="card" id="behind" data-unit="${d.unit.id}" data-phase="${d.phase}" data-category="${d.category}">
<p><strong data-field="total">${t(lang, 'unitsBehindCount', { n: num(d.total, lang) })}</strong></p>
${
  d.rows.length === 0
    ? html`<p class="muted">${t(lang, 'none')}</p>`
    : html`<div class="table-wrap"><table id="behind-rows"><thead><tr><th scope="col">${t(lang, 'unit')}</th><th scope="col">${t(lang, 'parentUnit')}</th><th scope="col">${t(lang, 'level')}</th><th scope="col">${t(lang, 'standing')}</th><th scope="col">${t(lang, 'submittedAt')}</th><th scope="col" class="num">${t(lang, 'version')}</th><th scope="col"></th></tr></thead>
<tbody>${d.rows.map((r) => {
        const s = r.phase.submission;
        return html`<tr data-unit="${r.id}" data-standing="${r.standing}"><th scope="row"><a href="${unitHref(d.cycleId, r.id)}">${r.name}</a></th><td>${r.parentName}</td><td>${levelName(lang, r.depth)}</td>
<td>${standingLabel(lang, r.standing)}${r.phase.extendedTo ? html` <span class="muted">(${t(lang, 'extendedTo')} ${dateTime(r.phase.extendedTo, lang)})</span>` : ''}</td>
<td>${s ? dateTime(s.submittedAt, lang) : '—'}</td><td class="num">${s ? s.version : '—'}</td>
<td>${s ? html`<a href="${unitHref(d.cycleId, r.id, `#${d.phase}`)}" data-link="submission">${t(lang, 'openSubmission')}</a>` : ''}</td></tr>`;
      })}</tbody></table></div>`
}
${pagerLinks(lang, d.page, d.pages, (p) => unitsBehindPath(d.cycleId, d.unit.id, d.phase, d.category, p, d.withSelf))}
</section>`;
  return page(ctx, title, body);
}

export function figureBehindPage(ctx: PageContext, d: FigureDrill): SafeHtml {
  const { lang } = ctx;
  const label = FIGURE_LABELS[lang][d.figure];
  const body = html`${backToCycle(lang, d.cycleId, d.unit)}
<section class="card" id="behind" data-unit="${d.unit.id}" data-figure="${d.figure}">
<p><strong>${t(lang, 'figureSum')}: <span data-field="sum">${num(d.sum, lang)}</span></strong> — ${t(lang, 'unitsReporting', { n: num(d.reporting, lang) })}</p>
${
  d.rows.length === 0
    ? html`<p class="muted">${t(lang, 'none')}</p>`
    : html`<div class="table-wrap"><table id="behind-rows"><thead><tr><th scope="col">${t(lang, 'unit')}</th><th scope="col">${t(lang, 'level')}</th><th scope="col" class="num">${label}</th><th scope="col">${t(lang, 'submittedAt')}</th><th scope="col" class="num">${t(lang, 'version')}</th><th scope="col"></th></tr></thead>
<tbody>${d.rows.map(
        (r) => html`<tr data-unit="${r.id}"><th scope="row"><a href="${unitHref(d.cycleId, r.id)}">${r.name}</a></th><td>${levelName(lang, r.depth)}</td><td class="num" data-col="value">${num(r.value, lang)}</td>
<td>${dateTime(r.submittedAt, lang)}</td><td class="num">${r.version}</td><td><a href="${unitHref(d.cycleId, r.id, '#report')}" data-link="submission">${t(lang, 'openSubmission')}</a></td></tr>`,
      )}</tbody>
<tfoot><tr><th scope="row" colspan="2">${t(lang, 'figureSum')}</th><td class="num">${num(d.sum, lang)}</td><td colspan="3"></td></tr></tfoot></table></div>`
}
${pagerLinks(lang, d.page, d.pages, (p) => figureBehindPath(d.cycleId, d.unit.id, d.figure, p))}
</section>`;
  return page(ctx, t(lang, 'figureBehindTitle', { figure: label, unit: d.unit.name }), body);
}

/** A node's summed figures, each a link to the reports that make it. */
export function figureLinks(lang: Lang, cycleId: string, unitId: string, figure: FigureKey, value: number): SafeHtml {
  return html`<a href="${figureBehindPath(cycleId, unitId, figure)}" data-figure-link="${figure}">${num(value, lang)}</a>`;
}

export function heatMapPage(ctx: PageContext, m: HeatMap): SafeHtml {
  const { lang } = ctx;
  const from = m.page * INSIGHT_PAGE_SIZE + 1;
  const to = m.page * INSIGHT_PAGE_SIZE + m.rows.length;
  const baseDepth = m.rows[0]?.depth ?? 0;
  const body = html`${backToCycle(lang, m.cycleId, m.unit)}
<section class="card" id="heatmap" data-unit="${m.unit.id}">
<p class="muted" data-field="range">${t(lang, 'heatMapRange', { from: num(from, lang), to: num(to, lang), total: num(m.total, lang) })}</p>
${pagerLinks(lang, m.page, m.pages, (p) => heatMapPath(m.cycleId, m.unit.id, p))}
<div class="chart-pair">
${heatMapChart(lang, {
  title: t(lang, 'heatMapOf', { unit: m.unit.name }),
  baseDepth,
  rows: m.rows.map((r) => ({ id: r.id, name: r.name, depth: r.depth, href: r.childCount > 0 ? heatMapPath(m.cycleId, r.id) : unitHref(m.cycleId, r.id), standings: { plan: r.phases.plan.standing, report: r.phases.report.standing } })),
})}
<div class="table-wrap"><table class="chart-numbers" id="heat-rows"><thead><tr><th scope="col">${t(lang, 'unit')}</th>${PHASES.map((p) => html`<th scope="col">${phaseName(lang, p)}</th>`)}</tr></thead>
<tbody>${m.rows.map(
    (r) => html`<tr data-unit="${r.id}"><th scope="row"><a href="${unitHref(m.cycleId, r.id)}">${r.name}</a></th>${PHASES.map((p) => html`<td data-phase="${p}" data-standing="${r.phases[p].standing}">${standingLabel(lang, r.phases[p].standing)}</td>`)}</tr>`,
  )}</tbody></table></div>
</div>
${pagerLinks(lang, m.page, m.pages, (p) => heatMapPath(m.cycleId, m.unit.id, p))}
</section>`;
  return page(ctx, `${t(lang, 'heatMapTitle')}: ${m.unit.name}`, body);
}

/** The phase an audit event belongs to (its kind's prefix, or a reminder's `phase`), none for the task email. */
function phaseOfEvent(kind: string, data: unknown): Phase | null {
  for (const p of PHASES) if (kind.startsWith(`${p}-`)) return p;
  const v = data && typeof data === 'object' ? (data as Record<string, unknown>).phase : undefined;
  return v === 'plan' || v === 'report' ? v : null;
}

/** A unit's timeline: the chart, and its events as a list beside it. */
export function timelineSection(lang: Lang, d: Pick<UnitDetail, 'audit' | 'now' | 'unit'> & { deadlines: Record<Phase, string> }): SafeHtml {
  const events: TimelineEvent[] = d.audit.map((e) => ({ at: e.at, kind: e.kind, phase: phaseOfEvent(e.kind, e.data) }));
  return html`<section class="card" id="timeline">
<h2>${t(lang, 'timelineTitle', { unit: d.unit.name })}</h2>
<div class="chart-pair">
${timelineChart(lang, { title: t(lang, 'timelineTitle', { unit: d.unit.name }), events, deadlines: d.deadlines, now: d.now })}
<ol class="chart-numbers timeline-list">${PHASES.map((p) => html`<li data-deadline="${p}">${t(lang, 'deadline')} — ${phaseName(lang, p)}: ${dateTime(d.deadlines[p], lang)}</li>`)}${events.map(
    (e) => html`<li data-event="${e.kind}">${dateTime(e.at, lang)} — ${e.phase && (e.kind === 'reminder-sent' || e.kind === 'reminder-requested') ? `${phaseName(lang, e.phase)}: ` : ''}${eventName(lang, e.kind)}</li>`,
  )}</ol>
</div></section>`;
}

