// The cycle's issuing document on the web: the secretariat attaches its signed PDF on the cycle page (multipart,
// the same content check as any upload), states its number, title and signer, removes a file; other staff see and
// download it; a unit opens it with its emailed link — the task link, or a reminder's read-only document link —
// with no sign-in, the PDF inline under its Vietnamese name (RFC 5987). What others may not do is refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDocumentToken, storeDocumentToken } from '../../activities/access/document-links';
import { mintUnitToken } from '../../activities/access/tokens';
import { openMigratedDatabase, type Db } from '../../activities/db/database';
import { createFileStorage } from '../../activities/files';
import { removeOrphanedUploads } from '../../activities/files/orphans';
import { issuingDocumentOfCycle } from '../../activities/files/issuing-document';
import { snapshotCycleTree } from '../../activities/directory/repository';
import { createMailer, type Mailer } from '../../activities/mail/transport';
import { loadConfig, type Config } from '../../common/config';
import { buildArchive, CYCLE, DISTRICT, ROOT } from '../documents/fixture';
import { sampleExe, samplePdf } from '../files/samples';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTimeSkippingEnv } from '../support/temporal';
import { CookieClient, signInByEmail, startWebApp, type RunningWebApp } from './support';

const CLOSED = 'cycle-2028-LDLD-HN';
const officer = (unitId: string) => `officer.${unitId.toLowerCase()}@example.vn`;
const PDF_NAME = 'Kế hoạch số 18 – bản ký, đóng dấu.pdf';
const DAY = 24 * 60 * 60 * 1000;

let env: TestWorkflowEnvironment;
let dir: string;
let sink: SmtpSink;
let db: Db;
let config: Config;
let mailer: Mailer;
let web: RunningWebApp;
let secretariat: CookieClient;
let district: CookieClient;
let pdf: Buffer;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  sink = await startSmtpSink();
  dir = mkdtempSync(join(tmpdir(), 'baocao-web-document-'));
  config = loadConfig({ BAOCAO_DATA_DIR: dir, SMTP_URL: sink.url, BAOCAO_FILE_MAX_BYTES: '1MB' });
  db = await openMigratedDatabase(config.database);
  await buildArchive(db);
  mailer = createMailer(config.mail, { rateLimit: false });
  web = await startWebApp({ config, db, client: env.client, taskQueue: 'no-worker-needed', mailer });
  secretariat = await signInByEmail(web.url, sink, officer(ROOT));
  district = await signInByEmail(web.url, sink, officer(DISTRICT));
  pdf = await samplePdf('Ke hoach so 18/KH-LDLD - TM. Ban Thuong vu');
  // CYCLE runs (a workflow no worker picks up is RUNNING: the secretariat may change its document); CLOSED is over
  await env.client.workflow.start('cycleWorkflow', { taskQueue: 'no-worker-needed', workflowId: CYCLE, args: [] });
  await snapshotCycleTree(db, { cycleId: CLOSED, rootId: ROOT, asOf: '2028-01-05' });
  await (await env.client.workflow.start('cycleWorkflow', { taskQueue: 'no-worker-needed', workflowId: CLOSED, args: [] })).terminate('closed for the test');
}, 120_000);

const csrfOf = async (as: CookieClient) => JSON.parse((await as.request('/api/csrf')).text).token as string;

afterAll(async () => {
  await web?.close();
  mailer?.close();
  await db?.destroy();
  await sink?.close();
  await env?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

async function upload(as: CookieClient, files: { name: string; bytes: Buffer }[], cycleId = CYCLE) {
  const csrf = await csrfOf(as);
  const form = new FormData();
  for (const f of files) form.append('files', new Blob([f.bytes], { type: 'application/pdf' }), f.name);
  const res = await fetch(`${web.url}/cycles/${cycleId}/document/files?_csrf=${encodeURIComponent(csrf)}`, {
    method: 'POST',
    body: form,
    headers: { cookie: [...as.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    redirect: 'manual',
  });
  return { status: res.status, text: await res.text(), location: res.headers.get('location') };
}

const issuingRows = () => db.selectFrom('files').selectAll().where('owner_kind', '=', 'issuing-document').execute();

describe('the secretariat', () => {
  it('attaches the signed PDF; a renamed executable is refused in both languages, nothing kept', async () => {
    const res = await upload(secretariat, [
      { name: PDF_NAME, bytes: pdf },
      { name: 'ke-hoach.pdf', bytes: sampleExe() },
    ]);
    expect(res.status).toBe(422);
    expect(res.text).toContain('không phải PDF');
    expect(res.text).toContain('is not one of');
    expect(res.text).toContain('Đã đính kèm 1 tệp khác.');
    const rows = await issuingRows();
    expect(rows.map((r) => [r.name, r.cycle_id, r.media_type, r.uploaded_by])).toEqual([[PDF_NAME, CYCLE, 'application/pdf', officer(ROOT)]]);
    expect(rows[0]!.attached_at).not.toBeNull();
  });

  it('states the number, title and signer', async () => {
    const res = await secretariat.request(`/cycles/${CYCLE}/document`, {
      form: { _csrf: await csrfOf(secretariat), number: '18/KH-LĐLĐ', title: 'Kế hoạch tuyên truyền năm 2027', signer: 'TM. BAN THƯỜNG VỤ – CHỦ TỊCH Nguyễn Văn Bình' },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/cycles/${CYCLE}#issuing-document`);
    expect(await issuingDocumentOfCycle(db, CYCLE)).toMatchObject({ number: '18/KH-LĐLĐ', title: 'Kế hoạch tuyên truyền năm 2027', signer: 'TM. BAN THƯỜNG VỤ – CHỦ TỊCH Nguyễn Văn Bình' });
  });

  it('a district’s staff download the document but may not attach or change it', async () => {
    const [row] = await issuingRows();
    const got = await district.download(`/cycles/${CYCLE}/document/files/${row!.id}`);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(pdf)).toBe(true);
    expect((await upload(district, [{ name: 'x.pdf', bytes: pdf }])).status).toBe(403);
    const facts = await district.request(`/cycles/${CYCLE}/document`, { form: { _csrf: await csrfOf(district), title: 'khác' } });
    expect(facts.status).toBe(403);
    expect(await issuingRows()).toHaveLength(1);
  });

  it('an over-long number is refused with the field named', async () => {
    const res = await secretariat.request(`/cycles/${CYCLE}/document`, { form: { _csrf: await csrfOf(secretariat), number: 'Đ'.repeat(400) } });
    expect(res.status).toBe(400);
    expect(res.text).toContain('number: ');
    expect(res.text).toContain('byte');
  });
});

describe('a unit, from its emailed links', () => {
  it('opens the document with its task link, the PDF inline under its name, no sign-in', async () => {
    const { token } = await mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-NT', expiresAt: '2099-01-01T00:00:00.000Z' });
    const unit = new CookieClient(web.url);
    const page = await unit.request(`/t/${token}/document`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Kế hoạch tuyên truyền năm 2027');
    expect(page.text).toContain('18/KH-LĐLĐ');
    expect(page.text).toContain(`href="/t/${token}"`);
    const [row] = await issuingRows();
    expect(page.text).toContain(`href="/t/${token}/document/files/${row!.id}" target="_blank"`);
    const got = await unit.download(`/t/${token}/document/files/${row!.id}`);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(pdf)).toBe(true);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toBe(
      `inline; filename="Ke hoach so 18 _ ban ky, dong dau.pdf"; filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20s%E1%BB%91%2018%20%E2%80%93%20b%E1%BA%A3n%20k%C3%BD%2C%20%C4%91%C3%B3ng%20d%E1%BA%A5u.pdf`,
    );
    expect(got.headers.get('content-security-policy')).toContain('sandbox');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('opens it with a reminder’s document link too, which opens nothing else', async () => {
    const { token, tokenHash } = newDocumentToken();
    await storeDocumentToken(db, tokenHash, { cycleId: CYCLE, unitId: 'CDCS-BV', expiresAt: '2099-01-01T00:00:00.000Z' }, new Date());
    const unit = new CookieClient(web.url);
    const page = await unit.request(`/t/${token}/document`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(PDF_NAME);
    expect(page.text).not.toContain(`href="/t/${token}"`);
    expect((await unit.request(`/t/${token}`)).status).toBe(404);
    // a submission's file is not the document's
    const [row] = await issuingRows();
    expect((await unit.download(`/t/${token}/document/files/${row!.id}`)).status).toBe(200);
    expect((await unit.download(`/t/${token}/document/files/AAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);
    expect((await unit.request(`/t/${'x'.repeat(43)}/document`)).status).toBe(404);
  });
});

describe('the files stay', () => {
  it('the orphan clean-up never takes a document’s file; removing it takes it off the page', async () => {
    const storage = createFileStorage(config.files.store);
    try {
      expect((await removeOrphanedUploads(db, storage, new Date(Date.now() + 30 * DAY))).uploads).toBe(0);
      expect(await issuingRows()).toHaveLength(1);
      const [row] = await issuingRows();
      const res = await secretariat.request(`/cycles/${CYCLE}/document/files/${row!.id}/remove`, { form: { _csrf: await csrfOf(secretariat) } });
      expect(res.status).toBe(303);
      expect(await issuingRows()).toHaveLength(0);
      const { token } = await mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-DG', expiresAt: '2099-01-01T00:00:00.000Z' });
      expect((await new CookieClient(web.url).request(`/t/${token}/document`)).text).toContain('data-field="no-document-files"');
    } finally {
      await storage.close();
    }
  });
});

describe('a closed cycle', () => {
  it('shows its document on the cycle page, read-only, and refuses changes', async () => {
    const page = await secretariat.request(`/cycles/${CLOSED}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="issuing-document"');
    expect(page.text).not.toContain('id="document-upload"');
    expect(page.text).not.toContain('id="document-facts"');
    expect((await upload(secretariat, [{ name: PDF_NAME, bytes: pdf }], CLOSED)).status).toBe(409);
    expect(await db.selectFrom('files').selectAll().where('cycle_id', '=', CLOSED).execute()).toEqual([]);
  });
});
