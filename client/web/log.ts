// Unit links and sign-in links are bearer secrets in the URL path (/t/<token>, /signin/<token>, and their /api
// twins); a unit link works for months. Fastify logs every request's URL, and error messages can quote it: the
// serializers below overwrite the secret segment in every log line, whatever the level.
import type { FastifyServerOptions } from 'fastify';
import { TASK_LINK_PATH } from '../../activities/access/tokens';
import { SIGNIN_PATH } from './signin';

export const REDACTED_SEGMENT = '[redacted]';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** `/t/` or `/signin/` followed by one path segment: that segment is the secret. */
const SECRET_SEGMENT = new RegExp(`(${escape(TASK_LINK_PATH)}|${escape(`${SIGNIN_PATH}/`)})[^/?#\\s"'<>]+`, 'g');

/** The text with every link secret replaced by REDACTED_SEGMENT. */
export function redactLinkSecrets(text: string): string {
  return text.replace(SECRET_SEGMENT, `$1${REDACTED_SEGMENT}`);
}

interface LoggedRequest {
  method: string;
  url: string;
  hostname?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

interface LoggedError extends Error {
  code?: unknown;
  statusCode?: unknown;
}

export const LOG_SERIALIZERS = {
  req(request: LoggedRequest) {
    return { method: request.method, url: redactLinkSecrets(request.url), hostname: request.hostname, remoteAddress: request.ip, remotePort: request.socket?.remotePort };
  },
  err(err: LoggedError) {
    if (!(err instanceof Error)) return err;
    return {
      type: err.name,
      message: redactLinkSecrets(err.message),
      stack: redactLinkSecrets(err.stack ?? ''),
      ...(err.code === undefined ? {} : { code: err.code }),
      ...(err.statusCode === undefined ? {} : { statusCode: err.statusCode }),
    };
  },
};

/** The caller's logger options with the redacting serializers (they win over any the caller set for req/err). */
export function redactingLogger(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const options = logger === true ? {} : logger;
  return { ...options, serializers: { ...options.serializers, ...LOG_SERIALIZERS } };
}
