/**
 * The real CLI writing into a pipe whose reader is gone (`wit-deps tree | head -1`): the output
 * is dropped quietly, with the command's own exit code, not an unhandled EPIPE and a stack trace.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/wit-deps.js');

describe('a closed stdout pipe', () => {
  it('ends quietly with exit code 0', async () => {
    const child = spawn(process.execPath, [BIN, 'help', 'install'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // the reader is gone before the CLI writes anything
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
