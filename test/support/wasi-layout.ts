/**
 * Builds the bundled OCI layouts `fixtures/wasi-oci/wasi/<pkg>/` (one OCI image layout per
 * package, tags = versions) from the encoded WASI binaries in fixtures/pm/wasi-binaries, with fixed
 * creation times so the result is reproducible. `{ layout = ".../wasi-oci" }` in wit.toml reads it.
 */
import { join } from 'node:path';
import { LayoutBackend, pushWitPackage } from '../../src/oci/index.js';
import { WASI_BINARIES } from './wasi-publish.js';
import { readFileSync, readdirSync } from 'node:fs';

/** Writes the layouts under `dir`; returns the `name@version` list. */
export async function buildWasiLayout(dir: string): Promise<string[]> {
  const ids: string[] = [];
  for (const file of readdirSync(WASI_BINARIES)
    .filter((f) => f.endsWith('.wasm'))
    .sort()) {
    const m = /^wasi-([a-z]+)-(.+)\.wasm$/.exec(file);
    if (m === null) continue;
    const [pkg, version] = [m[1]!, m[2]!];
    const backend = new LayoutBackend(join(dir, 'wasi', pkg));
    await pushWitPackage(backend, '', version, {
      layer: new Uint8Array(readFileSync(join(WASI_BINARIES, file))),
      title: `${pkg}.wasm`,
      created: '2024-01-01T00:00:00Z',
      annotations: { 'org.opencontainers.image.version': version },
    });
    ids.push(`wasi:${pkg}@${version}`);
  }
  return ids;
}
