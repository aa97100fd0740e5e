// The unit's page of a campaign cycle, opened from its emailed link: the campaign and its issuing document,
// every phase (name, the unit's deadline, where it stands), and for each phase open to the unit a form
// generated from the phase's form — sections with their guidance and byte limit, figures with their label,
// unit, bounds and kind of number, a plan's targets, the commendation lists — with each refusal beside its field.
import type { Form } from '../../../domain/campaign-form';
import { localDate } from '../format';
import { html, multiline, type SafeHtml } from '../html';
import type { Lang } from '../i18n';
import { page, type PageContext } from '../layout';
import { BASE_FIELD, BLANK_LIST_ROWS, FIELD_NAME, type CampaignFieldErrors, type CampaignFormValues, type CampaignTaskPhase, type CampaignTaskView } from '../ops/campaign-task';
import { SUBMITTED_BY_FIELD } from '../ops/task';
import { toRef } from '../routes/files-data';
import { unitAttachments } from '../routes/files-view';
import { cct } from './campaign-cycle-text';
import { csrfField, field, fieldId, notice } from './common';

export interface CampaignTaskPageOptions {
  token: string;
  csrfToken: string;
  flash?: { phase: string; late: boolean };
  /** the phase whose form was refused: what was typed, the errors per field, or the workflow's refusal */
  failed?: { phase: string; values: CampaignFormValues; errors: CampaignFieldErrors; problem?: string };
}

export const campaignPhasePath = (token: string, phase: string) => `/t/${token}/phase/${phase}`;

/** Where a phase stands for the unit, as a word. */
export function phaseStanding(lang: Lang, p: CampaignTaskPhase['view'], closed = false): string {
  const kind = p.progress.kind;
  const word = kind === 'open' ? cct(lang, p.open || closed ? 'st-open' : 'st-waiting') : cct(lang, `st-${kind}`);
  const marks = [p.overdue && kind === 'open' ? cct(lang, 'overdue') : '', kind !== 'open' && p.progress.late ? cct(lang, 'late') : '', p.extended ? cct(lang, 'extended') : ''].filter(Boolean);
  return marks.length > 0 ? `${word} (${marks.join(', ')})` : word;
}

function numberHint(lang: Lang, f: Form['figures'][number]): string {
  const kind = f.type === 'integer' ? cct(lang, 'wholeNumber') : `${f.decimals} ${cct(lang, 'decimalPlaces')}`;
  return `${f.unit[lang]} · ${kind} · ${cct(lang, 'from')} ${f.min} ${cct(lang, 'to')} ${f.max}`;
}

function figureInputs(lang: Lang, figures: Form['figures'], name: (k: string) => string, path: string, values: CampaignFormValues, errors: CampaignFieldErrors): SafeHtml[] {
  return figures.map((f) =>
    field({
      name: name(f.key),
      label: f.label[lang],
      hint: numberHint(lang, f),
      value: values[name(f.key)] ?? '',
      error: errors[`${path}.${f.key}`],
      inputmode: f.type === 'integer' ? 'numeric' : undefined,
    }),
  );
}

function listTable(lang: Lang, l: Form['lists'][number], values: CampaignFormValues, errors: CampaignFieldErrors): SafeHtml {
  let filled = 0;
  while (filled < l.maxItems && (values[FIELD_NAME.listCell(l.key, filled, 'name')] ?? '') !== '') filled++;
  const rows = Math.min(l.maxItems, filled + BLANK_LIST_ROWS);
  const cell = (i: number, c: 'name' | 'reason') => {
    const name = FIELD_NAME.listCell(l.key, i, c);
    const error = errors[`${l.key}.${i}.${c}`];
    return html`<td class="${error ? 'has-error' : ''}"><input type="text" id="${fieldId(name)}" name="${name}" value="${values[name] ?? ''}" aria-label="${cct(lang, c)} ${i + 1}">${error ? html`<p class="field-error" role="alert">${error}</p>` : ''}</td>`;
  };
  const kindCell = (i: number) => {
    const name = FIELD_NAME.listCell(l.key, i, 'kind');
    const v = values[name] ?? 'collective';
    return html`<td><select name="${name}" aria-label="${cct(lang, 'kind')} ${i + 1}"><option value="collective" ${v === 'collective' ? html`selected` : ''}>${cct(lang, 'collective')}</option><option value="individual" ${v === 'individual' ? html`selected` : ''}>${cct(lang, 'individual')}</option></select></td>`;
  };
  return html`<fieldset class="list" id="${fieldId(`list-${l.key}`)}"><legend>${l.title[lang]}</legend>
${l.guidance[lang] ? html`<p class="hint">${multiline(l.guidance[lang])}</p>` : ''}
<p class="hint">${cct(lang, 'listHint', { n: l.maxItems })}</p>
${errors[l.key] ? html`<p class="field-error" role="alert">${errors[l.key]}</p>` : ''}
<table><thead><tr><th>${cct(lang, 'kind')}</th><th>${cct(lang, 'name')}</th><th>${cct(lang, 'reason')}</th></tr></thead>
<tbody>${Array.from({ length: rows }, (_, i) => html`<tr>${kindCell(i)}${cell(i, 'name')}${cell(i, 'reason')}</tr>`)}</tbody></table></fieldset>`;
}

/** The form of one phase, generated from the campaign's form. */
export function phaseForm(lang: Lang, token: string, csrfToken: string, p: CampaignTaskPhase, failed?: CampaignTaskPageOptions['failed']): SafeHtml {
  const values = failed?.values ?? p.values;
  const errors = failed?.errors ?? {};
  const f = p.form;
  const base = p.view.progress.kind === 'open' ? 0 : p.view.progress.version;
  return html`<form method="post" action="${campaignPhasePath(token, p.view.key)}" id="phase-form-${p.view.key}" class="campaign-form" novalidate>
${csrfField(csrfToken)}<input type="hidden" name="${BASE_FIELD}" value="${base}">
<h3>${f.title[lang]}</h3>
${Object.keys(errors).length > 0 ? notice('error', cct(lang, 'refused')) : ''}
${failed?.problem ? notice('error', failed.problem) : ''}
${f.sections.map((s) =>
  field({
    name: FIELD_NAME.section(s.key),
    label: `${s.title[lang]}${s.required ? ` (${cct(lang, 'required')})` : ''}`,
    hint: [s.guidance[lang], cct(lang, 'maxBytes', { n: s.maxBytes })].filter(Boolean).join(' — '),
    value: values[FIELD_NAME.section(s.key)] ?? '',
    error: errors[s.key],
    textarea: true,
  }),
)}
${f.figures.length > 0 ? html`<fieldset class="figures"><legend>${cct(lang, 'figures')}</legend>${figureInputs(lang, f.figures, FIELD_NAME.figure, 'figures', values, errors)}</fieldset>` : ''}
${p.targetFigures.length > 0 ? html`<fieldset class="figures"><legend>${cct(lang, 'targets')}</legend>${figureInputs(lang, p.targetFigures, FIELD_NAME.target, 'targets', values, errors)}</fieldset>` : ''}
${f.lists.map((l) => listTable(lang, l, values, errors))}
${field({ name: SUBMITTED_BY_FIELD, label: cct(lang, 'submittedBy'), value: values[SUBMITTED_BY_FIELD] ?? '', error: errors[SUBMITTED_BY_FIELD], autocomplete: 'name' })}
<button type="submit" class="primary">${cct(lang, 'submit')}</button>
</form>`;
}

/** A phase's attachments, as on the built-in page (routes/files-view.ts): upload while the phase can be submitted. */
function phaseFiles(lang: Lang, v: CampaignTaskView, o: CampaignTaskPageOptions, p: CampaignTaskPhase): SafeHtml {
  return unitAttachments(lang, {
    token: o.token,
    csrfToken: o.csrfToken,
    phase: p.view.key,
    editable: p.editable,
    submitted: p.files.submitted.map((x) => ({ version: x.version, files: x.files.map(toRef) })),
    pending: p.files.pending,
    ...v.fileLimits,
  });
}

export function campaignTaskPage(ctx: PageContext, v: CampaignTaskView, o: CampaignTaskPageOptions): SafeHtml {
  const { lang } = ctx;
  const def = v.definition;
  const doc = def.document;
  const rows = v.phases.map(
    (p) => html`<tr data-phase="${p.view.key}"><td>${p.name[lang]}</td><td data-field="due">${localDate(p.view.deadlines.dueDate)}</td><td data-field="status">${phaseStanding(lang, p.view, v.status.closed)}</td></tr>`,
  );
  const open = v.phases.filter((p) => p.editable);
  const body = html`<p data-field="unit-name"><strong>${v.unit?.name ?? v.scope.unitId}</strong></p>
<section class="campaign-document"><p data-field="campaign-name">${cct(lang, 'campaign')}: <strong>${def.name[lang]}</strong></p>
${doc ? html`<p data-field="document">${doc.number}/${doc.symbol} — ${doc.title}</p>${doc.guidance ? html`<p class="hint">${multiline(doc.guidance)}</p>` : ''}` : ''}</section>
${o.flash && v.phases.some((p) => p.view.key === o.flash?.phase) ? notice('ok', html`${v.phases.find((p) => p.view.key === o.flash?.phase)!.name[lang]}: ${cct(lang, o.flash.late ? 'submittedLate' : 'submitted')}`) : ''}
<section><h2>${cct(lang, 'phases')}</h2>
<table id="phases"><thead><tr><th>${cct(lang, 'phase')}</th><th>${cct(lang, 'due')}</th><th>${cct(lang, 'status')}</th></tr></thead><tbody>${rows}</tbody></table></section>
${v.phases
  .filter((p) => p.view.progress.kind === 'returned')
  .map((p) => (p.view.progress.kind === 'returned' ? notice('warn', html`${p.name[lang]} — ${cct(lang, 'returnedComment')}: ${multiline(p.view.progress.comment)}`) : ''))}
${o.failed?.problem && !open.some((p) => p.view.key === o.failed?.phase) ? notice('error', o.failed.problem) : ''}
${v.status.closed ? notice('warn', cct(lang, 'closed')) : open.length === 0 ? notice('ok', cct(lang, 'noOpenPhase')) : ''}
${open.map((p) => html`<section id="phase-${p.view.key}"><h2>${p.name[lang]}</h2>${phaseFiles(lang, v, o, p)}${phaseForm(lang, o.token, o.csrfToken, p, o.failed?.phase === p.view.key ? o.failed : undefined)}</section>`)}
${v.phases
  .filter((p) => !p.editable && p.files.submitted.length > 0)
  .map((p) => html`<section id="phase-${p.view.key}"><h2>${p.name[lang]}</h2>${phaseFiles(lang, v, o, p)}</section>`)}`;
  return page(ctx, `${cct(lang, 'taskTitle')} – ${def.name[lang]}`, body);
}
