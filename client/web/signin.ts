// Staff sign-in by a one-time link emailed to an address the directory knows. The request is answered before
// anything about the address is looked at: the same answer, after the same work, for every address, so neither
// the page nor its timing tells who is in the directory, and a slow or dead mail server never holds it. After
// the answer, a known address gets a link (written to the mail outbox with its token in one transaction, then
// delivered). A link is used up only by the POST of its confirmation page, so a mail scanner that opens the
// link does not spend it.
import { renderMail } from '../../activities/mail/templates';
import { closing, footer } from '../../activities/mail/templates/common';
import { t, type Lang } from './i18n';
import type { WebDeps } from './ops/deps';
import { deliverAfterResponse, enqueueWebMail } from './outbox';
import { normalizeEmail, staffUnits } from './staff';
import { insertSigninToken, newSecret, sha256 } from './stores';

export const SIGNIN_PATH = '/signin';
/** Outbox purpose of the sign-in emails. */
export const SIGNIN_MAIL_PURPOSE = 'staff-signin';

export function signinLink(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${SIGNIN_PATH}/${token}`;
}

/** Thrown inside the outbox transaction when the address has enough pending links: nothing is stored. */
class SigninCapReached extends Error {
  readonly code = 'SigninCapReached';
}

/** Answers nothing and waits for nothing: the sign-in email, if any, is prepared and sent after the response. */
export function requestSignin(deps: WebDeps, rawEmail: string, lang: Lang): void {
  const email = normalizeEmail(rawEmail);
  deps.background.run('sign-in request', () => prepareSignin(deps, email, lang));
}

/** Stores and sends a sign-in link when the address belongs to a unit's officer or chair; otherwise nothing. */
async function prepareSignin(deps: WebDeps, email: string, lang: Lang): Promise<void> {
  const units = await staffUnits(deps.db, email);
  if (units.length === 0) return;
  const token = newSecret();
  const tokenHash = sha256(token);
  const key = `signin:${tokenHash}`;
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
  try {
    await enqueueWebMail(deps, {
      key,
      purpose: SIGNIN_MAIL_PURPOSE,
      cycleId: '',
      unitId: units[0]!.id,
      to: [{ name: '', email }],
      rendered,
      withRow: async (trx) => {
        if (!(await insertSigninToken(trx, email, tokenHash, deps.now()))) throw new SigninCapReached();
      },
    });
  } catch (err) {
    if (err instanceof SigninCapReached) return; // enough links on their way: no mail-bombing an officer
    throw err;
  }
  deliverAfterResponse(deps, key);
}
