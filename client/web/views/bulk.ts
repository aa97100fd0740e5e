// Bulk actions on the supervisor's page: the selection form under the overdue table (remind now, extend,
// reissue links), "remind every overdue unit", and the page of a job with a result per unit.
import { dateTime } from '../format';
import { html, type SafeHtml } from '../html';
import { phaseName, t, type TextKey } from '../i18n';
import { page, type PageContext } from '../layout';
import type { BulkKind, BulkResult } from '../ops/bulk';
import type { BulkJob } from '../ops/jobs';
import type { Phase } from '../../../workflows/report';
import { csrfField } from './common';

export const BULK_FORM_ID = 'bulk-actions';
/** A running job's page reloads itself this often (the CSP allows no script: a meta refresh). */
export const JOB_REFRESH_SECONDS = 2;

const supervisePathOf = (cycleId: string, what: string, unitId: string) => `/cycles/${encodeURIComponent(cycleId)}/supervise/${what}?unit=${encodeURIComponent(unitId)}`;
export const bulkPath = (cycleId: string, unitId: string) => supervisePathOf(cycleId, 'bulk', unitId);
export const remindOverduePath = (cycleId: string, unitId: string) => supervisePathOf(cycleId, 'remind-overdue', unitId);

/** The checkbox of one overdue row; it belongs to the bulk form below the table (HTML `form` attribute). */
export function bulkCheckbox(ctx: PageContext, unitId: string, phase: string, label: string): SafeHtml {
  return html`<input type="checkbox" name="item" value="${unitId}:${phase}" form="${BULK_FORM_ID}" aria-label="${t(ctx.lang, 'bulkSelect')}: ${label}">`;
}

/**
 * One form, three actions: the extension first (the button Enter presses in its fields), then remind now and
 * new links, which need no date (formnovalidate).
 */
export function bulkActionsForm(ctx: PageContext, o: { cycleId: string; focusId: string; csrfToken: string; overdueCount: number }): SafeHtml {
  const { lang } = ctx;
  return html`<form method="post" action="${bulkPath(o.cycleId, o.focusId)}" id="${BULK_FORM_ID}" class="bulk-form no-print">
${csrfField(o.csrfToken)}
<h3>${t(lang, 'bulkActionsTitle')}</h3>
<p class="hint">${t(lang, 'bulkActionsHint')}</p>
<fieldset><legend>${t(lang, 'bulkExtendTitle')}</legend>
<div class="field"><label for="bulk-until">${t(lang, 'extendUntil')}</label><input id="bulk-until" type="date" name="until" required></div>
<div class="field"><label for="bulk-reason">${t(lang, 'reason')}</label><input id="bulk-reason" type="text" name="reason"></div>
<div class="actions"><button type="submit" name="action" value="extend" class="primary">${t(lang, 'extendButton')}</button></div>
</fieldset>
<p class="hint">${t(lang, 'remindHint')}</p>
<div class="actions"><button type="submit" name="action" value="remind" formnovalidate>${t(lang, 'bulkRemindButton')}</button>
<button type="submit" name="action" value="reissue" formnovalidate>${t(lang, 'bulkReissueButton')}</button></div>
</form>
${
  o.overdueCount > 0
    ? html`<form method="post" action="${remindOverduePath(o.cycleId, o.focusId)}" id="remind-overdue" class="no-print">
${csrfField(o.csrfToken)}
<div class="actions"><button type="submit">${t(lang, 'remindOverdueButton', { count: o.overdueCount })}</button></div>
</form>`
    : ''
}`;
}

const TITLES: Record<BulkKind, TextKey> = { remind: 'jobTitleRemind', extend: 'jobTitleExtend', reissue: 'jobTitleReissue' };

function outcome(lang: PageContext['lang'], kind: BulkKind, r: BulkResult): SafeHtml {
  if (!r.ok) return html`<span class="field-error">${t(lang, kind === 'extend' ? 'bulkNotExtended' : 'jobRefused')}: ${r.problem ?? ''}</span>`;
  if (kind === 'extend') return html`${t(lang, 'bulkExtendedTo')} ${r.dueAt ? dateTime(r.dueAt, lang) : ''}`;
  if (kind === 'remind') return html`${t(lang, r.email === 'overdue-notice' ? 'jobOverdueNotice' : 'jobReminded', { n: r.reminderNumber ?? '' })}`;
  return html`${t(lang, 'jobReissued', { revoked: r.revoked ?? 0 })}`;
}

/** A job's page: progress while it runs (reloading itself), then a result per unit. */
export function bulkJobPage(ctx: PageContext, job: BulkJob): SafeHtml {
  const { lang } = ctx;
  const finished = job.results.filter((r) => r !== undefined);
  const done = finished.filter((r) => r.ok).length;
  const total = job.items.length;
  const status =
    job.state === 'running'
      ? html`<p data-field="progress" role="status"><progress max="${total}" value="${finished.length}">${finished.length} / ${total}</progress> ${t(lang, 'jobRunning', { done: finished.length, total })}</p>`
      : job.state === 'interrupted'
        ? html`<div class="notice warn" data-field="interrupted"><p>${t(lang, 'jobInterrupted')}</p></div>`
        : '';
  const body = html`<section class="card" id="bulk-results" data-job="${job.jobId}" data-kind="${job.kind}" data-state="${job.state}">
${status}
<p data-field="summary"><strong>${done}</strong> / ${total} ${t(lang, 'jobSummary')}: <strong>${finished.length - done}</strong></p>
<div class="table-wrap"><table><thead><tr><th scope="col">${t(lang, 'unit')}</th>${job.kind === 'reissue' ? '' : html`<th scope="col">${t(lang, 'phase')}</th>`}<th scope="col"></th></tr></thead>
<tbody>${job.items.map((item, i) => {
    const r = job.results[i];
    const state = r ? (r.ok ? 'ok' : 'refused') : job.state === 'running' ? 'pending' : 'none';
    return html`<tr data-unit="${item.unitId}" data-phase="${item.phase}" data-result="${state}"><th scope="row">${item.name}</th>${job.kind === 'reissue' ? '' : html`<td>${item.phaseName?.[lang] ?? phaseName(lang, item.phase as Phase)}</td>`}
<td>${r ? outcome(lang, job.kind, r) : state === 'pending' ? html`<span class="muted">${t(lang, 'jobPending')}</span>` : html`<span class="field-error">${t(lang, 'jobNoResult')}</span>`}</td></tr>`;
  })}</tbody></table></div>
<p><a href="${job.backHref}">← ${t(lang, 'back')}</a></p>
</section>`;
  const head = job.state === 'running' ? html`<meta http-equiv="refresh" content="${JOB_REFRESH_SECONDS}">` : undefined;
  return page(ctx, t(lang, TITLES[job.kind]), body, head);
}
