import type { TestProject } from 'vitest/node';
// Provisioning is idempotent and cached: after the first run this only checks that the servers and the
// browser exist.
import { ensureTemporalCli, ensureTestServer, toolsDir, type ServerRoute } from '../../scripts/provision.mjs';
import { ensureBrowser, type BrowserRoute } from '../../scripts/provision-browser.mjs';

export default async function setup(project: TestProject): Promise<void> {
  const [devServer, testServer, browser] = await Promise.all([ensureTemporalCli(), ensureTestServer(), ensureBrowser(toolsDir())]);
  project.provide('temporalServers', { devServer, testServer });
  project.provide('browser', browser);
}

declare module 'vitest' {
  export interface ProvidedContext {
    temporalServers: { devServer: ServerRoute; testServer: ServerRoute };
    /** the browser of test/web/e2e.test.ts (scripts/provision-browser.mjs), or why there is none */
    browser: BrowserRoute;
  }
}
