// The set-up the Chromium tests of the web app share: Debian's Chromium (found by the global setup), and for the
// end-to-end ones the real stack behind it — the time-skipping Temporal server, the production worker wiring
// (cycle harness: SQLite, a real SMTP sink), the web app listening on loopback — with what every such test does
// in a browser: a page per user, the newest email to an address, the link in it, signing in by the emailed link,
// reloading until the workflows' state shows, screenshots.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { inject } from 'vitest';
import type { UnitInput } from '../../activities/directory/types';
import { startWebApp, webTree, type RunningWebApp } from '../web/support';
import { createCycleHarness, type CycleHarness } from './cycle-harness';
import type { ReceivedMail } from './smtp-sink';
import { createTimeSkippingEnv } from './temporal';

/** A page shows what the workflows say; they settle within this many reloads (each one a full round trip). */
export const MAX_RELOADS = 600;
const DESKTOP = { viewport: { width: 1280, height: 900 }, locale: 'vi-VN' };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN' };

/** Debian's Chromium (or whatever the global setup provisioned: scripts/provision-browser.mjs), headless. */
export async function launchBrowser(): Promise<Browser> {
  const found = inject('browser');
  if (found.kind === 'none') throw new Error(found.reason);
  return chromium.launch({ executablePath: found.path, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

export interface StartedStack {
  env: TestWorkflowEnvironment;
  h: CycleHarness;
  web: RunningWebApp;
  /** the year after the test server's: no cycle of it exists yet */
  year: number;
}

/**
 * The stack of one test file, made before it starts so that its helpers can be taken apart at the top of the
 * file: `const stack = browserStack('web-e2e'); const { newPage, mailTo } = stack;`, then
 * `beforeAll(() => stack.start())` and `afterAll(() => stack.close())`.
 */
export function browserStack(name: string, options: { units?: () => UnitInput[] } = {}) {
  let started: StartedStack | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let browser: Browser | undefined;
  let screenshots = '';
  const contexts: BrowserContext[] = [];
  /** The app's clock follows the test server's, which jumps when time is skipped (production: both are the wall clock). */
  let clockOffsetMs = 0;

  const the = (): StartedStack => {
    if (!started) throw new Error(`browserStack(${name}): call start() in beforeAll first`);
    return started;
  };

  async function start(): Promise<StartedStack> {
    const env = await createTimeSkippingEnv();
    const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
    const h = await createCycleHarness(env, { units: (options.units ?? webTree)() }, name);
    // Listening first: the task emails the worker sends then carry this app's address.
    const web = await startWebApp({ config: h.config, db: h.db, client: env.client, taskQueue: h.taskQueue, mailer: h.mailer, now });
    started = { env, h, web, year };
    worker = await h.newWorker();
    running = worker.run();
    browser = await launchBrowser();
    // BAOCAO_SCREENSHOTS_DIR=docs/screenshots refreshes the ones kept in the repository
    screenshots = process.env.BAOCAO_SCREENSHOTS_DIR ? resolve(process.env.BAOCAO_SCREENSHOTS_DIR) : mkdtempSync(join(tmpdir(), 'baocao-screenshots-'));
    mkdirSync(screenshots, { recursive: true });
    return started;
  }

  async function close(): Promise<void> {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await started?.web.close();
    if (worker) {
      worker.shutdown();
      await running;
    }
    await started?.h.close();
    await started?.env.teardown();
  }

  /** The app's clock: the wall clock shifted to the test server's at the last followServerClock(). */
  function now(): Date {
    return new Date(Date.now() + clockOffsetMs);
  }

  /** After skipping time: the app's clock takes the test server's. */
  async function followServerClock(): Promise<void> {
    clockOffsetMs = (await the().env.currentTimeMs()) - Date.now();
  }

  /** A page in a browser of its own (cookies included), on a desktop or a phone. */
  async function newPage(o: { phone?: boolean } = {}): Promise<Page> {
    if (!browser) throw new Error(`browserStack(${name}): call start() in beforeAll first`);
    const context = await browser.newContext(o.phone ? PHONE : DESKTOP);
    contexts.push(context);
    return context.newPage();
  }

  /** The newest email to `address` matching `test`, waiting for it to arrive. */
  async function mailTo(address: string, test: (m: ReceivedMail) => boolean): Promise<ReceivedMail> {
    const { sink } = the().h;
    const match = (m: ReceivedMail) => m.to.includes(address) && test(m);
    await sink.waitFor((all) => all.some(match));
    return sink.messages.filter(match).at(-1)!;
  }

  /** The app's sign-in (`signin`) or task (`t`) link in an email. */
  function linkIn(mail: ReceivedMail, path: 'signin' | 't'): string {
    const m = new RegExp(`${the().web.url.replace(/[.:/]/g, '\\$&')}/${path}/[A-Za-z0-9_-]{43}`).exec(mail.text);
    if (!m) throw new Error(`no /${path}/ link in "${mail.subject}":\n${mail.text}`);
    return m[0];
  }

  /** Reloads until `ready` holds: the page renders the workflows' state, which settles a moment after an action. */
  async function reloadUntil(page: Page, what: string, ready: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < MAX_RELOADS; i++) {
      if (await ready()) return;
      await page.reload();
    }
    throw new Error(`page ${page.url()} never showed: ${what}`);
  }

  /** Signs a staff member in by the emailed one-time link, in their own browser. */
  async function signIn(email: string): Promise<Page> {
    const { h, web } = the();
    const page = await newPage();
    await page.goto(`${web.url}/signin`);
    const before = h.sink.messages.length;
    await page.fill('input[name=email]', email);
    await page.click('button[type=submit].primary');
    await page.getByText('Kiểm tra hộp thư').waitFor();
    await h.sink.waitFor((m) => m.length > before);
    await page.goto(linkIn(await mailTo(email, (m) => m.subject.startsWith('Đường liên kết đăng nhập')), 'signin'));
    await page.getByText('Xác nhận đăng nhập').first().waitFor();
    await page.click('button[type=submit].primary');
    await page.getByRole('heading', { name: 'Các chu kỳ báo cáo' }).waitFor();
    return page;
  }

  /** A screenshot named `name`.png: a whole page (or what its window shows: `fullPage: false`), or one element. */
  async function shot(target: Page | Locator, name: string, o: { fullPage?: boolean } = {}): Promise<void> {
    const path = join(screenshots, `${name}.png`);
    await ('goto' in target ? target.screenshot({ path, fullPage: o.fullPage ?? true }) : target.screenshot({ path }));
  }

  return { start, close, now, followServerClock, newPage, mailTo, linkIn, reloadUntil, signIn, shot };
}
