// How every CLI command talks back: human text by default, one JSON document with --json,
// and on error one line on stderr (plus one line per field for invalid input) with a non-zero exit code.
import { z } from 'zod';
import { validationMessage } from '../../workflows/field-errors';

export interface OutputOptions {
  json?: boolean;
}

/** An error whose message is already fit for the user (no stack trace needed). */
export class CliError extends Error {
  readonly code = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}

export function emit(options: OutputOptions, data: unknown, human: () => string): void {
  if (options.json) process.stdout.write(JSON.stringify(data, null, 2) + '\n');
  else process.stdout.write(human() + '\n');
}

function isZodError(err: unknown): err is z.ZodError {
  return err instanceof z.ZodError || (err instanceof Error && err.name === 'ZodError' && Array.isArray((err as { issues?: unknown }).issues));
}

/**
 * What the CLI prints for any thrown value: one line — or, for invalid input, a first line saying what was
 * refused and one `field: message` line per field (a zod error that escaped validation included: never its
 * JSON dump).
 */
export function reasonLines(err: unknown): string[] {
  if (isZodError(err)) return ['Invalid input / Dữ liệu không hợp lệ:', ...validationMessage(err).split('\n')];
  if (err instanceof Error) {
    const details = (err as { details?: unknown }).details;
    const text = err.message || String(details ?? err.name);
    return text.split(/\s*\n\s*/).filter((l) => l !== '');
  }
  return [String(err)];
}

/** The error as the CLI writes it to stderr: `baocao: <reason>`, field lines indented below it. */
export function errorText(err: unknown): string {
  const [first = 'failed', ...rest] = reasonLines(err);
  return [`baocao: ${first}`, ...rest.map((l) => `  ${l}`)].join('\n') + '\n';
}
