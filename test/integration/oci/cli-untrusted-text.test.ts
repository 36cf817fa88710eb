/**
 * Registry-controlled text (error bodies, annotations, tags) reaches the terminal with its control
 * characters escaped: a registry cannot retitle, clear or recolour the user's terminal, nor fake
 * output lines in `oci inspect`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { sendJson, startFaultServer, type FaultServer } from '../../support/fault-server.js';
import { tempDirSync } from '../../support/temp-project.js';

const ESC = '\u001b';
const EVIL = `${ESC}]0;pwned\u0007${ESC}[2J\u202e`;

async function run(args: string[], cwd = '.'): Promise<{ code: number; out: string; err: string }> {
  const io = bufferIo({ cwd, env: { WIT_DEPS_RETRIES: '0' } });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('untrusted text in human output', () => {
  let server: FaultServer;
  beforeAll(async () => {
    server = await startFaultServer();
  });
  afterAll(async () => server?.stop());

  it('escapes control characters of a registry error body, also in --verbose', async () => {
    server.on('/v2/a/manifests/1.0.0', (_req, res) =>
      sendJson(res, 400, { errors: [{ code: 'DENIED', message: EVIL }] }),
    );
    for (const args of [[], ['-v']]) {
      const { code, err } = await run([...args, 'oci', 'pull', `${server.host}/a:1.0.0`]);
      expect(code).toBe(1);
      expect(err).toContain('\\x1b]0;pwned');
      expect(err).not.toContain(ESC);
      expect(err).not.toContain('\u202e');
    }
  });

  it('escapes annotations and titles in `oci inspect`, newlines included', async () => {
    const cwd = tempDirSync('wit-deps-cli-');
    writeFileSync(join(cwd, 'pkg.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])); // a core module: --force
    const fake = `x\n  digest     sha256:${'0'.repeat(64)}`;
    const push = await run(
      ['oci', 'push', 'oci-layout:store:1.0.0', 'pkg.wasm', '--force', '--annotation', `a=${EVIL}`],
      cwd,
    );
    expect(push.code).toBe(0);
    await run(
      ['oci', 'push', 'oci-layout:store:1.0.1', 'pkg.wasm', '--force', '--annotation', `b=${fake}`],
      cwd,
    );
    const first = await run(['oci', 'inspect', 'oci-layout:store:1.0.0'], cwd);
    expect(first.out).toContain('annotation a=\\x1b]0;pwned');
    expect(first.out).not.toContain(ESC);
    const second = await run(['oci', 'inspect', 'oci-layout:store:1.0.1'], cwd);
    expect(second.out.match(/^ {2}digest/gm)).toHaveLength(1);
  });
});
