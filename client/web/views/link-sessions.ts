// The browsers that used a unit's link, on the unit's own page: when, which browser, and a button to end each.
import type { LinkSession } from '../../../activities/access/sessions';
import { TASK_LINK_PATH } from '../../../activities/access/tokens';
import { dateTime } from '../format';
import { html, type SafeHtml } from '../html';
import { t, type Lang } from '../i18n';
import { csrfField } from './common';

/** Path of the form that ends one session of the link. */
export const END_SESSION_SUFFIX = '/sessions/end';

export function linkSessionsSection(lang: Lang, o: { token: string; csrfToken: string; sessions: LinkSession[]; currentSession?: string }): SafeHtml {
  return html`<section class="card" id="sessions"><h2>${t(lang, 'linkSessionsTitle')}</h2>
<p class="hint">${t(lang, 'linkSessionsIntro')}</p>
<div class="table-wrap"><table><thead><tr><th scope="col">${t(lang, 'linkSessionBrowser')}</th><th scope="col">${t(lang, 'linkSessionFirst')}</th><th scope="col">${t(lang, 'linkSessionLast')}</th><th scope="col"></th></tr></thead>
<tbody>${o.sessions.map(
    (s) => html`<tr data-session="${s.id}"${s.id === o.currentSession ? html` data-current="true"` : ''}>
<td data-field="user-agent">${s.userAgent || t(lang, 'unknownBrowser')}${s.id === o.currentSession ? html` <strong>(${t(lang, 'linkSessionThis')})</strong>` : ''}</td>
<td>${dateTime(s.createdAt, lang)}</td><td>${dateTime(s.lastSeenAt, lang)}</td>
<td>${
      s.endedAt
        ? html`<span data-state="ended">${t(lang, 'linkSessionEnded')}</span>`
        : html`<form method="post" action="${TASK_LINK_PATH}${o.token}${END_SESSION_SUFFIX}">${csrfField(o.csrfToken)}<input type="hidden" name="session" value="${s.id}"><button type="submit">${t(lang, 'linkSessionEnd')}</button></form>`
    }</td></tr>`,
  )}</tbody></table></div>
</section>`;
}
