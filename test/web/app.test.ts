// The web app over HTTP without a workflow engine: security headers, languages, link errors, CSRF, staff
// sign-in by one-time email link (through a real SMTP server), sessions, scopes, rate limits, the API contract.
// Pages that need the workflows are covered by the browser test (e2e.test.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listLinkSessions } from '../../activities/access/sessions';
import { mintUnitToken, revokeUnitTokens } from '../../activities/access/tokens';
import { openMigratedDatabase, type Db } from '../../activities/db/database';
import { snapshotCycleTree, upsertUnits } from '../../activities/directory/repository';
import { createMailer, type Mailer } from '../../activities/mail/transport';
import { loadConfig, type Config } from '../../common/config';
import { TITLE_MAX_BYTES } from '../../workflows/report';
import { buildWebApp } from '../../client/web/app';
import { SECRET_FILE_NAME, webSecret, WebSecretFileError } from '../../client/web/secret';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { CookieClient, officerEmail, signInByEmail, startWebApp, webTree, type RunningWebApp } from './support';

let dir: string;
let sink: SmtpSink;
let config: Config;
let db: Db;
let mailer: Mailer;
let client: Client;
let web: RunningWebApp;

const CYCLE = 'cycle-2027-LDLD-TN';

beforeAll(async () => {
  sink = await startSmtpSink();
  // Nothing listens there: these tests never reach the workflow engine.
  client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:9' }) });
});
afterAll(async () => {
  await sink.close();
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baocao-web-'));
  config = loadConfig({ BAOCAO_DATA_DIR: dir, SMTP_URL: sink.url });
  db = await openMigratedDatabase(config.database);
  await upsertUnits(db, webTree());
  mailer = createMailer(config.mail, { rateLimit: false });
  sink.messages.length = 0;
  web = await startWebApp({ config, db, client, taskQueue: 'web-test', mailer });
});
afterEach(async () => {
  await web.close();
  mailer.close();
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const signIn = (email: string) => signInByEmail(web.url, sink, email);

describe('every response', () => {
  it('has Referrer-Policy: no-referrer and never caches pages, whatever the status', async () => {
    const http = new CookieClient(web.url);
    for (const path of ['/healthz', '/signin', '/nowhere', '/t/not-a-token', '/api/cycles', '/cycles/new']) {
      const res = await http.request(path);
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    const health = await http.request('/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toEqual({ status: 'ok' });
  });

  it('is Vietnamese by default, English with ?lang=en, and remembers the choice in a cookie', async () => {
    const http = new CookieClient(web.url);
    const vi = await http.request('/signin');
    expect(vi.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(vi.text).toContain('<html lang="vi">');
    expect(vi.text).toContain('Đăng nhập cho cán bộ');
    const en = await http.request('/signin?lang=en');
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Staff sign-in');
    expect(http.cookies.get('lang')).toBe('en');
    const again = await http.request('/nowhere');
    expect(again.status).toBe(404);
    expect(again.text).toContain('Page not found');
  });
});

describe('unit links', () => {
  it('explains a wrong, an expired and a revoked link in the reader’s language, without internals', async () => {
    const http = new CookieClient(web.url);
    const wrong = await http.request('/t/abc');
    expect(wrong.status).toBe(404);
    expect(wrong.text).toContain('Đường liên kết không hợp lệ');

    const { token: expired } = await mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-MAY', expiresAt: '2020-01-01T00:00:00Z' });
    const exp = await http.request(`/t/${expired}`);
    expect(exp.status).toBe(410);
    expect(exp.text).toContain('Đường liên kết đã hết hạn');

    const { token: revoked } = await mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-KD', expiresAt: '2100-01-01T00:00:00Z' });
    await revokeUnitTokens(db, { cycleId: CYCLE, unitId: 'CDCS-KD' });
    const rev = await http.request(`/t/${revoked}?lang=en`);
    expect(rev.status).toBe(410);
    expect(rev.text).toContain('This link was revoked');
    for (const page of [wrong.text, exp.text, rev.text]) {
      expect(page).not.toMatch(/at .*\.ts:\d+|Error:|stack/i);
    }
    // The API says the same, as JSON.
    const api = await http.request(`/api/t/${expired}`);
    expect(api.status).toBe(410);
    expect(JSON.parse(api.text)).toMatchObject({ error: 'LinkExpired' });
  });

  it('says the engine is unreachable (503) instead of hanging or showing internals', async () => {
    const { token } = await mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-MAY', expiresAt: '2100-01-01T00:00:00Z' });
    const res = await new CookieClient(web.url).request(`/t/${token}`);
    expect(res.status).toBe(503);
    expect(res.text).toContain('Hệ thống xử lý chu kỳ báo cáo tạm thời không truy cập được');
    expect(res.text).not.toMatch(/ServiceError|grpc|127\.0\.0\.1:9/i);
  });

  it("lets the unit's officer see every browser that used its link and end one: the ended browser is refused", async () => {
    const { token } = await mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-MAY', expiresAt: '2100-01-01T00:00:00Z' });
    const csrfOf = async (http: CookieClient) => (JSON.parse((await http.request('/api/csrf')).text) as { token: string }).token;
    const draft = async (http: CookieClient, userAgent: string) =>
      http.request(`/t/${token}/plan`, { form: { _csrf: await csrfOf(http), action: 'draft', title: 'Nháp', body: 'x' }, headers: { 'user-agent': userAgent } });
    const officer = new CookieClient(web.url);
    const intruder = new CookieClient(web.url);
    expect((await draft(officer, 'Mozilla/5.0 (Linux; Android 14) officer phone')).status).toBe(303);
    expect((await draft(officer, 'Mozilla/5.0 (Linux; Android 14) officer phone')).status).toBe(303);
    expect((await draft(intruder, 'curl/8.5 (forwarded link)')).status).toBe(303);
    const sessions = await listLinkSessions(db, { cycleId: CYCLE, unitId: 'CDCS-MAY' });
    expect(sessions.map((x) => x.userAgent).sort()).toEqual(['Mozilla/5.0 (Linux; Android 14) officer phone', 'curl/8.5 (forwarded link)']);
    // the cookie carries the session id, the table only its hash
    const cookie = [...officer.cookies].find(([name]) => name.startsWith('baocao_link_'))![1];
    expect(JSON.stringify(await db.selectFrom('unit_link_sessions').selectAll().execute())).not.toContain(decodeURIComponent(cookie).split('.')[0]);

    const theirs = sessions.find((x) => x.userAgent.startsWith('curl'))!;
    const ended = await officer.request(`/t/${token}/sessions/end`, { form: { _csrf: await csrfOf(officer), session: theirs.id } });
    expect(ended.status).toBe(303);
    expect(ended.headers.get('location')).toBe(`/t/${token}?done=session-ended#sessions`);
    const refused = await intruder.request(`/t/${token}?lang=en`);
    expect(refused.status).toBe(410);
    expect(refused.text).toContain('This session was ended');
    expect((await draft(intruder, 'curl/8.5 (forwarded link)')).status).toBe(410);
    expect((await draft(officer, 'Mozilla/5.0 (Linux; Android 14) officer phone')).status).toBe(303);
    // a unit cannot end another unit's sessions, nor one twice
    const { token: other } = await mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-KD', expiresAt: '2100-01-01T00:00:00Z' });
    const mine = (await listLinkSessions(db, { cycleId: CYCLE, unitId: 'CDCS-MAY' })).find((x) => !x.endedAt)!;
    const stranger = new CookieClient(web.url);
    expect((await stranger.request(`/t/${other}/sessions/end`, { form: { _csrf: await csrfOf(stranger), session: mine.id } })).status).toBe(404);
    expect((await officer.request(`/t/${token}/sessions/end`, { form: { _csrf: await csrfOf(officer), session: theirs.id } })).status).toBe(404);
    expect((await listLinkSessions(db, { cycleId: CYCLE, unitId: 'CDCS-MAY' })).find((x) => x.id === mine.id)!.endedAt).toBeNull();
  });

  it('refuses a POST without a valid CSRF token, before looking at the link', async () => {
    const { token } = await mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-MAY', expiresAt: '2100-01-01T00:00:00Z' });
    const http = new CookieClient(web.url);
    const res = await http.request(`/t/${token}/plan`, { form: { action: 'draft', title: 'x', body: 'y' } });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Biểu mẫu đã hết hiệu lực');
    const forged = await http.request(`/t/${token}/plan`, { form: { _csrf: 'forged', action: 'draft', title: 'x', body: 'y' } });
    expect(forged.status).toBe(403);
    expect(await db.selectFrom('web_drafts').selectAll().execute()).toEqual([]);
  });

  it('rate-limits the link endpoints', async () => {
    await web.close();
    web = await startWebApp({ config, db, client, taskQueue: 'web-test', mailer, rateLimits: { token: { max: 3, timeWindow: '10 minutes' } } });
    const http = new CookieClient(web.url);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await http.request('/t/abc')).status);
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    expect((await http.request('/t/abc')).text).toContain('Quá nhiều yêu cầu');
  });

  it('behind a reverse proxy counts the address the proxy saw, not what the client wrote into X-Forwarded-For', async () => {
    const limits = { token: { max: 2, timeWindow: '10 minutes' } };
    // The proxy appends the address it saw (203.0.113.7) to whatever the client sent; the client sends a new
    // made-up address each time to look like a new visitor.
    let forged = 0;
    const viaProxy = (http: CookieClient, client: string) => http.request('/t/abc', { headers: { 'x-forwarded-for': `198.18.0.${++forged}, ${client}` } });
    for (const setting of ['1', '127.0.0.1', '10.0.0.0/8,127.0.0.0/8']) {
      await web.close();
      const proxied = loadConfig({ BAOCAO_DATA_DIR: dir, SMTP_URL: sink.url, BAOCAO_TRUST_PROXY: setting });
      web = await startWebApp({ config: proxied, db, client, taskQueue: 'web-test', mailer, rateLimits: limits });
      const http = new CookieClient(web.url);
      const statuses = [(await viaProxy(http, '203.0.113.7')).status, (await viaProxy(http, '203.0.113.7')).status, (await viaProxy(http, '203.0.113.7')).status];
      expect(statuses, `BAOCAO_TRUST_PROXY=${setting}`).toEqual([404, 404, 429]);
      // another client behind the same proxy has its own count
      expect((await viaProxy(http, '198.51.100.20')).status).toBe(404);
    }
    // Trusting every hop would take the client's leftmost entry: refused, with what to set instead.
    expect(() => loadConfig({ BAOCAO_DATA_DIR: dir, BAOCAO_TRUST_PROXY: 'true' })).toThrow(/BAOCAO_TRUST_PROXY.*number of proxies/s);
    expect(() => loadConfig({ BAOCAO_DATA_DIR: dir, BAOCAO_TRUST_PROXY: '10.0.0.300' })).toThrow(/not addresses: 10\.0\.0\.300/);

    // Without a proxy the header is the client's own claim: ignored, every request counts for the peer.
    await web.close();
    expect(config.web.trustProxy).toBe(false);
    web = await startWebApp({ config, db, client, taskQueue: 'web-test', mailer, rateLimits: limits });
    const direct = new CookieClient(web.url);
    const b = [(await viaProxy(direct, '203.0.113.7')).status, (await viaProxy(direct, '198.51.100.20')).status, (await viaProxy(direct, '192.0.2.1')).status];
    expect(b).toEqual([404, 404, 429]);
  });
});

describe('staff sign-in', () => {
  it('emails a one-time link to a directory address; opening it changes nothing, confirming signs in once', async () => {
    const email = officerEmail('LDLD-TN');
    const http = new CookieClient(web.url);
    const form = await http.request('/signin');
    const res = await http.request('/signin', { form: { _csrf: CookieClient.csrfOf(form.text), email: email.toUpperCase() } });
    expect(res.text).toContain('Kiểm tra hộp thư');
    await sink.waitFor((m) => m.some((x) => x.to.includes(email)));
    const mail = sink.messages.find((m) => m.to.includes(email))!;
    expect(mail.subject).toBe('Đường liên kết đăng nhập hệ thống theo dõi kế hoạch, báo cáo');
    const path = new URL(/(http:\/\/127\.0\.0\.1:\d+\/signin\/\S+)/.exec(mail.text)![1]!).pathname;
    const row = await db.selectFrom('web_signin_tokens').selectAll().executeTakeFirstOrThrow();
    expect(row.token_hash).not.toContain(path.split('/').pop());

    // A mail scanner opening the link twice does not use it up.
    const browser = new CookieClient(web.url);
    const first = await browser.request(path);
    const second = await browser.request(path);
    expect(second.status).toBe(200);
    expect(second.text).toContain(email);
    expect((await db.selectFrom('web_signin_tokens').select('used_at').executeTakeFirstOrThrow()).used_at).toBeNull();

    const done = await browser.request(path, { form: { _csrf: CookieClient.csrfOf(first.text) } });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/');
    expect(browser.cookies.get('baocao_session')).toBeTruthy();
    const home = await browser.request('/');
    expect(home.text).toContain('Liên đoàn Lao động tỉnh Thái Nguyên');
    expect(home.text).toContain('Bắt đầu chu kỳ báo cáo mới');

    // The same link again: refused.
    const other = new CookieClient(web.url);
    const page = await other.request(path);
    expect(page.status).toBe(410);
    const reuse = await browser.request(path, { form: { _csrf: CookieClient.csrfOf(home.text) } });
    expect(reuse.status).toBe(410);
  });

  it('answers an unknown address exactly like a known one, and sends nothing', async () => {
    const http = new CookieClient(web.url);
    const form = await http.request('/signin');
    const res = await http.request('/signin', { form: { _csrf: CookieClient.csrfOf(form.text), email: 'nobody@example.vn' } });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Kiểm tra hộp thư');
    const known = await http.request('/signin', { form: { _csrf: CookieClient.csrfOf(form.text), email: officerEmail('CDN-GD') } });
    expect(known.text.replace(/value="[^"]+"/g, '')).toBe(res.text.replace(/value="[^"]+"/g, ''));
    await sink.waitFor((m) => m.some((x) => x.to.includes(officerEmail('CDN-GD'))));
    expect(sink.messages.some((m) => m.to.includes('nobody@example.vn'))).toBe(false);
  });

  it('shows a field error for a malformed address, in the page language', async () => {
    const http = new CookieClient(web.url);
    const form = await http.request('/signin?lang=en');
    const res = await http.request('/signin', { form: { _csrf: CookieClient.csrfOf(form.text), email: 'not an address' } });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Not a valid email address.');
  });

  it('rate-limits sign-in requests', async () => {
    await web.close();
    web = await startWebApp({ config, db, client, taskQueue: 'web-test', mailer, rateLimits: { signinRequest: { max: 2, timeWindow: '10 minutes' } } });
    const http = new CookieClient(web.url);
    const form = await http.request('/signin');
    const post = () => http.request('/signin', { form: { _csrf: CookieClient.csrfOf(form.text), email: 'nobody@example.vn' } });
    expect([(await post()).status, (await post()).status, (await post()).status]).toEqual([200, 200, 429]);
  });

  it('signs out: the session stops working on the server, not only in the browser', async () => {
    const http = await signIn(officerEmail('LDLD-DONG'));
    const session = http.cookies.get('baocao_session')!;
    const home = await http.request('/');
    const out = await http.request('/signout', { form: { _csrf: CookieClient.csrfOf(home.text) } });
    expect(out.status).toBe(303);
    const replay = new CookieClient(web.url);
    replay.cookies.set('baocao_session', session);
    const api = await replay.request('/api/cycles');
    expect(api.status).toBe(401);
  });

  it('gives a staff member their unit and the units below it, nothing else', async () => {
    await snapshotCycleTree(db, { cycleId: CYCLE, rootId: 'LDLD-TN', asOf: '2026-11-01' });
    const http = await signIn(officerEmail('LDLD-DONG'));
    const home = await http.request('/');
    expect(home.text).toContain('Liên đoàn Lao động huyện Đồng Hỷ');
    expect(home.text).toContain(CYCLE);
    expect(home.text).not.toContain('Bắt đầu chu kỳ báo cáo mới');
    // A unit of another branch, and the root above: forbidden (page and API).
    const other = await http.request(`/cycles/${CYCLE}/units/CDCS-KD`);
    expect(other.status).toBe(403);
    expect(other.text).toContain('Không có quyền truy cập');
    expect((await http.request(`/api/cycles/${CYCLE}/units/LDLD-TN`)).status).toBe(403);
    expect((await http.request(`/cycles/${CYCLE}?unit=LDLD-TN`)).status).toBe(403);
    // Only the secretariat starts cycles.
    expect((await http.request('/cycles/new')).status).toBe(403);
  });

  it('applies the same scope to every unit of a bulk extension: units outside it are refused one by one, with the reason', async () => {
    await snapshotCycleTree(db, { cycleId: CYCLE, rootId: 'LDLD-TN', asOf: '2026-11-01' });
    const http = await signIn(officerEmail('LDLD-DONG'));
    const csrf = (JSON.parse((await http.request('/api/csrf')).text) as { token: string }).token;
    const post = (json: unknown) => http.request(`/api/cycles/${CYCLE}/extend-selection`, { json, headers: { 'x-csrf-token': csrf } });
    // another branch, and the district itself (only the unit above it extends it): neither is this officer's to extend
    const res = await post({ items: [{ unitId: 'CDCS-KD', phase: 'plan' }, { unitId: 'LDLD-DONG', phase: 'report' }], until: '2027-04-30', reason: 'Lũ lụt' });
    expect(res.status).toBe(200);
    expect((JSON.parse(res.text) as { results: unknown[] }).results).toEqual([
      { unitId: 'CDCS-KD', phase: 'plan', name: 'Công đoàn cơ sở Trường Tiểu học Kim Đồng', ok: false, problem: 'outside your units / ngoài phạm vi các đơn vị của bạn' },
      { unitId: 'LDLD-DONG', phase: 'report', name: 'Liên đoàn Lao động huyện Đồng Hỷ', ok: false, problem: 'only the supervisor of LDLD-DONG or the secretariat extends its deadlines / chỉ cấp trên trực tiếp hoặc văn phòng gia hạn được cho đơn vị này' },
    ]);
    const bad = await post({ items: [], until: '30/04/2027' });
    expect(bad.status).toBe(400);
    expect(Object.keys((JSON.parse(bad.text) as { fields: Record<string, string> }).fields).sort()).toEqual(['items', 'until']);
  });

  it('sends anonymous visitors of staff pages to the sign-in page, and the API answers 401', async () => {
    const http = new CookieClient(web.url);
    const page = await http.request(`/cycles/${CYCLE}`);
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/signin/);
    const api = await http.request('/api/cycles');
    expect(api.status).toBe(401);
    expect(JSON.parse(api.text).error).toBe('SignInRequired');
  });

  it('escapes what the directory holds: a hostile unit name is text, not markup', async () => {
    const hostile = webTree().find((u) => u.id === 'CDN-GD')!;
    await upsertUnits(db, [{ ...hostile, name: '<script>alert("x")</script> Công đoàn' }]);
    const http = await signIn(officerEmail('CDN-GD'));
    const home = await http.request('/');
    expect(home.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Công đoàn');
    expect(home.text).not.toContain('<script>');
    expect(home.headers.get('content-security-policy')).toContain("default-src 'none'");
  });
});

describe('the deadline preview (no workflow needed)', () => {
  it('shows the plan per level before anything starts, and starts nothing', async () => {
    const http = await signIn(officerEmail('LDLD-TN'));
    const res = await http.request('/cycles/new?year=2027&root=LDLD-TN&reportDue=annual&preview=1');
    expect(res.status).toBe(200);
    // Three levels: root, intermediates, grassroots; lower levels are due earlier.
    const rows = [...res.text.matchAll(/<tr data-depth="(\d)"><td>[^<]*<\/td><td>([^<]+)<\/td>/g)].map((m) => m[2]!);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('/03/2027');
    expect(res.text).toContain('Xác nhận bắt đầu chu kỳ');
    expect(await db.selectFrom('cycle_snapshots').selectAll().execute()).toEqual([]);

    const bad = await http.request('/cycles/new?year=19&root=LDLD-TN&reportDue=annual&preview=1&lang=en');
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Must be at least 2000.');
  });
});

describe('the JSON API contract', () => {
  it('serves an OpenAPI document whose request bodies come from the workflow schemas', async () => {
    const http = new CookieClient(web.url);
    const res = await http.request('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = JSON.parse(res.text);
    expect(doc.openapi).toBe('3.1.0');
    const plan = doc.components.schemas.SubmitPlan;
    expect(plan.properties.content.required).toEqual(expect.arrayContaining(['title', 'body']));
    expect(plan.properties.content.properties.title.maxLength).toBe(TITLE_MAX_BYTES); // every character is at least one byte
    expect(doc.components.schemas.Review.oneOf ?? doc.components.schemas.Review.anyOf).toHaveLength(2);
    for (const path of ['/api/t/{token}/{phase}', '/api/cycles/{cycleId}/supervise', '/api/cycles/{cycleId}/units/{unitId}/review']) expect(doc.paths[path]).toBeDefined();
  });

  it('validates API bodies with the workflow schemas and names the failing fields', async () => {
    const { token } = await mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-MAY', expiresAt: '2100-01-01T00:00:00Z' });
    const http = new CookieClient(web.url);
    const { token: csrf } = JSON.parse((await http.request('/api/csrf')).text) as { token: string };
    const res = await http.request(`/api/t/${token}/plan?lang=en`, { json: { content: { title: '', body: 'x', extra: 1 } }, headers: { 'x-csrf-token': csrf } });
    expect(res.status).toBe(400);
    const body = JSON.parse(res.text);
    expect(body.error).toBe('InvalidInput');
    expect(body.fields['content.title']).toBe('Required.');
    const noCsrf = await http.request(`/api/t/${token}/plan`, { json: { content: { title: 'a', body: 'b' } } });
    expect(noCsrf.status).toBe(403);
  });

  it('saves a unit draft through the API (server side, readable from any device)', async () => {
    const { token } = await mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-MAY', expiresAt: '2100-01-01T00:00:00Z' });
    const http = new CookieClient(web.url);
    const { token: csrf } = JSON.parse((await http.request('/api/csrf')).text) as { token: string };
    const res = await http.request(`/api/t/${token}/drafts/plan`, { json: { form: { title: 'Kế hoạch năm 2027', body: 'Nội dung đang soạn…' } }, headers: { 'x-csrf-token': csrf } });
    expect(res.status).toBe(204);
    const row = await db.selectFrom('web_drafts').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ cycle_id: CYCLE, unit_id: 'CDCS-MAY', phase: 'plan' });
    expect(JSON.parse(row.content_json)).toEqual({ title: 'Kế hoạch năm 2027', number: '', body: 'Nội dung đang soạn…' });
  });
});

describe('the session secret', () => {
  it('is generated once into the data directory when BAOCAO_SECRET is unset, and reused', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'baocao-secret-'));
    try {
      const c = loadConfig({ BAOCAO_DATA_DIR: fresh });
      const first = webSecret(c);
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(readFileSync(join(fresh, SECRET_FILE_NAME), 'utf8').trim()).toBe(first);
      expect(webSecret(c)).toBe(first);
      expect(webSecret(loadConfig({ BAOCAO_DATA_DIR: fresh, BAOCAO_SECRET: 'configured-secret-0123456789' }))).toBe('configured-secret-0123456789');
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('is refused when the key file is empty or short: nobody can forge cookies signed with a guessable key', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'baocao-secret-'));
    try {
      const c = loadConfig({ BAOCAO_DATA_DIR: fresh, SMTP_URL: sink.url });
      for (const content of ['', '\n', 'short-key\n']) {
        writeFileSync(join(fresh, SECRET_FILE_NAME), content);
        expect(() => webSecret(c)).toThrow(WebSecretFileError);
        expect(() => webSecret(c)).toThrow(/delete it to have a new key generated/);
        // the app does not start on it (an empty key would sign session cookies anyone can forge)
        expect(() => buildWebApp({ config: c, db, client, taskQueue: 'web-test', mailer })).toThrow(WebSecretFileError);
        // and the file is left as found, for whoever investigates
        expect(readFileSync(join(fresh, SECRET_FILE_NAME), 'utf8')).toBe(content);
      }
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
