// bench:web — the secretariat's most opened pages at national size, p50/p99 per page.
//
// A real cycle of 20,000 units (20,000 workflows) is too heavy to run here, so the bench seeds what the pages
// read directly: a generated directory of N units (root → ~√N districts → grassroots unions), the cycle's
// frozen tree, and the archive (plans and reports of most units — some late, some returned — overdue marks for
// the missing ones), as the workers write them. The cycle has no workflow in the Temporal dev server started
// here, so its pages are the archive-read ones: the cycle page (aggregate, charts, unit table), the drill-down
// lists behind its counts and figures, and the heat map.
//
// The overdue list and the review queue (the supervision page) read the live workflows: the focus unit's state
// (one entry per direct unit), at most 50 statuses of overdue units further down, the names, and for the review
// queue each queued submission from the archive. None of that grows with the tree below the direct units, so
// they are measured on a real running rehearsal cycle whose root has as many districts as the 20,000-unit tree
// (√N, one grassroots union each: 2√N + 1 workflows, with the production worker): most districts' plans await
// review, every grassroots union is overdue. See bench/README.md.
//
//   npm run bench:web -- [--units 20000] [--runs 30]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection } from '@temporalio/worker';
import { cyclePlan, startCycle, submit, unitStatus, wallAt } from '../client/cycles';
import { createWorker, WORKFLOWS_PATH } from '../worker/worker';
import { recordAggregate } from '../activities/archive/aggregates';
import { rebuildAggregate } from '../activities/archive/subtree';
import { openMigratedDatabase, type Db } from '../activities/db/database';
import { snapshotCycleTree, upsertUnits } from '../activities/directory/repository';
import type { UnitInput } from '../activities/directory/types';
import { generatedUnit } from '../test/support/generated-units';
import { createMailer } from '../activities/mail/transport';
import { buildWebApp } from '../client/web/app';
import { SESSION_COOKIE } from '../client/web/http';
import { createSession } from '../client/web/stores';
import { loadConfig } from '../common/config';
import { startDevServer } from '../scripts/dev-server';
import { contentHash } from '../workflows/content-hash';
import { cycleId as makeCycleId } from '../workflows/ids';

const { values } = parseArgs({
  options: {
    units: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '30' },
    /** `archive`: the cycle page, drill-downs, heat map; `live`: the supervision pages; both by default */
    only: { type: 'string' },
    /** the live cycle's rehearsal: long enough for its tree to start on a loaded machine before its first deadline */
    'rehearsal-minutes': { type: 'string', default: '60' },
  },
});
const N = Number(values.units);
const RUNS = Number(values.runs);
if (!Number.isInteger(N) || N < 10) throw new Error(`--units must be an integer ≥ 10, got ${values.units}`);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);

const ROOT = 'LDLD-BENCH';
const YEAR = 2027;
const CYCLE = makeCycleId(YEAR, ROOT);
const PLAN_DUE = '2027-03-31T16:59:59.000Z';
const REPORT_DUE = '2027-12-01T16:59:59.000Z';
const TARGET_MS = 300;

const say = (line: string) => process.stdout.write(`${line}\n`);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function directory(n: number): UnitInput[] {
  const k = Math.max(1, Math.round(Math.sqrt(n)));
  const unit = generatedUnit;
  const list = [unit(ROOT, 'Liên đoàn Lao động tỉnh Thử Nghiệm', 'root', null)];
  const leaves = n - 1 - k;
  let g = 0;
  for (let i = 0; i < k; i++) {
    const mid = `LDLD-Q${String(i + 1).padStart(3, '0')}`;
    list.push(unit(mid, `Liên đoàn Lao động huyện Số ${i + 1}`, 'intermediate', ROOT));
    const here = Math.floor(leaves / k) + (i < leaves % k ? 1 : 0);
    for (let j = 0; j < here; j++) {
      g += 1;
      list.push(unit(`CDCS-${String(g).padStart(6, '0')}`, `Công đoàn cơ sở Công ty Cổ phần Dệt may Số ${g}`, 'grassroots', mid));
    }
  }
  return list;
}

/** Deterministic "random" in [0, 1) per unit and salt, so every run seeds the same archive. */
function rand(i: number, salt: number): number {
  const x = Math.sin(i * 12.9898 + salt * 78.233) * 43758.5453;
  return x - Math.floor(x);
}

const instant = (base: string, days: number) => new Date(Date.parse(base) + days * 24 * 3600 * 1000).toISOString();

async function seedArchive(db: Db, units: UnitInput[]): Promise<{ submissions: number; events: number }> {
  const subs: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  units.forEach((u, i) => {
    for (const [phase, due, share] of [['plan', PLAN_DUE, 0.9], ['report', REPORT_DUE, 0.7]] as const) {
      const r = rand(i, phase === 'plan' ? 1 : 2);
      if (r < share) {
        const late = r > share - 0.1;
        const at = instant(due, late ? 1 + 10 * rand(i, 3) : -40 * rand(i, 4));
        const content =
          phase === 'plan'
            ? { title: `Kế hoạch năm ${YEAR} của ${u.name}`, number: '', body: 'Nội dung kế hoạch học tập và làm theo.' }
            : {
                leadership: 'Ban Thường vụ ban hành kế hoạch.',
                implementation: 'Tổ chức học tập chuyên đề cho đoàn viên.',
                assessment: 'Đoàn viên tham gia tích cực.',
                recommendations: '',
                figures: { studyClasses: 1 + (i % 5), participants: 20 + (i % 300), exemplaryModels: i % 3, exemplaryPeople: i % 4 },
                commendations: [],
              };
        subs.push({ cycle_id: CYCLE, unit_id: u.id, phase, version: 1, idempotency_key: `bench-${u.id}-${phase}`, content_json: JSON.stringify(content), content_hash: contentHash(content), channel: 'web', submitted_by: 'bench', submitted_at: at, late: late ? 1 : 0 });
        events.push({ event_key: `${CYCLE}/${u.id}:submit:${phase}:1`, cycle_id: CYCLE, unit_id: u.id, kind: `${phase}-submitted`, actor: u.id, channel: 'web', at, data_json: JSON.stringify({ version: 1, late }) });
        if (rand(i, 5) < 0.5) events.push({ event_key: `${CYCLE}/${u.id}:review:${phase}:1`, cycle_id: CYCLE, unit_id: u.id, kind: `${phase}-accepted`, actor: u.parentId ?? 'system', channel: 'web', at: instant(at, 2), data_json: JSON.stringify({ version: 1, comment: '' }) });
      } else {
        events.push({ event_key: `${CYCLE}/${u.id}:overdue:${phase}`, cycle_id: CYCLE, unit_id: u.id, kind: `${phase}-overdue`, actor: 'system', channel: 'timer', at: due, data_json: JSON.stringify({ dueAt: due }) });
      }
      for (const days of [7, 3, 1]) {
        events.push({ event_key: `${CYCLE}/${u.id}:reminder:${phase}:${days}`, cycle_id: CYCLE, unit_id: u.id, kind: 'reminder-sent', actor: 'system', channel: 'timer', at: instant(due, -days), data_json: JSON.stringify({ phase, dueAt: due }) });
      }
    }
  });
  const BATCH = 400;
  for (let i = 0; i < subs.length; i += BATCH) await db.insertInto('submissions').values(subs.slice(i, i + BATCH) as never).execute();
  for (let i = 0; i < events.length; i += BATCH) await db.insertInto('audit_log').values(events.slice(i, i + BATCH) as never).execute();
  return { submissions: subs.length, events: events.length };
}

const LIVE_ROOT = 'LDLD-LIVE';
const LIVE_QUEUE = 'bench-web-live';
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

async function measurePage(app: ReturnType<typeof buildWebApp>, cookie: string, name: string, url: string): Promise<void> {
  const times: number[] = [];
  let bytes = 0;
  let first = 0;
  for (let i = 0; i < RUNS + 2; i++) {
    const t = performance.now();
    const res = await app.inject({ method: 'GET', url, headers: { cookie } });
    const ms = performance.now() - t;
    if (res.statusCode !== 200) throw new Error(`${url}: HTTP ${res.statusCode}\n${res.body.slice(0, 500)}`);
    bytes = res.body.length;
    if (i === 0) first = ms;
    if (i >= 2) times.push(ms);
  }
  times.sort((a, b) => a - b);
  const p99 = percentile(times, 99);
  say(`${name.padEnd(50)} ${first.toFixed(0).padStart(9)} ${percentile(times, 50).toFixed(0).padStart(8)} ${p99.toFixed(0).padStart(8)} ${String(bytes).padStart(9)}${p99 > TARGET_MS ? `  > ${TARGET_MS} ms target` : ''}`);
}

/** The supervision page (overdue list, review queue) on a running rehearsal whose root has k districts. */
async function measureLiveSupervision(o: {
  app: ReturnType<typeof buildWebApp>;
  db: Db;
  client: Client;
  address: string;
  config: ReturnType<typeof loadConfig>;
  k: number;
  cleanups: (() => Promise<unknown>)[];
}): Promise<void> {
  const { db, client, k } = o;
  let t = performance.now();
  const units: UnitInput[] = [generatedUnit(LIVE_ROOT, 'Liên đoàn Lao động tỉnh Chạy Thật', 'root', null)];
  for (let i = 1; i <= k; i++) {
    const d = `LIVE-Q${String(i).padStart(3, '0')}`;
    units.push(generatedUnit(d, `Liên đoàn Lao động huyện Chạy Thật ${i}`, 'intermediate', LIVE_ROOT));
    units.push(generatedUnit(`LIVE-G${String(i).padStart(3, '0')}`, `Công đoàn cơ sở Chạy Thật Số ${i}`, 'grassroots', d));
  }
  await upsertUnits(db, units);
  const native = await NativeConnection.connect({ address: o.address });
  o.cleanups.unshift(() => native.close());
  const mailer = createMailer(o.config.mail, { rateLimit: false });
  o.cleanups.unshift(async () => mailer.close());
  const worker = await createWorker({
    connection: native,
    db,
    mailer,
    config: o.config,
    workflowBundle: await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet }),
    taskQueue: LIVE_QUEUE,
  });
  const running = worker.run();
  o.cleanups.unshift(async () => {
    worker.shutdown();
    await running;
  });
  const { cycleId } = await startCycle(client, LIVE_QUEUE, { year: YEAR, rootUnitId: LIVE_ROOT, rehearsalMinutes: Number(values['rehearsal-minutes']) }, { db });
  for (;;) {
    const root = await unitStatus(client, cycleId, LIVE_ROOT).catch(() => null);
    if (root && root.aggregate.below.plan.expected === 2 * k) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  // most districts submit their plan (it awaits the root's review); no grassroots union does (all overdue)
  const districts = units.filter((u) => u.kind === 'intermediate');
  const submitting = districts.slice(0, Math.ceil(districts.length * 0.7));
  for (let i = 0; i < submitting.length; i += 8)
    await Promise.all(
      submitting.slice(i, i + 8).map((u) =>
        submit(client, { cycleId, unitId: u.id, phase: 'plan', content: { title: `Kế hoạch năm ${YEAR} của ${u.name}`, number: `01/KH-${u.id}`, body: 'Tổ chức học tập chuyên đề; đăng ký làm theo.' }, channel: 'test', submittedBy: 'bench' }),
      ),
    );
  const plan = (await cyclePlan(client, cycleId))!;
  const grassrootsDue = Date.parse(wallAt(plan.levels[2]!.plan.dueAt, plan.timeline));
  const districtsDue = Date.parse(wallAt(plan.levels[1]!.plan.dueAt, plan.timeline));
  say(`live cycle ${cycleId}: tree started, plans submitted in ${((performance.now() - t) / 1000).toFixed(1)} s; the grassroots plans fall due in ${((grassrootsDue - Date.now()) / 1000).toFixed(0)} s`);
  for (;;) {
    const root = await unitStatus(client, cycleId, LIVE_ROOT);
    if (root.aggregate.below.plan.overdue.total >= k && Date.now() > grassrootsDue) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  say(`live cycle ${cycleId}: ${units.length} workflows, ${submitting.length} plans awaiting review, ${k} units overdue, ready in ${((performance.now() - t) / 1000).toFixed(1)} s; load average ${load()}`);
  const { sessionId } = await createSession(db, units[0]!.officer.email);
  const cookie = `${SESSION_COOKIE}=${o.app.signCookie(sessionId)}`;
  const c = encodeURIComponent(cycleId);
  t = performance.now();
  await measurePage(o.app, cookie, `supervision, root: ${k} direct, overdue + queue`, `/cycles/${c}/supervise`);
  await measurePage(o.app, cookie, 'supervision, a district', `/cycles/${c}/supervise?unit=${districts[0]!.id}`);
  await measurePage(o.app, cookie, 'overdue list as XLSX (root)', `/cycles/${c}/supervise/overdue.xlsx`);
  if (Date.now() > districtsDue) say(`(the districts' own plan deadline had passed by the end: the non-submitting districts were listed overdue too)`);
  await client.workflow.getHandle(cycleId).terminate('bench over').catch(() => undefined);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  say(`bench:web — ${N} units, ${RUNS} runs per page; ${cpus().length} cores, load average ${load()}`);
  const dir = await mkdtemp(join(tmpdir(), 'baocao-bench-web-'));
  const cleanups: (() => Promise<unknown>)[] = [() => rm(dir, { recursive: true, force: true })];
  try {
    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    const config = loadConfig({ BAOCAO_DATA_DIR: dir, SMTP_URL: 'smtp://127.0.0.1:9', BAOCAO_PUBLIC_URL: 'http://baocao.bench', TEMPORAL_ADDRESS: address });
    const db = await openMigratedDatabase(config.database);
    cleanups.unshift(() => db.destroy());
    let t = performance.now();
    const units = directory(N);
    await upsertUnits(db, units);
    await snapshotCycleTree(db, { cycleId: CYCLE, rootId: ROOT, asOf: `${YEAR}-01-04` });
    const seeded = await seedArchive(db, units);
    // a closed cycle: every node archived its final aggregate at the close, as the workflows do
    const nodes = units.filter((u) => u.kind !== 'grassroots');
    for (const u of nodes) {
      await recordAggregate(db, { key: `${CYCLE}/${u.id}:aggregate:final`, aggregate: await rebuildAggregate(db, { cycleId: CYCLE, unitId: u.id }), final: true });
    }
    await db.insertInto('audit_log').values(units.map((u) => ({ event_key: `${CYCLE}/${u.id}:closed`, cycle_id: CYCLE, unit_id: u.id, kind: 'closed', actor: 'system', channel: 'timer', at: '2027-12-31T16:59:59.000Z', data_json: '{}' })).slice(0, 1)).execute();
    say(`seeded: ${units.length} units, ${seeded.submissions} submissions, ${seeded.events} audit events, ${nodes.length} final aggregates in ${((performance.now() - t) / 1000).toFixed(1)} s (${config.database.kind})`);

    const { ensureTemporalCli } = await import('../scripts/provision.mjs');
    const route = await ensureTemporalCli();
    if (route.kind !== 'path') throw new Error(`No Temporal CLI provisioned (${route.source}): run \`npm run provision\`.`);
    const server = await startDevServer({ cli: route.path, dbFile: join(dir, 'temporal.db'), port, headless: true });
    cleanups.unshift(() => server.stop());
    const connection = await Connection.connect({ address });
    cleanups.unshift(() => connection.close());
    const client = new Client({ connection });
    const mailer = createMailer(config.mail, { rateLimit: false });
    cleanups.unshift(async () => mailer.close());
    const app = buildWebApp({ config, db, client, taskQueue: 'bench-web', mailer, logger: false });
    await app.ready();
    cleanups.unshift(() => app.close());
    const { sessionId } = await createSession(db, units[0]!.officer.email);
    const cookie = `${SESSION_COOKIE}=${app.signCookie(sessionId)}`;

    const district = units.find((u) => u.kind === 'intermediate')!.id;
    const c = encodeURIComponent(CYCLE);
    const pages: [string, string][] = [
      ['cycle page (root: aggregate, charts, 50 rows)', `/cycles/${c}`],
      ['cycle page (a district)', `/cycles/${c}?unit=${district}`],
      ['drill-down: late plans below the root (page 1)', `/cycles/${c}/units/${ROOT}/behind/plan/late`],
      ['drill-down: overdue reports below the root', `/cycles/${c}/units/${ROOT}/behind/report/overdue`],
      ['figure drill-down: participants (root)', `/cycles/${c}/units/${ROOT}/figures/participants`],
      ['heat map (root, first 200)', `/cycles/${c}/units/${ROOT}/heatmap`],
      ['heat map (a district)', `/cycles/${c}/units/${district}/heatmap`],
    ];
    say(`\n${'page'.padEnd(50)} ${'first ms'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'bytes'.padStart(9)}`);
    for (const [name, url] of values.only === 'live' ? [] : pages) {
      const times: number[] = [];
      let bytes = 0;
      let first = 0;
      for (let i = 0; i < RUNS + 2; i++) {
        t = performance.now();
        const res = await app.inject({ method: 'GET', url, headers: { cookie } });
        const ms = performance.now() - t;
        if (res.statusCode !== 200) throw new Error(`${url}: HTTP ${res.statusCode}\n${res.body.slice(0, 500)}`);
        bytes = res.body.length;
        if (process.env.BENCH_WEB_DUMP && i === 0) await writeFile(join(process.env.BENCH_WEB_DUMP, `${pages.findIndex((x) => x[1] === url)}.html`), res.body);
        if (i === 0) first = ms;
        if (i >= 2) times.push(ms); // two warm-up requests (tree cache, whole-cycle standings, JIT)
      }
      times.sort((a, b) => a - b);
      const p50 = percentile(times, 50);
      const p99 = percentile(times, 99);
      say(`${name.padEnd(50)} ${first.toFixed(0).padStart(9)} ${p50.toFixed(0).padStart(8)} ${p99.toFixed(0).padStart(8)} ${String(bytes).padStart(9)}${p99 > TARGET_MS ? `  > ${TARGET_MS} ms target` : ''}`);
    }
    if (values.only !== 'archive') await measureLiveSupervision({ app, db, client, address, config, k: Math.max(1, Math.round(Math.sqrt(N))), cleanups });
    say(`\nload average after: ${load()}`);
  } finally {
    for (const fn of cleanups) await fn().catch(() => undefined);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:web failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
