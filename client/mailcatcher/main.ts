// `npm start` runs this (or `npx tsx client/mailcatcher/main.ts`): the mail catcher on the ports of the
// configuration, keeping messages under <data dir>/mail.
import { join } from 'node:path';
import { loadConfig } from '../../common/config';
import { MAIL_CATCHER_HOST } from '../../activities/mail/transport';
import { startMailCatcher } from './catcher';

async function main() {
  const config = loadConfig();
  const catcher = await startMailCatcher({
    smtpPort: config.mail.catcherSmtpPort,
    httpPort: config.mail.catcherHttpPort,
    host: MAIL_CATCHER_HOST,
    storeDir: join(config.dataDir, 'mail'),
  });
  process.stdout.write(`[mailcatcher] SMTP ${catcher.smtpUrl}\n[mailcatcher] web  ${catcher.webUrl}\n`);
  if (config.mail.smtpUrl) {
    process.stdout.write('[mailcatcher] note: SMTP_URL is set, so baocao sends to that server, not to this catcher\n');
  }
  const stop = () => {
    catcher.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`[mailcatcher] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
