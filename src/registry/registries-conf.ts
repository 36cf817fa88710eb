/**
 * Mirrors and blocked registries: containers' `registries.conf` version 2, and the same mapping
 * as `[mirrors]` in wit.toml (docs/configuration.md, "Mirrors").
 *
 * ```toml
 * [[registry]]
 * prefix = "ghcr.io/webassembly"           # defaults to `location`
 * location = "ghcr.io/webassembly"         # where the prefix really lives (defaults to `prefix`)
 * insecure = false                         # plain http to this host (and its mirrors' flag, theirs)
 * blocked = false                          # refuse every repository under the prefix
 * mirror-by-digest-only = false            # every mirror below as `pull-from-mirror = "digest-only"`
 * [[registry.mirror]]
 * location = "mirror.acme.io/wasi"
 * insecure = false
 * pull-from-mirror = "all"                 # or "digest-only" (the default here), "tag-only"
 * ```
 *
 * Only `[[registry]]` tables are read: the other keys of the file (`unqualified-search-registries`,
 * `aliases`, `short-name-mode`, ...) belong to container engines and are ignored, and so are
 * entries whose prefix names a tag or digest (wit-deps asks for repositories, never images).
 * Unlike containers, a mirror without `pull-from-mirror` serves digests only: it is trusted to
 * turn a tag into a digest only when configured so. Pure: reading the files is
 * `registries-conf-io.ts`; matching a repository is {@link mirrorLookup}.
 */
import { type WitDepsError, type ErrorCode } from '../errors.js';
import { registryError } from './error-text.js';
import { registryHostProblem } from '../host.js';
import type { MirrorLookup, MirrorPlan, MirrorTarget } from '../oci/mirrors.js';
import { parseTomlText } from '../project/manifest.js';

export type PullFromMirror = 'all' | 'digest-only' | 'tag-only';

/** One `[[registry.mirror]]`. */
export interface MirrorEntry {
  location: string;
  insecure: boolean;
  pullFromMirror?: PullFromMirror;
}

/** One `[[registry]]` (or one `[mirrors]` key of wit.toml). */
export interface RegistryEntry {
  prefix: string;
  location: string;
  insecure: boolean;
  blocked: boolean;
  mirrorByDigestOnly: boolean;
  mirrors: MirrorEntry[];
  /** For messages: `` `[[registry]] prefix = "ghcr.io"` in /etc/containers/registries.conf``. */
  source: string;
}

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where entries are read from, and how their errors are reported. */
interface Origin {
  file: string;
  code: Extract<ErrorCode, 'ERR_CONFIG_INVALID' | 'ERR_MANIFEST_INVALID'>;
  /** Refuse keys this parser does not know (wit.toml is ours; registries.conf is shared). */
  strict: boolean;
}

function bad(origin: Origin, key: string, problem: string): WitDepsError {
  return registryError(
    origin.code === 'ERR_MANIFEST_INVALID' ? 'mirrors-invalid' : 'registries-conf-invalid',
    { file: origin.file, key, problem },
  );
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const PULL_FROM_MIRROR: readonly string[] = ['all', 'digest-only', 'tag-only'];

/** Why `value` is not `host[:port][/namespace...]` (or `*.domain` when `wildcard`). */
function locationProblem(value: string, wildcard: boolean): string | undefined {
  const slash = value.indexOf('/');
  const host = slash < 0 ? value : value.slice(0, slash);
  if (wildcard && host.startsWith('*.')) {
    if (slash >= 0) return 'is a wildcard prefix with a path (write `*.example.com` only)';
    const problem = registryHostProblem(host.slice(2));
    return problem === undefined ? undefined : `is not a valid wildcard prefix: ${problem}`;
  }
  const problem = registryHostProblem(host);
  if (problem !== undefined) return `is not a valid registry location: ${problem}`;
  if (slash < 0) return undefined;
  const bad = value
    .slice(slash + 1)
    .split('/')
    .find((c) => !COMPONENT.test(c));
  return bad === undefined ? undefined : `has \`${bad}\`, which is not a repository path component`;
}

function text(origin: Origin, table: Table, key: string, at: string): string | undefined {
  const v = table[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw bad(origin, `${at}.${key}`, 'must be a string');
  return v;
}

function flag(origin: Origin, table: Table, key: string, at: string): boolean {
  const v = table[key] ?? false;
  if (typeof v !== 'boolean') throw bad(origin, `${at}.${key}`, 'must be true or false');
  return v;
}

function onlyKeys(origin: Origin, table: Table, keys: readonly string[], at: string): void {
  if (!origin.strict) return;
  const extra = Object.keys(table).find((k) => !keys.includes(k));
  if (extra !== undefined)
    throw bad(origin, `${at}.${extra}`, `is not a known key (known: ${keys.join(', ')})`);
}

function checkLocation(origin: Origin, value: string, at: string, wildcard: boolean): string {
  const problem = locationProblem(value, wildcard);
  if (problem !== undefined) throw bad(origin, at, `\`${value.slice(0, 200)}\` ${problem}`);
  return value;
}

function parseMirror(origin: Origin, value: unknown, at: string): MirrorEntry {
  if (typeof value === 'string')
    return { location: checkLocation(origin, value, at, false), insecure: false };
  if (!isTable(value)) throw bad(origin, at, 'must be a table `{ location = "host/path" }`');
  onlyKeys(origin, value, ['location', 'insecure', 'pull-from-mirror'], at);
  const location = text(origin, value, 'location', at);
  if (location === undefined) throw bad(origin, `${at}.location`, 'is missing');
  const entry: MirrorEntry = {
    location: checkLocation(origin, location, `${at}.location`, false),
    insecure: flag(origin, value, 'insecure', at),
  };
  const pull = text(origin, value, 'pull-from-mirror', at);
  if (pull !== undefined) {
    if (!PULL_FROM_MIRROR.includes(pull))
      throw bad(origin, `${at}.pull-from-mirror`, 'must be "all", "digest-only" or "tag-only"');
    entry.pullFromMirror = pull as PullFromMirror;
  }
  return entry;
}

const REGISTRY_KEYS = ['prefix', 'location', 'insecure', 'blocked', 'mirror-by-digest-only'];

/** One `[[registry]]` table; undefined for a prefix naming a tag or digest (never matches). */
function parseEntry(
  origin: Origin,
  table: Table,
  at: string,
  prefixKey?: string,
): RegistryEntry | undefined {
  const keys = [...REGISTRY_KEYS, 'mirror'];
  // in wit.toml the prefix is the key of the entry
  onlyKeys(origin, table, prefixKey === undefined ? keys : keys.filter((k) => k !== 'prefix'), at);
  const rawPrefix = prefixKey ?? text(origin, table, 'prefix', at);
  const rawLocation = text(origin, table, 'location', at);
  const prefix = rawPrefix ?? rawLocation;
  if (prefix === undefined || prefix === '')
    throw bad(origin, at, 'has neither `prefix` nor `location`');
  const slash = prefix.indexOf('/');
  if (slash >= 0 && /[@:]/.test(prefix.slice(slash + 1))) return undefined;
  const wildcard = prefix.startsWith('*.');
  checkLocation(origin, prefix, prefixKey === undefined ? `${at}.prefix` : at, true);
  if (wildcard && rawLocation !== undefined)
    throw bad(origin, `${at}.location`, 'cannot be set for a wildcard prefix');
  const mirrors = table['mirror'] ?? [];
  if (!Array.isArray(mirrors)) throw bad(origin, `${at}.mirror`, 'must be an array of tables');
  const where =
    prefixKey === undefined ? `\`[[registry]] prefix = "${prefix}"\`` : `\`[mirrors] "${prefix}"\``;
  return {
    prefix,
    location: checkLocation(origin, rawLocation ?? prefix, `${at}.location`, true),
    insecure: flag(origin, table, 'insecure', at),
    blocked: flag(origin, table, 'blocked', at),
    mirrorByDigestOnly: flag(origin, table, 'mirror-by-digest-only', at),
    mirrors: mirrors.map((m: unknown, i) => parseMirror(origin, m, `${at}.mirror[${i}]`)),
    source: `${where} in ${origin.file}`,
  };
}

/**
 * The `[[registry]]` entries of a `registries.conf` (or drop-in) file, in file order.
 *
 * @throws {WitDepsError} `ERR_CONFIG_INVALID`.
 */
export function parseRegistriesConf(source: string, file: string): RegistryEntry[] {
  const origin: Origin = { file, code: 'ERR_CONFIG_INVALID', strict: false };
  const doc = parseTomlText(source, file, 'ERR_CONFIG_INVALID');
  const list = doc['registry'] ?? [];
  if (!Array.isArray(list)) throw bad(origin, 'registry', 'must be an array of tables');
  return list.flatMap((t: unknown, i) => {
    if (!isTable(t)) throw bad(origin, `registry[${i}]`, 'must be a table');
    return parseEntry(origin, t, `registry[${i}]`) ?? [];
  });
}

/**
 * `[mirrors]` of wit.toml: each key a prefix, each value an array of mirrors (a location string or
 * a `[[registry.mirror]]`-style table) or a table with the `[[registry]]` keys and `mirror`.
 *
 * @throws {WitDepsError} `ERR_MANIFEST_INVALID`.
 */
export function parseMirrorsTable(table: unknown, file = 'wit.toml'): RegistryEntry[] {
  const origin: Origin = { file, code: 'ERR_MANIFEST_INVALID', strict: true };
  if (!isTable(table)) throw bad(origin, 'mirrors', 'must be a table (write `[mirrors]`)');
  return Object.entries(table).flatMap(([prefix, value]) => {
    const at = `mirrors."${prefix}"`;
    const entry = Array.isArray(value) ? { mirror: value } : value;
    if (!isTable(entry))
      throw bad(origin, at, 'must be an array of mirrors or a table `{ mirror = [...] }`');
    return parseEntry(origin, entry, at, prefix) ?? [];
  });
}

/**
 * Entries of several files, later files first in precedence: an entry replaces an earlier one
 * with the same prefix (containers' drop-in rule), others are added.
 */
export function mergeEntries(layers: readonly (readonly RegistryEntry[])[]): RegistryEntry[] {
  const byPrefix = new Map<string, RegistryEntry>();
  for (const layer of layers) for (const e of layer) byPrefix.set(e.prefix, e);
  return [...byPrefix.values()];
}

/** Every host reached over plain http: insecure entries' locations and insecure mirrors. */
export function insecureHosts(entries: readonly RegistryEntry[]): string[] {
  const hosts = new Set<string>();
  const hostOf = (location: string): string => location.split('/')[0]!;
  for (const e of entries) {
    if (e.insecure && !e.location.startsWith('*.')) hosts.add(hostOf(e.location));
    for (const m of e.mirrors) if (m.insecure) hosts.add(hostOf(m.location));
  }
  return [...hosts];
}

/** How much of `reference` (`host/repository`) `prefix` matches, or -1; wildcards rank below. */
function matchLength(prefix: string, reference: string): number {
  if (prefix.startsWith('*.')) {
    const host = reference.split('/')[0]!;
    return host.endsWith(prefix.slice(1)) ? prefix.length - 1 : -1;
  }
  if (reference === prefix || reference.startsWith(`${prefix}/`)) return prefix.length;
  return -1;
}

/** `location` + the rest of the reference, split into host and repository (none if empty). */
function placeOf(location: string, rest: string): { host: string; repository: string } | undefined {
  const full = `${location}${rest}`;
  const slash = full.indexOf('/');
  if (slash < 0 || slash === full.length - 1) return undefined;
  return { host: full.slice(0, slash), repository: full.slice(slash + 1) };
}

/** The plan of the entry that matches longest. */
function planOf(
  entry: RegistryEntry,
  host: string,
  repository: string,
  matched: number,
): MirrorPlan {
  const reference = `${host}/${repository}`;
  const wildcard = entry.prefix.startsWith('*.');
  const rest = reference.slice(wildcard ? host.length : matched);
  const origin = (wildcard ? undefined : placeOf(entry.location, rest)) ?? { host, repository };
  const mirrors: MirrorTarget[] = entry.mirrors.flatMap((m) => {
    const place = placeOf(m.location, rest);
    if (place === undefined) return [];
    const pull = entry.mirrorByDigestOnly ? 'digest-only' : (m.pullFromMirror ?? 'digest-only');
    return [{ ...place, digests: pull !== 'tag-only', tags: pull !== 'digest-only' }];
  });
  return { blocked: entry.blocked, origin, mirrors, source: entry.source };
}

/** The lookup the OCI client reads through; undefined when there are no entries. */
export function mirrorLookup(entries: readonly RegistryEntry[]): MirrorLookup | undefined {
  if (entries.length === 0) return undefined;
  return (host, repository) => {
    const reference = `${host}/${repository}`;
    let best: RegistryEntry | undefined;
    let bestLength = -1;
    for (const e of entries) {
      const n = matchLength(e.prefix, reference);
      if (n > bestLength) [best, bestLength] = [e, n];
    }
    return best === undefined ? undefined : planOf(best, host, repository, bestLength);
  };
}
