// The key that signs the session cookie: BAOCAO_SECRET when set, else one generated on first start and kept in
// the data directory, so sessions survive a restart without anyone having to configure anything.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../common/config';

export const SECRET_FILE_NAME = 'web-secret';
const MIN_SECRET_CHARS = 32;

export function webSecret(config: Pick<Config, 'web' | 'dataDir'>): string {
  if (config.web.secret) return config.web.secret;
  const file = join(config.dataDir, SECRET_FILE_NAME);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= MIN_SECRET_CHARS) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  // 'wx' refuses to overwrite: if another process won the race, use its secret.
  try {
    writeFileSync(file, `${secret}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw err;
  }
  chmodSync(file, 0o600);
  return secret;
}
