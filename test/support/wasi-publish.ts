/**
 * Publishing the WASI fixture packages to a running registry for the dependency-manager tests:
 * the real `wasi:http@0.2.0` binary plus the packages our encoder built (fixtures/pm/wasi-binaries),
 * as `<prefix>wasi/<pkg>:<version>` Wasm artifacts with fixed creation times.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { OciClients, pushWitPackage } from '../../src/oci/index.js';
import type { Credential } from '../../src/oci/index.js';

const ROOT = join(import.meta.dirname, '../..');
export const WASI_BINARIES = join(ROOT, 'fixtures/pm/wasi-binaries');
export const REAL_HTTP = join(
  ROOT,
  'fixtures/corpus/real-packages/wasi-http-0.2.0/wasi-http-0.2.0.wasm',
);

/** A package fixture: `wasi:io@0.2.0` and its bytes. */
export interface WasiFixture {
  name: string;
  version: string;
  bytes: Uint8Array;
}

/** The fixture binaries, the real http@0.2.0 replacing the encoded one. */
export function wasiFixtures(): WasiFixture[] {
  const out: WasiFixture[] = [];
  for (const file of readdirSync(WASI_BINARIES)
    .filter((f) => f.endsWith('.wasm'))
    .sort()) {
    const m = /^wasi-([a-z]+)-(.+)\.wasm$/.exec(file);
    if (m === null) continue;
    const name = `wasi:${m[1]!}`;
    const path = name === 'wasi:http' && m[2] === '0.2.0' ? REAL_HTTP : join(WASI_BINARIES, file);
    out.push({ name, version: m[2]!, bytes: new Uint8Array(readFileSync(path)) });
  }
  return out;
}

/** Pushes fixtures to `host` under `prefix`; returns the layer digest of each `name@version`. */
export async function publishWasi(
  host: string,
  prefix: string,
  fixtures: readonly WasiFixture[],
  credential?: Credential,
): Promise<Map<string, string>> {
  const clients = new OciClients({
    ...(credential === undefined ? {} : { credentials: () => Promise.resolve(credential) }),
  });
  const digests = new Map<string, string>();
  try {
    const client = clients.registry(host);
    for (const f of fixtures) {
      const pkg = f.name.split(':')[1]!;
      const pushed = await pushWitPackage(client, `${prefix}wasi/${pkg}`, f.version, {
        layer: f.bytes,
        title: `${pkg}.wasm`,
        created: '2024-01-01T00:00:00Z',
        annotations: { 'org.opencontainers.image.version': f.version },
      });
      digests.set(`${f.name}@${f.version}`, pushed.layerDigest);
    }
  } finally {
    await clients.close();
  }
  return digests;
}
