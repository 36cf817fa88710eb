/**
 * `oci push` of a real component (fixtures/components, made by wasm-tools through jco) writes the
 * config `wkg oci push` writes: `component.imports` and `component.exports` are exactly the names
 * `wasm-tools component wit` reports for it, read back with skopeo. A core module pushed with
 * `--force` is `os: wasip1` with `component: null`, as oci-wasm writes it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { startRegistry, type RunningRegistry } from '../../support/registry.js';
import { tempDirSync } from '../../support/temp-project.js';

const DIR = new URL('../../../fixtures/components/', import.meta.url).pathname;
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  components: Record<string, { imports: string[]; exports: string[] }>;
};

let reg: RunningRegistry;
let work: string;
beforeAll(async () => {
  reg = await startRegistry();
  work = tempDirSync('wit-deps-component-push-');
});
afterAll(async () => reg?.stop());

async function push(ref: string, file: string, ...more: string[]): Promise<number> {
  const io = bufferIo({ cwd: work, env: { HOME: work } });
  return main(['--json', 'oci', 'push', `${reg.host}/${ref}`, file, ...more], io);
}

function config(ref: string): { os: string; component: unknown } {
  const raw = execFileSync(
    'skopeo',
    ['inspect', '--config', '--raw', '--tls-verify=false', `docker://${reg.host}/${ref}`],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return JSON.parse(raw) as { os: string; component: unknown };
}

describe('oci push of components', () => {
  for (const [file, want] of Object.entries(expected.components)) {
    it(`${file}: the config lists the imports and exports jco reports`, async () => {
      const repo = `acme/${file.replace('.wasm', '')}:0.1.0`;
      expect(await push(repo, join(DIR, file))).toBe(0);
      const got = config(repo);
      expect(got.os).toBe('wasip2');
      expect(got.component).toEqual({ imports: want.imports, exports: want.exports });
    });
  }

  it('a core module pushed with --force is wasip1 with no component', async () => {
    const module = join(work, 'core.wasm');
    writeFileSync(module, Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0));
    expect(await push('acme/core:0.1.0', module)).toBe(1); // neither package nor component
    expect(await push('acme/core:0.1.0', module, '--force')).toBe(0);
    expect(config('acme/core:0.1.0')).toMatchObject({ os: 'wasip1', component: null });
  });

  it('a component larger than the in-memory limit is streamed, with the same names and digest', async () => {
    // greeter.wasm with a 20 MiB custom section appended: still a valid component
    const name = Buffer.from('padding');
    const payload = Buffer.alloc(20 * 1024 * 1024, 0x61);
    const body = Buffer.concat([Buffer.of(name.length), name, payload]);
    const size: number[] = [];
    for (let n = body.length; ;) {
      const byte = n & 0x7f;
      n = Math.floor(n / 128);
      size.push(n === 0 ? byte : byte | 0x80);
      if (n === 0) break;
    }
    const big = Buffer.concat([
      readFileSync(join(DIR, 'greeter.wasm')),
      Buffer.of(0, ...size),
      body,
    ]);
    const file = join(work, 'big-greeter.wasm');
    writeFileSync(file, big);
    const io = bufferIo({ cwd: work, env: { HOME: work } });
    const code = await main(['--json', 'oci', 'push', `${reg.host}/acme/big:0.1.0`, file], io);
    expect(code).toBe(0);
    const doc = JSON.parse(io.out()) as { layerDigest: string; size: number };
    expect(doc.layerDigest).toBe(`sha256:${createHash('sha256').update(big).digest('hex')}`);
    expect(doc.size).toBe(big.length);
    const want = expected.components['greeter.wasm']!;
    expect(config('acme/big:0.1.0').component).toEqual({
      imports: want.imports,
      exports: want.exports,
    });
    const out = join(work, 'big-back.wasm');
    expect(
      await main(
        ['oci', 'pull', `${reg.host}/acme/big:0.1.0`, '-o', out],
        bufferIo({ cwd: work, env: { HOME: work } }),
      ),
    ).toBe(0);
    expect(readFileSync(out).equals(big)).toBe(true);
  });
});
