// A closed cycle read from the archive (its workflows closed, or deleted after Temporal's retention): the cycle
// page and the unit page, read-only, with the same tables and links as while it ran, and a visible note.
import type { ArchivedPhase } from '../../../activities/archive/status';
import { PHASES } from '../../../workflows/report';
import { dateTime, localDate, num } from '../format';
import { html, type SafeHtml } from '../html';
import { levelName, phaseName, t, type Lang } from '../i18n';
import { page, type PageContext } from '../layout';
import type { ArchivedAggregateView, ArchivedCycleInfo, ArchivedCycleOverview, ArchivedUnitDetail } from '../ops/archive';
import { aggregateTable, figuresTable, notice, progressBadges } from './common';
import type { CycleInsight } from '../ops/insight';
import { insightSection } from './insight';
import { submissionView } from './submission';
import {
  aggregateSection,
  undeliveredSection,
  auditSection,
  breadcrumbNav,
  cyclePath,
  downloadLinks,
  pager,
  rowRollups,
  unitFilters,
  unitPath,
  unitRowHead,
  unitRowsHead,
  type RowSelection,
} from './staff';

/** "Closed cycle — from the archive", on every page of such a cycle. */
export function archiveNote(lang: Lang, cycle: Pick<ArchivedCycleInfo, 'closedAt'>): SafeHtml {
  return html`<div class="notice warn" role="status" id="archive-note"><strong>${t(lang, 'archiveNote')}</strong>. ${t(lang, 'archiveNoteBody')}${
    cycle.closedAt ? html` ${t(lang, 'closedAt')} ${dateTime(cycle.closedAt, lang)}.` : ''
  }</div>`;
}

/** The same badges as a running cycle's, from what the archive recorded. */
export function archivedBadges(lang: Lang, p: ArchivedPhase): SafeHtml {
  return progressBadges(lang, p.submission?.review ?? 'open', p.submission?.late ?? false, p.overdue, p.extendedTo !== null);
}

function aggregateNote(lang: Lang, a: ArchivedAggregateView): SafeHtml {
  return html`<p class="muted" data-aggregate-source="${a.source}">${t(lang, a.source === 'recorded' ? 'aggregateRecorded' : 'aggregateRebuilt')}${
    a.final ? html` <span class="badge">${t(lang, 'finalBadge')}</span>` : ''
  }</p>`;
}

export function archivedCyclePage(ctx: PageContext, o: ArchivedCycleOverview, insight?: CycleInsight, document?: SafeHtml): SafeHtml {
  const { lang } = ctx;
  const focus = o.focus;
  const selection: RowSelection = { cycleId: o.cycleId, focusId: focus.id, filters: o.filters, levels: o.levels, total: o.total, page: o.page };
  const body = html`
${archiveNote(lang, o.cycle)}
<div class="card">
<dl class="facts">
<dt>${t(lang, 'cycle')}</dt><dd data-field="cycle">${o.cycleId} <span class="badge">${t(lang, 'phaseClosed')}</span></dd>
<dt>${t(lang, 'startedOn')}</dt><dd>${localDate(o.cycle.treeAsOf)}</dd>
<dt>${t(lang, 'unitsCount')}</dt><dd>${num(o.cycle.unitCount, lang)}</dd>
</dl>
</div>
${document ?? ''}

${breadcrumbNav(o.cycleId, o.breadcrumb, focus.id)}

<section class="card" id="focus" data-unit="${focus.id}">
<h2>${focus.name}</h2>
<dl class="facts">
${PHASES.map((p) => html`<dt>${phaseName(lang, p)}</dt><dd data-phase="${p}">${archivedBadges(lang, focus.status[p])}</dd>`)}
</dl>
<p><a href="${unitPath(o.cycleId, focus.id)}">${t(lang, 'details')}</a></p>
${downloadLinks(lang, o.cycleId, focus, o.figuresAllowed)}
${focus.aggregate ? html`${aggregateNote(lang, focus.aggregate)}${aggregateTable(lang, focus.aggregate.aggregate, t(lang, 'summaryOf'))}${figuresTable(lang, focus.aggregate.aggregate.totalFigures, t(lang, 'figuresTotal'), { cycleId: o.cycleId, unitId: focus.id })}` : ''}
</section>
${insight ? insightSection(lang, insight) : ''}

${
  o.tree.children(focus.id).length > 0
    ? html`<section class="card" id="units">
<h2>${o.filters.level !== undefined ? levelName(lang, o.filters.level) : t(lang, 'directUnits')}</h2>
${unitFilters(lang, selection)}
${
  o.rows.length === 0
    ? html`<p class="muted">${t(lang, 'noUnitsMatch')}</p>`
    : html`<div class="table-wrap"><table id="unit-rows">
${unitRowsHead(lang)}
<tbody>${o.rows.map(
        (r) => html`<tr data-unit="${r.id}">
${unitRowHead(lang, o.cycleId, r)}
<td data-phase="plan">${r.status ? archivedBadges(lang, r.status.plan) : '—'}</td><td data-phase="report">${r.status ? archivedBadges(lang, r.status.report) : '—'}</td>
${rowRollups(lang, r.aggregate)}
</tr>`,
      )}</tbody></table></div>
${pager(lang, selection)}`
}
</section>`
    : ''
}
${undeliveredSection(lang, o)}`;
  return page(ctx, `${t(lang, 'cycleTitle')}: ${focus.name}`, body);
}

function phaseFacts(lang: Lang, p: ArchivedPhase): SafeHtml {
  const s = p.submission;
  return html`<dl class="facts">
<dt>${t(lang, 'ownStatus')}</dt><dd data-field="state">${archivedBadges(lang, p)}</dd>
${s?.reviewedAt ? html`<dt>${t(lang, 'reviewedAt')}</dt><dd>${dateTime(s.reviewedAt, lang)}</dd>` : ''}
${p.extendedTo ? html`<dt>${t(lang, 'extendedTo')}</dt><dd>${dateTime(p.extendedTo, lang)}</dd>` : ''}
</dl>
${s?.comment ? html`<p><strong>${t(lang, 'reviewComment')}:</strong></p><blockquote data-field="comment">${s.comment}</blockquote>` : ''}`;
}

export function archivedUnitPage(ctx: PageContext, d: ArchivedUnitDetail, o: { problem?: string } = {}): SafeHtml {
  const { lang } = ctx;
  const body = html`
${archiveNote(lang, d.cycle)}
${o.problem ? notice('error', html`<strong>${t(lang, 'requestProblem')}:</strong> ${o.problem}`) : ''}
<p class="breadcrumb"><a href="${cyclePath(d.cycleId, { unit: d.parent?.id ?? d.unit.id })}">← ${d.parent?.name ?? t(lang, 'back')}</a></p>
<div class="card"><dl class="facts">
<dt>${t(lang, 'unit')}</dt><dd data-field="unit">${d.unit.name} <span class="muted">(${d.unit.id})</span></dd>
${d.parent ? html`<dt>${t(lang, 'parentUnit')}</dt><dd>${d.parent.name}</dd>` : ''}
<dt>${t(lang, 'cycle')}</dt><dd>${d.cycleId}</dd>
</dl></div>
${PHASES.map(
  (p) => html`<section class="card" id="${p}" data-phase="${p}">
<h2>${phaseName(lang, p)}</h2>
${phaseFacts(lang, d.status[p])}
<h3>${t(lang, 'latestSubmission')}</h3>
${submissionView(lang, p, d.latest[p])}
</section>`,
)}
${
  d.children.length > 0
    ? html`<section class="card" id="children"><h2>${t(lang, 'directUnits')}</h2>
<div class="table-wrap"><table><thead><tr><th scope="col">${t(lang, 'unit')}</th><th scope="col">${t(lang, 'plan')}</th><th scope="col">${t(lang, 'report')}</th></tr></thead>
<tbody>${d.children.map(
        (c) => html`<tr data-unit="${c.id}"><th scope="row"><a href="${unitPath(d.cycleId, c.id)}">${c.name}</a></th><td data-phase="plan">${archivedBadges(lang, c.status.plan)}</td><td data-phase="report">${archivedBadges(lang, c.status.report)}</td></tr>`,
      )}</tbody></table></div></section>`
    : ''
}
${d.aggregate ? aggregateSection(lang, d.aggregate.aggregate, d.names, aggregateNote(lang, d.aggregate)) : ''}
${auditSection(lang, d.audit, d.names)}`;
  return page(ctx, d.unit.name, body);
}
