/**
 * What the CLI needs from its process, injected so `main(argv, io)` runs in tests without one.
 * Only `bin.ts` builds a real `CliIo` from `process`.
 */

/** A sink for text (and the bytes of `oci pull -o -`): `process.stdout`, or a buffer in tests. */
export interface TextSink {
  write(chunk: string | Uint8Array): unknown;
  /** Called once the sink takes writes again after `write` returned false (a full pipe). */
  once?(event: 'drain', listener: () => void): unknown;
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
  /** Everything written to stdout, as bytes. */
  outBytes: () => Uint8Array;
} {
  const out: Buffer[] = [];
  let err = '';
  const text = (chunk: string | Uint8Array): string =>
    typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  return {
    stdout: { write: (chunk: string | Uint8Array) => out.push(Buffer.from(chunk)) },
    stderr: { write: (chunk: string | Uint8Array) => (err += text(chunk)) },
    env: options.env ?? {},
    cwd: options.cwd ?? '.',
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.stdin === undefined ? {} : { readStdin: () => Promise.resolve(options.stdin!) }),
    out: () => Buffer.concat(out).toString('utf8'),
    err: () => err,
    outBytes: () => new Uint8Array(Buffer.concat(out)),
  };
}
