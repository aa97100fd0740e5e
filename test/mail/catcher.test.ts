import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, type Mailer } from '../../activities/mail/transport';
import { startMailCatcher, type MailCatcher } from '../../client/mailcatcher/catcher';
import type { CaughtMessage } from '../../client/mailcatcher/store';
import { loadConfig } from '../../common/config';

// The embedded mail catcher is the default mail target: a real SMTP server on loopback that keeps messages
// and shows them. Everything from a message is escaped; its HTML only runs inside a sandboxed iframe.

const SUBJECT = 'Đôn đốc nộp kế hoạch năm 2027 – <Công đoàn> & "Ánh Sáng"';
const HOSTILE_HTML = '<p>Kính gửi</p><script>parent.alert(1)</script><img src="https://tracker.example/p.gif">';

let dir: string;
let catcher: MailCatcher;
let mailer: Mailer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baocao-catcher-'));
  catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0, host: '127.0.0.1', storeDir: join(dir, 'mail') });
  // the default target: no SMTP_URL, the catcher's port
  const config = loadConfig({ MAIL_CATCHER_SMTP_PORT: String(catcher.smtpPort) });
  mailer = createMailer(config.mail, { rateLimit: false });
  await mailer.sendMail({
    from: config.mail.from,
    to: { name: 'Vũ Đình Trọng', address: 'congdoan@may-ducgiang.vn' },
    cc: 'chutich@may-ducgiang.vn',
    subject: SUBJECT,
    text: 'Đề nghị đồng chí hoàn thành <trước hạn>.',
    html: HOSTILE_HTML,
    messageId: '<catcher-test@ldld-hn.vn>',
    date: new Date('2027-03-25T01:00:00.000Z'),
  });
});

afterAll(async () => {
  mailer.close();
  await catcher.close();
  await rm(dir, { recursive: true, force: true });
});

const get = async (path: string) => fetch(`${catcher.webUrl}${path}`);

describe('mail catcher', () => {
  it('listens on the ports it was given (0: free ones) on loopback', () => {
    expect(catcher.smtpPort).toBeGreaterThan(0);
    expect(catcher.httpPort).toBeGreaterThan(0);
    expect(catcher.smtpUrl).toBe(`smtp://127.0.0.1:${catcher.smtpPort}`);
    expect(catcher.webUrl).toBe(`http://127.0.0.1:${catcher.httpPort}`);
  });

  it('keeps the parsed message with its envelope, diacritics intact', () => {
    const [m] = catcher.messages();
    expect(m).toMatchObject({
      subject: SUBJECT,
      messageId: '<catcher-test@ldld-hn.vn>',
      date: '2027-03-25T01:00:00.000Z',
      envelope: { from: 'baocao@localhost', to: ['congdoan@may-ducgiang.vn', 'chutich@may-ducgiang.vn'] },
      text: 'Đề nghị đồng chí hoàn thành <trước hạn>.',
      html: HOSTILE_HTML,
    });
    expect(m!.to).toContain('Vũ Đình Trọng');
  });

  it('serves the list as JSON, filterable by recipient', async () => {
    const all = (await (await get('/api/messages')).json()) as CaughtMessage[];
    expect(all.map((m) => m.subject)).toEqual([SUBJECT]);
    const forChair = (await (await get('/api/messages?to=chutich@may-ducgiang.vn')).json()) as CaughtMessage[];
    expect(forChair).toHaveLength(1);
    expect(await (await get('/api/messages?to=nobody@example.org')).json()).toEqual([]);
    const one = (await (await get(`/api/messages/${all[0]!.id}`)).json()) as CaughtMessage;
    expect(one.text).toBe('Đề nghị đồng chí hoàn thành <trước hạn>.');
  });

  it('lists messages with escaped subjects and local times', async () => {
    const res = await get('/');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await res.text();
    expect(page).toContain('Đôn đốc nộp kế hoạch năm 2027 – &lt;Công đoàn&gt; &amp; &quot;Ánh Sáng&quot;');
    expect(page).not.toContain('<Công đoàn>');
    expect(page).toContain('Vũ Đình Trọng');
  });

  it('shows a message: text escaped, HTML only inside a sandboxed iframe', async () => {
    const [m] = catcher.messages();
    const page = await (await get(`/messages/${m!.id}`)).text();
    expect(page).toContain('<pre>Đề nghị đồng chí hoàn thành &lt;trước hạn&gt;.</pre>');
    expect(page).toContain('25/03/2027 08:00:00');
    const iframe = /<iframe ([^>]*)><\/iframe>/.exec(page);
    expect(iframe).not.toBeNull();
    expect(iframe![1]).toContain('sandbox=""');
    expect(iframe![1]).toContain('srcdoc="&lt;p&gt;Kính gửi&lt;/p&gt;&lt;script&gt;parent.alert(1)&lt;/script&gt;&lt;img src=&quot;https://tracker.example/p.gif&quot;&gt;"');
    // the only markup on the page is the catcher's own
    expect(page).not.toMatch(/<script|<img/i);
    expect((await get('/messages/nope')).status).toBe(404);
  });

  it('stores each message as an .eml file and reloads them after a restart', async () => {
    const files = (await readdir(join(dir, 'mail'))).sort();
    expect(files.filter((f) => f.endsWith('.eml'))).toHaveLength(1);
    const eml = await readFile(join(dir, 'mail', files.find((f) => f.endsWith('.eml'))!), 'latin1');
    expect(eml).toContain('Message-ID: <catcher-test@ldld-hn.vn>');
    const raw = await get(`/messages/${catcher.messages()[0]!.id}/raw`);
    expect(raw.headers.get('content-type')).toBe('message/rfc822');
    expect(await raw.text()).toBe(eml);

    const again = await startMailCatcher({ smtpPort: 0, httpPort: 0, storeDir: join(dir, 'mail') });
    try {
      expect(again.messages().map((m) => [m.subject, m.envelope.to])).toEqual([[SUBJECT, ['congdoan@may-ducgiang.vn', 'chutich@may-ducgiang.vn']]]);
    } finally {
      await again.close();
    }
  });
});
