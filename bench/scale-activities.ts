// The app side of a cycle's start, per unit, as the directory grows:
// `npx tsx bench/scale-activities.ts [--units 2000,130000] [--database-url postgres://…]`.
//
// For every N, in a fresh database (SQLite file by default; with --database-url a fresh schema of that
// PostgreSQL database, dropped afterwards): a directory of N units of the national shape, the cycle's tree
// snapshot (`snapshotCycleTree`, one activity), then what the worker does per unit at the start, timed over
// 300 grassroots units — `sendTaskAssignment` (the task email queued), `recordEvent` (its audit row),
// `cycleUnitRef`, and `listCycleChildren` of their parents — and the mail dispatcher delivering 200 task
// emails (to an SMTP sink) from an outbox holding N settled emails, as after a cycle's start. Every distinct
// statement is explained afterwards: a full read of a table is printed (SQLite `SCAN`, PostgreSQL `Seq Scan`
// with `enable_seqscan = off`). No Temporal server: this isolates the activities and the database from the
// rest of bench:scale. Not a test; prints a table and the load average.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CompiledQuery, sql, type Kysely, type KyselyPlugin } from 'kysely';
import { createActivities } from '../activities';
import { migrateToLatest, openDatabase, type Db } from '../activities/db/database';
import type { Database } from '../activities/db/schema';
import { snapshotCycleTree, upsertUnits } from '../activities/directory/repository';
import { createMailDispatcher } from '../activities/mail/dispatcher';
import { createMailer } from '../activities/mail/transport';
import { loadConfig } from '../common/config';
import { nationalShape, nationalTree } from '../test/support/generated-units';
import { startSmtpSink } from '../test/support/smtp-sink';

const { values } = parseArgs({ options: { units: { type: 'string', default: '2000,130000' }, 'database-url': { type: 'string' } } });
const sizes = values.units.split(',').map((v) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 400) throw new Error(`--units: "${v}" is not a whole number ≥ 400`);
  nationalShape(n);
  return n;
});
const databaseUrl = values['database-url'];
const CYCLE = 'cycle-2027-TLD';
const AS_OF = '2027-01-15';
const SAMPLE = 300;
const DISPATCHED = 200;
const say = (msg: string) => process.stderr.write(`[bench:scale-activities] ${msg}\n`);
const load = () => loadavg()[0]!.toFixed(1);

async function freshDatabase(): Promise<{ db: Db; dispose: () => Promise<void> }> {
  if (!databaseUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'baocao-bench-activities-'));
    const db = openDatabase({ kind: 'sqlite', file: join(dir, 'bench.sqlite') });
    await migrateToLatest(db);
    return { db, dispose: async () => (await db.destroy(), rmSync(dir, { recursive: true, force: true })) };
  }
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const admin = openDatabase({ kind: 'postgres', url: databaseUrl });
  await admin.schema.createSchema(schema).execute();
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const db = openDatabase({ kind: 'postgres', url: url.toString() });
  await migrateToLatest(db);
  return {
    db,
    dispose: async () => {
      await db.destroy();
      await admin.schema.dropSchema(schema).cascade().execute();
      await admin.destroy();
    },
  };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

async function fullReads(db: Db, queries: CompiledQuery[]): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  // a scan of a CTE (the recursive walk's own queue) reads no table
  const tables = new Set((await db.introspection.getTables()).map((t) => t.name));
  for (const q of queries) {
    if (seen.has(q.sql) || !/^\s*(with|select|update|delete)\b/i.test(q.sql)) continue;
    seen.add(q.sql);
    const lines = databaseUrl
      ? (
          await db.transaction().execute(async (trx) => {
            await trx.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'));
            return trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${q.sql}`, [...q.parameters]));
          })
        ).rows.map((r) => r['QUERY PLAN'])
      : (await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]))).rows.map((r) => r.detail);
    for (const l of lines) {
      const table = /^SCAN (\w+)/.exec(l.trim())?.[1] ?? /Seq Scan on (\w+)/.exec(l)?.[1];
      if (table && tables.has(table)) out.push(`${l.trim()}  ←  ${q.sql.slice(0, 200)}`);
    }
  }
  return out;
}

interface Row {
  units: number;
  importS: number;
  snapshotMs: number;
  ms: Record<string, number>;
  dispatchMsPerEmail: number;
  outboxRows: number;
  loads: string[];
  fullReads: string[];
}

async function runSize(n: number): Promise<Row> {
  const loads = [load()];
  const { db: raw, dispose } = await freshDatabase();
  const sink = await startSmtpSink({ parse: false });
  try {
    const queries: CompiledQuery[] = [];
    let capturing = false;
    const plugin: KyselyPlugin = {
      transformQuery: (a) => (capturing && queries.push(raw.getExecutor().compileQuery(a.node, a.queryId)), a.node),
      transformResult: async (a) => a.result,
    };
    const db = raw.withPlugin(plugin) as Kysely<Database> as Db;
    const units = [...nationalTree(n, 'TLD')];
    let t = performance.now();
    await upsertUnits(raw, units);
    const importS = (performance.now() - t) / 1000;
    say(`${n} units: directory in ${importS.toFixed(1)} s`);
    capturing = true;
    t = performance.now();
    await snapshotCycleTree(db, { cycleId: CYCLE, rootId: 'TLD', asOf: AS_OF });
    const snapshotMs = performance.now() - t;
    say(`${n} units: tree snapshot in ${snapshotMs.toFixed(0)} ms; load ${load()}`);
    loads.push(load());

    const config = loadConfig({ ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), BAOCAO_PUBLIC_URL: 'http://baocao.bench', SMTP_URL: sink.url, MAIL_RATE_PER_SECOND: '100000' });
    const mailer = createMailer(config.mail, { rateLimit: false });
    const acts = createActivities({ mailer, db, config });
    const grassroots = units.filter((u) => u.kind === 'grassroots');
    const task = (u: (typeof units)[number], tag: string) =>
      acts.sendTaskAssignment({
        key: `${CYCLE}/${u.id}:${tag}`,
        cycleId: CYCLE,
        year: 2027,
        unitId: u.id,
        planDueAt: '2027-03-01T01:00:00.000Z',
        reportDueAt: '2027-11-01T01:00:00.000Z',
        closesAt: '2027-12-31T10:00:00.000Z',
        asOf: `${AS_OF}T01:00:00.000Z`,
      });
    const times: Record<string, number[]> = {};
    const timed = async (name: string, f: () => Promise<unknown>) => {
      const s = performance.now();
      await f();
      (times[name] ??= []).push(performance.now() - s);
    };
    // an even sample over the grassroots units (spread over the tree)
    const sample = Array.from({ length: SAMPLE }, (_, i) => grassroots[Math.floor((i * grassroots.length) / SAMPLE)]!);
    for (const [i, u] of sample.entries()) {
      await timed('sendTaskAssignment', () => task(u, 'task'));
      await timed('recordEvent', () => acts.recordEvent({ key: `${u.id}:task-sent`, cycleId: CYCLE, unitId: u.id, kind: 'task-sent', actor: 'system', channel: 'email', at: `${AS_OF}T01:00:00.000Z`, data: {} }));
      await timed('cycleUnitRef', () => acts.cycleUnitRef({ cycleId: CYCLE, unitId: u.id }));
      if (i % 10 === 0) await timed('listCycleChildren', () => acts.listCycleChildren({ cycleId: CYCLE, unitId: u.parentId!, offset: 0, limit: 100 }));
    }
    loads.push(load());

    // the outbox after a start: N settled emails (copies of the sample's, other keys), then new ones to deliver
    capturing = false;
    await sql`update mail_outbox set status = 'sent'`.execute(raw);
    const cols = (await raw.introspection.getTables()).find((tb) => tb.name === 'mail_outbox')!.columns.map((c) => c.name);
    const unique = new Set(['key', 'message_id']);
    const copies = Math.max(0, Math.ceil(n / SAMPLE) - 1);
    for (let c = 1; c <= copies; c++) {
      const select = cols.map((col) => (unique.has(col) ? `"${col}" || ':copy${c}'` : `"${col}"`)).join(', ');
      await sql.raw(`insert into mail_outbox (${cols.map((col) => `"${col}"`).join(', ')}) select ${select} from mail_outbox where key not like '%:copy%'`).execute(raw);
    }
    const outboxRows = Number((await raw.selectFrom('mail_outbox').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    for (const u of sample.slice(0, DISPATCHED)) await task(u, 'again');
    capturing = true;
    const dispatcher = createMailDispatcher({ db, mailer, config, log: () => {} });
    t = performance.now();
    let sent = 0;
    for (;;) {
      const s = await dispatcher.runOnce();
      sent += s.sent;
      if (s.claimed === 0) break;
    }
    const dispatchMsPerEmail = (performance.now() - t) / Math.max(sent, 1);
    if (sent !== DISPATCHED) throw new Error(`the dispatcher sent ${sent} of ${DISPATCHED} emails`);
    capturing = false;
    mailer.close();
    loads.push(load());
    const reads = await fullReads(raw, queries);
    return { units: n, importS, snapshotMs, ms: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])), dispatchMsPerEmail, outboxRows, loads, fullReads: reads };
  } finally {
    await sink.close();
    await dispose();
  }
}

async function main() {
  say(`sizes ${sizes.join(', ')} on ${databaseUrl ? 'PostgreSQL' : 'SQLite'}; ${cpus().length} CPUs; load ${load()}`);
  const rows: Row[] = [];
  for (const n of sizes) rows.push(await runSize(n));
  const f = (v: number) => v.toFixed(v < 10 ? 2 : 1);
  process.stdout.write(
    `\nbench:scale-activities — ${databaseUrl ? 'PostgreSQL' : 'SQLite'}, medians over ${SAMPLE} units (ms)\n` +
      'units | snapshot ms | µs/unit | sendTaskAssignment | recordEvent | cycleUnitRef | listCycleChildren | outbox rows | dispatch ms/email | load (1 min)\n' +
      rows
        .map(
          (r) =>
            `${r.units} | ${r.snapshotMs.toFixed(0)} | ${((r.snapshotMs * 1000) / r.units).toFixed(0)} | ${f(r.ms.sendTaskAssignment!)} | ${f(r.ms.recordEvent!)} | ${f(r.ms.cycleUnitRef!)} | ` +
            `${f(r.ms.listCycleChildren!)} | ${r.outboxRows} | ${f(r.dispatchMsPerEmail)} | ${r.loads.join('–')}`,
        )
        .join('\n') +
      '\n' +
      rows.map((r) => (r.fullReads.length ? `full reads at ${r.units}:\n  ${r.fullReads.join('\n  ')}` : `no full read of a table at ${r.units}`)).join('\n') +
      '\n',
  );
}

main().catch((err: unknown) => {
  say(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
});
