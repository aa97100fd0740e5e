// Types of scripts/provision-server.mjs (plain JavaScript, like scripts/provision.mjs).
export const TEMPORAL_SERVER_VERSION: string;
export const TEMPORAL_SERVER_MODULE: string;
export interface TemporalServerTools {
  version: string;
  dir: string;
  /** the `temporal-server` binary */
  server: string;
  /** the `temporal-sql-tool` binary */
  sqlTool: string;
  /** schema/postgresql/v12 of the server module: temporal/ and visibility/ */
  schemaDir: string;
}
export function serverToolsLayout(version?: string): TemporalServerTools;
export function ensureTemporalServer(version?: string): Promise<TemporalServerTools & { source: string }>;
export function reportedVersion(server: string): Promise<string | undefined>;
/** `go install` with a progress line every 15 s; resolves to the seconds it took */
export function goInstall(go: string, args: string[], env: NodeJS.ProcessEnv): Promise<number>;
