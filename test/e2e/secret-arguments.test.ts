/**
 * `--password`/`--token` values must not stay readable in `/proc/<pid>/cmdline` (what `ps` shows
 * other local users) while the real CLI runs: the process title masks them.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskSecretArguments } from '../../src/cli/process-title.js';
import { startFaultServer, type FaultServer } from '../support/fault-server.js';

const BIN = join(import.meta.dirname, '../..', 'bin', 'wit-deps.js');

describe('secret arguments', () => {
  let server: FaultServer;
  let release: (() => void) | undefined;
  let arrived: Promise<void>;
  beforeAll(async () => {
    server = await startFaultServer();
    arrived = new Promise((resolve) => {
      server.on('/v2/a/tags/list', (_req, res) => {
        release = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        resolve();
      });
    });
  });
  afterAll(async () => {
    release?.();
    await server?.stop();
  });

  it('masks option values, in both spellings', () => {
    expect(maskSecretArguments(['oci', 'tags', 'r'])).toBeUndefined();
    expect(maskSecretArguments(['--username', 'u', '--password', 'pw', '--token=t', 'x'])).toEqual([
      '--username',
      'u',
      '--password',
      '***',
      '--token=***',
      'x',
    ]);
  });

  it.skipIf(!existsSync('/proc/self/cmdline'))(
    'hides --password from /proc/<pid>/cmdline while the command runs',
    async () => {
      const child = spawn(
        process.execPath,
        [BIN, 'oci', 'tags', `${server.host}/a`, '--username', 'u', '--password', 'PW-S3CRET'],
        { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } },
      );
      const exited = new Promise<number | null>((r) => child.on('exit', r));
      await arrived;
      const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8');
      release?.();
      release = undefined;
      expect(await exited).toBe(0);
      expect(cmdline).toContain('wit-deps');
      expect(cmdline).not.toContain('PW-S3CRET');
    },
    15_000,
  );
});
