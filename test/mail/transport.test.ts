import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMailer, MAIL_CATCHER_HOST, rateWindow, senderAddress, smtpTarget } from '../../activities/mail/transport';
import { loadConfig } from '../../common/config';
import { startSmtpSink } from '../support/smtp-sink';

describe('transport', () => {
  it('targets the embedded catcher on loopback unless SMTP_URL is set', () => {
    expect(smtpTarget(loadConfig({ MAIL_CATCHER_SMTP_PORT: '2525' }).mail)).toEqual({ host: MAIL_CATCHER_HOST, port: 2525, secure: false, ignoreTLS: true });
    expect(smtpTarget(loadConfig({ SMTP_URL: 'smtps://user:p%40ss@mail.ldld-hn.vn:465' }).mail)).toMatchObject({
      host: 'mail.ldld-hn.vn',
      port: 465,
      secure: true,
      auth: { user: 'user', pass: 'p@ss' },
    });
  });

  it('turns messages per second into a pool-wide limiter window', () => {
    expect(rateWindow(10)).toEqual({ rateLimit: 10, rateDelta: 1000 });
    expect(rateWindow(2.5)).toEqual({ rateLimit: 2, rateDelta: 1000 });
    expect(rateWindow(0.5)).toEqual({ rateLimit: 1, rateDelta: 2000 });
  });

  it('is a pool of poolSize connections with the configured rate', () => {
    const mailer = createMailer(loadConfig({ MAIL_POOL_SIZE: '7', MAIL_RATE_PER_SECOND: '20' }).mail);
    try {
      const options = (mailer.transporter as unknown as { options: Record<string, unknown> }).options;
      expect(options).toMatchObject({ pool: true, maxConnections: 7, rateLimit: 20, rateDelta: 1000, host: MAIL_CATCHER_HOST });
    } finally {
      mailer.close();
    }
  });

  it('keeps sending once a relay that refused more connections than the pool holds is back', async () => {
    const sink = await startSmtpSink();
    await sink.refuseConnections();
    const mailer = createMailer(loadConfig({ SMTP_URL: sink.url, MAIL_POOL_SIZE: '2' }).mail, { rateLimit: false });
    const send = () => mailer.sendMail({ envelope: { from: 'baocao@ldld-hn.vn', to: ['a@example.org'] }, raw: 'Subject: x\r\n\r\nx\r\n' });
    try {
      for (let i = 0; i < 3; i++) {
        const outcomes = await Promise.allSettled([send(), send(), send()]);
        expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
      }
      await sink.acceptConnections();
      await send();
      expect(sink.messages).toHaveLength(1);
    } finally {
      mailer.close();
      await sink.close();
    }
  });

  it('reads the sender and the Message-ID domain from MAIL_FROM', () => {
    expect(senderAddress('"Ban Tuyên giáo – LĐLĐ Hà Nội" <BaoCao@LDLD-HN.vn>')).toEqual({ name: 'Ban Tuyên giáo – LĐLĐ Hà Nội', address: 'BaoCao@LDLD-HN.vn', domain: 'ldld-hn.vn' });
    expect(() => senderAddress('Ban Tuyên giáo')).toThrow(/MAIL_FROM/);
  });

  it('DKIM-signs when configured, also the stored raw messages the outbox sends', async () => {
    const sink = await startSmtpSink();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const config = loadConfig({
      SMTP_URL: sink.url,
      MAIL_DKIM_DOMAIN: 'ldld-hn.vn',
      MAIL_DKIM_SELECTOR: 'baocao',
      MAIL_DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    const mailer = createMailer(config.mail, { rateLimit: false });
    try {
      const raw = 'From: baocao@ldld-hn.vn\r\nTo: a@example.org\r\nSubject: =?UTF-8?Q?Ki=E1=BB=83m_tra?=\r\nMessage-ID: <x@ldld-hn.vn>\r\n\r\nN=E1=BB=99i dung\r\n';
      await mailer.sendMail({ envelope: { from: 'baocao@ldld-hn.vn', to: ['a@example.org'] }, raw });
      const head = sink.messages[0]!.raw.toString('latin1').split('\r\n\r\n')[0]!;
      expect(head).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256;/);
      expect(head).toMatch(/ d=ldld-hn\.vn;/);
      expect(head).toMatch(/ s=baocao;/);
      expect(sink.messages[0]!.raw.toString('latin1')).toContain(raw);
    } finally {
      mailer.close();
      await sink.close();
    }
  });
});
