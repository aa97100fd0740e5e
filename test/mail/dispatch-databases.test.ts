// The outbox on both databases: migration 0007 takes over the rows an older version left `sending`, and several
// dispatchers (worker processes) on one database deliver every email once.
import { Migrator, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../activities/db/database';
import { migrations } from '../../activities/db/migrations';
import { upsertUnits } from '../../activities/directory/repository';
import { createMailActivities } from '../../activities/mail/activities';
import { createMailDispatcher } from '../../activities/mail/dispatcher';
import { createMailer } from '../../activities/mail/transport';
import { testDatabases, type TestDatabase } from '../db/databases';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { CYCLE, NOW, PLAN_DUE, testConfig, UNITS } from './support/fixtures';

describe.each(testDatabases())('the outbox on $name', (kind) => {
  let t: TestDatabase | undefined;
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await t?.dispose();
    await sink?.close();
    t = undefined;
    sink = undefined;
  });

  it('migration 0007 turns a row left `sending` into a queued row the dispatcher delivers', async () => {
    t = await kind.open({ migrate: false });
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0007'));
    const migrator = new Migrator({ db: t.db, provider: { getMigrations: async () => before }, ...(t.schema ? { migrationTableSchema: t.schema } : {}) });
    expect((await t.migrating(() => migrator.migrateToLatest())).error).toBeUndefined();
    const at = '2027-03-25T01:00:00.000Z';
    const raw = 'From: baocao@ldld-hn.vn\r\nTo: congdoan@may-ducgiang.vn\r\nSubject: x\r\nMessage-ID: <old@ldld-hn.vn>\r\n\r\nx\r\n';
    const values = (key: string, status: string) => ({
      key,
      message_id: `<${key}@ldld-hn.vn>`,
      purpose: 'overdue-notice',
      cycle_id: CYCLE,
      unit_id: 'CDCS-0412',
      envelope_from: 'baocao@ldld-hn.vn',
      recipients: '["congdoan@may-ducgiang.vn"]',
      accepted: '[]',
      rejected: '[]',
      subject: 'x',
      raw,
      status,
      attempts: 2,
      last_error: null,
      created_at: at,
      updated_at: at,
      sent_at: null,
    });
    for (const [key, status] of [['old-sending', 'sending'], ['old-sent', 'sent']] as const) {
      await (t.db as unknown as Kysely<Record<string, Record<string, unknown>>>).insertInto('mail_outbox').values(values(key, status)).execute();
    }
    await migrateToLatest(t.db);
    const rows = await t.db.selectFrom('mail_outbox').select(['key', 'status', 'next_attempt_at', 'attempts']).orderBy('key').execute();
    expect(rows).toEqual([
      { key: 'old-sending', status: 'queued', next_attempt_at: at, attempts: 2 },
      { key: 'old-sent', status: 'sent', next_attempt_at: at, attempts: 2 },
    ]);

    sink = await startSmtpSink();
    const config = testConfig(sink.url);
    const mailer = createMailer(config.mail, { rateLimit: false });
    try {
      const dispatcher = createMailDispatcher({ db: t.db, mailer, config, now: () => NOW, log: () => undefined });
      expect(await dispatcher.idle()).toMatchObject({ claimed: 1, sent: 1 });
      expect(sink.messages.map((m) => m.messageId)).toEqual(['<old@ldld-hn.vn>']);
    } finally {
      mailer.close();
    }
  });

  it('three dispatchers on one database deliver every email exactly once', async () => {
    t = await kind.open();
    await upsertUnits(t.db, UNITS);
    sink = await startSmtpSink();
    const config = testConfig(sink.url);
    const mail = createMailActivities({ db: t.db, config, now: () => NOW });
    const units = UNITS.filter((u) => u.kind === 'grassroots').map((u) => u.id);
    const queued = [];
    for (let n = 1; n <= 10; n++) {
      for (const unitId of units) {
        queued.push(await mail.sendReminder({ key: `${CYCLE}/${unitId}:reminder:plan:${n}`, cycleId: CYCLE, unitId, phase: 'plan', dueAt: PLAN_DUE, reminderNumber: n }));
      }
    }
    const mailers = [0, 1, 2].map(() => createMailer(config.mail, { rateLimit: false }));
    try {
      // small batches, so the three really compete for the same rows
      const dispatchers = mailers.map((mailer) => createMailDispatcher({ db: t!.db, mailer, config, now: () => NOW, batchSize: 3, log: () => undefined }));
      const summaries = await Promise.all(dispatchers.map((d) => d.idle()));
      expect(summaries.reduce((n, s) => n + s.sent, 0)).toBe(queued.length);
      expect(summaries.filter((s) => s.sent > 0).length).toBeGreaterThan(1);
      const ids = sink.messages.map((m) => m.messageId).sort();
      expect(ids).toEqual(queued.map((q) => q.messageId).sort());
      expect(new Set(ids).size).toBe(ids.length);
      const statuses = await t.db.selectFrom('mail_outbox').select('status').distinct().execute();
      expect(statuses).toEqual([{ status: 'sent' }]);
    } finally {
      for (const m of mailers) m.close();
    }
  });
});
