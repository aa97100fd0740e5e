// Staff pages of a cycle of a campaign: a node's phases (counts, and each figure's target, achieved and %), its
// units below with where each phase stands, the downloads; and a unit's page with its phases, their figures,
// the review (accept / return with a reason) and the extension forms.
import type { Figure } from '../../../domain/campaign-form';
import type { CampaignChildPhase } from '../../../workflows/campaign-state';
import { formatFigure } from '../../../activities/documents/campaign-docx';
import { localDate, num, percent } from '../format';
import { html, multiline, type SafeHtml } from '../html';
import { t, type Lang } from '../i18n';
import { page, type PageContext } from '../layout';
import { campaignOverdueItems, type CampaignCycleOverview, type CampaignPhaseSummary, type CampaignUnitDetail, type FigureRow } from '../ops/campaign-cycle';
import { BULK_FORM_ID, bulkCheckbox, bulkPath, remindOverduePath } from './bulk';
import { toRef } from '../routes/files-data';
import { reviewFiles } from '../routes/files-view';
import { PAGE_SIZE } from '../ops/deps';
import { MAX_OVERDUE_QUERIES } from '../ops/campaign-overdue';
import { cct } from './campaign-cycle-text';
import { phaseStanding } from './campaign-task';
import { csrfField, field, notice } from './common';
import { cyclePath, rehearsalBadge, reissueSection, unitPath, wallNote } from './staff';
import type { Timeline } from '../../../domain/calendar';

export const campaignWorkbookPath = (cycleId: string) => `/cycles/${encodeURIComponent(cycleId)}/campaign.xlsx`;
export const campaignDocxPath = (cycleId: string, unitId: string, phase: string) => unitPath(cycleId, unitId, `/phases/${encodeURIComponent(phase)}/report.docx`);

export const shown = (f: Figure, v: number | null, lang: Lang) => (v === null ? '—' : lang === 'vi' ? formatFigure(f, v) : f.type === 'integer' ? num(v, lang) : v.toFixed(f.decimals));

export function figureTable(lang: Lang, rows: FigureRow[], key: string): SafeHtml {
  if (rows.length === 0) return html``;
  const withTargets = rows.some((r) => r.target !== null);
  return html`<table class="figures" data-phase-figures="${key}"><thead><tr><th>${cct(lang, 'figure')}</th>${withTargets ? html`<th>${cct(lang, 'target')}</th>` : ''}<th>${cct(lang, 'achieved')}</th>${withTargets ? html`<th>${cct(lang, 'percent')}</th>` : ''}<th>${cct(lang, 'reporting')}</th></tr></thead>
<tbody>${rows.map(
    (r) => html`<tr data-figure="${r.figure.key}"><td>${r.figure.label[lang]} (${r.figure.unit[lang]})</td>${withTargets ? html`<td data-field="target">${shown(r.figure, r.target, lang)}</td>` : ''}<td data-field="achieved">${shown(r.figure, r.value, lang)}</td>${withTargets ? html`<td data-field="percent">${percent(r.percent, lang)}</td>` : ''}<td data-field="reporting">${r.reporting}</td></tr>`,
  )}</tbody></table>`;
}

/** `dueNote`: after the due date, e.g. the real time it falls at in a rehearsal. */
export function phaseBlock(lang: Lang, p: CampaignPhaseSummary, due: string | undefined, docx?: string, dueNote?: SafeHtml): SafeHtml {
  const a = p.aggregate;
  return html`<section class="phase" id="phase-${p.key}" data-phase="${p.key}"><h3>${p.name[lang]}${due ? html` — ${cct(lang, 'due')} ${localDate(due)}${dueNote ?? ''}` : ''}</h3>
<table class="counts"><thead><tr><th>${cct(lang, 'expected')}</th><th>${cct(lang, 'onTime')}</th><th>${cct(lang, 'lateCount')}</th><th>${cct(lang, 'notSubmitted')}</th><th>${cct(lang, 'overdueCount')}</th></tr></thead>
<tbody><tr><td data-field="expected">${a.expected}</td><td data-field="on-time">${a.submittedOnTime.total}</td><td data-field="late">${a.submittedLate.total}</td><td data-field="not-submitted">${a.notSubmitted.total}</td><td data-field="overdue">${a.overdue.total}</td></tr></tbody></table>
${figureTable(lang, p.figures, p.key)}
${docx ? html`<p><a href="${docx}" data-download="docx">${cct(lang, 'reportDocx', { phase: p.name[lang] })}</a></p>` : ''}</section>`;
}

function childStanding(lang: Lang, c: CampaignChildPhase | undefined): string {
  if (!c) return '—';
  const word = cct(lang, `st-${c.progress}`);
  const marks = [c.overdue && c.progress === 'open' ? cct(lang, 'overdue') : '', c.progress !== 'open' && c.late ? cct(lang, 'late') : ''].filter(Boolean);
  return marks.length ? `${word} (${marks.join(', ')})` : word;
}

/** A rehearsal says so beside the cycle, as the built-in's pages do (its deadlines then carry their real time). */
function rehearsalMark(lang: Lang, timeline: Timeline): SafeHtml {
  return timeline.kind === 'rehearsal' ? html` <span data-field="rehearsal">${rehearsalBadge(lang)}</span>` : html``;
}

export interface CampaignCyclePageOptions {
  csrfToken: string;
  /** a refused selection (nothing selected, no overdue unit) */
  problem?: string;
}

/** A unit's phase in the table below: where it stands and, while not submitted, a box to select it for "remind now". */
function childCell(ctx: PageContext, o: CampaignCycleOverview, c: CampaignCycleOverview['children'][number], key: string, name: string): SafeHtml {
  const phase = c.phases[key];
  const box = o.canRemind && phase?.progress === 'open' && !o.status.closed ? html`${bulkCheckbox(ctx, c.unitId, key, `${c.name} – ${name}`)} ` : '';
  return html`<td data-phase="${key}">${box}${childStanding(ctx.lang, phase)}</td>`;
}

/** A grouped unit's table is a page of its units below (ops/campaign-grouped-units.ts): which ones, of how many. */
function groupedNote(lang: Lang, o: CampaignCycleOverview): SafeHtml {
  const g = o.grouped;
  if (!g) return html``;
  const from = g.total === 0 ? 0 : g.page * PAGE_SIZE + 1;
  const to = g.page * PAGE_SIZE + o.children.length;
  return html`<p class="hint" data-field="grouped-range">${cct(lang, 'groupedRange', { from: num(from, lang), to: num(to, lang), total: num(g.total, lang) })}</p>${g.complete ? '' : notice('warn', cct(lang, 'groupedIncomplete'))}`;
}

/** Previous / next page of a grouped unit's units below. */
function groupedPager(lang: Lang, o: CampaignCycleOverview): SafeHtml {
  const g = o.grouped;
  if (!g || g.pages <= 1) return html``;
  const href = (page: number) => cyclePath(o.cycleId, { unit: o.focus.id, page: page > 0 ? page : undefined });
  return html`<p class="pager" data-field="pager">${g.page > 0 ? html`<a href="${href(g.page - 1)}" rel="prev">${t(lang, 'previousPage')}</a>` : ''} ${g.page + 1}/${g.pages} ${g.page + 1 < g.pages ? html`<a href="${href(g.page + 1)}" rel="next">${t(lang, 'nextPage')}</a>` : ''}</p>`;
}

/** "Remind now" for the selected units and phases, and for every overdue one (the built-in's bulk routes, ./bulk.ts). */
function remindForms(ctx: PageContext, o: CampaignCycleOverview, csrfToken: string): SafeHtml {
  const { lang } = ctx;
  if (!o.canRemind || o.status.closed) return html``;
  const overdue = campaignOverdueItems(o).length;
  return html`<form method="post" action="${bulkPath(o.cycleId, o.focus.id)}" id="${BULK_FORM_ID}" class="bulk-form no-print">${csrfField(csrfToken)}
<h3>${t(lang, 'bulkActionsTitle')}</h3><p class="hint">${t(lang, 'remindHint')}</p>
<div class="actions"><button type="submit" name="action" value="remind">${t(lang, 'bulkRemindButton')}</button>
<button type="submit" name="action" value="reissue">${t(lang, 'bulkReissueButton')}</button></div></form>
${overdue > 0
  ? html`<form method="post" action="${remindOverduePath(o.cycleId, o.focus.id)}" id="remind-overdue" class="no-print">${csrfField(csrfToken)}
<div class="actions"><button type="submit">${t(lang, 'remindOverdueButton', { count: overdue })}</button></div></form>`
  : ''}`;
}

/** Why the overdue list may miss units (ops/campaign-overdue.ts): the view's bound of queries, or a workflow silent. */
function overdueCutShort(lang: Lang, o: CampaignCycleOverview): SafeHtml {
  const { complete, cutShort } = o.overdue;
  if (complete) return html``;
  return html`<div data-field="overdue-cut-short">${notice('warn', cutShort === 'unanswered' ? cct(lang, 'overdueUnanswered') : cct(lang, 'overdueMore', { queries: num(MAX_OVERDUE_QUERIES, lang) }))}</div>`;
}

/** The overdue units of the whole subtree (nearest levels first), each with its supervisor, due date and reminders. */
function overdueTable(lang: Lang, o: CampaignCycleOverview): SafeHtml {
  const { rows, complete } = o.overdue;
  // an empty list cut short still says so: "none found" is not "none"
  if (rows.length === 0 && complete) return html``;
  const phaseName = (key: string) => o.definition.phases.find((p) => p.key === key)?.name[lang] ?? key;
  return html`<section id="overdue"><h2>${t(lang, 'overdueTitle')} (${rows.length})</h2><p class="hint">${cct(lang, 'overdueSubtree')}</p>
${rows.length > 0
  ? html`<div class="table-wrap"><table id="overdue-rows"><thead><tr><th>${cct(lang, 'unit')}</th><th>${t(lang, 'parentUnit')}</th><th>${cct(lang, 'phase')}</th><th>${cct(lang, 'due')}</th><th>${t(lang, 'remindersSent')}</th></tr></thead>
<tbody>${rows.map(
      (r) => html`<tr data-unit="${r.unitId}" data-phase="${r.phase}"><td><a href="${unitPath(o.cycleId, r.unitId)}">${r.name}</a></td><td data-field="parent">${r.parentName}</td><td>${phaseName(r.phase)}</td><td data-field="due">${r.dueDate ? localDate(r.dueDate) : '—'}</td><td data-field="reminders">${r.remindersSent}</td></tr>`,
    )}</tbody></table></div>`
  : ''}${overdueCutShort(lang, o)}</section>`;
}

export function campaignCyclePage(ctx: PageContext, o: CampaignCycleOverview, options: CampaignCyclePageOptions): SafeHtml {
  const { lang } = ctx;
  const def = o.definition;
  const own = o.status.phases;
  const body = html`${options.problem ? notice('error', options.problem) : ''}<p data-field="campaign-name">${cct(lang, 'campaign')}: <strong>${def.name[lang]}</strong> (${o.status.campaignId} v${o.status.version}) · ${o.cycleId}${rehearsalMark(lang, o.timeline)}</p>
<p data-field="focus"><strong>${o.focus.name}</strong>${o.focus.parentId ? html` · <a href="${cyclePath(o.cycleId, { unit: o.focus.parentId })}">↑</a>` : ''}</p>
<section><h2>${cct(lang, 'downloads')}</h2><ul>
${o.canDownloadWorkbook ? html`<li><a href="${campaignWorkbookPath(o.cycleId)}" data-download="xlsx">${cct(lang, 'workbook')}</a></li>` : ''}
<li><a href="${unitPath(o.cycleId, o.focus.id)}">${o.focus.name}</a></li></ul></section>
<section><h2>${cct(lang, 'phases')}</h2>
${o.phases.map((p) => {
  const deadlines = own.find((x) => x.key === p.key)?.deadlines;
  return phaseBlock(lang, p, deadlines?.dueDate, campaignDocxPath(o.cycleId, o.focus.id, p.key), deadlines && wallNote(lang, deadlines.dueAt, o));
})}</section>
${o.children.length > 0 || o.grouped
  ? html`<section id="units-below"><h2>${cct(lang, 'unitsBelow')}${o.grouped ? html` (${o.grouped.total})` : ''}</h2>${groupedNote(lang, o)}<div class="table-wrap"><table id="unit-rows"><thead><tr><th>${cct(lang, 'unitId')}</th><th>${cct(lang, 'unit')}</th>${def.phases.map((p) => html`<th>${p.name[lang]}</th>`)}</tr></thead>
<tbody>${o.children.map(
      (c) => html`<tr data-unit="${c.unitId}"><td data-field="unit-id">${c.unitId}</td><td><a href="${unitPath(o.cycleId, c.unitId)}">${c.name}</a> · <a href="${cyclePath(o.cycleId, { unit: c.unitId })}">${cct(lang, 'open')}</a></td>${def.phases.map((p) => childCell(ctx, o, c, p.key, p.name[lang]))}</tr>`,
    )}</tbody></table></div>${groupedPager(lang, o)}${remindForms(ctx, o, options.csrfToken)}</section>`
  : ''}
${overdueTable(lang, o)}`;
  return page(ctx, `${cct(lang, 'cycle')} – ${def.name[lang]}`, body);
}

export interface CampaignUnitPageOptions {
  csrfToken: string;
  flash?: 'reviewed' | 'extended' | 'reissued';
  /** the phase and form whose post was refused: the errors per field, or the workflow's refusal */
  errors?: { phase: string; form: 'review' | 'extend'; fields: Record<string, string>; problem?: string };
}

export const campaignReviewPath = (cycleId: string, unitId: string) => unitPath(cycleId, unitId, '/review');
export const campaignExtendPath = (cycleId: string, unitId: string) => unitPath(cycleId, unitId, '/extend');

/** The files each version of a phase carried, newest first, for the supervisor to open before deciding. */
function phaseFiles(lang: Lang, d: CampaignUnitDetail, p: CampaignUnitDetail['phases'][number]): SafeHtml {
  if (p.files.length === 0) return reviewFiles(lang, { cycleId: d.cycleId, unitId: d.unit.id, files: [] });
  return html`${[...p.files].reverse().map(
    (v) => html`<div data-version="${String(v.version)}"><p class="muted">${cct(lang, 'version')} ${v.version}</p>${reviewFiles(lang, { cycleId: d.cycleId, unitId: d.unit.id, files: v.files.map(toRef) })}</div>`,
  )}`;
}

export function campaignUnitPage(ctx: PageContext, d: CampaignUnitDetail, o: CampaignUnitPageOptions): SafeHtml {
  const { lang } = ctx;
  const errorsOf = (phase: string, form: 'review' | 'extend') => (o.errors && o.errors.phase === phase && o.errors.form === form ? o.errors : undefined);
  const blocks = d.phases.map((p) => {
    const v = p.view;
    const own = p.figuresOf.map((f) => ({ f, value: v.figures?.[f.key] ?? null }));
    const review = errorsOf(p.key, 'review');
    const ext = errorsOf(p.key, 'extend');
    const reviewable = d.reviewerUnitId && (v.progress.kind === 'submitted' || v.progress.kind === 'accepted');
    return html`<section class="phase" id="phase-${p.key}" data-phase="${p.key}"><h2>${p.name[lang]}</h2>
<p data-field="status">${phaseStanding(lang, v, d.status.closed)} · ${cct(lang, 'due')} ${localDate(v.deadlines.dueDate)}${wallNote(lang, v.deadlines.dueAt, d)}${v.progress.kind !== 'open' ? html` · ${cct(lang, 'version')} ${v.progress.version}` : ''}</p>
${v.progress.kind === 'returned' ? html`<p>${cct(lang, 'returnedComment')}: ${multiline(v.progress.comment)}</p>` : ''}
${v.figures ? html`<table class="figures"><tbody>${own.map((x) => html`<tr data-figure="${x.f.key}"><td>${x.f.label[lang]} (${x.f.unit[lang]})</td><td>${shown(x.f, x.value, lang)}</td></tr>`)}</tbody></table>` : ''}
${d.unit.hasUnitsBelow ? figureTable(lang, p.figures, p.key) : ''}
${p.view.progress.kind !== 'open' || p.files.length > 0 ? phaseFiles(lang, d, p) : ''}
<p><a href="${campaignDocxPath(d.cycleId, d.unit.id, p.key)}" data-download="docx">${cct(lang, 'reportDocx', { phase: p.name[lang] })}</a></p>
${review?.problem ? notice('error', review.problem) : ''}
${review && !reviewable && Object.keys(review.fields).length > 0 ? notice('error', Object.values(review.fields).join(' ')) : ''}
${reviewable && v.progress.kind !== 'open'
  ? html`<form method="post" action="${campaignReviewPath(d.cycleId, d.unit.id)}" class="review" id="review-${p.key}">${csrfField(o.csrfToken)}
<input type="hidden" name="phase" value="${p.key}"><input type="hidden" name="version" value="${v.progress.version}">
${field({ name: 'comment', id: `f-comment-${p.key}`, label: cct(lang, 'comment'), value: '', error: review?.fields.comment, textarea: true, rows: 3 })}
<button type="submit" name="decision" value="accept" class="primary">${cct(lang, 'accept')}</button> <button type="submit" name="decision" value="return">${cct(lang, 'return')}</button></form>`
  : ''}
${ext?.problem ? notice('error', ext.problem) : ''}
${d.extenderUnitId && !d.status.closed
  ? html`<form method="post" action="${campaignExtendPath(d.cycleId, d.unit.id)}" class="extend" id="extend-${p.key}">${csrfField(o.csrfToken)}<input type="hidden" name="phase" value="${p.key}">
${field({ name: 'until', id: `f-until-${p.key}`, label: cct(lang, 'until'), type: 'date', value: '', error: ext?.fields.until })}
${field({ name: 'reason', id: `f-reason-${p.key}`, label: cct(lang, 'reason'), value: '', error: ext?.fields.reason })}
<button type="submit">${cct(lang, 'extend')}</button></form>`
  : ''}</section>`;
  });
  const body = html`<p data-field="unit-name"><strong>${d.unit.name}</strong> · <a href="${cyclePath(d.cycleId, d.unit.parentId ? { unit: d.unit.parentId } : {})}">${cct(lang, 'cycle')}</a>${rehearsalMark(lang, d.timeline)}</p>
${o.flash ? notice('ok', o.flash === 'reissued' ? t(lang, 'reissueDone') : cct(lang, o.flash === 'reviewed' ? 'reviewed' : 'extendedDone')) : ''}
${blocks}
${d.extenderUnitId && !d.status.closed
  ? reissueSection(lang, d.cycleId, d.unit.id, o.csrfToken)
  : ''}`;
  return page(ctx, `${d.unit.name} – ${d.definition.name[lang]}`, body);
}
