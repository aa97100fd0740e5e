// The overdue list as a page to print (or save as PDF from the browser): the same rows as the supervisor's page,
// with when the list was read; the print stylesheet drops the navigation and the buttons.
import { dateTime, lateness } from '../format';
import { html, type SafeHtml } from '../html';
import { phaseName, t } from '../i18n';
import { page, type PageContext } from '../layout';
import type { Supervision } from '../ops/supervision';

export function overdueListPath(cycleId: string, unitId: string, format: 'print' | 'xlsx'): string {
  const base = `/cycles/${encodeURIComponent(cycleId)}/supervise/overdue`;
  return `${base}${format === 'xlsx' ? '.xlsx' : ''}?unit=${encodeURIComponent(unitId)}`;
}

/** Links to the two exports, for the supervisor's page. */
export function overdueExportLinks(ctx: PageContext, s: Supervision): SafeHtml {
  const { lang } = ctx;
  return html`<p class="no-print" id="overdue-exports"><a href="${overdueListPath(s.cycleId, s.focus.id, 'xlsx')}" data-export="xlsx">${t(lang, 'overdueXlsx')}</a> · <a href="${overdueListPath(s.cycleId, s.focus.id, 'print')}" data-export="print">${t(lang, 'overduePrint')}</a></p>`;
}

export function overduePrintPage(ctx: PageContext, s: Supervision): SafeHtml {
  const { lang } = ctx;
  const asOf = s.overdue[0]?.asOf;
  const body = html`<section class="printable" id="overdue-print">
<p><strong>${s.focus.name}</strong> · ${t(lang, 'cycle')} ${s.cycleId}${asOf ? html` · ${t(lang, 'asOf')} ${dateTime(asOf, lang)}` : ''}</p>
${
  s.overdue.length === 0
    ? html`<p>${t(lang, 'noOverdue')}</p>`
    : html`<table><thead><tr><th scope="col">#</th><th scope="col">${t(lang, 'unit')}</th><th scope="col">${t(lang, 'via')}</th><th scope="col">${t(lang, 'phase')}</th><th scope="col">${t(lang, 'deadline')}</th><th scope="col">${t(lang, 'howLate')}</th><th scope="col" class="num">${t(lang, 'remindersSent')}</th></tr></thead>
<tbody>${s.overdue.map(
        (o, i) => html`<tr data-unit="${o.unitId}" data-phase="${o.phase}"><td>${i + 1}</td><th scope="row">${o.name}</th><td>${o.parentName}</td><td>${phaseName(lang, o.phase)}</td><td>${dateTime(o.dueAt, lang)}</td><td data-col="late-by">${lateness(o.dueAt, o.asOf, lang)}</td><td class="num" data-col="reminders">${o.remindersSent}</td></tr>`,
      )}</tbody></table>`
}
</section>`;
  return page(ctx, `${t(lang, 'overdueTitle')}: ${s.focus.name}`, body);
}
