// Types of scripts/provision-lock.mjs (plain JavaScript, like scripts/provision.mjs).
export function alive(pid: number): boolean;
export function buildOnce<T>(o: { dir: string; name: string; what: string; ready: () => T | undefined; build: () => Promise<T>; pollMs?: number }): Promise<T>;
