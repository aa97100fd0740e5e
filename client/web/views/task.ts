// The unit's own page, opened from the emailed link: its plan, then its results report.
import type { LinkSession } from '../../../activities/access/sessions';
import { FIGURE_LABELS } from '../../../activities/mail/templates/aggregate';
import { FIGURE_KEYS, type Phase } from '../../../workflows/report';
import type { PhaseView } from '../../../workflows/messages';
import { dateTime, lateness } from '../format';
import { commendationRows, FIELD, REPORT_SECTIONS, type FieldErrors, type PlanForm, type ReportForm } from '../forms';
import { html, type SafeHtml } from '../html';
import { t, type Lang } from '../i18n';
import { page, type PageContext } from '../layout';
import { SUBMITTED_BY_FIELD, type TaskPhase, type TaskView } from '../ops/task';
import { taskAttachments, type TaskFilesOptions } from '../routes/files-view';
import { documentPagePath } from '../routes/document-view';
import { aggregateTable, csrfField, field, figuresTable, fieldId, notice, viewBadges } from './common';
import { linkSessionsSection } from './link-sessions';
import { SECTION_TITLES, submissionView } from './submission';

export type TaskFlash = 'plan-draft' | 'plan-submitted' | 'report-draft' | 'report-submitted' | 'session-ended';

export interface TaskPageOptions {
  token: string;
  csrfToken: string;
  flash?: TaskFlash;
  flashLate?: boolean;
  /** the phase whose form failed, its field errors and the rejected reason from the workflow, if any */
  failed?: { phase: Phase; errors: FieldErrors; problem?: string; submittedBy?: string };
  /** attachments of each phase (client/web/routes/files-view.ts) */
  files?: TaskFilesOptions['files'];
  /** the browsers that used the unit's link, and this browser's session */
  sessions: LinkSession[];
  currentSession?: string;
}

function taskPath(token: string, suffix = ''): string {
  return `/t/${token}${suffix}`;
}

function phaseFacts(lang: Lang, v: PhaseView, asOf: string): SafeHtml {
  const p = v.progress;
  return html`<dl class="facts">
<dt>${t(lang, 'deadline')}</dt><dd data-field="due">${dateTime(v.deadlines.dueAt, lang)}</dd>
<dt>${t(lang, 'ownStatus')}</dt><dd data-field="state">${viewBadges(lang, v)}${p.kind === 'open' && v.overdue ? html` <span class="muted">${t(lang, 'howLate')} ${lateness(v.deadlines.dueAt, asOf, lang)}</span>` : ''}</dd>
${p.kind !== 'open' ? html`<dt>${t(lang, 'submittedAt')}</dt><dd>${dateTime(p.lastSubmittedAt, lang)} (${t(lang, 'version')} ${p.version})</dd>` : ''}
</dl>`;
}

/** What the units below reported, pre-filled and read-only: completeness, summed figures, their proposals. */
function belowAggregate(lang: Lang, view: TaskView, cls: string): SafeHtml {
  const a = view.status.aggregate;
  const proposals = { total: a.below.commendations.total, items: a.below.commendations.items ?? [] };
  return html`<section class="${cls}" id="below-aggregate"><h3>${t(lang, 'belowAggregate')}</h3>
${aggregateTable(lang, a, t(lang, 'summaryOf'))}
${figuresTable(lang, a.below.figures, t(lang, 'figuresTotal'))}
<h4>${t(lang, 'commendationProposals')} (${proposals.total})</h4>
${
  proposals.items.length === 0
    ? html`<p class="muted">${t(lang, 'none')}</p>`
    : html`<ul class="below-commendations">${proposals.items.map((c) => html`<li><strong>${c.name}</strong> (${t(lang, c.kind)}) — ${view.names[c.unitId] ?? c.unitId}${c.reason ? html`: ${c.reason}` : ''}</li>`)}</ul>`
}
</section>`;
}

/** Who submits: recorded in the history with the submission (prefilled with the officer the task was sent to). */
function submitterField(lang: Lang, phase: Phase, o: TaskPageOptions, view: TaskView): SafeHtml {
  const failed = o.failed?.phase === phase ? o.failed : undefined;
  return field({
    name: SUBMITTED_BY_FIELD,
    id: fieldId(`${phase}-${SUBMITTED_BY_FIELD}`),
    label: t(lang, 'submittedByField'),
    hint: t(lang, 'submittedByHint'),
    value: failed?.submittedBy ?? view.unit?.officer.name ?? '',
    error: failed?.errors[SUBMITTED_BY_FIELD],
    autocomplete: 'name',
  });
}

function buttons(lang: Lang, resubmit: boolean): SafeHtml {
  return html`<div class="actions">
<button type="submit" name="action" value="draft">${t(lang, 'saveDraft')}</button>
<button type="submit" name="action" value="submit" class="primary">${t(lang, resubmit ? 'resubmit' : 'submit')}</button>
</div>`;
}

function baseVersion(v: PhaseView): number {
  return v.progress.kind === 'open' ? 0 : v.progress.version;
}

function phaseState(lang: Lang, phase: TaskPhase, closed: boolean): SafeHtml {
  const p = phase.view.progress;
  const parts: SafeHtml[] = [];
  if (p.kind === 'returned') parts.push(html`<div class="review-comment"><strong>${t(lang, 'reviewComment')}:</strong><blockquote data-field="comment">${p.comment}</blockquote></div>`);
  if (closed) parts.push(notice('warn', t(lang, 'closedMsg')));
  else if (p.kind === 'submitted') parts.push(notice('ok', t(lang, 'awaitingReview')));
  else if (p.kind === 'accepted') parts.push(notice('ok', t(lang, 'acceptedMsg')));
  else if (p.kind === 'open' && phase.view.overdue) parts.push(notice('warn', t(lang, 'nowLate')));
  return html`${parts}`;
}

function formTop(lang: Lang, o: TaskPageOptions, phase: Phase, draftSavedAt?: string): SafeHtml {
  const failed = o.failed?.phase === phase ? o.failed : undefined;
  return html`${failed && Object.keys(failed.errors).length > 0 ? notice('error', t(lang, 'fixErrors')) : ''}
${failed?.problem ? notice('error', html`<strong>${t(lang, 'requestProblem')}:</strong> ${failed.problem}`) : ''}
${draftSavedAt ? html`<p class="muted">${t(lang, 'draftSaved')} ${dateTime(draftSavedAt, lang)}</p>` : ''}`;
}

function planForm(lang: Lang, view: TaskView, o: TaskPageOptions, form: PlanForm): SafeHtml {
  const errors = o.failed?.phase === 'plan' ? o.failed.errors : {};
  return html`<form method="post" action="${taskPath(o.token, '/plan')}" id="plan-form" novalidate>
${csrfField(o.csrfToken)}
<input type="hidden" name="base" value="${baseVersion(view.plan.view)}">
${formTop(lang, o, 'plan', view.plan.draftSavedAt)}
${field({ name: 'title', label: t(lang, 'planTitleField'), value: form.title, error: errors.title, required: true })}
${field({ name: 'number', label: t(lang, 'planNumberField'), value: form.number, error: errors.number })}
${field({ name: 'body', label: t(lang, 'planBodyField'), value: form.body, error: errors.body, textarea: true, rows: 12, required: true })}
${submitterField(lang, 'plan', o, view)}
${buttons(lang, view.plan.view.progress.kind === 'returned')}
</form>`;
}

function reportForm(lang: Lang, view: TaskView, o: TaskPageOptions, form: ReportForm): SafeHtml {
  const errors = o.failed?.phase === 'report' ? o.failed.errors : {};
  const rows = commendationRows(form.commendations);
  return html`<form method="post" action="${taskPath(o.token, '/report')}" id="report-form" novalidate>
${csrfField(o.csrfToken)}
<input type="hidden" name="base" value="${baseVersion(view.report.view)}">
${formTop(lang, o, 'report', view.report.draftSavedAt)}
${REPORT_SECTIONS.map((s) =>
  field({ name: s, label: t(lang, SECTION_TITLES[s].title), hint: t(lang, SECTION_TITLES[s].hint), value: form[s], error: errors[s], textarea: true, rows: 6 }),
)}
${
  view.hasUnitsBelow ? belowAggregate(lang, view, 'card') : ''
}
<h3>${t(lang, 'ownFigures')}</h3>
<div class="grid">${FIGURE_KEYS.map((k) =>
    field({ name: FIELD.figure(k), label: FIGURE_LABELS[lang][k], value: form.figures[k], error: errors[`figures.${k}`], inputmode: 'numeric' }),
  )}</div>
<h3>${t(lang, 'commendations')}</h3>
<p class="hint">${t(lang, 'commendationsHint')}</p>
${errors.commendations ? html`<p class="field-error" role="alert">${errors.commendations}</p>` : ''}
<div class="table-wrap"><table class="commendations">
<thead><tr><th scope="col">${t(lang, 'kind')}</th><th scope="col">${t(lang, 'name')}</th><th scope="col">${t(lang, 'achievement')}</th></tr></thead>
<tbody>${rows.map((r, i) => {
    const nameError = errors[`commendations.${i}.name`];
    const kindError = errors[`commendations.${i}.kind`];
    const reasonError = errors[`commendations.${i}.reason`];
    const id = (f: string) => fieldId(`commendation-${i}-${f}`);
    return html`<tr>
<td class="${kindError ? 'has-error' : ''}" data-label="${t(lang, 'kind')}"><select name="${FIELD.commendationKind}" id="${id('kind')}" aria-label="${t(lang, 'kind')} ${i + 1}">
<option value="collective" ${r.kind === 'collective' ? html`selected` : ''}>${t(lang, 'collective')}</option>
<option value="individual" ${r.kind === 'individual' ? html`selected` : ''}>${t(lang, 'individual')}</option>
</select>${kindError ? html`<p class="field-error">${kindError}</p>` : ''}</td>
<td class="${nameError ? 'has-error' : ''}" data-label="${t(lang, 'name')}"><input type="text" name="${FIELD.commendationName}" id="${id('name')}" value="${r.name}" aria-label="${t(lang, 'name')} ${i + 1}">${nameError ? html`<p class="field-error" role="alert">${nameError}</p>` : ''}</td>
<td class="${reasonError ? 'has-error' : ''}" data-label="${t(lang, 'achievement')}"><input type="text" name="${FIELD.commendationReason}" id="${id('reason')}" value="${r.reason}" aria-label="${t(lang, 'achievement')} ${i + 1}">${reasonError ? html`<p class="field-error">${reasonError}</p>` : ''}</td>
</tr>`;
  })}</tbody></table></div>
${submitterField(lang, 'report', o, view)}
${buttons(lang, view.report.view.progress.kind === 'returned')}
</form>`;
}

const FLASH: Record<TaskFlash, 'draftSaved' | 'planSubmittedMsg' | 'reportSubmittedMsg' | 'linkSessionEndedMsg'> = {
  'session-ended': 'linkSessionEndedMsg',
  'plan-draft': 'draftSaved',
  'report-draft': 'draftSaved',
  'plan-submitted': 'planSubmittedMsg',
  'report-submitted': 'reportSubmittedMsg',
};

export function taskPage(ctx: PageContext, view: TaskView, o: TaskPageOptions): SafeHtml {
  const { lang } = ctx;
  const { status } = view;
  const unitName = view.unit?.name ?? view.scope.unitId;
  const closed = status.closed;
  const body = html`
${o.flash ? notice('ok', html`${t(lang, FLASH[o.flash])}${o.flashLate ? html` ${t(lang, 'submittedLateMsg')}` : ''}`) : ''}
<div class="card">
<p><strong data-field="unit-name">${unitName}</strong> · ${t(lang, 'cycle')} <span data-field="cycle">${view.scope.cycleId}</span></p>
<p class="muted">${t(lang, 'taskIntro')}</p>
<p><a href="${documentPagePath(o.token)}" id="document-link">${lang === 'vi' ? 'Văn bản chỉ đạo và tệp đính kèm' : 'The issuing document and its files'}</a></p>
</div>

<section class="card" id="plan">
<h2>${t(lang, 'plan')}</h2>
${phaseFacts(lang, view.plan.view, view.now)}
${phaseState(lang, view.plan, closed)}
${taskAttachments(lang, o, 'plan', view.plan)}
${view.plan.editable ? planForm(lang, view, o, view.plan.form) : submissionView(lang, 'plan', view.plan.latest)}
</section>

<section class="card" id="report">
<h2>${t(lang, 'report')}</h2>
${phaseFacts(lang, view.report.view, view.now)}
${view.reportOpen ? phaseState(lang, view.report, closed) : notice('warn', t(lang, 'reportNotOpen'))}
${view.reportOpen ? taskAttachments(lang, o, 'report', view.report) : ''}
${
  view.report.editable
    ? reportForm(lang, view, o, view.report.form)
    : view.reportOpen
      ? html`${view.hasUnitsBelow ? belowAggregate(lang, view, '') : ''}${submissionView(lang, 'report', view.report.latest)}`
      : ''
}
</section>
${view.hasUnitsBelow ? html`<p class="muted">${t(lang, 'reviewUnitsBelow')} <a href="/signin">${t(lang, 'signIn')}</a></p>` : ''}
${linkSessionsSection(lang, o)}
`;
  return page(ctx, `${t(lang, 'taskTitle')}: ${unitName}`, body);
}
