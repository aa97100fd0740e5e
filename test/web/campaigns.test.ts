// The secretariat's campaign pages in Chromium: a campaign created from a copy of the built-in one with a decimal
// figure aggregated by maximum and a cross-field rule, a refused edit with the message beside its field, and a
// version frozen by a cycle edited into a new version. No script on any page (CSP).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignVersions, freezeCampaignVersion, getCampaignVersion } from '../../activities/campaigns/repository';
import { openMigratedDatabase, type Db } from '../../activities/db/database';
import { upsertUnits } from '../../activities/directory/repository';
import { createMailer, type Mailer } from '../../activities/mail/transport';
import { loadConfig } from '../../common/config';
import { launchBrowser } from '../support/browser-stack';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { CookieClient, officerEmail, signInByEmail, startWebApp, webTree, type RunningWebApp } from './support';

let dir: string;
let sink: SmtpSink;
let db: Db;
let mailer: Mailer;
let web: RunningWebApp;
let browser: Browser;
let secretariat: CookieClient;

beforeAll(async () => {
  sink = await startSmtpSink();
  dir = mkdtempSync(join(tmpdir(), 'baocao-web-campaigns-'));
  const config = loadConfig({ BAOCAO_DATA_DIR: dir, SMTP_URL: sink.url });
  db = await openMigratedDatabase(config.database);
  await upsertUnits(db, webTree());
  mailer = createMailer(config.mail, { rateLimit: false });
  // nothing listens there: campaign pages never reach the workflow engine
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:9' }) });
  web = await startWebApp({ config, db, client, taskQueue: 'web-campaigns', mailer });
  secretariat = await signInByEmail(web.url, sink, officerEmail('LDLD-TN'));
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  mailer?.close();
  await db?.destroy();
  await sink?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function pageAs(http: CookieClient, lang: 'vi' | 'en' = 'vi'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: lang === 'vi' ? 'vi-VN' : 'en-GB', javaScriptEnabled: false });
  await context.addCookies([...http.cookies].map(([name, value]) => ({ name, value, url: web.url })));
  return context.newPage();
}

/** The row index of a figure in the editor's figures table. */
async function figureRow(page: Page, key: string): Promise<number> {
  const keys = await page.locator('table.figures input[name$=".key"]').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
  const i = keys.indexOf(key);
  if (i < 0) throw new Error(`no figure row ${key}`);
  return i;
}

describe('campaigns in the browser', () => {
  it('creates a campaign from the built-in one: a decimal figure by maximum, a cross-field rule, quarterly phases', async () => {
    const page = await pageAs(secretariat);
    await page.goto(`${web.url}/campaigns`);
    expect(await page.locator('tr[data-campaign="builtin-yearly"]').textContent()).toContain('Kế hoạch và báo cáo kết quả năm');
    await page.click('text=Tạo đợt báo cáo mới');
    expect(page.url()).toBe(`${web.url}/campaigns/new`);
    // the editor starts as a copy of the built-in campaign
    expect(await page.inputValue('[name="phases.0.key"]')).toBe('plan');

    await page.fill('[name="id"]', 'bao-cao-quy-2027');
    await page.fill('[name="name.vi"]', 'Báo cáo quý học tập và làm theo Bác');
    await page.fill('[name="name.en"]', 'Quarterly report on studying and following Uncle Hồ');
    await page.fill('[name="document.number"]', '31');
    await page.fill('[name="document.symbol"]', 'KH-LĐLĐ');
    await page.fill('[name="document.date"]', '2027-01-06');
    await page.fill('[name="document.place"]', 'Thái Nguyên');
    await page.fill('[name="document.title"]', 'Kế hoạch báo cáo hằng quý năm 2027');
    await page.fill('[name="document.issuingBody"]', 'Ban Thường vụ Liên đoàn Lao động tỉnh Thái Nguyên');
    await page.fill('[name="document.signer.title"]', 'TM. BAN THƯỜNG VỤ\nCHỦ TỊCH');
    await page.fill('[name="document.signer.name"]', 'Trần Thị Ngọc Ánh');
    await page.fill('[name="document.distribution"]', 'Thường trực LĐLĐ tỉnh;\nCác cấp công đoàn trực thuộc;\nLưu: VT, TG.');
    // two quarterly report phases on the report form instead of plan + year end
    for (const [i, q] of [
      [0, 1],
      [1, 2],
    ] as const) {
      await page.fill(`[name="phases.${i}.key"]`, `q${q}`);
      await page.fill(`[name="phases.${i}.name.vi"]`, `Báo cáo quý ${q === 1 ? 'I' : 'II'}`);
      await page.fill(`[name="phases.${i}.name.en"]`, `Q${q} report`);
      await page.fill(`[name="phases.${i}.form"]`, 'report');
      await page.selectOption(`[name="phases.${i}.due.kind"]`, 'quarter-end');
      await page.fill(`[name="phases.${i}.due.quarter"]`, String(q));
      await page.fill(`[name="phases.${i}.due.plusDays"]`, '15');
    }
    // the plan form is no longer used by a phase: clear its row and its sections' rows
    for (const c of ['key', 'title.vi', 'title.en']) await page.fill(`[name="forms.0.${c}"]`, '');
    for (let i = 0; i < 3; i++) for (const c of ['form', 'key', 'title.vi', 'title.en', 'guidance.vi', 'guidance.en', 'maxBytes']) await page.fill(`[name="sections.${i}.${c}"]`, '');
    const rate = await figureRow(page, 'exemplaryModels');
    await page.fill(`[name="figures.${rate}.key"]`, 'coverageRate');
    await page.fill(`[name="figures.${rate}.label.vi"]`, 'Tỷ lệ đoàn viên được học tập');
    await page.fill(`[name="figures.${rate}.label.en"]`, 'Share of members who studied');
    await page.fill(`[name="figures.${rate}.unit.vi"]`, '%');
    await page.fill(`[name="figures.${rate}.unit.en"]`, '%');
    await page.selectOption(`[name="figures.${rate}.type"]`, 'decimal');
    await page.fill(`[name="figures.${rate}.decimals"]`, '1');
    await page.fill(`[name="figures.${rate}.max"]`, '100');
    await page.selectOption(`[name="figures.${rate}.aggregation"]`, 'max');
    // a rule in the first blank row
    await page.fill('[name="rules.0.form"]', 'report');
    await page.fill('[name="rules.0.left"]', 'participants');
    await page.selectOption('[name="rules.0.op"]', 'gte');
    await page.fill('[name="rules.0.right"]', 'studyClasses');
    await page.fill('[name="rules.0.message.vi"]', 'Số người tham gia không thể ít hơn số lớp');
    await page.fill('[name="rules.0.message.en"]', 'Participants cannot be fewer than classes');
    await page.click('button[value="create"]');

    expect(page.url()).toBe(`${web.url}/campaigns/bao-cao-quy-2027?version=1`);
    expect(await page.locator('h1').textContent()).toBe('Báo cáo quý học tập và làm theo Bác — Phiên bản 1');
    expect(await page.locator('tr[data-phase="q2"]').textContent()).toContain('15 ngày sau khi hết quý II');
    expect(await page.locator('tr[data-figure="coverageRate"]').textContent()).toContain('Lớn nhất');
    expect(await page.locator('section[data-form="report"]').textContent()).toContain('participants ≥ studyClasses: Số người tham gia không thể ít hơn số lớp');
    expect(await page.locator('dl.document').textContent()).toContain('31/KH-LĐLĐ');

    const stored = await getCampaignVersion(db, 'bao-cao-quy-2027', 1);
    expect(stored.createdBy).toBe(officerEmail('LDLD-TN'));
    expect(stored.definition.forms.map((f) => f.key)).toEqual(['report']);
    expect(stored.definition.forms[0]!.figures.find((f) => f.key === 'coverageRate')).toMatchObject({ type: 'decimal', decimals: 1, max: 100, aggregation: 'max' });
    expect(stored.definition.forms[0]!.rules).toEqual([{ left: 'participants', op: 'gte', right: { figure: 'studyClasses' }, message: { vi: 'Số người tham gia không thể ít hơn số lớp', en: 'Participants cannot be fewer than classes' } }]);
    expect(stored.definition.document?.signer.title).toBe('TM. BAN THƯỜNG VỤ\nCHỦ TỊCH');
    expect(stored.definition.document?.distribution).toEqual(['Thường trực LĐLĐ tỉnh;', 'Các cấp công đoàn trực thuộc;', 'Lưu: VT, TG.']);
  });

  it('refuses a bad edit with the message beside its field, in the page’s language, and writes nothing', async () => {
    const page = await pageAs(secretariat, 'en');
    await page.goto(`${web.url}/campaigns/bao-cao-quy-2027/edit?version=1&lang=en`);
    const second = await figureRow(page, 'participants');
    await page.fill(`[name="figures.${second}.key"]`, 'studyClasses');
    await page.fill('[name="phases.1.due.quarter"]', '5');
    await page.click('button[value="update"]');
    expect(await page.locator('.notice.error').first().textContent()).toContain('Not saved: correct the fields marked.');
    // the shape first: a quarter 5 (what was typed is kept)
    expect(await page.locator('#f-phases-1-due-quarter-error').textContent()).toBe('a quarter 1, 2, 3 or 4 / quý 1, 2, 3 hoặc 4');
    expect(await page.getAttribute('[name="phases.1.due.quarter"]', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('[name="phases.1.due.quarter"]')).toBe('5');
    expect(await page.inputValue(`[name="figures.${second}.key"]`)).toBe('studyClasses');
    // then the definition's cross-checks: the duplicate key, beside the row's input
    await page.fill('[name="phases.1.due.quarter"]', '2');
    await page.click('button[value="update"]');
    expect(await page.locator(`#f-figures-${second}-key-error`).textContent()).toBe(
      'duplicate figure key "studyClasses" (also figures.0) / mã chỉ tiêu "studyClasses" bị trùng (đã có ở figures.0)',
    );
    expect(await page.getAttribute(`[name="figures.${second}.key"]`, 'aria-invalid')).toBe('true');
    expect((await campaignVersions(db, 'bao-cao-quy-2027')).map((v) => v.version)).toEqual([1]);
    expect((await getCampaignVersion(db, 'bao-cao-quy-2027', 1)).definition.forms[0]!.figures[1]!.key).toBe('participants');
  });

  it('a version a cycle uses offers only a new version; saving makes version 2 and leaves version 1 as it was', async () => {
    await freezeCampaignVersion(db, { id: 'bao-cao-quy-2027', version: 1, cycleId: 'cycle-2027-LDLD-TN' });
    const page = await pageAs(secretariat);
    await page.goto(`${web.url}/campaigns/bao-cao-quy-2027`);
    expect(await page.getAttribute('p.status', 'data-frozen')).toBe('true');
    await page.click('text=Tạo phiên bản mới từ phiên bản này');
    expect(await page.locator('button[value="update"]').count()).toBe(0);
    await page.fill('[name="phases.1.due.plusDays"]', '20');
    await page.click('button[value="new-version"]');
    expect(page.url()).toBe(`${web.url}/campaigns/bao-cao-quy-2027?version=2`);
    expect(await page.locator('tr[data-phase="q2"]').textContent()).toContain('20 ngày sau khi hết quý II');
    expect((await getCampaignVersion(db, 'bao-cao-quy-2027', 1)).definition.phases[1]!.due).toEqual({ kind: 'quarter-end', quarter: 2, plusDays: 15 });
    // a forged "save over" of the frozen version is refused, saying what to do
    const form = await secretariat.request('/campaigns/bao-cao-quy-2027/edit?version=1');
    const refused = await secretariat.request('/campaigns/bao-cao-quy-2027/edit', {
      form: { _csrf: CookieClient.csrfOf(form.text), baseVersion: '1', save: 'update', 'name.vi': 'x', 'name.en': 'x', 'phases.0.key': 'q1', 'phases.0.name.vi': 'Q1', 'phases.0.name.en': 'Q1', 'phases.0.form': 'report', 'phases.0.due.kind': 'year-end', 'forms.0.key': 'report', 'forms.0.title.vi': 'B', 'forms.0.title.en': 'R' },
    });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('save the edit as a new version');
  });

  it('is for the secretariat only, and its pages carry no script', async () => {
    const district = await signInByEmail(web.url, sink, officerEmail('LDLD-DONG'));
    const res = await district.request('/campaigns');
    expect(res.status).toBe(403);
    expect(res.text).toContain('Chỉ Ban Tuyên giáo của đơn vị gốc quản lý đợt báo cáo.');
    for (const path of ['/campaigns', '/campaigns/new', '/campaigns/bao-cao-quy-2027', '/campaigns/bao-cao-quy-2027/edit']) {
      const page = await secretariat.request(path);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(page.text).not.toMatch(/<script/i);
    }
    expect((await secretariat.request('/campaigns/khong-co')).status).toBe(404);
  });
});
