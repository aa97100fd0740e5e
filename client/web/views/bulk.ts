// Bulk actions on the supervisor's page: the selection form under the overdue table, and the result per unit.
import { dateTime } from '../format';
import { html, type SafeHtml } from '../html';
import { phaseName, t } from '../i18n';
import { page, type PageContext } from '../layout';
import type { BulkResult } from '../ops/bulk';
import { csrfField } from './common';

export const BULK_EXTEND_FORM_ID = 'bulk-extend';

export function bulkExtendPath(cycleId: string, unitId: string): string {
  return `/cycles/${encodeURIComponent(cycleId)}/supervise/extend?unit=${encodeURIComponent(unitId)}`;
}

/** The checkbox of one overdue row; it belongs to the bulk form below the table (HTML `form` attribute). */
export function bulkCheckbox(ctx: PageContext, unitId: string, phase: string, label: string): SafeHtml {
  return html`<input type="checkbox" name="item" value="${unitId}:${phase}" form="${BULK_EXTEND_FORM_ID}" aria-label="${t(ctx.lang, 'bulkSelect')}: ${label}">`;
}

export function bulkExtendForm(ctx: PageContext, o: { cycleId: string; focusId: string; csrfToken: string }): SafeHtml {
  const { lang } = ctx;
  return html`<form method="post" action="${bulkExtendPath(o.cycleId, o.focusId)}" id="${BULK_EXTEND_FORM_ID}" class="bulk-form no-print">
${csrfField(o.csrfToken)}
<h3>${t(lang, 'bulkExtendTitle')}</h3>
<p class="hint">${t(lang, 'bulkExtendHint')}</p>
<div class="field"><label for="bulk-until">${t(lang, 'extendUntil')}</label><input id="bulk-until" type="date" name="until" required></div>
<div class="field"><label for="bulk-reason">${t(lang, 'reason')}</label><input id="bulk-reason" type="text" name="reason"></div>
<div class="actions"><button type="submit" class="primary">${t(lang, 'bulkExtendTitle')}</button></div>
</form>`;
}

export function bulkResultPage(ctx: PageContext, o: { results: BulkResult[]; backHref: string }): SafeHtml {
  const { lang } = ctx;
  const done = o.results.filter((r) => r.ok).length;
  const body = html`<section class="card" id="bulk-results">
<p data-field="summary"><strong>${done}</strong> / ${o.results.length} ${t(lang, 'bulkResultSummary')}: <strong>${o.results.length - done}</strong></p>
<div class="table-wrap"><table><thead><tr><th scope="col">${t(lang, 'unit')}</th><th scope="col">${t(lang, 'phase')}</th><th scope="col"></th></tr></thead>
<tbody>${o.results.map(
    (r) => html`<tr data-unit="${r.unitId}" data-phase="${r.phase}" data-result="${r.ok ? 'ok' : 'refused'}"><th scope="row">${r.name}</th><td>${phaseName(lang, r.phase)}</td>
<td>${r.ok ? html`${t(lang, 'bulkExtendedTo')} ${r.dueAt ? dateTime(r.dueAt, lang) : ''}` : html`<span class="field-error">${t(lang, 'bulkNotExtended')}: ${r.problem ?? ''}</span>`}</td></tr>`,
  )}</tbody></table></div>
<p><a href="${o.backHref}">← ${t(lang, 'back')}</a></p>
</section>`;
  return page(ctx, t(lang, 'bulkResultTitle'), body);
}
