/**
 * `wit-deps wit print`: read a binary WIT package, decode it, and print its packages as WIT text —
 * the main package alone, all packages (`--all`, nested `package ... { }` blocks as
 * `wasm-tools component wit` prints them), or one `<dir>/<ns>-<name>[-<ver>]/package.wit` file per
 * package (`--out-dir`, the `wit/deps` layout `install` uses; each file written atomically).
 */
import { stat } from 'node:fs/promises';
import { join, resolve as resolvePath } from 'node:path';
import { hasErrno, isWitDepsError, WitDepsError } from '../../errors.js';
import { READ_LIMITS, readRegularFile } from '../../fs/safe-read.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { makeDir } from '../../fs/make-dir.js';
import { decodeWit, packageDirName, printWitAll, printWitPackage } from '../../wit/index.js';
import { formatPackageName, type PackageId, type Resolve } from '../../wit/model.js';

export interface WitPrintOptions {
  /** The `.wasm` file, `.wit` file or WIT folder, relative to `cwd`. */
  file: string;
  cwd: string;
  /** Print every package of the file, nested after the main one. */
  all?: boolean;
  /** Write one `package.wit` per package under this folder instead of returning text. */
  outDir?: string;
}

export interface WitPrintResult {
  /** `ns:name@ver` of the main package. */
  package: string;
  /** Every package in the file, main first. */
  packages: string[];
  /** The printed WIT (absent with `outDir`). */
  wit?: string;
  /** Files written under `outDir`, main package first. */
  files?: { package: string; path: string }[];
}

const SAFE_DIR = /^[a-z0-9][a-z0-9.+-]*$/;

/** The file to decode: a regular file under the binary cap (a FIFO or `/dev/zero` is `ERR_FS`, not a hang). */
async function readInput(path: string): Promise<Uint8Array> {
  try {
    return await readRegularFile(path, { limit: READ_LIMITS.binary, display: `\`${path}\`` });
  } catch (error) {
    if (isWitDepsError(error)) throw error;
    const reason = hasErrno(error, 'ENOENT') ? 'does not exist' : 'cannot be read';
    throw new WitDepsError('ERR_FS', `\`${path}\` ${reason}`, {
      hint: 'pass the path of a binary WIT package: `wit-deps wit print <file.wasm>`',
      cause: error,
    });
  }
}

/**
 * A `.wasm` binary package is decoded; a `.wit` file or a WIT folder is parsed and resolved (the
 * WIT text parser and resolver are loaded only then: printing a `.wasm` does not need them).
 */
async function loadInput(
  options: WitPrintOptions,
): Promise<{ resolve: Resolve; package: PackageId }> {
  const file = resolvePath(options.cwd, options.file);
  const isDir = await stat(file).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (isDir || file.endsWith('.wit')) {
    const { loadWit } = await import('./text.js');
    return loadWit({ path: options.file, cwd: options.cwd });
  }
  const bytes = await readInput(file);
  if (!file.endsWith('.wasm') && !startsWithWasmMagic(bytes))
    throw new WitDepsError('ERR_WIT_DECODE', `\`${options.file}\` is not a .wasm or .wit file`, {
      hint: 'pass a binary WIT package (`.wasm`), a `.wit` file or a WIT folder',
      details: { path: options.file },
    });
  return decodeWit(bytes);
}

/** `\0asm`: what every Wasm binary starts with (a `.wasm` without it gets the decoder's error). */
function startsWithWasmMagic(bytes: Uint8Array): boolean {
  return bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
}

export async function witPrint(options: WitPrintOptions): Promise<WitPrintResult> {
  const { resolve, package: main } = await loadInput(options);
  const order = [
    main,
    ...resolve.packages.map((_, i) => i as PackageId).filter((id) => id !== main),
  ];
  const names = order.map((id) =>
    formatPackageName(resolve.packages[id]?.name ?? { namespace: '', name: '' }),
  );
  const result: WitPrintResult = { package: names[0] ?? '', packages: names };
  if (options.outDir === undefined) {
    result.wit = options.all === true ? printWitAll(resolve, main) : printWitPackage(resolve, main);
    return result;
  }
  const outDir = resolvePath(options.cwd, options.outDir);
  result.files = [];
  for (const [i, id] of order.entries()) {
    const dirName = packageDirName(resolve, id);
    if (!SAFE_DIR.test(dirName) || dirName.includes('..')) {
      throw new WitDepsError(
        'ERR_INVALID_PACKAGE_NAME',
        `package \`${names[i] ?? ''}\` cannot be a folder name`,
      );
    }
    const dir = join(outDir, dirName);
    await makeDir(dir, { hint: 'check that the --out-dir folder is writable' });
    const path = join(dir, 'package.wit');
    await writeFileAtomic(path, printWitPackage(resolve, id), {
      makeParent: false,
      hint: 'check that the --out-dir folder is writable',
    });
    result.files.push({ package: names[i] ?? '', path });
  }
  return result;
}
