// What the review queue shows beside accept / return (ops/review-material.ts): the submission itself, a report's
// figures against the same unit's last year, the plan it follows, and its files.
import { FIGURE_LABELS } from '../../../activities/mail/templates/aggregate';
import { FIGURE_KEYS, recordedReportContentSchema, type Phase } from '../../../workflows/report';
import { num } from '../format';
import { html, type SafeHtml } from '../html';
import { t, type Lang } from '../i18n';
import type { ReviewMaterial } from '../ops/review-material';
import { submittedFiles } from '../routes/files-data';
import { reviewFiles } from '../routes/files-view';
import { submissionView } from './submission';

function signed(n: number, lang: Lang): string {
  return n > 0 ? `+${num(n, lang)}` : n < 0 ? `−${num(-n, lang)}` : '0';
}

/** This report's figures beside last year's report of the same unit (when the archive has it). */
function figuresAgainstLastYear(lang: Lang, m: ReviewMaterial): SafeHtml {
  const report = m.submission ? recordedReportContentSchema.safeParse(m.submission.content) : undefined;
  if (!report?.success) return html``;
  const figures = report.data.figures;
  const last = m.lastYear;
  return html`<div class="table-wrap"><table class="figures-compare" data-field="figures-compare">
<caption class="muted">${last ? t(lang, 'reviewAgainstLastYear', { cycle: last.cycleId }) : t(lang, 'reviewNoLastYear')}</caption>
<thead><tr><th scope="col">${t(lang, 'figure')}</th><th scope="col" class="num">${t(lang, 'reviewThisReport')}</th>${last ? html`<th scope="col" class="num">${t(lang, 'reviewLastYear')}</th><th scope="col" class="num">${t(lang, 'reviewChange')}</th>` : ''}</tr></thead>
<tbody>${FIGURE_KEYS.map(
    (k) =>
      html`<tr data-figure="${k}"><th scope="row">${FIGURE_LABELS[lang][k]}</th><td class="num" data-col="this">${num(figures[k], lang)}</td>${
        last ? html`<td class="num" data-col="last-year">${num(last.figures[k], lang)}</td><td class="num" data-col="change">${signed(figures[k] - last.figures[k], lang)}</td>` : ''
      }</tr>`,
  )}</tbody></table></div>`;
}

/** The submission's files (references in its content, domain/file-ref.ts), each with its download link. */
export function submissionFilesSection(lang: Lang, cycleId: string, unitId: string, phase: Phase, content: unknown): SafeHtml {
  return html`<div class="submission-files" data-field="files" id="files-${unitId}-${phase}"><h4>${t(lang, 'reviewFiles')}</h4>${reviewFiles(lang, { cycleId, unitId, files: submittedFiles(content) })}</div>`;
}

export function reviewMaterialView(lang: Lang, cycleId: string, unitId: string, phase: Phase, m: ReviewMaterial | undefined): SafeHtml {
  if (!m?.submission) return html`<p class="muted" data-field="material-missing">${t(lang, 'reviewNotInArchive')}</p>`;
  return html`<div class="review-material" data-field="material">
${phase === 'report' ? html`<p data-field="plan-ref">${t(lang, 'reviewPlanRef')}: ${m.plan ? html`<strong>${m.plan.title}</strong>${m.plan.number ? ` (${m.plan.number})` : ''}` : html`<span class="muted">${t(lang, 'nothingSubmitted')}</span>`}</p>` : ''}
${phase === 'report' ? figuresAgainstLastYear(lang, m) : ''}
<div class="review-scroll">${submissionView(lang, phase, m.submission)}</div>
${submissionFilesSection(lang, cycleId, unitId, phase, m.submission.content)}
</div>`;
}
