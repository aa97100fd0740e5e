// Staff sign-in pages: ask for a link, "check your mail", confirm (a POST: opening the link changes nothing).
import { html, type SafeHtml } from '../html';
import { t } from '../i18n';
import { messagePage, page, type PageContext } from '../layout';
import { csrfField, field, notice } from './common';

export function signinPage(ctx: PageContext, csrfToken: string, o: { email?: string; error?: string } = {}): SafeHtml {
  const { lang } = ctx;
  return page(
    ctx,
    t(lang, 'signInTitle'),
    html`<div class="card">
<p>${t(lang, 'signInIntro')}</p>
<form method="post" action="/signin" novalidate>
${csrfField(csrfToken)}
${field({ name: 'email', label: t(lang, 'email'), value: o.email ?? '', error: o.error, type: 'email', required: true, autocomplete: 'email' })}
<div class="actions"><button type="submit" class="primary">${t(lang, 'sendLink')}</button></div>
</form>
</div>
${notice('warn', t(lang, 'unitsUseTheirLink'))}`,
  );
}

export function checkMailPage(ctx: PageContext): SafeHtml {
  return messagePage(ctx, t(ctx.lang, 'checkMailTitle'), [t(ctx.lang, 'checkMailBody')], 'ok');
}

export function signinConfirmPage(ctx: PageContext, csrfToken: string, token: string, email: string): SafeHtml {
  const { lang } = ctx;
  return page(
    ctx,
    t(lang, 'signInConfirmTitle'),
    html`<div class="card">
<p>${t(lang, 'signInConfirmBody')} <strong data-field="email">${email}</strong>.</p>
<form method="post" action="/signin/${token}">
${csrfField(csrfToken)}
<div class="actions"><button type="submit" class="primary">${t(lang, 'signIn')}</button></div>
</form></div>`,
  );
}

export function signinInvalidPage(ctx: PageContext): SafeHtml {
  const { lang } = ctx;
  return messagePage(ctx, t(lang, 'signInLinkInvalidTitle'), [t(lang, 'signInLinkInvalidBody'), html`<a href="/signin">${t(lang, 'askNewLink')}</a>`], 'error');
}
