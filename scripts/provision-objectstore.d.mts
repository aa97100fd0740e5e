// Types of scripts/provision-objectstore.mjs (plain JavaScript, like scripts/provision.mjs).
export const MINIO_MODULE: string;
export const MINIO_VERSION: string;
export function minioLayout(version?: string): { version: string; dir: string; binary: string };
export function chooseObjectStoreRoute(facts: { endpoint?: string; cached: boolean; go?: string }): { route: 'TEST_S3_ENDPOINT' | 'cache' | 'build' | 'none' };
export type ObjectStoreRoute =
  | { kind: 'binary'; path: string; source: string }
  | { kind: 'endpoint'; endpoint: string; accessKeyId: string; secretAccessKey: string }
  | { kind: 'none'; reason: string };
export function ensureObjectStore(env?: Record<string, string | undefined>): Promise<ObjectStoreRoute>;
