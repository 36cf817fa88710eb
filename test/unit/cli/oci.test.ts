/** `wit-deps oci ...` through `main()`, offline (OCI layouts) and for usage errors. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { sha256Digest } from '../../../src/oci/digest.js';
import { tempDirSync } from '../../support/temp-project.js';

const WASM = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);

async function run(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  const io = bufferIo({ cwd, env });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('wit-deps oci', () => {
  it('pushes to, inspects, lists and pulls from an OCI layout folder', async () => {
    const cwd = tempDirSync('wit-deps-cli-');
    writeFileSync(join(cwd, 'pkg.wasm'), WASM);
    const push = await run(
      [
        '--json',
        'oci',
        'push',
        'oci-layout:store:0.1.0',
        'pkg.wasm',
        '--annotation',
        'org.opencontainers.image.version=0.1.0',
      ],
      cwd,
    );
    expect(push.code).toBe(0);
    const pushed = JSON.parse(push.out) as { layerDigest: string; manifestDigest: string };
    expect(pushed.layerDigest).toBe(sha256Digest(WASM));
    const inspect = await run(['--json', 'oci', 'inspect', 'oci-layout:store:0.1.0'], cwd);
    const doc = JSON.parse(inspect.out) as {
      digest: string;
      annotations: Record<string, string>;
      layers: { title: string }[];
      config: { os: string };
    };
    expect(doc.digest).toBe(pushed.manifestDigest);
    expect(doc.annotations['org.opencontainers.image.version']).toBe('0.1.0');
    expect(doc.layers[0]?.title).toBe('pkg.wasm');
    expect(doc.config.os).toBe('wasip2');
    expect(JSON.parse(push.out)).toMatchObject({ package: null }); // not a WIT package: pushed without exports
    const human = await run(['oci', 'inspect', 'oci-layout:store:0.1.0'], cwd);
    expect(human.out).toContain(`digest     ${pushed.manifestDigest}`);
    expect((await run(['oci', 'tags', 'oci-layout:store'], cwd)).out.trim()).toBe('0.1.0');
    const pull = await run(['oci', 'pull', 'oci-layout:store:0.1.0', '-o', 'out.wasm'], cwd);
    expect(pull.code).toBe(0);
    expect(readFileSync(join(cwd, 'out.wasm')).equals(WASM)).toBe(true);
    // without -o the layer title `pkg.wasm` is the file name; it exists, so --force replaces it
    expect((await run(['oci', 'pull', 'oci-layout:store:0.1.0', '--force'], cwd)).code).toBe(0);
    expect(readFileSync(join(cwd, 'pkg.wasm')).equals(WASM)).toBe(true);
  });

  it('rejects a bad reference, a bad annotation and a bad number with stable codes', async () => {
    const cwd = tempDirSync('wit-deps-cli-');
    writeFileSync(join(cwd, 'pkg.wasm'), WASM);
    const badRef = await run(['--json', 'oci', 'inspect', 'not a ref'], cwd);
    expect([
      badRef.code,
      (JSON.parse(badRef.out) as { error: { code: string } }).error.code,
    ]).toEqual([1, 'ERR_INVALID_REFERENCE']);
    const badAnn = await run(
      ['oci', 'push', 'oci-layout:s:1', 'pkg.wasm', '--annotation', 'novalue'],
      cwd,
    );
    expect(badAnn.code).toBe(1);
    expect(badAnn.err).toContain('ERR_INVALID_ANNOTATION');
    const badNum = await run(['oci', 'tags', 'localhost:1/a', '--retries', 'many'], cwd);
    expect(badNum.code).toBe(2);
    expect(badNum.err).toContain('--retries');
    const badEnv = await run(['oci', 'tags', 'localhost:1/a'], cwd, { WIT_DEPS_TIMEOUT: '0' });
    expect(badEnv.err).toContain('WIT_DEPS_TIMEOUT');
    expect((await run(['oci', 'pull'], cwd)).code).toBe(2);
  });

  it('reports an unreachable registry as ERR_NETWORK', async () => {
    const cwd = tempDirSync('wit-deps-cli-');
    const res = await run(
      ['--json', 'oci', 'tags', '127.0.0.1:1/wasi/http', '--retries', '0'],
      cwd,
    );
    expect(res.code).toBe(1);
    expect((JSON.parse(res.out) as { error: { code: string } }).error.code).toBe('ERR_NETWORK');
  });
});
