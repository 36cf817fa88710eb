/**
 * After an install, the project's own WIT (the `*.wit` files of its WIT folder) is resolved against
 * what is now in `wit/deps`, as `wit-deps wit check` and the bindings generators do. An install
 * that leaves WIT that does not resolve (an unversioned `use wasi:io/...` next to a versioned one,
 * an override whose version differs from the reference, a package defined in two folders) reports
 * it as a rendered diagnostic: a warning, or a failure (exit 1) under `--locked`/`--frozen`.
 * A project without WIT of its own (only a wit.toml) has nothing to check.
 *
 * WIT that resolved is recorded in the cache (`checks/`, keyed by the wit-deps version and the
 * hash of every file read: the project's `*.wit` files and everything in `wit/deps`), so an
 * install that changes none of those files (a no-op install) does not parse and resolve them
 * again, nor load the WIT toolchain. Only success is recorded: a problem is found afresh.
 */
import { readdir } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import type { Cache } from '../../cache/store.js';
import { WitDepsError, hasErrno, isWitDepsError } from '../../errors.js';
import { VERSION } from '../../version.js';
import type { FolderFile } from '../../wit/resolve/deps.js';
import { readWitFolder, witFilesKey } from '../wit/folder.js';

/** The project's WIT does not resolve: the diagnostic, rendered as wasm-tools does. */
export interface WitProblem {
  code: string;
  message: string;
  /** The `--> file:line:col` snippet, when the diagnostic points into a file. */
  rendered?: string;
  hint: string;
}

async function hasOwnWit(witDir: string): Promise<boolean> {
  try {
    const entries = await readdir(witDir, { withFileTypes: true });
    return entries.some((e) => e.isFile() && e.name.endsWith('.wit'));
  } catch (error) {
    if (hasErrno(error, 'ENOENT') || hasErrno(error, 'ENOTDIR')) return false;
    throw error;
  }
}

/** The cache key of a WIT folder's files (`shown`: the folder as diagnostics name it). */
export function witCheckKey(files: readonly FolderFile[], shown: string): string {
  return `wit-deps ${VERSION} check ${shown} ${witFilesKey(files)}`;
}

/**
 * Resolves the WIT folder `witDir` with its `deps/`. Returns the problem (a warning), or throws it
 * as `ERR_WIT_RESOLVE`/`ERR_WIT_PARSE` under `--locked`/`--frozen`; undefined when it resolves.
 */
export async function checkProjectWit(
  witDir: string,
  options: { cwd: string; locked?: boolean; frozen?: boolean; cache?: Cache },
): Promise<WitProblem | undefined> {
  if (!(await hasOwnWit(witDir))) return undefined;
  const shown = relative(options.cwd, witDir).split(sep).join('/') || '.';
  try {
    const files = await readWitFolder(witDir);
    const key = witCheckKey(files, shown);
    if (await options.cache?.readCheck(key)) return undefined;
    // the WIT toolchain loads only when the files have not been seen to resolve
    const { resolveWitFolder } = await import('../wit/text.js');
    resolveWitFolder(files, shown);
    await options.cache?.writeCheck(key);
    return undefined;
  } catch (error) {
    if (!isWitDepsError(error) || !['ERR_WIT_PARSE', 'ERR_WIT_RESOLVE'].includes(error.code))
      throw error;
    const rendered = error.details?.['rendered'];
    const problem: WitProblem = {
      code: error.code,
      message: `the project's WIT in \`${shown}\` does not resolve against ${shown}/deps after the install: ${error.message}`,
      ...(typeof rendered === 'string' ? { rendered } : {}),
      hint: `fix the WIT (or the requirements that chose these versions), then run \`wit-deps install\`; \`wit-deps wit check ${shown}\` shows the same diagnostic`,
    };
    if (options.locked !== true && options.frozen !== true) return problem;
    throw new WitDepsError(error.code, problem.message, {
      hint: problem.hint,
      cause: error,
      details: { ...error.details, witDir: shown },
    });
  }
}
