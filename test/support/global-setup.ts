import type { TestProject } from 'vitest/node';
// Provisioning is idempotent and cached: after the first run this only checks that the servers exist.
import { ensureTemporalCli, ensureTestServer, type ServerRoute } from '../../scripts/provision.mjs';

export default async function setup(project: TestProject): Promise<void> {
  const [devServer, testServer] = await Promise.all([ensureTemporalCli(), ensureTestServer()]);
  project.provide('temporalServers', { devServer, testServer });
}

declare module 'vitest' {
  export interface ProvidedContext {
    temporalServers: { devServer: ServerRoute; testServer: ServerRoute };
  }
}
