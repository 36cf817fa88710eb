import { describe, expect, it } from 'vitest';
import { ERROR_CODES, WitDepsError } from '../../src/errors.js';
import { renderErrorHuman, toWitDepsError } from '../../src/cli/render/error.js';
import { decideTerminal } from '../../src/cli/terminal.js';
import { bufferIo } from '../../src/cli/io.js';
import { tempDir } from '../support/temp-project.js';

describe('WitDepsError', () => {
  it('carries code, hint, cause and exit code', () => {
    const cause = new Error('socket hang up');
    const e = new WitDepsError(
      'ERR_RESOLVE_NO_MATCH',
      'package `wasi:http` has no version matching `^0.9`',
      {
        hint: 'run `wit-deps outdated wasi:http` to see the versions that exist',
        cause,
        details: { available: ['0.2.0'] },
      },
    );
    expect(e.code).toBe('ERR_RESOLVE_NO_MATCH');
    expect(e.exitCode).toBe(1);
    expect(e.cause).toBe(cause);
    expect(e.toJSON()).toEqual({
      code: 'ERR_RESOLVE_NO_MATCH',
      message: 'package `wasi:http` has no version matching `^0.9`',
      hint: 'run `wit-deps outdated wasi:http` to see the versions that exist',
      details: { available: ['0.2.0'] },
    });
  });

  it('maps usage to exit 2 and interruption to 130', () => {
    expect(new WitDepsError('ERR_USAGE', 'x').exitCode).toBe(2);
    expect(new WitDepsError('ERR_INTERRUPTED', 'x').exitCode).toBe(130);
  });

  it('names every code ERR_<AREA>_<WHAT>', () => {
    for (const code of Object.keys(ERROR_CODES)) expect(code).toMatch(/^ERR_[A-Z0-9_]+$/);
  });

  it('renders subject, hint and (verbose) causes', () => {
    const term = decideTerminal(bufferIo(), {
      json: false,
      verbose: true,
      quiet: false,
      color: false,
    });
    const text = renderErrorHuman(toWitDepsError(new TypeError('boom')), term);
    expect(text).toMatch(/^error\[ERR_INTERNAL\]: internal error: boom\nhint: /);
    expect(text).toContain('caused by: boom');
  });
});

describe('file-system failures', () => {
  it('become ERR_FS naming the path and the call, with a hint for the usual causes', async () => {
    const { readFile } = await import('node:fs/promises');
    const dir = await tempDir('wit-deps-fs-');
    const thrown = await readFile(`${dir}/missing/file`).catch((e: unknown) => e);
    const e = toWitDepsError(thrown);
    expect(e.code).toBe('ERR_FS');
    expect(e.message).toBe(`\`${dir}/missing/file\` cannot be accessed (open: ENOENT)`);
    expect(e.details).toMatchObject({ path: `${dir}/missing/file`, syscall: 'open' });
    const denied = Object.assign(new Error('EACCES: permission denied'), {
      code: 'EACCES',
      syscall: 'open',
      path: '/x/wit.toml',
    });
    expect(toWitDepsError(denied).hint).toContain('permissions');
    const full = Object.assign(new Error('ENOSPC'), { code: 'ENOSPC', syscall: 'write' });
    expect(toWitDepsError(full).message).toBe(
      'a file or folder cannot be accessed (write: ENOSPC)',
    );
  });

  it('leave network errors alone (they are not file calls)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
      syscall: 'connect',
    });
    expect(toWitDepsError(refused).code).toBe('ERR_INTERNAL');
  });
});
