// The cycle page's pictures and the pages behind its numbers, in Debian's Chromium against the web app on the
// time-skipping server (the cycle is one Temporal no longer has: every number comes from the archive, written
// as the workers write it — test/documents/fixture.ts). The numbers are read back from the SVG text and the
// tables beside the charts; drill-down links are followed to the units behind them; a district's supervisor
// cannot open the lists of another district.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeSubmission } from '../../activities/archive/store';
import { openMigratedDatabase, type Db } from '../../activities/db/database';
import { snapshotCycleTree, upsertUnits } from '../../activities/directory/repository';
import type { UnitInput } from '../../activities/directory/types';
import { createMailer, type Mailer } from '../../activities/mail/transport';
import { loadConfig } from '../../common/config';
import { buildArchive, CYCLE, DISTRICT, FIGURES, NAMES, ROOT } from '../documents/fixture';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTimeSkippingEnv } from '../support/temporal';
import { signInByEmail, startWebApp, type CookieClient, type RunningWebApp } from './support';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = process.env.BAOCAO_SCREENSHOTS_DIR ? resolve(process.env.BAOCAO_SCREENSHOTS_DIR) : mkdtempSync(join(tmpdir(), 'baocao-screenshots-'));
const officer = (unitId: string) => `officer.${unitId.toLowerCase()}@example.vn`;

let env: TestWorkflowEnvironment;
let dir: string;
let sink: SmtpSink;
let db: Db;
let mailer: Mailer;
let web: RunningWebApp;
let browser: Browser;
let secretariat: CookieClient;
let district: CookieClient;
let big: CookieClient;

/** A second cycle, of 1 + 3 + 447 units, for the heat map's pages (200 units each). */
const BIG_ROOT = 'LDLD-LON';
const BIG_CYCLE = 'cycle-2027-LDLD-LON';
function bigTree(): UnitInput[] {
  const u = (id: string, kind: UnitInput['kind'], parentId: string | null): UnitInput => ({
    id,
    name: `Công đoàn ${id}`,
    kind,
    parentId,
    chair: { name: 'Chủ tịch', email: `chair.${id.toLowerCase()}@example.vn` },
    officer: { name: 'Cán bộ', email: officer(id) },
    language: 'vi',
    activeFrom: '2020-01-01',
    activeTo: null,
    distribution: [],
  });
  const out = [u(BIG_ROOT, 'root', null)];
  for (let d = 1; d <= 3; d++) {
    out.push(u(`LON-D${d}`, 'intermediate', BIG_ROOT));
    for (let g = 1; g <= 149; g++) out.push(u(`LON-D${d}-${String(g).padStart(3, '0')}`, 'grassroots', `LON-D${d}`));
  }
  return out;
}

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  sink = await startSmtpSink();
  dir = mkdtempSync(join(tmpdir(), 'baocao-web-charts-'));
  const config = loadConfig({ BAOCAO_DATA_DIR: dir, SMTP_URL: sink.url });
  db = await openMigratedDatabase(config.database);
  await buildArchive(db);
  await upsertUnits(db, bigTree());
  await snapshotCycleTree(db, { cycleId: BIG_CYCLE, rootId: BIG_ROOT, asOf: '2027-01-04' });
  // every tenth grassroots union of the last district submitted its plan late
  for (let g = 10; g <= 149; g += 10) {
    const unitId = `LON-D3-${String(g).padStart(3, '0')}`;
    await storeSubmission(db, { cycleId: BIG_CYCLE, unitId, phase: 'plan', version: 1, idempotencyKey: `big-${g}`, content: { title: 'Kế hoạch', number: '', body: '.' }, channel: 'test', submittedBy: 'test', submittedAt: '2027-04-02T03:00:00.000Z', late: true });
  }
  mailer = createMailer(config.mail, { rateLimit: false });
  web = await startWebApp({ config, db, client: env.client, taskQueue: 'no-worker-needed', mailer });
  secretariat = await signInByEmail(web.url, sink, officer(ROOT));
  district = await signInByEmail(web.url, sink, officer(DISTRICT));
  big = await signInByEmail(web.url, sink, officer(BIG_ROOT));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  mailer?.close();
  await db?.destroy();
  await sink?.close();
  await env?.teardown();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A browser page signed in as the staff member whose cookies `http` holds. */
async function pageAs(http: CookieClient, lang: 'vi' | 'en' = 'vi'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: lang === 'vi' ? 'vi-VN' : 'en-GB' });
  await context.addCookies([...http.cookies].map(([name, value]) => ({ name, value, url: web.url })));
  return context.newPage();
}

const texts = async (page: Page | Locator, selector: string) => (await page.locator(selector).allTextContents()).map((s) => s.trim());

describe('the cycle page in pictures, every number traceable', () => {
  it('draws the progress of each phase with the counts as text in the SVG and in the table beside it', async () => {
    const page = await pageAs(secretariat);
    await page.goto(`${web.url}/cycles/${CYCLE}`);
    for (const phase of ['plan', 'report'] as const) {
      const pair = page.locator(`#progress .chart-pair[data-phase="${phase}"]:not(.bars)`);
      const svg = pair.locator('svg[role="img"]');
      expect(await svg.locator('title').first().textContent()).toContain(phase === 'plan' ? 'Kế hoạch' : 'Báo cáo');
      // 8 units below the city: 5 on time, 1 late (CDCS-NT), 2 overdue (CDCS-BV, LDLD-GL) in each phase
      const legend = await texts(pair, 'svg .legend text');
      expect(legend).toContain('Đúng hạn: 5');
      expect(legend).toContain('Muộn: 1');
      expect(await pair.locator('svg text', { hasText: 'Phải nộp: 8' }).count()).toBe(1);
      const table = pair.locator('table.chart-numbers');
      expect(await table.locator('tr[data-col="expected"] td').textContent()).toBe('8');
      expect(await table.locator('tr[data-col="missing"] td').textContent()).toBe('2');
      expect(await table.locator('tr[data-col="overdue"] td').textContent()).toBe('2');
      // the curve's two bands are paths the browser laid out
      const box = await svg.locator('path.on-time').boundingBox();
      expect(box!.height).toBeGreaterThan(10);
    }
    // worst first: Gia Lâm (nothing submitted) above Long Biên
    const bars = page.locator('#progress .chart-pair.bars[data-phase="plan"]');
    expect(await bars.locator('svg a[data-unit]').evaluateAll((as) => as.map((a) => a.getAttribute('data-unit')))).toEqual(['LDLD-GL', 'LDLD-LB']);
    const lb = bars.locator('table tr[data-bar-unit="LDLD-LB"]');
    expect(await texts(lb, 'td')).toEqual(['7', '5', '1', '1', '1']);
    expect(await bars.locator('svg rect[data-standing="overdue"] title').first().textContent()).toBe(`${NAMES['LDLD-GL']} — Quá hạn: 1 / 1`);
    await page.screenshot({ path: join(SCREENSHOTS, 'cycle-charts.png'), fullPage: true });
    // a bar's numbers count the direct unit's own task too, and so do the lists behind them
    await lb.locator('td[data-col="expected"] a').click();
    await page.locator('#behind').waitFor();
    expect(await page.locator('#behind-rows tbody tr').count()).toBe(7);
    expect(await page.locator('#behind-rows tbody tr').first().getAttribute('data-unit')).toBe('LDLD-LB');
    await page.context().close();
  });

  it('a count links to the units behind it, and each to its submission', async () => {
    const page = await pageAs(secretariat);
    await page.goto(`${web.url}/cycles/${CYCLE}`);
    await page.locator('#progress .chart-pair[data-phase="report"]:not(.bars) tr[data-col="late"] a').click();
    await page.locator('#behind').waitFor();
    expect(await page.locator('#behind').getAttribute('data-category')).toBe('late');
    expect(await page.locator('#behind-rows tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit')))).toEqual(['CDCS-NT']);
    await page.locator('#behind-rows tr[data-unit="CDCS-NT"] a[data-link="submission"]').click();
    await page.locator('section#report').waitFor();
    expect(page.url()).toContain('/units/CDCS-NT');
    // the aggregate table's counts link too: overdue plans below the city
    await page.goto(`${web.url}/cycles/${CYCLE}`);
    await page.locator('table.aggregate tr[data-phase="plan"] td[data-col="overdue"] a').click();
    await page.locator('#behind').waitFor();
    expect(await page.locator('#behind-rows tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit')))).toEqual(['LDLD-GL', 'CDCS-BV']);
    await page.screenshot({ path: join(SCREENSHOTS, 'drill-down.png'), fullPage: true });
    await page.context().close();
  });

  it("a figure's total links to the reports that make it, each with its value", async () => {
    const page = await pageAs(secretariat, 'en');
    await page.goto(`${web.url}/cycles/${CYCLE}?lang=en`);
    await page.locator('table.figures a[data-figure-link="participants"]').first().click();
    await page.locator('#behind').waitFor();
    const rows = await page.locator('#behind-rows tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.getAttribute('data-unit'), tr.querySelector('[data-col="value"]')!.textContent!.replace(/\D/g, '')]),
    );
    // every latest report of the subtree (CDCS-PGD's late-arriving one included), depth first in the frozen
    // tree's order (the snapshot orders siblings by id: CD-KCQ before CDCS-…)
    const expected: [string, number][] = [
      ['LDLD-LB', FIGURES['LDLD-LB']!.participants],
      ['CD-KCQ', FIGURES['CD-KCQ']!.participants],
      ['CDCS-BD', FIGURES['CDCS-BD']!.participants],
      ['CDCS-PGD', 100],
      ['CDCS-DG', FIGURES['CDCS-DG']!.participants],
      ['CDCS-NT', FIGURES['CDCS-NT']!.participants],
    ];
    expect(rows).toEqual(expected.map(([id, v]) => [id, String(v)]));
    const sum = expected.reduce((s, [, v]) => s + v, 0);
    expect((await page.locator('[data-field="sum"]').textContent())!.replace(/\D/g, '')).toBe(String(sum));
    await page.context().close();
  });

  it('the heat map colours every unit of a subtree by phase, with the same states as text', async () => {
    const page = await pageAs(district);
    await page.goto(`${web.url}/cycles/${CYCLE}/units/${DISTRICT}/heatmap`);
    const cells = await page.locator('svg rect[data-phase]').evaluateAll((rs) => rs.map((r) => `${r.parentElement!.getAttribute('data-unit')}:${r.getAttribute('data-phase')}:${r.getAttribute('data-standing')}`));
    expect(cells).toContain('CDCS-BV:plan:overdue');
    expect(cells).toContain('CDCS-NT:report:late');
    expect(cells).toContain('CDCS-PGD:report:on-time');
    expect(cells).toHaveLength(7 * 2);
    expect(await page.locator('#heat-rows tr[data-unit="CDCS-BV"] td[data-phase="plan"]').textContent()).toBe('Quá hạn');
    expect(await page.locator('svg title').first().textContent()).toContain(NAMES[DISTRICT]);
    await page.screenshot({ path: join(SCREENSHOTS, 'heat-map.png'), fullPage: true });
    await page.context().close();
  });

  it("a district's supervisor opens its own lists, never another district's or the city's", async () => {
    expect((await district.request(`/cycles/${CYCLE}/units/${DISTRICT}/behind/plan/late`)).status).toBe(200);
    expect((await district.request(`/cycles/${CYCLE}/units/LDLD-GL/behind/plan/overdue`)).status).toBe(403);
    expect((await district.request(`/cycles/${CYCLE}/units/${ROOT}/behind/plan/overdue`)).status).toBe(403);
    expect((await district.request(`/cycles/${CYCLE}/units/${ROOT}/figures/participants`)).status).toBe(403);
    expect((await district.request(`/cycles/${CYCLE}/units/LDLD-GL/heatmap`)).status).toBe(403);
    expect((await district.request(`/cycles/${CYCLE}/units/NO-SUCH/heatmap`)).status).toBe(404);
    expect((await secretariat.request(`/cycles/${CYCLE}/units/${ROOT}/behind/plan/nonsense`)).status).toBe(404);
    // the district's own list names only its units
    const own = await district.request(`/cycles/${CYCLE}/units/${DISTRICT}/behind/report/expected`);
    expect(own.text).not.toContain('LDLD-GL');
    expect(own.text).toContain('CDCS-BV');
  });

  it('pages the heat map of a large subtree 200 units at a time, and the lists behind its counts', async () => {
    const page = await pageAs(big);
    const rowsOn = async (n: number) => {
      await page.goto(`${web.url}/cycles/${BIG_CYCLE}/units/${BIG_ROOT}/heatmap${n ? `?page=${n}` : ''}`);
      return page.locator('svg a[data-unit]').evaluateAll((as) => as.map((a) => a.getAttribute('data-unit')!));
    };
    const pages = [await rowsOn(0), await rowsOn(1), await rowsOn(2)];
    expect(pages.map((p) => p.length)).toEqual([200, 200, 51]);
    // the whole subtree once, depth first: the root, a district, its unions, the next district…
    const all = pages.flat();
    expect(new Set(all).size).toBe(451);
    expect(all.slice(0, 3)).toEqual([BIG_ROOT, 'LON-D1', 'LON-D1-001']);
    expect(await page.locator('[data-field="range"]').textContent()).toBe('Đơn vị 401–451 trong 451');
    expect(await page.locator('#heat-rows tbody tr').count()).toBe(51);
    // units 401–451 are LON-D3-099 … LON-D3-149: five of the late ones (100, 110, … 140)
    expect(await page.locator('svg rect[data-standing="late"]').count()).toBe(5);
    await page.context().close();
    const cycle = await big.request(`/cycles/${BIG_CYCLE}`);
    expect(cycle.status).toBe(200);
    const late = await big.request(`/cycles/${BIG_CYCLE}/units/${BIG_ROOT}/behind/plan/late`);
    expect((late.text.match(/<tr data-unit="LON-D3-\d+" data-standing="late">/g) ?? []).length).toBe(14);
    const expected = await big.request(`/cycles/${BIG_CYCLE}/units/${BIG_ROOT}/behind/plan/expected?page=2`);
    expect((expected.text.match(/<tr data-unit=/g) ?? []).length).toBe(50);
  });
});
