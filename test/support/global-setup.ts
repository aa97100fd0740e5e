import type { TestProject } from 'vitest/node';
// Provisioning is idempotent and cached: after the first run this only checks that the servers, the browser
// and the object store's binary exist.
import { ensureTemporalCli, ensureTestServer, toolsDir, type ServerRoute } from '../../scripts/provision.mjs';
import { ensureBrowser, type BrowserRoute } from '../../scripts/provision-browser.mjs';
import { ensureObjectStore, type ObjectStoreRoute } from '../../scripts/provision-objectstore.mjs';

export default async function setup(project: TestProject): Promise<void> {
  const [devServer, testServer, browser, objectStore] = await Promise.all([
    ensureTemporalCli(),
    ensureTestServer(),
    ensureBrowser(toolsDir()),
    ensureObjectStore(),
  ]);
  project.provide('temporalServers', { devServer, testServer });
  project.provide('browser', browser);
  project.provide('objectStore', objectStore);
}

declare module 'vitest' {
  export interface ProvidedContext {
    temporalServers: { devServer: ServerRoute; testServer: ServerRoute };
    /** the browser of test/web/e2e.test.ts (scripts/provision-browser.mjs), or why there is none */
    browser: BrowserRoute;
    /** the S3-compatible server of the file-store tests (scripts/provision-objectstore.mjs), or why there is none */
    objectStore: ObjectStoreRoute;
  }
}
