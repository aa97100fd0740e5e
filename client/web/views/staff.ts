// Pages of the secretariat and the supervisors: their cycles, a cycle's tree with completeness figures, one
// unit (status, submissions, review, extension, aggregate, history) and the chase-up page (starting a cycle:
// cycle-start.ts).
import { DateTime } from 'luxon';
import { TIME_ZONE } from '../../../activities/calendar/constants';
import type { DeadlinePlan } from '../../../activities/calendar/types';
import { FIGURE_LABELS } from '../../../activities/mail/templates/aggregate';
import { wallAt } from '../../cycles';
import type { Config } from '../../../common/config';
import { unitWorkflowId } from '../../../workflows/ids';
import type { Aggregate } from '../../../workflows/aggregate-types';
import { FIGURE_KEYS, PHASES, type Phase } from '../../../workflows/report';
import type { Unit } from '../../../activities/directory/types';
import { dateTime, lateness, localDate, num } from '../format';
import type { FieldErrors } from '../forms';
import { html, type SafeHtml } from '../html';
import { eventName, levelName, phaseName, t, type Lang } from '../i18n';
import { page, type PageContext } from '../layout';
import type { CycleListItem, CycleOverview, UnitDetail } from '../ops/cycles';
import { PAGE_SIZE } from '../ops/deps';
import type { Supervision } from '../ops/supervision';
import { bulkActionsForm, bulkCheckbox } from './bulk';
import { reviewMaterialView } from './review';
import { materialKey, type ReviewMaterial } from '../ops/review-material';
import { overdueExportLinks } from './overdue';
import { CYCLE } from '../../../workflows/search-attributes';
import type { CycleHealth } from '../../cycle-health';
import { aggregateTable, csrfField, field, figuresTable, notice, rollupCells, rollupHeadCells, summaryBadges, unitList, viewBadges } from './common';
import { submissionView } from './submission';
import type { CycleInsight } from '../ops/insight';
import { figureBehindPath, insightSection, timelineSection } from './insight';

/** The unit directory's XLSX template (routes/directory.ts). */
export const UNIT_TEMPLATE_PATH = '/units/template.xlsx';

export function cyclePath(cycleId: string, query: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `/cycles/${encodeURIComponent(cycleId)}${s ? `?${s}` : ''}`;
}

export function unitPath(cycleId: string, unitId: string, suffix = ''): string {
  return `/cycles/${encodeURIComponent(cycleId)}/units/${encodeURIComponent(unitId)}${suffix}`;
}

/** The node's aggregate report (DOCX). */
export function reportPath(cycleId: string, unitId: string): string {
  return unitPath(cycleId, unitId, '/report.docx');
}

/** The figures of every unit of the cycle (XLSX). */
export function figuresPath(cycleId: string): string {
  return `/cycles/${encodeURIComponent(cycleId)}/figures.xlsx`;
}

export function supervisePath(cycleId: string, unitId?: string): string {
  return `/cycles/${encodeURIComponent(cycleId)}/supervise${unitId ? `?unit=${encodeURIComponent(unitId)}` : ''}`;
}

/** The Temporal Web UI, filtered to the workflows of one cycle (or one unit's task): for engineers. */
export function temporalLink(temporal: Config['temporal'], cycleId: string, unitId?: string): string {
  const query = unitId ? `WorkflowId="${unitWorkflowId(cycleId, unitId)}"` : `${CYCLE.name}="${cycleId}"`;
  return `${temporal.uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows?query=${encodeURIComponent(query)}`;
}

function phaseBadge(lang: Lang, phase: CycleListItem['phase'], rehearsal?: boolean): SafeHtml {
  const label = phase === 'closed' ? t(lang, 'phaseClosed') : phase === 'running' ? t(lang, 'phaseRunning') : t(lang, 'phaseStarting');
  return html`<span class="badge ${phase === 'running' ? 'ok' : ''}">${label}</span>${rehearsal ? html` ${rehearsalBadge(lang)}` : ''}`;
}

/** "Rehearsal" beside a cycle's id, on a built-in's pages and a campaign's alike. */
export function rehearsalBadge(lang: Lang): SafeHtml {
  return html`<span class="badge warn">${t(lang, 'rehearsalBadge')}</span>`;
}

// ── dashboard ───────────────────────────────────────────────────────────────────────────────────────────

export function dashboardPage(ctx: PageContext, o: { units: Unit[]; cycles: CycleListItem[]; canStart: boolean }): SafeHtml {
  const { lang } = ctx;
  return page(
    ctx,
    t(lang, 'dashboardTitle'),
    html`<div class="card"><strong>${t(lang, 'yourUnits')}:</strong> ${o.units.map((u, i) => html`${i ? ', ' : ''}${u.name}`)}</div>
${o.canStart ? html`<p><a class="button primary" href="/cycles/new">${t(lang, 'startCycle')}</a></p>` : ''}
${o.canStart ? html`<p><a id="unit-template" href="${UNIT_TEMPLATE_PATH}" download>${t(lang, 'unitTemplate')}</a> <span class="muted">${t(lang, 'unitTemplateHint')}</span></p>` : ''}
${
  o.cycles.length === 0
    ? html`<p class="muted">${t(lang, 'noCycles')}</p>`
    : html`<div class="table-wrap"><table id="cycles">
<thead><tr><th scope="col">${t(lang, 'cycle')}</th><th scope="col">${t(lang, 'rootUnit')}</th><th scope="col"></th><th scope="col">${t(lang, 'startedOn')}</th><th scope="col" class="num">${t(lang, 'unitsCount')}</th><th scope="col"></th></tr></thead>
<tbody>${o.cycles.map(
        (c) => html`<tr data-cycle="${c.cycleId}">
<td><a href="${cyclePath(c.cycleId)}">${c.cycleId}</a>${c.campaign ? html`<br><span data-field="campaign">${c.campaign.name[lang]} <span class="muted">(${c.campaign.id} v${c.campaign.version})</span></span>` : ''}</td><td>${c.rootName ?? c.rootId}</td><td>${phaseBadge(lang, c.phase, c.rehearsal)}</td>
<td>${localDate(c.asOf)}</td><td class="num">${num(c.unitCount, lang)}</td>
<td><a href="${cyclePath(c.cycleId)}">${t(lang, 'openCycle')}</a> · <a href="${supervisePath(c.cycleId)}">${t(lang, 'superviseLink')}</a></td></tr>`,
      )}</tbody></table></div>`
}`,
  );
}

// ── the cycle page ──────────────────────────────────────────────────────────────────────────────────────

export function cycleStartingPage(ctx: PageContext, cycleId: string, config: Config): SafeHtml {
  const { lang } = ctx;
  return page(
    ctx,
    `${t(lang, 'cycleTitle')}: ${cycleId}`,
    html`${notice('warn', t(lang, 'cycleStartingBody'))}<p><a class="button" href="${cyclePath(cycleId)}">${t(lang, 'reload')}</a></p>
<p class="muted"><a href="${temporalLink(config.temporal, cycleId)}" rel="noreferrer" target="_blank">${t(lang, 'engineersLink')}</a></p>`,
  );
}

/**
 * In a rehearsal, the real time a calendar deadline falls at (the whole calendar runs in a few minutes); nothing
 * for a real cycle, where the two are the same.
 */
export function wallNote(lang: Lang, instant: string, plan: Pick<DeadlinePlan, 'timeline'> | null): SafeHtml {
  if (!plan || plan.timeline.kind !== 'rehearsal') return html``;
  const wall = wallAt(instant, plan.timeline);
  const shown = DateTime.fromISO(wall).setZone(TIME_ZONE).toFormat('HH:mm:ss dd/MM/yyyy');
  return html` <span class="muted" data-wall-at="${wall}">(${t(lang, 'realTimeInRehearsal')} ${shown})</span>`;
}

function planTable(lang: Lang, o: CycleOverview): SafeHtml {
  if (!o.plan) return html``;
  const plan = o.plan;
  return html`<details><summary>${t(lang, 'previewTitle')}</summary>
<div class="table-wrap"><table><thead><tr><th scope="col">${t(lang, 'level')}</th><th scope="col">${t(lang, 'planDue')}</th><th scope="col">${t(lang, 'reportDueShort')}</th></tr></thead>
<tbody>${plan.levels.map(
    (l) =>
      html`<tr><td>${levelName(lang, l.depth)}</td><td>${dateTime(l.plan.dueAt, lang)}${wallNote(lang, l.plan.dueAt, plan)}</td><td>${dateTime(l.report.dueAt, lang)}${wallNote(lang, l.report.dueAt, plan)}</td></tr>`,
  )}</tbody></table></div>
<p class="muted">${t(lang, 'closesAt')} ${dateTime(plan.closesAt, lang)}${wallNote(lang, plan.closesAt, plan)}</p></details>`;
}

function dashCells(n: number): SafeHtml {
  return html`${Array.from({ length: n }, () => html`<td class="num muted">—</td>`)}`;
}

/** Header rows of the unit table: the unit, its own plan and report, then the rollups of the units below it. */
export function unitRowsHead(lang: Lang): SafeHtml {
  return html`<thead>
<tr><th scope="col" rowspan="2">${t(lang, 'unit')}</th><th scope="col" rowspan="2">${t(lang, 'plan')}</th><th scope="col" rowspan="2">${t(lang, 'report')}</th>
<th scope="colgroup" colspan="8">${t(lang, 'plans')} — ${t(lang, 'summaryOf').toLowerCase()}</th><th scope="colgroup" colspan="8">${t(lang, 'reports')} — ${t(lang, 'summaryOf').toLowerCase()}</th></tr>
<tr>${rollupHeadCells(lang)}${rollupHeadCells(lang)}</tr>
</thead>`;
}

export function unitRowHead(lang: Lang, cycleId: string, r: { id: string; name: string; childCount: number }): SafeHtml {
  return html`<th scope="row"><a href="${unitPath(cycleId, r.id)}">${r.name}</a>${r.childCount > 0 ? html`<br><a class="muted" href="${cyclePath(cycleId, { unit: r.id })}">${t(lang, 'drillDown')} (${r.childCount})</a>` : ''}</th>`;
}

/** The 16 rollup cells of a row: the plans and reports of the units below it (dashes when it has none). */
export function rowRollups(lang: Lang, a: Aggregate | null | undefined): SafeHtml {
  const of = (phase: Phase) => (a ? { cycleId: a.cycleId, unitId: a.unitId, phase } : undefined);
  return a ? html`${rollupCells(lang, a.below.plan, a.rates.plan, of('plan'))}${rollupCells(lang, a.below.report, a.rates.report, of('report'))}` : dashCells(16);
}

/** Links to the focus's aggregate report and (for those who see the whole cycle) every unit's figures. */
export function downloadLinks(lang: Lang, cycleId: string, focus: { id: string; name: string }, figuresAllowed: boolean): SafeHtml {
  return html`<p id="downloads"><strong>${t(lang, 'downloads')}:</strong> <a href="${reportPath(cycleId, focus.id)}" data-download="report" download>${t(lang, 'downloadReport')} — ${focus.name}</a>${
    figuresAllowed ? html` · <a href="${figuresPath(cycleId)}" data-download="figures" download>${t(lang, 'downloadFigures')}</a>` : ''
  }</p>`;
}

export interface RowSelection {
  cycleId: string;
  focusId: string;
  filters: { overdue: boolean; level?: number };
  levels: number[];
  total: number;
  page: number;
}

/** The filter form above the unit table: overdue units only, a level below the focus. */
export function unitFilters(lang: Lang, o: RowSelection): SafeHtml {
  return html`<form method="get" action="${cyclePath(o.cycleId)}" class="filters">
<input type="hidden" name="unit" value="${o.focusId}">
<label class="inline"><input type="checkbox" name="overdue" value="1" ${o.filters.overdue ? html`checked` : ''}> ${t(lang, 'overdueOnly')}</label>
<label>${t(lang, 'byLevel')} <select name="level">
<option value="">${t(lang, 'allLevels')}</option>
${o.levels.map((d) => html`<option value="${d}" ${o.filters.level === d ? html`selected` : ''}>${levelName(lang, d)}</option>`)}
</select></label>
<button type="submit">${t(lang, 'applyFilter')}</button>
</form>`;
}

/** Previous/next links of the unit table. */
export function pager(lang: Lang, o: RowSelection): SafeHtml {
  const pages = Math.ceil(o.total / PAGE_SIZE);
  if (pages <= 1) return html``;
  const query = (page: number) => cyclePath(o.cycleId, { unit: o.focusId, overdue: o.filters.overdue ? 1 : undefined, level: o.filters.level, page });
  return html`<p>${o.page > 0 ? html`<a href="${query(o.page - 1)}">${t(lang, 'previousPage')}</a>` : ''} ${o.page + 1}/${pages} ${o.page + 1 < pages ? html`<a href="${query(o.page + 1)}">${t(lang, 'nextPage')}</a>` : ''}</p>`;
}

export function breadcrumbNav(cycleId: string, crumbs: { id: string; name: string }[], focusId: string): SafeHtml {
  return html`<nav class="breadcrumb" aria-label="breadcrumb">${crumbs.map((b, i) => html`${i ? ' › ' : ''}${b.id === focusId ? html`<strong>${b.name}</strong>` : html`<a href="${cyclePath(cycleId, { unit: b.id })}">${b.name}</a>`}`)}</nav>`;
}

/** Emails that will not arrive (docs/EMAIL.md): the secretariat follows them up by other means. */
export function undeliveredSection(lang: Lang, o: Pick<CycleOverview, 'cycleId' | 'undelivered'> & { rows: { id: string; name: string }[] }): SafeHtml | '' {
  if (o.undelivered.length === 0) return '';
  const names = new Map(o.rows.map((r) => [r.id, r.name]));
  return html`<section class="card" id="undelivered-mail">
<h2>${t(lang, 'undeliveredMail')}</h2>
<p class="muted">${t(lang, 'undeliveredMailHelp')}</p>
<div class="table-wrap"><table>
<thead><tr><th>${t(lang, 'unit')}</th><th>${t(lang, 'mailSubject')}</th><th>${t(lang, 'mailRecipients')}</th><th>${t(lang, 'mailStatus')}</th><th>${t(lang, 'mailReason')}</th><th>${t(lang, 'mailAt')}</th></tr></thead>
<tbody>${o.undelivered.map(
    (u) => html`<tr data-unit="${u.unitId}" data-status="${u.status}"><td><a href="${unitPath(o.cycleId, u.unitId)}">${names.get(u.unitId) ?? u.unitId}</a></td><td>${u.subject}</td><td>${u.recipients.join(', ')}</td><td>${t(lang, u.status === 'undeliverable' ? 'mailUndeliverable' : 'mailDropped')}</td><td>${u.reason}</td><td>${dateTime(u.at, lang)}</td></tr>`,
  )}</tbody></table></div>
</section>`;
}

/**
 * Units whose follow-up has stopped (a failed or terminated workflow): their figures are missing from every
 * total above them, so the page says so first. Nothing when all run, or when the server cannot tell.
 */
export function deadWorkflowsNotice(lang: Lang, health: CycleHealth | undefined): SafeHtml | '' {
  if (!health || !('dead' in health) || health.dead.length === 0) return '';
  const vi = lang === 'vi';
  return html`<div class="notice error" role="alert" id="dead-workflows">
<p><strong>${vi ? `Theo dõi đã dừng ở ${health.dead.length} đơn vị/quy trình: số liệu tổng hợp phía trên chưa đầy đủ. Hãy báo bộ phận kỹ thuật.` : `Follow-up has stopped for ${health.dead.length} unit(s)/workflow(s): the totals above them are incomplete. Tell the technical team.`}</strong></p>
<ul>${health.dead.map((d) => html`<li data-workflow="${d.workflowId}" data-status="${d.status}">${d.unitId ?? d.workflowType}: ${d.status} — ${d.reason}</li>`)}</ul>
</div>`;
}

/** `document`: the issuing document's block (client/web/routes/document.ts cycleDocumentSection). */
export function cyclePage(ctx: PageContext, o: CycleOverview, config: Config, insight?: CycleInsight, document?: SafeHtml): SafeHtml {
  const { lang } = ctx;
  const focus = o.focus;
  const agg = focus.status.aggregate;
  const hasBelow = o.tree.children(focus.id).length > 0;
  const selection: RowSelection = { cycleId: o.cycleId, focusId: focus.id, filters: o.filters, levels: o.levels, total: o.total, page: o.page };
  const body = html`${deadWorkflowsNotice(lang, o.health)}
<div class="card">
<dl class="facts">
<dt>${t(lang, 'cycle')}</dt><dd data-field="cycle">${o.cycleId} ${phaseBadge(lang, o.cycle?.phase, o.cycle?.rehearsal)}</dd>
${o.cycle ? html`<dt>${t(lang, 'year')}</dt><dd>${o.cycle.year}</dd>` : ''}
</dl>
${planTable(lang, o)}
<p class="muted"><a href="${temporalLink(config.temporal, o.cycleId)}" rel="noreferrer" target="_blank" id="temporal-link">${t(lang, 'engineersLink')}</a></p>
</div>
${document ?? ''}

${breadcrumbNav(o.cycleId, o.breadcrumb, focus.id)}

<section class="card" id="focus" data-unit="${focus.id}">
<h2>${focus.name}</h2>
<dl class="facts">
${PHASES.map((p) => html`<dt>${phaseName(lang, p)}</dt><dd data-phase="${p}">${viewBadges(lang, focus.status[p])} <span class="muted">${t(lang, 'deadline')} ${dateTime(focus.status[p].deadlines.dueAt, lang)}</span>${wallNote(lang, focus.status[p].deadlines.dueAt, o.plan)}</dd>`)}
</dl>
<p><a href="${unitPath(o.cycleId, focus.id)}">${t(lang, 'details')}</a> · <a href="${supervisePath(o.cycleId, focus.id)}">${t(lang, 'superviseLink')}</a></p>
${downloadLinks(lang, o.cycleId, focus, o.figuresAllowed)}
${hasBelow ? html`${aggregateTable(lang, agg, t(lang, 'summaryOf'))}${figuresTable(lang, agg.totalFigures, t(lang, 'figuresTotal'), { cycleId: o.cycleId, unitId: focus.id })}` : ''}
</section>
${insight ? insightSection(lang, insight) : ''}

${
  hasBelow
    ? html`<section class="card" id="units">
<h2>${o.filters.level !== undefined ? `${levelName(lang, o.filters.level)}` : t(lang, 'directUnits')}</h2>
${unitFilters(lang, selection)}
${
  o.rows.length === 0
    ? html`<p class="muted">${t(lang, 'noUnitsMatch')}</p>`
    : html`<div class="table-wrap"><table id="unit-rows">
${unitRowsHead(lang)}
<tbody>${o.rows.map((r) => {
        const s = r.status;
        const below = s && r.childCount > 0 ? s.aggregate : undefined;
        return html`<tr data-unit="${r.id}">
${unitRowHead(lang, o.cycleId, r)}
<td data-phase="plan">${s ? viewBadges(lang, s.plan) : '—'}</td><td data-phase="report">${s ? viewBadges(lang, s.report) : '—'}</td>
${rowRollups(lang, below)}
</tr>`;
      })}</tbody></table></div>
${pager(lang, selection)}`
}
</section>`
    : ''
}
${undeliveredSection(lang, o)}`;
  return page(ctx, `${t(lang, 'cycleTitle')}: ${focus.name}`, body);
}

// ── one unit ────────────────────────────────────────────────────────────────────────────────────────────

/** `version`: the one shown on the page, so a decision never lands on a newer version nobody has read. */
function reviewForm(lang: Lang, cycleId: string, unitId: string, phase: Phase, version: number | undefined, csrf: string, next: string, error?: string): SafeHtml {
  return html`<form method="post" action="${unitPath(cycleId, unitId, '/review')}" class="review-form" data-phase="${phase}" novalidate>
${csrfField(csrf)}
<input type="hidden" name="phase" value="${phase}"><input type="hidden" name="version" value="${version ?? ''}"><input type="hidden" name="next" value="${next}">
${field({ name: 'comment', id: `comment-${unitId}-${phase}`, label: t(lang, 'comment'), value: '', error, textarea: true, rows: 3 })}
<div class="actions">
<button type="submit" name="decision" value="accept" class="primary">${t(lang, 'accept')}</button>
<button type="submit" name="decision" value="return">${t(lang, 'returnForRevision')}</button>
</div></form>`;
}

export interface UnitPageOptions {
  csrfToken: string;
  flash?: 'reviewed' | 'extended' | 'reissued';
  errors?: { phase: Phase; form: 'review' | 'extend'; fields: FieldErrors; problem?: string };
}

/** "Revoke and send a new link" of a unit's page (a built-in or a campaign cycle's). */
export function reissueSection(lang: Lang, cycleId: string, unitId: string, csrfToken: string): SafeHtml {
  return html`<section class="card" id="link"><h2>${t(lang, 'reissueTitle')}</h2><p class="muted">${t(lang, 'reissueBody')}</p>
<form method="post" action="${unitPath(cycleId, unitId, '/reissue-link')}">${csrfField(csrfToken)}<div class="actions"><button type="submit">${t(lang, 'reissueButton')}</button></div></form></section>`;
}

export function unitPage(ctx: PageContext, d: UnitDetail, o: UnitPageOptions, config: Config): SafeHtml {
  const { lang } = ctx;
  const s = d.status;
  const a = s.aggregate;
  const hasBelow = s.children.length > 0;
  const phaseCard = (p: Phase) => {
    const v = s[p];
    const progress = v.progress;
    const err = o.errors?.phase === p ? o.errors : undefined;
    const canReview = d.reviewerUnitId && progress.kind === 'submitted' && !s.closed;
    const canExtend = d.extenderUnitId && (progress.kind === 'open' || progress.kind === 'returned') && !s.closed;
    return html`<section class="card" id="${p}" data-phase="${p}">
<h2>${phaseName(lang, p)}</h2>
<dl class="facts">
<dt>${t(lang, 'deadline')}</dt><dd>${dateTime(v.deadlines.dueAt, lang)}</dd>
<dt>${t(lang, 'ownStatus')}</dt><dd data-field="state">${viewBadges(lang, v)}${progress.kind === 'open' && v.overdue ? html` <span class="muted">${t(lang, 'howLate')} ${lateness(v.deadlines.dueAt, d.now, lang)}</span>` : ''}</dd>
<dt>${t(lang, 'remindersSent')}</dt><dd>${v.remindersSent}</dd>
</dl>
${progress.kind === 'returned' ? html`<p><strong>${t(lang, 'reviewComment')}:</strong></p><blockquote>${progress.comment}</blockquote>` : ''}
<h3>${t(lang, 'latestSubmission')}</h3>
${submissionView(lang, p, d.latest[p])}
${err?.problem ? notice('error', html`<strong>${t(lang, 'requestProblem')}:</strong> ${err.problem}`) : ''}
${canReview ? html`<h3>${t(lang, 'reviewTitle')}</h3>${reviewForm(lang, d.cycleId, d.unit.id, p, progress.kind === 'submitted' ? progress.version : undefined, o.csrfToken, 'unit', err?.form === 'review' ? err.fields.comment : undefined)}` : ''}
${
  canExtend
    ? html`<h3>${t(lang, 'extendTitle')}</h3>
<form method="post" action="${unitPath(d.cycleId, d.unit.id, '/extend')}" class="extend-form" novalidate>
${csrfField(o.csrfToken)}<input type="hidden" name="phase" value="${p}">
${field({ name: 'until', id: `until-${p}`, label: t(lang, 'extendUntil'), value: '', type: 'date', error: err?.form === 'extend' ? err.fields.until : undefined })}
${field({ name: 'reason', id: `reason-${p}`, label: t(lang, 'reason'), value: '', error: err?.form === 'extend' ? err.fields.reason : undefined })}
<div class="actions"><button type="submit">${t(lang, 'extendButton')}</button></div>
</form>`
    : ''
}
</section>`;
  };
  const body = html`
${o.flash ? notice('ok', t(lang, o.flash === 'reviewed' ? 'reviewDone' : o.flash === 'extended' ? 'extendDone' : 'reissueDone')) : ''}
<p class="breadcrumb"><a href="${cyclePath(d.cycleId, { unit: d.parent?.id ?? d.unit.id })}">← ${d.parent?.name ?? t(lang, 'back')}</a></p>
<div class="card"><dl class="facts">
<dt>${t(lang, 'unit')}</dt><dd data-field="unit">${d.unit.name} <span class="muted">(${d.unit.id})</span></dd>
${d.parent ? html`<dt>${t(lang, 'parentUnit')}</dt><dd>${d.parent.name}</dd>` : ''}
<dt>${t(lang, 'cycle')}</dt><dd>${d.cycleId}</dd>
</dl>
<p class="muted"><a href="${temporalLink(config.temporal, d.cycleId, d.unit.id)}" rel="noreferrer" target="_blank">${t(lang, 'engineersLink')}</a></p></div>
${PHASES.map(phaseCard)}
${hasBelow ? aggregateSection(lang, a, d.names) : ''}
${
  d.extenderUnitId && !s.closed
    ? reissueSection(lang, d.cycleId, d.unit.id, o.csrfToken)
    : ''
}
${timelineSection(lang, { audit: d.audit, now: d.now, unit: d.unit, deadlines: { plan: s.plan.deadlines.dueAt, report: s.report.deadlines.dueAt } })}
${auditSection(lang, d.audit, d.names)}`;
  return page(ctx, d.unit.name, body);
}

/** A node's aggregate in full: completeness, the lists of units, figures, commendation proposals. */
export function aggregateSection(lang: Lang, a: Aggregate, names: Record<string, string>, note?: SafeHtml): SafeHtml {
  return html`<section class="card" id="aggregate"><h2>${t(lang, 'aggregateTitle')}</h2>
${note ?? ''}
${aggregateTable(lang, a, t(lang, 'summaryOf'))}
<h3>${t(lang, 'lists')}</h3>
${PHASES.map(
  (p) => html`<h4>${p === 'plan' ? t(lang, 'plans') : t(lang, 'reports')}</h4><dl class="facts">
<dt>${t(lang, 'listOnTime')}</dt><dd>${unitList(lang, a.below[p].submittedOnTime, names)}</dd>
<dt>${t(lang, 'listLate')}</dt><dd>${unitList(lang, a.below[p].submittedLate, names)}</dd>
<dt>${t(lang, 'listMissing')}</dt><dd>${unitList(lang, a.below[p].notSubmitted, names)}</dd>
<dt>${t(lang, 'listOverdue')}</dt><dd>${unitList(lang, a.below[p].overdue, names)}</dd></dl>`,
)}
<h3>${t(lang, 'figuresTotal')}</h3>
<div class="table-wrap"><table class="figures"><thead><tr><th scope="col"></th><th scope="col" class="num">${t(lang, 'summaryOf')}</th><th scope="col" class="num">${t(lang, 'ownFigures')}</th><th scope="col" class="num">Σ</th></tr></thead>
<tbody>${FIGURE_KEYS.map((k) => html`<tr data-figure="${k}"><th scope="row">${FIGURE_LABELS[lang][k]}</th><td class="num">${num(a.below.figures[k], lang)}</td><td class="num">${num(a.totalFigures[k] - a.below.figures[k], lang)}</td><td class="num"><a href="${figureBehindPath(a.cycleId, a.unitId, k)}" data-figure-link="${k}">${num(a.totalFigures[k], lang)}</a></td></tr>`)}</tbody></table></div>
<h3>${t(lang, 'commendationProposals')} (${a.below.commendations.total})</h3>
${
  (a.below.commendations.items ?? []).length === 0
    ? html`<p class="muted">${t(lang, 'none')}</p>`
    : html`<ul>${(a.below.commendations.items ?? []).map((c) => html`<li><strong>${c.name}</strong> (${t(lang, c.kind)}) — ${names[c.unitId] ?? c.unitId}${c.reason ? html`: ${c.reason}` : ''}</li>`)}</ul>`
}
</section>`;
}

/** The person an audit event names (a submission's `submittedBy`), if any. */
function submitterOf(data: unknown): string | undefined {
  const v = data && typeof data === 'object' ? (data as Record<string, unknown>).submittedBy : undefined;
  return typeof v === 'string' && v.trim() ? v : undefined;
}

/** The unit's audit log, oldest first. */
export function auditSection(lang: Lang, audit: UnitDetail['audit'], names: Record<string, string>): SafeHtml {
  return html`<section class="card" id="audit"><h2>${t(lang, 'auditTitle')}</h2>
${
  audit.length === 0
    ? html`<p class="muted">${t(lang, 'none')}</p>`
    : html`<div class="table-wrap"><table><thead><tr><th scope="col">${t(lang, 'when')}</th><th scope="col">${t(lang, 'event')}</th><th scope="col">${t(lang, 'actor')}</th></tr></thead>
<tbody>${audit.map((e) => {
        const person = submitterOf(e.data);
        return html`<tr data-event="${e.kind}"><td>${dateTime(e.at, lang)}</td><td>${eventName(lang, e.kind)}</td><td>${e.actor === 'system' ? t(lang, 'system') : (names[e.actor] ?? e.actor)}${person ? html` — ${t(lang, 'submittedByLabel')}: <span data-field="submitted-by">${person}</span>` : ''}</td></tr>`;
      })}</tbody></table></div>`
}
</section>`;
}

// ── supervision ─────────────────────────────────────────────────────────────────────────────────────────

/** `material`: what each queued submission says (ops/review-material.ts), shown beside its accept / return. */
export function supervisePage(ctx: PageContext, s: Supervision, csrfToken: string, flash?: 'reviewed', problem?: string, material?: Map<string, ReviewMaterial>): SafeHtml {
  const { lang } = ctx;
  const body = html`
${flash ? notice('ok', t(lang, 'reviewDone')) : ''}
${problem ? notice('error', html`<strong>${t(lang, 'requestProblem')}:</strong> ${problem}`) : ''}
${s.tops.length > 1 ? html`<p>${s.tops.map((u, i) => html`${i ? ' · ' : ''}${u.id === s.focus.id ? html`<strong>${u.name}</strong>` : html`<a href="${supervisePath(s.cycleId, u.id)}">${u.name}</a>`}`)}</p>` : ''}
<p class="breadcrumb"><a href="${cyclePath(s.cycleId, { unit: s.focus.id })}">← ${s.focus.name}</a></p>
<section class="card" id="overdue">
<h2>${t(lang, 'overdueTitle')}</h2>
${s.overdue.length > 0 ? overdueExportLinks(ctx, s) : ''}
${
  s.overdue.length === 0
    ? html`<p class="muted">${t(lang, 'noOverdue')}</p>`
    : html`<div class="table-wrap"><table><thead><tr><th scope="col" class="no-print">${t(lang, 'bulkSelect')}</th><th scope="col">${t(lang, 'unit')}</th><th scope="col">${t(lang, 'via')}</th><th scope="col">${t(lang, 'phase')}</th><th scope="col">${t(lang, 'deadline')}</th><th scope="col">${t(lang, 'howLate')}</th><th scope="col" class="num">${t(lang, 'remindersSent')}</th></tr></thead>
<tbody>${s.overdue.map(
        (o) => html`<tr data-unit="${o.unitId}" data-phase="${o.phase}"><td class="no-print">${bulkCheckbox(ctx, o.unitId, o.phase, o.name)}</td><th scope="row"><a href="${unitPath(s.cycleId, o.unitId)}">${o.name}</a></th><td>${o.parentName}</td><td>${phaseName(lang, o.phase)}</td>
<td>${dateTime(o.dueAt, lang)}</td><td data-col="late-by">${lateness(o.dueAt, o.asOf, lang)}</td><td class="num" data-col="reminders">${o.remindersSent}</td></tr>`,
      )}</tbody></table></div>`
}
</section>
<section class="card" id="direct-units"><h2>${t(lang, 'directUnits')}</h2>
<div class="table-wrap"><table><thead><tr><th scope="col" class="no-print">${t(lang, 'bulkSelect')}</th><th scope="col">${t(lang, 'unit')}</th><th scope="col">${t(lang, 'plan')}</th><th scope="col">${t(lang, 'report')}</th><th scope="col" class="num">${t(lang, 'remindersSent')}</th></tr></thead>
<tbody>${s.focus.status.children.map(
    (c) => html`<tr data-unit="${c.unitId}"><td class="no-print">${bulkCheckbox(ctx, c.unitId, c.plan.progress === 'open' || c.report.progress !== 'open' ? 'plan' : 'report', s.names[c.unitId] ?? c.unitId)}</td><th scope="row"><a href="${unitPath(s.cycleId, c.unitId)}">${s.names[c.unitId] ?? c.unitId}</a></th><td>${summaryBadges(lang, c.plan)}</td><td>${summaryBadges(lang, c.report)}</td><td class="num">${c.plan.remindersSent + c.report.remindersSent}</td></tr>`,
  )}</tbody></table></div></section>
<section class="card no-print" id="bulk">
${bulkActionsForm(ctx, { cycleId: s.cycleId, focusId: s.focus.id, csrfToken, overdueCount: s.overdue.length })}
</section>
<section class="card" id="queue">
<h2>${t(lang, 'reviewQueue')}</h2>
${
  s.queue.length === 0
    ? html`<p class="muted">${t(lang, 'noReviews')}</p>`
    : s.queue.map(
        (q) => html`<article class="card" data-unit="${q.unitId}" data-phase="${q.phase}">
<h3><a href="${unitPath(s.cycleId, q.unitId)}#${q.phase}">${q.name}</a> — ${phaseName(lang, q.phase)} ${q.late ? html`<span class="badge warn">${t(lang, 'lateBadge')}</span>` : ''}</h3>
${reviewMaterialView(lang, s.cycleId, q.unitId, q.phase, material?.get(materialKey(q.unitId, q.phase)))}
${q.reviewerUnitId ? reviewForm(lang, s.cycleId, q.unitId, q.phase, q.version, csrfToken, 'supervise') : ''}
</article>`,
      )
}
</section>`;
  return page(ctx, `${t(lang, 'superviseTitle')}: ${s.focus.name}`, body);
}

