// Types of scripts/provision-browser.mjs (plain JavaScript: it runs before `npm install` has).
export type BrowserRoute = { kind: 'path'; path: string; source: string } | { kind: 'none'; reason: string };
export interface BrowserFacts {
  chromiumPath?: string;
  installed?: string;
  cached?: string;
  apt?: 'root' | 'sudo';
  npm: boolean;
}
export type BrowserRouteChoice =
  | { route: 'CHROMIUM_PATH' | 'installed' | 'npm-cache'; path: string }
  | { route: 'apt'; privilege: 'root' | 'sudo' }
  | { route: 'npm' };
export const NPM_BROWSER: { name: string; version: string };
export const NO_BROWSER_HELP: string;
export function chooseBrowserRoutes(facts: BrowserFacts): BrowserRouteChoice[];
export function findInstalledBrowser(path?: string): string | undefined;
export function detectBrowserFacts(tools: string, env?: Record<string, string | undefined>): BrowserFacts;
export function ensureBrowser(tools: string, facts?: BrowserFacts): Promise<BrowserRoute>;
