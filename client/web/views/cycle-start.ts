// The secretariat's start page (/cycles/new): the year, the root, which campaign (the built-in yearly cycle by
// default, or any stored campaign at its latest or a chosen version), a preview of every deadline per level,
// then the confirmation that starts it. Each refusal is shown beside its field.
import type { CampaignSummary } from '../../../domain/campaign';
import { BUILTIN_CAMPAIGN_ID } from '../../../domain/campaign-builtin';
import type { Unit } from '../../../activities/directory/types';
import { dateTime } from '../format';
import type { FieldErrors } from '../forms';
import { html, type SafeHtml } from '../html';
import { levelName, t, type Lang } from '../i18n';
import { page, type PageContext } from '../layout';
import type { PlanPreview } from '../ops/cycles';
import { csrfField, field, notice } from './common';

/** The start form's link, optionally with a campaign chosen (`SLUG` or `SLUG@VERSION`). */
export function startCyclePath(campaign?: string): string {
  return campaign ? `/cycles/new?campaign=${encodeURIComponent(campaign)}` : '/cycles/new';
}

const TEXT = {
  campaign: { vi: 'Đợt báo cáo', en: 'Campaign' },
  builtinChoice: { vi: 'Chu kỳ năm mặc định (kế hoạch và báo cáo kết quả)', en: 'The built-in yearly cycle (plan and results report)' },
  latestVersion: { vi: 'phiên bản mới nhất', en: 'latest version' },
  version: { vi: 'phiên bản', en: 'version' },
  yearlyOnly: { vi: 'Hạn nộp báo cáo dưới đây chỉ dùng cho chu kỳ năm mặc định: hạn nộp của một đợt báo cáo là quy tắc của từng giai đoạn.', en: 'The report due below applies to the built-in yearly cycle only: a campaign’s deadlines are its phases’ rules.' },
  campaignPreview: { vi: 'Các giai đoạn và hạn nộp theo từng cấp', en: 'Phases and deadlines per level' },
  cycleId: { vi: 'Mã chu kỳ', en: 'Cycle id' },
  phase: { vi: 'Giai đoạn', en: 'Phase' },
} as const;
const st = (lang: Lang, key: keyof typeof TEXT) => TEXT[key][lang];
const pick = (lang: Lang, l: { vi: string; en: string }) => (lang === 'en' && l.en ? l.en : l.vi);

export interface StartForm {
  year: string;
  root: string;
  firstYear: boolean;
  reportDue: 'annual' | 'may-review' | 'date';
  reportDueDate: string;
  rehearsalMinutes: string;
  /** '' for the built-in yearly cycle, else `SLUG` (latest version) or `SLUG@VERSION` */
  campaign: string;
}

/** Every stored campaign, at its latest version and at each version, newest first; what was asked stays chosen. */
function campaignSelect(lang: Lang, campaigns: readonly CampaignSummary[], chosen: string, error?: string): SafeHtml {
  const option = (value: string, label: string) => html`<option value="${value}" ${value === chosen ? html`selected` : ''}>${label}</option>`;
  const known = new Set(['']);
  const groups = campaigns
    .filter((c) => !c.builtin)
    .map((c) => {
      const values = [c.id, ...Array.from({ length: c.latestVersion }, (_, i) => `${c.id}@${c.latestVersion - i}`)];
      values.forEach((v) => known.add(v));
      return html`<optgroup label="${pick(lang, c.name)} (${c.id})">${option(c.id, `${pick(lang, c.name)} — ${st(lang, 'latestVersion')} (${c.latestVersion})`)}${values
        .slice(1)
        .map((v) => option(v, `${pick(lang, c.name)} — ${st(lang, 'version')} ${v.split('@')[1]}`))}</optgroup>`;
    });
  // a value from a link that names no stored campaign stays on the form, so its refusal reads beside it
  const asked = chosen && !known.has(chosen) && chosen !== BUILTIN_CAMPAIGN_ID ? option(chosen, chosen) : '';
  return html`<div class="field${error ? ' has-error' : ''}"><label for="f-campaign">${st(lang, 'campaign')}</label>
<select id="f-campaign" name="campaign" aria-invalid="${error ? 'true' : 'false'}" ${error ? html`aria-describedby="f-campaign-error"` : ''}>${option('', st(lang, 'builtinChoice'))}${groups}${asked}</select>
${error ? html`<p class="field-error" id="f-campaign-error" role="alert">${error}</p>` : ''}</div>`;
}

function yearlyPreview(lang: Lang, p: Extract<PlanPreview, { kind: 'yearly' }>): SafeHtml {
  return html`<div class="table-wrap"><table><thead><tr><th scope="col">${t(lang, 'level')}</th><th scope="col">${t(lang, 'planDue')}</th><th scope="col">${t(lang, 'reportDueShort')}</th><th scope="col" class="num">${t(lang, 'reminders')}</th></tr></thead>
<tbody>${p.plan.levels.map((l) => html`<tr data-depth="${l.depth}"><td>${levelName(lang, l.depth)}</td><td>${dateTime(l.plan.dueAt, lang)}</td><td>${dateTime(l.report.dueAt, lang)}</td><td class="num">${l.plan.reminders.length}</td></tr>`)}</tbody></table></div>
<p>${t(lang, 'closesAt')} <strong>${dateTime(p.plan.closesAt, lang)}</strong></p>
${rehearsalNote(lang, p.request.rehearsalMinutes)}`;
}

/** A rehearsal's preview says that the whole calendar above runs in its minutes (built-in and campaign alike). */
function rehearsalNote(lang: Lang, minutes: number | undefined): SafeHtml {
  return minutes ? notice('warn', `${t(lang, 'rehearsalNote')} ${minutes} ${t(lang, 'minutes')}.`) : html``;
}

/** One column per phase of the campaign, one row per level: the deadlines the cycle will freeze. */
function campaignPreview(lang: Lang, p: Extract<PlanPreview, { kind: 'campaign' }>): SafeHtml {
  const d = p.campaign.definition;
  return html`<p id="preview-campaign" data-campaign="${p.campaign.campaignId}" data-version="${p.campaign.version}"><strong>${pick(lang, d.name)}</strong> — ${st(lang, 'version')} ${p.campaign.version} · ${st(lang, 'cycleId')} <code>${p.cycleId}</code></p>
<div class="table-wrap"><table id="preview-phases"><thead><tr><th scope="col">${t(lang, 'level')}</th>${d.phases.map((ph) => html`<th scope="col" data-phase="${ph.key}">${pick(lang, ph.name)}</th>`)}</tr></thead>
<tbody>${p.plan.levels.map(
    (l) => html`<tr data-depth="${l.depth}"><td>${levelName(lang, l.depth)}</td>${d.phases.map((ph) => html`<td data-phase="${ph.key}">${dateTime(l.phases[ph.key]!.dueAt, lang)}</td>`)}</tr>`,
  )}</tbody></table></div>
<p>${t(lang, 'closesAt')} <strong>${dateTime(p.plan.closesAt, lang)}</strong></p>
${rehearsalNote(lang, p.request.rehearsalMinutes)}`;
}

export function startPage(
  ctx: PageContext,
  o: { roots: Unit[]; campaigns: readonly CampaignSummary[]; form: StartForm; errors: FieldErrors; preview?: PlanPreview; csrfToken: string; problem?: string },
): SafeHtml {
  const { lang } = ctx;
  const f = o.form;
  const radio = (value: StartForm['reportDue'], label: string) =>
    html`<label class="inline"><input type="radio" name="reportDue" value="${value}" ${f.reportDue === value ? html`checked` : ''}> ${label}</label>`;
  const hidden = (name: string, value: string) => html`<input type="hidden" name="${name}" value="${value}">`;
  const p = o.preview;
  const body = html`
${o.problem ? notice('error', html`<strong>${t(lang, 'requestProblem')}:</strong> ${o.problem}`) : ''}
<form method="get" action="/cycles/new" class="card" id="start-form" novalidate>
${field({ name: 'year', label: t(lang, 'year'), value: f.year, type: 'number', error: o.errors.year, required: true })}
<div class="field${o.errors.rootUnitId ? ' has-error' : ''}"><label for="f-root">${t(lang, 'rootUnit')}</label>
<select id="f-root" name="root">${o.roots.map((r) => html`<option value="${r.id}" ${r.id === f.root ? html`selected` : ''}>${r.name}</option>`)}</select>
${o.errors.rootUnitId ? html`<p class="field-error" role="alert">${o.errors.rootUnitId}</p>` : ''}</div>
${campaignSelect(lang, o.campaigns, f.campaign, o.errors.campaign)}
<label class="inline"><input type="checkbox" name="firstYear" value="1" ${f.firstYear ? html`checked` : ''}> ${t(lang, 'firstYear')}</label>
<p class="hint">${st(lang, 'yearlyOnly')}</p>
<fieldset class="field${o.errors.reportDue ? ' has-error' : ''}"><legend>${t(lang, 'reportDue')}</legend>
${radio('annual', t(lang, 'reportDueAnnual'))}${radio('may-review', t(lang, 'reportDueMay'))}${radio('date', t(lang, 'reportDueDate'))}
<input type="date" name="reportDueDate" value="${f.reportDueDate}" aria-label="${t(lang, 'reportDueDate')}">
${o.errors.reportDue ? html`<p class="field-error" role="alert">${o.errors.reportDue}</p>` : ''}</fieldset>
${field({ name: 'rehearsalMinutes', label: t(lang, 'rehearsal'), value: f.rehearsalMinutes, type: 'number', error: o.errors.rehearsalMinutes })}
<input type="hidden" name="preview" value="1">
<div class="actions"><button type="submit">${t(lang, 'previewPlan')}</button></div>
</form>
${
  p
    ? html`<section class="card" id="preview"><h2>${p.kind === 'campaign' ? st(lang, 'campaignPreview') : t(lang, 'previewTitle')}</h2>
<p class="muted">${t(lang, 'previewIntro')}</p>
${p.kind === 'campaign' ? campaignPreview(lang, p) : yearlyPreview(lang, p)}
<form method="post" action="/cycles" id="confirm-start">
${csrfField(o.csrfToken)}
${hidden('year', f.year)}${hidden('root', f.root)}${hidden('campaign', f.campaign)}${hidden('firstYear', f.firstYear ? '1' : '')}${hidden('reportDue', f.reportDue)}${hidden('reportDueDate', f.reportDueDate)}${hidden('rehearsalMinutes', f.rehearsalMinutes)}
<div class="actions"><button type="submit" class="primary">${t(lang, 'confirmStart')}</button></div>
</form></section>`
    : ''
}`;
  return page(ctx, t(lang, 'startTitle'), body);
}
