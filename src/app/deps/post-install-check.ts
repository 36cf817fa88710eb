/**
 * After an install, the project's own WIT (the `*.wit` files of its WIT folder) is resolved against
 * what is now in `wit/deps`, as `wit-deps wit check` and the bindings generators do. An install
 * that leaves WIT that does not resolve (an unversioned `use wasi:io/...` next to a versioned one,
 * an override whose version differs from the reference, a package defined in two folders) reports
 * it as a rendered diagnostic: a warning, or a failure (exit 1) under `--locked`/`--frozen`.
 * A project without WIT of its own (only a wit.toml) has nothing to check.
 */
import { readdir } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { WitDepsError, hasErrno, isWitDepsError } from '../../errors.js';
import { loadWit } from '../wit/text.js';

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

/**
 * Resolves the WIT folder `witDir` with its `deps/`. Returns the problem (a warning), or throws it
 * as `ERR_WIT_RESOLVE`/`ERR_WIT_PARSE` under `--locked`/`--frozen`; undefined when it resolves.
 */
export async function checkProjectWit(
  witDir: string,
  options: { cwd: string; locked?: boolean; frozen?: boolean },
): Promise<WitProblem | undefined> {
  if (!(await hasOwnWit(witDir))) return undefined;
  const shown = relative(options.cwd, witDir).split(sep).join('/') || '.';
  try {
    await loadWit({ path: shown, cwd: options.cwd });
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
