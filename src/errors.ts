/**
 * The error base class and the catalogue of error codes.
 *
 * Every failure a user can meet is a {@link WitDepsError} with a stable `code` (what tests and
 * `--json` consumers match on), a one-line message with the subject first, and a `hint` that names
 * the command or flag to run. Wrapped failures keep their origin in `cause`. Programmer errors stay
 * plain `Error`s and surface as `ERR_INTERNAL`.
 *
 * Pure: no `node:*` imports, so `wit/` and `resolve/` may throw these.
 */

/** Every code, with a one-line description of when it is raised. Add new codes here only. */
export const ERROR_CODES = {
  ERR_USAGE: 'the command line is invalid',
  ERR_INTERNAL: 'a bug in wit-deps',
  ERR_INTERRUPTED: 'the operation was interrupted',
  ERR_INVALID_REFERENCE: 'an OCI reference does not parse',
  ERR_INVALID_PACKAGE_NAME: 'a package name is not `namespace:name` of WIT identifiers',
  ERR_INVALID_REQUIREMENT: 'a version requirement does not parse',
  ERR_INVALID_ANNOTATION: 'an annotation is not `key=value`',
  ERR_MANIFEST_PARSE: 'wit.toml is not valid TOML',
  ERR_MANIFEST_INVALID: 'wit.toml has an invalid value',
  ERR_MANIFEST_NOT_FOUND: 'no wit.toml and no WIT sources were found',
  ERR_LOCKFILE_PARSE: 'wkg.lock does not parse',
  ERR_LOCKFILE_VERSION: 'wkg.lock has a version this tool does not know',
  ERR_LOCKFILE_OUTDATED: 'wkg.lock would change under --locked or --frozen',
  ERR_CONFIG_INVALID: 'a configuration file has an invalid value',
  ERR_RESOLVE_NO_MATCH: 'no published version satisfies a requirement',
  ERR_RESOLVE_NOT_FOUND: 'a package does not exist in its registry',
  ERR_RESOLVE_CONFLICT: 'requirements on one package cannot be met together',
  ERR_RESOLVE_CYCLE: 'packages depend on each other in a cycle',
  ERR_PATH_NOT_FOUND: 'a path dependency is missing or holds no WIT package',
  ERR_PATH_MISMATCH: 'a path dependency holds a package of another name',
  ERR_REGISTRY_UNKNOWN: 'no registry is configured for a package namespace',
  ERR_REGISTRY_UNAUTHORIZED: 'the registry refused the credentials, or wants some',
  ERR_REGISTRY_DENIED: 'the registry denied access to a repository',
  ERR_REGISTRY_NOT_FOUND: 'a repository, tag, manifest or blob does not exist',
  ERR_REGISTRY_RESPONSE: 'the registry answered with an error or an unexpected response',
  ERR_REGISTRY_RATE_LIMITED: 'the registry kept answering 429 Too Many Requests',
  ERR_REGISTRY_TOO_MANY_PAGES: 'a tag list had more pages than allowed',
  ERR_REGISTRY_INSECURE: 'plain http was refused for a registry not marked insecure',
  ERR_REGISTRY_BLOCKED: 'a registry or repository is blocked by registries.conf or [mirrors]',
  ERR_DISCOVERY_FAILED: 'registry discovery through .well-known failed',
  ERR_CREDENTIALS: 'credentials could not be read or a credential helper failed',
  ERR_NETWORK: 'a connection failed',
  ERR_OFFLINE: 'network access is needed but --offline was given',
  ERR_INTEGRITY_MISMATCH: 'content does not match its digest or size',
  ERR_ARTIFACT_MISMATCH: 'an artifact or lock entry holds a package of another name or version',
  ERR_ARTIFACT_INVALID: 'an OCI artifact is not a Wasm WIT package artifact',
  ERR_TAG_EXISTS: 'a tag to push to already names other content',
  ERR_MANIFEST_UNSUPPORTED: 'an OCI manifest has an unsupported media type',
  ERR_LAYOUT_INVALID: 'an OCI image layout folder is malformed',
  ERR_LIMIT_EXCEEDED: 'input is larger or deeper than allowed',
  ERR_CACHE: 'the cache folder could not be used',
  ERR_PROJECT_LOCKED: 'another wit-deps process holds the project lock',
  ERR_INSTALL_JOURNAL: 'an interrupted install could not be completed from its journal',
  ERR_FS: 'a file could not be read or written',
  ERR_WIT_PARSE: 'WIT text does not parse',
  ERR_WIT_RESOLVE: 'WIT packages do not resolve',
  ERR_WIT_DECODE: 'a binary WIT package does not decode',
  ERR_WIT_ENCODE: 'a WIT package cannot be encoded',
  ERR_WIT_NOT_A_PACKAGE: 'a Wasm file is a component, not a WIT package',
  ERR_VERIFY_FAILED: 'installed files or the cache do not match the lock',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface WitDepsErrorOptions {
  hint?: string;
  cause?: unknown;
  /** Structured facts for `--json` and for tests (package, requirement, available versions, ...). */
  details?: Record<string, unknown>;
  /** Process exit code; 1 unless the code says otherwise. */
  exitCode?: number;
}

/** The one error class of wit-deps. */
export class WitDepsError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown>;
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options: WitDepsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WitDepsError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? {};
    this.exitCode = options.exitCode ?? defaultExitCode(code);
  }

  /** The shape printed under `--json`: `{ code, message, hint?, details? }`. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { code: this.code, message: this.message };
    if (this.hint !== undefined) out['hint'] = this.hint;
    if (Object.keys(this.details).length > 0) out['details'] = this.details;
    return out;
  }
}

function defaultExitCode(code: ErrorCode): number {
  if (code === 'ERR_USAGE') return 2;
  if (code === 'ERR_INTERRUPTED') return 130;
  return 1;
}

/** Throws `ERR_INTERRUPTED` when `signal` is aborted (Ctrl-C): `what` is the step it stopped. */
export function throwIfInterrupted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted !== true) return;
  throw new WitDepsError('ERR_INTERRUPTED', `interrupted ${what}`, { cause: signal.reason });
}

export function isWitDepsError(value: unknown): value is WitDepsError {
  return value instanceof WitDepsError;
}

/** True when `value` is a Node.js system error with the given `code` (`ENOENT`, ...). */
export function hasErrno(value: unknown, errno: string): boolean {
  return typeof value === 'object' && value !== null && 'code' in value && value.code === errno;
}
