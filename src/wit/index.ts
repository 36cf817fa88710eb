/**
 * The public face of the pure WIT toolchain (no `node:*` imports): decode a binary WIT package
 * and print its packages as WIT text, as `wasm-tools component wit` does.
 *
 * ```ts
 * const { resolve, package: main } = decodeWit(bytes);
 * const text = printWitPackage(resolve, main);        // wit/deps/<ns>-<name>-<ver>/package.wit
 * ```
 */
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './binary/reader.js';
import { decodePackage, type DecodedPackage } from './decode/decode.js';
import type { PackageId, Resolve } from './model.js';
import { WitPrinter } from './print/printer.js';

export type { DecodeLimits } from './binary/reader.js';
export { DEFAULT_DECODE_LIMITS } from './binary/reader.js';
export type { DecodedPackage } from './decode/decode.js';

/**
 * Decodes a binary WIT package (current per-item encoding or the legacy single `wit` export).
 * Foreign packages it refers to are rebuilt as partial packages in the same Resolve.
 *
 * @throws WitDepsError `ERR_WIT_DECODE` (with the byte offset) on malformed input,
 *   `ERR_WIT_NOT_A_PACKAGE` for a component or core module, `ERR_LIMIT_EXCEEDED` past `limits`.
 */
export function decodeWit(bytes: Uint8Array, limits: Partial<DecodeLimits> = {}): DecodedPackage {
  return decodePackage(bytes, { ...DEFAULT_DECODE_LIMITS, ...limits });
}

/** Prints one package as a standalone `package.wit` (`package ns:name@v;` form). */
export function printWitPackage(resolve: Resolve, pkg: PackageId): string {
  return new WitPrinter(resolve).print(pkg, []);
}

/** Prints `main`, then every other package of `resolve` as nested `package ... { }` blocks. */
export function printWitAll(resolve: Resolve, main: PackageId): string {
  const nested = resolve.packages.map((_, i) => i as PackageId).filter((id) => id !== main);
  return new WitPrinter(resolve).print(main, nested);
}

/** The `wit/deps` folder name of a package: `<ns>-<name>` or `<ns>-<name>-<version>`. */
export function packageDirName(resolve: Resolve, pkg: PackageId): string {
  const name = resolve.packages[pkg]?.name;
  if (name === undefined) throw new RangeError(`no package with id ${pkg}`);
  const base = `${name.namespace}-${name.name}`;
  return name.version === undefined ? base : `${base}-${name.version}`;
}
