// Where a request comes from, as the audit log records it (workflows/messages.ts CHANNELS uses these).
export const CHANNELS = ['cli', 'web', 'api', 'test'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_MAX_CHARS = Math.max(...CHANNELS.map((c) => c.length));
