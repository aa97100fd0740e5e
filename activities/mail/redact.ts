// Task links are secrets (only their hashes are stored: activities/access/tokens.ts), yet the outbox must keep a
// task email's exact bytes while it may still have to be sent again. So the stored copy holds the link only
// until the email is settled (sent or bounced); then every task-link token in it is overwritten in place.
//
// Messages are composed quoted-printable (compose.ts), where the token's characters ([A-Za-z0-9_-]) stand for
// themselves and at most soft line breaks (`=\r\n`) cut through a link. Overwriting the token character by
// character with a placeholder of the same length and kind keeps every line and every soft break where it
// was: the redacted copy is byte for byte the message that would have been composed with the placeholder.
import { TASK_LINK_PATH } from '../access/tokens';

/** Characters of a task-link token: base64url of the 32 random bytes minted by activities/access/tokens.ts. */
export const TASK_TOKEN_LENGTH = 43;

/** What a stored, settled task email shows instead of the token: `…/t/[redacted]---…` (same length). */
export const REDACTED_TOKEN = '[redacted]'.padEnd(TASK_TOKEN_LENGTH, '-');

/**
 * Purposes whose emails carry a link token under the task-link path: their stored copies are redacted once
 * settled. Reminders and overdue notices carry a read-only link to the issuing document (its own token,
 * activities/access/document-links.ts), the task email its task link and the document page under it.
 */
export const TASK_LINK_PURPOSES: ReadonlySet<string> = new Set(['task-assignment', 'reminder', 'overdue-notice']);
/** The purposes an older version stored unredacted (reminders carried no link then): the start-up sweep reads only these. */
export const LEGACY_TASK_LINK_PURPOSES: ReadonlySet<string> = new Set(['task-assignment']);

const TOKEN_CHAR = /[A-Za-z0-9_-]/g;
const SOFT_BREAK = '(?:=\\r\\n)?';
const escapeChar = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** `/t/` then exactly one token, soft line breaks allowed anywhere in between. */
const TASK_LINK = new RegExp(
  `(${[...TASK_LINK_PATH].map(escapeChar).join(SOFT_BREAK)})((?:${SOFT_BREAK}[A-Za-z0-9_-]){${TASK_TOKEN_LENGTH}})(?!${SOFT_BREAK}[A-Za-z0-9_-])`,
  'g',
);

/** The message with every task-link token overwritten by REDACTED_TOKEN; everything else byte-identical. */
export function redactTaskLinks(raw: string): string {
  return raw.replace(TASK_LINK, (_link, path: string, token: string) => {
    let i = 0;
    return path + token.replace(TOKEN_CHAR, () => REDACTED_TOKEN[i++]!);
  });
}

/** The message as a reader of the encoded bytes would search it: soft line breaks removed. */
export function unfoldSoftBreaks(raw: string): string {
  return raw.replace(/=\r\n/g, '');
}
