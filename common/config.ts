import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * All configuration, parsed once from the environment. Fails fast with one readable line per bad variable,
 * so a typo in a deployment is found at start-up, not at the first reminder three months later.
 */
const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const envSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TLS: booleanFlag.default(false),
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_TLS_CA: z.string().optional(),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_TASK_QUEUE: z.string().min(1).optional(),
  TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),
  BAOCAO_DATA_DIR: z.string().min(1).default('data'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres|postgresql):\/\//, 'must be a postgres:// URL (leave it unset for the embedded SQLite database)')
    .optional(),
  BAOCAO_HOLIDAYS_FILE: z.string().optional(),
  BAOCAO_PUBLIC_URL: z.url().default('http://127.0.0.1:3000'),
  BAOCAO_WEB_HOST: z.string().default('127.0.0.1'),
  BAOCAO_WEB_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  BAOCAO_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  BAOCAO_TRUST_PROXY: booleanFlag.default(false),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must look like smtp://user:pass@host:587 or smtps://host:465')
    .optional(),
  MAIL_FROM: z.string().default('"Ban Tuyên giáo – baocao" <baocao@localhost>'),
  MAIL_REPLY_TO: z.string().optional(),
  MAIL_RATE_PER_SECOND: z.coerce.number().positive().default(10),
  MAIL_POOL_SIZE: z.coerce.number().int().positive().default(5),
  MAIL_DKIM_DOMAIN: z.string().optional(),
  MAIL_DKIM_SELECTOR: z.string().optional(),
  MAIL_DKIM_PRIVATE_KEY: z.string().optional(),
  MAIL_CATCHER_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(1025),
  MAIL_CATCHER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(1080),
  /** host:port where the worker serves its Temporal SDK metrics for Prometheus (/metrics); unset: none */
  BAOCAO_WORKER_METRICS_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:9464 (0.0.0.0:9464 inside a container)')
    .optional(),
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  temporal: {
    address: string;
    namespace: string;
    taskQueue?: string;
    tls?: { certPath?: string; keyPath?: string; caPath?: string };
    apiKey?: string;
    uiUrl: string;
  };
  dataDir: string;
  /** Prometheus endpoint of the worker's SDK metrics (BAOCAO_WORKER_METRICS_ADDRESS) */
  workerMetricsAddress?: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  holidaysFile?: string;
  /** trustProxy: client addresses from X-Forwarded-For (BAOCAO_TRUST_PROXY), only behind a proxy that sets it */
  web: { host: string; port: number; publicUrl: string; secret?: string; trustProxy: boolean };
  mail: {
    /** undefined: the embedded mail catcher (nothing leaves the machine) */
    smtpUrl?: string;
    from: string;
    replyTo?: string;
    ratePerSecond: number;
    poolSize: number;
    dkim?: { domainName: string; keySelector: string; privateKey: string };
    catcherSmtpPort: number;
    /** web page and JSON API of the embedded mail catcher */
    catcherHttpPort: number;
  };
}

export class ConfigError extends Error {
  readonly code = 'ConfigError';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration in the environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.BAOCAO_DATA_DIR);
  const dkim =
    e.MAIL_DKIM_DOMAIN && e.MAIL_DKIM_SELECTOR && e.MAIL_DKIM_PRIVATE_KEY
      ? { domainName: e.MAIL_DKIM_DOMAIN, keySelector: e.MAIL_DKIM_SELECTOR, privateKey: e.MAIL_DKIM_PRIVATE_KEY }
      : undefined;
  const tlsWanted = e.TEMPORAL_TLS || !!e.TEMPORAL_TLS_CERT || !!e.TEMPORAL_TLS_CA;
  return {
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      tls: tlsWanted ? { certPath: e.TEMPORAL_TLS_CERT, keyPath: e.TEMPORAL_TLS_KEY, caPath: e.TEMPORAL_TLS_CA } : undefined,
      apiKey: e.TEMPORAL_API_KEY,
      uiUrl: e.TEMPORAL_UI_URL,
    },
    dataDir,
    workerMetricsAddress: e.BAOCAO_WORKER_METRICS_ADDRESS,
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'sqlite', file: resolve(dataDir, 'baocao.sqlite') },
    holidaysFile: e.BAOCAO_HOLIDAYS_FILE ? resolve(e.BAOCAO_HOLIDAYS_FILE) : undefined,
    web: { host: e.BAOCAO_WEB_HOST, port: e.BAOCAO_WEB_PORT, publicUrl: e.BAOCAO_PUBLIC_URL.replace(/\/$/, ''), secret: e.BAOCAO_SECRET, trustProxy: e.BAOCAO_TRUST_PROXY },
    mail: {
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM,
      replyTo: e.MAIL_REPLY_TO,
      ratePerSecond: e.MAIL_RATE_PER_SECOND,
      poolSize: e.MAIL_POOL_SIZE,
      dkim,
      catcherSmtpPort: e.MAIL_CATCHER_SMTP_PORT,
      catcherHttpPort: e.MAIL_CATCHER_HTTP_PORT,
    },
  };
}
