/**
 * Pure: the Rust `wit-deps` tool's files, `wit/deps.toml` (the manifest) and `wit/deps.lock`,
 * read and written as that tool does (its `crates/wit-deps/src/{manifest,lock}.rs`).
 *
 * - deps.toml: identifier → a string (a URL when it parses as one with a path, else a path), or
 *   a table with `url` and optional `sha256`, `sha512` (hex digests of the download) and
 *   `prefix`, or `path` alone. The identifier names the folder `wit/deps/<identifier>/`, so it
 *   is checked here before it becomes a path.
 * - deps.lock: a table per identifier, sorted; keys `url` and `prefix` (when not empty) or
 *   `path` (absent for transitive entries), then `sha256` and `sha512` of the installed folder's
 *   deterministic tar (`wit-tar.ts`), then `deps` (sorted identifiers) when not empty. Written
 *   the way the `toml` crate prints it: `[id]` headers, `key = "value"`, one blank line between
 *   tables, a final newline; an empty lock is an empty file.
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import { projectError } from './error-text.js';

/** One deps.toml entry. */
export type DepsTomlEntry =
  | { kind: 'url'; url: string; sha256?: string; sha512?: string; prefix: string }
  | { kind: 'path'; path: string };

/** One deps.lock entry. */
export interface DepsLockEntry {
  source?: { kind: 'url'; url: string; prefix: string } | { kind: 'path'; path: string };
  sha256: string;
  sha512: string;
  deps: string[];
}

export type DepsManifest = Map<string, DepsTomlEntry>;
export type DepsLock = Map<string, DepsLockEntry>;

const IDENTIFIER = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const HEX = { sha256: /^[0-9a-fA-F]{64}$/, sha512: /^[0-9a-fA-F]{128}$/ };

/** Throws unless `id` is a safe folder name (letters, digits, `.`, `_`, `-`; not `.`/`..`). */
export function checkIdentifier(id: string, file: string): void {
  if (IDENTIFIER.test(id) && !/^\.+$/.test(id)) return;
  throw projectError('deps-identifier-invalid', { file, identifier: id });
}

/** The Rust `url` crate's test for a URL string (not a path): parses and can be a base. */
export function isUrlString(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  const special = ['http:', 'https:', 'ftp:', 'ws:', 'wss:', 'file:'].includes(url.protocol);
  return special || value.slice(url.protocol.length).startsWith('/');
}

/** A URL as the `url` crate prints it (the same WHATWG serialization). */
function normalUrl(value: string, file: string, id: string): string {
  if (!URL.canParse(value)) invalid(file, id, `\`url\` \`${value}\` is not a URL`);
  return new URL(value).href;
}

function invalid(file: string, id: string, what: string): never {
  throw projectError('deps-entry-invalid', { file, identifier: id, problem: what });
}

function hexField(value: unknown, key: 'sha256' | 'sha512', file: string, id: string): string {
  if (typeof value !== 'string' || !HEX[key].test(value))
    invalid(file, id, `\`${key}\` is not ${key === 'sha256' ? 64 : 128} hex digits`);
  return value.toLowerCase();
}

function tableEntry(table: Record<string, unknown>, file: string, id: string): DepsTomlEntry {
  for (const [key, value] of Object.entries(table)) {
    if (!['url', 'sha256', 'sha512', 'prefix', 'path'].includes(key))
      invalid(file, id, `unknown key \`${key}\``);
    if (typeof value !== 'string') invalid(file, id, `\`${key}\` is not a string`);
  }
  const { url, path, prefix, sha256, sha512 } = table as Record<string, string | undefined>;
  if (path !== undefined) {
    if (url !== undefined || prefix !== undefined || sha256 !== undefined || sha512 !== undefined)
      invalid(file, id, '`prefix`, `sha256` and `sha512` are not supported with `path`');
    return { kind: 'path', path };
  }
  if (url === undefined) invalid(file, id, 'either `url` or `path` must be given');
  return {
    kind: 'url',
    url: normalUrl(url, file, id),
    prefix: prefix ?? '',
    ...(sha256 === undefined ? {} : { sha256: hexField(sha256, 'sha256', file, id) }),
    ...(sha512 === undefined ? {} : { sha512: hexField(sha512, 'sha512', file, id) }),
  };
}

function parseText(text: string, file: string, code: 'ERR_MANIFEST_PARSE' | 'ERR_LOCKFILE_PARSE') {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const why = error instanceof TomlError ? error.message.split('\n')[0] : String(error);
    const kind = code === 'ERR_MANIFEST_PARSE' ? 'deps-syntax' : 'deps-lock-syntax';
    throw projectError(kind, { file, reason: why ?? '' }, { cause: error });
  }
}

/** Parses a deps.toml. */
export function parseDepsManifest(text: string, file = 'wit/deps.toml'): DepsManifest {
  const out: DepsManifest = new Map();
  for (const [id, value] of Object.entries(parseText(text, file, 'ERR_MANIFEST_PARSE'))) {
    checkIdentifier(id, file);
    if (typeof value === 'string') {
      const entry: DepsTomlEntry = isUrlString(value)
        ? { kind: 'url', url: normalUrl(value, file, id), prefix: '' }
        : { kind: 'path', path: value };
      out.set(id, entry);
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      out.set(id, tableEntry(value as Record<string, unknown>, file, id));
    } else {
      invalid(file, id, 'the entry is neither a string nor a table');
    }
  }
  return out;
}

function lockInvalid(file: string, id: string, what: string): never {
  throw projectError('deps-lock-entry-invalid', { file, identifier: id, problem: what });
}

function lockEntry(value: unknown, file: string, id: string): DepsLockEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    lockInvalid(file, id, 'the entry is not a table');
  const t = value as Record<string, unknown>;
  for (const key of Object.keys(t))
    if (!['url', 'prefix', 'path', 'sha256', 'sha512', 'deps'].includes(key))
      lockInvalid(file, id, `unknown key \`${key}\``);
  const str = (key: string): string | undefined => {
    const v = t[key];
    if (v !== undefined && typeof v !== 'string')
      lockInvalid(file, id, `\`${key}\` is not a string`);
    return v;
  };
  const digest = (key: 'sha256' | 'sha512'): string => {
    const v = str(key);
    if (v === undefined || !HEX[key].test(v))
      lockInvalid(file, id, `\`${key}\` is missing or not hex`);
    return v.toLowerCase();
  };
  const deps = t['deps'] ?? [];
  if (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string'))
    lockInvalid(file, id, '`deps` is not a list of identifiers');
  for (const d of deps as string[]) checkIdentifier(d, file);
  const [rawUrl, prefix, path] = [str('url'), str('prefix'), str('path')];
  if (rawUrl !== undefined && !URL.canParse(rawUrl)) lockInvalid(file, id, '`url` is not a URL');
  const url = rawUrl === undefined ? undefined : new URL(rawUrl).href;
  if (url !== undefined && path !== undefined) lockInvalid(file, id, 'both `url` and `path`');
  const source: DepsLockEntry['source'] =
    url !== undefined
      ? { kind: 'url', url, prefix: prefix ?? '' }
      : path !== undefined
        ? { kind: 'path', path }
        : undefined;
  const entry: DepsLockEntry = { sha256: digest('sha256'), sha512: digest('sha512'), deps: [] };
  entry.deps = [...new Set(deps as string[])].sort(compareIds);
  return source === undefined ? entry : { source, ...entry };
}

/** Parses a deps.lock (an empty file is an empty lock, as the Rust tool writes it). */
export function parseDepsLock(text: string, file = 'wit/deps.lock'): DepsLock {
  const out: DepsLock = new Map();
  for (const [id, value] of Object.entries(parseText(text, file, 'ERR_LOCKFILE_PARSE'))) {
    checkIdentifier(id, file);
    out.set(id, lockEntry(value, file, id));
  }
  return out;
}

/** Byte order of identifiers (Rust's `String` order). */
export function compareIds(a: string, b: string): number {
  const [x, y] = [encoder.encode(a), encoder.encode(b)];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return x.length - y.length;
}

const encoder = new TextEncoder();

/** A TOML key as the `toml` crate writes it: bare when it can be. */
function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

/** A TOML basic string. */
function tomlString(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what must be escaped
  const escaped = value.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => {
    const named: Record<string, string> = {
      '\\': '\\\\',
      '"': '\\"',
      '\n': '\\n',
      '\t': '\\t',
      '\r': '\\r',
    };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`;
  });
  return `"${escaped}"`;
}

/** Serializes a deps.lock byte for byte as the Rust tool does. */
export function serializeDepsLock(lock: DepsLock): string {
  const tables: string[] = [];
  for (const id of [...lock.keys()].sort(compareIds)) {
    const e = lock.get(id) as DepsLockEntry;
    const lines = [`[${tomlKey(id)}]`];
    if (e.source?.kind === 'url') {
      lines.push(`url = ${tomlString(e.source.url)}`);
      if (e.source.prefix !== '') lines.push(`prefix = ${tomlString(e.source.prefix)}`);
    } else if (e.source?.kind === 'path') {
      lines.push(`path = ${tomlString(e.source.path)}`);
    }
    lines.push(`sha256 = ${tomlString(e.sha256)}`, `sha512 = ${tomlString(e.sha512)}`);
    if (e.deps.length > 0) lines.push(`deps = [${e.deps.map(tomlString).join(', ')}]`);
    tables.push(lines.join('\n') + '\n');
  }
  return tables.join('\n');
}
