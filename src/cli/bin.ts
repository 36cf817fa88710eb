/**
 * The process edge: builds the real `CliIo`, turns SIGINT into an abort (exit 130), and sets the
 * exit code. Everything else is in `main.ts`.
 */
import process from 'node:process';
import { main } from './main.js';
import { maskSecretArguments } from './process-title.js';

/**
 * A reader that went away (`wit-deps tree | head -1`) is not an error: further output to that
 * stream is dropped, as Unix tools do, instead of an unhandled EPIPE with a stack trace. The
 * command itself runs to its end (an install is not cut short half-way).
 */
function dropOutputOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  });
}

/** Standard input read, at most (a password or token; more is refused, not buffered). */
const STDIN_CAP = 64 * 1024;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > STDIN_CAP) throw new Error(`standard input is larger than ${STDIN_CAP} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function run(): Promise<void> {
  dropOutputOnClosedPipe(process.stdout);
  dropOutputOnClosedPipe(process.stderr);
  const masked = maskSecretArguments(process.argv.slice(2));
  if (masked !== undefined) process.title = ['wit-deps', ...masked].join(' ');
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  const code = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
    readStdin,
  });
  process.off('SIGINT', onSigint);
  process.exitCode = controller.signal.aborted ? 130 : code;
}
