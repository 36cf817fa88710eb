/**
 * The error base class, the catalogue of error codes, and the mechanism that keeps errors as data.
 *
 * Every failure a user can meet is a {@link WitDepsError} with a stable `code` (what tests and
 * `--json` consumers match on), a one-line message with the subject first, and a `hint` that names
 * the command or flag to run. Wrapped failures keep their origin in `cause`. Programmer errors stay
 * plain `Error`s and surface as `ERR_INTERNAL`.
 *
 * Errors are data: code raises a *variant* — a `kind` and typed `details` — and the message and
 * hint are derived from the details by one renderer per area (`<area>/error-text.ts`, built with
 * {@link errorVariant} and {@link errorMaker}). Each area adds its variants to
 * {@link ErrorVariants} by declaration merging, so this file imports nothing.
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
  ERR_ARCHIVE_UNSAFE:
    'a tarball holds an entry outside its folder, a link or a device, or is malformed',
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
  hint?: string | undefined;
  cause?: unknown;
  /** Structured facts for `--json` and for tests: the variant's `kind` and its fields. */
  details?: Record<string, unknown>;
  /** Process exit code; 1 unless the code says otherwise. */
  exitCode?: number | undefined;
}

/** What an error says, derived from its details. */
export interface ErrorText {
  message: string;
  hint?: string | undefined;
}

/** One error variant as its area declares it: the code it raises and how its details read. */
export interface Variant<C extends ErrorCode, D extends object> {
  readonly code: C;
  readonly render: (details: D) => ErrorText;
}

/**
 * Every error variant by `kind`: `{ code, details }`. Each area's `error-text.ts` adds its own
 * (`declare module '../errors.js' { interface ErrorVariants extends ResolveVariants {} }`); the
 * compiler rejects a kind declared twice with different shapes.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ErrorVariants extends BaseVariants {}

type BaseVariants = VariantsOf<typeof baseTable>;

/** The `kind` of every variant. */
export type ErrorKind = keyof ErrorVariants;

/** The details of one variant, with its `kind`. */
export type VariantDetails<K extends ErrorKind> = { kind: K } & ErrorVariants[K]['details'];

/** The details of any error: a union discriminated by `kind`. */
export type ErrorDetails = { [K in ErrorKind]: VariantDetails<K> }[ErrorKind];

/** The details an error of code `C` can carry (the union of that code's variants). */
export type CodeDetails<C extends ErrorCode> = {
  [K in ErrorKind]: ErrorVariants[K]['code'] extends C ? VariantDetails<K> : never;
}[ErrorKind];

/** The `ErrorVariants` entries of a renderer table (for an area's `declare module`). */
export type VariantsOf<T> = {
  [K in keyof T]: T[K] extends Variant<infer C, infer D> ? { code: C; details: D } : never;
};

/** Declares one variant: its code and its renderer. */
export function errorVariant<C extends ErrorCode, D extends object>(
  code: C,
  render: (details: D) => ErrorText,
): Variant<C, D> {
  return { code, render };
}

/** What a maker takes besides the details: the error it wraps, and a non-default exit code. */
export interface RaiseOptions {
  cause?: unknown;
  exitCode?: number | undefined;
}

type DetailsArg<V> = V extends Variant<ErrorCode, infer D> ? D : never;

/**
 * The constructor of an area's errors: `(kind, details, { cause }) => WitDepsError`, with the
 * message and hint rendered from `details` by the area's table.
 */
export function errorMaker<T extends Record<string, Variant<ErrorCode, never>>>(table: T) {
  for (const [kind, variant] of Object.entries(table)) VARIANTS.set(kind, variant);
  return <K extends keyof T & string>(
    kind: K,
    details: DetailsArg<T[K]>,
    options: RaiseOptions = {},
  ): WitDepsError => {
    const variant = table[kind] as unknown as Variant<ErrorCode, DetailsArg<T[K]>>;
    const facts = Object.entries(details as object).filter(([, v]) => v !== undefined);
    return fromText(
      variant.code,
      variant.render(details),
      { kind, ...Object.fromEntries(facts) },
      options,
    );
  };
}

/** Every variant of every maker made so far, by kind: what {@link withDetails} re-renders with. */
const VARIANTS = new Map<string, Variant<ErrorCode, never>>();

/**
 * `error` again with more facts (the file a wrapped failure came from), its text rendered anew
 * from the merged details by its own variant: how a caller that knows more adds it as data
 * instead of editing the message. It keeps `error`'s cause unless `options.cause` is given.
 * Errors built by hand come back unchanged.
 */
export function withDetails(
  error: WitDepsError,
  more: Readonly<Record<string, unknown>>,
  options: RaiseOptions = { cause: error.cause },
): WitDepsError {
  const { kind, ...details } = error.details as Record<string, unknown>;
  const variant = typeof kind === 'string' ? VARIANTS.get(kind) : undefined;
  if (variant === undefined) return error;
  const merged = { ...details, ...more };
  const render = variant.render as (d: Record<string, unknown>) => ErrorText;
  return fromText(
    variant.code,
    render(merged),
    { kind, ...merged },
    { exitCode: error.exitCode, ...options },
  );
}

/**
 * The text of one of `table`'s variants from its details (with `kind`): for a renderer that
 * words a wrapped failure of another area (a discovery that failed on the network).
 */
export function errorRenderer<T extends Record<string, Variant<ErrorCode, never>>>(table: T) {
  return (details: { [K in keyof T & string]: { kind: K } & DetailsArg<T[K]> }[keyof T & string]) =>
    (table[details.kind] as unknown as Variant<ErrorCode, typeof details>).render(details);
}

/** Builds the error once the text is rendered; kept apart so the makers stay the one way in. */
function fromText(
  code: ErrorCode,
  text: ErrorText,
  details: Record<string, unknown>,
  options: RaiseOptions,
): WitDepsError {
  return new WitDepsError(code, text.message, {
    hint: text.hint,
    cause: options.cause,
    details,
    exitCode: options.exitCode,
  });
}

/** The one error class of wit-deps. */
export class WitDepsError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  /** The variant's `kind` and fields; `Record` for errors built by hand (tests, old callers). */
  readonly details: ErrorDetails & Readonly<Record<string, unknown>>;
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options: WitDepsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WitDepsError';
    this.code = code;
    this.hint = options.hint;
    this.details = (options.details ?? {}) as ErrorDetails & Readonly<Record<string, unknown>>;
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

/** True when `error` is a WitDepsError of variant `kind`; its details are then typed. */
export function isErrorKind<K extends ErrorKind>(
  error: unknown,
  kind: K,
): error is WitDepsError & { details: VariantDetails<K> } {
  return error instanceof WitDepsError && error.details.kind === kind;
}

/** What to do about a file-system errno (shared by the CLI's rendering of a raw system error). */
export const FS_HINTS: Readonly<Record<string, string>> = {
  EACCES: 'check the permissions of that file or folder',
  EPERM: 'check the permissions of that file or folder',
  EROFS: 'the file system is read-only: run the command where it can write',
  ENOSPC: 'the disk is full: free some space and run the command again',
  EDQUOT: 'the disk quota is used up: free some space and run the command again',
  EMFILE: 'too many open files: raise the limit (ulimit -n) or lower --concurrency',
};

/** A Node.js file-system failure no code turned into a variant: errno, call and path. */
interface SystemError {
  errno: string;
  syscall?: string | undefined;
  path?: string | undefined;
}

const baseTable = {
  interrupted: errorVariant('ERR_INTERRUPTED', (d: { step?: string | undefined }) => ({
    message: d.step === undefined ? 'interrupted' : `interrupted ${d.step}`,
  })),
  // `cli`: the command line's wording (it can rerun with --verbose)
  internal: errorVariant('ERR_INTERNAL', (d: { reason: string; cli?: true | undefined }) => ({
    message: `internal error: ${d.reason}`,
    hint:
      d.cli === true
        ? 'this is a bug in wit-deps; rerun with --verbose and report it with the output'
        : 'this is a bug in wit-deps; report it with this message',
  })),
  'system-error': errorVariant('ERR_FS', (d: SystemError) => ({
    message: `${d.path === undefined ? 'a file or folder' : `\`${d.path}\``} cannot be accessed (${d.syscall === undefined ? '' : `${d.syscall}: `}${d.errno})`,
    hint: FS_HINTS[d.errno] ?? 'check the files and folders the command uses, then run it again',
  })),
};

const baseError = errorMaker(baseTable);

/** `ERR_FS` for a Node.js file-system failure that reached the top unconverted. */
export function systemError(facts: SystemError, cause: unknown): WitDepsError {
  return baseError('system-error', facts, { cause });
}

/** `ERR_INTERRUPTED` (Ctrl-C, an aborted signal); `step` is what it stopped. */
export function interruptedError(step: string | undefined, cause?: unknown): WitDepsError {
  return baseError('interrupted', step === undefined ? {} : { step }, { cause });
}

/** `ERR_INTERNAL`: a bug, with the original failure as `cause`; `cli` words the hint for the CLI. */
export function internalError(cause: unknown, cli = false): WitDepsError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return baseError('internal', { reason, cli: cli ? true : undefined }, { cause });
}

function defaultExitCode(code: ErrorCode): number {
  if (code === 'ERR_USAGE') return 2;
  if (code === 'ERR_INTERRUPTED') return 130;
  return 1;
}

/** Throws `ERR_INTERRUPTED` when `signal` is aborted (Ctrl-C): `what` is the step it stopped. */
export function throwIfInterrupted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted !== true) return;
  throw interruptedError(what, signal.reason);
}

export function isWitDepsError(value: unknown): value is WitDepsError {
  return value instanceof WitDepsError;
}

/** True when `value` is a Node.js system error with the given `code` (`ENOENT`, ...). */
export function hasErrno(value: unknown, errno: string): boolean {
  return typeof value === 'object' && value !== null && 'code' in value && value.code === errno;
}
