// The key that signs the session cookie: BAOCAO_SECRET when set, else one generated on first start and kept in
// the data directory, so sessions survive a restart without anyone having to configure anything. A key file
// that exists but is empty or short (a crash while it was written, a hand edit) is refused rather than used:
// a short key would let anyone forge session and CSRF cookies.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../common/config';

export const SECRET_FILE_NAME = 'web-secret';
export const MIN_SECRET_CHARS = 32;

/** The data directory's key file exists but cannot be a key: say which file and what to do. */
export class WebSecretFileError extends Error {
  readonly code = 'WebSecretFileError';
  constructor(
    readonly file: string,
    length: number,
  ) {
    super(
      `The web app's key file ${file} holds ${length} character(s), fewer than the ${MIN_SECRET_CHARS} a cookie key needs: ` +
        `delete it to have a new key generated at the next start (everyone signs in again), or set BAOCAO_SECRET. / ` +
        `Tệp khoá ${file} chỉ có ${length} ký tự (cần ít nhất ${MIN_SECRET_CHARS}): xoá tệp để hệ thống tạo khoá mới, hoặc đặt BAOCAO_SECRET.`,
    );
    this.name = 'WebSecretFileError';
  }
}

function checked(file: string, content: string): string {
  const key = content.trim();
  if (key.length < MIN_SECRET_CHARS) throw new WebSecretFileError(file, key.length);
  return key;
}

export function webSecret(config: Pick<Config, 'web' | 'dataDir'>): string {
  if (config.web.secret) return config.web.secret;
  const file = join(config.dataDir, SECRET_FILE_NAME);
  try {
    return checked(file, readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  // 'wx' refuses to overwrite: if another process won the race, use its secret.
  try {
    writeFileSync(file, `${secret}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return checked(file, readFileSync(file, 'utf8'));
    throw err;
  }
  chmodSync(file, 0o600);
  return secret;
}
