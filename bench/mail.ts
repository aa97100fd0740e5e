// Mail throughput: `npm run bench:mail -- --messages 5000 [--pool 5] [--concurrency 100]`.
// Sends reminders through the whole path (directory lookup, template, outbox row in SQLite, then the dispatcher:
// claim, pooled SMTP, outcome recorded) to an in-process SMTP sink, then the same bytes through the pool alone (no templates,
// no outbox) as the ceiling, and prints both rates and their ratio. Rate limiting is off: this measures the
// machine, not the configured MAIL_RATE_PER_SECOND. Not a test.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { migrateToLatest, openDatabase } from '../activities/db/database';
import { upsertUnits } from '../activities/directory/repository';
import type { UnitInput } from '../activities/directory/types';
import { createMailActivities } from '../activities/mail/activities';
import { findOutboxMessage } from '../activities/mail/outbox';
import { createMailer } from '../activities/mail/transport';
import { loadConfig } from '../common/config';
import { cycleId, unitWorkflowId } from '../workflows/ids';
import { startSmtpSink } from '../test/support/smtp-sink';
import { createMailDispatcher } from '../activities/mail/dispatcher';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '2000' },
    pool: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '100' },
  },
});
const messages = Number(values.messages);
const pool = Number(values.pool);
const concurrency = Number(values.concurrency);
for (const [name, n] of Object.entries({ messages, pool, concurrency })) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number`);
}

/** Runs `count` jobs with at most `limit` in flight (what a worker's activity slots do). */
async function inParallel(count: number, limit: number, job: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) await job(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'baocao-bench-mail-'));
  const sink = await startSmtpSink({ parse: false });
  const config = loadConfig({ SMTP_URL: sink.url, BAOCAO_DATA_DIR: dir, MAIL_POOL_SIZE: String(pool), MAIL_FROM: '"Ban Tuyên giáo" <baocao@ldld-hn.vn>' });
  const db = openDatabase(config.database);
  const mailer = createMailer(config.mail, { rateLimit: false });
  try {
    await migrateToLatest(db);
    const root = 'LDLD-BENCH';
    const cycle = cycleId(2027, root);
    const contact = (who: string, i: number) => ({ name: `Nguyễn Văn ${who} ${i}`, email: `${who}${i}@cdcs.example` });
    const units: UnitInput[] = [
      { id: root, name: 'Liên đoàn Lao động tỉnh Thử Nghiệm', kind: 'root', parentId: null, chair: contact('chutich', 0), officer: contact('tuyengiao', 0), language: 'vi', activeFrom: '2020-01-01', activeTo: null, distribution: [] },
      ...Array.from({ length: messages }, (_, i): UnitInput => ({
        id: `CDCS-${String(i + 1).padStart(5, '0')}`,
        name: `Công đoàn cơ sở Công ty Cổ phần Dệt may Số ${i + 1}`,
        kind: 'grassroots',
        parentId: root,
        chair: contact('chutich', i + 1),
        officer: contact('congdoan', i + 1),
        language: i % 10 === 0 ? 'en' : 'vi',
        activeFrom: '2020-01-01',
        activeTo: null,
        distribution: [],
      })),
    ];
    await upsertUnits(db, units);
    const mail = createMailActivities({ db, config });
    const dispatcher = createMailDispatcher({ db, mailer, config });
    const reminder = (i: number) => {
      const unitId = units[i + 1]!.id;
      return { key: `${unitWorkflowId(cycle, unitId)}:reminder:plan:1`, cycleId: cycle, unitId, phase: 'plan' as const, dueAt: '2027-03-31T16:59:59.000Z', reminderNumber: 1 };
    };

    // warm-up: connections opened, statements prepared, code paths compiled
    const warm = Math.min(50, messages);
    await inParallel(warm, concurrency, (i) => mail.sendReminder({ ...reminder(i), key: `warm-${i}` }));
    await dispatcher.idle();
    const sample = (await findOutboxMessage(db, 'warm-0'))!;

    const rawSeconds = await inParallel(messages, concurrency, () =>
      mailer.sendMail({ envelope: { from: sample.envelopeFrom, to: sample.recipients }, raw: Buffer.from(sample.raw, 'utf8') }),
    );
    const before = sink.messages.length;
    const started = performance.now();
    // the activities queue (what a worker's activity slots do), the dispatcher delivers
    await inParallel(messages, concurrency, async (i) => {
      const r = await mail.sendReminder(reminder(i));
      if (r.status !== 'queued') throw new Error(`unexpected ${r.status} for ${r.messageId}`);
    });
    const delivered = await dispatcher.idle();
    const fullSeconds = (performance.now() - started) / 1000;
    if (delivered.sent !== messages || sink.messages.length - before !== messages) throw new Error(`sink received ${sink.messages.length - before}, expected ${messages}`);

    const full = messages / fullSeconds;
    const raw = messages / rawSeconds;
    const fmt = (n: number) => n.toFixed(0).padStart(7);
    process.stdout.write(
      [
        `mail benchmark: ${messages} messages, pool ${pool} connections, ${concurrency} in flight, SQLite ${config.database.kind === 'sqlite' ? 'file (WAL)' : ''}`,
        `  full path (directory + template + outbox + SMTP): ${fmt(full)} msg/s  (${fullSeconds.toFixed(2)} s)`,
        `  raw pool ceiling (same bytes, no template/outbox): ${fmt(raw)} msg/s  (${rawSeconds.toFixed(2)} s)`,
        `  ratio full / raw: ${(full / raw).toFixed(2)}`,
        `  message size: ${Buffer.byteLength(sample.raw)} bytes`,
        '',
      ].join('\n'),
    );
  } finally {
    mailer.close();
    await sink.close();
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:mail failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
