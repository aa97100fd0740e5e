// How every CLI command talks back: human text by default, one JSON document with --json,
// and on error exactly one line on stderr with a non-zero exit code.

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

/** Turns any thrown value into the one-line reason the CLI prints. */
export function oneLineReason(err: unknown): string {
  if (err instanceof Error) {
    const details = (err as { details?: unknown }).details;
    const text = err.message || String(details ?? err.name);
    return text.replace(/\s*\n\s*/g, ' — ');
  }
  return String(err);
}
