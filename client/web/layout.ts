// The page shell every page shares: header with the language switch and (for staff) sign-out, then the body.
import { html, type SafeHtml } from './html';
import { LANG_QUERY, t, type Lang } from './i18n';
import { STYLESHEET_PATH } from './styles';

export interface PageContext {
  lang: Lang;
  /** path and query of the current request: the language links point back to it */
  url: string;
  /** the signed-in staff member's address, if any */
  staffEmail?: string;
  /** a CSRF token for the sign-out form (only needed when staffEmail is set) */
  csrfToken?: string;
}

/** The current URL with `lang` set to `lang` (other query parameters kept). */
export function withLang(url: string, lang: Lang): string {
  const u = new URL(url, 'http://x');
  u.searchParams.set(LANG_QUERY, lang);
  return `${u.pathname}${u.search}`;
}

/** `head`: extra elements of <head> (a running job's meta refresh). */
export function page(ctx: PageContext, title: string, body: SafeHtml, head?: SafeHtml): SafeHtml {
  const { lang } = ctx;
  const langLink = (l: Lang, label: string) => html`<a href="${withLang(ctx.url, l)}" hreflang="${l}" lang="${l}" aria-current="${String(l === lang)}">${label}</a>`;
  const staff = ctx.staffEmail
    ? html`<span>${t(lang, 'signedInAs')} <strong>${ctx.staffEmail}</strong></span>
        <form method="post" action="/signout"><input type="hidden" name="_csrf" value="${ctx.csrfToken ?? ''}"><button type="submit">${t(lang, 'signOut')}</button></form>`
    : html`<a href="/signin">${t(lang, 'signIn')}</a>`;
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} – ${t(lang, 'appName')}</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
${head ?? ''}
</head>
<body>
<header class="top">
  <a class="brand" href="/">${t(lang, 'appName')}</a>
  <nav>
    <a href="/">${t(lang, 'home')}</a>
    ${staff}
    <span class="lang" aria-label="${t(lang, 'language')}">${langLink('vi', 'Tiếng Việt')} · ${langLink('en', 'English')}</span>
  </nav>
</header>
<main>
<h1>${title}</h1>
${body}
</main>
<footer>baocao</footer>
</body>
</html>`;
}

/** A page that only says something: errors, confirmations. */
export function messagePage(ctx: PageContext, title: string, paragraphs: (string | SafeHtml)[], kind: 'ok' | 'warn' | 'error' = 'warn'): SafeHtml {
  return page(ctx, title, html`<div class="notice ${kind}">${paragraphs.map((p) => html`<p>${p}</p>`)}</div>`);
}
