// A submitted plan or report shown read-only (to the unit after submitting, to its supervisor for review).
import { recordedPlanContentSchema, recordedReportContentSchema, type Phase } from '../../../workflows/report';
import type { LatestSubmission } from '../../../activities/archive/store';
import { dateTime } from '../format';
import { html, multiline, type SafeHtml } from '../html';
import { t, type Lang, type TextKey } from '../i18n';
import { REPORT_SECTIONS, type ReportSection } from '../forms';
import { figuresTable } from './common';

export const SECTION_TITLES: Record<ReportSection, { title: TextKey; hint: TextKey }> = {
  leadership: { title: 'section1', hint: 'section1Hint' },
  implementation: { title: 'section2', hint: 'section2Hint' },
  assessment: { title: 'section3', hint: 'section3Hint' },
  recommendations: { title: 'section4', hint: 'section4Hint' },
};

export function submissionView(lang: Lang, phase: Phase, s: LatestSubmission | undefined): SafeHtml {
  if (!s) return html`<p class="muted">${t(lang, 'nothingSubmitted')}</p>`;
  const meta = html`<p class="muted">${t(lang, 'version')} ${s.version} · ${t(lang, 'submittedAt')} ${dateTime(s.submittedAt, lang)}${s.late ? html` · <span class="badge warn">${t(lang, 'lateBadge')}</span>` : ''}</p>`;
  if (phase === 'plan') {
    const p = recordedPlanContentSchema.safeParse(s.content); // as stored, whatever the limits were then
    if (!p.success) return meta;
    return html`<div class="submission" data-phase="plan">${meta}
<h3>${p.data.title}${p.data.number ? html` <span class="muted">(${p.data.number})</span>` : ''}</h3>
<div class="prose">${multiline(p.data.body)}</div></div>`;
  }
  const r = recordedReportContentSchema.safeParse(s.content);
  if (!r.success) return meta;
  const c = r.data;
  return html`<div class="submission" data-phase="report">${meta}
${REPORT_SECTIONS.map((k) => html`<h3>${t(lang, SECTION_TITLES[k].title)}</h3><div class="prose">${c[k] ? multiline(c[k]) : html`<span class="muted">—</span>`}</div>`)}
<h3>${t(lang, 'ownFigures')}</h3>
${figuresTable(lang, c.figures)}
<h3>${t(lang, 'commendations')}</h3>
${
  c.commendations.length === 0
    ? html`<p class="muted">${t(lang, 'none')}</p>`
    : html`<ul>${c.commendations.map((x) => html`<li><strong>${x.name}</strong> (${t(lang, x.kind)})${x.reason ? html`: ${x.reason}` : ''}</li>`)}</ul>`
}
</div>`;
}
