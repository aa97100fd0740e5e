// The web app's security fixes, each tested by the attack or the failure it stops: a sign-in request that
// waited on the mail server (and so told by its timing who is in the directory), a reissued link lost when SMTP
// failed, link tokens written to the logs. Real SMTP servers (one that accepts, one that never answers, none at
// all), a real database; no workflow engine is needed for these paths.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mintUnitToken, revokeUnitTokens, verifyUnitToken } from '../../activities/access/tokens';
import { openMigratedDatabase, type Db } from '../../activities/db/database';
import { upsertUnits } from '../../activities/directory/repository';
import { createMailDispatcher } from '../../activities/mail/dispatcher';
import { findOutboxMessage } from '../../activities/mail/outbox';
import { REDACTED_TOKEN, unfoldSoftBreaks } from '../../activities/mail/redact';
import { createMailer, type Mailer } from '../../activities/mail/transport';
import { loadConfig, type Config } from '../../common/config';
import { BackgroundTasks } from '../../client/web/background';
import { REDACTED_SEGMENT } from '../../client/web/log';
import type { WebDeps } from '../../client/web/ops/deps';
import { reissueUnitLink } from '../../client/web/ops/reissue';
import { SIGNIN_MAIL_PURPOSE } from '../../client/web/signin';
import { CycleTrees } from '../../client/web/tree';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { CookieClient, officerEmail, startWebApp, webTree } from './support';

const CYCLE = 'cycle-2027-LDLD-TN';
const CLOSES_AT = '2028-01-31T16:59:59.000Z';

let sink: SmtpSink;
let client: Client;
let dir: string;
let db: Db;

/** An SMTP server that accepts connections and never says a word (a hung relay). */
async function startSilentSmtp(): Promise<{ url: string; waiting(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    /** clients still connected, waiting for a greeting that never comes */
    waiting: () => sockets.size,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port nothing listens on (an SMTP relay that is down). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  sink = await startSmtpSink();
  client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:9' }) });
});
afterAll(async () => {
  await sink.close();
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baocao-websec-'));
  db = await openMigratedDatabase({ kind: 'sqlite', file: join(dir, 'test.sqlite') });
  await upsertUnits(db, webTree());
  sink.messages.length = 0;
});
afterEach(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('staff sign-in', () => {
  it('answers at once and alike for every address while the mail server hangs; the link waits queued in the outbox', async () => {
    const silent = await startSilentSmtp();
    const config = loadConfig({ BAOCAO_DATA_DIR: dir, SMTP_URL: silent.url });
    const mailer = createMailer(config.mail, { rateLimit: false });
    const web = await startWebApp({ config, db, client, taskQueue: 'web-test', mailer });
    try {
      const http = new CookieClient(web.url);
      const form = await http.request('/signin');
      const ask = (email: string) => http.request('/signin', { form: { _csrf: CookieClient.csrfOf(form.text), email } });
      // Known and unknown addresses get the same page, and neither waits on the relay: sending inside the request
      // would answer only once the mailer gave up on the greeting (30 s), its connection closed by then.
      const known = await ask(officerEmail('LDLD-DONG'));
      const unknown = await ask('nobody@example.vn');
      expect([known.status, unknown.status]).toEqual([200, 200]);
      await expect.poll(() => silent.waiting()).toBeGreaterThan(0);
      expect(known.text.replace(/value="[^"]+"/g, '')).toBe(unknown.text.replace(/value="[^"]+"/g, ''));
      const api = await http.request('/api/signin', { json: { email: officerEmail('CDN-GD') }, headers: { 'x-csrf-token': JSON.parse((await http.request('/api/csrf')).text).token } });
      expect(api.status).toBe(202);

      // After the answer: the known addresses' emails are in the outbox, queued (the relay never answered).
      await expect.poll(async () => (await db.selectFrom('mail_outbox').select('recipients').where('purpose', '=', SIGNIN_MAIL_PURPOSE).execute()).length).toBe(2);
      const rows = await db.selectFrom('mail_outbox').selectAll().where('purpose', '=', SIGNIN_MAIL_PURPOSE).orderBy('recipients').execute();
      expect(rows.map((r) => [JSON.parse(r.recipients), r.status])).toEqual([
        [[officerEmail('CDN-GD')], 'queued'],
        [[officerEmail('LDLD-DONG')], 'queued'],
      ]);
      expect(await db.selectFrom('web_signin_tokens').select('email').orderBy('email').execute()).toEqual([{ email: officerEmail('CDN-GD') }, { email: officerEmail('LDLD-DONG') }]);
    } finally {
      await silent.close(); // the relay drops its connections: the hung deliveries fail, their rows stay queued
      await web.close();
      mailer.close();
    }

    // The relay is back: the queued rows are delivered as stored, and the links sign in.
    const row = (await findOutboxMessage(db, (await db.selectFrom('mail_outbox').select('key').where('recipients', 'like', '%ldld-dong%').executeTakeFirstOrThrow()).key))!;
    const goodConfig = loadConfig({ BAOCAO_DATA_DIR: dir, SMTP_URL: sink.url });
    const good = createMailer(goodConfig.mail, { rateLimit: false });
    try {
      // the dispatcher delivers it, past any back-off of the failed attempt
      await createMailDispatcher({ db, mailer: good, config: goodConfig, log: () => {} }).idle(new Date(Date.now() + 2 * 3_600_000));
      expect((await findOutboxMessage(db, row.key))!.status).toBe('sent');
    } finally {
      good.close();
    }
    expect(sink.messages.map((m) => m.to).sort()).toEqual([[officerEmail('CDN-GD')], [officerEmail('LDLD-DONG')]]);
    for (const m of sink.messages) expect(m.text).toMatch(/\/signin\/[A-Za-z0-9_-]{43}/);
  });
});

describe('reissuing a unit link', () => {
  function depsWith(config: Config, mailer: Mailer, errors: unknown[]): WebDeps {
    return {
      config,
      db,
      client,
      taskQueue: 'web-test',
      mailer,
      trees: new CycleTrees(db),
      now: () => new Date('2027-03-02T03:00:00Z'),
      background: new BackgroundTasks(() => ({ error: (obj: unknown) => errors.push(obj) }) as never),
    };
  }
  const input = { cycleId: CYCLE, unitId: 'CDCS-MAY', planDueAt: '2027-03-15T16:59:59.000Z', reportDueAt: '2027-11-15T16:59:59.000Z', closesAt: CLOSES_AT, by: 'LDLD-DONG', channel: 'web' as const, at: '2027-03-02T03:00:00.000Z' };

  it('leaves the unit a working link when SMTP is down: revoke, new token and queued email are one transaction', async () => {
    const config = loadConfig({ BAOCAO_DATA_DIR: dir, SMTP_URL: `smtp://127.0.0.1:${await deadPort()}` });
    const mailer = createMailer(config.mail, { rateLimit: false });
    const errors: unknown[] = [];
    const deps = depsWith(config, mailer, errors);
    const { token: old } = await mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-MAY', expiresAt: CLOSES_AT });
    try {
      const { revoked, messageKey } = await reissueUnitLink(deps, input);
      expect(revoked).toBe(1);
      await deps.background.idle();
      // the dispatcher's pass after the response found SMTP down: the row stays queued for the worker's retries
      expect(errors).toEqual([]);
      const row = (await findOutboxMessage(db, messageKey))!;
      expect(row).toMatchObject({ status: 'queued', purpose: 'task-assignment', recipients: [officerEmail('CDCS-MAY'), 'chutich.cdcs-may@example.vn'] });
      expect((await db.selectFrom('mail_outbox').select('last_error').where('key', '=', messageKey).executeTakeFirstOrThrow()).last_error).toMatch(/ECONNREFUSED/);
      // the old link is dead, the new one (in the queued email) already works
      await expect(verifyUnitToken(db, old, deps.now())).rejects.toMatchObject({ reason: 'revoked' });
      const fresh = /\/t\/([A-Za-z0-9_-]{43})/.exec(unfoldSoftBreaks(row.raw))![1]!;
      expect(await verifyUnitToken(db, fresh, deps.now())).toEqual({ cycleId: CYCLE, unitId: 'CDCS-MAY' });
      expect(await db.selectFrom('audit_log').select(['kind', 'actor']).where('unit_id', '=', 'CDCS-MAY').execute()).toEqual([{ kind: 'link-reissued', actor: 'LDLD-DONG' }]);

      // SMTP is back: the queued email goes out as stored, then its stored copy loses the token
      const goodConfig = loadConfig({ BAOCAO_DATA_DIR: dir, SMTP_URL: sink.url });
      const good = createMailer(goodConfig.mail, { rateLimit: false });
      try {
        await createMailDispatcher({ db, mailer: good, config: goodConfig, log: () => {} }).idle(new Date(deps.now().getTime() + 2 * 3_600_000));
        expect((await findOutboxMessage(db, row.key))!.status).toBe('sent');
      } finally {
        good.close();
      }
      expect(sink.messages.at(-1)!.text).toContain(`/t/${fresh}`);
      const settled = (await findOutboxMessage(db, messageKey))!;
      expect(unfoldSoftBreaks(settled.raw)).not.toContain(fresh);
      expect(unfoldSoftBreaks(settled.raw)).toContain(REDACTED_TOKEN);
    } finally {
      mailer.close();
    }
  });

  it('changes nothing when the new link cannot be stored: the old link keeps working', async () => {
    const config = loadConfig({ BAOCAO_DATA_DIR: dir, SMTP_URL: sink.url });
    const mailer = createMailer(config.mail, { rateLimit: false });
    const deps = depsWith(config, mailer, []);
    const { token: old } = await mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-MAY', expiresAt: CLOSES_AT });
    try {
      // the token insert fails inside the transaction, after the revocation
      await expect(reissueUnitLink(deps, { ...input, closesAt: 'not an instant' })).rejects.toThrow();
      expect(await verifyUnitToken(db, old, deps.now())).toEqual({ cycleId: CYCLE, unitId: 'CDCS-MAY' });
      expect(await db.selectFrom('mail_outbox').selectAll().execute()).toEqual([]);
      expect(await db.selectFrom('access_tokens').selectAll().execute()).toHaveLength(1);
    } finally {
      mailer.close();
    }
  });
});

describe('logs', () => {
  it('never hold a link token, whatever the route, status or level', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const config = loadConfig({ BAOCAO_DATA_DIR: dir, SMTP_URL: sink.url });
    const mailer = createMailer(config.mail, { rateLimit: false });
    const web = await startWebApp({ config, db, client, taskQueue: 'web-test', mailer, logger: { level: 'trace', stream } });
    try {
      const { token: revoked } = await mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-MAY', expiresAt: CLOSES_AT });
      await revokeUnitTokens(db, { cycleId: CYCLE, unitId: 'CDCS-MAY' });
      const unknown = 'Z'.repeat(43);
      const signin = 'S'.repeat(43);
      const http = new CookieClient(web.url);
      const statuses = [
        (await http.request(`/t/${revoked}`)).status,
        (await http.request(`/t/${revoked}?lang=en`)).status,
        (await http.request(`/t/${revoked}/nowhere/else`)).status,
        (await http.request(`/t/${revoked}/plan`, { form: { title: 'x' } })).status,
        (await http.request(`/api/t/${revoked}`)).status,
        (await http.request(`/t/${unknown}`)).status,
        (await http.request(`/signin/${signin}`)).status,
      ];
      expect(statuses).toEqual([410, 410, 404, 403, 410, 404, 410]);
      const log = lines.join('');
      expect(lines.length).toBeGreaterThanOrEqual(statuses.length * 2);
      for (const secret of [revoked, unknown, signin]) expect(log).not.toContain(secret);
      expect(log).toContain(`/t/${REDACTED_SEGMENT}/nowhere/else`);
      expect(log).toContain(`/signin/${REDACTED_SEGMENT}`);
    } finally {
      await web.close();
      mailer.close();
    }
  });
});
