/**
 * What the CLI needs from its process, injected so `main(argv, io)` runs in tests without one.
 * Only `bin.ts` builds a real `CliIo` from `process`.
 */

/** A sink for text: `process.stdout`, or a string buffer in tests. */
export interface TextSink {
  write(chunk: string): unknown;
  /** True when the sink is an interactive terminal. */
  isTTY?: boolean;
  /** Terminal width in columns, when known. */
  columns?: number;
}

export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  env: Readonly<Record<string, string | undefined>>;
  /** The working directory commands resolve relative paths against. */
  cwd: string;
  /** Aborted when the user interrupts (SIGINT); long operations stop and the exit code is 130. */
  signal?: AbortSignal;
  /** All of standard input as text (`login --password-stdin`); absent when there is none. */
  readStdin?: () => Promise<string>;
}

/** A `CliIo` that collects output in strings: for tests and for embedding. */
export function bufferIo(
  options: Partial<Omit<CliIo, 'stdout' | 'stderr' | 'readStdin'>> & { stdin?: string } = {},
): CliIo & {
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  return {
    stdout: { write: (chunk: string) => (out += chunk) },
    stderr: { write: (chunk: string) => (err += chunk) },
    env: options.env ?? {},
    cwd: options.cwd ?? '.',
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.stdin === undefined ? {} : { readStdin: () => Promise.resolve(options.stdin!) }),
    out: () => out,
    err: () => err,
  };
}
