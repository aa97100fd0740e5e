// The unit directory template on the web app: a link on the secretariat's home page, the XLSX download for
// signed-in staff only, and the downloaded file imports once filled in (no workflow engine needed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openMigratedDatabase, type Db } from '../../activities/db/database';
import { importUnits } from '../../activities/directory/import';
import { getUnit, upsertUnits } from '../../activities/directory/repository';
import { XLSX_CONTENT_TYPE } from '../../activities/documents/labels';
import { createMailer, type Mailer } from '../../activities/mail/transport';
import { loadConfig, type Config } from '../../common/config';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { CookieClient, officerEmail, signInByEmail, startWebApp, webTree, type RunningWebApp } from './support';

let dir: string;
let sink: SmtpSink;
let config: Config;
let db: Db;
let mailer: Mailer;
let web: RunningWebApp;
// Nothing listens there: these pages never reach the workflow engine.
const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:9' }) });

beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.close();
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baocao-web-template-'));
  config = loadConfig({ BAOCAO_DATA_DIR: dir, SMTP_URL: sink.url });
  db = await openMigratedDatabase(config.database);
  await upsertUnits(db, webTree());
  mailer = createMailer(config.mail, { rateLimit: false });
  web = await startWebApp({ config, db, client, taskQueue: 'web-template-test', mailer });
});
afterEach(async () => {
  await web.close();
  mailer.close();
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('the unit directory template', () => {
  it('is linked from the secretariat’s home page, in both languages', async () => {
    const http = await signInByEmail(web.url, sink, officerEmail('LDLD-TN'));
    const home = await http.request('/');
    expect(home.text).toMatch(/<a id="unit-template" href="\/units\/template\.xlsx" download>Tải mẫu danh bạ đơn vị \(Excel\)<\/a>/);
    expect((await http.request('/?lang=en')).text).toContain('Download the unit directory template (Excel)');
  });

  it('downloads as XLSX with a Vietnamese file name, and imports once filled in', async () => {
    const http = await signInByEmail(web.url, sink, officerEmail('LDLD-TN'));
    const res = await http.download('/units/template.xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX_CONTENT_TYPE);
    const disposition = res.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; filename="mau-danh-ba-don-vi\.xlsx"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe('Mẫu danh bạ đơn vị.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.bytes as unknown as ExcelJS.Buffer);
    const sheet = wb.worksheets[0]!;
    expect([sheet.getCell('A1').value, sheet.getCell('H1').value, sheet.getCell('A2').value, sheet.getCell('H2').value]).toEqual([
      'Mã đơn vị',
      'Email cán bộ phụ trách',
      'id',
      'officer_email',
    ]);
    ['CDCS-MOI', 'Công đoàn cơ sở Trường Mầm non Hoa Sen', 'grassroots', 'CDN-GD', 'Lý Thị Hoa', 'hoa@example.vn', 'Đỗ Văn Sen', 'sen@example.vn'].forEach(
      (v, i) => (sheet.getRow(3).getCell(i + 1).value = v),
    );
    const result = await importUnits(db, { format: 'xlsx', data: Buffer.from(await wb.xlsx.writeBuffer()) }, { activeFrom: '2026-01-01' });
    expect(result).toMatchObject({ created: 1 });
    expect(await getUnit(db, 'CDCS-MOI', '2026-01-01')).toMatchObject({ parentId: 'CDN-GD', officer: { name: 'Đỗ Văn Sen' } });
  });

  it('is for signed-in staff only', async () => {
    const anonymous = await new CookieClient(web.url).download('/units/template.xlsx');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/signin/);
  });
});
