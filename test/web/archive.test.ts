// A cycle after Temporal's retention: its workflows are gone, only the archive (app database) remembers it.
// The cycle page, the unit page and the JSON API read it from there, read-only, saying so; the documents can
// still be downloaded. Against the real time-skipping server, so that "not found" and "closed" are the
// engine's own answers; the archive is written with the archive and directory functions, as the workers do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAggregate } from '../../activities/archive/aggregates';
import { rebuildAggregate } from '../../activities/archive/subtree';
import { openMigratedDatabase, type Db } from '../../activities/db/database';
import { snapshotCycleTree } from '../../activities/directory/repository';
import { DOCX_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '../../activities/documents/labels';
import { createMailer, type Mailer } from '../../activities/mail/transport';
import { loadConfig } from '../../common/config';
import { ARCHIVE_NOTE } from '../../client/web/ops/scope';
import { buildArchive, CHAIR_LB, CYCLE, DISTRICT, NAMES, ROOT } from '../documents/fixture';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTimeSkippingEnv } from '../support/temporal';
import { CookieClient, signInByEmail, startWebApp, type RunningWebApp } from './support';

/** A second cycle whose workflow still exists in Temporal but is closed (here: terminated). */
const CLOSED_CYCLE = 'cycle-2028-LDLD-HN';
const officer = (unitId: string) => `officer.${unitId.toLowerCase()}@example.vn`;

let env: TestWorkflowEnvironment;
let dir: string;
let sink: SmtpSink;
let db: Db;
let mailer: Mailer;
let web: RunningWebApp;
let secretariat: CookieClient;
let district: CookieClient;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  sink = await startSmtpSink();
  dir = mkdtempSync(join(tmpdir(), 'baocao-web-archive-'));
  const config = loadConfig({ BAOCAO_DATA_DIR: dir, SMTP_URL: sink.url });
  db = await openMigratedDatabase(config.database);
  await buildArchive(db);
  // the root's final aggregate recorded at the close, as the workflow does; the district's is not (older cycle)
  await recordAggregate(db, { key: `${CYCLE}/${ROOT}:aggregate:final`, aggregate: await rebuildAggregate(db, { cycleId: CYCLE, unitId: ROOT }), final: true });
  await snapshotCycleTree(db, { cycleId: CLOSED_CYCLE, rootId: ROOT, asOf: '2027-12-20' });
  const closed = await env.client.workflow.start('cycleWorkflow', { taskQueue: 'no-worker-needed', workflowId: CLOSED_CYCLE, args: [] });
  await closed.terminate('closed for the test');
  mailer = createMailer(config.mail, { rateLimit: false });
  web = await startWebApp({ config, db, client: env.client, taskQueue: 'no-worker-needed', mailer });
  secretariat = await signInByEmail(web.url, sink, officer(ROOT));
  district = await signInByEmail(web.url, sink, officer(DISTRICT));
}, 120_000);

afterAll(async () => {
  await web?.close();
  mailer?.close();
  await db?.destroy();
  await sink?.close();
  await env?.teardown();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const json = async (http: CookieClient, path: string) => {
  const res = await http.request(path);
  expect(res.status, path).toBe(200);
  return JSON.parse(res.text) as Record<string, unknown> & { [k: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

/** The UTF-8 file name of a Content-Disposition header (RFC 5987 `filename*`). */
function utf8Filename(header: string | null): string {
  const m = /filename\*=UTF-8''([^;\s]+)/.exec(header ?? '');
  if (!m) throw new Error(`no filename* in ${header ?? '(none)'}`);
  return decodeURIComponent(m[1]!);
}

describe('a cycle Temporal no longer has, from the archive', () => {
  it('the cycle page says so and shows the recorded aggregate and every unit below, read-only', async () => {
    const res = await secretariat.request(`/cycles/${CYCLE}`);
    expect(res.status).toBe(200);
    const page = res.text;
    expect(page).toMatch(/id="archive-note"><strong>Chu kỳ đã đóng — dữ liệu lưu trữ<\/strong>/);
    // the root's recorded final aggregate (each count a link to the units behind it): 8 units below it, 6 plans in (CDCS-NT late), CDCS-BV and LDLD-GL overdue
    expect(page).toContain('data-aggregate-source="recorded"');
    const planRow = /<table class="aggregate" data-unit="LDLD-HN">[\s\S]*?<tr data-phase="plan">([\s\S]*?)<\/tr>/.exec(page)![1]!;
    expect(planRow).toMatch(/<td class="num" data-col="expected">(?:<a [^>]*>)?8(?:<\/a>)?<\/td>/);
    expect(planRow).toMatch(/<td class="num" data-col="submitted">(?:<a [^>]*>)?6(?:<\/a>)?<\/td>/);
    expect(planRow).toMatch(/<td class="num" data-col="overdue">(?:<a [^>]*>)?2(?:<\/a>)?<\/td>/);
    // the districts: their own state from the archive, the rollup of their units rebuilt from it
    const lb = /<tr data-unit="LDLD-LB">([\s\S]*?)<\/tr>/.exec(page)![1]!;
    expect(lb).toContain(NAMES['LDLD-LB']);
    expect(lb).toMatch(/data-phase="plan"><span class="badge ok" data-state="submitted">/);
    expect(lb).toMatch(/<td class="num" data-col="expected">(?:<a [^>]*>)?6(?:<\/a>)?<\/td>/);
    const gl = /<tr data-unit="LDLD-GL">([\s\S]*?)<\/tr>/.exec(page)![1]!;
    expect(gl).toMatch(/data-phase="report"><span class="badge bad" data-state="overdue">/);
    // downloads offered; nothing to submit, review or extend, no engine link
    expect(page).toContain(`href="/cycles/${CYCLE}/units/LDLD-HN/report.docx"`);
    expect(page).toContain(`href="/cycles/${CYCLE}/figures.xlsx"`);
    expect(page).not.toMatch(/method="post" action="\/cycles/);
    expect(page).not.toContain('id="temporal-link"');
    const en = await secretariat.request(`/cycles/${CYCLE}?lang=en`);
    expect(en.text).toContain('Closed cycle — from the archive');
  });

  it('the unit page shows versions, lateness, reviews and the audit trail; a node its rebuilt aggregate', async () => {
    const nt = (await secretariat.request(`/cycles/${CYCLE}/units/CDCS-NT?lang=vi`)).text;
    expect(nt).toContain('Chu kỳ đã đóng — dữ liệu lưu trữ');
    expect(nt).toMatch(/<section class="card" id="plan"[\s\S]*?data-state="accepted"[\s\S]*?Nộp muộn/);
    // the report was returned at v1, resubmitted late as v2, not reviewed again
    expect(nt).toMatch(/<section class="card" id="report"[\s\S]*?data-state="submitted"[\s\S]*?Lần nộp 2 · Nộp lúc/);
    expect(nt).toContain('data-event="report-returned"');
    expect(nt).not.toContain('<form method="post" action="/cycles');

    const lb = (await secretariat.request(`/cycles/${CYCLE}/units/${DISTRICT}`)).text;
    expect(lb).toContain('data-aggregate-source="rebuilt"');
    expect(lb).toMatch(/<section class="card" id="children">[\s\S]*?<tr data-unit="CDCS-BV">[\s\S]*?data-state="overdue"/);
    expect(lb).toContain('Nguyễn Thị Ngọc Ánh');
  });

  it('the JSON API answers from the archive too, with the note', async () => {
    const o = await json(secretariat, `/api/cycles/${CYCLE}`);
    expect(o).toMatchObject({ source: 'archive', note: ARCHIVE_NOTE, cycleId: CYCLE, cycle: { rootUnitId: ROOT, closed: true, unitCount: 9 } });
    expect(ARCHIVE_NOTE).toBe('Chu kỳ đã đóng — dữ liệu lưu trữ / Closed cycle — from the archive');
    expect(o.focus).toMatchObject({ id: ROOT, aggregate: { source: 'recorded', final: true, aggregate: { below: { plan: { expected: 8 } } } } });
    expect(o.rows.map((r: { id: string }) => r.id)).toEqual(['LDLD-GL', 'LDLD-LB']);
    expect(o).not.toHaveProperty('tree');

    const overdue = await json(secretariat, `/api/cycles/${CYCLE}?overdue=1`);
    expect(overdue.rows.map((r: { id: string }) => r.id).sort()).toEqual(['CDCS-BV', 'LDLD-GL']);

    const unit = await json(secretariat, `/api/cycles/${CYCLE}/units/CDCS-NT`);
    expect(unit).toMatchObject({ source: 'archive', note: ARCHIVE_NOTE, status: { report: { submission: { version: 2, late: true, review: 'submitted' } } } });
    const aggregate = await json(secretariat, `/api/cycles/${CYCLE}/units/${DISTRICT}/aggregate`);
    expect(aggregate).toMatchObject({ source: 'rebuilt', note: ARCHIVE_NOTE, unitId: DISTRICT, below: { plan: { expected: 6 } } });
  });

  it('refuses every action and sends the chase-up page to the progress page', async () => {
    const { token } = await json(secretariat, '/api/csrf');
    const res = await secretariat.request(`/api/cycles/${CYCLE}/units/LDLD-LB/review`, {
      json: { phase: 'report', version: 2, decision: 'accept', comment: '' },
      headers: { 'x-csrf-token': token as string },
    });
    expect(res.status).toBe(409);
    expect(JSON.parse(res.text)).toMatchObject({ error: 'Refused', message: expect.stringContaining(ARCHIVE_NOTE) });
    const supervise = await secretariat.request(`/cycles/${CYCLE}/supervise?unit=${DISTRICT}`);
    expect(supervise.status).toBe(303);
    expect(supervise.headers.get('location')).toBe(`/cycles/${CYCLE}?unit=${DISTRICT}`);
    const home = (await secretariat.request('/')).text;
    expect(home).toMatch(new RegExp(`<tr data-cycle="${CYCLE}">[\\s\\S]*?<span class="badge ">Đã đóng</span>`));
  });

  it('reads a cycle whose workflow is closed but not yet deleted from the archive as well', async () => {
    const o = await json(secretariat, `/api/cycles/${CLOSED_CYCLE}`);
    expect(o).toMatchObject({ source: 'archive', note: ARCHIVE_NOTE, cycle: { closed: false }, focus: { aggregate: { source: 'rebuilt' } } });
    expect((await secretariat.request(`/cycles/${CLOSED_CYCLE}/units/CDCS-DG`)).text).toContain('id="archive-note"');
  });

  it('keeps a district to its own subtree', async () => {
    expect((await district.request(`/cycles/${CYCLE}?unit=${ROOT}`)).status).toBe(403);
    expect((await district.request(`/api/cycles/${CYCLE}/units/LDLD-GL`)).status).toBe(403);
    const own = (await district.request(`/cycles/${CYCLE}`)).text;
    expect(own).toContain(`href="/cycles/${CYCLE}/units/${DISTRICT}/report.docx"`);
    // the workbook covers every unit of the cycle: the secretariat's, not a district's
    expect(own).not.toContain('figures.xlsx');
    expect((await district.download(`/cycles/${CYCLE}/figures.xlsx`)).status).toBe(403);
    expect((await district.download(`/cycles/${CYCLE}/units/LDLD-GL/report.docx`)).status).toBe(403);
    expect((await new CookieClient(web.url).download(`/cycles/${CYCLE}/units/${DISTRICT}/report.docx`)).status).toBe(303);
  });
});

describe('downloads', () => {
  it("the district's aggregate report as DOCX, with a Vietnamese file name", async () => {
    const res = await district.download(`/cycles/${CYCLE}/units/${DISTRICT}/report.docx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(DOCX_CONTENT_TYPE);
    const disposition = res.headers.get('content-disposition');
    expect(disposition).toMatch(/^attachment; filename="bao-cao-cycle-2027-LDLD-HN-LDLD-LB\.docx"; filename\*=UTF-8''/);
    expect(utf8Filename(disposition)).toBe(`Báo cáo tổng hợp – ${NAMES['LDLD-LB']} – ${CYCLE}.docx`);
    expect(res.bytes.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    const xml = await (await JSZip.loadAsync(res.bytes)).file('word/document.xml')!.async('string');
    expect(xml).toContain('Nguyễn Thị Ngọc Ánh');
    expect(xml).toContain(CHAIR_LB);
  });

  it("the cycle's figures as XLSX, for the secretariat", async () => {
    const res = await secretariat.download(`/cycles/${CYCLE}/figures.xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX_CONTENT_TYPE);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(utf8Filename(res.headers.get('content-disposition'))).toBe(`Số liệu – ${NAMES['LDLD-HN']} – ${CYCLE}.xlsx`);
    expect(res.bytes.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    const zip = await JSZip.loadAsync(res.bytes);
    const strings = await zip.file('xl/sharedStrings.xml')!.async('string');
    expect(strings).toContain(NAMES['CDCS-DG']);
    expect(strings).toContain('Tổng cộng / Total');
  });
});
