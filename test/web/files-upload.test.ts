// The upload route over real HTTP (multipart as browsers and scripts send it) against the filesystem store:
// what it stores, what it refuses and says so in both languages — an executable renamed .pdf, a file over the
// limit, a name with ../ or a control character, no CSRF token, a request cut off midway — and that a refused
// upload leaves nothing: no row, no object, no staged copy.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mintUnitToken } from '../../activities/access/tokens';
import { openMigratedDatabase, type Db } from '../../activities/db/database';
import { upsertUnits } from '../../activities/directory/repository';
import { createMailer } from '../../activities/mail/transport';
import { loadConfig } from '../../common/config';
import { sampleExe, samplePdf, samplePng } from '../files/samples';
import { CookieClient, startWebApp, webTree, type RunningWebApp } from './support';

const CYCLE = 'cycle-2027-LDLD-TN';
let dir: string;
let db: Db;
let web: RunningWebApp;
let token: string;
let http: CookieClient;
let csrf: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baocao-upload-'));
  db = await openMigratedDatabase({ kind: 'sqlite', file: join(dir, 'test.sqlite') });
  await upsertUnits(db, webTree());
  const config = loadConfig({ BAOCAO_DATA_DIR: dir, BAOCAO_FILE_MAX_BYTES: '64KB', SMTP_URL: 'smtp://127.0.0.1:9' });
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:9' }) });
  web = await startWebApp({ config, db, client, taskQueue: 'files-test', mailer: createMailer(config.mail, { rateLimit: false }) });
  ({ token } = await mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-MAY', expiresAt: '2099-01-01T00:00:00.000Z' }));
  http = new CookieClient(web.url);
  csrf = JSON.parse((await http.request('/api/csrf')).text).token as string;
});
afterEach(async () => {
  await web?.close();
  await db?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

async function upload(files: { name: string; bytes: Buffer; type?: string }[], withCsrf = true) {
  const form = new FormData();
  for (const f of files) form.append('files', new Blob([f.bytes], { type: f.type ?? 'application/pdf' }), f.name);
  const query = withCsrf ? `?_csrf=${encodeURIComponent(csrf)}` : '';
  const res = await fetch(`${web.url}/t/${token}/files/report${query}`, {
    method: 'POST',
    body: form,
    headers: { cookie: [...http.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    redirect: 'manual',
  });
  return { status: res.status, text: await res.text(), location: res.headers.get('location') };
}

const rows = () => db.selectFrom('files').selectAll().execute();
const list = (path: string) => (existsSync(path) ? readdirSync(path) : []);
const objects = () => list(join(dir, 'files')).filter((n) => /^[0-9a-f]{2}$/.test(n));
const staged = () => list(join(dir, 'upload-staging'));

describe('uploading on the unit page', () => {
  it('stores a PDF and a photo, and gives them back under their names', async () => {
    const pdf = await samplePdf();
    const res = await upload([
      { name: 'Báo cáo kết quả – bản ký.pdf', bytes: pdf },
      { name: 'ảnh trang ký.png', bytes: samplePng(), type: 'image/png' },
    ]);
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/t/${token}#report-files`);
    const stored = await rows();
    expect(stored.map((r) => [r.name, r.media_type, r.unit_id, r.phase])).toEqual([
      ['Báo cáo kết quả – bản ký.pdf', 'application/pdf', 'CDCS-MAY', 'report'],
      ['ảnh trang ký.png', 'image/png', 'CDCS-MAY', 'report'],
    ]);
    const got = await http.download(`/t/${token}/files/${stored[0]!.id}`);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(pdf)).toBe(true);
    expect(got.headers.get('content-disposition')).toBe(
      `inline; filename="Bao cao ket qua _ ban ky.pdf"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20k%E1%BA%BFt%20qu%E1%BA%A3%20%E2%80%93%20b%E1%BA%A3n%20k%C3%BD.pdf`,
    );
    expect(got.headers.get('content-security-policy')).toMatch(/^sandbox;/);
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(staged()).toEqual([]);
  });

  it.each([
    ['an executable renamed .pdf', { name: 'Báo cáo.pdf', bytes: sampleExe() }, /không phải PDF, DOCX, XLSX, JPEG hay PNG[\s\S]*is not one of PDF/],
    ['a file over the limit', { name: 'scan.pdf', bytes: Buffer.alloc(100 * 1024, 1) }, /vượt quá giới hạn 64 KB[\s\S]*larger than the limit of 64 KB/],
    ['a name with ../', { name: '../../etc/passwd.pdf', bytes: Buffer.alloc(10) }, /Tên tệp không dùng được[\s\S]*contains a path/],
  ] as const)('refuses %s in both languages and stores nothing', async (_what, file, message) => {
    const res = await upload([file]);
    expect(res.status).toBe(422);
    expect(res.text).toMatch(message);
    expect(await rows()).toEqual([]);
    expect(staged()).toEqual([]);
  });

  it('keeps the good file of a mixed upload and names the refused one', async () => {
    const res = await upload([
      { name: 'tốt.pdf', bytes: await samplePdf() },
      { name: 'virus.pdf', bytes: sampleExe() },
    ]);
    expect(res.status).toBe(422);
    expect(res.text).toContain('virus.pdf');
    expect(res.text).toMatch(/1 (tệp khác|other file)/);
    expect((await rows()).map((r) => r.name)).toEqual(['tốt.pdf']);
  });

  it('refuses an upload without the CSRF token before reading it', async () => {
    const res = await upload([{ name: 'a.pdf', bytes: await samplePdf() }], false);
    expect(res.status).toBe(403);
    expect(await rows()).toEqual([]);
  });

  it('leaves nothing of a request cut off midway', async () => {
    const pdf = Buffer.concat([Buffer.alloc(40 * 1024, 7), await samplePdf()]);
    const boundary = 'baocaoBoundary7';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="cut.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    );
    const url = new URL(web.url);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const cookie = [...http.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    socket.write(
      `POST /t/${token}/files/report?_csrf=${encodeURIComponent(csrf)} HTTP/1.1\r\nHost: ${url.host}\r\nCookie: ${cookie}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${head.length + pdf.length + 100}\r\n\r\n`,
    );
    socket.write(head);
    socket.write(pdf.subarray(0, 20 * 1024));
    // the server has begun staging it before the connection drops
    await expect.poll(() => staged().length, { timeout: 10_000 }).toBe(1);
    socket.destroy();
    await expect.poll(() => staged().length, { timeout: 10_000 }).toBe(0);
    expect(await rows()).toEqual([]);
    expect(objects()).toEqual([]);
  });

  it('removes a pending upload on request, and another unit’s link cannot see it', async () => {
    await upload([{ name: 'nhầm.pdf', bytes: await samplePdf() }]);
    const [row] = await rows();
    const { token: other } = await mintUnitToken(db, { cycleId: CYCLE, unitId: 'CDCS-KD', expiresAt: '2099-01-01T00:00:00.000Z' });
    expect((await http.download(`/t/${other}/files/${row!.id}`)).status).toBe(404);
    const res = await http.request(`/t/${token}/files/${row!.id}/remove`, { form: { _csrf: csrf } });
    expect(res.status).toBe(303);
    expect(await rows()).toEqual([]);
  });
});
