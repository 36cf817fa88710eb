/**
 * Finds the binary WIT cases: every `fixtures/corpus/wit-component-interfaces/<case>/`,
 * `fixtures/corpus/real-packages/<case>/` and `fixtures/wit-decode/wasi/<case>/` with a `<case>.wasm`, its expected main-package print (`.unpack/package.wit`
 * and, when present, the upstream `.wit.print`) and the expected foreign packages
 * (`.unpack/deps/<dir>/package.wit`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures');
export const CORPUS = join(FIXTURES, 'corpus');

/** Folders of binary cases: the upstream corpus, and WASI packages with wasm-tools' answers. */
const FOLDERS = [
  join(CORPUS, 'wit-component-interfaces'),
  join(CORPUS, 'real-packages'),
  join(FIXTURES, 'wit-decode/wasi'),
];

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
  for (const folder of FOLDERS) {
    for (const name of readdirSync(folder).sort()) {
      const dir = join(folder, name);
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
        id: `${basename(folder)}/${name}`,
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
