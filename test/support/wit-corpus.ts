/**
 * Finds the binary WIT cases of `fixtures/corpus`: every `wit-component-interfaces/<case>/` and
 * `real-packages/<case>/` with a `<case>.wasm`, its expected main-package print (`.unpack/package.wit`
 * and, when present, the upstream `.wit.print`) and the expected foreign packages
 * (`.unpack/deps/<dir>/package.wit`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/corpus');

export interface BinaryCase {
  /** `<folder>/<case>`. */
  id: string;
  wasm: Uint8Array;
  /** The main package as wasm-tools prints it. */
  expected: string;
  /** Upstream `.wit.print`, when the case has one (it equals `expected`). */
  witPrint?: string;
  /** `<ns>-<name>[-<version>]` → expected text of each foreign package. */
  deps: Map<string, string>;
}

function findWitPrint(dir: string, name: string): string | undefined {
  const direct = join(dir, `${name}.wit.print`);
  if (existsSync(direct)) return readFileSync(direct, 'utf8');
  const inner = join(dir, name);
  if (!existsSync(inner)) return undefined;
  const file = readdirSync(inner).find((f) => f.endsWith('.wit.print'));
  return file === undefined ? undefined : readFileSync(join(inner, file), 'utf8');
}

export function loadBinaryCases(): BinaryCase[] {
  const out: BinaryCase[] = [];
  for (const folder of ['wit-component-interfaces', 'real-packages']) {
    for (const name of readdirSync(join(CORPUS, folder)).sort()) {
      const dir = join(CORPUS, folder, name);
      const wasmPath = join(dir, `${name}.wasm`);
      if (!existsSync(wasmPath)) continue;
      const unpack = join(dir, `${name}.unpack`);
      const depsDir = join(unpack, 'deps');
      const deps = new Map<string, string>();
      if (existsSync(depsDir)) {
        for (const dep of readdirSync(depsDir).sort()) {
          deps.set(dep, readFileSync(join(depsDir, dep, 'package.wit'), 'utf8'));
        }
      }
      const c: BinaryCase = {
        id: `${folder}/${name}`,
        wasm: new Uint8Array(readFileSync(wasmPath)),
        expected: readFileSync(join(unpack, 'package.wit'), 'utf8'),
        deps,
      };
      const witPrint = findWitPrint(dir, name);
      if (witPrint !== undefined) c.witPrint = witPrint;
      out.push(c);
    }
  }
  return out;
}
