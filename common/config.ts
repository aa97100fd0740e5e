import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * All configuration, parsed once from the environment. Fails fast with one readable line per bad variable,
 * so a typo in a deployment is found at start-up, not at the first reminder three months later.
 */
const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** How long the CLI and the web app wait for a unit's workflow to answer an update (submit, review, extend). */
export const DEFAULT_UPDATE_TIMEOUT_MS = 30_000;
const DURATION_UNITS_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** `72h`, `3d`, `90m`, `30s`: a duration in milliseconds. */
const duration = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?\s*[smhd]$/, 'must be a duration like 72h, 3d or 90m')
  .transform((v) => Math.round(parseFloat(v) * DURATION_UNITS_MS[v.at(-1) as keyof typeof DURATION_UNITS_MS]))
  .refine((ms) => ms > 0, 'must be longer than zero');
/**
 * BAOCAO_TRUST_PROXY: which X-Forwarded-For entries are true. `true` is refused: trusting every hop takes the
 * leftmost entry, which the client writes itself, so anyone could pick the address the rate limits count.
 * A hop count (the proxies in front of the web app) or the proxies' addresses / CIDRs leave only the entry the
 * nearest trusted proxy appended.
 */
const trustProxy = z
  .string()
  .trim()
  .transform((v, ctx): false | number | string[] => {
    if (v === '' || v === '0' || v === 'false' || v === 'no') return false;
    if (/^\d+$/.test(v)) return Number(v);
    const entries = v.split(',').map((e) => e.trim()).filter(Boolean);
    const address = (e: string) => {
      const [ip, bits, extra] = e.split('/');
      if (extra !== undefined || !ip || isIP(ip) === 0) return false;
      if (bits === undefined) return true;
      return /^\d+$/.test(bits) && Number(bits) <= (isIP(ip) === 4 ? 32 : 128);
    };
    const bad = entries.filter((e) => !address(e));
    if (entries.length > 0 && bad.length === 0) return entries;
    ctx.addIssue({
      code: 'custom',
      message:
        v === 'true' || v === 'yes'
          ? 'true would trust the client\'s own X-Forwarded-For (anyone could bypass the rate limits): give the number of proxies in front of the web app (e.g. 1) or their addresses (e.g. 10.0.0.5,10.0.1.0/24)'
          : `must be a number of proxies (e.g. 1) or a comma-separated list of proxy addresses / CIDRs; not addresses: ${bad.join(', ')}`,
    });
    return z.NEVER;
  });

/** `20MB`, `512KB`, `1GB` or plain bytes: binary units (1 MB = 1,048,576 bytes), as file managers show sizes. */
const SIZE_UNITS = { '': 1, B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 } as const;
const byteSize = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB)?$/i, 'must be a size like 20MB, 512KB or a number of bytes')
  .transform((v) => {
    const unit = (/[a-z]+$/i.exec(v)?.[0] ?? '').toUpperCase() as keyof typeof SIZE_UNITS;
    return Math.round(parseFloat(v) * SIZE_UNITS[unit]);
  })
  .refine((n) => n > 0, 'must be more than zero');

/** Defaults of BAOCAO_FILE_MAX_BYTES and BAOCAO_SUBMISSION_FILES_MAX_BYTES: one signed scan, and a submission's few. */
export const DEFAULT_FILE_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_SUBMISSION_FILES_MAX_BYTES = 50 * 1024 * 1024;

/** Where uploaded files are kept (activities/files/): an S3-compatible store in production. */
export interface S3StoreConfig {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** bucket in the path (http://host/bucket/key): what MinIO and most self-hosted stores expect */
  forcePathStyle: boolean;
  /** key prefix inside the bucket ('' or ending in '/'), so one bucket can serve several deployments */
  prefix: string;
}
/**
 * The worker's defaults (docs/PRODUCTION.md, "Sizing"; bench/README.md, bench:scale). The SDK's own cache default
 * follows the heap limit (about 2,300 workflows on a 4 GiB heap, 10 on a small container), so baocao fixes its
 * own: the same behaviour on every machine, and a worker whose memory is set by this number, not by the heap.
 * 400: bench:scale measured a worker's peak RSS at 3.6 GiB with 2,000 unit workflows cached and 2.0 GiB with
 * 1,000; each cached workflow holds ≈ 1.3 MiB of heap (its own instance of every module of the workflow code:
 * bench:workflow-memory). 400 bounds the live ones (an evicted unit workflow costs one replay of its history at
 * its next task): ≈ 0.5 GiB of heap, 1.4 GiB RSS at 2,000 units with the old space capped at 1 GiB.
 */
export const WORKER_DEFAULTS = {
  /** worker processes `npm start` and `npm run start:cluster` run on the one task queue */
  processes: 1,
  /** workflows kept in memory between tasks (sticky cache); an evicted one is replayed from its history */
  maxCachedWorkflows: 400,
  /** workflow tasks run at once (the SDK's default) */
  workflowTaskSlots: 40,
  /** activities run at once (the SDK's default): database writes and the outbox, never SMTP */
  activityTaskSlots: 100,
  /** how long a task waits on this worker's sticky queue before any worker may take it (the SDK's default) */
  stickyQueueTimeoutMs: 10_000,
  /**
   * Task polls: 'auto' lets the SDK scale its polls (1 to 100 per queue) on the server's backlog hints. The SDK's
   * fixed default (10 workflow polls, 2 of them on the shared queue where every new workflow's first task waits)
   * took new workflows at 3–4 /s while 1,500 first tasks waited (bench/README.md, bench:scale): each unit's task
   * email waits on that first task. A number N: at most N polls of each kind, as the SDK's fixed behaviour.
   */
  pollers: 'auto',
  /**
   * How long one workflow activation may run in the SDK's sandbox (its `vm` timeout; the SDK's own default is
   * 5 s). An activation past it is abandoned — and when the timeout fires inside a callback, Node aborts the
   * whole worker process ("async hook stack has become corrupted", nodejs/node#38503). On a loaded 2-core host,
   * activations that take milliseconds took 6–7 s of wall time (bench/README.md, bench:soak), so 5 s crashes a
   * busy worker. Workflow code is deterministic and has no loop without an await, so the limit only guards
   * against a bug; 1 minute is far above any activation measured and still frees a stuck worker thread.
   */
  activationTimeoutMs: 60_000,
} as const;

export type WorkerPollers = 'auto' | number;

const count = (min: number, max: number) => z.coerce.number().int(`must be a whole number from ${min} to ${max}`).min(min).max(max);

const envSchema = z.object({
  /** unset: `npm start` runs a dev server on 127.0.0.1:BAOCAO_TEMPORAL_PORT (UI on BAOCAO_TEMPORAL_UI_PORT) */
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  BAOCAO_TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  BAOCAO_TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TLS: booleanFlag.default(false),
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_TLS_CA: z.string().optional(),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_TASK_QUEUE: z.string().min(1).optional(),
  TEMPORAL_UI_URL: z.url().optional(),
  BAOCAO_DATA_DIR: z.string().min(1).default('data'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres|postgresql):\/\//, 'must be a postgres:// URL (leave it unset for the embedded SQLite database)')
    .optional(),
  BAOCAO_HOLIDAYS_FILE: z.string().optional(),
  BAOCAO_UNITS_ACTIVE_FROM: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
    .refine((d) => !Number.isNaN(Date.parse(d)) && new Date(d).toISOString().startsWith(d), 'must be a real date YYYY-MM-DD')
    .optional(),
  BAOCAO_PUBLIC_URL: z.url().optional(),
  BAOCAO_WEB_HOST: z.string().default('127.0.0.1'),
  BAOCAO_WEB_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  BAOCAO_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  BAOCAO_TRUST_PROXY: trustProxy.default(false),
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
  MAIL_RETRY_WINDOW: duration.default(72 * DURATION_UNITS_MS.h),
  MAIL_CATCHER_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(1025),
  MAIL_CATCHER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(1080),
  /** seconds */
  BAOCAO_UPDATE_TIMEOUT: z.coerce.number().positive('must be a positive number of seconds').max(3600).default(DEFAULT_UPDATE_TIMEOUT_MS / 1000),
  /** host:port where the worker serves its Temporal SDK metrics for Prometheus (/metrics); unset: none */
  BAOCAO_WORKER_METRICS_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:9464 (0.0.0.0:9464 inside a container)')
    .optional(),
  /** worker processes on the task queue (npm start, npm run start:cluster; compose: WORKER_REPLICAS) */
  BAOCAO_WORKERS: count(1, 64).default(WORKER_DEFAULTS.processes),
  BAOCAO_WORKER_MAX_CACHED_WORKFLOWS: count(0, 1_000_000).default(WORKER_DEFAULTS.maxCachedWorkflows),
  BAOCAO_WORKER_WORKFLOW_SLOTS: count(2, 10_000).default(WORKER_DEFAULTS.workflowTaskSlots),
  BAOCAO_WORKER_ACTIVITY_SLOTS: count(1, 10_000).default(WORKER_DEFAULTS.activityTaskSlots),
  BAOCAO_WORKER_STICKY_TIMEOUT: duration.default(WORKER_DEFAULTS.stickyQueueTimeoutMs),
  BAOCAO_WORKER_POLLERS: z
    .union([z.literal('auto'), z.coerce.number().int().min(2).max(1000)], { message: 'must be auto or a whole number from 2 to 1000' })
    .default(WORKER_DEFAULTS.pollers),
  BAOCAO_WORKER_ACTIVATION_TIMEOUT: duration.default(WORKER_DEFAULTS.activationTimeoutMs),
  /** fs (default): files under BAOCAO_DATA_DIR/files; s3: the object store named by the BAOCAO_S3_* variables */
  BAOCAO_FILES_STORE: z.enum(['fs', 's3'], { message: 'must be fs or s3' }).default('fs'),
  BAOCAO_S3_ENDPOINT: z.url({ message: 'must be a URL like http://minio:9000 or https://s3.example.vn' }).optional(),
  BAOCAO_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name: 3–63 lower-case letters, digits, dots and hyphens')
    .optional(),
  BAOCAO_S3_REGION: z.string().min(1).default('us-east-1'),
  BAOCAO_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  BAOCAO_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  BAOCAO_S3_FORCE_PATH_STYLE: booleanFlag.default(true),
  BAOCAO_S3_PREFIX: z
    .string()
    .regex(/^(|[A-Za-z0-9!_.*'()/-]*\/)$/, "must be empty or end with '/' (e.g. baocao/), safe key characters only")
    .default(''),
  /** one attached file at most (default 20MB) */
  BAOCAO_FILE_MAX_BYTES: byteSize.default(DEFAULT_FILE_MAX_BYTES),
  /** all files of one submission together at most (default 50MB) */
  BAOCAO_SUBMISSION_FILES_MAX_BYTES: byteSize.default(DEFAULT_SUBMISSION_FILES_MAX_BYTES),
}).superRefine((e, ctx) => {
  if (e.BAOCAO_FILES_STORE !== 's3') return;
  for (const name of ['BAOCAO_S3_ENDPOINT', 'BAOCAO_S3_BUCKET', 'BAOCAO_S3_ACCESS_KEY_ID', 'BAOCAO_S3_SECRET_ACCESS_KEY'] as const) {
    if (!e[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'required when BAOCAO_FILES_STORE=s3' });
  }
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
    /** the embedded dev server `npm start` runs (on 127.0.0.1), when TEMPORAL_ADDRESS names no server of its own */
    devServer?: { port: number; uiPort: number };
  };
  dataDir: string;
  /** Prometheus endpoint of the worker's SDK metrics (BAOCAO_WORKER_METRICS_ADDRESS) */
  workerMetricsAddress?: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  /** the worker processes and each one's cache and task slots (WORKER_DEFAULTS) */
  worker: {
    /** BAOCAO_WORKERS */
    processes: number;
    /** BAOCAO_WORKER_MAX_CACHED_WORKFLOWS (0: no cache, every task replays) */
    maxCachedWorkflows: number;
    /** BAOCAO_WORKER_WORKFLOW_SLOTS: maxConcurrentWorkflowTaskExecutions (at most maxCachedWorkflows) */
    workflowTaskSlots: number;
    /** BAOCAO_WORKER_ACTIVITY_SLOTS: maxConcurrentActivityTaskExecutions */
    activityTaskSlots: number;
    /** BAOCAO_WORKER_STICKY_TIMEOUT: stickyQueueScheduleToStartTimeout */
    stickyQueueTimeoutMs: number;
    /** BAOCAO_WORKER_POLLERS: the SDK's autoscaling polls, or at most N of each kind */
    pollers: WorkerPollers;
    /** BAOCAO_WORKER_ACTIVATION_TIMEOUT: the SDK's isolateExecutionTimeout (WORKER_DEFAULTS.activationTimeoutMs) */
    activationTimeoutMs: number;
  };
  holidaysFile?: string;
  /** active_from of imported units whose row has none (default: the day of the import, Asia/Ho_Chi_Minh) */
  directory: { defaultActiveFrom?: string };
  /** how long the CLI and the web app wait for an update's answer (BAOCAO_UPDATE_TIMEOUT, seconds) */
  updateTimeoutMs: number;
  /**
   * trustProxy (BAOCAO_TRUST_PROXY): which hops of X-Forwarded-For are trusted proxies — none (false), the
   * nearest N, or those at these addresses / CIDRs; the client's address is the last entry they did not write
   */
  web: { host: string; port: number; publicUrl: string; secret?: string; trustProxy: false | number | string[] };
  files: {
    store: { kind: 'fs'; dir: string } | ({ kind: 's3' } & S3StoreConfig);
    /** BAOCAO_FILE_MAX_BYTES */
    maxFileBytes: number;
    /** BAOCAO_SUBMISSION_FILES_MAX_BYTES: all files of one submission together */
    maxSubmissionBytes: number;
  };
  mail: {
    /** undefined: the embedded mail catcher (nothing leaves the machine) */
    smtpUrl?: string;
    from: string;
    replyTo?: string;
    ratePerSecond: number;
    poolSize: number;
    dkim?: { domainName: string; keySelector: string; privateKey: string };
    /** MAIL_RETRY_WINDOW: how long a recipient's server may keep deferring (4xx) before the email is undeliverable */
    retryWindowMs: number;
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
  const devServer = e.TEMPORAL_ADDRESS ? undefined : { port: e.BAOCAO_TEMPORAL_PORT, uiPort: e.BAOCAO_TEMPORAL_UI_PORT };
  // unset, the public URL follows the web port: a second stack's emails link to its own web app
  const webHost = ['0.0.0.0', '::', ''].includes(e.BAOCAO_WEB_HOST) ? '127.0.0.1' : e.BAOCAO_WEB_HOST;
  const publicUrl = e.BAOCAO_PUBLIC_URL ?? `http://${webHost.includes(':') ? `[${webHost}]` : webHost}:${e.BAOCAO_WEB_PORT}`;
  const tlsWanted = e.TEMPORAL_TLS || !!e.TEMPORAL_TLS_CERT || !!e.TEMPORAL_TLS_CA;
  return {
    temporal: {
      address: e.TEMPORAL_ADDRESS ?? `127.0.0.1:${e.BAOCAO_TEMPORAL_PORT}`,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      tls: tlsWanted ? { certPath: e.TEMPORAL_TLS_CERT, keyPath: e.TEMPORAL_TLS_KEY, caPath: e.TEMPORAL_TLS_CA } : undefined,
      apiKey: e.TEMPORAL_API_KEY,
      uiUrl: e.TEMPORAL_UI_URL ?? `http://127.0.0.1:${e.BAOCAO_TEMPORAL_UI_PORT}`,
      devServer,
    },
    dataDir,
    workerMetricsAddress: e.BAOCAO_WORKER_METRICS_ADDRESS,
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'sqlite', file: resolve(dataDir, 'baocao.sqlite') },
    worker: {
      processes: e.BAOCAO_WORKERS,
      maxCachedWorkflows: e.BAOCAO_WORKER_MAX_CACHED_WORKFLOWS,
      workflowTaskSlots: e.BAOCAO_WORKER_WORKFLOW_SLOTS,
      activityTaskSlots: e.BAOCAO_WORKER_ACTIVITY_SLOTS,
      stickyQueueTimeoutMs: e.BAOCAO_WORKER_STICKY_TIMEOUT,
      pollers: e.BAOCAO_WORKER_POLLERS,
      activationTimeoutMs: e.BAOCAO_WORKER_ACTIVATION_TIMEOUT,
    },
    holidaysFile: e.BAOCAO_HOLIDAYS_FILE ? resolve(e.BAOCAO_HOLIDAYS_FILE) : undefined,
    directory: { defaultActiveFrom: e.BAOCAO_UNITS_ACTIVE_FROM },
    updateTimeoutMs: Math.round(e.BAOCAO_UPDATE_TIMEOUT * 1000),
    web: { host: e.BAOCAO_WEB_HOST, port: e.BAOCAO_WEB_PORT, publicUrl: publicUrl.replace(/\/$/, ''), secret: e.BAOCAO_SECRET, trustProxy: e.BAOCAO_TRUST_PROXY },
    files: {
      store:
        e.BAOCAO_FILES_STORE === 's3'
          ? {
              kind: 's3',
              endpoint: e.BAOCAO_S3_ENDPOINT!,
              bucket: e.BAOCAO_S3_BUCKET!,
              region: e.BAOCAO_S3_REGION,
              accessKeyId: e.BAOCAO_S3_ACCESS_KEY_ID!,
              secretAccessKey: e.BAOCAO_S3_SECRET_ACCESS_KEY!,
              forcePathStyle: e.BAOCAO_S3_FORCE_PATH_STYLE,
              prefix: e.BAOCAO_S3_PREFIX,
            }
          : { kind: 'fs', dir: resolve(dataDir, 'files') },
      maxFileBytes: e.BAOCAO_FILE_MAX_BYTES,
      maxSubmissionBytes: e.BAOCAO_SUBMISSION_FILES_MAX_BYTES,
    },
    mail: {
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM,
      replyTo: e.MAIL_REPLY_TO,
      ratePerSecond: e.MAIL_RATE_PER_SECOND,
      poolSize: e.MAIL_POOL_SIZE,
      dkim,
      retryWindowMs: e.MAIL_RETRY_WINDOW,
      catcherSmtpPort: e.MAIL_CATCHER_SMTP_PORT,
      catcherHttpPort: e.MAIL_CATCHER_HTTP_PORT,
    },
  };
}
