// A closed cycle of a campaign read from the archive: the cycle page (the campaign, its version, year and root,
// a node's final aggregate per phase and figure, where each unit below stands in each phase, the downloads) and
// a unit's page (its own submission per phase, its figures and targets, its subtree's aggregate), read-only,
// with the archive note every archive-read page carries.
import { dateTime, localDate, num } from '../format';
import { html, multiline, type SafeHtml } from '../html';
import { t, type Lang } from '../i18n';
import { page, type PageContext } from '../layout';
import type { ArchivedCampaignInfo, ArchivedCampaignOverview, ArchivedCampaignUnitDetail, ArchivedStanding } from '../ops/campaign-archive';
import { archiveNote } from './archive';
import type { CampaignPhaseSummary } from '../ops/campaign-cycle';
import { campaignDocxPath, campaignWorkbookPath, figureTable, phaseBlock, shown } from './campaign-cycle';
import { cct } from './campaign-cycle-text';
import { notice } from './common';
import { cyclePath, unitPath } from './staff';

const TEXT = {
  noAggregate: {
    vi: 'Kho lưu trữ không có bản tổng hợp cuối của đơn vị này (chu kỳ kết thúc trước khi đơn vị lưu số liệu).',
    en: 'The archive holds no final aggregate of this unit (the cycle ended before it archived its figures).',
  },
  ownReport: { vi: 'Báo cáo của đơn vị', en: "The unit's own report" },
  subtree: { vi: 'Tổng hợp các đơn vị trực thuộc', en: 'The units below, aggregated' },
  returns: { vi: 'Các lần trả lại', en: 'Returned versions' },
  extendedMark: { vi: 'gia hạn đến', en: 'extended to' },
} as const;
const tx = (lang: Lang, key: keyof typeof TEXT) => TEXT[key][lang];

/** A unit's standing in a phase in the words of the live page: the review state, and late or overdue. */
export function archivedStanding(lang: Lang, s: ArchivedStanding | undefined): string {
  if (!s) return '—';
  const word = cct(lang, s.review === null ? 'st-open' : `st-${s.review}`);
  const marks = [
    s.standing === 'late' ? cct(lang, 'late') : s.standing === 'overdue' ? cct(lang, 'overdue') : '',
    s.deadline.extended ? `${tx(lang, 'extendedMark')} ${localDate(s.deadline.extended.to)}` : '',
  ].filter(Boolean);
  return marks.length ? `${word} (${marks.join(', ')})` : word;
}

/** A unit's deadline in a phase (due, extended, why) and the comment each returned version came back with. */
function deadlineFacts(lang: Lang, s: ArchivedStanding): SafeHtml {
  const d = s.deadline;
  return html`<dl class="facts" data-field="deadline">
<dt>${cct(lang, 'due')}</dt><dd data-field="due">${d.dueAt ? dateTime(d.dueAt, lang) : '—'}</dd>
${d.extended ? html`<dt>${t(lang, 'extendedTo')}</dt><dd data-field="extended">${dateTime(d.extended.to, lang)}</dd>${d.extended.reason ? html`<dt>${t(lang, 'reason')}</dt><dd data-field="extended-reason">${d.extended.reason}</dd>` : ''}` : ''}
</dl>
${d.returns.length > 0
  ? html`<h3>${tx(lang, 'returns')}</h3><ul data-field="returns">${d.returns.map(
      (r) => html`<li data-version="${String(r.version)}">${cct(lang, 'version')} ${r.version} · ${dateTime(r.at, lang)}: <blockquote data-field="comment">${multiline(r.comment)}</blockquote></li>`,
    )}</ul>`
  : ''}`;
}

function cycleFacts(lang: Lang, cycleId: string, c: ArchivedCampaignInfo): SafeHtml {
  return html`<div class="card"><dl class="facts">
<dt>${cct(lang, 'campaign')}</dt><dd data-field="campaign-name">${c.definition.name[lang]} <span class="muted">(${c.campaignId} v${c.version})</span></dd>
<dt>${t(lang, 'cycle')}</dt><dd data-field="cycle">${cycleId} <span class="badge">${t(lang, 'phaseClosed')}</span></dd>
<dt>${t(lang, 'year')}</dt><dd data-field="year">${c.year}</dd>
<dt>${t(lang, 'rootUnit')}</dt><dd data-field="root">${c.rootName} <span class="muted">(${c.rootUnitId})</span></dd>
<dt>${t(lang, 'unitsCount')}</dt><dd data-field="units">${num(c.unitCount, lang)}</dd>
</dl></div>`;
}

export function archivedCampaignCyclePage(ctx: PageContext, o: ArchivedCampaignOverview): SafeHtml {
  const { lang } = ctx;
  const def = o.cycle.definition;
  const body = html`${archiveNote(lang, o.cycle)}
${cycleFacts(lang, o.cycleId, o.cycle)}
<p data-field="focus"><strong>${o.focus.name}</strong>${o.focus.parentId ? html` · <a href="${cyclePath(o.cycleId, { unit: o.focus.parentId })}">↑</a>` : ''}${
    o.final ? html` <span class="badge">${t(lang, 'finalBadge')}</span>` : ''
  }</p>
<section><h2>${cct(lang, 'downloads')}</h2><ul>
${o.canDownloadWorkbook ? html`<li><a href="${campaignWorkbookPath(o.cycleId)}" data-download="xlsx">${cct(lang, 'workbook')}</a></li>` : ''}
<li><a href="${unitPath(o.cycleId, o.focus.id)}">${o.focus.name}</a></li></ul></section>
<section id="phases"><h2>${cct(lang, 'phases')}</h2>
${o.phases ? o.phases.map((p) => phaseBlock(lang, p, o.own[p.key]?.deadline.extended?.to ?? o.own[p.key]?.deadline.dueAt ?? undefined, campaignDocxPath(o.cycleId, o.focus.id, p.key))) : notice('warn', tx(lang, 'noAggregate'))}</section>
${
  o.children.length > 0
    ? html`<section><h2>${cct(lang, 'unitsBelow')}</h2><div class="table-wrap"><table id="unit-rows"><thead><tr><th>${cct(lang, 'unit')}</th>${def.phases.map((p) => html`<th>${p.name[lang]}</th>`)}</tr></thead>
<tbody>${o.children.map(
        (c) => html`<tr data-unit="${c.unitId}"><td><a href="${unitPath(o.cycleId, c.unitId)}">${c.name}</a>${
          c.hasUnitsBelow ? html` · <a href="${cyclePath(o.cycleId, { unit: c.unitId })}">${cct(lang, 'open')}</a>` : ''
        }</td>${def.phases.map((p) => html`<td data-phase="${p.key}">${archivedStanding(lang, c.phases[p.key])}</td>`)}</tr>`,
      )}</tbody></table></div></section>`
    : ''
}`;
  return page(ctx, `${cct(lang, 'cycle')} – ${def.name[lang]}`, body);
}

/** The subtree's counts and figures of a phase, on a unit's page (its final aggregate). */
function subtreeBlock(lang: Lang, p: CampaignPhaseSummary): SafeHtml {
  const a = p.aggregate;
  return html`<h3>${tx(lang, 'subtree')}</h3>
<p data-field="counts">${cct(lang, 'expected')}: ${a.expected} · ${cct(lang, 'onTime')}: ${a.submittedOnTime.total} · ${cct(lang, 'lateCount')}: ${a.submittedLate.total} · ${cct(lang, 'notSubmitted')}: ${a.notSubmitted.total}</p>
${figureTable(lang, p.figures, p.key)}`;
}

export function archivedCampaignUnitPage(ctx: PageContext, d: ArchivedCampaignUnitDetail, o: { problem?: string } = {}): SafeHtml {
  const { lang } = ctx;
  const blocks = d.phases.map((p) => {
    const s = p.own;
    // a plan phase: the targets it set; a phase that gets targets: the ones its plan set for the unit
    const targets = p.targetFigures.length > 0 ? { figures: p.targetFigures, values: s.setTargets } : { figures: p.figuresOf.filter((f) => s.targets && f.key in s.targets), values: s.targets };
    return html`<section class="phase" id="phase-${p.key}" data-phase="${p.key}"><h2>${p.name[lang]}</h2>
<p data-field="status">${archivedStanding(lang, s)}${s.version !== null ? html` · ${cct(lang, 'version')} ${s.version}` : ''}${
      s.submittedAt ? html` · ${t(lang, 'submittedAt')} ${dateTime(s.submittedAt, lang)}` : ''
    }</p>
${deadlineFacts(lang, s)}
${
  s.values
    ? html`<h3>${tx(lang, 'ownReport')}</h3><table class="figures"><tbody>${p.figuresOf.map(
        (f) => html`<tr data-figure="${f.key}"><td>${f.label[lang]} (${f.unit[lang]})</td><td data-field="value">${shown(f, s.values![f.key] ?? null, lang)}</td></tr>`,
      )}</tbody></table>`
    : ''
}
${
  targets.values && targets.figures.length > 0
    ? html`<table class="figures" data-targets="${p.key}"><caption>${cct(lang, 'targets')}</caption><tbody>${targets.figures.map(
        (f) => html`<tr data-figure="${f.key}"><td>${f.label[lang]} (${f.unit[lang]})</td><td data-field="target">${shown(f, targets.values![f.key] ?? null, lang)}</td></tr>`,
      )}</tbody></table>`
    : ''
}
${d.unit.hasUnitsBelow ? (p.summary ? subtreeBlock(lang, p.summary) : notice('warn', tx(lang, 'noAggregate'))) : ''}
<p><a href="${campaignDocxPath(d.cycleId, d.unit.id, p.key)}" data-download="docx">${cct(lang, 'reportDocx', { phase: p.name[lang] })}</a></p></section>`;
  });
  const body = html`${archiveNote(lang, d.cycle)}
${o.problem ? notice('error', html`<strong>${t(lang, 'requestProblem')}:</strong> ${o.problem}`) : ''}
${cycleFacts(lang, d.cycleId, d.cycle)}
<p data-field="unit-name"><strong>${d.unit.name}</strong> · <a href="${cyclePath(d.cycleId, d.unit.parentId ? { unit: d.unit.parentId } : {})}">${cct(lang, 'cycle')}</a></p>
${blocks}`;
  return page(ctx, `${d.unit.name} – ${d.cycle.definition.name[lang]}`, body);
}
