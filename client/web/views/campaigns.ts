// The secretariat's campaign pages: the list, one version (document, phases, forms) and the editor. Plain
// server-rendered HTML, no script (CSP): the editor is tables of rows with blank rows to add (routes/campaigns-form.ts).
import type { CampaignSummary, CampaignVersion } from '../../../domain/campaign';
import { describeRule } from '../../../domain/campaign-deadline';
import { documentNumber } from '../../../domain/campaign-document';
import { AGGREGATIONS, COMPARISON_SIGN, COMPARISONS } from '../../../domain/campaign-form';
import { html, multiline, type SafeHtml } from '../html';
import type { Lang } from '../i18n';
import { page, type PageContext } from '../layout';
import { BLANK_ROWS, TABLE_COLUMNS, type CampaignFormData, type Row, type TableName } from '../routes/campaigns-form';
import { ct, type CampaignTextKey } from './campaign-text';
import { csrfField, field, fieldId, notice } from './common';
import { startCyclePath } from './cycle-start';
import { BUILTIN_CAMPAIGN_ID } from '../../../domain/campaign-builtin';

export const CAMPAIGNS_PATH = '/campaigns';
export const NEW_CAMPAIGN_PATH = '/campaigns/new';
export const campaignPath = (id: string, version?: number) => `/campaigns/${encodeURIComponent(id)}${version === undefined ? '' : `?version=${version}`}`;
export const campaignEditPath = (id: string, version?: number) => `/campaigns/${encodeURIComponent(id)}/edit${version === undefined ? '' : `?version=${version}`}`;

const pick = (lang: Lang, l: { vi: string; en: string }) => (lang === 'en' && l.en ? l.en : l.vi);

export function campaignListPage(ctx: PageContext, campaigns: readonly CampaignSummary[]): SafeHtml {
  const { lang } = ctx;
  const rows = campaigns.map(
    (c) => html`<tr data-campaign="${c.id}">
  <td><a href="${campaignPath(c.id)}">${c.id}</a></td>
  <td>${pick(lang, c.name)}</td>
  <td>${c.latestVersion}</td>
  <td>${c.latestFrozen ? ct(lang, 'frozen') : ct(lang, 'editable')}${c.builtin ? html` · ${ct(lang, 'builtin')}` : ''}</td>
</tr>`,
  );
  return page(
    ctx,
    ct(lang, 'campaigns'),
    html`<p>${ct(lang, 'campaignsIntro')}</p>
<p><a class="button" href="${NEW_CAMPAIGN_PATH}">${ct(lang, 'newCampaign')}</a></p>
<div class="table-wrap"><table class="campaigns">
<thead><tr><th>${ct(lang, 'id')}</th><th>${ct(lang, 'name')}</th><th>${ct(lang, 'latest')}</th><th></th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`,
  );
}

function documentBlock(lang: Lang, v: CampaignVersion): SafeHtml {
  const d = v.definition.document;
  if (!d) return html`<p>${ct(lang, 'noDocument')}</p>`;
  return html`<dl class="document">
  <dt>${ct(lang, 'number')}</dt><dd>${documentNumber(d)}</dd>
  <dt>${ct(lang, 'date')}</dt><dd>${d.place}, ${d.date}</dd>
  <dt>${ct(lang, 'title')}</dt><dd>${d.title}</dd>
  <dt>${ct(lang, 'issuingBody')}</dt><dd>${d.issuingBody}</dd>
  <dt>${ct(lang, 'signerTitle')}</dt><dd>${multiline(d.signer.title)}</dd>
  <dt>${ct(lang, 'signerName')}</dt><dd>${d.signer.name}</dd>
  ${d.guidance ? html`<dt>${ct(lang, 'guidance')}</dt><dd>${multiline(d.guidance)}</dd>` : ''}
  ${d.distribution.length > 0 ? html`<dt>${ct(lang, 'distribution')}</dt><dd><ul>${d.distribution.map((x) => html`<li>${x}</li>`)}</ul></dd>` : ''}
  ${d.attachments.length > 0 ? html`<dt>${ct(lang, 'attachments')}</dt><dd><ul>${d.attachments.map((a) => html`<li>${a.name} (${a.mediaType}, ${a.size} B)</li>`)}</ul></dd>` : ''}
</dl>`;
}

export function campaignPage(ctx: PageContext, v: CampaignVersion, versions: readonly CampaignVersion[]): SafeHtml {
  const { lang } = ctx;
  const d = v.definition;
  const phases = d.phases.map(
    (p) => html`<tr data-phase="${p.key}"><td>${p.key}</td><td>${pick(lang, p.name)}</td><td>${p.form}</td><td>${describeRule(p.due)[lang]}</td></tr>`,
  );
  const forms = d.forms.map(
    (f) => html`<section class="card" data-form="${f.key}">
<h3>${pick(lang, f.title)} <small>(${f.key})</small></h3>
${f.sections.length > 0 ? html`<h4>${ct(lang, 'sections')}</h4><ul>${f.sections.map((s) => html`<li data-section="${s.key}">${pick(lang, s.title)} — ${s.maxBytes} byte${s.required ? html` · ${ct(lang, 'required')}` : ''}</li>`)}</ul>` : ''}
${
  f.figures.length > 0
    ? html`<h4>${ct(lang, 'figures')}</h4><div class="table-wrap"><table class="figures"><thead><tr><th>${ct(lang, 'key')}</th><th>${ct(lang, 'label')}</th><th>${ct(lang, 'unitOfMeasure')}</th><th>${ct(lang, 'type')}</th><th>${ct(lang, 'min')}–${ct(lang, 'max')}</th><th>${ct(lang, 'aggregation')}</th></tr></thead>
<tbody>${f.figures.map((g) => html`<tr data-figure="${g.key}"><td>${g.key}</td><td>${pick(lang, g.label)}</td><td>${pick(lang, g.unit)}</td><td>${ct(lang, g.type)}${g.type === 'decimal' ? ` (${g.decimals})` : ''}</td><td>${g.min}–${g.max}</td><td>${ct(lang, aggregationKey(g.aggregation))}</td></tr>`)}</tbody></table></div>`
    : ''
}
${f.rules.length > 0 ? html`<h4>${ct(lang, 'rules')}</h4><ul>${f.rules.map((r) => html`<li>${r.left} ${COMPARISON_SIGN[r.op]} ${'figure' in r.right ? r.right.figure : r.right.value}: ${pick(lang, r.message)}</li>`)}</ul>` : ''}
${f.lists.length > 0 ? html`<h4>${ct(lang, 'lists')}</h4><ul>${f.lists.map((l) => html`<li>${pick(lang, l.title)} (≤ ${l.maxItems})</li>`)}</ul>` : ''}
${f.targets ? html`<p>${ct(lang, 'targetsForm')} ${f.targets.form}: ${f.targets.figures.join(', ')}</p>` : ''}
</section>`,
  );
  const versionRows = versions.map(
    (x) => html`<tr${x.version === v.version ? html` aria-current="true"` : ''}><td><a href="${campaignPath(x.campaignId, x.version)}">${x.version}</a></td><td>${x.frozen ? ct(lang, 'frozen') : ct(lang, 'editable')}</td><td>${x.createdBy}</td><td>${x.createdAt}</td></tr>`,
  );
  return page(
    ctx,
    `${pick(lang, d.name)} — ${ct(lang, 'version')} ${v.version}`,
    html`<p><a href="${CAMPAIGNS_PATH}">${ct(lang, 'campaigns')}</a> › ${v.campaignId}</p>
<p class="status" data-frozen="${String(v.frozen)}">${v.frozen ? ct(lang, 'frozen') : ct(lang, 'editable')}</p>
<p><a class="button" href="${campaignEditPath(v.campaignId, v.version)}">${v.frozen ? ct(lang, 'newVersionFrom') : ct(lang, 'edit')}</a>
 <a href="${NEW_CAMPAIGN_PATH}?from=${encodeURIComponent(v.campaignId)}&amp;version=${v.version}">${ct(lang, 'copyOf')} ${v.campaignId}</a>
 <a class="button primary" id="start-cycle" href="${startCyclePath(v.campaignId === BUILTIN_CAMPAIGN_ID ? undefined : `${v.campaignId}@${v.version}`)}">${ct(lang, 'startCycle')}</a></p>
<h2>${ct(lang, 'document')}</h2>
${documentBlock(lang, v)}
<h2>${ct(lang, 'phases')}</h2>
<div class="table-wrap"><table class="phases"><thead><tr><th>${ct(lang, 'key')}</th><th>${ct(lang, 'name')}</th><th>${ct(lang, 'form')}</th><th>${ct(lang, 'due')}</th></tr></thead><tbody>${phases}</tbody></table></div>
<h2>${ct(lang, 'forms')}</h2>
${forms}
<h2>${ct(lang, 'versions')}</h2>
<div class="table-wrap"><table class="versions"><thead><tr><th>${ct(lang, 'version')}</th><th></th><th>${ct(lang, 'createdBy')}</th><th>${ct(lang, 'createdAt')}</th></tr></thead><tbody>${versionRows}</tbody></table></div>`,
  );
}

function aggregationKey(a: (typeof AGGREGATIONS)[number]): CampaignTextKey {
  return a === 'min' ? 'agg-min' : a === 'max' ? 'agg-max' : a;
}

// ---- the editor ----

type Errors = Record<string, string>;

const COLUMN_LABEL: Record<string, (lang: Lang) => string> = {
  key: (l) => ct(l, 'key'),
  form: (l) => ct(l, 'form'),
  'name.vi': (l) => `${ct(l, 'name')} (${ct(l, 'vi')})`,
  'name.en': (l) => `${ct(l, 'name')} (${ct(l, 'en')})`,
  'title.vi': (l) => `${ct(l, 'title')} (${ct(l, 'vi')})`,
  'title.en': (l) => `${ct(l, 'title')} (${ct(l, 'en')})`,
  'guidance.vi': (l) => `${ct(l, 'guidance')} (${ct(l, 'vi')})`,
  'guidance.en': (l) => `${ct(l, 'guidance')} (${ct(l, 'en')})`,
  'label.vi': (l) => `${ct(l, 'label')} (${ct(l, 'vi')})`,
  'label.en': (l) => `${ct(l, 'label')} (${ct(l, 'en')})`,
  'unit.vi': (l) => `${ct(l, 'unitOfMeasure')} (${ct(l, 'vi')})`,
  'unit.en': (l) => `${ct(l, 'unitOfMeasure')} (${ct(l, 'en')})`,
  'message.vi': (l) => `${ct(l, 'message')} (${ct(l, 'vi')})`,
  'message.en': (l) => `${ct(l, 'message')} (${ct(l, 'en')})`,
  'due.kind': (l) => ct(l, 'ruleKind'),
  'due.quarter': (l) => ct(l, 'quarter'),
  'due.plusDays': (l) => ct(l, 'plusDays'),
  'due.date': (l) => ct(l, 'dateRule'),
  'targets.form': (l) => ct(l, 'targetsForm'),
  'targets.figures': (l) => ct(l, 'targetsFigures'),
  required: (l) => ct(l, 'required'),
  maxBytes: (l) => ct(l, 'maxBytes'),
  type: (l) => ct(l, 'type'),
  decimals: (l) => ct(l, 'decimals'),
  min: (l) => ct(l, 'min'),
  max: (l) => ct(l, 'max'),
  aggregation: (l) => ct(l, 'aggregation'),
  left: (l) => ct(l, 'left'),
  op: (l) => ct(l, 'op'),
  right: (l) => ct(l, 'right'),
  maxItems: (l) => ct(l, 'maxItems'),
  nameMaxBytes: (l) => ct(l, 'nameMaxBytes'),
  reasonMaxBytes: (l) => ct(l, 'reasonMaxBytes'),
};

const RULE_KINDS = ['yearly-plan', 'may-review', 'year-end', 'quarter-end', 'date'] as const;

function options(values: readonly string[], current: string, label: (v: string) => string): SafeHtml[] {
  return values.map((v) => html`<option value="${v}"${v === current ? html` selected` : ''}>${label(v)}</option>`);
}

function cell(lang: Lang, table: TableName, i: number, column: string, value: string, errors: Errors): SafeHtml {
  const name = `${table}.${i}.${column}`;
  const id = fieldId(name);
  const error = errors[name];
  const described = error ? html` aria-describedby="${id}-error"` : '';
  const invalid = html` aria-invalid="${error ? 'true' : 'false'}"`;
  const aria = html` aria-label="${COLUMN_LABEL[column]?.(lang) ?? column} ${i + 1}"`;
  let control: SafeHtml;
  if (column === 'due.kind') control = html`<select id="${id}" name="${name}"${aria}${invalid}${described}>${options(RULE_KINDS, value || 'yearly-plan', (k) => ct(lang, `rule-${k}` as CampaignTextKey))}</select>`;
  else if (column === 'type') control = html`<select id="${id}" name="${name}"${aria}${invalid}${described}>${options(['integer', 'decimal'], value || 'integer', (k) => ct(lang, k as CampaignTextKey))}</select>`;
  else if (column === 'aggregation') control = html`<select id="${id}" name="${name}"${aria}${invalid}${described}>${options(AGGREGATIONS, value || 'sum', (k) => ct(lang, aggregationKey(k as (typeof AGGREGATIONS)[number])))}</select>`;
  else if (column === 'op') control = html`<select id="${id}" name="${name}"${aria}${invalid}${described}>${options(COMPARISONS, value || 'gte', (k) => COMPARISON_SIGN[k as (typeof COMPARISONS)[number]])}</select>`;
  else if (column === 'required') control = html`<input id="${id}" type="checkbox" name="${name}" value="1"${value === '1' ? html` checked` : ''}${aria}>`;
  else control = html`<input id="${id}" type="text" name="${name}" value="${value}"${aria}${invalid}${described}>`;
  return html`<td class="${error ? 'has-error' : ''}">${control}${error ? html`<p class="field-error" id="${id}-error" role="alert">${error}</p>` : ''}</td>`;
}

function rowsTable(lang: Lang, table: TableName, rows: readonly Row[], errors: Errors): SafeHtml {
  const columns = TABLE_COLUMNS[table];
  const all = [...rows, ...Array.from({ length: BLANK_ROWS }, () => ({}) as Row)];
  return html`<div class="table-wrap"><table class="editor ${table}" data-table="${table}">
<thead><tr>${columns.map((c) => html`<th scope="col">${COLUMN_LABEL[c]?.(lang) ?? c}</th>`)}</tr></thead>
<tbody>${all.map((row, i) => html`<tr>${columns.map((c) => cell(lang, table, i, c, row[c] ?? '', errors))}</tr>`)}</tbody>
</table></div>`;
}

export interface CampaignEditorView {
  mode: 'new' | 'edit';
  data: CampaignFormData;
  errors: Errors;
  /** editing a frozen version: saving makes a new version */
  frozen: boolean;
  csrfToken: string;
  /** lines of a refusal that is about no single field */
  problem?: string;
}

export function campaignEditorPage(ctx: PageContext, v: CampaignEditorView): SafeHtml {
  const { lang } = ctx;
  const f = v.data.fields;
  const e = v.errors;
  const single = (name: string, key: CampaignTextKey, o: { textarea?: boolean; hint?: string; type?: 'text' | 'date' | 'number'; rows?: number } = {}) =>
    field({ name, label: ct(lang, key), value: f[name] ?? '', error: e[name], textarea: o.textarea, rows: o.rows, hint: o.hint, type: o.type });
  const action = v.mode === 'new' ? NEW_CAMPAIGN_PATH : campaignEditPath(v.data.id);
  const base = Number(v.data.baseVersion);
  const title = v.mode === 'new' ? ct(lang, 'newCampaign') : `${v.data.id} — ${ct(lang, 'version')} ${v.data.baseVersion}`;
  const saveButtons =
    v.mode === 'new'
      ? html`<button type="submit" name="save" value="create">${ct(lang, 'create')}</button>`
      : html`<button type="submit" name="save" value="new-version">${ct(lang, 'saveNewVersion')}</button>
${v.frozen ? '' : html` <button type="submit" name="save" value="update">${ct(lang, 'saveThisVersion')} ${base}</button>`}`;
  const hasErrors = Object.keys(e).length > 0 || v.problem;
  return page(
    ctx,
    title,
    html`<p><a href="${CAMPAIGNS_PATH}">${ct(lang, 'campaigns')}</a>${v.mode === 'edit' ? html` › <a href="${campaignPath(v.data.id, base)}">${v.data.id}</a>` : ''}</p>
${hasErrors ? notice('error', html`${ct(lang, 'problems')}${v.problem ? html`<br>${multiline(v.problem)}` : ''}`) : ''}
${v.frozen ? notice('warn', ct(lang, 'frozen')) : ''}
<form method="post" action="${action}" class="campaign-editor" novalidate>
${csrfField(v.csrfToken)}
<input type="hidden" name="baseVersion" value="${v.data.baseVersion}">
<input type="hidden" name="schedule" value="${f.schedule ?? ''}">
<input type="hidden" name="document.attachments" value="${f['document.attachments'] ?? ''}">
${v.mode === 'new' ? field({ name: 'id', label: ct(lang, 'id'), value: v.data.id, error: e.id, hint: ct(lang, 'idHint') }) : html`<input type="hidden" name="id" value="${v.data.id}">`}
${single('name.vi', 'nameVi')}
${single('name.en', 'nameEn')}
<fieldset><legend>${ct(lang, 'document')}</legend>
<p class="hint">${ct(lang, 'docHint')}</p>
${single('document.number', 'number')}
${single('document.symbol', 'symbol')}
${single('document.date', 'date', { type: 'date' })}
${single('document.place', 'place')}
${single('document.title', 'title', { textarea: true, rows: 2 })}
${single('document.issuingBody', 'issuingBody')}
${single('document.signer.title', 'signerTitle', { textarea: true, rows: 2 })}
${single('document.signer.name', 'signerName')}
${single('document.guidance', 'guidance', { textarea: true, rows: 5 })}
${single('document.distribution', 'distribution', { textarea: true, rows: 5, hint: ct(lang, 'distributionHint') })}
${e['document.attachments'] ? notice('error', e['document.attachments']) : ''}
</fieldset>
<fieldset><legend>${ct(lang, 'schedule')}</legend>
${single('schedule.cascadeWorkingDays', 'cascade')}
${single('checkedLevels', 'checkedLevels')}
</fieldset>
<p class="hint">${ct(lang, 'rowsHint')}</p>
<h2>${ct(lang, 'phases')}</h2>
<p class="hint">${ct(lang, 'phasesHint')}</p>
${rowsTable(lang, 'phases', v.data.phases, e)}
<h2>${ct(lang, 'forms')}</h2>
${rowsTable(lang, 'forms', v.data.forms, e)}
<h3>${ct(lang, 'sections')}</h3>
${rowsTable(lang, 'sections', v.data.sections, e)}
<h3>${ct(lang, 'figures')}</h3>
${rowsTable(lang, 'figures', v.data.figures, e)}
<h3>${ct(lang, 'rules')}</h3>
${rowsTable(lang, 'rules', v.data.rules, e)}
<h3>${ct(lang, 'lists')}</h3>
${rowsTable(lang, 'lists', v.data.lists, e)}
<p>${saveButtons}</p>
</form>`,
  );
}
