// Staff sign-in by a one-time link emailed to an address the directory knows. The answer never says whether
// the address is known (no probing the directory), and a link is used up only by the POST of its confirmation
// page, so a mail scanner that opens the link does not spend it.
import { renderMail } from '../../activities/mail/templates';
import { closing, footer } from '../../activities/mail/templates/common';
import { t, type Lang } from './i18n';
import type { WebDeps } from './ops/deps';
import { normalizeEmail, staffUnits } from './staff';
import { createSigninToken } from './stores';

export const SIGNIN_PATH = '/signin';

export function signinLink(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${SIGNIN_PATH}/${token}`;
}

/** Emails a sign-in link when the address belongs to a unit's officer or chair; otherwise does nothing. */
export async function requestSignin(deps: WebDeps, rawEmail: string, lang: Lang): Promise<{ sent: boolean }> {
  const email = normalizeEmail(rawEmail);
  const units = await staffUnits(deps.db, email);
  if (units.length === 0) return { sent: false };
  const token = await createSigninToken(deps.db, email, deps.now());
  if (!token) return { sent: false };
  const rendered = renderMail({
    lang,
    subject: t(lang, 'signInMailSubject'),
    salutation: lang === 'vi' ? 'Kính gửi đồng chí,' : 'Hello,',
    blocks: [
      { kind: 'paragraph', content: t(lang, 'signInMailIntro') },
      { kind: 'button', label: t(lang, 'signInMailButton'), href: signinLink(deps.config.web.publicUrl, token) },
      { kind: 'paragraph', content: t(lang, 'signInMailIgnore') },
    ],
    closing: closing(lang),
    footer: footer(lang),
  });
  await deps.mailer.sendMail({
    from: deps.config.mail.from,
    replyTo: deps.config.mail.replyTo,
    to: email,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
  });
  return { sent: true };
}
