// Types of scripts/provision.mjs (plain JavaScript: it runs before `npm install` has).
export type ServerRoute = { kind: 'path'; path: string; source: string } | { kind: 'sdk-download'; source: string };
export const TEMPORAL_CLI_VERSION: string;
export const TEST_SERVER_VERSION: string;
export function toolsDir(): string;
export class ProvisionError extends Error {}
export function ensureTemporalCli(): Promise<ServerRoute>;
export function ensureTestServer(): Promise<ServerRoute>;
export function provisionAll(): Promise<{ devServer: ServerRoute; testServer: ServerRoute }>;
export function isExecutable(path: string): boolean;
export function onPath(command: string): string | undefined;
