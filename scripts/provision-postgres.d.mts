// Types of scripts/provision-postgres.mjs (plain JavaScript: it runs before `npm install` has).
export interface PostgresFacts {
  testDatabaseUrl?: string;
  disabled: boolean;
  installed: boolean;
  apt?: 'root' | 'sudo';
}
export type PostgresRouteChoice = { route: 'TEST_DATABASE_URL' | 'off' | 'start' | 'none' } | { route: 'install'; privilege: 'root' | 'sudo' };
export const NO_POSTGRES_HELP: string;
export function choosePostgresRoute(facts: PostgresFacts): PostgresRouteChoice;
export function postgresInstalled(root?: string): boolean;
export function detectPostgresFacts(env?: Record<string, string | undefined>): PostgresFacts;
export function ensureTestDatabase(
  facts?: PostgresFacts,
): { kind: 'url'; url: string; source: string; stop?: () => void } | { kind: 'none'; reason: string };
