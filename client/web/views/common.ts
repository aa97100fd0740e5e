// Pieces shared by pages: form fields with their error next to them, status badges, completeness tables.
import { FIGURE_LABELS } from '../../../activities/mail/templates/aggregate';
import type { Aggregate, PhaseRollup, UnitList } from '../../../workflows/aggregate-types';
import type { ChildPhaseSummary, PhaseProgress, PhaseView } from '../../../workflows/messages';
import { FIGURE_KEYS, PHASES, type Figures, type Phase } from '../../../workflows/report';
import { dateTime, num, percent } from '../format';
import { html, type SafeHtml } from '../html';
import { phaseName, t, type Lang } from '../i18n';
import { countLink, figureBehindPath } from './insight';

/** Where a node's counts link to: the units behind each (views/insight.ts). */
export interface CountsOf {
  cycleId: string;
  unitId: string;
}

export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

export interface FieldOptions {
  name: string;
  label: string;
  value: string;
  error?: string;
  hint?: string;
  type?: 'text' | 'email' | 'number' | 'date';
  textarea?: boolean;
  rows?: number;
  required?: boolean;
  inputmode?: 'numeric';
  id?: string;
  autocomplete?: string;
}

/** A labelled input with its hint and, when the last submission failed, its error right below it. */
export function field(o: FieldOptions): SafeHtml {
  const id = o.id ?? fieldId(o.name);
  const errId = `${id}-error`;
  const described = o.error ? errId : undefined;
  const control = o.textarea
    ? html`<textarea id="${id}" name="${o.name}" rows="${o.rows ?? 8}" aria-invalid="${o.error ? 'true' : 'false'}" ${o.error ? html`aria-describedby="${described}"` : ''}>${o.value}</textarea>`
    : html`<input id="${id}" type="${o.type ?? 'text'}" name="${o.name}" value="${o.value}" ${o.inputmode ? html`inputmode="${o.inputmode}"` : ''} ${o.autocomplete ? html`autocomplete="${o.autocomplete}"` : ''} ${o.required ? html`required` : ''} aria-invalid="${o.error ? 'true' : 'false'}" ${o.error ? html`aria-describedby="${described}"` : ''}>`;
  return html`<div class="field${o.error ? ' has-error' : ''}">
  <label for="${id}">${o.label}</label>
  ${o.hint ? html`<p class="hint">${o.hint}</p>` : ''}
  ${control}
  ${o.error ? html`<p class="field-error" id="${errId}" role="alert">${o.error}</p>` : ''}
</div>`;
}

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

export function notice(kind: 'ok' | 'warn' | 'error', text: string | SafeHtml): SafeHtml {
  return html`<div class="notice ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</div>`;
}

type ProgressKind = PhaseProgress['kind'];

/** "Submitted / late / overdue…" as one or two badges. */
export function progressBadges(lang: Lang, kind: ProgressKind, late: boolean, overdue: boolean, extended = false): SafeHtml {
  const main =
    kind === 'open'
      ? overdue
        ? html`<span class="badge bad" data-state="overdue">${t(lang, 'stateOverdue')}</span>`
        : html`<span class="badge" data-state="open">${t(lang, 'stateOpen')}</span>`
      : kind === 'submitted'
        ? html`<span class="badge ok" data-state="submitted">${t(lang, 'stateSubmitted')}</span>`
        : kind === 'returned'
          ? html`<span class="badge warn" data-state="returned">${t(lang, 'stateReturned')}</span>`
          : html`<span class="badge ok" data-state="accepted">${t(lang, 'stateAccepted')}</span>`;
  return html`${main}${late ? html` <span class="badge warn">${t(lang, 'lateBadge')}</span>` : ''}${extended ? html` <span class="badge">${t(lang, 'extendedBadge')}</span>` : ''}`;
}

export function viewBadges(lang: Lang, v: PhaseView): SafeHtml {
  const late = v.progress.kind !== 'open' && v.progress.late;
  return progressBadges(lang, v.progress.kind, late, v.overdue, v.extended);
}

export function summaryBadges(lang: Lang, v: ChildPhaseSummary): SafeHtml {
  return progressBadges(lang, v.progress, v.late, v.overdue, v.deadlines !== null);
}

/** The DHIS2-style figures of one phase: expected, submitted, on time, late, missing, overdue, rates. */
export function rollupCells(lang: Lang, r: PhaseRollup, rates: Aggregate['rates'][Phase], of?: CountsOf & { phase: Phase }): SafeHtml {
  const submitted = r.submittedOnTime.total + r.submittedLate.total;
  const count = (category: 'expected' | 'submitted' | 'on-time' | 'late' | 'missing' | 'overdue', n: number) =>
    of ? countLink(lang, of.cycleId, of.unitId, of.phase, category, n) : num(n, lang);
  const cells: [string, string | SafeHtml][] = [
    ['expected', count('expected', r.expected)],
    ['submitted', count('submitted', submitted)],
    ['on-time', count('on-time', r.submittedOnTime.total)],
    ['late', count('late', r.submittedLate.total)],
    ['missing', count('missing', r.notSubmitted.total)],
    ['overdue', count('overdue', r.overdue.total)],
    ['completion', percent(rates.completeness, lang)],
    ['timeliness', percent(rates.timeliness, lang)],
  ];
  return html`${cells.map(([k, v]) => html`<td class="num" data-col="${k}">${v}</td>`)}`;
}

export function rollupHeadCells(lang: Lang): SafeHtml {
  const heads = [t(lang, 'expected'), t(lang, 'submitted'), t(lang, 'onTime'), t(lang, 'late'), t(lang, 'missing'), t(lang, 'overdueCount'), t(lang, 'completion'), t(lang, 'timeliness')];
  return html`${heads.map((h) => html`<th class="num" scope="col">${h}</th>`)}`;
}

/** The completeness table of a node (plans and reports, one row each). */
export function aggregateTable(lang: Lang, a: Aggregate, caption: string): SafeHtml {
  return html`<div class="table-wrap"><table class="aggregate" data-unit="${a.unitId}">
<caption class="muted">${caption} — ${t(lang, 'asOf')} ${dateTime(a.asOf, lang)}</caption>
<thead><tr><th scope="col"></th>${rollupHeadCells(lang)}</tr></thead>
<tbody>${PHASES.map((p) => html`<tr data-phase="${p}"><th scope="row">${p === 'plan' ? t(lang, 'plans') : t(lang, 'reports')}</th>${rollupCells(lang, a.below[p], a.rates[p], { cycleId: a.cycleId, unitId: a.unitId, phase: p })}</tr>`)}</tbody>
</table></div>`;
}

/** Summed figures; with `of`, each a link to the reports that make it. */
export function figuresTable(lang: Lang, figures: Figures, caption?: string, of?: CountsOf): SafeHtml {
  const value = (k: (typeof FIGURE_KEYS)[number]) =>
    of ? html`<a href="${figureBehindPath(of.cycleId, of.unitId, k)}" data-figure-link="${k}">${num(figures[k], lang)}</a>` : num(figures[k], lang);
  return html`<div class="table-wrap"><table class="figures">
${caption ? html`<caption class="muted">${caption}</caption>` : ''}
<tbody>${FIGURE_KEYS.map((k) => html`<tr data-figure="${k}"><th scope="row">${FIGURE_LABELS[lang][k]}</th><td class="num">${value(k)}</td></tr>`)}</tbody>
</table></div>`;
}

export function unitList(lang: Lang, list: UnitList, names: Record<string, string>): SafeHtml {
  if (list.total === 0) return html`<span class="muted">${t(lang, 'none')}</span>`;
  const more = list.total - list.ids.length;
  return html`${list.ids.map((id, i) => html`${i > 0 ? ', ' : ''}${names[id] ?? id}`)}${more > 0 ? html` <span class="muted">(${t(lang, 'andMore', { n: more })})</span>` : ''}`;
}

export function phaseHeading(lang: Lang, phase: Phase): string {
  return phaseName(lang, phase);
}
